"""The only module that creates Rich consoles.

Data goes to stdout, talk (progress, warnings, errors) to stderr, so that
``svcdiag ... --format json | jq`` always works. ``NO_COLOR`` is honoured by
Rich itself; ``width`` lets renderers and tests fix the layout.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console(*, width: int | None = None, file: IO[str] | None = None) -> Console:
    """Return a console that writes data (reports) to stdout or ``file``."""
    from rich.console import Console

    return Console(file=file, width=width, highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    """Return a console for messages to the user (stderr)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(message: str, hint: str | None = None) -> None:
    """Print an error (and an optional hint) to stderr."""
    from rich.markup import escape

    console = stderr_console()
    console.print(f"[bold red]error:[/] {escape(message)}")
    if hint:
        console.print(f"[yellow]hint:[/] {escape(hint)}")


def print_warning(message: str) -> None:
    """Print a warning to stderr."""
    from rich.markup import escape

    stderr_console().print(f"[yellow]warning:[/] {escape(message)}")

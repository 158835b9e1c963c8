"""The only module that creates Rich consoles.

Data goes to stdout, talk (progress, warnings, errors) to stderr, so that
``svcdiag ... --format json | jq`` always works. ``NO_COLOR`` is honoured by
Rich itself; ``width`` lets renderers and tests fix the layout.
"""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console(*, width: int | None = None, file: IO[str] | None = None) -> Console:
    """Return a console that writes data (reports) to stdout or ``file``."""
    from rich.console import Console

    return Console(file=file, width=width, highlight=False, soft_wrap=False)


def text_console(*, width: int, color: bool) -> Console:
    """Return a console that renders into memory, for reports returned as text.

    With ``color`` false nothing but plain characters is produced; with it true
    ANSI styles are produced, and Rich still drops colours when ``NO_COLOR`` is set.
    """
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )


def stdout_report_style(max_width: int = 100) -> tuple[int, bool]:
    """Width (at most ``max_width``) and whether to colour a report written to stdout."""
    console = stdout_console()
    return min(console.width, max_width), console.is_terminal and console.color_system is not None


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

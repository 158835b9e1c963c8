"""The only module that creates Rich consoles.

Data goes to stdout, talk (progress, warnings, errors) to stderr, so that
``svcdiag ... --format json | jq`` always works. ``NO_COLOR`` is honoured by
Rich itself; ``width`` lets renderers and tests fix the layout. Errors and
warnings quote users' files, so their control characters are dropped here
(:func:`svcdiag.textsafe.for_terminal`).
"""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING, cast

from svcdiag.textsafe import for_terminal, visible

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console(*, width: int | None = None, file: IO[str] | None = None) -> Console:
    """Return a console that writes data (reports) to stdout or ``file``."""
    from rich.console import Console

    return Console(file=file, width=width, highlight=False, soft_wrap=False)


def print_data(renderable: object, *, console: Console | None = None) -> None:
    """Print ``renderable`` (a table, a view) as data on stdout (or ``console``'s file).

    On a terminal it is printed as Rich lays it out. Elsewhere (a pipe, a
    file) the lines lose the trailing spaces Rich pads them with, so that
    ``diff`` and ``grep`` see only what is there.
    """
    target = console or stdout_console()
    if target.is_terminal:
        target.print(renderable)
        return
    with target.capture() as captured:
        target.print(renderable)
    target.file.write(strip_trailing_spaces(captured.get()))
    target.file.flush()


class TerminalText(io.TextIOBase):
    """A text stream to a terminal that drops control characters from what it is given.

    Data written for other programs (CSV, SQL, HTML) holds users' text as it
    is, and a terminal would act on an escape sequence in it (a window title,
    a colour, a cursor move). On a terminal it is shown without them; a pipe
    or a file still gets every character.
    """

    def __init__(self, out: IO[str]) -> None:
        """Write to ``out``, a terminal."""
        super().__init__()
        self._out = out

    def write(self, text: str) -> int:
        """Write ``text`` without its control characters (newline and tab are kept)."""
        self._out.write(for_terminal(text))
        return len(text)

    def flush(self) -> None:
        """Flush the terminal's stream."""
        self._out.flush()

    def isatty(self) -> bool:
        """A terminal, always."""
        return True


def data_stream(out: IO[str], *, styled: bool = False) -> IO[str]:
    """Return where a command writes its data: ``out``, made safe when it is a terminal.

    ``styled`` output (a Rich view) escapes users' text itself and needs its
    own control characters for colour, so it gets ``out`` unchanged.
    """
    if styled or not out.isatty():
        return out
    return cast("IO[str]", TerminalText(out))  # a text stream; typeshed's IO is a protocol apart


def strip_trailing_spaces(text: str) -> str:
    """Return ``text`` with the spaces (and tabs) at the end of every line removed."""
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


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
    console.print(f"[bold red]error:[/] {escape(for_terminal(message))}")
    if hint:
        console.print(f"[yellow]hint:[/] {escape(for_terminal(hint))}")


def print_warning(message: str) -> None:
    """Print a warning to stderr."""
    from rich.markup import escape

    stderr_console().print(f"[yellow]warning:[/] {escape(for_terminal(message))}")


def print_info(message: str) -> None:
    """Print a plain line (a summary, a confirmation) to stderr, control characters dropped."""
    stderr_console().print(for_terminal(message), markup=False, highlight=False)


def print_wrote(path: object) -> None:
    """Say on stderr that a file was written, the same way for every ``--output``.

    A control character in the name is shown as an escape, not dropped, so the
    name printed is the file's own.
    """
    print_info(f"wrote {visible(str(path))}")

"""The typer application, the single error handler, and the entry point.

Command modules register themselves on :data:`app`; :func:`handled` turns a
:class:`~svcdiag.errors.SvcdiagError` into a message on stderr and its exit
code, so no command decides exit codes or prints errors itself.
"""

import errno
import functools
import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

from svcdiag import __version__
from svcdiag.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_USAGE, SvcdiagError

#: ``--evidence FILE`` (repeatable), shared by assess and report.
EvidenceOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--evidence",
        "-e",
        metavar="FILE",
        help="Attach a result saved by 'svcdiag nps', 'svcdiag variation' or 'svcdiag "
        "trend' (yaml or json); the diagnosis weighs it beside the answers. Repeat for several.",
    ),
]

P = ParamSpec("P")
R = TypeVar("R")


#: typer's message for a value outside a choice, once pydantic's prefix is dropped.
_NOT_ONE_OF = re.compile(r"^(?P<value>'.*') is not one of (?P<choices>'.*')\.$", re.DOTALL)


def plain_option_error(message: str) -> str:
    """Word a bad option value the way svcdiag's own errors are worded.

    typer validates option values with pydantic and passes its wording on
    (``Value error, 'xml' is not one of 'rich', 'markdown'.``); the prefix is
    dropped and the choices are listed plainly: ``'xml' is not one of: rich,
    markdown``.
    """
    message = message.removeprefix("Value error, ")
    match = _NOT_ONE_OF.match(message)
    if match is None:
        return message
    choices = ", ".join(c.strip("'") for c in match.group("choices").split(", "))
    return f"{match.group('value')} is not one of: {choices}"


class Group(TyperGroup):
    """The command group: lists each command with its whole summary, never cut with '...'."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a bad option value is reported in plain words."""
        try:
            return super().invoke(ctx)
        except typer.BadParameter as err:
            err.message = plain_option_error(err.message)
            raise

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Write the command list, each summary wrapped rather than truncated."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                text = command.short_help or command.help or ""
                rows.append((name, " ".join(text.split("\n\n")[0].split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    name="svcdiag",
    cls=Group,
    help=(
        "Diagnose why customer service is poor: separate organisation-wide (system) "
        "causes from individual ones, check the ten benchmark characteristics of "
        "service-excellent organisations, and recommend a plan of interventions."
    ),
    invoke_without_command=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def handled(func: Callable[P, R]) -> Callable[P, R]:
    """Turn svcdiag errors into a message on stderr and a stable exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from svcdiag.assess.signals import interrupts_raised
        from svcdiag.console import print_error

        try:
            _check_text_arguments(kwargs)
            with interrupts_raised():  # SIGTERM, SIGHUP: cleaned up and reported as Ctrl-C
                result = func(*args, **kwargs)
                sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
                return result
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as err:  # a stream that cannot be written: stdout on a full disk...
            if err.errno not in _FULL_OR_LOST or err.filename is not None:
                raise
            _quiet_stdout()  # what it still holds would fail again at exit
            print_error(
                f"cannot write the output: {err.strerror}",
                "free some space where standard output goes, or name another place with --output",
            )
            raise typer.Exit(EXIT_USAGE) from None
        except SvcdiagError as err:
            print_error(err.message, err.hint)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            print_error("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


#: What Python makes of a command-line byte that is not UTF-8 (``surrogateescape``).
_NOT_UTF8 = re.compile("[\ud800-\udfff]")


def _check_text_arguments(values: dict[str, Any]) -> None:
    r"""Refuse a text option or argument holding bytes that are not UTF-8.

    Python keeps such a byte as a lone surrogate, which no YAML or JSON file
    can hold: a name given this way would be written where nothing reads it
    back (YAML's ``\uDCFF`` is refused on reading), or stop the command half
    way. Paths are not text: a file of any name can still be read.
    """
    from svcdiag.errors import UsageError

    for value in values.values():
        texts = value if isinstance(value, (list, tuple)) else [value]
        bad = next((t for t in texts if isinstance(t, str) and _NOT_UTF8.search(t)), None)
        if bad is not None:
            raise UsageError(
                f"the command line holds '{_bytes_shown(bad)}', which is not UTF-8 text; "
                "nothing was done",
                hint="type it again in a UTF-8 terminal, or set LANG to a UTF-8 locale",
            )


def _bytes_shown(text: str) -> str:
    r"""``text`` with each byte that is not UTF-8 shown as an escape (``Bad\xff``)."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


#: Why a stream (stdout, as files are named when they fail) cannot be written:
#: the disk or quota is full, the file too large, the device gone.
_FULL_OR_LOST = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _quiet_stdout() -> None:
    """Point stdout at the null device: its reader is gone (``| head``).

    Nothing is said: the reader took what it wanted. Python would otherwise
    fail again flushing what is left at exit, and say so on stderr.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will be flushed to a pipe


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svcdiag {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Diagnose why customer service is poor."""
    if ctx.invoked_subcommand is None:  # plain `svcdiag`: the help, and success
        typer.echo(ctx.get_help())
        raise typer.Exit()


def main() -> None:
    """Entry point of the ``svcdiag`` console script."""
    app()

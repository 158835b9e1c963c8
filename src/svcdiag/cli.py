"""Command-line interface: one thin function per command.

Each command parses its options, calls one core function, hands the result to
a renderer and lets :func:`_handled` turn a :class:`SvcdiagError` into a
message and an exit code. Heavy modules are imported inside the commands so
that ``svcdiag --help`` and ``svcdiag lint`` start fast.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from svcdiag import __version__
from svcdiag.errors import EXIT_INTERRUPTED, SvcdiagError
from svcdiag.report.formats import ReportFormat

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="svcdiag",
    help=(
        "Diagnose why customer service is poor: separate organisation-wide (system) "
        "causes from individual ones, check the ten benchmark characteristics of "
        "service-excellent organisations, and recommend a plan of interventions."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _handled(func: Callable[P, R]) -> Callable[P, R]:
    """Turn svcdiag errors into a message on stderr and a stable exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from svcdiag.console import print_error

        try:
            return func(*args, **kwargs)
        except SvcdiagError as err:
            print_error(err.message, err.hint)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            print_error("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svcdiag {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Diagnose why customer service is poor."""


@app.command()
@_handled
def report(
    findings: Annotated[
        Path,
        typer.Argument(help="A findings file saved by 'svcdiag assess'.", show_default=False),
    ],
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="rich: the terminal layout; markdown: for client documents; yaml and "
            "json: the full findings.",
        ),
    ] = ReportFormat.rich,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --output file if it exists.")
    ] = False,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            "-q",
            help="Recompute with this questionnaire (shipped id or path) instead of the one "
            "the findings name.",
        ),
    ] = None,
) -> None:
    """Re-render a findings file, recomputing the diagnosis from its answers.

    Warns on stderr when the questionnaire has changed since the findings were made.
    """
    from svcdiag.atomicio import write_new
    from svcdiag.console import print_warning, stdout_report_style
    from svcdiag.report.formats import RenderOptions, render
    from svcdiag.report.source import recompute

    result = recompute(findings, questionnaire)
    for warning in result.warnings:
        print_warning(warning)
    if output is not None:
        write_new(output, render(result.findings, fmt, RenderOptions()), force=force)
        return
    width, color = stdout_report_style()
    typer.echo(render(result.findings, fmt, RenderOptions(width=width, color=color)), nl=False)


def main() -> None:
    """Entry point of the ``svcdiag`` console script."""
    app()

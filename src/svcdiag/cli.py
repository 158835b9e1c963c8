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
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from svcdiag import __version__
from svcdiag.errors import EXIT_INTERRUPTED, EXIT_PROBLEMS, SvcdiagError
from svcdiag.lint.formats import LintFormat
from svcdiag.report.formats import ReportFormat
from svcdiag.schema import SchemaKind

if TYPE_CHECKING:
    from rich.table import Table

    from svcdiag.listing import QuestionnaireSummary

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
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Questionnaire or catalogue files, or folders to search for *.yaml. "
            "None: the shipped questionnaires.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        LintFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: path:line:col: CODE message; json: for tools; github: workflow "
            "annotations.",
        ),
    ] = LintFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings as well as errors.")
    ] = False,
) -> None:
    """Check questionnaire definitions like a code linter.

    Reports every problem at once, each with its file, line, column and a
    stable rule code (see the README for the list). Exit status: 0 clean
    (warnings allowed unless --strict), 1 problems found, 2 usage error or
    unreadable path.
    """
    from svcdiag.lint.output import RENDERERS
    from svcdiag.lint.output.text import summary
    from svcdiag.lint.runner import lint_paths

    report = lint_paths(paths)
    typer.echo(RENDERERS[output_format](report), nl=False)
    if output_format is LintFormat.text:
        typer.echo(summary(report), err=True)
    if report.failed(strict):
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
@_handled
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="Which file format.")
    ] = SchemaKind.questionnaire,
) -> None:
    """Print the JSON Schema of a file format (questionnaire by default).

    Point your editor at it for completion and checks while you write a
    questionnaire: first line '# yaml-language-server: $schema=PATH'.
    """
    from svcdiag.export import to_json
    from svcdiag.schema import json_schema

    typer.echo(to_json(json_schema(kind)), nl=False)


@app.command("list")
@_handled
def list_command(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Also list the questionnaires in this folder."),
    ] = None,
) -> None:
    """List the questionnaires you can run: id, title, version, question count."""
    from svcdiag.console import stdout_console
    from svcdiag.listing import list_questionnaires

    stdout_console().print(_questionnaire_table(list_questionnaires(directory)))


def _questionnaire_table(rows: list[QuestionnaireSummary]) -> Table:
    from rich.table import Table

    table = Table(title="Questionnaires", title_justify="left")
    for column in ("id", "title", "version", "questions", "source"):
        table.add_column(column, justify="right" if column == "questions" else "left")
    for row in rows:
        title = row.title if row.problem is None else f"[red]{row.problem}[/]"
        table.add_row(row.id, title, row.version, str(row.questions), row.source)
    return table


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

"""Commands about questionnaire definitions: lint, schema, list."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from svcdiag.cli.app import app, handled
from svcdiag.definitions.schema import SchemaKind
from svcdiag.errors import EXIT_PROBLEMS
from svcdiag.lint.formats import LintFormat

if TYPE_CHECKING:
    from rich.table import Table

    from svcdiag.definitions.listing import QuestionnaireSummary


@app.command()
@handled
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
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
    if report.skipped:
        from svcdiag.console import print_warning
        from svcdiag.textsafe import visible

        for note in report.skipped:
            print_warning(visible(note))
    typer.echo(RENDERERS[output_format](report), nl=False)
    if output_format is LintFormat.text:
        typer.echo(summary(report), err=True)
    if report.failed(strict):
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
@handled
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help=f"Which file format: {', '.join(k.value for k in SchemaKind)}.",
            autocompletion=lambda: [k.value for k in SchemaKind],
        ),
    ] = SchemaKind.questionnaire.value,
) -> None:
    """Print the JSON Schema of a file format (questionnaire by default).

    Point your editor at it for completion and checks while you write a
    questionnaire: first line '# yaml-language-server: $schema=PATH'.
    """
    from svcdiag.definitions.schema import json_schema
    from svcdiag.errors import UsageError
    from svcdiag.serialise import to_json

    kinds = [k.value for k in SchemaKind]
    if kind not in kinds:
        raise UsageError(f"unknown kind {kind!r}; one of: {', '.join(kinds)}")
    typer.echo(to_json(json_schema(SchemaKind(kind))), nl=False)


@app.command("list")
@handled
def list_command(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Also list the questionnaires in this folder."),
    ] = None,
) -> None:
    """List the questionnaires you can run: id, title, version, question count."""
    from svcdiag.console import print_data, print_warning
    from svcdiag.definitions.listing import list_questionnaires

    rows = list_questionnaires(directory)
    for row in rows:
        if row.problem is not None:
            print_warning(f"{row.source}: left out, {row.problem}")
    print_data(_questionnaire_table([r for r in rows if r.problem is None]))


def _questionnaire_table(rows: "list[QuestionnaireSummary]") -> "Table":
    from rich.table import Table
    from rich.text import Text

    from svcdiag.textsafe import for_terminal

    table = Table(title="Questionnaires", title_justify="left")
    for column in ("id", "title", "version", "questions", "source"):
        table.add_column(column, justify="right" if column == "questions" else "left")
    for row in rows:
        cells = (row.id, row.title, row.version, str(row.questions), row.source)
        table.add_row(*(Text(for_terminal(cell)) for cell in cells))
    return table

"""Staff surveys: ``svcdiag survey export`` and ``svcdiag survey import``."""

from pathlib import Path
from typing import Annotated

import typer

from svcdiag.cli.app import Group, app, handled
from svcdiag.survey.formats import ExportFormat, Platform

survey_app = typer.Typer(
    name="survey",
    cls=Group,
    help="Staff surveys: export a questionnaire as a form (XLSForm for ODK, KoboToolbox, "
    "Survey123; or a CSV template), and import the responses back into an engagement.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(survey_app, name="survey")


@survey_app.command("export")
@handled
def export(
    source: Annotated[
        str,
        typer.Argument(
            metavar="QUESTIONNAIRE|ENGAGEMENT_DIR",
            help="A shipped questionnaire id, a questionnaire file, or an engagement folder "
            "(its questionnaire, units and anonymity floor are used).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The file to write: FILE.xlsx for xlsform; FILE.csv for csv (its question "
            "list goes to FILE.questions.csv).",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsform: survey, choices and settings sheets; csv: a header of question "
            "ids plus a list of the questions and what each accepts. Default: the format "
            "the --output name ends in (.xlsx or .csv); one that contradicts it is refused.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
) -> None:
    """Write a questionnaire as a survey form for the platform the client uses.

    The form opens with a note on anonymity and asks the respondent's role
    (and unit, from the engagement); sections become groups, help texts
    hints, and each 'when' an equivalent 'relevant' expression.
    """
    from svcdiag.console import stderr_console
    from svcdiag.render.survey_text import export_summary
    from svcdiag.survey.exporting import export_survey

    result = export_survey(source, fmt, output, force=force)
    stderr_console().print(export_summary(result), end="", markup=False)


@survey_app.command("import")
@handled
def import_(
    engagement: Annotated[
        Path,
        typer.Argument(metavar="ENGAGEMENT_DIR", help="The engagement folder.", show_default=False),
    ],
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="The survey export: CSV or XLSX.", show_default=False),
    ],
    platform: Annotated[
        Platform | None,
        typer.Option(
            "--from",
            help="The export's layout; detected from the header when left out.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            "-m",
            help="YAML file mapping columns the names and texts do not: 'columns: {HEADER: "
            "question_id or ignore}' and 'values: {question_id: {VALUE: option_id}}'.",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            metavar="ROLE",
            help="The role of every respondent whose row gives none (a survey sent to one "
            "group): board, manager, staff, frontline or customer.",
            show_default=False,
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="CSV field delimiter: one character, or 'tab'. Detected if not given.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import survey responses into an engagement, with the checks of an answers file.

    Valid rows go to a new file in the engagement's responses/ folder; rows
    with problems are kept out and listed, with every problem, in a rejects
    file beside the export (exit status 1). Rows already imported are
    skipped, so importing the same export twice adds nothing. Columns that
    could identify a respondent (e-mail, user name) are dropped unread.
    """
    from svcdiag.console import stderr_console
    from svcdiag.errors import DataError, UsageError
    from svcdiag.models.findings import Role
    from svcdiag.render.survey_text import import_summary
    from svcdiag.stats.csvsource import parse_delimiter
    from svcdiag.survey.importing import import_responses

    roles = [r.value for r in Role]
    if role is not None and role.strip().lower() not in roles:
        raise UsageError(f"--role {role!r} is not one of {', '.join(roles)}")
    result = import_responses(
        engagement,
        file,
        platform=platform,
        mapping_file=mapping,
        role=Role(role.strip().lower()) if role else None,
        delimiter=parse_delimiter(delimiter),
    )
    stderr_console().print(import_summary(result), end="", markup=False)
    if result.rejected:
        raise DataError(
            file,
            rejected_message(result.rejected, result.imported),
            hint=f"correct the rows in {result.rejects_file} and import that file the same "
            "way (its line and problems columns are left out)",
        )


def rejected_message(rejected: int, imported: int) -> str:
    """How many rows were rejected, and how many new ones imported all the same."""
    if imported == 0:
        others = "no new row was imported"
    elif imported == 1:
        others = "the other new row was imported"
    else:
        others = f"the other {imported} new rows were imported"
    return f"{rejected} row{'s were' if rejected > 1 else ' was'} rejected; {others}"

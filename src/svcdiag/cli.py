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
from svcdiag.stats.formats import OutputFormat

if TYPE_CHECKING:
    from rich.table import Table

    from svcdiag.assessment import Prompter
    from svcdiag.listing import QuestionnaireSummary
    from svcdiag.models.findings import Role
    from svcdiag.sessions import Session

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
    evidence: Annotated[
        list[Path] | None,
        typer.Option(
            "--evidence",
            "-e",
            metavar="FILE",
            help="Attach a result saved by 'svcdiag nps' or 'svcdiag variation' (yaml or "
            "json); the diagnosis weighs it beside the answers. Repeat for several.",
        ),
    ] = None,
) -> None:
    """Re-render a findings file, recomputing the diagnosis from its answers.

    Warns on stderr when the questionnaire has changed since the findings were made.
    """
    from svcdiag.atomicio import write_new
    from svcdiag.console import print_warning, stdout_report_style
    from svcdiag.report.formats import RenderOptions, render
    from svcdiag.report.source import read_data_evidence, recompute

    result = recompute(findings, questionnaire, read_data_evidence(evidence or []))
    for warning in result.warnings:
        print_warning(warning)
    if output is not None:
        write_new(output, render(result.findings, fmt, RenderOptions()), force=force)
        return
    width, color = stdout_report_style()
    typer.echo(render(result.findings, fmt, RenderOptions(width=width, color=color)), nl=False)


ROLES = "board, manager, staff, frontline, customer"


@app.command()
@_handled
def assess(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="QUESTIONNAIRE|SESSION",
            help="A shipped questionnaire id or the path of a questionnaire YAML file "
            "(default: diagnostic). With --resume: the session to continue, by id or the "
            "start of it (default: the latest).",
            show_default=False,
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE",
            help="Take answers from this YAML file (a findings file works too). In a "
            "terminal, questions it leaves out are asked; without one, every required "
            "answer must be there.",
        ),
    ] = None,
    defaults: Annotated[
        bool,
        typer.Option("--defaults", help="Accept the questionnaire's defaults without asking."),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an unfinished session at its first unanswered question: "
            "svcdiag assess --resume [SESSION].",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the findings here (default: ORGANISATION-DATE.findings.yaml in the "
            "current folder).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the findings file if it exists.")
    ] = False,
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", metavar="NAME", help="The client organisation."),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", metavar="ROLE", help=f"The respondent's role: {ROLES}."),
    ] = None,
    consultant: Annotated[
        str | None, typer.Option("--consultant", metavar="NAME", help="Your name.")
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="The report printed at the end: rich (terminal layout), markdown, or the "
            "full findings as yaml or json.",
        ),
    ] = ReportFormat.rich,
    evidence: Annotated[
        list[Path] | None,
        typer.Option(
            "--evidence",
            "-e",
            metavar="FILE",
            help="Attach a result saved by 'svcdiag nps' or 'svcdiag variation' (yaml or "
            "json); the diagnosis weighs it beside the answers. Repeat for several.",
        ),
    ] = None,
) -> None:
    """Run an assessment live, or from an answers file, and write the findings.

    Live: asks for the organisation and the respondent's role, then every
    question that applies, showing its help and your progress. Ctrl-B goes
    back, Ctrl-N adds a note. Every answer is saved at once; after Ctrl-C or a
    dropped connection, `svcdiag assess --resume` carries on where you were.
    The findings hold the diagnosis, and the report ends the run (on stdout).
    Exit status: 0 done, 2 bad or incomplete answers (nothing written),
    130 interrupted (answers saved).
    """
    from svcdiag.assess import AssessRequest, run_assess
    from svcdiag.completion import summary_lines
    from svcdiag.console import print_warning, stderr_console, stdout_report_style
    from svcdiag.report.formats import RenderOptions, render
    from svcdiag.report.source import analysed, attach, read_data_evidence
    from svcdiag.sessions import SessionStore

    data = read_data_evidence(evidence or [])  # checked before any question is asked

    request = AssessRequest(
        questionnaire=target,
        answers=answers,
        defaults=defaults,
        resume=resume,
        output=output,
        force=force,
        organisation=organisation,
        role=_role(role),
        consultant=consultant,
    )
    outcome = run_assess(
        request,
        store=SessionStore.default(),
        interactive=_has_terminal(),
        make_prompter=_prompter,
        warn=print_warning,
        enrich=lambda findings: analysed(attach(findings, data)),
    )
    width, color = stdout_report_style()
    typer.echo(render(outcome.findings, fmt, RenderOptions(width=width, color=color)), nl=False)
    console = stderr_console()
    for line in summary_lines(outcome.summary, outcome.path):
        console.print(line, markup=False)


def _role(value: str | None) -> Role | None:
    from svcdiag.errors import UsageError
    from svcdiag.models.findings import Role

    if value is None:
        return None
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise UsageError(f"--role {value!r} is not one of {ROLES}") from None


def _has_terminal() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _prompter() -> Prompter:
    from svcdiag.prompting import QuestionaryPrompter

    return QuestionaryPrompter()


CsvFile = Annotated[
    Path,
    typer.Argument(
        help="CSV file with a header line (UTF-8; comma, semicolon, tab or | separated).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="rich: tables for the terminal; json, yaml, csv: data for other programs.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Also write the result to this file (yaml, json or csv, from --format or the "
        "file name). A YAML result can be attached as evidence to a diagnosis.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the --output file if it exists.")
]
DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        help="Field delimiter: one character, or 'tab'. Detected from the header if not given.",
        show_default=False,
    ),
]


def _emit(result: object, fmt: OutputFormat, output: Path | None, force: bool) -> None:
    import sys

    from svcdiag.console import stderr_console
    from svcdiag.stats.formats import emit
    from svcdiag.stats.results import NpsResult, VariationResult

    assert isinstance(result, NpsResult | VariationResult)
    emit(result, fmt, sys.stdout, output=output, force=force)
    if output is not None:
        stderr_console().print(f"wrote {output}", markup=False)


@app.command()
@_handled
def sessions(
    delete: Annotated[
        str | None,
        typer.Option("--delete", metavar="ID", help="Delete this unfinished session (asks first)."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """List unfinished assessments, or delete one.

    Sessions are saved after every answer in the svcdiag data folder
    ($SVCDIAG_HOME, or your platform's user data folder), readable by you only.
    Continue one with: svcdiag assess --resume ID.
    """
    from svcdiag.console import print_warning, stderr_console, stdout_console
    from svcdiag.errors import UsageError
    from svcdiag.sessions import SessionStore

    store = SessionStore.default()
    if delete is None:
        found, damaged = store.sessions()
        for problem in damaged:
            print_warning(problem.message)
        if not found:
            stderr_console().print(f"No unfinished sessions in {store.directory}.", markup=False)
            return
        stdout_console().print(_sessions_table(found))
        return
    session = store.load(delete)
    if not yes:
        question = (
            f"Delete session {session.id} ({session.organisation or 'no organisation yet'}, "
            f"{len(session.answers)} answers)? This cannot be undone"
        )
        try:
            confirmed = typer.confirm(question, default=False, err=True)
        except typer.Abort:
            raise UsageError(
                "no reply to the confirmation", hint="pass --yes to delete without asking"
            ) from None
        if not confirmed:
            stderr_console().print("Nothing deleted.", markup=False)
            return
    path = store.delete(session.id)
    stderr_console().print(f"Deleted session {session.id} ({path}).", markup=False)


def _sessions_table(rows: list[Session]) -> Table:
    from rich.table import Table

    table = Table(title="Unfinished sessions", title_justify="left")
    for column in ("id", "organisation", "questionnaire", "progress", "last change"):
        table.add_column(column, overflow="fold")
    for session in rows:
        table.add_row(
            session.id,
            session.organisation or "-",
            session.questionnaire.id,
            f"{len(session.answers)}/{session.total} answered",
            session.updated.strftime("%Y-%m-%d %H:%M"),
        )
    return table


@app.command()
@_handled
def nps(
    file: CsvFile,
    column: Annotated[
        str | None,
        typer.Option(
            "--column",
            "-c",
            help="Column of 0-10 answers. Default: the only column, or one named nps, score, "
            "nps_score, rating, recommend or likelihood_to_recommend.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Column to group by (branch, team, channel): NPS per group, flagging groups "
            "whose interval lies wholly above or below the overall NPS.",
            show_default=False,
        ),
    ] = None,
    confidence: Annotated[
        float,
        typer.Option(help="Coverage of the intervals, 0.5 to 0.999 (e.g. 0.90, 0.95, 0.99)."),
    ] = 0.95,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Skip rows whose answer is not an integer 0-10 (or whose group is empty) "
            "and count them, instead of stopping at the first.",
        ),
    ] = False,
    delimiter: DelimiterOption = None,
    fmt: FormatOption = OutputFormat.rich,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Net Promoter Score of a survey export, with its confidence interval.

    Counts promoters (9-10), passives (7-8) and detractors (0-6), and gives the
    NPS with its adjusted-Wald interval, overall and per --by group. The file
    is streamed, so exports of millions of rows are fine.
    """
    from svcdiag.stats.analysis import nps_from_csv

    analysis = nps_from_csv(
        file,
        column=column,
        by=by,
        confidence=confidence,
        skip_invalid=skip_invalid,
        delimiter=delimiter,
    )
    _warn(analysis.warnings)
    _emit(analysis.result, fmt, output, force)


def _warn(warnings: list[str]) -> None:
    from svcdiag.console import print_warning

    for warning in warnings:
        print_warning(warning)


@app.command()
@_handled
def variation(
    file: CsvFile,
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            "-u",
            help="Column naming the unit compared: agent, team or branch.",
            show_default=False,
        ),
    ],
    events: Annotated[
        str | None,
        typer.Option(
            "--events",
            help="Column counting events per row (e.g. complaints); needs --cases.",
            show_default=False,
        ),
    ] = None,
    cases: Annotated[
        str | None,
        typer.Option(
            "--cases",
            help="Column counting the cases the events happened among (e.g. contacts).",
            show_default=False,
        ),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            help="Column of a 0/1 outcome, one row per case (instead of --events/--cases).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(
            "--target",
            help="Rate to compare every unit with, as a proportion (0.05 = 5 %). "
            "Default: the pooled rate of all units.",
            show_default=False,
        ),
    ] = None,
    no_overdispersion: Annotated[
        bool,
        typer.Option(
            "--no-overdispersion",
            help="Keep the plain binomial limits even when the units vary more than "
            "chance (phi); by default the limits are widened by tau squared then.",
        ),
    ] = False,
    delimiter: DelimiterOption = None,
    fmt: FormatOption = OutputFormat.rich,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Is the spread between agents, teams or branches one system's noise, or more?

    A funnel analysis (Spiegelhalter 2005): each unit's rate against limits at
    95 % and 99.8 % that narrow as its number of cases grows. All units inside
    the 99.8 % limits: common cause, look at the system. Units outside:
    special cause, look at what differs for them. Give either one row per unit
    (--events and --cases) or one row per case (--outcome).
    """
    from svcdiag.stats.analysis import variation_from_csv

    analysis = variation_from_csv(
        file,
        unit=unit,
        events=events,
        cases=cases,
        outcome=outcome,
        target=target,
        overdispersion=not no_overdispersion,
        delimiter=delimiter,
    )
    _warn(analysis.warnings)
    _emit(analysis.result, fmt, output, force)


def main() -> None:
    """Entry point of the ``svcdiag`` console script."""
    app()

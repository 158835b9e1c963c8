"""The live assessment: assess and sessions (the only commands that may prompt)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from svcdiag.cli.app import EvidenceOption, app, handled
from svcdiag.render.report_formats import ReportFormat

if TYPE_CHECKING:
    from rich.console import RenderableType

    from svcdiag.assess.interactive import Prompter
    from svcdiag.assess.sessions import Session
    from svcdiag.models.findings import Findings, Role


ROLES = "board, manager, staff, frontline, customer"


@app.command()
@handled
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
        bool,
        typer.Option(
            "--force",
            help="Replace the findings file if it exists. With --engagement: file answers "
            "that name another organisation all the same.",
        ),
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
            help="The report printed at the end: rich (terminal layout), markdown, the "
            "full findings as yaml or json, or the client report as html or pdf (pdf: "
            "redirect standard output to a file).",
        ),
    ] = ReportFormat.rich,
    evidence: EvidenceOption = None,
    engagement: Annotated[
        Path | None,
        typer.Option(
            "--engagement",
            metavar="DIR",
            help="An interview of this engagement: its questionnaire and organisation, "
            "the findings written to DIR/interviews/ under a new name.",
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            metavar="UNIT",
            help="The respondent's team or branch (a unit id of the engagement); asked in "
            "a terminal when the engagement has units.",
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
    3 a questionnaire or catalogue definition is invalid (svcdiag lint shows
    where), 130 interrupted (answers saved).
    """
    from svcdiag.assess.run import AssessRequest, run_assess
    from svcdiag.assess.sessions import SessionStore
    from svcdiag.console import print_info, print_warning, stdout_report_style
    from svcdiag.diagnosis.reanalyse import analysed, attach, read_data_evidence
    from svcdiag.render.closing import closing_lines
    from svcdiag.render.report_formats import RenderOptions, check_destination, render

    check_destination(fmt, to_stdout=True)  # a PDF needs WeasyPrint and a redirect
    if output is not None:  # --force replaces older findings, never a file read here
        from svcdiag.atomicio import check_not_input

        named = [Path(target)] if target and not resume else []
        check_not_input(output, [*([answers] if answers else []), *(evidence or []), *named])
    data = read_data_evidence(evidence or [])  # checked before any question is asked
    interactive = _has_terminal()
    if engagement is not None:
        ask = interactive and not answers
        target, organisation, output, unit = _engagement_interview(
            engagement,
            _EngagementOptions(target, organisation, output, unit, answers, force),
            resume=resume,
            ask=ask,
        )
        if ask and not resume and role is None:  # known before the session starts, so kept
            role = _ask_role()

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
        unit=unit,
        engagement=engagement,
    )
    outcome = run_assess(
        request,
        store=SessionStore.default(),
        interactive=interactive,
        make_prompter=_prompter,
        warn=print_warning,
        enrich=lambda findings: analysed(attach(_with_unit(findings, unit), data)),
        inform=print_info,
    )
    width, color = stdout_report_style()
    typer.echo(render(outcome.findings, fmt, RenderOptions(width=width, color=color)), nl=False)
    for line in closing_lines(outcome.findings, outcome.path):
        print_info(line)
    if engagement is not None:
        from svcdiag.engagement.commands import same_interviews

        for line in same_interviews(engagement, outcome.path):
            print_warning(line)


class _EngagementOptions(NamedTuple):
    """The options of ``assess`` an engagement interview checks or fills in."""

    target: str | None
    organisation: str | None
    output: Path | None
    unit: str | None
    answers: Path | None
    force: bool


def _engagement_interview(
    folder: Path, given: _EngagementOptions, *, resume: bool, ask: bool
) -> tuple[str | None, str | None, Path | None, str | None]:
    """The questionnaire, organisation, findings file and unit of an engagement interview.

    Answers naming another organisation are refused as ``engagement add``
    refuses them, unless --force.
    """
    from datetime import date

    from svcdiag.console import print_warning
    from svcdiag.engagement.commands import check_unit, interview_setup, read_engagement

    if resume:  # the session knows its questionnaire and findings file
        check_unit(read_engagement(folder), given.unit)
        return given.target, given.organisation, given.output, given.unit
    setup = interview_setup(
        folder,
        questionnaire=given.target,
        organisation=given.organisation,
        output=given.output,
        unit=given.unit,
        day=date.today(),
        answers=given.answers,
        force=given.force,
    )
    for line in setup.warnings:
        print_warning(line)
    unit = given.unit
    if unit is None and ask and setup.units:
        unit = _ask_unit(setup.units)
    return setup.questionnaire, setup.organisation, setup.output, unit


def _ask_unit(units: dict[str, str]) -> str | None:
    from svcdiag.errors import UsageError

    listed = "\n".join(f"  {uid}: {name}" for uid, name in units.items())
    typer.echo(f"Units of this engagement:\n{listed}", err=True)
    for _ in range(3):
        try:
            answer = str(
                typer.prompt("The respondent's unit (or none)", default="none", err=True)
            ).strip()
        except typer.Abort:
            raise UsageError("no unit given", hint="pass --unit UNIT") from None
        if answer == "none" or answer in units:
            return None if answer == "none" else answer
        typer.echo(f"{answer!r} is not one of: {', '.join(units)}, none", err=True)
    raise UsageError("no valid unit given", hint=f"pass --unit with one of: {', '.join(units)}")


def _ask_role() -> str:
    from svcdiag.errors import UsageError
    from svcdiag.models.findings import Role

    roles = [r.value for r in Role]
    for _ in range(3):
        try:
            answer = str(typer.prompt(f"The respondent's role ({ROLES})", err=True)).strip()
        except typer.Abort:
            raise UsageError("no role given", hint="pass --role ROLE") from None
        if answer.lower() in roles:
            return answer.lower()
        typer.echo(f"{answer!r} is not one of: {ROLES}", err=True)
    raise UsageError("no valid role given", hint=f"pass --role with one of: {ROLES}")


def _with_unit(findings: "Findings", unit: str | None) -> "Findings":
    if unit is None:
        return findings
    respondent = findings.respondent.model_copy(update={"unit": unit})
    return findings.model_copy(update={"respondent": respondent})


def _role(value: str | None) -> "Role | None":
    from svcdiag.errors import UsageError
    from svcdiag.models.findings import Role

    if value is None:
        return None
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise UsageError(f"--role {value!r} is not one of {ROLES}") from None


def _has_terminal() -> bool:
    """A keyboard, and a terminal to draw on (stdout may be piped: prompts go to stderr)."""
    import sys

    return sys.stdin.isatty() and (sys.stdout.isatty() or sys.stderr.isatty())


def _prompter() -> "Prompter":
    from svcdiag.assess.prompting import QuestionaryPrompter

    return QuestionaryPrompter.on_terminal()


@app.command()
@handled
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
    from svcdiag.assess.sessions import SessionStore
    from svcdiag.console import print_data, print_info, print_warning, stdout_console
    from svcdiag.errors import UsageError
    from svcdiag.textsafe import for_terminal

    store = SessionStore.default()
    if delete is None:
        found, damaged = store.sessions()
        for problem in damaged:
            print_warning(problem.message + (f"\n  {problem.hint}" if problem.hint else ""))
        if not found:
            print_info(f"No unfinished sessions in {store.directory}.")
            return
        print_data(_sessions_view(found, stdout_console().width))
        return
    session_id, session = store.find(delete)
    store.check_deletable(session_id)  # a file svcdiag did not write is refused before asking
    if not yes:
        if isinstance(session, Exception):
            what = f"the damaged session file {store.path(session_id)}"
        else:
            organisation = for_terminal(session.organisation or "no organisation yet")
            count = len(session.answers)
            answers = f"{count} answer{'' if count == 1 else 's'}"
            what = f"session {session_id} ({organisation}, {answers})"
        question = f"Delete {what}? This cannot be undone"
        try:
            confirmed = typer.confirm(question, default=False, err=True)
        except typer.Abort:
            raise UsageError(
                "no reply to the confirmation", hint="pass --yes to delete without asking"
            ) from None
        if not confirmed:
            print_info("Nothing deleted.")
            return
    path = store.delete(session_id)
    print_info(f"Deleted session {session_id} ({path}).")


def _sessions_view(rows: "list[Session]", width: int) -> "RenderableType":
    """The sessions as a table when it fits ``width``, else one block per session.

    The id is copied for --resume and --delete and headers are words: neither
    is ever broken; the organisation and the questionnaire fold when space is short.
    """
    from rich import box
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from svcdiag.textsafe import for_terminal

    id_width = len(max((s.id for s in rows), key=len))
    headers = ("organisation", "questionnaire", "answers", "2026-01-01 00:00")
    if id_width + sum(map(len, headers)) + 2 * len(headers) > width:
        blocks: list[RenderableType] = [Text("Unfinished sessions")]
        for session in rows:
            blocks.append(Text(session.id, overflow="ignore", no_wrap=True))
            details = (
                f"{session.organisation or '-'}, {session.questionnaire.id}, "
                f"{len(session.answers)}/{session.total} answered, changed "
                f"{session.updated:%Y-%m-%d %H:%M}"
            )
            blocks.append(Padding(Text(for_terminal(details)), (0, 0, 0, 2)))
        return Group(*blocks)
    table = Table(
        title="Unfinished sessions",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("organisation", overflow="fold", min_width=len("organisation"))
    table.add_column("questionnaire", overflow="fold", min_width=len("questionnaire"))
    table.add_column("answers", no_wrap=True, justify="right")
    table.add_column("changed", no_wrap=True, min_width=len("2026-01-01 00:00"))
    for session in rows:
        table.add_row(
            session.id,
            Text(for_terminal(session.organisation or "-")),
            Text(for_terminal(session.questionnaire.id)),
            f"{len(session.answers)}/{session.total}",
            f"{session.updated:%Y-%m-%d %H:%M}",
        )
    return table

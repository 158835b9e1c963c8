"""``svcdiag assess`` from start to finish, as one function the command calls.

:func:`run_assess` loads the questionnaire, collects answers from a file,
defaults and options, asks the rest through a prompter when there is a
terminal (starting or resuming a saved session), and finishes by writing the
findings. It never imports the prompting library itself: the command passes
a factory that builds the prompter only when one is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from svcdiag.assess.answers import answer_problems
from svcdiag.assess.answers_file import read_answers_file
from svcdiag.assess.batch import Collected, collect, missing_error
from svcdiag.assess.finish import DEFAULT_FINDINGS, findings_target, finish, in_engagement
from svcdiag.assess.flow import Flow
from svcdiag.assess.interactive import Assessment, Prompter, now, run_interactive
from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.atomicio import check_not_input, check_target
from svcdiag.definitions.loading import Loaded, definition_files, load_questionnaire
from svcdiag.errors import InputFileError, OverwriteError, UsageError
from svcdiag.models.findings import Findings, Respondent, Role
from svcdiag.source.resources import DEFAULT_QUESTIONNAIRE


@dataclass(frozen=True)
class AssessRequest:
    """What the command line asked for."""

    questionnaire: str | None = None
    answers: Path | None = None
    defaults: bool = False
    resume: bool = False
    output: Path | None = None
    force: bool = False
    organisation: str | None = None
    role: Role | None = None
    consultant: str | None = None
    unit: str | None = None  # an engagement unit id (svcdiag assess --engagement)
    engagement: Path | None = None  # the engagement folder (svcdiag assess --engagement)

    def fixed(self) -> frozenset[str]:
        """The details given as options, never asked."""
        given = {
            "organisation": self.organisation,
            "role": self.role,
            "consultant": self.consultant,
        }
        return frozenset(k for k, v in given.items() if v is not None)


@dataclass(frozen=True)
class AssessOutcome:
    """A finished assessment: the findings, where they were written, and counts."""

    findings: Findings
    path: Path
    loaded: Loaded


def run_assess(
    request: AssessRequest,
    *,
    store: SessionStore,
    interactive: bool,
    make_prompter: Callable[[], Prompter],
    warn: Callable[[str], None],
    enrich: Callable[[Findings], Findings] | None = None,
    inform: Callable[[str], None] | None = None,
) -> AssessOutcome:
    """Run one assessment (see the module docstring); return its outcome.

    ``warn`` receives warnings, ``inform`` plain notes (which definition or
    session is used); both go to the user on stderr.

    Raises:
        UsageError: Conflicting options, or no terminal and nothing to answer with.
        AnswerError: Invalid or (without a terminal) incomplete answers.
        Interrupted: The consultant or the system stopped an interactive run.
        OverwriteError: The findings file exists and ``force`` is false.
    """
    tell = inform or (lambda _message: None)
    if store.notify is None:
        store.notify = warn
    if request.resume:
        return _resume(request, store, interactive, make_prompter, warn, enrich, tell)
    # the questionnaire first: "no questionnaire nosuch" says more than "no terminal"
    loaded = load_questionnaire(request.questionnaire or DEFAULT_QUESTIONNAIRE)
    _say_definition(loaded, tell)
    if not interactive and request.answers is None and not request.defaults:
        raise UsageError(
            "no terminal to ask the questions in",
            hint="run svcdiag assess in a terminal, or answer from a file: svcdiag assess "
            "QUESTIONNAIRE --answers FILE [--defaults] (see the README for its shape)",
        )
    flow = Flow(loaded.questionnaire)
    given = read_answers_file(request.answers) if request.answers is not None else None
    if given is not None and given.questionnaire_id not in (None, loaded.questionnaire.id):
        warn(
            f"{given.path} holds findings of questionnaire {given.questionnaire_id}; "
            f"checking its answers against {loaded.questionnaire.id}"
        )
    collected = collect(
        flow,
        given,
        defaults=request.defaults,
        organisation=request.organisation,
        role=request.role,
        consultant=request.consultant,
        unit=request.unit,
    )
    for question_id in collected.dropped:
        warn(f"answer to {question_id} ignored: the question does not apply to these answers")
    started = now()
    session = _new_session(store, loaded, collected, request, started)
    if not interactive:
        if collected.missing_lines():
            raise missing_error(
                str(given.path if given else "--defaults"),
                collected,
                from_file=given is not None,
                defaults=request.defaults,
            )
        session.details_complete = session.complete = True
        return _finish(session, flow, None, loaded, request, enrich)
    if request.output is not None:
        try:
            check_target(request.output, force=request.force, without_output=DEFAULT_FINDINGS)
        except OverwriteError as err:
            raise OverwriteError(
                err.message.replace("nothing was written", "nothing was asked"), hint=err.hint
            ) from None
    assessment = Assessment(session, flow, store)
    assessment.save()
    run_interactive(assessment, make_prompter(), fixed=request.fixed())
    return _finish(session, flow, store, loaded, request, enrich)


def _new_session(
    store: SessionStore,
    loaded: Loaded,
    collected: Collected,
    request: AssessRequest,
    started: datetime,
) -> Session:
    questionnaire = loaded.questionnaire
    ref = questionnaire.id if loaded.shipped else str(loaded.path.resolve())
    return Session(
        id=store.new_id(collected.organisation, started) if collected.organisation else "",
        questionnaire=SessionQuestionnaire(
            ref=ref,
            id=questionnaire.id,
            version=questionnaire.version,
            sha256=loaded.sha256,
            title=questionnaire.title,
        ),
        organisation=collected.organisation,
        respondent=collected.respondent,
        consultant=collected.consultant,
        started=started,
        updated=started,
        answers=collected.answers,
        notes=collected.notes,
        set_aside=collected.dropped,
        use_defaults=request.defaults,
        output=str(request.output) if request.output is not None else None,
        engagement=str(request.engagement) if request.engagement is not None else None,
    )


def _say_definition(loaded: Loaded, tell: Callable[[str], None]) -> None:
    """Name the definition file used when it is not a shipped questionnaire."""
    if not loaded.shipped:
        q = loaded.questionnaire
        tell(f"Using questionnaire '{q.id}' version {q.version} from {loaded.path}.")


def _resume(
    request: AssessRequest,
    store: SessionStore,
    interactive: bool,
    make_prompter: Callable[[], Prompter],
    warn: Callable[[str], None],
    enrich: Callable[[Findings], Findings] | None,
    tell: Callable[[str], None],
) -> AssessOutcome:
    if request.answers is not None or request.defaults:
        raise UsageError(
            "--resume carries on with a saved session; it cannot take --answers or --defaults"
        )
    session = store.load(request.questionnaire) if request.questionnaire else store.latest()
    loaded = load_questionnaire(session.questionnaire.ref)
    tell(
        f"Resuming session {session.id} ({session.organisation or 'no organisation yet'}, "
        f"{len(session.answers)} answer{'' if len(session.answers) == 1 else 's'} so far)."
    )
    _say_definition(loaded, tell)
    flow = Flow(loaded.questionnaire)
    if loaded.sha256 != session.questionnaire.sha256:
        _adapt_to_changed_definition(session, loaded, flow, warn)
    else:
        _set_aside_refused(session, loaded, flow, warn)
    for key in ("organisation", "consultant"):
        if getattr(request, key) is not None:
            setattr(session, key, getattr(request, key))
    if request.role is not None:
        name = session.respondent.name if session.respondent else None
        unit = session.respondent.unit if session.respondent else None
        session.respondent = Respondent(role=request.role, name=name, unit=unit)
    if request.unit is not None and session.respondent is not None:
        session.respondent = session.respondent.model_copy(update={"unit": request.unit})
    if request.output is not None:
        session.output = str(request.output)
    if request.engagement is not None:
        session.engagement = str(request.engagement)
    assessment = Assessment(session, flow, store)
    if not session.complete or flow.next_open(session.answers, session.skipped):
        if not interactive:
            raise UsageError(
                f"session {session.id} has questions left and there is no terminal to ask them",
                hint=f"run `{store.resume_command(session.id)}` in a terminal",
            )
        assessment.save()
        run_interactive(assessment, make_prompter(), fixed=request.fixed())
    return _finish(session, flow, store, loaded, request, enrich)


def _set_aside_refused(
    session: Session,
    loaded: Loaded,
    flow: Flow,
    warn: Callable[[str], None],
    *,
    always: bool = False,
) -> None:
    """Set aside the saved answers the questionnaire refuses, to be asked again.

    A session file edited by hand (or damaged) may hold an answer of 99 to a
    1-5 statement; it must not reach the findings. A question set aside is
    open again, so it is asked before the findings are written. Unless
    ``always``, the answers are left exactly as they are when all are valid.
    """
    valid, problems = answer_problems(loaded.questionnaire, session.answers)
    if not problems and not always:
        return
    for problem in problems:
        warn(f"set aside, to be asked again: {problem}")
    invalid = {k: v for k, v in session.answers.items() if k not in valid}
    pruned = flow.prune(valid)
    session.set_aside.update({**invalid, **pruned.dropped})
    session.answers = pruned.answers


def _adapt_to_changed_definition(
    session: Session, loaded: Loaded, flow: Flow, warn: Callable[[str], None]
) -> None:
    """Re-check saved answers against a questionnaire that changed since the start."""
    warn(
        f"questionnaire {loaded.questionnaire.id} changed since session {session.id} started "
        f"(version {session.questionnaire.version} -> {loaded.questionnaire.version}); "
        "saved answers are checked again"
    )
    _set_aside_refused(session, loaded, flow, warn, always=True)
    for question_id, note in session.notes.items():
        if question_id not in flow.by_id:
            warn(f"question {question_id} no longer exists; its note was: {note}")
    session.notes = {k: v for k, v in session.notes.items() if k in flow.by_id}
    session.skipped = [q for q in session.skipped if q in flow.by_id]
    session.complete = False
    session.questionnaire = session.questionnaire.model_copy(
        update={"sha256": loaded.sha256, "version": loaded.questionnaire.version}
    )


def _finish(
    session: Session,
    flow: Flow,
    store: SessionStore | None,
    loaded: Loaded,
    request: AssessRequest,
    enrich: Callable[[Findings], Findings] | None,
) -> AssessOutcome:
    finished = now()
    path = findings_target(session, request.output, force=request.force, day=finished.date())
    folder = request.engagement or (Path(session.engagement) if session.engagement else None)
    path = in_engagement(path, folder)
    try:
        check_not_input(path, definition_files(loaded))  # not even with --force
    except OverwriteError as err:
        if store is None:
            raise
        raise OverwriteError(
            f"{err.message}; your answers are safe in session {session.id}",
            hint=f"finish with: {store.resume_command(session.id)} --output OTHER.findings.yaml",
        ) from None
    try:
        findings = finish(
            session, flow, store, path=path, force=request.force, finished=finished, enrich=enrich
        )
    except (OverwriteError, InputFileError) as err:
        if store is None:
            raise
        safe = f"; your answers are safe in session {session.id}"
        hint = (
            f"finish with: {store.resume_command(session.id)} --output OTHER.findings.yaml"
            " (or add --force to replace the file)"
        )
        if isinstance(err, InputFileError):
            raise InputFileError(err.path, err.detail + safe, hint=hint) from None
        raise OverwriteError(err.message + safe, hint=hint) from None
    return AssessOutcome(findings, path, loaded)

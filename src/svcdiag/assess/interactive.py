"""The interactive assessment: ask, record, save after every change, go back, take notes.

:func:`run_interactive` drives a :class:`Prompter` (the questionary one in
:mod:`svcdiag.assess.prompting`, or a fake in tests) through the applicable questions
of a :class:`~svcdiag.assess.flow.Flow`. :class:`Assessment` records each answer,
note and skip, drops the answers a change makes inapplicable (keeping them
aside in the session, to offer again if the question comes back), and saves
the session atomically after every change.

Going back returns to the previous applicable question with its answer
pre-selected; after answering it the consultant returns to the first question
still open, normally where they left off. Ctrl-C, SIGTERM, SIGHUP and a
closed terminal (EOF) save the session and raise
:class:`~svcdiag.errors.Interrupted` whose hint is the exact resume command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Protocol

from svcdiag.assess import signals
from svcdiag.assess.answers import validate_answer
from svcdiag.assess.flow import Flow, Progress
from svcdiag.assess.sessions import Session, SessionStore
from svcdiag.errors import AnswerError, Interrupted
from svcdiag.models.findings import AnswerValue, Respondent, Role
from svcdiag.models.questionnaire import Question


class Nav(Enum):
    """A reply that is not an answer: a key or menu entry the consultant chose."""

    BACK = "back"
    NOTE = "note"
    SKIP = "skip"


class Prompter(Protocol):
    """What the assessment needs from a user interface."""

    def ask_organisation(self, default: str | None) -> str | Nav:
        """Ask for the client organisation (required)."""

    def ask_role(self, default: Role | None) -> Role | Nav:
        """Ask for the respondent's role."""

    def ask_consultant(self, default: str | None) -> str | Nav | None:
        """Ask for the consultant's name (optional: None)."""

    def show_section(self, progress: Progress) -> None:
        """Announce the section ``progress.section`` as it starts."""

    def ask(
        self,
        question: Question,
        progress: Progress,
        current: AnswerValue | None,
        note: str | None,
    ) -> AnswerValue | Nav:
        """Ask ``question``; return the raw answer or a navigation reply."""

    def ask_note(self, question: Question, current: str | None) -> str | None:
        """Ask for a note on ``question``; None or empty text removes it."""

    def say(self, message: str) -> None:
        """Tell the consultant something (dropped answers, a refused value)."""


def now() -> datetime:
    """The current local time, to the second, with its UTC offset."""
    return datetime.now().astimezone().replace(microsecond=0)


class Assessment:
    """A session being answered: records every change and saves it at once."""

    def __init__(
        self,
        session: Session,
        flow: Flow,
        store: SessionStore | None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.session = session
        self.flow = flow
        self.store = store
        self.clock = clock

    def save(self) -> None:
        """Save the session atomically (a no-op without a store); signals wait.

        A new session gets its id (organisation and start time) at its first
        save, which comes once the organisation is known.
        """
        self.session.updated = self.clock()
        self.session.total = len(self.flow.applicable(self.session.answers))
        if self.store is None:
            return
        if not self.session.id:
            if not self.session.organisation:
                return  # nothing worth keeping yet
            self.session.id = self.store.new_id(self.session.organisation, self.session.started)
        with signals.deferred():
            self.store.save(self.session)

    def resume_command(self) -> str | None:
        """The command that continues this session, None before its first save."""
        if self.store is None or not self.session.id:
            return None
        return self.store.resume_command(self.session.id)

    def answer(self, question_id: str, value: AnswerValue) -> dict[str, AnswerValue]:
        """Record a validated answer, drop what no longer applies, save.

        Returns:
            The answers dropped because their condition no longer holds.
        """
        change = self.flow.set_answer(self.session.answers, question_id, value)
        self._apply(change.answers, change.dropped)
        self.session.set_aside.pop(question_id, None)
        if question_id in self.session.skipped:
            self.session.skipped.remove(question_id)
        self.save()
        return change.dropped

    def skip(self, question_id: str) -> dict[str, AnswerValue]:
        """Leave an optional question without an answer (clearing any), save."""
        change = self.flow.clear_answer(self.session.answers, question_id)
        self._apply(change.answers, change.dropped)
        if question_id not in self.session.skipped:
            self.session.skipped.append(question_id)
        self.save()
        return change.dropped

    def note(self, question_id: str, text: str | None) -> None:
        """Set (or with None/blank text, remove) the note on a question, save."""
        if text and text.strip():
            self.session.notes[question_id] = text.strip()
        else:
            self.session.notes.pop(question_id, None)
        self.session.notes = self.flow.ordered(self.session.notes)
        self.save()

    def _apply(self, answers: dict[str, AnswerValue], dropped: dict[str, AnswerValue]) -> None:
        self.session.answers = self.flow.ordered(answers)
        self.session.set_aside.update(dropped)
        for question_id in dropped:
            if question_id in self.session.skipped:
                self.session.skipped.remove(question_id)
        self.session.skipped = [
            q for q in self.session.skipped if self.flow.applies(self.flow.question(q), answers)
        ]

    def next_open(self, after: str | None = None) -> Question | None:
        """The next question waiting for an answer, None when all are done."""
        return self.flow.next_open(self.session.answers, self.session.skipped, after)

    def current_value(self, question: Question) -> AnswerValue | None:
        """What to pre-select: the answer, else a set-aside answer, else the default."""
        if question.id in self.session.answers:
            return self.session.answers[question.id]
        if question.id in self.session.set_aside:
            return self.session.set_aside[question.id]
        if question.default is None:
            return None
        try:
            return validate_answer(question, question.default)
        except AnswerError:
            return None

    def fill_default(self, question: Question) -> bool:
        """With ``use_defaults``, answer ``question`` with its default; True if done."""
        if not self.session.use_defaults or question.id in self.session.set_aside:
            return False
        default = self.flow.default_of(question)
        if default is None:
            return False
        self.answer(question.id, default)
        return True


def ask_details(
    assessment: Assessment,
    prompter: Prompter,
    *,
    fixed: frozenset[str] = frozenset(),
    everything: bool = False,
) -> bool:
    """Ask for the organisation, the respondent's role and the consultant.

    Only details not yet known are asked, once per session; with
    ``everything`` (going back from the first question) all are asked again,
    current values pre-filled. ``fixed`` names details given on the command
    line, which are never asked. Going back from a detail returns to the one
    before it.

    Returns:
        Whether anything was asked.
    """
    session = assessment.session
    if session.details_complete and not everything:
        return False
    known = {
        "organisation": bool(session.organisation),
        "role": session.respondent is not None,
        "consultant": session.consultant is not None,
    }
    wanted = [step for step in known if step not in fixed and (everything or not known[step])]
    index = 0
    while index < len(wanted):
        step = wanted[index]
        reply = _ask_detail(session, prompter, step)
        if reply is Nav.BACK:
            index = max(index - 1, 0)
            continue
        if reply is None:
            assessment.save()
            index += 1
    session.details_complete = True
    assessment.save()
    return bool(wanted)


def _ask_detail(session: Session, prompter: Prompter, step: str) -> Nav | None:
    """Ask one detail and store it; return a navigation reply, if any."""
    if step == "organisation":
        organisation = prompter.ask_organisation(session.organisation)
        if isinstance(organisation, Nav):
            return organisation
        session.organisation = organisation.strip()
    elif step == "role":
        role = prompter.ask_role(session.respondent.role if session.respondent else None)
        if isinstance(role, Nav):
            return role
        name = session.respondent.name if session.respondent else None
        unit = session.respondent.unit if session.respondent else None
        session.respondent = Respondent(role=role, name=name, unit=unit)
    else:
        consultant = prompter.ask_consultant(session.consultant)
        if isinstance(consultant, Nav):
            return consultant
        session.consultant = consultant.strip() if consultant and consultant.strip() else None
    return None


def run_interactive(
    assessment: Assessment,
    prompter: Prompter,
    *,
    fixed: frozenset[str] = frozenset(),
) -> Session:
    """Ask every open question of ``assessment``; return the completed session.

    Raises:
        Interrupted: On Ctrl-C, SIGTERM, SIGHUP or end of input; the session is
            saved first and the hint is the command that resumes it.
    """
    try:
        with signals.interrupts_raised():
            ask_details(assessment, prompter, fixed=fixed)
            _question_loop(assessment, prompter, fixed)
    except (KeyboardInterrupt, EOFError) as err:
        with signals.deferred():
            assessment.save()
        raise _interrupted(assessment, err) from None
    assessment.session.cursor = None
    assessment.session.complete = True
    assessment.save()
    return assessment.session


def _interrupted(assessment: Assessment, err: BaseException) -> Interrupted:
    cause = f" by {err.name}" if isinstance(err, signals.Terminated) else ""
    command = assessment.resume_command()
    if command is None:
        return Interrupted(f"interrupted{cause} before the first answer; nothing to save")
    answered = len(assessment.session.answers)
    return Interrupted(
        f"interrupted{cause}; nothing is lost: {answered} answer"
        f"{'' if answered == 1 else 's'} saved in session {assessment.session.id}",
        hint=f"resume with:\n  {command}",  # the command alone on its line: easy to copy
    )


def _question_loop(assessment: Assessment, prompter: Prompter, fixed: frozenset[str]) -> None:
    session = assessment.session
    flow = assessment.flow
    question = assessment.next_open()
    shown_section: str | None = None
    while question is not None:
        if question.id not in session.answers and assessment.fill_default(question):
            question = assessment.next_open(after=question.id)
            continue
        session.cursor = question.id
        progress = flow.progress(question.id, session.answers)
        if progress.section.id != shown_section:
            prompter.show_section(progress)
            shown_section = progress.section.id
        reply = prompter.ask(
            question, progress, assessment.current_value(question), session.notes.get(question.id)
        )
        if reply is Nav.BACK:
            previous = flow.previous(question.id, session.answers)
            if previous is not None:
                question = previous
            elif not ask_details(assessment, prompter, fixed=fixed, everything=True):
                prompter.say("This is the first question.")
            else:
                shown_section = None
            continue
        if reply is Nav.NOTE:
            text = prompter.ask_note(question, session.notes.get(question.id))
            assessment.note(question.id, text)
            continue
        if reply is Nav.SKIP:
            if question.required:
                prompter.say("This question needs an answer.")
                continue
            _tell_dropped(prompter, flow, assessment.skip(question.id))
        else:
            try:
                value = validate_answer(question, reply)
            except AnswerError as err:
                prompter.say(err.detail)
                continue
            _tell_dropped(prompter, flow, assessment.answer(question.id, value))
        question = assessment.next_open(after=question.id)


def _tell_dropped(prompter: Prompter, flow: Flow, dropped: dict[str, AnswerValue]) -> None:
    if not dropped:
        return
    ids = ", ".join(dropped)
    count = len(dropped)
    prompter.say(
        f"{count} earlier answer{'s' if count > 1 else ''} no longer appl"
        f"{'y' if count > 1 else 'ies'} and {'were' if count > 1 else 'was'} set aside: {ids}"
    )

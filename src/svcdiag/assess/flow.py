"""The order of an assessment: which question comes next, and what a change undoes.

:class:`Flow` is a pure engine over a questionnaire and a mapping of answers.
It never prompts, prints or saves; the interactive loop and the
non-interactive path both drive it.

* A question *applies* when it has no ``when`` or its ``when`` holds for the
  current answers.
* Changing an answer can make later conditions false. :meth:`Flow.prune`
  removes the answers of questions that no longer apply, repeatedly, until
  nothing changes, so a chain of dependent questions is undone completely.
* A question is *open* when it applies, has no answer and was not skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar

from svcdiag.assess.answers import validate_answer
from svcdiag.assess.conditions import evaluate, may_hold
from svcdiag.errors import AnswerError, DefinitionError
from svcdiag.models.findings import AnswerValue
from svcdiag.models.questionnaire import Question, Questionnaire, Section

V = TypeVar("V")


@dataclass(frozen=True)
class Progress:
    """Where a question stands: in which section, and k of n applicable questions."""

    section: Section
    section_number: int
    section_count: int
    number: int
    total: int


@dataclass(frozen=True)
class Change:
    """The answers after a change, and the answers it dropped (id -> old value)."""

    answers: dict[str, AnswerValue]
    dropped: dict[str, AnswerValue]


class Flow:
    """Navigate one questionnaire: applicability, order, progress and pruning."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.questions: list[Question] = questionnaire.questions()
        self.by_id: dict[str, Question] = {q.id: q for q in self.questions}
        self._position = {q.id: i for i, q in enumerate(self.questions)}
        self._section: dict[str, tuple[int, Section]] = {
            q.id: (number, section)
            for number, section in enumerate(questionnaire.sections, start=1)
            for q in section.questions
        }
        self._conditional = [q for q in self.questions if q.when is not None]

    def question(self, question_id: str) -> Question:
        """Return the question ``question_id`` (KeyError if there is none)."""
        return self.by_id[question_id]

    def applies(self, question: Question, answers: Mapping[str, AnswerValue]) -> bool:
        """Whether ``question`` is asked, given ``answers``."""
        return question.when is None or evaluate(question.when, answers)

    def applicable(self, answers: Mapping[str, AnswerValue]) -> list[Question]:
        """The questions that are asked, given ``answers``, in order."""
        return [q for q in self.questions if self.applies(q, answers)]

    def prune(self, answers: Mapping[str, AnswerValue]) -> Change:
        """Drop answers to questions that no longer apply, transitively."""
        kept = dict(answers)
        dropped: dict[str, AnswerValue] = {}
        changed = True
        while changed:
            changed = False
            for question in self._conditional:
                if question.id in kept and not self.applies(question, kept):
                    dropped[question.id] = kept.pop(question.id)
                    changed = True
        return Change(kept, dropped)

    def set_answer(
        self, answers: Mapping[str, AnswerValue], question_id: str, value: AnswerValue
    ) -> Change:
        """Return the answers with ``question_id`` set to ``value``, pruned."""
        updated = dict(answers)
        updated[question_id] = value
        return self.prune(updated)

    def clear_answer(self, answers: Mapping[str, AnswerValue], question_id: str) -> Change:
        """Return the answers without ``question_id``, pruned."""
        updated = {k: v for k, v in answers.items() if k != question_id}
        return self.prune(updated)

    def is_open(
        self, question: Question, answers: Mapping[str, AnswerValue], skipped: Collection[str]
    ) -> bool:
        """Whether ``question`` still waits for an answer."""
        return (
            question.id not in answers
            and question.id not in skipped
            and self.applies(question, answers)
        )

    def next_open(
        self,
        answers: Mapping[str, AnswerValue],
        skipped: Collection[str] = (),
        after: str | None = None,
    ) -> Question | None:
        """The first open question after ``after`` (else from the start); None when done."""
        start = self._position[after] + 1 if after is not None else 0
        for question in (*self.questions[start:], *self.questions[:start]):
            if self.is_open(question, answers, skipped):
                return question
        return None

    def previous(self, question_id: str, answers: Mapping[str, AnswerValue]) -> Question | None:
        """The applicable question just before ``question_id``; None at the start."""
        for question in reversed(self.questions[: self._position[question_id]]):
            if self.applies(question, answers):
                return question
        return None

    def progress(self, question_id: str, answers: Mapping[str, AnswerValue]) -> Progress:
        """Section and "question k of n" for ``question_id``.

        n counts the questions that apply or may still apply (their condition
        depends on questions not yet answered), so it never grows while the
        interview moves forward; it can only shrink as conditions are decided.
        """
        applicable = self.applicable(answers)
        position = self._position[question_id]
        number = sum(1 for q in applicable if self._position[q.id] < position) + 1
        pending = {q.id for q in self.questions[position:]}
        possible = [
            q
            for q in self.questions
            if q.id == question_id
            or q.when is None
            or may_hold(q.when, answers, pending) is not False
        ]
        total = max(len(possible), number)
        section_number, section = self._section[question_id]
        return Progress(section, section_number, len(self.questionnaire.sections), number, total)

    def missing_required(
        self, answers: Mapping[str, AnswerValue], skipped: Collection[str] = ()
    ) -> list[Question]:
        """Required questions that apply and have no answer."""
        return [
            q
            for q in self.applicable(answers)
            if q.required and q.id not in answers and q.id not in skipped
        ]

    def default_of(self, question: Question) -> AnswerValue | None:
        """The question's validated default, None when it has none.

        Raises:
            DefinitionError: The default does not fit the question.
        """
        if question.default is None:
            return None
        try:
            return validate_answer(question, question.default)
        except AnswerError as err:
            raise DefinitionError(
                f"questionnaire {self.questionnaire.id}: the default of question "
                f"{question.id} is invalid: {err.detail}",
                hint="fix the default in the questionnaire (svcdiag lint checks it)",
            ) from None

    def with_defaults(self, answers: Mapping[str, AnswerValue]) -> Change:
        """Answer every open question that has a default with it, in order.

        A default can make later questions apply; they receive their defaults
        in the same pass. ``dropped`` lists nothing but what pruning removed.
        """
        filled = dict(answers)
        for question in self.questions:
            if question.id in filled or question.default is None:
                continue
            if self.applies(question, filled):
                default = self.default_of(question)
                if default is not None:
                    filled[question.id] = default
        return self.prune(filled)

    def ordered(self, values: Mapping[str, V]) -> dict[str, V]:
        """``values`` (answers or notes) in questionnaire order; unknown ids last."""
        known = {q.id: values[q.id] for q in self.questions if q.id in values}
        known.update({k: v for k, v in values.items() if k not in known})
        return known

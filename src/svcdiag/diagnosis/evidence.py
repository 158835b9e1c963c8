"""Read answers as evidence: how healthy each answer shows the organisation to be.

Each real answer to a question that carries evidence gives one
:class:`Contribution` per evidence entry: a health between 0 (bad) and 1
(healthy) and a weight. Scaled questions read the answer's position between
worst and best (likert ``(v-1)/4``, scale ``v/10``, yes/no ``1``/``0``, number
``(v-min)/(max-min)``), flipped when ``higher_is_worse``; a chosen option gives
the health written on it.

``unknown`` answers and unanswered questions give no evidence at all: they are
only counted, for the coverage section of the report. Answers that no longer
fit the questionnaire (a removed question, a value of the wrong kind) are left
out and reported as ignored, never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from svcdiag.assess.conditions import evaluate
from svcdiag.models.analysis import AnswerValue, Coverage, SkippedQuestion
from svcdiag.models.questionnaire import (
    LIKERT_LABELS,
    Question,
    Questionnaire,
    QuestionType,
    Scope,
)

#: The answer meaning "don't know / not applicable" (as in models.findings).
UNKNOWN = "unknown"

#: Decides whether a question was to be asked, given all the answers.
Applicable = Callable[[Question, Mapping[str, AnswerValue]], bool]


class AnswerMismatch(ValueError):
    """An answer that does not fit its question."""


@dataclass(frozen=True)
class Contribution:
    """One piece of evidence from one answer toward one factor or characteristic."""

    question: str
    target: Literal["factor", "characteristic"]
    target_id: str
    weight: float
    health: float
    answer: AnswerValue
    answer_text: str


@dataclass(frozen=True)
class ScopeAnswer:
    """A chosen option that says how far the problem reaches."""

    question: str
    scope: Scope
    answer_text: str
    question_text: str = ""


@dataclass
class Evidence:
    """All the evidence in one set of answers, and what is missing."""

    contributions: list[Contribution] = field(default_factory=list)
    scopes: list[ScopeAnswer] = field(default_factory=list)
    coverage: Coverage = field(
        default_factory=lambda: Coverage(questions=0, answered=0, unknown=0, skipped=0)
    )


def asked(question: Question, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether ``question`` is asked given ``answers``: its ``when`` holds, or it has none."""
    return question.when is None or evaluate(question.when, answers)


def carries_evidence(question: Question) -> bool:
    """Whether an answer to ``question`` can move a score, set the scope or a route."""
    if question.evidence:
        return True
    return any(opt.evidence or opt.scope or opt.route for opt in question.options or ())


def _number(value: AnswerValue) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AnswerMismatch(f"expected a number, found {value!r}")
    return float(value)


def answer_position(question: Question, value: AnswerValue) -> float | None:
    """Where a scaled answer lies between worst (0) and best (1) on its own scale.

    Returns None for question types that have no scale (choice, text) and for
    a number question without both ``min`` and ``max``.

    Raises:
        AnswerMismatch: the value does not fit the question.
    """
    kind = question.type
    if kind is QuestionType.yes_no:
        if not isinstance(value, bool):
            raise AnswerMismatch(f"expected yes or no (true/false), found {value!r}")
        return 1.0 if value else 0.0
    if kind is QuestionType.likert:
        number = _number(value)
        if number not in (1, 2, 3, 4, 5):
            raise AnswerMismatch(f"expected a whole number from 1 to 5, found {value!r}")
        return (number - 1) / 4
    if kind is QuestionType.scale:
        number = _number(value)
        if not (0 <= number <= 10) or number != int(number):
            raise AnswerMismatch(f"expected a whole number from 0 to 10, found {value!r}")
        return number / 10
    if kind is QuestionType.number:
        number = _number(value)
        low, high = question.min, question.max
        if (low is not None and number < low) or (high is not None and number > high):
            raise AnswerMismatch(f"{value!r} is outside {low} to {high}")
        if low is None or high is None or high <= low:
            return None
        return (number - low) / (high - low)
    return None


def _chosen(question: Question, value: AnswerValue) -> list[str]:
    if question.type is QuestionType.choice:
        if not isinstance(value, str) or question.option(value) is None:
            raise AnswerMismatch(f"{value!r} is not one of this question's options")
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerMismatch(f"expected a list of option ids, found {value!r}")
    unknown = [v for v in value if question.option(v) is None]
    if unknown:
        raise AnswerMismatch(f"{unknown[0]!r} is not one of this question's options")
    return list(value)


def describe_answer(question: Question, value: AnswerValue) -> str:
    """Return an answer as a person would say it: a label, not a code."""
    if isinstance(value, str) and value == UNKNOWN:
        return "don't know / not applicable"
    kind = question.type
    if kind is QuestionType.yes_no and isinstance(value, bool):
        return "yes" if value else "no"
    if kind is QuestionType.likert and isinstance(value, int) and 1 <= value <= 5:
        return f"{value} ({LIKERT_LABELS[value - 1]})"
    if kind is QuestionType.scale and isinstance(value, (int, float)):
        return f"{value:g}/10"
    if kind is QuestionType.number and isinstance(value, (int, float)):
        return f"{value:g} {question.unit}" if question.unit else f"{value:g}"
    if kind in (QuestionType.choice, QuestionType.multi_choice):
        ids = value if isinstance(value, list) else [value]
        labels = []
        for item in ids:
            opt = question.option(str(item))
            labels.append(opt.label if opt else str(item))
        return "; ".join(labels) if labels else "(none)"
    return str(value)


def _read_answer(question: Question, value: AnswerValue, evidence: Evidence) -> None:
    """Add the contributions and scope of one real answer (may raise AnswerMismatch)."""
    text = describe_answer(question, value)
    found: list[Contribution] = []
    scopes: list[ScopeAnswer] = []
    if question.type in (QuestionType.choice, QuestionType.multi_choice):
        for option_id in _chosen(question, value):
            opt = question.option(option_id)
            assert opt is not None  # checked by _chosen
            if opt.scope is not None:
                scopes.append(ScopeAnswer(question.id, opt.scope, opt.label, question.text))
            for chosen in opt.evidence:
                target, target_id = _target(chosen.factor, chosen.characteristic)
                found.append(
                    Contribution(
                        question.id, target, target_id, chosen.weight, chosen.value, value, text
                    )
                )
    else:
        position = answer_position(question, value)
        if position is not None:
            for item in question.evidence:
                health = position if item.direction == "higher_is_better" else 1 - position
                target, target_id = _target(item.factor, item.characteristic)
                found.append(
                    Contribution(question.id, target, target_id, item.weight, health, value, text)
                )
    evidence.contributions.extend(found)
    evidence.scopes.extend(scopes)


def _target(
    factor: str | None, characteristic: str | None
) -> tuple[Literal["factor", "characteristic"], str]:
    if factor is not None:
        return "factor", factor
    assert characteristic is not None  # the model requires exactly one
    return "characteristic", characteristic


def collect_evidence(
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerValue],
    *,
    applicable: Applicable = asked,
) -> Evidence:
    """Read every answer in ``answers`` as evidence, and record what is missing."""
    evidence = Evidence()
    missing: list[SkippedQuestion] = []
    counts = {"questions": 0, "answered": 0, "unknown": 0, "skipped": 0, "not_asked": 0}
    ignored = 0
    known_ids = set()
    for question in questionnaire.questions():
        known_ids.add(question.id)
        if not carries_evidence(question):
            continue
        has_answer = question.id in answers
        if not applicable(question, answers):
            counts["not_asked"] += 1
            if has_answer:
                ignored += 1
                missing.append(
                    SkippedQuestion(
                        question=question.id,
                        text=question.text,
                        reason="ignored",
                        detail="answered although its condition does not hold",
                    )
                )
            continue
        counts["questions"] += 1
        if not has_answer:
            counts["skipped"] += 1
            missing.append(
                SkippedQuestion(question=question.id, text=question.text, reason="skipped")
            )
            continue
        value = answers[question.id]
        if isinstance(value, str) and value == UNKNOWN:
            counts["unknown"] += 1
            missing.append(
                SkippedQuestion(question=question.id, text=question.text, reason="unknown")
            )
            continue
        try:
            _read_answer(question, value, evidence)
        except AnswerMismatch as err:
            ignored += 1
            missing.append(
                SkippedQuestion(
                    question=question.id, text=question.text, reason="ignored", detail=str(err)
                )
            )
            continue
        counts["answered"] += 1
    for question_id in answers:
        if question_id not in known_ids:
            ignored += 1
            missing.append(
                SkippedQuestion(
                    question=question_id,
                    text="(not in this questionnaire)",
                    reason="ignored",
                    detail="no such question in the questionnaire",
                )
            )
    evidence.coverage = Coverage(**counts, ignored=ignored, missing=missing)
    return evidence

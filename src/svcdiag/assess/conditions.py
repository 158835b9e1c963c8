"""Evaluate a question's ``when`` condition against the answers given so far.

:func:`evaluate` is a pure function of a :class:`~svcdiag.models.questionnaire.Condition`
and a mapping of question ids to answers. The rules, also stated in the README:

* A question with no answer, and a question answered ``unknown`` ("don't know /
  not applicable"), has no *real* answer. ``equals``, ``one_of``,
  ``at_least`` and ``at_most`` are false for it; ``answered: true`` is false
  and ``answered: false`` is true.
* ``unknown: true`` holds exactly when the answer is ``unknown``;
  ``unknown: false`` is its negation (so it also holds for an unanswered
  question).
* On a multi_choice answer (a list of option ids), ``equals: x`` holds when
  ``x`` was chosen and ``one_of: [x, y]`` when at least one of them was.
* Numbers compare by value (``4`` equals ``4.0``) but a yes/no answer never
  equals a number. Because YAML reads a bare ``yes`` or ``no`` as a boolean,
  a boolean in a condition also matches the option ids ``yes``/``no`` (and
  ``true``/``false``, ``on``/``off``, ``y``/``n``) of a choice question.
* ``at_least`` and ``at_most`` hold only for numeric answers; when both are
  given both must hold.
* ``all``, ``any`` and ``not`` combine conditions as in logic (``all`` of
  nothing and ``any`` of nothing cannot occur: the model requires at least one).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from svcdiag.models.findings import UNKNOWN, AnswerValue
from svcdiag.models.questionnaire import Condition, ConditionValue

#: Option ids that YAML 1.1 reads as ``true`` / ``false`` when left unquoted.
YAML_TRUE_WORDS = frozenset({"yes", "y", "true", "on"})
YAML_FALSE_WORDS = frozenset({"no", "n", "false", "off"})


def is_real(answer: AnswerValue | None) -> bool:
    """Whether ``answer`` is a real answer (given, and not ``unknown``)."""
    return answer is not None and answer != UNKNOWN


def same_value(answer: AnswerValue, expected: ConditionValue) -> bool:
    """Whether a single answer value equals ``expected`` under the rules above."""
    if isinstance(answer, list):
        return False
    if isinstance(expected, bool):
        if isinstance(answer, bool):
            return answer is expected
        if isinstance(answer, str):
            words = YAML_TRUE_WORDS if expected else YAML_FALSE_WORDS
            return answer.lower() in words
        return False
    if isinstance(answer, bool):
        return False
    if isinstance(expected, (int, float)):
        return isinstance(answer, (int, float)) and answer == expected
    return isinstance(answer, str) and answer == expected


def _matches(answer: AnswerValue, expected: ConditionValue) -> bool:
    if isinstance(answer, list):
        return any(same_value(item, expected) for item in answer)
    return same_value(answer, expected)


def _number(answer: AnswerValue) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return None
    value = float(answer)
    return None if math.isnan(value) else value


def _compare(condition: Condition, answer: AnswerValue | None) -> bool:
    if condition.answered is not None:
        return is_real(answer) is condition.answered
    if condition.unknown is not None:
        return (answer == UNKNOWN) is condition.unknown
    if answer is None or not is_real(answer):
        return False
    if condition.equals is not None:
        return _matches(answer, condition.equals)
    if condition.one_of is not None:
        return any(_matches(answer, value) for value in condition.one_of)
    number = _number(answer)
    if number is None:
        return False
    if condition.at_least is not None and number < condition.at_least:
        return False
    return not (condition.at_most is not None and number > condition.at_most)


def evaluate(condition: Condition, answers: Mapping[str, AnswerValue]) -> bool:
    """Return whether ``condition`` holds for ``answers`` (question id -> answer).

    Args:
        condition: A validated condition (exactly one form, see the model).
        answers: The answers given so far; a missing key means "not answered".

    Returns:
        True when the condition holds.
    """
    if condition.all is not None:
        return all(evaluate(part, answers) for part in condition.all)
    if condition.any is not None:
        return any(evaluate(part, answers) for part in condition.any)
    if condition.not_ is not None:
        return not evaluate(condition.not_, answers)
    if condition.question is None:  # pragma: no cover - excluded by the model
        raise ValueError("condition has neither a question nor a combination")
    return _compare(condition, answers.get(condition.question))


def may_hold(
    condition: Condition, answers: Mapping[str, AnswerValue], pending: Collection[str]
) -> bool | None:
    """Whether ``condition`` holds, with None when it still depends on questions to come.

    Three-valued: a comparison on a question in ``pending`` (not reached yet)
    that has no answer is undecided (None); ``all`` is false when any part is
    false, ``any`` true when any part is true, ``not`` keeps an undecided part
    undecided. As questions are
    answered an undecided condition only ever becomes decided, so the number
    of questions that may still be asked never grows: this is the total of
    "question k of n".
    """
    if condition.all is not None:
        parts = [may_hold(part, answers, pending) for part in condition.all]
        if False in parts:
            return False
        return None if None in parts else True
    if condition.any is not None:
        parts = [may_hold(part, answers, pending) for part in condition.any]
        if True in parts:
            return True
        return None if None in parts else False
    if condition.not_ is not None:
        inner = may_hold(condition.not_, answers, pending)
        return None if inner is None else not inner
    if condition.question is None:  # pragma: no cover - excluded by the model
        raise ValueError("condition has neither a question nor a combination")
    if condition.question in pending and condition.question not in answers:
        return None
    return _compare(condition, answers.get(condition.question))


def referenced_questions(condition: Condition) -> set[str]:
    """Return the ids of every question ``condition`` looks at."""
    found: set[str] = set()
    if condition.question is not None:
        found.add(condition.question)
    for part in (*(condition.all or ()), *(condition.any or ())):
        found |= referenced_questions(part)
    if condition.not_ is not None:
        found |= referenced_questions(condition.not_)
    return found

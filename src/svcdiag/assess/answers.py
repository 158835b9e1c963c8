"""Check answers against their questions: one rule set for typed and file answers.

:func:`validate_answer` is the single place that decides whether a value is an
acceptable answer to a question and turns it into its stored form. The
prompts call it on what the consultant typed, ``--answers`` files and
``--defaults`` go through it too, so an answer that would be refused at the
prompt is refused in a file, with the same words.

Accepted values, by question type (``unknown`` wherever ``allow_unknown`` is
set):

* likert: a whole number 1 to 5; scale: a whole number 0 to 10;
* yes_no: true or false (also the words yes/no, y/n, on/off);
* choice: an option id; multi_choice: a list of option ids (a single id is
  read as a list of one), an exclusive option alone;
* number: a finite number within the question's ``min`` and ``max`` (a whole
  one when the question sets ``integer``: a count of people is never 2.5);
* text: non-empty text.

Numbers may also be given as text (``"4"``), as they are typed at a prompt.
Option ids that YAML reads as booleans (an unquoted ``yes`` or ``no``) are
mapped back to the option id.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from typing import Any

from svcdiag.assess.conditions import YAML_FALSE_WORDS, YAML_TRUE_WORDS
from svcdiag.errors import AnswerError
from svcdiag.models.findings import UNKNOWN, AnswerValue
from svcdiag.models.questionnaire import LIKERT_LABELS, Question, Questionnaire, QuestionType

#: The scale of a ``scale`` question (as in a Net Promoter question).
SCALE_MIN, SCALE_MAX = 0, 10
#: The points of a ``likert`` question.
LIKERT_MIN, LIKERT_MAX = 1, len(LIKERT_LABELS)


#: "1,200" (a thousands separator), never "1,5" (a decimal comma).
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


class _Invalid(ValueError):
    """A value does not fit a question (turned into :class:`AnswerError`)."""


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def allowed_values(question: Question) -> str:
    """Describe, for messages, what ``question`` accepts."""
    kind = question.type
    if kind is QuestionType.likert:
        text = (
            f"a whole number {LIKERT_MIN} to {LIKERT_MAX} "
            f"({LIKERT_MIN} = {LIKERT_LABELS[0].lower()}, {LIKERT_MAX} = "
            f"{LIKERT_LABELS[-1].lower()})"
        )
    elif kind is QuestionType.scale:
        text = f"a whole number {SCALE_MIN} to {SCALE_MAX}"
    elif kind is QuestionType.yes_no:
        text = "true or false (yes or no)"
    elif kind is QuestionType.choice:
        text = "one of " + ", ".join(opt.id for opt in question.options or ())
    elif kind is QuestionType.multi_choice:
        ids = ", ".join(opt.id for opt in question.options or ())
        exclusive = [opt.id for opt in question.options or () if opt.exclusive]
        text = f"a list of option ids from {ids}"
        if exclusive:
            text += f" ({', '.join(exclusive)} only on its own)"
    elif kind is QuestionType.number:
        low, high = question.min, question.max
        if low is not None and high is not None:
            text = f"a number from {_fmt(low)} to {_fmt(high)}"
        elif low is not None:
            text = f"a number of at least {_fmt(low)}"
        elif high is not None:
            text = f"a number of at most {_fmt(high)}"
        else:
            text = "a number"
        if question.integer:
            text = text.replace("a number", "a whole number", 1)
    else:
        text = "any non-empty text"
    if question.allow_unknown:
        text += ", or unknown"
    return text


def _shown(raw: object) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return repr(raw)
    return str(raw)


def _whole(raw: object, low: int, high: int) -> int:
    number = _number(raw)
    if not number.is_integer():
        raise _Invalid(f"{_shown(raw)} is not a whole number")
    if not low <= number <= high:
        raise _Invalid(f"{_shown(raw)} is outside {low} to {high}")
    return int(number)


def _number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise _Invalid(f"{_shown(raw)} is not a number")
    if isinstance(raw, str):
        text = raw.strip()
        if not text.isascii():  # float() would read '٣' or '３' as 3
            raise _Invalid(f"{_shown(raw)} is not a number (write it with the digits 0-9)")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise _Invalid(f"{_shown(raw)} is not a number") from None
    else:
        value = float(raw)
    if not math.isfinite(value):
        raise _Invalid(f"{_shown(raw)} is not a finite number")
    return value


def _yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in YAML_TRUE_WORDS:
            return True
        if word in YAML_FALSE_WORDS:
            return False
    raise _Invalid(f"{_shown(raw)} is not yes or no")


def _option_id(question: Question, raw: object) -> str:
    """Map ``raw`` to an option id of ``question`` (YAML booleans included)."""
    ids = [opt.id for opt in question.options or ()]
    if isinstance(raw, bool):
        words = YAML_TRUE_WORDS if raw else YAML_FALSE_WORDS
        for option_id in ids:
            if option_id in words:
                return option_id
        raise _Invalid(f"{_shown(raw)} is not an option")
    if not isinstance(raw, str):
        raise _Invalid(f"{_shown(raw)} is not an option id")
    text = raw.strip()
    if text in ids:
        return text
    raise _Invalid(f"{_shown(raw)} is not an option{_suggestion(question, text)}")


def _suggestion(question: Question, text: str) -> str:
    options = question.options or []
    for opt in options:
        if opt.label.strip().lower() == text.lower():
            return f" (did you mean {opt.id}, whose label that is?)"
    close = difflib.get_close_matches(text.lower(), [opt.id for opt in options], n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _multi(question: Question, raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    chosen = {_option_id(question, item) for item in items}
    ordered = [opt for opt in question.options or () if opt.id in chosen]
    if not ordered and question.required:
        raise _Invalid("no option chosen; choose at least one")
    exclusive = [opt.id for opt in ordered if opt.exclusive]
    if exclusive and len(ordered) > 1:
        raise _Invalid(f"{exclusive[0]} cannot be combined with other options")
    return [opt.id for opt in ordered]


def _text(raw: object) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, (int, float)):
        return _fmt(raw)
    if not isinstance(raw, str):
        raise _Invalid(f"{_shown(raw)} is not text")
    text = raw.strip()
    if not text:
        raise _Invalid("the answer is empty")
    return text


def _is_unknown_word(question: Question, raw: object) -> bool:
    if not isinstance(raw, str) or raw.strip().lower() != UNKNOWN:
        return False
    if question.type is QuestionType.text and not question.allow_unknown:
        return False  # the text "unknown" is a text answer like any other
    return question.option(UNKNOWN) is None


def _coerce(question: Question, raw: object) -> AnswerValue:
    kind = question.type
    if raw is None:
        raise _Invalid("no answer given")
    if kind is QuestionType.likert:
        return _whole(raw, LIKERT_MIN, LIKERT_MAX)
    if kind is QuestionType.scale:
        return _whole(raw, SCALE_MIN, SCALE_MAX)
    if kind is QuestionType.yes_no:
        return _yes_no(raw)
    if kind is QuestionType.choice:
        if isinstance(raw, list):
            raise _Invalid("a list was given, but only one option may be chosen")
        return _option_id(question, raw)
    if kind is QuestionType.multi_choice:
        return _multi(question, raw)
    if kind is QuestionType.number:
        value = _number(raw)
        if question.integer and not value.is_integer():
            raise _Invalid(f"{_shown(raw)} is not a whole number")
        if question.min is not None and value < question.min:
            raise _Invalid(f"{_shown(raw)} is below the minimum {_fmt(question.min)}")
        if question.max is not None and value > question.max:
            raise _Invalid(f"{_shown(raw)} is above the maximum {_fmt(question.max)}")
        return int(value) if value.is_integer() else value
    return _text(raw)


def problem_with(question: Question, raw: object) -> str | None:
    """Return why ``raw`` is not an acceptable answer, or None when it is."""
    try:
        validate_answer(question, raw)
    except AnswerError as err:
        return err.detail
    return None


def validate_answer(question: Question, raw: object) -> AnswerValue:
    """Check ``raw`` against ``question`` and return it in its stored form.

    Args:
        question: The question answered.
        raw: What was typed or read from a file.

    Returns:
        The answer as stored in sessions and findings (see the module docstring).

    Raises:
        AnswerError: The value does not fit. Its message names the question id,
            what is wrong and the allowed values; ``detail`` holds the text
            without the question id (for the prompt).
    """
    if _is_unknown_word(question, raw):
        if question.allow_unknown:
            return UNKNOWN
        raise AnswerError(
            question.id,
            f"'unknown' is not allowed for this question; allowed: {allowed_values(question)}",
        )
    try:
        return _coerce(question, raw)
    except _Invalid as err:
        raise AnswerError(question.id, f"{err}; allowed: {allowed_values(question)}") from None


def answer_problems(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    lines: Mapping[str, int] | None = None,
) -> tuple[dict[str, AnswerValue], list[str]]:
    """Validate every answer; return the valid ones (in order) and one line per problem.

    Answers whose value is ``None`` (an empty entry in YAML) count as not given.
    """
    problems: list[str] = []
    valid: dict[str, AnswerValue] = {}
    known = {q.id: q for q in questionnaire.questions()}
    for question_id, raw in answers.items():
        where = f"line {lines[question_id]}: " if lines and question_id in lines else ""
        question = known.get(str(question_id))
        if question is None:
            problems.append(f"{where}{unknown_question(questionnaire, str(question_id))}")
            continue
        if raw is None:
            continue
        try:
            valid[question.id] = validate_answer(question, raw)
        except AnswerError as err:
            problems.append(f"{where}{err.message}")
    return {q: valid[q] for q in known if q in valid}, problems


_LINE_PREFIX = re.compile(r"^line (\d+): ")
#: A problem located as ``FILE:LINE:COL: `` (a number the YAML reader refuses).
_PLACE_PREFIX = re.compile(r"^.+?:(\d+):(\d+): ")


def in_line_order(problems: list[str]) -> list[str]:
    """``problems`` sorted by the line each starts with (``line N: ``); others last.

    A problem placed at ``FILE:LINE:COL: `` sorts by its line and column.
    """

    def key(problem: str) -> tuple[int, int, int]:
        match = _LINE_PREFIX.match(problem)
        if match:
            return (0, int(match.group(1)), 0)
        placed = _PLACE_PREFIX.match(problem)
        return (0, int(placed.group(1)), int(placed.group(2))) if placed else (1, 0, 0)

    return sorted(problems, key=key)


def problems_error(source: str, problems: list[str], what: str = "invalid answer") -> AnswerError:
    """One error listing ``problems``, one per line, for the file ``source``."""
    count = f"{len(problems)} {what}" + ("s" if len(problems) > 1 else "")
    return AnswerError(
        source,
        f"{count}:\n  " + "\n  ".join(in_line_order(problems)),
        hint="correct these answers in the file and run the command again",
    )


def validate_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    source: str,
    lines: Mapping[str, int] | None = None,
) -> dict[str, AnswerValue]:
    """Validate every answer in ``answers``; report all problems at once.

    Args:
        questionnaire: The questionnaire answered.
        answers: Question id -> raw value (``None`` counts as not given).
        source: The file the answers came from (for the message).
        lines: Question id -> line number in ``source``, where known.

    Returns:
        Question id -> stored answer, in questionnaire order.

    Raises:
        AnswerError: One error listing every unknown question id and every
            invalid value, one per line, each with its question id.
    """
    valid, problems = answer_problems(questionnaire, answers, lines)
    if problems:
        raise problems_error(source, problems)
    return valid


def unknown_question(questionnaire: Questionnaire, question_id: str) -> str:
    """Message for a question id that ``questionnaire`` does not have."""
    ids = [q.id for q in questionnaire.questions()]
    close = difflib.get_close_matches(question_id, ids, n=1)
    guess = f"; did you mean {close[0]}?" if close else ""
    return f"{question_id}: no such question in questionnaire {questionnaire.id}{guess}"

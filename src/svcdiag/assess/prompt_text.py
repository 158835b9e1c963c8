"""Text of the prompts: hints, answers as typed, word wrapping, validation messages, echoes.

Pure functions (no terminal library), so the layout is testable directly.
"""

from __future__ import annotations

import re
import textwrap

from svcdiag.models.findings import UNKNOWN, AnswerValue
from svcdiag.models.questionnaire import Question, QuestionType

#: What a consultant types for "don't know" at a typed prompt.
TYPED_UNKNOWN = "?"
#: Where the question text starts, after questionary's "? ".
INDENT = "  "


def wrap_prompt(text: str, hint: str, columns: int) -> tuple[str, str]:
    """Wrap a question between words to ``columns``, with the key hint on lines below.

    A terminal breaks long lines anywhere, even mid-word; lines after the
    first are indented under the text after "? ".
    """
    width = max(columns - len(INDENT) - 1, 20)

    def lines(words: str) -> list[str]:
        found = textwrap.wrap(words, width=width, break_long_words=False, break_on_hyphens=False)
        return found or [words]

    joiner = "\n" + INDENT
    return joiner.join(lines(text)), joiner + joiner.join(lines(hint))


def typed_hint(question: Question, kept: str | None) -> str:
    """The bracketed hint of a typed prompt: range, unit, what Enter and ``?`` do."""
    parts: list[str] = []
    if kept is not None:
        parts.append(f"Enter keeps {kept}")
    if question.type is QuestionType.scale:
        parts.append("0-10")
    elif question.type is QuestionType.number:
        low, high = question.min, question.max
        if low is not None and high is not None:
            parts.append(f"{_num(low)}-{_num(high)}")
        elif low is not None:
            parts.append(f"at least {_num(low)}")
        elif high is not None:
            parts.append(f"at most {_num(high)}")
        if question.unit:
            parts.append(question.unit)
    if question.allow_unknown:
        parts.append("? don't know")
    if not question.required and kept is None:
        parts.append("empty skips")
    return f"({', '.join(parts)}) " if parts else ""


def _num(value: float) -> str:
    """A number as a person writes it: 10, not 10.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def as_text(value: AnswerValue) -> str:
    """An answer as it appears in a typed prompt's input."""
    if value == UNKNOWN:
        return TYPED_UNKNOWN
    if isinstance(value, float):
        return _num(value)
    return str(value)


def prompt_problem(question: Question, problem: str, columns: int) -> str:
    """Say ``problem`` (from :func:`~svcdiag.assess.answers.problem_with`) the prompt's way.

    The consultant sees labels, not option ids, and the list of allowed
    values is left out (the prompt shows it already), so the message fits
    the one line of the terminal that prompt_toolkit gives it; a longer one
    is shortened with an ellipsis.
    """
    text = problem.split("; allowed: ", 1)[0]
    for option in sorted(question.options or (), key=lambda o: -len(o.id)):
        text = text.replace(f"'{option.id}'", f"'{option.label}'")
        text = re.sub(rf"\b{re.escape(option.id)}\b", f"'{option.label}'", text)
    limit = max(columns - 2, 20)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def ticked_text(question: Question, ticked: list[str]) -> str:
    """The echo of a multi-choice answer: the labels ticked, or that none was."""
    labels = [opt.label for opt in question.options or () if opt.id in ticked]
    return "ticked: " + ("; ".join(labels) if labels else "none")

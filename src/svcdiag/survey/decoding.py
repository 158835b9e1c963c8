"""Turn one cell of an export into the raw answer the answers-file rules check.

Platforms export option labels where an answers file holds option ids
(``Strongly agree`` for 5, ``Phone, E-mail`` for ``[phone, email]``). A label
is mapped to its option when exactly one option has it; a label two options
share is an error asking for the id. Whatever cannot be mapped is passed on
unchanged, so that :func:`svcdiag.assess.answers.validate_answer` refuses it
with its usual words (and its "did you mean" suggestion).
"""

from __future__ import annotations

from svcdiag.models.findings import UNKNOWN
from svcdiag.models.questionnaire import Question, QuestionType
from svcdiag.survey import fields


class CellError(ValueError):
    """A cell cannot be read as an answer (the message says why)."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def option_of(question: Question, token: str) -> str:
    """The choice name ``token`` stands for: a name, or a label only one choice has."""
    entries = fields.choices(question)
    text = token.strip()
    if any(entry.name == text for entry in entries):
        return text
    if text.casefold() == UNKNOWN and question.allow_unknown:
        return UNKNOWN
    matches = [entry.name for entry in entries if _fold(entry.label) == _fold(text)]
    if len(matches) > 1:
        raise CellError(
            f"{text!r} is the label of several options ({', '.join(matches)}); give the option id"
        )
    return matches[0] if matches else text


def _split_multi(question: Question, cell: str) -> list[str]:
    names = {entry.name for entry in fields.choices(question)}
    words = cell.split()
    if words and all(word in names for word in words):
        return words
    for separator in (";", ","):
        if separator in cell:
            parts = [part.strip() for part in cell.split(separator) if part.strip()]
            mapped = [option_of(question, part) for part in parts]
            if all(name in names for name in mapped):
                return mapped
    greedy = _by_labels(question, cell)
    if greedy is not None:
        return greedy
    return [option_of(question, cell)]


def _by_labels(question: Question, cell: str) -> list[str] | None:
    """Read ``Label one, Label two`` when labels themselves hold commas."""
    entries = sorted(fields.choices(question), key=lambda entry: -len(entry.label))
    rest = cell.strip()
    found: list[str] = []
    while rest:
        for entry in entries:
            if rest.casefold().startswith(entry.label.casefold()):
                tail = rest[len(entry.label) :].lstrip()
                if not tail or tail.startswith((",", ";")):
                    found.append(entry.name)
                    rest = tail[1:].lstrip() if tail else ""
                    break
        else:
            return None
    return found


def decode(question: Question, cell: str, translations: dict[str, str]) -> object | None:
    """The raw answer in ``cell`` (``None`` when empty), labels mapped to ids.

    Raises:
        CellError: A label is shared by several options.
    """
    text = cell.strip()
    if not text:
        return None
    if text in translations:
        text = translations[text]
    kind = question.type
    if question.allow_unknown and _fold(text) == _fold(fields.UNKNOWN_LABEL):
        return UNKNOWN
    if kind is QuestionType.multi_choice:
        items = [translations.get(item, item) for item in _split_multi(question, text)]
        return UNKNOWN if items == [UNKNOWN] and question.allow_unknown else items
    if fields.is_select(question):
        name = option_of(question, text)
        if kind in (QuestionType.likert, QuestionType.scale) and name.isascii() and name.isdigit():
            return int(name)
        return name
    return text


def decode_known(cell: str) -> bool | None:
    """Read a companion ``__known`` cell: True (known), False (unknown) or None (empty).

    Raises:
        CellError: Neither ``known`` nor ``unknown`` (nor their labels).
    """
    text = _fold(cell)
    if not text:
        return None
    if text in (fields.KNOWN, _fold(fields.KNOWN_LABEL)):
        return True
    if text in (UNKNOWN, _fold(fields.UNKNOWN_LABEL)):
        return False
    raise CellError(f"{cell.strip()!r} is neither known nor unknown")

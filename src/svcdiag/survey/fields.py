"""How each question appears in an exported form, shared by export and import.

Field names are the question ids. Three fields come before the questions:
``respondent_role``, ``respondent_unit`` (when the engagement has units) and a
note on anonymity. Answers are encoded as follows:

* likert: a ``select_one`` list with choices ``1`` to ``5``;
* yes_no: a ``select_one`` list with choices ``yes`` and ``no``;
* scale: an ``integer`` from 0 to 10 (a ``select_one`` of 0 to 10 when it
  allows "don't know");
* choice / multi_choice: ``select_one`` / ``select_multiple`` of the option ids;
* number: ``integer`` or ``decimal`` within ``min`` and ``max``; text: ``text``.

Where ``allow_unknown`` is set, select lists get an extra choice ``unknown``.
A number or text field cannot hold that word, so such a question is preceded
by a companion ``select_one`` field ``<id>__known`` (``known`` or
``unknown``), and the field itself is asked only when the answer is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from svcdiag.errors import UsageError
from svcdiag.models.findings import UNKNOWN
from svcdiag.models.questionnaire import LIKERT_LABELS, Question, Questionnaire, QuestionType

ROLE_FIELD = "respondent_role"
UNIT_FIELD = "respondent_unit"
NOTE_FIELD = "anonymity_note"
#: Suffix of the companion field of a number or text question allowing "don't know".
KNOWN_SUFFIX = "__known"
KNOWN, NOT_KNOWN = "known", UNKNOWN
UNKNOWN_LABEL = "Don't know / not applicable"
KNOWN_LABEL = "I can answer"
RESERVED = frozenset({ROLE_FIELD, UNIT_FIELD, NOTE_FIELD})


@dataclass(frozen=True)
class Choice:
    """One choice of a select list."""

    name: str
    label: str


def has_companion(question: Question) -> bool:
    """Whether ``question`` is preceded by a ``<id>__known`` field."""
    return question.allow_unknown and question.type in (QuestionType.number, QuestionType.text)


def companion_name(question: Question) -> str:
    """The name of the companion field of ``question``."""
    return question.id + KNOWN_SUFFIX


def is_select(question: Question) -> bool:
    """Whether ``question`` is exported as a select list."""
    if question.type is QuestionType.scale:
        return question.allow_unknown
    return question.type in (
        QuestionType.likert,
        QuestionType.yes_no,
        QuestionType.choice,
        QuestionType.multi_choice,
    )


def list_name(question: Question) -> str:
    """The ``list_name`` of the choices of a select question."""
    suffix = "_dk" if question.allow_unknown else ""
    if question.type is QuestionType.likert:
        return "likert" + suffix
    if question.type is QuestionType.yes_no:
        return "yes_no" + suffix
    if question.type is QuestionType.scale:
        return "scale_0_10" + suffix
    return "q_" + question.id


def choices(question: Question) -> list[Choice]:
    """The choices of a select question, "don't know" last where allowed."""
    if question.type is QuestionType.likert:
        found = [Choice(str(i), label) for i, label in enumerate(LIKERT_LABELS, start=1)]
    elif question.type is QuestionType.yes_no:
        found = [Choice("yes", "Yes"), Choice("no", "No")]
    elif question.type is QuestionType.scale:
        found = [Choice(str(i), str(i)) for i in range(11)]
    else:
        found = [Choice(opt.id, opt.label) for opt in question.options or ()]
    if question.allow_unknown:
        found.append(Choice(UNKNOWN, UNKNOWN_LABEL))
    return found


def check_names(questionnaire: Questionnaire) -> None:
    """Refuse a questionnaire whose ids would clash with the form's own fields.

    Raises:
        UsageError: A question or section id is a reserved field name, or an
            option is called ``unknown`` in a question that allows "don't know".
    """
    taken: set[str] = set(RESERVED)
    for section in questionnaire.sections:
        names = [section.id]
        for question in section.questions:
            names.append(question.id)
            if has_companion(question):
                names.append(companion_name(question))
            if question.allow_unknown and question.option(UNKNOWN) is not None:
                raise UsageError(
                    f"question {question.id} has an option called 'unknown' and allows "
                    "'don't know': the form cannot tell the two apart",
                    hint="rename the option in the questionnaire",
                )
        for name in names:
            if name in taken:
                raise UsageError(
                    f"the name {name!r} is used twice in the form (a section or question id "
                    f"clashes with another, or with one of {', '.join(sorted(RESERVED))})",
                    hint="rename the section or question in the questionnaire",
                )
            taken.add(name)

"""Generate survey responses and write them as each platform would export them (tests only).

Answers are generated in their stored form (as a responses file holds them),
respecting the questionnaire's conditions; :func:`xform_values` encodes them
as an XLSForm stores them; the ``*_export`` functions write the rows in the
layout of KoboToolbox, ODK Central, Qualtrics, Google Forms or the CSV
template. Kobo and ODK headers are built from the exported form's own
``survey`` sheet, so a wrong name in the form breaks the round trip.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from typing import Any

from svcdiag.assess.conditions import evaluate
from svcdiag.models.findings import UNKNOWN, AnswerValue
from svcdiag.models.questionnaire import LIKERT_LABELS, Question, Questionnaire, QuestionType
from svcdiag.survey import fields
from svcdiag.survey.xlsform import ROLE_LABEL, ROLE_LABELS, UNIT_LABEL

TEXTS = [
    "Too many forms",
    'She said "no", twice',
    "Line one\nline two, with a comma",
    "Café au lait; naïve",
    "=SUM(A1:A9) is not a formula here",
    "émoji 🙂 and tabs\tinside",
]


@dataclass
class Respondent:
    """One generated respondent."""

    id: str
    role: str
    unit: str | None
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    submitted: str = "2026-11-30T10:00:00+00:00"


def random_answer(question: Question, rng: random.Random) -> AnswerValue:
    """A valid stored answer to ``question``."""
    if question.allow_unknown and rng.random() < 0.15:
        return UNKNOWN
    kind = question.type
    if kind is QuestionType.likert:
        return rng.randint(1, 5)
    if kind is QuestionType.scale:
        return rng.randint(0, 10)
    if kind is QuestionType.yes_no:
        return rng.random() < 0.5
    options = list(question.options or ())
    if kind is QuestionType.choice:
        return rng.choice(options).id
    if kind is QuestionType.multi_choice:
        plain = [opt for opt in options if not opt.exclusive]
        exclusive = [opt for opt in options if opt.exclusive]
        if exclusive and rng.random() < 0.2:
            return [rng.choice(exclusive).id]
        chosen = {opt.id for opt in rng.sample(plain, rng.randint(1, len(plain)))}
        return [opt.id for opt in options if opt.id in chosen]
    if kind is QuestionType.number:
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 1000
        if float(low).is_integer() and float(high).is_integer():
            return rng.randint(int(low), int(min(high, low + 400)))
        value = min(max(round(rng.uniform(low, high), 1), low), high)
        return int(value) if value.is_integer() else value
    return rng.choice(TEXTS)


def respondents(
    questionnaire: Questionnaire, count: int, *, seed: int = 7, units: list[str] | None = None
) -> list[Respondent]:
    """``count`` respondents answering every question that applies to them."""
    rng = random.Random(seed)
    roles = ["frontline", "staff", "manager", "board"]
    people = []
    for number in range(count):
        answers: dict[str, AnswerValue] = {}
        for question in questionnaire.questions():
            if question.when is not None and not evaluate(question.when, answers):
                continue
            if not question.required and rng.random() < 0.3:
                continue
            answers[question.id] = random_answer(question, rng)
        people.append(
            Respondent(
                id=f"uuid-{seed}-{number:05d}",
                role=rng.choice(roles),
                unit=rng.choice(units) if units else None,
                answers=answers,
            )
        )
    return people


def _number_text(value: AnswerValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xform_values(questionnaire: Questionnaire, answers: dict[str, AnswerValue]) -> dict[str, str]:
    """The values an XLSForm stores for ``answers`` (empty when not answered)."""
    values: dict[str, str] = {}
    for question in questionnaire.questions():
        answer = answers.get(question.id)
        if fields.has_companion(question):
            companion = fields.companion_name(question)
            values[companion] = (
                "" if answer is None else (UNKNOWN if answer == UNKNOWN else "known")
            )
            values[question.id] = "" if answer in (None, UNKNOWN) else _xform(question, answer)
            continue
        values[question.id] = "" if answer is None else _xform(question, answer)
    return values


def _xform(question: Question, answer: AnswerValue) -> str:
    if answer == UNKNOWN:
        return UNKNOWN
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, list):
        return " ".join(answer)
    if isinstance(answer, (int, float)):
        return _number_text(answer)
    return answer


def _label(question: Question, answer: AnswerValue) -> str:
    """What Google Forms or Qualtrics would show for ``answer``: labels."""
    if answer == UNKNOWN:
        return fields.UNKNOWN_LABEL
    if question.type is QuestionType.likert:
        assert isinstance(answer, int)
        return LIKERT_LABELS[answer - 1]
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if question.type is QuestionType.choice:
        option = question.option(str(answer))
        assert option is not None
        return option.label
    if isinstance(answer, list):
        labels = []
        for item in answer:
            option = question.option(item)
            assert option is not None
            labels.append(option.label)
        return ", ".join(labels)
    return _xform(question, answer)


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def form_fields(survey_rows: list[dict[str, str]]) -> list[tuple[list[str], dict[str, str]]]:
    """The data fields of a form's survey sheet, each with its group path."""
    found = []
    groups: list[str] = []
    for row in survey_rows:
        kind = row.get("type", "")
        if kind == "begin group":
            groups.append(row["name"])
        elif kind == "end group":
            groups.pop()
        elif kind and kind != "note":
            found.append((list(groups), row))
    return found


def kobo_export(
    survey_rows: list[dict[str, str]],
    questionnaire: Questionnaire,
    people: list[Respondent],
    *,
    delimiter: str = ";",
) -> str:
    """A KoboToolbox CSV export: group paths, 0/1 option columns, ``_uuid``."""
    questions = {q.id: q for q in questionnaire.questions()}
    header = ["start", "end"]
    columns: list[tuple[str, str, str | None]] = []  # header, field, option
    for groups, row in form_fields(survey_rows):
        path = "/".join([*groups, row["name"]])
        header.append(path)
        columns.append((path, row["name"], None))
        question = questions.get(row["name"])
        if question is not None and question.type is QuestionType.multi_choice:
            for choice in fields.choices(question):
                header.append(f"{path}/{choice.name}")
                columns.append((f"{path}/{choice.name}", row["name"], choice.name))
    header += ["_id", "_uuid", "_submission_time", "_submitted_by", "_index"]
    rows = [header]
    for index, person in enumerate(people, start=1):
        values = xform_values(questionnaire, person.answers)
        values[fields.ROLE_FIELD] = person.role
        values[fields.UNIT_FIELD] = person.unit or ""
        row = ["2026-11-30T09:00:00.000+00:00", "2026-11-30T09:10:00.000+00:00"]
        for _, name, option in columns:
            value = values.get(name, "")
            if option is None:
                row.append(value)
            else:
                row.append("" if not value else ("1" if option in value.split() else "0"))
        row += [str(index), person.id, "2026-11-30T09:10:05", f"user{index}", str(index)]
        rows.append(row)
    return _csv(rows, delimiter)


def odk_export(
    survey_rows: list[dict[str, str]], questionnaire: Questionnaire, people: list[Respondent]
) -> str:
    """An ODK Central CSV export: ``SubmissionDate``, paths joined with ``-``."""
    header = ["SubmissionDate"]
    names = []
    for groups, row in form_fields(survey_rows):
        header.append("-".join([*groups, row["name"]]))
        names.append(row["name"])
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "Status"]
    rows = [header]
    for person in people:
        values = xform_values(questionnaire, person.answers)
        values[fields.ROLE_FIELD] = person.role
        values[fields.UNIT_FIELD] = person.unit or ""
        rows.append(
            ["2026-11-30T09:10:05.000Z"]
            + [values.get(name, "") for name in names]
            + [f"uuid:{person.id}", f"uuid:{person.id}", "7", "Jo Bloggs", ""]
        )
    return _csv(rows)


def _labelled_rows(
    questionnaire: Questionnaire, person: Respondent, units: dict[str, str]
) -> list[str]:
    row = [ROLE_LABELS_BY_ID[person.role]]
    if units:
        row.append(units[person.unit] if person.unit else "")
    for question in questionnaire.questions():
        answer = person.answers.get(question.id)
        row.append("" if answer is None else _label(question, answer))
    return row


ROLE_LABELS_BY_ID = {role.value: label for role, label in ROLE_LABELS.items()}


def qualtrics_export(
    questionnaire: Questionnaire,
    people: list[Respondent],
    units: dict[str, str] | None = None,
    *,
    header_rows: bool = True,
) -> str:
    """A Qualtrics CSV export: names, question texts and ImportIds, labels as values."""
    units = units or {}
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "ResponseId", "RecipientEmail"]
    names = [fields.ROLE_FIELD] + ([fields.UNIT_FIELD] if units else [])
    names += [q.id for q in questionnaire.questions()]
    texts = ["Start Date", "End Date", "Response Type", "IP Address", "Response ID", "Email"]
    texts += [ROLE_LABEL] + ([UNIT_LABEL] if units else [])
    texts += [q.text for q in questionnaire.questions()]
    ids = ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"status"}']
    ids += ['{"ImportId":"ipAddress"}', '{"ImportId":"_recordId"}', '{"ImportId":"email"}']
    ids += [f'{{"ImportId":"QID{n}"}}' for n in range(1, len(names) + 1)]
    rows = [meta + names]
    if header_rows:
        rows += [texts, ids]
    for person in people:
        rows.append(
            [
                "2026-11-30 09:00:00",
                "2026-11-30 09:10:00",
                "0",
                "10.0.0.7",
                person.id,
                "jo@x.org",
                *_labelled_rows(questionnaire, person, units),
            ]
        )
    return _csv(rows)


def google_export(
    questionnaire: Questionnaire, people: list[Respondent], units: dict[str, str] | None = None
) -> str:
    """A Google Forms CSV export: ``Timestamp``, ``Email Address``, question texts as headers."""
    units = units or {}
    header = ["Timestamp", "Email Address", ROLE_LABEL] + ([UNIT_LABEL] if units else [])
    header += [q.text for q in questionnaire.questions()]
    rows = [header]
    for number, person in enumerate(people):
        stamp = (
            f"2026/11/30 {9 + number // 3600 % 12}:{number // 60 % 60:02d}:{number % 60:02d} am GMT"
        )
        rows.append(
            [stamp, f"person{number}@example.org", *_labelled_rows(questionnaire, person, units)]
        )
    return _csv(rows)


def template_export(
    questionnaire: Questionnaire,
    people: list[Respondent],
    *,
    units: bool = False,
    delimiter: str = ",",
) -> str:
    """The CSV template of ``svcdiag survey export --format csv``, filled in."""
    header = ["response_id", fields.ROLE_FIELD] + ([fields.UNIT_FIELD] if units else [])
    header += [q.id for q in questionnaire.questions()]
    rows = [header]
    for person in people:
        row = [person.id, person.role] + ([person.unit or ""] if units else [])
        for question in questionnaire.questions():
            answer = person.answers.get(question.id)
            if answer is None:
                row.append("")
            elif isinstance(answer, list):
                row.append(";".join(answer))
            else:
                row.append(_xform(question, answer))
        rows.append(row)
    return _csv(rows, delimiter)


def answers_of(data: Any) -> dict[str, dict[str, AnswerValue]]:
    """Response id -> answers, from a loaded responses file."""
    return {response.id: response.answers for response in data.responses}

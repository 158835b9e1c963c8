"""Export a questionnaire as a plain CSV template, for tools without XLSForm.

The template is a header line: ``response_id``, ``respondent_role``,
``respondent_unit`` and one column per question id, in the order asked. Its
companion file lists each question with its type, whether it is required,
when it is asked and what it accepts, so that a form can be built by hand in
any tool (Microsoft Forms, a spreadsheet). ``svcdiag survey import --from csv``
reads the filled template back.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from svcdiag.assess.answers import allowed_values
from svcdiag.models.engagement import EngagementFile
from svcdiag.models.findings import Role
from svcdiag.models.questionnaire import Condition, Questionnaire
from svcdiag.survey import fields
from svcdiag.textsafe import CsvWriter, for_csv

ID_COLUMN = "response_id"
QUESTION_COLUMNS = ("id", "section", "type", "required", "asked_when", "allowed", "text", "help")


@dataclass(frozen=True)
class Template:
    """The template's header line and the rows of its question list."""

    header: list[str]
    questions: list[dict[str, str]]


def describe(condition: Condition) -> str:
    """A condition in words, for the question list (``problem_scope = some_teams``)."""
    if condition.all is not None:
        return " and ".join(f"({describe(part)})" for part in condition.all)
    if condition.any is not None:
        return " or ".join(f"({describe(part)})" for part in condition.any)
    if condition.not_ is not None:
        return f"not ({describe(condition.not_)})"
    name = condition.question
    if condition.equals is not None:
        return f"{name} = {_value(condition.equals)}"
    if condition.one_of is not None:
        return f"{name} is one of {', '.join(_value(v) for v in condition.one_of)}"
    if condition.answered is not None:
        return f"{name} is {'answered' if condition.answered else 'not answered'}"
    if condition.unknown is not None:
        return f"{name} is {'unknown' if condition.unknown else 'not unknown'}"
    parts = []
    if condition.at_least is not None:
        parts.append(f"{name} >= {_value(condition.at_least)}")
    if condition.at_most is not None:
        parts.append(f"{name} <= {_value(condition.at_most)}")
    return " and ".join(parts)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def build_template(
    questionnaire: Questionnaire, engagement: EngagementFile | None = None
) -> Template:
    """Return the template of ``questionnaire`` (with the units of ``engagement``)."""
    fields.check_names(questionnaire)
    header = [ID_COLUMN, fields.ROLE_FIELD]
    rows = [
        {
            "id": fields.ROLE_FIELD,
            "type": "choice",
            "required": "yes",
            "allowed": "one of " + ", ".join(r.value for r in Role),
            "text": "Which best describes your role?",
        }
    ]
    if engagement is not None and engagement.units:
        header.append(fields.UNIT_FIELD)
        rows.append(
            {
                "id": fields.UNIT_FIELD,
                "type": "choice",
                "required": "yes",
                "allowed": "one of " + ", ".join(unit.id for unit in engagement.units),
                "text": "Which team, branch or department do you work in?",
            }
        )
    for section in questionnaire.sections:
        for question in section.questions:
            header.append(question.id)
            allowed = allowed_values(question)
            if question.type.value == "multi_choice":
                allowed += " (separate several with ';')"
            rows.append(
                {
                    "id": question.id,
                    "section": section.id,
                    "type": question.type.value,
                    "required": "yes" if question.required else "no",
                    "asked_when": describe(question.when) if question.when else "always",
                    "allowed": allowed,
                    "text": question.text,
                    "help": question.help or "",
                }
            )
    return Template(header=header, questions=rows)


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerows([[for_csv(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def template_csv(template: Template) -> str:
    """The template file: its header line alone."""
    return _csv_text([template.header])


def questions_csv(template: Template) -> str:
    """The companion file: one row per column of the template."""
    return _csv_text(
        [list(QUESTION_COLUMNS)]
        + [[row.get(column, "") for column in QUESTION_COLUMNS] for row in template.questions]
    )

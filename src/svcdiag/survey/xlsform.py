"""Export a questionnaire as an XLSForm: the ``survey``, ``choices`` and ``settings`` sheets.

XLSForm is the form format of ODK, KoboToolbox, Survey123 and others. The form
starts with a note on anonymity, the respondent's role and (when the
engagement has units) unit; each section becomes a group, each question a row
of the type :mod:`svcdiag.survey.fields` gives it, with its help text as the
hint, its allowed values as a ``constraint`` and its ``when`` as an
equivalent ``relevant`` expression (:mod:`svcdiag.survey.relevance`).

:func:`build_form` returns the sheets as plain rows (tests read them);
:func:`xlsx_bytes` writes them with XlsxWriter, imported only here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from svcdiag.assess.answers import SCALE_MAX, SCALE_MIN, allowed_values
from svcdiag.models.engagement import DEFAULT_ANONYMITY_FLOOR, EngagementFile
from svcdiag.models.findings import UNKNOWN, Role
from svcdiag.models.questionnaire import Question, Questionnaire, QuestionType
from svcdiag.survey import fields
from svcdiag.survey.relevance import literal, number, ref, relevant

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
)
CHOICES_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version")

#: How each role reads in the form.
ROLE_LABELS = {
    Role.board: "Board member or director",
    Role.manager: "Manager or team leader",
    Role.staff: "Staff in a support or back-office role",
    Role.frontline: "Frontline staff, serving customers",
    Role.customer: "Customer",
}
ROLE_LABEL = "Which best describes your role?"
UNIT_LABEL = "Which team, branch or department do you work in?"
ROLE_LIST = "respondent_role"
UNIT_LIST = "respondent_unit"
KNOWN_LIST = "known_unknown"


@dataclass
class FormSheets:
    """The three sheets of an XLSForm, as rows of column name to cell text."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


def anonymity_text(floor: int) -> str:
    """The note that opens the form."""
    return (
        "Your answers are anonymous: no name or e-mail address is kept, and results are "
        f"shown only for groups of at least {floor} people. Please do not write names "
        "in your answers."
    )


class _Builder:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.by_id = {q.id: q for q in questionnaire.questions()}
        self.sheets = FormSheets()
        self.lists: set[str] = set()

    def row(self, **cells: str) -> None:
        for key in ("label", "hint"):
            if "${" in cells.get(key, ""):  # would be read as a reference to a field
                cells[key] = cells[key].replace("${", "$ {")
        self.sheets.survey.append({k: v for k, v in cells.items() if v})

    def choice_list(self, name: str, entries: list[fields.Choice]) -> None:
        if name in self.lists:
            return
        self.lists.add(name)
        self.sheets.choices.extend(
            {"list_name": name, "name": c.name, "label": c.label} for c in entries
        )

    def question(self, question: Question) -> None:
        condition = relevant(question.when, self.by_id) if question.when else ""
        required = "yes" if question.required else ""
        if fields.has_companion(question):
            self.choice_list(
                KNOWN_LIST,
                [
                    fields.Choice(fields.KNOWN, fields.KNOWN_LABEL),
                    fields.Choice(UNKNOWN, fields.UNKNOWN_LABEL),
                ],
            )
            companion = fields.companion_name(question)
            self.row(
                type=f"select_one {KNOWN_LIST}",
                name=companion,
                label=question.text,
                hint="Choose 'Don't know / not applicable' if you cannot answer.",
                required=required,
                relevant=condition,
            )
            known = f"{ref(companion)} = {literal(fields.KNOWN)}"
            condition = f"({condition}) and {known}" if condition else known
        self.row(
            type=_type(question),
            name=question.id,
            label=question.text,
            hint=question.help or "",
            required=required,
            relevant=condition,
            constraint=_constraint(question),
            constraint_message=f"Allowed: {allowed_values(question)}"
            if _constraint(question)
            else "",
        )
        if fields.is_select(question):
            self.choice_list(fields.list_name(question), fields.choices(question))


def _type(question: Question) -> str:
    if fields.is_select(question):
        kind = "select_multiple" if question.type is QuestionType.multi_choice else "select_one"
        return f"{kind} {fields.list_name(question)}"
    if question.type is QuestionType.scale:
        return "integer"
    if question.type is QuestionType.number:
        return "decimal"
    return "text"


def _constraint(question: Question) -> str:
    if question.type is QuestionType.scale and not fields.is_select(question):
        return f". >= {SCALE_MIN} and . <= {SCALE_MAX}"
    if question.type is QuestionType.number:
        parts = []
        if question.min is not None:
            parts.append(f". >= {number(question.min)}")
        if question.max is not None:
            parts.append(f". <= {number(question.max)}")
        return " and ".join(parts)
    if question.type is QuestionType.multi_choice:
        alone = [opt.id for opt in question.options or () if opt.exclusive]
        if question.allow_unknown:
            alone.append(UNKNOWN)
        return " and ".join(
            f"(not(selected(., {literal(option_id)})) or count-selected(.) = 1)"
            for option_id in alone
        )
    return ""


def build_form(
    questionnaire: Questionnaire, engagement: EngagementFile | None = None
) -> FormSheets:
    """Return the XLSForm sheets of ``questionnaire`` (for ``engagement``, if given).

    Raises:
        UsageError: An id of the questionnaire clashes with a field of the form.
    """
    fields.check_names(questionnaire)
    builder = _Builder(questionnaire)
    floor = engagement.anonymity_floor if engagement else DEFAULT_ANONYMITY_FLOOR
    builder.row(type="note", name=fields.NOTE_FIELD, label=anonymity_text(floor))
    builder.row(
        type=f"select_one {ROLE_LIST}",
        name=fields.ROLE_FIELD,
        label=ROLE_LABEL,
        required="yes",
    )
    builder.choice_list(ROLE_LIST, [fields.Choice(r.value, ROLE_LABELS[r]) for r in Role])
    if engagement and engagement.units:
        builder.row(
            type=f"select_one {UNIT_LIST}",
            name=fields.UNIT_FIELD,
            label=UNIT_LABEL,
            required="yes",
        )
        builder.choice_list(
            UNIT_LIST, [fields.Choice(unit.id, unit.name) for unit in engagement.units]
        )
    for section in questionnaire.sections:
        builder.row(
            type="begin group", name=section.id, label=section.title, hint=section.description or ""
        )
        for question in section.questions:
            builder.question(question)
        builder.row(type="end group", name=section.id)
    title = questionnaire.title
    if engagement is not None:
        title = f"{title}: {engagement.organisation}"
    builder.sheets.settings = {
        "form_title": title,
        "form_id": questionnaire.id,
        "version": questionnaire.version,
    }
    return builder.sheets


def xlsx_bytes(sheets: FormSheets) -> bytes:
    """Write ``sheets`` as an .xlsx workbook and return its bytes.

    Every cell is written as a string, so text such as ``=1+1`` stays text.
    """
    import xlsxwriter  # lazy: only ``svcdiag survey export`` needs it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    tables = (
        ("survey", SURVEY_COLUMNS, sheets.survey),
        ("choices", CHOICES_COLUMNS, sheets.choices),
        ("settings", SETTINGS_COLUMNS, [sheets.settings]),
    )
    for name, columns, rows in tables:
        sheet = workbook.add_worksheet(name)
        for col, title in enumerate(columns):
            sheet.write_string(0, col, title, bold)
        for row_index, row in enumerate(rows, start=1):
            for col, title in enumerate(columns):
                value = row.get(title, "")
                if value:
                    sheet.write_string(row_index, col, value)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()

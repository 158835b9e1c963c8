"""Round trip: export the form, convert it with pyxform, answer it in every platform's
layout, import the answers, and get the same answers back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.assess.conditions import evaluate as holds
from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.engagement import RESPONSES_DIR
from svcdiag.models.questionnaire import Questionnaire
from svcdiag.survey import fields
from svcdiag.survey.store import read_responses, responses_files
from tests.survey import layouts
from tests.survey.conftest import EVERYTHING, MakeEngagement
from tests.survey.forms import pyxform_warnings, read_sheet
from tests.survey.xpath import evaluate as xpath

runner = CliRunner()
UNITS = [("north", "North branch"), ("south", "South branch")]
PLATFORMS = ["kobo", "odk", "qualtrics", "google", "csv"]


def _engagement(
    make_engagement: MakeEngagement, questionnaire_id: str
) -> tuple[Path, Questionnaire]:
    if questionnaire_id == "everything":
        folder = make_engagement("everything", version="2.1", units=UNITS)
        shutil.copy(EVERYTHING, folder / "everything.yaml")
        return folder, load_questionnaire(str(EVERYTHING)).questionnaire
    version = load_questionnaire("diagnostic").questionnaire.version
    folder = make_engagement("diagnostic", version=version, units=UNITS)
    return folder, load_questionnaire("diagnostic").questionnaire


def _export(folder: Path, tmp_path: Path) -> Path:
    form = tmp_path / "form.xlsx"
    result = runner.invoke(app, ["survey", "export", str(folder), "-o", str(form)])
    assert result.exit_code == 0, result.output
    assert f"wrote {form}" in result.stderr
    return form


def _layout(
    platform: str, survey: list[dict[str, str]], q: Questionnaire, people: list[layouts.Respondent]
) -> str:
    units = dict(UNITS)
    if platform == "kobo":
        return layouts.kobo_export(survey, q, people)
    if platform == "odk":
        return layouts.odk_export(survey, q, people)
    if platform == "qualtrics":
        return layouts.qualtrics_export(q, people, units)
    if platform == "google":
        return layouts.google_export(q, people, units)
    return layouts.template_export(q, people, units=True)


@pytest.mark.parametrize("questionnaire_id", ["diagnostic", "everything"])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_same_answers_come_back(
    platform: str, questionnaire_id: str, make_engagement: MakeEngagement, tmp_path: Path
) -> None:
    folder, questionnaire = _engagement(make_engagement, questionnaire_id)
    form = _export(folder, tmp_path)
    assert pyxform_warnings(form) == []
    survey = read_sheet(form, "survey")
    people = layouts.respondents(questionnaire, 40, units=["north", "south"])
    export = tmp_path / f"{platform}-export.csv"
    export.write_text(_layout(platform, survey, questionnaire, people), encoding="utf-8")

    result = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert result.exit_code == 0, result.output
    assert f"{platform} export (detected)" in result.stderr
    assert "read 40, imported 40, rejected 0, duplicates 0" in result.stderr

    [written] = responses_files(folder / RESPONSES_DIR)
    stored = read_responses(written)
    assert stored.source.platform == platform
    assert stored.questionnaire.id == questionnaire.id
    assert [r.answers for r in stored.responses] == [p.answers for p in people]
    assert [r.role.value for r in stored.responses] == [p.role for p in people]
    assert [r.unit for r in stored.responses] == [p.unit for p in people]
    if platform != "google":  # Google Forms has no submission id: a hash of the row stands in
        assert next(r.id for r in stored.responses).endswith(people[0].id)

    again = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert again.exit_code == 0, again.output
    assert "read 40, imported 0, rejected 0, duplicates 40" in again.stderr
    assert "nothing was written" in again.stderr
    assert responses_files(folder / RESPONSES_DIR) == [written]


@pytest.mark.parametrize("questionnaire_id", ["diagnostic", "everything"])
def test_the_forms_relevant_column_asks_exactly_what_the_interview_asks(
    questionnaire_id: str, make_engagement: MakeEngagement, tmp_path: Path
) -> None:
    folder, questionnaire = _engagement(make_engagement, questionnaire_id)
    survey = {
        row["name"]: row for row in read_sheet(_export(folder, tmp_path), "survey") if "name" in row
    }
    checked = 0
    for person in layouts.respondents(questionnaire, 300, seed=11):
        values = layouts.xform_values(questionnaire, person.answers)
        for question in questionnaire.questions():
            name = (
                fields.companion_name(question) if fields.has_companion(question) else question.id
            )
            expression = survey[name].get("relevant")
            asked = holds(question.when, person.answers) if question.when else True
            assert (xpath(expression, values) if expression else True) is asked, (name, expression)
            checked += question.when is not None
    assert checked > 300


def test_the_form_opens_with_anonymity_role_and_unit(
    make_engagement: MakeEngagement, tmp_path: Path
) -> None:
    folder = make_engagement("diagnostic", units=UNITS, floor=7)
    form = _export(folder, tmp_path)
    survey = read_sheet(form, "survey")
    assert [row["name"] for row in survey[:3]] == [
        fields.NOTE_FIELD,
        fields.ROLE_FIELD,
        fields.UNIT_FIELD,
    ]
    assert survey[0]["type"] == "note"
    assert "at least 7 people" in survey[0]["label"]
    assert survey[3]["type"] == "begin group"
    choices = read_sheet(form, "choices")
    assert [
        (c["name"], c["label"]) for c in choices if c["list_name"] == "respondent_unit"
    ] == UNITS
    shipped = load_questionnaire("diagnostic").questionnaire
    assert read_sheet(form, "settings") == [
        {
            "form_title": f"{shipped.title}: Acme Ltd",
            "form_id": "diagnostic",
            "version": shipped.version,
        }
    ]


def test_odk_validate_accepts_the_forms(make_engagement: MakeEngagement, tmp_path: Path) -> None:
    """ODK Validate (Java, shipped with pyxform) checks the XForm itself, not only the sheets."""
    if shutil.which("java") is None:
        pytest.skip("ODK Validate needs Java")
    for questionnaire_id in ("diagnostic", "everything"):
        folder, _ = _engagement(make_engagement, questionnaire_id)
        target = tmp_path / questionnaire_id
        target.mkdir()
        assert pyxform_warnings(_export(folder, target), validate=True) == []

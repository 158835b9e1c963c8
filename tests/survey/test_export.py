"""``svcdiag survey export``: the sheets, the CSV template, refusals, and lazy imports."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.questionnaire import Questionnaire
from svcdiag.survey.xlsform import build_form
from tests.survey.conftest import EVERYTHING, MakeEngagement
from tests.survey.forms import pyxform_warnings, read_sheet

runner = CliRunner()
EVERY = load_questionnaire(str(EVERYTHING)).questionnaire


def _rows(questionnaire: Questionnaire) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in build_form(questionnaire).survey if "name" in row}


def test_each_type_has_its_xlsform_type_and_constraint() -> None:
    rows = _rows(EVERY)
    assert rows["scope"]["type"] == "select_one q_scope"
    assert rows["has_crm"]["type"] == "select_one yes_no_dk"
    assert rows["crm_rating"]["type"] == "select_one likert_dk"
    assert rows["recommend"]["type"] == "select_one scale_0_10_dk"
    assert rows["recommend_plain"]["type"] == "integer"
    assert rows["recommend_plain"]["constraint"] == ". >= 0 and . <= 10"
    assert rows["channels"]["type"] == "select_multiple q_channels"
    assert rows["channels"]["constraint"] == (
        "(not(selected(., 'no_channel')) or count-selected(.) = 1) and "
        "(not(selected(., 'unknown')) or count-selected(.) = 1)"
    )
    assert rows["hours"] == {
        "type": "decimal",
        "name": "hours",
        "label": "How many hours of training did you have last year?",
        "required": "yes",
        "constraint": ". >= 0 and . <= 200.5",
        "constraint_message": "Allowed: a number from 0 to 200.5",
    }
    assert rows["headcount__known"]["type"] == "select_one known_unknown"
    assert rows["headcount"]["relevant"] == "${headcount__known} = 'known'"
    assert rows["comment"]["type"] == "text" and "required" not in rows["comment"]
    assert rows["scope"]["hint"] == "Think of the last three months."
    [group] = [row for row in build_form(EVERY).survey if row["type"] == "begin group"][:1]
    assert group == {
        "type": "begin group",
        "name": "first",
        "label": "First things",
        "hint": 'Types, each once with "don\'t know".',
    }


def test_dont_know_is_an_extra_choice() -> None:
    choices = build_form(EVERY).choices
    scope = [(c["name"], c["label"]) for c in choices if c["list_name"] == "q_scope"]
    assert scope[-1] == ("unknown", "Don't know / not applicable")
    likert = [c["name"] for c in choices if c["list_name"] == "likert_dk"]
    assert likert == ["1", "2", "3", "4", "5", "unknown"]


def test_an_engagement_folder_gives_units_and_floor(
    make_engagement: MakeEngagement, tmp_path: Path
) -> None:
    folder = make_engagement(units=[("north", "North")], floor=9)
    out = tmp_path / "f.xlsx"
    result = runner.invoke(app, ["survey", "export", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "unit question: 1 unit\n" in result.stderr
    assert "anonymity floor stated in the form: 9" in result.stderr
    assert pyxform_warnings(out) == []
    assert "at least 9 people" in read_sheet(out, "survey")[0]["label"]


def test_the_csv_template_and_its_question_list(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    result = runner.invoke(
        app, ["survey", "export", str(EVERYTHING), "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8").splitlines()
    assert header == ["response_id,respondent_role," + ",".join(q.id for q in EVERY.questions())]
    with (tmp_path / "t.questions.csv").open(encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert rows["channels"]["allowed"] == (
        "a list of option ids from phone, email, chat, no_channel (no_channel only on its own), "
        "or unknown (separate several with ';')"
    )
    assert rows["phone_load"]["asked_when"] == (
        "(channels = phone) and (not (recommend_plain <= 3))"
    )
    assert rows["middling"]["asked_when"] == "recommend >= 5 and recommend <= 8.5"
    assert rows["scope_unsure"]["asked_when"] == "scope is unknown"
    assert rows["headcount_missing"]["asked_when"] == "headcount is not answered"


def test_existing_files_are_never_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    (tmp_path / "t.questions.csv").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "export", "diagnostic", "-f", "csv", "-o", str(out)])
    assert result.exit_code == 2
    assert "t.questions.csv already exists; nothing was written" in result.stderr
    assert not out.exists()
    forced = runner.invoke(
        app, ["survey", "export", "diagnostic", "-f", "csv", "-o", str(out), "--force"]
    )
    assert forced.exit_code == 0
    assert (tmp_path / "t.questions.csv").read_text(encoding="utf-8") != "mine\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["diagnostic", "-o", "form.txt", "-f", "xlsform"], "an XLSForm is an .xlsx workbook"),
        (["diagnostic", "-o", "form.csv", "-f", "xlsform"], "contradicts the name form.csv"),
        (["diagnostic", "-o", "form.xlsx", "-f", "csv"], "contradicts the name form.xlsx"),
        (["diagnostic", "-o", "form.txt"], "cannot tell the format of form.txt from its name"),
        (["nosuch", "-o", "f.xlsx"], "no questionnaire 'nosuch'"),
        ([".", "-o", "f.xlsx"], "is not an engagement folder"),
    ],
)
def test_bad_exports_are_usage_errors(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["survey", "export", *argv])
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from svcdiag.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.splitlines()[-1].split())


HEAVY = {"xlsxwriter", "python_calamine", "pyxform", "openpyxl"}


@pytest.mark.parametrize(
    "argv", [["--help"], ["survey", "--help"], ["survey", "import", "--help"], ["lint"]]
)
def test_help_and_lint_do_not_import_the_spreadsheet_libraries(argv: list[str]) -> None:
    assert HEAVY & _modules_after(argv) == set()


def test_export_imports_xlsxwriter_only_when_it_writes(tmp_path: Path) -> None:
    modules = _modules_after(["survey", "export", "diagnostic", "-o", str(tmp_path / "f.xlsx")])
    assert "xlsxwriter" in modules
    assert not {"python_calamine", "pyxform", "openpyxl"} & modules

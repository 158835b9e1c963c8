"""One recogniser of svcdiag's own files: a file in the wrong place is named alike everywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.engagement.kinds import kind_of
from svcdiag.source.yamlsource import load_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
QUESTIONNAIRE = Path(__file__).resolve().parents[1] / "questionnaires" / "diagnostic.yaml"
runner = CliRunner()


def test_each_shipped_kind_is_told_apart() -> None:
    kinds = {
        EXAMPLES / "findings-healthy.yaml": "interview",
        EXAMPLES / "answers-healthy.yaml": "answers",
        EXAMPLES / "engagement" / "engagement.yaml": "engagement",
        EXAMPLES / "engagement" / "responses" / "staff-survey.yaml": "responses",
        EXAMPLES / "engagement" / "evidence" / "complaints-by-agent.yaml": "evidence",
        QUESTIONNAIRE: "questionnaire",
    }
    assert {path: kind_of(load_file(path).data) for path in kinds} == kinds


def test_a_report_given_to_survey_import_is_named_as_a_report(tmp_path: Path) -> None:
    engagement = tmp_path / "eng"
    shutil.copytree(EXAMPLES / "engagement", engagement)
    report = tmp_path / "report.json"
    made = runner.invoke(app, ["engagement", "report", str(engagement), "-o", str(report)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["survey", "import", str(engagement), str(report)])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert f"{report}:1: this is an engagement report (svcdiag engagement report), not a" in said


def test_a_questionnaire_among_the_interviews_is_named(tmp_path: Path) -> None:
    engagement = tmp_path / "eng"
    shutil.copytree(EXAMPLES / "engagement", engagement)
    shutil.copy(QUESTIONNAIRE, engagement / "interviews" / "stray.yaml")
    result = runner.invoke(app, ["engagement", "status", str(engagement)])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "stray.yaml:1: this is a questionnaire definition, not a findings file" in said
    assert "svcdiag lint FILE" in said

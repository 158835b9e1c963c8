"""``svcdiag report``: recompute a saved findings file and render it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.export import to_yaml
from svcdiag.loading import Loaded
from svcdiag.models.findings import Findings
from svcdiag.report.formats import ReportFormat, render
from svcdiag.report.source import analysed

from .conftest import FIXTURES, findings_from_file

runner = CliRunner()


def _saved(tmp_path: Path, findings: Findings, name: str = "acme.findings.yaml") -> Path:
    path = tmp_path / name
    path.write_text(to_yaml(findings), encoding="utf-8")
    return path


def test_markdown_to_stdout_recomputes_the_analysis(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    # a stale or hand-edited analysis in the file is never trusted
    stale = findings.model_copy(update={"diagnosis": None, "recommendations": []})
    path = _saved(tmp_path, stale)
    result = runner.invoke(app, ["report", str(path), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(findings, ReportFormat.markdown)
    assert result.stderr == ""


def test_json_holds_the_full_findings(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-few-individuals.yaml")
    path = _saved(tmp_path, findings)
    result = runner.invoke(app, ["report", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["diagnosis"]["verdict"] == "individual"
    assert data["recommendations"][0]["intervention"] == "one_to_one_coaching"


def test_rich_is_the_default(mini: Loaded, tmp_path: Path) -> None:
    path = _saved(tmp_path, findings_from_file(mini, FIXTURES / "answers-healthy.yaml"))
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 0, result.output
    assert "No major service problem found" in result.stdout
    assert "\x1b[" not in result.stdout


def test_warns_when_the_questionnaire_changed(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    ref = findings.questionnaire.model_copy(update={"sha256": "0" * 64, "version": "0.9"})
    path = _saved(tmp_path, findings.model_copy(update={"questionnaire": ref}))
    result = runner.invoke(app, ["report", str(path), "--format", "yaml"])
    assert result.exit_code == 0, result.output
    assert "warning: questionnaire 'mini' has changed since these findings were made" in (
        " ".join(result.stderr.split())
    )
    assert "(version 0.9 then, 1 now)" in " ".join(result.stderr.split())
    assert yaml.safe_load(result.stdout)["diagnosis"]["major_problem"] is False


def test_warns_about_answers_that_no_longer_fit(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    answers = {**findings.answers, "retired_question": 3, "goals_clear": 9}
    path = _saved(tmp_path, findings.model_copy(update={"answers": answers}))
    result = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (
        "2 answer(s) no longer fit the questionnaire and were left out: goals_clear, "
        "retired_question" in " ".join(result.stderr.split())
    )


def test_output_file_refuses_to_overwrite_without_force(mini: Loaded, tmp_path: Path) -> None:
    path = _saved(tmp_path, findings_from_file(mini, FIXTURES / "answers-healthy.yaml"))
    out = tmp_path / "report.md"
    first = runner.invoke(app, ["report", str(path), "-f", "markdown", "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert first.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# Service diagnosis: Healthy Co\n")
    again = runner.invoke(app, ["report", str(path), "-f", "markdown", "-o", str(out)])
    assert again.exit_code == 2
    assert "already exists; nothing was written" in again.stderr
    forced = runner.invoke(app, ["report", str(path), "-f", "markdown", "-o", str(out), "--force"])
    assert forced.exit_code == 0


def test_rich_to_a_file_has_no_colour(mini: Loaded, tmp_path: Path) -> None:
    path = _saved(tmp_path, findings_from_file(mini, FIXTURES / "answers-widespread.yaml"))
    out = tmp_path / "report.txt"
    result = runner.invoke(app, ["report", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_invalid_findings_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.findings.yaml"
    path.write_text(
        "svcdiag_version: 0.1.0\n"
        "questionnaire: {id: mini, version: '1', sha256: nothex}\n"
        "organisation: X\n"
        "respondent: {role: manager}\n"
        "started: 2025-03-01T10:00:00Z\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"error: {path}:2:" in message
    assert "not a valid findings file: questionnaire.sha256: String should match pattern" in (
        message
    )
    assert "Traceback" not in result.output


def test_missing_findings_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "none.yaml: no such file" in " ".join(result.stderr.split())


def test_questionnaire_option_overrides_the_recorded_one(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    ref = findings.questionnaire.model_copy(update={"path": str(tmp_path / "moved.yaml")})
    path = _saved(tmp_path, findings.model_copy(update={"questionnaire": ref}))
    missing = runner.invoke(app, ["report", str(path), "-f", "json"])
    assert missing.exit_code == 2
    assert "no questionnaire" in missing.stderr
    given = runner.invoke(
        app, ["report", str(path), "-f", "json", "-q", str(FIXTURES / "mini.yaml")]
    )
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout)["diagnosis"]["rule"] == "none_healthy"


def test_analysed_uses_the_questionnaire_the_findings_name(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-few-individuals.yaml")
    bare = findings.model_copy(
        update={"diagnosis": None, "factors": None, "recommendations": None, "coverage": None}
    )
    assert analysed(bare) == findings


def test_assess_writes_the_analysis_and_ends_with_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answers = Path(__file__).resolve().parents[2] / "examples" / "answers-trained-demotivated.yaml"
    result = runner.invoke(
        app, ["assess", "diagnostic", "--answers", str(answers), "-o", "c.yaml", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    saved = yaml.safe_load((tmp_path / "c.yaml").read_text(encoding="utf-8"))
    assert Findings.model_validate(printed) == Findings.model_validate(saved)
    assert printed["diagnosis"]["verdict"] == saved["diagnosis"]["verdict"] == "system"
    assert [r["intervention"] for r in saved["recommendations"][:2]] == [
        "staff_designed_standards",
        "non_monetary_recognition",
    ]
    assert "Findings written to c.yaml" in result.stderr

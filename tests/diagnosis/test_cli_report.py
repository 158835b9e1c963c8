"""``svcdiag report``: recompute a saved findings file and render it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis.reanalyse import analysed
from svcdiag.models.findings import Findings
from svcdiag.render.report_formats import ReportFormat, render
from svcdiag.serialise import to_yaml

from .conftest import FIXTURES, findings_from_file

runner = CliRunner()


def _saved(tmp_path: Path, findings: Findings, name: str = "acme.findings.yaml") -> Path:
    """Save ``findings`` with a copy of their definitions in a folder under theirs.

    A findings file is trusted to name a questionnaire file only under its own
    folder, as when an engagement folder holds both.
    """
    definitions = tmp_path / "definitions"
    if not definitions.is_dir():
        shutil.copytree(FIXTURES, definitions)
    recorded = findings.questionnaire.path
    if recorded and Path(recorded).parent == FIXTURES:
        moved = str(definitions / Path(recorded).name)
        findings = findings.model_copy(
            update={"questionnaire": findings.questionnaire.model_copy(update={"path": moved})}
        )
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
    assert result.stderr == (
        "warning: 2 answers no longer fit the questionnaire and were left out:\n"
        "  goals_clear: expected a whole number from 1 to 5, found 9\n"
        "  retired_question: no such question in the questionnaire\n"
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
    assert result.stderr.splitlines()[0] == (
        f"error: {path}:2:49: 'questionnaire.sha256' is 'nothex': expected the 64 hexadecimal "
        "characters (0-9, a-f) of the questionnaire's sha256"
    )
    assert "hint: restore the value 'svcdiag assess' wrote" in message
    assert "Traceback" not in result.output


def _write(tmp_path: Path, findings: Findings, replace: tuple[str, str]) -> Path:
    """Save ``findings`` with one line of its YAML replaced (a hand edit)."""
    text = to_yaml(findings)
    assert replace[0] in text
    path = tmp_path / "edited.findings.yaml"
    path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    return path


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


@pytest.mark.parametrize(
    ("old", "new", "at", "message", "hint"),
    [
        (
            "respondent:",
            "favourite: 3\nrespondent:",
            ("favourite:", 1),
            "unknown key 'favourite'",
            "remove it; 'svcdiag schema findings' lists the keys a findings file may hold",
        ),
        (
            "respondent:",
            "organisaton: X\nrespondent:",
            ("organisaton:", 1),
            "unknown key 'organisaton'",
            "did you mean 'organisation'?",
        ),
        (
            "  goals_clear: 5",
            "  goals_clear: {a: 1}",
            ("  goals_clear:", 16),
            "the answer to 'goals_clear' is {'a': 1}: expected a number, yes/no, text, "
            "'unknown' or a list of option ids",
            None,
        ),
        (
            "started: '2025-03-01T10:00:00Z'",
            "started: yesterday",
            ("started:", 10),
            "'started' is 'yesterday': expected a date and time like 2026-05-01T10:00:00Z",
            "write it as year-month-dayThour:minute:second with Z (UTC) or an offset such as "
            "+01:00",
        ),
    ],
)
def test_findings_errors_in_the_users_terms(
    mini: Loaded,
    tmp_path: Path,
    old: str,
    new: str,
    at: tuple[str, int],
    message: str,
    hint: str | None,
) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    path = _write(tmp_path, findings, (old, new))
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    line = _line_of(path, at[0])
    hinted = f"hint: {hint}\n" if hint else ""
    assert result.stderr == f"error: {path}:{line}:{at[1]}: {message}\n{hinted}"


def test_an_answers_file_is_not_findings(tmp_path: Path) -> None:
    path = tmp_path / "acme.answers.yaml"
    path.write_text("organisation: Acme\nanswers:\n  goals_clear: 4\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {path}:1: this is an answers file, not findings: run 'svcdiag assess "
        f"QUESTIONNAIRE --answers {path}' to make findings",
        "hint: QUESTIONNAIRE is a shipped id such as 'diagnostic' ('svcdiag list' shows them) "
        "or a questionnaire file",
    ]


def test_unknown_questionnaire_names_the_findings_file(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    ref = findings.questionnaire.model_copy(update={"id": "nosuch", "path": None})
    path = _saved(tmp_path, findings.model_copy(update={"questionnaire": ref}))
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    line = _line_of(path, "  id: nosuch")
    assert result.stderr.splitlines() == [
        f"error: {path}:{line}:7: these findings name questionnaire 'nosuch', which is not "
        "a shipped questionnaire",
        "hint: give the definition they were made with: --questionnaire FILE (shipped: "
        "diagnostic, triage)",
    ]


def test_another_questionnaire_id_is_refused(mini: Loaded, tmp_path: Path) -> None:
    path = _saved(tmp_path, findings_from_file(mini, FIXTURES / "answers-healthy.yaml"))
    other = str(FIXTURES / "triage.yaml")
    result = runner.invoke(app, ["report", str(path), "-q", other])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: these findings were made with questionnaire 'mini', not 'mini_triage' (given "
        f"with --questionnaire {other})",
        "hint: leave out --questionnaire, or give a file that defines 'mini'",
    ]


def test_an_edit_without_a_new_version_is_not_called_a_version_change(
    mini: Loaded, tmp_path: Path
) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    ref = findings.questionnaire.model_copy(update={"sha256": "0" * 64})
    path = _saved(tmp_path, findings.model_copy(update={"questionnaire": ref}))
    result = runner.invoke(app, ["report", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert " ".join(result.stderr.split()) == (
        "warning: questionnaire 'mini' (version 1) has been edited since these findings were "
        "made, without a new version number; the analysis uses the current definition"
    )
    same = runner.invoke(app, ["report", str(_saved(tmp_path, findings, "same.yaml"))])
    assert same.stderr == ""


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
    assert "which is not a file" in missing.stderr
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
        "cascade_vision_values",
    ]
    assert [r["step"] for r in saved["recommendations"][:4]] == ["first"] * 3 + ["next"]

    assert "wrote c.yaml" in result.stderr


def test_every_findings_error_has_its_own_line(mini: Loaded, tmp_path: Path) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    text = to_yaml(findings).replace("started: '2025-03-01T10:00:00Z'", "started: soon")
    path = tmp_path / "two.findings.yaml"
    path.write_text(text.replace("respondent:", "favourite: 3\nrespondent:", 1), "utf-8")
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 2
    key, started = _line_of(path, "favourite:"), _line_of(path, "started:")
    assert result.stderr.splitlines()[:2] == [
        f"error: {path}:{key}:1: unknown key 'favourite'",
        f"  {path}:{started}:10: 'started' is 'soon': expected a date and time like "
        "2026-05-01T10:00:00Z",
    ]


def test_findings_of_an_older_questionnaire_version_re_render_with_a_warning() -> None:
    old = FIXTURES / "findings-diagnostic-1.0.yaml"
    result = runner.invoke(app, ["report", str(old), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert (
        "questionnaire 'diagnostic' has changed since these findings were made (version 1.0 "
        "then, 1.1 now)" in result.stderr
    )
    data = json.loads(result.stdout)
    assert data["diagnosis"]["verdict"] == "system"
    assert data["recommendations"][0]["step"] == "first"
    # questions added in 1.1 count as skipped, never as answered
    skipped = {m["question"] for m in data["coverage"]["missing"] if m["reason"] == "skipped"}
    assert {"scripted_complex", "customers_repeat"} <= skipped


def test_findings_with_no_answers_are_undetermined_and_never_called_healthy(
    tmp_path: Path,
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    data = yaml.safe_load((examples / "findings-healthy.yaml").read_text(encoding="utf-8"))
    for key in ("diagnosis", "characteristics", "factors", "gilbert", "recommendations"):
        data.pop(key, None)
    data.update(answers={}, notes={})
    path = tmp_path / "empty.findings.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert "**Undetermined**" in result.stdout
    assert "No plan yet: too little is known." in result.stdout
    assert "healthy" not in result.stdout.split("## How to read")[0].lower().replace(
        "(healthy)", ""
    )


@pytest.mark.parametrize(
    ("name", "starts"),
    [("r.md", "# Service diagnosis"), ("r.json", "{"), ("r.yaml", "schema_version: 1"),
     ("r.html", "<!DOCTYPE html>"), ("r.txt", "╭─ Service diagnosis")],
)  # fmt: skip
def test_report_output_format_follows_the_file_name(tmp_path: Path, name: str, starts: str) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    out = tmp_path / name
    result = runner.invoke(app, ["report", str(examples / "findings-healthy.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(starts)
    # an explicit --format is taken when the name says no format or the same one,
    # and refused when the name says another
    forced = tmp_path / f"forced-{name}"
    again = runner.invoke(
        app, ["report", str(examples / "findings-healthy.yaml"), "-f", "json", "-o", str(forced)]
    )
    if name in ("r.json", "r.txt"):
        assert forced.read_text(encoding="utf-8").startswith("{")
    else:
        assert again.exit_code == 2
        assert "--format json contradicts the name" in again.stderr
        assert not forced.exists()


def test_a_triage_run_ends_with_its_route(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    out = tmp_path / "t.yaml"
    result = runner.invoke(
        app,
        ["assess", "triage", "--answers", str(examples / "answers-triage-feedback.yaml"),
         "-o", str(out), "-f", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "Route: Give feedback."

"""Client data attached with --evidence: how they move the verdict and the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.diagnosis.data_rules import (
    COMMON_CAUSE_BOOST,
    CONTRADICTED,
    adjust_diagnosis,
    adjust_plan,
)
from svcdiag.diagnosis.reanalyse import attach, read_data_evidence, read_findings
from svcdiag.models.analysis import Verdict
from svcdiag.models.findings import DataEvidence, Findings
from svcdiag.source.yamlsource import load_file

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

COMMON_CSV = "agent,complaints,contacts\n" + "".join(
    f"A{i},{10 + (i % 3)},200\n" for i in range(12)
)
SPECIAL_CSV = (
    "agent,complaints,contacts\n"
    + "".join(f"A{i},{10 + (i % 3)},200\n" for i in range(11))
    + "OUTLIER,60,200\n"
)


def _saved(tmp_path: Path, name: str, csv: str) -> Path:
    src = tmp_path / f"{name}.csv"
    src.write_text(csv)
    out = tmp_path / f"{name}.yaml"
    result = runner.invoke(
        app,
        [
            "variation",
            str(src),
            "--unit",
            "agent",
            "--events",
            "complaints",
            "--cases",
            "contacts",
            "-f",
            "yaml",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def _with(findings: Findings, data: list[DataEvidence]) -> Findings:
    from svcdiag.diagnosis.reanalyse import analysed

    return analysed(attach(findings, data))


@pytest.fixture
def common(tmp_path: Path) -> list[DataEvidence]:
    (item,) = read_data_evidence([_saved(tmp_path, "common", COMMON_CSV)])
    assert item.variation is not None and item.variation.verdict.value == "common_cause"
    return [item]


@pytest.fixture
def special(tmp_path: Path) -> list[DataEvidence]:
    (item,) = read_data_evidence([_saved(tmp_path, "special", SPECIAL_CSV)])
    assert item.variation is not None and item.variation.verdict.value == "special_cause"
    return [item]


def test_common_cause_strengthens_a_system_verdict(common: list[DataEvidence]) -> None:
    base = _with(read_findings(EXAMPLES / "findings-trained-demotivated.yaml"), [])
    assert base.diagnosis is not None and base.diagnosis.verdict is Verdict.system
    adjusted = adjust_diagnosis(base.diagnosis, common)
    assert adjusted.verdict is Verdict.system
    expected = round(min(0.99, base.diagnosis.confidence + COMMON_CAUSE_BOOST), 2)
    assert adjusted.confidence == expected
    assert any("what one system produces" in r for r in adjusted.reasons)


def test_common_cause_contradicts_an_individual_verdict(common: list[DataEvidence]) -> None:
    base = _with(read_findings(EXAMPLES / "findings-few-individuals.yaml"), [])
    assert base.diagnosis is not None and base.diagnosis.verdict is Verdict.individual
    adjusted = _with(read_findings(EXAMPLES / "findings-few-individuals.yaml"), common)
    assert adjusted.diagnosis is not None
    assert adjusted.diagnosis.verdict is Verdict.mixed
    # one respondent alone is capped at medium (0.74); with data attached the cap is
    # lifted, and the rule's 0.90 (every question answered) is scaled down instead
    assert base.diagnosis.confidence == 0.74
    assert adjusted.diagnosis.confidence == round(0.90 * CONTRADICTED, 2)
    assert not any("one respondent's view" in r for r in adjusted.diagnosis.reasons)
    assert "single out no one" in " ".join(adjusted.diagnosis.reasons)
    assert "no unit apart" in adjusted.diagnosis.headline


def test_special_cause_adds_individual_review_for_those_units(
    special: list[DataEvidence],
) -> None:
    findings = _with(read_findings(EXAMPLES / "findings-widespread.yaml"), special)
    assert findings.diagnosis is not None
    assert findings.diagnosis.verdict is Verdict.system  # the system verdict stands
    assert any("OUTLIER differs beyond" in r for r in findings.diagnosis.reasons)
    recs = findings.recommendations or []
    coaching = [r for r in recs if r.level.value == "individual"]
    assert len(coaching) == 1
    assert "OUTLIER" in coaching[0].rationale
    assert not coaching[0].is_training
    assert [r.rank for r in recs] == list(range(1, len(recs) + 1))


def test_special_cause_extends_an_individual_recommendation_already_there(
    special: list[DataEvidence],
) -> None:
    findings = _with(read_findings(EXAMPLES / "findings-few-individuals.yaml"), [])
    plan = findings.recommendations or []
    loaded = load_questionnaire("diagnostic")
    adjusted = adjust_plan(plan, special, loaded.catalogue.interventions)
    assert "individual_coaching" in [r.intervention for r in plan]
    assert len(adjusted) == len(plan)  # extended in place, not added twice
    changed = next(r for r in adjusted if r.intervention == "individual_coaching")
    before = next(r for r in plan if r.intervention == "individual_coaching")
    assert changed.rank == before.rank
    assert changed.rationale.startswith(before.rationale)
    assert changed.rationale.endswith("review each with its manager before anything else.")


def test_no_data_changes_nothing() -> None:
    findings = read_findings(EXAMPLES / "findings-widespread.yaml")
    assert _with(findings, []).diagnosis == _with(findings, []).diagnosis
    assert attach(findings, []) is findings


def test_report_with_evidence_shows_the_data(tmp_path: Path) -> None:
    saved = _saved(tmp_path, "special", SPECIAL_CSV)
    result = runner.invoke(
        app,
        ["report", str(EXAMPLES / "findings-widespread.yaml"), "-e", str(saved), "-f", "markdown"],
    )
    assert result.exit_code == 0, result.output
    assert "## Evidence from client data" in result.stdout
    assert "OUTLIER: 30.0 % (60 of 200), above its 99.8 % limit" in result.stdout


def test_assess_attaches_evidence_to_the_findings(tmp_path: Path) -> None:
    saved = _saved(tmp_path, "common", COMMON_CSV)
    out = tmp_path / "f.yaml"
    result = runner.invoke(
        app,
        [
            "assess",
            "--answers",
            str(EXAMPLES / "answers-trained-demotivated.yaml"),
            "--evidence",
            str(saved),
            "-o",
            str(out),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = load_file(out).data
    assert [d["kind"] for d in data["data_evidence"]] == ["variation"]
    assert any("what one system produces" in r for r in data["diagnosis"]["reasons"])


def test_bad_evidence_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("hello: world\n")
    out = tmp_path / "f.yaml"
    result = runner.invoke(
        app,
        [
            "assess",
            "--answers",
            str(EXAMPLES / "answers-healthy.yaml"),
            "--evidence",
            str(bad),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert str(bad) in result.stderr
    assert not out.exists()


def test_many_units_beyond_the_limits_are_named_a_few_at_a_time(tmp_path: Path) -> None:
    # 30 outliers among 300 agents: the reasons and the plan name ten, and count the rest.
    rows = "".join(f"A{i},{10 + i % 3},200\n" for i in range(270))
    rows += "".join(f"OUT{i},70,200\n" for i in range(30))
    (item,) = read_data_evidence([_saved(tmp_path, "many", "agent,complaints,contacts\n" + rows)])
    assert item.variation is not None
    findings = _with(read_findings(EXAMPLES / "findings-few-individuals.yaml"), [item])
    assert findings.diagnosis is not None
    text = " ".join(findings.diagnosis.reasons)
    named = ", ".join(f"OUT{i}" for i in range(10))
    assert f"{named} and 20 more differ beyond what the system explains" in text
    assert "OUT10" not in text
    rationales = " ".join(r.rationale for r in findings.recommendations or [])
    assert f"The data single out {named} and 20 more" in rationales
    assert "OUT10" not in rationales

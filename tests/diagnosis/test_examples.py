"""The shipped questionnaires on the example answer files: verdicts, plans, saved findings.

``examples/findings-*.yaml`` are computed here from ``examples/answers-*.yaml``
with a fixed date; regenerate them with ``SVCDIAG_UPDATE_GOLDEN=1 python -m
pytest tests/diagnosis`` after an intended change.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from svcdiag import __version__
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.diagnosis import with_analysis
from svcdiag.models.analysis import Verdict
from svcdiag.models.findings import AnswersFile, Findings, QuestionnaireRef, Respondent, Role
from svcdiag.models.questionnaire import Route
from svcdiag.serialise import to_yaml
from svcdiag.source.yamlsource import load_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STARTED = datetime(2025, 6, 2, 9, 30, tzinfo=timezone.utc)
DIAGNOSTIC = ["widespread", "few-individuals", "trained-demotivated", "healthy"]
ALL = [*DIAGNOSTIC, "triage-feedback"]


def example_findings(name: str) -> Findings:
    """The findings of ``examples/answers-NAME.yaml``, analysed, with a fixed date."""
    loaded = load_questionnaire("triage" if name.startswith("triage") else "diagnostic")
    part = AnswersFile.model_validate(load_file(EXAMPLES / f"answers-{name}.yaml").data)
    questionnaire = loaded.questionnaire
    findings = Findings(
        svcdiag_version=__version__,
        questionnaire=QuestionnaireRef(
            id=questionnaire.id,
            version=questionnaire.version,
            sha256=loaded.sha256,
            title=questionnaire.title,
        ),
        organisation=part.organisation or name,
        respondent=part.respondent or Respondent(role=Role.manager),
        consultant=part.consultant,
        started=STARTED,
        finished=STARTED + timedelta(minutes=40),
        answers=dict(part.answers),
        notes=dict(part.notes),
    )
    return with_analysis(findings, questionnaire, loaded.catalogue)


def findings_text(name: str) -> str:
    """The text of ``examples/findings-NAME.yaml``."""
    header = (
        f"# Findings computed from examples/answers-{name}.yaml.\n"
        f"# Re-render with: svcdiag report examples/findings-{name}.yaml\n"
    )
    return header + to_yaml(example_findings(name))


@pytest.mark.parametrize("name", ALL)
def test_example_findings_are_current(name: str) -> None:
    path = EXAMPLES / f"findings-{name}.yaml"
    text = findings_text(name)
    if os.environ.get("SVCDIAG_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing {path.name}: run SVCDIAG_UPDATE_GOLDEN=1 pytest"
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} is stale: run SVCDIAG_UPDATE_GOLDEN=1 python -m pytest tests/diagnosis"
    )


def _top(findings: Findings, count: int) -> list[str]:
    return [r.intervention for r in (findings.recommendations or [])[:count]]


def test_organisation_wide_failure_is_a_system_problem() -> None:
    findings = example_findings("widespread")
    assert findings.diagnosis is not None
    assert findings.diagnosis.verdict is Verdict.system
    # one manager's view and no data: medium at most
    assert findings.diagnosis.confidence_level.value == "medium"
    # the weakest causes first: conflicting targets, a vision that never reached the
    # front line, and staff with no measures of their service
    assert _top(findings, 3) == [
        "clarify_goals_priorities",
        "cascade_vision_values",
        "frontline_metrics_feedback",
    ]
    plan = findings.recommendations or []
    assert "fix_tools_systems" in [r.intervention for r in plan]
    # the only training is for managers, who have had none; nothing for the front line
    assert [r.intervention for r in plan if r.is_training] == ["manager_service_training"]


def test_few_poor_individuals_in_a_healthy_organisation() -> None:
    findings = example_findings("few-individuals")
    assert findings.diagnosis is not None
    assert findings.diagnosis.verdict is Verdict.individual
    recs = findings.recommendations or []
    # coaching and practice for the two people first, then the course they missed;
    # nothing on tools or standards, which the answers show to be fine
    assert [r.intervention for r in recs] == ["individual_coaching", "frontline_skills_training"]
    assert not recs[0].is_training
    assert "Training fits" in recs[1].rationale
    assert all(r.level.value in ("individual", "frontline") for r in recs)


def test_trained_and_demotivated_without_performance_pay() -> None:
    findings = example_findings("trained-demotivated")
    diagnosis = findings.diagnosis
    assert diagnosis is not None
    assert diagnosis.verdict is Verdict.system
    assert any("symptoms of incentives, involvement and management" in r for r in diagnosis.reasons)
    top = _top(findings, 3)
    # staff shape their own standards first (seed 004), and the managers, who were
    # never trained while their staff were, come before any more frontline courses
    assert top == [
        "staff_designed_standards",
        "cascade_vision_values",
        "manager_service_training",
    ]
    plan = findings.recommendations or []
    assert "non_monetary_recognition" in [r.intervention for r in plan]
    assert not any(r.is_training and r.level.value in ("frontline", "individual") for r in plan)
    knowledge = next(c for c in findings.gilbert or [] if c.cell.value == "knowledge")
    assert knowledge.score is not None and knowledge.score >= 80  # they know how already


def test_healthy_organisation_has_no_major_problem() -> None:
    findings = example_findings("healthy")
    assert findings.diagnosis is not None
    assert findings.diagnosis.major_problem is False
    assert findings.diagnosis.verdict is Verdict.healthy
    assert findings.diagnosis.headline == (
        "No major service problem found: the organisation supports good service."
    )
    assert findings.recommendations == []
    assert len(findings.characteristics or []) == 10


def test_triage_reaches_feedback() -> None:
    findings = example_findings("triage-feedback")
    assert findings.triage is not None
    assert findings.triage.route is Route.give_feedback
    assert findings.diagnosis is None

"""Client scenarios: each answers file describes a client as a consultant meets them.

Every file in ``scenarios/`` opens with a comment describing the client; the
table below gives the verdict and the first three items of the plan that a
consultant would defend for that client. The answers go through the same
validation as an answers file and the same analysis as ``svcdiag report``,
with the shipped ``diagnostic`` questionnaire and catalogues.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from svcdiag.assess.answers import validate_answers
from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.models.analysis import PlanStep, Verdict
from svcdiag.models.findings import Findings
from svcdiag.render.report_formats import ReportFormat, render

from .conftest import answers_file, make_findings

SCENARIOS = Path(__file__).parent / "scenarios"

#: scenario -> (verdict, the first three items of the plan, in order)
EXPECTED: dict[str, tuple[Verdict, list[str]]] = {
    "broken-tools": (Verdict.system, ["fix_tools_systems"]),
    "conflicting-targets": (
        Verdict.system,
        ["clarify_goals_priorities", "frontline_metrics_feedback"],
    ),
    "scripted-complex-work": (Verdict.system, ["empowerment_policy", "work_system_review"]),
    "sham-empowerment": (Verdict.system, ["back_staff_judgement", "fix_consequences"]),
    "untrained-managers-silos": (
        Verdict.system,
        ["internal_customer_forum", "managers_on_front_line", "manager_service_training"],
    ),
    "cant-do-after-launch": (
        Verdict.system,
        ["briefing_job_aids", "systems_hands_on_training"],
    ),
    "two-new-starters": (
        Verdict.mixed,
        ["new_starter_buddying", "individual_coaching", "frontline_skills_training"],
    ),
    "some-teams-manager": (Verdict.system, ["team_manager_coaching"]),
    "both-places": (Verdict.system, ["work_system_review", "expectations_conversation"]),
    "healthy-firm": (Verdict.healthy, []),
    "too-little-answered": (Verdict.undetermined, []),
    "nps-in-place": (Verdict.system, ["work_system_review", "managers_on_front_line"]),
    "rude-individuals": (Verdict.individual, ["expectations_conversation"]),
    "slow-leaders": (
        Verdict.system,
        ["board_service_vision", "cascade_vision_values", "continuous_review_cycle"],
    ),
}


@pytest.fixture(scope="module")
def diagnostic() -> Loaded:
    return load_questionnaire("diagnostic")


def _findings(diagnostic: Loaded, name: str) -> Findings:
    path = SCENARIOS / f"{name}.yaml"
    part = answers_file(path)
    answers = validate_answers(diagnostic.questionnaire, part.answers, source=str(path))
    return make_findings(
        diagnostic, answers, notes=dict(part.notes), organisation=part.organisation or ""
    )


def test_every_scenario_file_is_in_the_table_and_described() -> None:
    files = {p.stem for p in SCENARIOS.glob("*.yaml")}
    assert files == set(EXPECTED)
    for name in files:
        assert (SCENARIOS / f"{name}.yaml").read_text().startswith("# "), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_verdict_and_top_three(diagnostic: Loaded, name: str) -> None:
    findings = _findings(diagnostic, name)
    verdict, top = EXPECTED[name]
    assert findings.diagnosis is not None
    assert findings.diagnosis.verdict is verdict, findings.diagnosis.reasons
    plan = findings.recommendations or []
    assert [r.intervention for r in plan[:3]] == top
    # The plan opens with first steps; every item names an owner and its chief causes.
    assert all(r.owner is not None and r.chief_factors for r in plan)
    if plan:
        assert plan[0].step is PlanStep.first


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_quotes_only_answers_on_the_chief_causes(diagnostic: Loaded, name: str) -> None:
    findings = _findings(diagnostic, name)
    moved = {"equipping": {"individual_skill"}}
    for rec in findings.recommendations or []:
        allowed = set(rec.chief_factors).union(*(moved.get(f, set()) for f in rec.chief_factors))
        assert {t.factor for t in rec.triggers} <= allowed, rec.intervention


def test_no_intervention_heads_most_organisation_wide_plans(diagnostic: Loaded) -> None:
    """Aim, not breadth: no single item is in the top three of over half the wide cases."""
    tops: Counter[str] = Counter()
    wide = 0
    for name in EXPECTED:
        findings = _findings(diagnostic, name)
        assert findings.diagnosis is not None
        if findings.diagnosis.scope is None or findings.diagnosis.scope.value != "widespread":
            continue
        wide += 1
        tops.update(r.intervention for r in (findings.recommendations or [])[:3])
    assert wide >= 8
    most, count = tops.most_common(1)[0]
    assert count <= wide / 2, (most, count, wide)


def test_a_single_respondent_is_never_high_confidence(diagnostic: Loaded) -> None:
    for name in EXPECTED:
        findings = _findings(diagnostic, name)
        assert findings.diagnosis is not None
        assert findings.diagnosis.confidence_level.value != "high", name


def test_what_is_in_place_is_not_recommended(diagnostic: Loaded) -> None:
    findings = _findings(diagnostic, "nps-in-place")
    plan = [r.intervention for r in findings.recommendations or []]
    assert "voice_of_customer" not in plan
    assert "Voice-of-the-customer measurement, including NPS" in (findings.already_in_place or [])


def test_a_wide_cant_do_equips_people_and_lays_out_training_by_level(
    diagnostic: Loaded,
) -> None:
    findings = _findings(diagnostic, "cant-do-after-launch")
    assert findings.diagnosis is not None
    assert findings.diagnosis.verdict is Verdict.system
    training = [r for r in findings.recommendations or [] if r.is_training]
    assert [r.intervention for r in training] == ["systems_hands_on_training"]
    levels = {s.level.value: s for s in findings.training_plan or []}
    assert list(levels) == ["board", "managers", "all_staff", "frontline", "continuous_review"]
    assert levels["frontline"].needed and "systems_hands_on_training" in (
        levels["frontline"].interventions
    )
    assert not levels["board"].needed


def test_untrained_managers_come_first_in_the_training_plan(diagnostic: Loaded) -> None:
    findings = _findings(diagnostic, "untrained-managers-silos")
    needed = [s.level.value for s in findings.training_plan or [] if s.needed]
    assert needed[0] == "managers"
    managers = next(s for s in findings.training_plan or [] if s.level.value == "managers")
    assert managers.interventions == ["manager_service_training"]


def test_a_problem_in_both_places_gets_both_kinds_of_item(diagnostic: Loaded) -> None:
    findings = _findings(diagnostic, "both-places")
    levels = {r.level.value for r in findings.recommendations or []}
    assert "individual" in levels
    assert levels - {"individual"}
    assert findings.diagnosis is not None
    assert any("a few particular people are named" in r for r in findings.diagnosis.reasons)


def test_some_teams_plan_is_aimed_at_what_differs(diagnostic: Loaded) -> None:
    findings = _findings(diagnostic, "some-teams-manager")
    first = (findings.recommendations or [])[0]
    assert first.intervention == "team_manager_coaching"
    assert "teams_differ" in {t.question for t in first.triggers}
    assert "Aimed at the teams where service is weaker." in first.rationale


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_leads_with_the_verdict_words_and_first_steps(diagnostic: Loaded, name: str) -> None:
    findings = _findings(diagnostic, name)
    text = render(findings, ReportFormat.markdown)
    assert findings.diagnosis is not None
    verdict_at = text.index("## Verdict")
    plan_at = text.index("## The plan")
    analysis = [text.find(h) for h in ("## Benchmark", "## Gilbert", "## Cause factors")]
    assert verdict_at < plan_at < min(a for a in analysis if a >= 0)
    if findings.client_words:
        assert verdict_at < text.index("## In the client's words") < plan_at
    plan = findings.recommendations or []
    if plan:
        assert text.index(plan[0].title) < min(a for a in analysis if a >= 0)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_rich_report_fits_80_columns_and_leads_with_the_plan(
    diagnostic: Loaded, name: str
) -> None:
    findings = _findings(diagnostic, name)
    text = render(findings, ReportFormat.rich)
    lines = text.splitlines()
    assert not [line for line in lines if len(line) > 80]
    plan = findings.recommendations or []
    if plan:
        # the first step is on the first screen (50 lines), before any analytic panel
        first = next(i for i, line in enumerate(lines) if plan[0].title[:40] in line)
        assert first < 50
        assert first < next(i for i, line in enumerate(lines) if "Benchmark" in line)

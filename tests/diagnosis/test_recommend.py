"""Ranking interventions: needs, symptoms moved to the system, training in its place."""

from __future__ import annotations

import pytest

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis import recommend as recommend_module
from svcdiag.diagnosis.recommend import (
    GOOD_AT,
    GROUP_SHARE,
    TRAINING_PENALTY,
    factor_need,
    factor_needs,
    recommend,
    training_fits,
)
from svcdiag.models.analysis import (
    ConfidenceLevel,
    Diagnosis,
    FactorScore,
    GilbertScore,
    Status,
    Verdict,
)
from svcdiag.models.catalogue import Effort, FactorKind, GilbertCell, Intervention, Level
from svcdiag.models.questionnaire import Questionnaire, Scope

from .conftest import FIXTURES, findings_from_file, make_findings

_EMPTY = Questionnaire.model_validate(
    {
        "schema_version": 1,
        "id": "empty",
        "title": "Empty",
        "version": "1",
        "sections": [
            {"id": "s", "title": "S", "questions": [{"id": "q", "text": "Q?", "type": "text"}]}
        ],
    }
)


def _factor(
    fid: str, kind: FactorKind, cell: GilbertCell, score: float | None, weight: float = 3
) -> FactorScore:
    return FactorScore(
        id=fid,
        title=fid,
        kind=kind,
        gilbert=cell,
        score=score,
        answered=3 if score is not None else 1,
        weight=weight,
        status=Status.ok if score is not None else Status.insufficient,
    )


def _diagnosis(verdict: Verdict, scope: Scope | None, symptom: bool = False) -> Diagnosis:
    return Diagnosis(
        verdict=verdict,
        confidence=0.9,
        confidence_level=ConfidenceLevel.high,
        major_problem=True,
        scope=scope,
        rule="test",
        individual_as_symptom=symptom,
        headline="test",
        reasons=["test"],
    )


def test_factor_need_by_hand() -> None:
    # shortfall (75 - 30) / 75 = 0.6, strength 3 / (3 + 1) = 0.75
    assert factor_need(
        _factor("a", FactorKind.system, GilbertCell.incentives, 30.0)
    ) == pytest.approx(0.45)
    assert factor_need(_factor("a", FactorKind.system, GilbertCell.incentives, GOOD_AT)) == 0
    assert factor_need(_factor("a", FactorKind.system, GilbertCell.incentives, None)) == 0


def test_symptom_need_moves_to_the_environment_cell_above() -> None:
    factors = [
        _factor("recognition", FactorKind.system, GilbertCell.incentives, 80.0),
        _factor("involvement", FactorKind.system, GilbertCell.incentives, 80.0),
        _factor("goals", FactorKind.system, GilbertCell.information, 80.0),
        _factor("attitude", FactorKind.individual, GilbertCell.motives, 30.0),
    ]
    kept = factor_needs(factors, _diagnosis(Verdict.individual, Scope.few_individuals))
    assert kept["attitude"].amount == pytest.approx(0.45)
    moved = factor_needs(factors, _diagnosis(Verdict.system, Scope.widespread, symptom=True))
    assert moved["attitude"].amount == 0
    assert moved["recognition"].amount == pytest.approx(0.225)
    assert moved["involvement"].amount == pytest.approx(0.225)
    assert moved["recognition"].moved_from == ["attitude"]
    assert moved["goals"].amount == 0


def _cells(knowledge: float | None) -> list[GilbertScore]:
    return [
        GilbertScore(
            cell=GilbertCell.knowledge,
            side="individual",
            score=knowledge,
            answered=2,
            weight=2,
            status=Status.ok,
        )
    ]


@pytest.mark.parametrize(
    ("verdict", "scope", "knowledge", "fits", "why"),
    [
        (Verdict.individual, Scope.few_individuals, 30.0, True, "limited to a few people"),
        (Verdict.mixed, Scope.some_teams, 30.0, True, "limited to some teams"),
        (Verdict.system, Scope.widespread, 30.0, False, "the problem is widespread"),
        (Verdict.system, Scope.some_teams, 30.0, False, "mostly in the system"),
        (Verdict.individual, Scope.few_individuals, 70.0, False, "no real skill"),
        (Verdict.mixed, None, 30.0, False, "not known that the problem is limited"),
    ],
)
def test_training_fits_only_a_real_gap_in_a_limited_group(
    verdict: Verdict, scope: Scope | None, knowledge: float, fits: bool, why: str
) -> None:
    got, reason = training_fits(_diagnosis(verdict, scope), _cells(knowledge))
    assert got is fits
    assert why in reason


def test_widespread_scenario_ranks_system_fixes_and_drops_training(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    recs = findings.recommendations or []
    assert [r.intervention for r in recs] == ["clarify_goals", "recognition_scheme", "fix_tools"]
    # clarify_goals: goal_clarity (0.25 + 0) / 2 = 12.5 and measures_feedback
    # (0 + (1 - 25/30)) / 2 = 8.3 (as shown, one decimal), each with weight 2
    top = (75 - 12.5) / 75 * 2 / 3 + (75 - 8.3) / 75 * 2 / 3
    assert recs[0].priority == pytest.approx(top, abs=1e-4)


def test_training_penalty_when_the_problem_is_widespread(
    mini: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recommend_module, "MIN_SHARE_OF_TOP", 0.0)
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    recs = findings.recommendations or []
    assert [r.intervention for r in recs] == [
        "clarify_goals",
        "recognition_scheme",
        "fix_tools",
        "staff_designed_standards",
        "course_for_everyone",
    ]
    course = recs[-1]
    assert course.is_training
    assert "Training, ranked down: the problem is widespread" in course.rationale
    # the course's need before the penalty: goal_clarity (12.5, weight 2)
    raw = (75 - 12.5) / 75 * 2 / 3
    assert course.priority == pytest.approx(raw * TRAINING_PENALTY, abs=1e-4)


def test_recommendations_name_the_answers_behind_them(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    fix_tools = next(r for r in findings.recommendations or [] if r.intervention == "fix_tools")
    assert [(t.question, t.answer_text, t.note) for t in fix_tools.triggers] == [
        ("tools_work", "3/10", "The till crashes twice a day."),
        ("process_helps", "2 (Disagree)", None),
    ]
    recognition = next(
        r for r in findings.recommendations or [] if r.intervention == "recognition_scheme"
    )
    assert "read as a symptom of incentives, involvement and management" in (recognition.rationale)
    # strongest first: weight x (0.75 - health); keen counts as a symptom of recognition
    assert [(t.question, t.factor, t.health) for t in recognition.triggers] == [
        ("recognition", "recognition_consequences", 0.0),
        ("recognised_by", "recognition_consequences", 0.0),
        ("keen", "individual_attitude", 0.25),
    ]


def test_few_individuals_with_skill_gap_ranks_help_for_those_people_first(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-few-individuals.yaml")
    recs = findings.recommendations or []
    # course_for_everyone (goal_clarity, individual_skill) is left out: goal clarity
    # shows no need, and a skill gap in a few people does not call for a course for all
    assert [r.intervention for r in recs] == ["one_to_one_coaching", "frontline_course"]
    assert recs[0].level is Level.individual
    assert "Aimed at the people concerned" in recs[0].rationale
    assert "Aimed at the whole frontline while the gap is in a few people" in recs[1].rationale
    assert "Training fits here" in recs[1].rationale
    # the same need, counted in full person by person and by half frontline-wide
    assert recs[1].priority == pytest.approx(recs[0].priority * GROUP_SHARE, abs=1e-4)


def _intervention(iid: str, factors: list[str], level: Level, training: bool) -> Intervention:
    return Intervention(
        id=iid,
        title=iid,
        factors=factors,
        level=level,
        effort=Effort.low,
        is_training=training,
        description="test",
    )


CATALOGUE = {
    i.id: i
    for i in (
        _intervention("tools_course", ["tools_systems", "individual_skill"], Level.frontline, True),
        _intervention("skills_course", ["individual_skill"], Level.frontline, True),
        _intervention("coaching", ["individual_skill", "feedback"], Level.individual, False),
    )
}


@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        (75.0, ["coaching", "skills_course"]),  # no tools evidence: no tools training
        (30.0, ["tools_course", "coaching", "skills_course"]),  # tools need + half the skill
    ],
)
def test_group_intervention_needs_a_need_on_its_system_side(
    tools: float, expected: list[str]
) -> None:
    factors = [
        _factor("tools_systems", FactorKind.system, GilbertCell.instrumentation, tools),
        _factor("feedback", FactorKind.system, GilbertCell.information, 80.0),
        _factor("individual_skill", FactorKind.individual, GilbertCell.knowledge, 15.0),
    ]
    diagnosis = _diagnosis(Verdict.individual, Scope.few_individuals)
    recs = recommend(CATALOGUE, factors, _cells(15.0), diagnosis, [], _EMPTY, {})
    assert [r.intervention for r in recs] == expected
    # individual_skill: (75 - 15) / 75 * 3 / 4 = 0.6; tools: (75 - 30) / 75 * 3 / 4 = 0.45
    by_id = {r.intervention: r.priority for r in recs}
    assert by_id["coaching"] == pytest.approx(0.6)
    assert by_id["skills_course"] == pytest.approx(0.6 * GROUP_SHARE)
    if "tools_course" in by_id:
        assert by_id["tools_course"] == pytest.approx(0.45 + 0.6 * GROUP_SHARE)


def test_group_share_applies_only_when_the_problem_lies_with_a_few_people() -> None:
    factors = [
        _factor("tools_systems", FactorKind.system, GilbertCell.instrumentation, 75.0),
        _factor("feedback", FactorKind.system, GilbertCell.information, 80.0),
        _factor("individual_skill", FactorKind.individual, GilbertCell.knowledge, 15.0),
    ]
    diagnosis = _diagnosis(Verdict.mixed, Scope.some_teams)
    recs = recommend(CATALOGUE, factors, _cells(15.0), diagnosis, [], _EMPTY, {})
    by_id = {r.intervention: r.priority for r in recs}
    assert by_id == {"coaching": pytest.approx(0.6), "skills_course": pytest.approx(0.6)}


def test_trained_and_demotivated_puts_recognition_and_involvement_first(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-trained-demotivated.yaml")
    recs = findings.recommendations or []
    assert [r.intervention for r in recs[:2]] == [
        "recognition_scheme",
        "staff_designed_standards",
    ]
    assert not any(r.is_training for r in recs)


def test_healthy_organisation_needs_nothing(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    assert findings.recommendations == []


def test_no_answers_no_recommendations(mini: Loaded) -> None:
    findings = make_findings(mini, {})
    assert findings.recommendations == []
    assert findings.diagnosis is not None
    assert findings.diagnosis.rule == "too_little_evidence"

"""The plan: needs, aim at chief causes, symptoms moved to the system, training in its place."""

from __future__ import annotations

import pytest

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis.recommend import (
    GROUP_SHARE,
    WEAK_BELOW,
    factor_need,
    factor_needs,
    recommend,
)
from svcdiag.models.analysis import (
    ConfidenceLevel,
    Diagnosis,
    FactorScore,
    GilbertScore,
    PlanStep,
    Status,
    Verdict,
)
from svcdiag.models.catalogue import Effort, FactorKind, GilbertCell, Intervention, Level, Stage
from svcdiag.models.questionnaire import Condition, Questionnaire, Scope

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
    # shortfall (60 - 30) / 60 = 0.5, strength 3 / (3 + 1) = 0.75
    assert factor_need(
        _factor("a", FactorKind.system, GilbertCell.incentives, 30.0)
    ) == pytest.approx(0.375)
    # one threshold: at the healthy mark there is no need
    assert factor_need(_factor("a", FactorKind.system, GilbertCell.incentives, WEAK_BELOW)) == 0
    assert factor_need(_factor("a", FactorKind.system, GilbertCell.incentives, 66.7)) == 0
    assert factor_need(_factor("a", FactorKind.system, GilbertCell.incentives, None)) == 0


def test_symptom_need_moves_to_its_system_causes() -> None:
    factors = [
        _factor("equipping", FactorKind.system, GilbertCell.information, 70.0),
        _factor("recognition_consequences", FactorKind.system, GilbertCell.incentives, 45.0),
        _factor("staff_involvement", FactorKind.system, GilbertCell.incentives, 70.0),
        _factor("individual_skill", FactorKind.individual, GilbertCell.knowledge, 15.0),
        _factor("individual_attitude", FactorKind.individual, GilbertCell.motives, 30.0),
    ]
    needs = factor_needs(factors, _diagnosis(Verdict.system, Scope.widespread, symptom=True))
    skill = (60 - 15) / 60 * 0.75
    attitude = (60 - 30) / 60 * 0.75
    assert needs["individual_skill"].amount == 0
    assert needs["individual_attitude"].amount == 0
    assert needs["equipping"].amount == pytest.approx(skill)
    assert needs["equipping"].moved_from == ["individual_skill"]
    # the larger of its own need and the moved one, never the sum
    own = (60 - 45) / 60 * 0.75
    assert needs["recognition_consequences"].amount == pytest.approx(max(own, attitude))
    assert needs["staff_involvement"].amount == pytest.approx(attitude)
    # named individuals besides the wider problem keep their own needs
    kept = factor_needs(
        factors,
        _diagnosis(Verdict.system, Scope.widespread, symptom=True),
        also_individuals=True,
    )
    assert kept["individual_skill"].amount == pytest.approx(skill)
    assert kept["equipping"].amount == 0


def _cells(knowledge: float | None) -> list[GilbertScore]:
    return [
        GilbertScore(
            cell=GilbertCell.knowledge,
            side="individual",
            score=knowledge,
            answered=2,
            weight=2,
            status=Status.ok if knowledge is not None else Status.insufficient,
        )
    ]


def _intervention(
    iid: str,
    factors: list[str],
    *,
    level: Level = Level.managers,
    training: bool = False,
    helps: list[str] | None = None,
    stage: Stage = Stage.resources,
    suits: list[Scope] | None = None,
    in_place_when: Condition | None = None,
) -> Intervention:
    return Intervention(
        id=iid,
        title=iid,
        factors=factors,
        helps=helps or [],
        stage=stage,
        suits=suits or [],
        in_place_when=in_place_when,
        level=level,
        effort=Effort.low,
        is_training=training,
        description="test",
    )


def _catalogue(*items: Intervention) -> dict[str, Intervention]:
    return {i.id: i for i in items}


def _system(fid: str, score: float | None, weight: float = 3) -> FactorScore:
    return _factor(fid, FactorKind.system, GilbertCell.information, score, weight)


def test_breadth_never_beats_aim() -> None:
    """One cause at 10 outranks an intervention touching three causes at 40."""
    factors = [_system("tools", 10.0), *(_system(f, 40.0) for f in ("a", "b", "c"))]
    catalogue = _catalogue(
        _intervention("broad", ["a", "b", "c"]), _intervention("aimed", ["tools"])
    )
    plan = recommend(
        catalogue, factors, [], _diagnosis(Verdict.system, Scope.widespread), [], _EMPTY, {}
    )
    assert [r.intervention for r in plan] == ["aimed", "broad"]
    # priority is the largest chief need: (60 - 10) / 60 * 0.75
    assert plan[0].priority == pytest.approx(0.625)
    assert plan[1].priority == pytest.approx((60 - 40) / 60 * 0.75)


def test_helped_causes_only_break_ties() -> None:
    factors = [_system("empowerment", 20.0), _system("recognition", 30.0), _system("process", 55.0)]
    catalogue = _catalogue(
        _intervention("policy", ["empowerment"], helps=["process"]),
        _intervention("backing", ["empowerment"], helps=["recognition"]),
    )
    plan = recommend(
        catalogue, factors, [], _diagnosis(Verdict.system, Scope.widespread), [], _EMPTY, {}
    )
    # both chiefly fix empowerment; backing helps the weaker cause, and one item per cause
    assert [r.intervention for r in plan] == ["backing"]


def test_one_item_per_weak_cause_and_no_padding() -> None:
    factors = [_system("a", 20.0), _system("b", 90.0), _system("c", 59.0)]
    catalogue = _catalogue(
        _intervention("fix_a", ["a"]),
        _intervention("also_a", ["a"], stage=Stage.expectations),
        _intervention("fix_b", ["b"]),
        _intervention("fix_c", ["c"]),
    )
    plan = recommend(
        catalogue, factors, [], _diagnosis(Verdict.system, Scope.widespread), [], _EMPTY, {}
    )
    assert sorted(r.intervention for r in plan) == ["also_a", "fix_c"]


def test_first_steps_then_next_in_mager_and_pipe_order() -> None:
    scores = {"a": 10.0, "b": 15.0, "c": 20.0, "d": 25.0, "e": 30.0}
    factors = [_system(f, s) for f, s in scores.items()]
    catalogue = _catalogue(
        _intervention("skill_a", ["a"], stage=Stage.skill, training=True),
        _intervention("consequence_b", ["b"], stage=Stage.consequences),
        _intervention("expect_c", ["c"], stage=Stage.expectations),
        _intervention("feedback_d", ["d"], stage=Stage.feedback),
        _intervention("resource_e", ["e"], stage=Stage.resources),
    )
    plan = recommend(
        catalogue, factors, [], _diagnosis(Verdict.system, Scope.widespread), [], _EMPTY, {}
    )
    assert [(r.intervention, r.step) for r in plan] == [
        ("expect_c", PlanStep.first),
        ("consequence_b", PlanStep.first),
        ("skill_a", PlanStep.first),
        ("resource_e", PlanStep.next),
        ("feedback_d", PlanStep.next),
    ]
    assert [r.rank for r in plan] == [1, 2, 3, 4, 5]
    assert all(r.owner is Level.managers for r in plan)


def test_what_is_in_place_is_not_recommended() -> None:
    factors = [_system("insight", 20.0)]
    measured = Condition.model_validate({"question": "nps_measured", "equals": True})
    catalogue = _catalogue(
        _intervention("nps", ["insight"], in_place_when=measured),
        _intervention("visit_customers", ["insight"], stage=Stage.feedback),
    )
    diagnosis = _diagnosis(Verdict.system, Scope.widespread)
    with_nps = recommend(
        catalogue, factors, [], diagnosis, [], _EMPTY, {}, answers={"nps_measured": True}
    )
    assert [r.intervention for r in with_nps] == ["visit_customers"]
    without = recommend(
        catalogue, factors, [], diagnosis, [], _EMPTY, {}, answers={"nps_measured": False}
    )
    assert [r.intervention for r in without] == ["nps"]


SKILL_CATALOGUE = _catalogue(
    _intervention(
        "skills_course",
        ["individual_skill"],
        level=Level.frontline,
        training=True,
        stage=Stage.skill,
    ),
    _intervention("coaching", ["individual_skill"], level=Level.individual, stage=Stage.feedback),
    _intervention(
        "product_training",
        ["equipping"],
        level=Level.frontline,
        training=True,
        helps=["individual_skill"],
        stage=Stage.skill,
    ),
    _intervention("briefing", ["equipping"], stage=Stage.resources),
)


def test_a_few_people_who_cannot_do_it_get_coaching_then_training() -> None:
    factors = [
        _system("equipping", 80.0),
        _factor("individual_skill", FactorKind.individual, GilbertCell.knowledge, 15.0),
    ]
    diagnosis = _diagnosis(Verdict.individual, Scope.few_individuals)
    plan = recommend(SKILL_CATALOGUE, factors, _cells(15.0), diagnosis, [], _EMPTY, {})
    assert [r.intervention for r in plan] == ["coaching", "skills_course"]
    need = (60 - 15) / 60 * 0.75
    assert plan[0].priority == pytest.approx(need, abs=1e-4)
    assert plan[1].priority == pytest.approx(need * GROUP_SHARE, abs=1e-4)
    assert "Aimed at the people concerned" in plan[0].rationale
    assert "Training fits" in plan[1].rationale


def test_no_skill_training_without_a_genuine_cant_do() -> None:
    factors = [
        _system("equipping", 80.0),
        _factor("individual_skill", FactorKind.individual, GilbertCell.knowledge, 50.0),
    ]
    diagnosis = _diagnosis(Verdict.individual, Scope.few_individuals)
    # the knowledge cell is healthy (the skill factor is only a little low): no course
    plan = recommend(SKILL_CATALOGUE, factors, _cells(70.0), diagnosis, [], _EMPTY, {})
    assert [r.intervention for r in plan] == ["coaching"]


def test_a_widespread_cant_do_equips_people_with_training_too() -> None:
    factors = [
        _system("equipping", 75.0),
        _factor("individual_skill", FactorKind.individual, GilbertCell.knowledge, 10.0),
    ]
    diagnosis = _diagnosis(Verdict.system, Scope.widespread, symptom=True)
    plan = recommend(SKILL_CATALOGUE, factors, _cells(10.0), diagnosis, [], _EMPTY, {})
    assert [r.intervention for r in plan] == ["briefing", "product_training"]
    assert "read as a symptom" in plan[0].rationale


def test_scope_suited_interventions_only_for_their_scope() -> None:
    factors = [_system("management", 20.0)]
    catalogue = _catalogue(
        _intervention("team_coaching", ["management"], suits=[Scope.some_teams]),
        _intervention("walk_the_floor", ["management"]),
    )
    teams = recommend(
        catalogue, factors, [], _diagnosis(Verdict.system, Scope.some_teams), [], _EMPTY, {}
    )
    assert [r.intervention for r in teams] == ["team_coaching"]
    assert "Aimed at the teams where service is weaker." in teams[0].rationale
    wide = recommend(
        catalogue, factors, [], _diagnosis(Verdict.system, Scope.widespread), [], _EMPTY, {}
    )
    assert [r.intervention for r in wide] == ["walk_the_floor"]


def test_healthy_gets_one_item_at_most_and_undetermined_none() -> None:
    factors = [_system("a", 50.0), _system("b", 55.0)]
    catalogue = _catalogue(_intervention("fix_a", ["a"]), _intervention("fix_b", ["b"]))
    healthy = recommend(catalogue, factors, [], _diagnosis(Verdict.healthy, None), [], _EMPTY, {})
    assert [r.intervention for r in healthy] == ["fix_a"]
    undetermined = recommend(
        catalogue, factors, [], _diagnosis(Verdict.undetermined, None), [], _EMPTY, {}
    )
    assert undetermined == []


def test_widespread_mini_scenario_aims_at_its_weakest_causes(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    recs = findings.recommendations or []
    assert not any(r.is_training for r in recs)
    assert recs[0].step is PlanStep.first
    fix_tools = next(r for r in recs if r.intervention == "fix_tools")
    assert [(t.question, t.answer_text, t.note) for t in fix_tools.triggers] == [
        ("tools_work", "3/10", "The till crashes twice a day."),
        ("process_helps", "2 (Disagree)", None),
    ]


def test_trained_and_demotivated_puts_recognition_first(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-trained-demotivated.yaml")
    recs = findings.recommendations or []
    assert "recognition_scheme" in [r.intervention for r in recs[:2]]
    assert not any(r.is_training for r in recs)


def test_healthy_organisation_needs_nothing(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-healthy.yaml")
    assert findings.recommendations == []


def test_no_answers_no_recommendations(mini: Loaded) -> None:
    findings = make_findings(mini, {})
    assert findings.recommendations == []
    assert findings.diagnosis is not None
    assert findings.diagnosis.verdict is Verdict.undetermined

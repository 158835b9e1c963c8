"""Scores worked out by hand from the mini questionnaire."""

from __future__ import annotations

from typing import Any

import pytest

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis.evidence import collect_evidence
from svcdiag.diagnosis.score import score_characteristics, score_factors, score_gilbert
from svcdiag.models.analysis import Status

ANSWERS: dict[str, Any] = {
    "goals_clear": 4,  # goal_clarity 0.75
    "goals_written": True,  # goal_clarity 1.0, non_optional 1.0
    "feedback_seen": False,  # measures_feedback 0.0
    "results_delay": 6,  # measures_feedback 1 - 6/30 = 0.8
    "tools_work": 7,  # tools_systems 0.7, weight 2
    "process_helps": 3,  # work_processes 0.5, tools_systems 0.5
    "recognition": 2,  # recognition_consequences 0.25
    "involvement": "sometimes",  # staff_involvement 0.5
    # recognition 1.0 (w1) and 0.75 (w0.5); staff_involvement 0.75 (w0.5)
    "recognised_by": ["manager", "peers"],
    "standards_required": 5,  # non_optional 1.0
    "board_vision": "unknown",
}


def _scores(mini: Loaded) -> dict[str, Any]:
    evidence = collect_evidence(mini.questionnaire, ANSWERS)
    factors = score_factors(mini.catalogue.factors, evidence.contributions)
    return {f.id: f for f in factors}


def test_factor_scores_by_hand(mini: Loaded) -> None:
    scores = _scores(mini)
    assert scores["goal_clarity"].score == 87.5  # (0.75 + 1) / 2
    assert scores["measures_feedback"].score == 40.0  # (0 + 0.8) / 2
    assert scores["tools_systems"].score == 63.3  # (2 * 0.7 + 0.5) / 3
    assert scores["recognition_consequences"].score == 65.0  # (0.25 + 1 + 0.375) / 2.5
    assert scores["staff_involvement"].score == 58.3  # (0.5 + 0.375) / 1.5
    assert scores["recognition_consequences"].weight == 2.5
    assert scores["recognition_consequences"].questions == ["recognition", "recognised_by"]


def test_one_answer_is_insufficient_evidence(mini: Loaded) -> None:
    work = _scores(mini)["work_processes"]
    assert (work.score, work.answered, work.status) == (None, 1, Status.insufficient)
    skill = _scores(mini)["individual_skill"]
    assert (skill.score, skill.answered, skill.status) == (None, 0, Status.insufficient)


def test_every_factor_is_listed_in_catalogue_order(mini: Loaded) -> None:
    assert list(_scores(mini)) == list(mini.catalogue.factors)


def test_characteristics_in_number_order_unknown_never_counts(mini: Loaded) -> None:
    evidence = collect_evidence(mini.questionnaire, ANSWERS)
    items = score_characteristics(mini.catalogue.characteristics, evidence.contributions)
    assert [(c.number, c.id) for c in items] == [
        (1, "top_level_impetus"),
        (7, "non_optional"),
        (10, "continuous_improvement"),
    ]
    by_id = {c.id: c for c in items}
    assert by_id["non_optional"].score == 100.0
    assert by_id["non_optional"].answered == 2
    # board_vision was "unknown": no evidence at all, not a zero
    assert by_id["top_level_impetus"].answered == 0
    assert by_id["top_level_impetus"].score is None


def test_gilbert_cells_pool_their_factors(mini: Loaded) -> None:
    evidence = collect_evidence(mini.questionnaire, ANSWERS)
    cells = {c.cell.value: c for c in score_gilbert(mini.catalogue.factors, evidence.contributions)}
    assert list(cells) == [
        "information",
        "instrumentation",
        "incentives",
        "knowledge",
        "capacity",
        "motives",
    ]
    # information: goal_clarity 0.75, 1.0 and measures_feedback 0.0, 0.8, all weight 1
    assert cells["information"].score == pytest.approx(63.8)  # 2.55 / 4 = 63.75
    assert cells["information"].answered == 4
    # instrumentation: 2*0.7 + 0.5 + 0.5 over weight 4
    assert cells["instrumentation"].score == 60.0
    # incentives: 0.25 + 1 + 0.375 + 0.375 + 0.5 over weight 4
    assert cells["incentives"].score == 62.5
    assert cells["incentives"].answered == 3
    assert cells["incentives"].factors == ["recognition_consequences", "staff_involvement"]
    assert cells["knowledge"].status is Status.insufficient
    assert cells["information"].side == "environment"
    assert cells["motives"].side == "individual"

"""Reading answers as evidence: positions, labels, coverage, answers that do not fit."""

from __future__ import annotations

import pytest

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis.evidence import (
    AnswerMismatch,
    answer_position,
    collect_evidence,
    describe_answer,
)
from svcdiag.models.questionnaire import Question


def _q(mini: Loaded, question_id: str) -> Question:
    question = mini.questionnaire.question(question_id)
    assert question is not None
    return question


@pytest.mark.parametrize(
    ("question_id", "value", "position"),
    [
        ("goals_clear", 1, 0.0),
        ("goals_clear", 4, 0.75),
        ("goals_clear", 5, 1.0),
        ("tools_work", 0, 0.0),
        ("tools_work", 7, 0.7),
        ("goals_written", True, 1.0),
        ("goals_written", False, 0.0),
        ("results_delay", 6, 0.2),
        ("results_delay", 30, 1.0),
    ],
)
def test_answer_position_per_type(
    mini: Loaded, question_id: str, value: bool | int, position: float
) -> None:
    assert answer_position(_q(mini, question_id), value) == pytest.approx(position)


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("goals_clear", 6, "expected a whole number from 1 to 5, found 6"),
        ("goals_clear", True, "expected a number, found True"),
        ("tools_work", 11, "expected a whole number from 0 to 10, found 11"),
        ("goals_written", "yes", "expected yes or no (true/false), found 'yes'"),
        ("results_delay", 31, "31 is outside 0.0 to 30.0"),
    ],
)
def test_answer_position_rejects_values_that_do_not_fit(
    mini: Loaded, question_id: str, value: object, message: str
) -> None:
    with pytest.raises(AnswerMismatch, match=message.replace("(", r"\(").replace(")", r"\)")):
        answer_position(_q(mini, question_id), value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question_id", "value", "text"),
    [
        ("goals_clear", 2, "2 (Disagree)"),
        ("tools_work", 7, "7/10"),
        ("goals_written", False, "no"),
        ("results_delay", 6, "6 days"),
        ("involvement", "sometimes", "Sometimes"),
        ("recognised_by", ["manager", "peers"], "Their manager; Colleagues"),
        ("goals_written", "unknown", "don't know / not applicable"),
    ],
)
def test_describe_answer_uses_labels(
    mini: Loaded, question_id: str, value: object, text: str
) -> None:
    assert describe_answer(_q(mini, question_id), value) == text  # type: ignore[arg-type]


def test_direction_higher_is_worse_flips_health(mini: Loaded) -> None:
    evidence = collect_evidence(mini.questionnaire, {"results_delay": 6, "skill_gap": 4})
    health = {c.question: c.health for c in evidence.contributions}
    assert health["results_delay"] == pytest.approx(0.8)  # 1 - 6/30
    assert health["skill_gap"] == pytest.approx(0.25)  # 1 - (4-1)/4


def test_option_evidence_gives_one_contribution_per_entry(mini: Loaded) -> None:
    evidence = collect_evidence(mini.questionnaire, {"recognised_by": ["manager", "peers"]})
    got = [(c.target_id, c.weight, c.health) for c in evidence.contributions]
    assert got == [
        ("recognition_consequences", 1.0, 1.0),
        ("recognition_consequences", 0.5, 0.75),
        ("staff_involvement", 0.5, 0.75),
    ]


def test_coverage_counts_unknown_skipped_ignored_and_not_asked(mini: Loaded) -> None:
    answers = {
        "scope": "everywhere",
        "goals_clear": 3,
        "goals_written": "unknown",
        "tools_work": 42,  # does not fit: ignored
        "no_such_question": 1,  # not in the questionnaire: ignored
        "comments": "text carries no evidence",
    }
    coverage = collect_evidence(mini.questionnaire, answers).coverage
    # 19 questions carry evidence; review_cycle is conditional and unanswered: not asked.
    assert coverage.questions == 18
    assert coverage.not_asked == 1
    assert coverage.answered == 2  # scope, goals_clear
    assert coverage.unknown == 1
    assert coverage.ignored == 2
    assert coverage.skipped == 18 - 2 - 1 - 1
    reasons = {m.question: (m.reason, m.detail) for m in coverage.missing}
    assert reasons["goals_written"] == ("unknown", None)
    assert reasons["tools_work"] == ("ignored", "expected a whole number from 0 to 10, found 42")
    assert reasons["no_such_question"] == ("ignored", "no such question in the questionnaire")
    assert reasons["feedback_seen"] == ("skipped", None)
    assert "review_cycle" not in reasons
    assert "comments" not in reasons


def test_answer_to_a_question_whose_condition_fails_is_ignored(mini: Loaded) -> None:
    # review_cycle is asked only when standards_required is at least 3
    answers = {"standards_required": 2, "review_cycle": "monthly"}
    evidence = collect_evidence(mini.questionnaire, answers)
    assert [c.question for c in evidence.contributions] == ["standards_required"]
    [missing] = [m for m in evidence.coverage.missing if m.question == "review_cycle"]
    assert missing.reason == "ignored"
    assert missing.detail == "answered although its condition does not hold"
    asked = collect_evidence(mini.questionnaire, {**answers, "standards_required": 3})
    assert [c.question for c in asked.contributions] == ["standards_required", "review_cycle"]


def test_scope_comes_from_the_chosen_option(mini: Loaded) -> None:
    evidence = collect_evidence(mini.questionnaire, {"scope": "few_people"})
    assert [(s.question, s.scope.value, s.answer_text) for s in evidence.scopes] == [
        ("scope", "few_individuals", "With a few people")
    ]

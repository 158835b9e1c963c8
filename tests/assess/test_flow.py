"""The flow engine: order, conditions, going back, and undoing dependent answers."""

from __future__ import annotations

import pytest

from svcdiag.assess.flow import Flow
from svcdiag.errors import DefinitionError
from svcdiag.models.questionnaire import Questionnaire

ALL = [
    "problem_scope",
    "has_crm",
    "crm_rating",
    "crm_fix",
    "nps_recommend",
    "channels",
    "staff_count",
    "trial_agreed",
    "biggest_issue",
    "board_vision",
]


def ids(questions: list) -> list[str]:
    return [q.id for q in questions]


def test_conditional_questions_apply_only_when_their_condition_holds(flow: Flow):
    assert ids(flow.applicable({})) == [q for q in ALL if q not in ("crm_rating", "crm_fix")]
    assert "crm_rating" in ids(flow.applicable({"has_crm": True}))
    assert "crm_fix" not in ids(flow.applicable({"has_crm": True, "crm_rating": 3}))
    assert ids(flow.applicable({"has_crm": True, "crm_rating": 2})) == ALL


def test_changing_an_answer_drops_dependent_answers_transitively(flow: Flow):
    answers = {
        "problem_scope": "none",
        "has_crm": True,
        "crm_rating": 1,
        "crm_fix": "new one",
        "nps_recommend": 5,
    }
    change = flow.set_answer(answers, "has_crm", False)
    assert change.dropped == {"crm_rating": 1, "crm_fix": "new one"}
    assert change.answers == {"problem_scope": "none", "has_crm": False, "nps_recommend": 5}


def test_a_change_that_keeps_conditions_true_drops_nothing(flow: Flow):
    answers = {"has_crm": True, "crm_rating": 1, "crm_fix": "x"}
    change = flow.set_answer(answers, "crm_rating", 2)
    assert change.dropped == {}
    assert change.answers["crm_rating"] == 2


def test_unknown_drops_dependents_as_no_real_answer(flow: Flow):
    change = flow.set_answer(
        {"has_crm": True, "crm_rating": 2, "crm_fix": "x"}, "has_crm", "unknown"
    )
    assert set(change.dropped) == {"crm_rating", "crm_fix"}


def test_clearing_an_answer_prunes_too(flow: Flow):
    change = flow.clear_answer({"has_crm": True, "crm_rating": 2, "crm_fix": "x"}, "crm_rating")
    assert change.answers == {"has_crm": True}
    assert change.dropped == {"crm_fix": "x"}


def test_next_open_and_previous(flow: Flow):
    answers = {"problem_scope": "none", "has_crm": True}
    assert flow.next_open(answers).id == "crm_rating"
    assert flow.next_open(answers, skipped=["crm_rating"]).id == "nps_recommend"
    # after a question answered out of order, continue after it, then wrap round
    assert flow.next_open(answers, after="board_vision").id == "crm_rating"
    assert flow.previous("nps_recommend", answers).id == "crm_rating"
    assert flow.previous("nps_recommend", {"has_crm": False}).id == "has_crm"
    assert flow.previous("problem_scope", answers) is None
    every = dict.fromkeys(ALL, 1)
    assert flow.next_open({**every, "has_crm": False}) is None


def test_progress_counts_applicable_questions(flow: Flow):
    p = flow.progress("nps_recommend", {"has_crm": False})
    assert (p.section.id, p.section_number, p.section_count, p.number, p.total) == (
        "customers",
        2,
        2,
        3,
        8,
    )
    p = flow.progress("nps_recommend", {"has_crm": True, "crm_rating": 1})
    assert (p.number, p.total) == (5, 10)


def test_missing_required(flow: Flow):
    answers = {
        "problem_scope": "none",
        "has_crm": True,
        "nps_recommend": 3,
        "channels": ["chat"],
        "staff_count": 3,
        "biggest_issue": "x",
    }
    # crm_fix and trial_agreed are optional; crm_fix does not apply anyway
    assert ids(flow.missing_required(answers)) == ["crm_rating", "board_vision"]


def test_with_defaults_fills_only_questions_that_apply(flow: Flow):
    filled = flow.with_defaults({"has_crm": False})
    assert filled.answers == {"has_crm": False, "channels": ["phone"], "staff_count": 10}
    kept = flow.with_defaults({"staff_count": 3})
    assert kept.answers["staff_count"] == 3


def test_invalid_default_is_a_definition_error():
    q = Questionnaire.model_validate(
        {
            "schema_version": 1,
            "id": "t",
            "version": "1",
            "title": "T",
            "sections": [
                {
                    "id": "s",
                    "title": "S",
                    "questions": [{"id": "a", "text": "A", "type": "likert", "default": 9}],
                }
            ],
        }
    )
    with pytest.raises(DefinitionError) as caught:
        Flow(q).with_defaults({})
    assert caught.value.exit_code == 3
    assert caught.value.message == (
        "questionnaire t: the default of question a is invalid: 9 is outside 1 to 5; allowed: "
        "a whole number 1 to 5 (1 = strongly disagree, 5 = strongly agree)"
    )


def test_ordered_follows_the_questionnaire(flow: Flow):
    assert list(flow.ordered({"board_vision": 1, "zzz": 2, "has_crm": True})) == [
        "has_crm",
        "board_vision",
        "zzz",
    ]


def test_progress_total_counts_questions_that_may_still_apply(flow: Flow):
    # at has_crm, crm_rating and crm_fix may still be asked: ten in all
    assert flow.progress("has_crm", {"problem_scope": "none"}).total == 10
    # has_crm answered no: both drop out, and the total only shrinks
    assert flow.progress("nps_recommend", {"problem_scope": "none", "has_crm": False}).total == 8
    # crm_rating 4: crm_fix (at_most 2) is decided and drops out
    answers = {"problem_scope": "none", "has_crm": True, "crm_rating": 4}
    assert flow.progress("nps_recommend", answers).total == 9


def test_progress_total_never_grows_while_moving_forward() -> None:
    """Over the shipped questionnaire, answering forward never makes "of n" grow."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from svcdiag.definitions.loading import load_questionnaire

    shipped = Flow(load_questionnaire("diagnostic").questionnaire)

    def value_of(question, draw):
        kind = question.type.value
        if question.allow_unknown and draw(st.booleans()):
            return "unknown"
        if kind == "likert":
            return draw(st.integers(1, 5))
        if kind == "scale":
            return draw(st.integers(0, 10))
        if kind == "yes_no":
            return draw(st.booleans())
        if kind == "choice":
            return draw(st.sampled_from([o.id for o in question.options]))
        if kind == "multi_choice":
            plain = [o.id for o in question.options if not o.exclusive]
            return draw(st.lists(st.sampled_from(plain), min_size=1, unique=True))
        if kind == "number":
            return draw(st.integers(int(question.min or 0), int(question.max or 100)))
        return "some words"

    @settings(max_examples=60, deadline=None)
    @given(st.data())
    def walk(data: st.DataObject) -> None:
        answers: dict[str, object] = {}
        totals = []
        current = shipped.questions[0]
        while current is not None:
            totals.append(shipped.progress(current.id, answers).total)
            answers[current.id] = value_of(current, data.draw)
            current = shipped.next_open(answers)
        assert totals == sorted(totals, reverse=True), totals

    walk()

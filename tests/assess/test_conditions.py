"""Conditions: each test on hand-picked answers, and the laws of all/any/not."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcdiag.assess.conditions import evaluate, referenced_questions
from svcdiag.models.findings import UNKNOWN, AnswerValue
from svcdiag.models.questionnaire import Condition


def cond(**data: Any) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "q", "equals": 4}, {"q": 4}, True),
        ({"question": "q", "equals": 4}, {"q": 4.0}, True),
        ({"question": "q", "equals": 4}, {"q": 3}, False),
        ({"question": "q", "equals": 4}, {}, False),
        ({"question": "q", "equals": 1}, {"q": True}, False),  # yes is not the number 1
        ({"question": "q", "equals": True}, {"q": 1}, False),
        ({"question": "q", "equals": True}, {"q": True}, True),
        ({"question": "q", "equals": False}, {"q": False}, True),
        ({"question": "q", "equals": True}, {"q": "yes"}, True),  # unquoted yes in YAML
        ({"question": "q", "equals": False}, {"q": "no"}, True),
        ({"question": "q", "equals": True}, {"q": "no"}, False),
        ({"question": "q", "equals": "email"}, {"q": ["phone", "email"]}, True),
        ({"question": "q", "equals": "chat"}, {"q": ["phone", "email"]}, False),
        ({"question": "q", "one_of": ["chat", "email"]}, {"q": ["email"]}, True),
        ({"question": "q", "one_of": ["a", "b"]}, {"q": "b"}, True),
        ({"question": "q", "one_of": ["a", "b"]}, {"q": "c"}, False),
        ({"question": "q", "at_least": 4}, {"q": 4}, True),
        ({"question": "q", "at_least": 4}, {"q": 3}, False),
        ({"question": "q", "at_most": 2}, {"q": 2}, True),
        ({"question": "q", "at_most": 2}, {"q": 2.5}, False),
        ({"question": "q", "at_least": 2, "at_most": 4}, {"q": 3}, True),
        ({"question": "q", "at_least": 2, "at_most": 4}, {"q": 5}, False),
        ({"question": "q", "at_least": 0}, {"q": True}, False),  # not a number
        ({"question": "q", "at_least": 0}, {"q": "7"}, False),
        ({"question": "q", "answered": True}, {"q": 0}, True),
        ({"question": "q", "answered": True}, {"q": UNKNOWN}, False),
        ({"question": "q", "answered": True}, {}, False),
        ({"question": "q", "answered": False}, {"q": UNKNOWN}, True),
        ({"question": "q", "answered": False}, {}, True),
        ({"question": "q", "unknown": True}, {"q": UNKNOWN}, True),
        ({"question": "q", "unknown": True}, {}, False),
        ({"question": "q", "unknown": True}, {"q": 3}, False),
        ({"question": "q", "unknown": False}, {}, True),
        ({"question": "q", "equals": UNKNOWN}, {"q": UNKNOWN}, False),  # not a real answer
        ({"question": "q", "at_most": 10}, {"q": UNKNOWN}, False),
        ({"not": {"question": "q", "equals": 1}}, {}, True),
        (
            {"all": [{"question": "a", "equals": 1}, {"question": "b", "equals": 2}]},
            {"a": 1, "b": 2},
            True,
        ),
        (
            {"all": [{"question": "a", "equals": 1}, {"question": "b", "equals": 2}]},
            {"a": 1, "b": 3},
            False,
        ),
        (
            {"any": [{"question": "a", "equals": 1}, {"question": "b", "equals": 2}]},
            {"a": 0, "b": 2},
            True,
        ),
        ({"any": [{"question": "a", "equals": 1}, {"question": "b", "equals": 2}]}, {}, False),
    ],
)
def test_condition(condition: dict[str, Any], answers: dict[str, AnswerValue], expected: bool):
    assert evaluate(cond(**condition), answers) is expected


def test_referenced_questions():
    c = cond(
        all=[
            {"question": "a", "equals": 1},
            {
                "not": {
                    "any": [{"question": "b", "answered": True}, {"question": "c", "unknown": True}]
                }
            },
        ]
    )
    assert referenced_questions(c) == {"a", "b", "c"}


# -- laws, over random conditions and answers ----------------------------------

IDS = ["a", "b", "c"]
values = st.one_of(
    st.booleans(),
    st.integers(-2, 12),
    st.sampled_from(["x", "y", "yes", "no", UNKNOWN]),
    st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
)
answers_st = st.dictionaries(st.sampled_from(IDS), values, max_size=3)
leaf_values = st.one_of(st.booleans(), st.integers(-2, 12), st.sampled_from(["x", "y", "yes"]))


def _leaf() -> st.SearchStrategy[Condition]:
    q = st.sampled_from(IDS)
    return st.one_of(
        st.builds(lambda i, v: cond(question=i, equals=v), q, leaf_values),
        st.builds(
            lambda i, v: cond(question=i, one_of=v),
            q,
            st.lists(leaf_values, min_size=1, max_size=3),
        ),
        st.builds(lambda i, v: cond(question=i, at_least=v), q, st.integers(-1, 11)),
        st.builds(lambda i, v: cond(question=i, at_most=v), q, st.integers(-1, 11)),
        st.builds(lambda i, v: cond(question=i, answered=v), q, st.booleans()),
        st.builds(lambda i, v: cond(question=i, unknown=v), q, st.booleans()),
    )


conditions = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.builds(
            lambda c: Condition.model_validate(
                {"not": c.model_dump(by_alias=True, exclude_none=True)}
            ),
            inner,
        ),
        st.builds(
            lambda cs: cond(all=[c.model_dump(by_alias=True, exclude_none=True) for c in cs]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        st.builds(
            lambda cs: cond(any=[c.model_dump(by_alias=True, exclude_none=True) for c in cs]),
            st.lists(inner, min_size=1, max_size=3),
        ),
    ),
    max_leaves=6,
)


def _dump(c: Condition) -> dict[str, Any]:
    return c.model_dump(by_alias=True, exclude_none=True)


@given(conditions, answers_st)
def test_not_negates(c: Condition, answers: dict[str, AnswerValue]):
    assert evaluate(Condition.model_validate({"not": _dump(c)}), answers) is not evaluate(
        c, answers
    )


@given(st.lists(conditions, min_size=1, max_size=4), answers_st)
def test_all_and_any_are_and_and_or(cs: list[Condition], answers: dict[str, AnswerValue]):
    results = [evaluate(c, answers) for c in cs]
    assert evaluate(cond(all=[_dump(c) for c in cs]), answers) is all(results)
    assert evaluate(cond(any=[_dump(c) for c in cs]), answers) is any(results)


@given(st.lists(conditions, min_size=1, max_size=3), answers_st)
def test_de_morgan(cs: list[Condition], answers: dict[str, AnswerValue]):
    not_all = Condition.model_validate({"not": {"all": [_dump(c) for c in cs]}})
    any_not = cond(any=[{"not": _dump(c)} for c in cs])
    assert evaluate(not_all, answers) is evaluate(any_not, answers)


@given(st.sampled_from(IDS), answers_st)
def test_false_tests_are_negations(q: str, answers: dict[str, AnswerValue]):
    assert evaluate(cond(question=q, answered=False), answers) is not evaluate(
        cond(question=q, answered=True), answers
    )
    assert evaluate(cond(question=q, unknown=False), answers) is not evaluate(
        cond(question=q, unknown=True), answers
    )


@given(conditions, answers_st)
def test_only_referenced_questions_matter(c: Condition, answers: dict[str, AnswerValue]):
    relevant = {k: v for k, v in answers.items() if k in referenced_questions(c)}
    noise = {**relevant, "zz_other": 3}
    assert evaluate(c, answers) is evaluate(c, relevant) is evaluate(c, noise)


@given(st.sampled_from(IDS), answers_st)
def test_unknown_is_never_a_real_value(q: str, answers: dict[str, AnswerValue]):
    forced = {**answers, q: UNKNOWN}
    for test in ({"equals": "x"}, {"one_of": ["x", 3]}, {"at_least": -5}, {"at_most": 20}):
        assert evaluate(cond(question=q, **test), forced) is False

"""The XLSForm ``relevant`` expression holds exactly when the interview's condition holds.

A property test: random conditions of every form, over questions of every
type, against random answers, evaluated once by
:func:`svcdiag.assess.conditions.evaluate` and once, as the form stores the
answers, by a small XPath evaluator of the subset the export emits.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.assess.conditions import evaluate
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.findings import UNKNOWN, AnswerValue
from svcdiag.models.questionnaire import Condition, Question, Questionnaire, QuestionType
from svcdiag.survey.relevance import literal, number, relevant
from tests.survey.conftest import EVERYTHING
from tests.survey.layouts import xform_values
from tests.survey.xpath import evaluate as xpath


def _questionnaire() -> Questionnaire:
    base = load_questionnaire(str(EVERYTHING)).questionnaire.model_dump(by_alias=True)
    base["sections"].append(
        {
            "id": "words",
            "title": "Option ids YAML reads as booleans",
            "questions": [
                {
                    "id": "verdict",
                    "text": "Agreed?",
                    "type": "choice",
                    "allow_unknown": True,
                    "options": [
                        {"id": "yes", "label": "Yes"},
                        {"id": "no", "label": "No"},
                        {"id": "maybe", "label": "Maybe"},
                    ],
                },
                {
                    "id": "flags",
                    "text": "Flags",
                    "type": "multi_choice",
                    "options": [
                        {"id": "y", "label": "Y"},
                        {"id": "off", "label": "Off"},
                        {"id": "other", "label": "Other"},
                    ],
                },
                {"id": "remark", "text": "Remark", "type": "text", "required": False},
            ],
        }
    )
    return Questionnaire.model_validate(base)


QUESTIONNAIRE = _questionnaire()
QUESTIONS = {q.id: q for q in QUESTIONNAIRE.questions()}
TEXTS = ["yes", "Yes", "NO", "off", "it's fine", 'say "hi"', "both ' and \"", "3", ""]
VALUES = st.one_of(
    st.sampled_from(
        sorted({opt.id for q in QUESTIONS.values() for opt in q.options or ()} | {UNKNOWN})
    ),
    st.integers(-1, 11),
    st.sampled_from([2.5, 3.0, 10.5, 0.1]),
    st.booleans(),
    st.sampled_from([t for t in TEXTS if t]),
)


def _answer(question: Question) -> st.SearchStrategy[AnswerValue]:
    kind = question.type
    options: list[str] = [opt.id for opt in question.options or ()]
    if kind is QuestionType.likert:
        real: st.SearchStrategy[Any] = st.integers(1, 5)
    elif kind is QuestionType.scale:
        real = st.integers(0, 10)
    elif kind is QuestionType.yes_no:
        real = st.booleans()
    elif kind is QuestionType.choice:
        real = st.sampled_from(options)
    elif kind is QuestionType.multi_choice:
        real = st.lists(st.sampled_from(options), min_size=1, unique=True)
    elif kind is QuestionType.number:
        low, high = question.min or 0, question.max or 100
        real = st.one_of(st.integers(int(low), int(high)), st.sampled_from([low, high, 2.5, 10.5]))
    else:
        real = st.sampled_from([t for t in TEXTS if t])
    return st.one_of(real, st.just(UNKNOWN)) if question.allow_unknown else real


@st.composite
def answers(draw: st.DrawFn) -> dict[str, AnswerValue]:
    found: dict[str, AnswerValue] = {}
    for question in QUESTIONS.values():
        if draw(st.booleans()):
            found[question.id] = draw(_answer(question))
    return found


def _leaf(question_id: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        VALUES.map(lambda v: {"question": question_id, "equals": v}),
        st.lists(VALUES, min_size=1, max_size=3).map(
            lambda v: {"question": question_id, "one_of": v}
        ),
        st.floats(-1, 11, allow_nan=False).map(lambda v: {"question": question_id, "at_least": v}),
        st.floats(-1, 11, allow_nan=False).map(lambda v: {"question": question_id, "at_most": v}),
        st.tuples(st.integers(0, 5), st.integers(3, 10)).map(
            lambda r: {"question": question_id, "at_least": r[0], "at_most": r[1]}
        ),
        st.booleans().map(lambda v: {"question": question_id, "answered": v}),
        st.booleans().map(lambda v: {"question": question_id, "unknown": v}),
    )


LEAVES = st.sampled_from(sorted(QUESTIONS)).flatmap(_leaf)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"all": parts}),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"any": parts}),
        inner.map(lambda part: {"not": part}),
    ),
    max_leaves=6,
)


@settings(max_examples=600, deadline=None)
@given(condition=CONDITIONS, given_answers=answers())
def test_relevant_is_equivalent_to_the_condition(
    condition: dict[str, Any], given_answers: dict[str, AnswerValue]
) -> None:
    parsed = Condition.model_validate(condition)
    expression = relevant(parsed, QUESTIONS)
    values = xform_values(QUESTIONNAIRE, given_answers)
    assert xpath(expression, values) is evaluate(parsed, given_answers), expression


def test_examples_read_as_expected() -> None:
    def expr(condition: dict[str, Any]) -> str:
        return relevant(Condition.model_validate(condition), QUESTIONS)

    assert expr({"question": "scope", "equals": "some_teams"}) == "${scope} = 'some_teams'"
    assert expr({"question": "channels", "equals": "phone"}) == "selected(${channels}, 'phone')"
    assert expr({"question": "has_crm", "equals": True}) == "${has_crm} = 'yes'"
    assert expr({"question": "recommend_plain", "at_least": 9}) == "${recommend_plain} >= 9"
    assert expr({"question": "headcount", "unknown": True}) == "${headcount__known} = 'unknown'"
    assert expr({"not": {"question": "scope", "equals": "none"}}) == "not(${scope} = 'none')"
    assert (
        expr({"question": "verdict", "one_of": [True, "maybe"]})
        == "(${verdict} = 'yes') or (${verdict} = 'maybe')"
    )
    assert expr({"question": "hours", "equals": "yes"}) == "false()"


def test_literals_and_numbers_are_valid_xpath() -> None:
    assert literal("it's") == '"it\'s"'
    assert literal("both ' and \"") == "concat('both ', \"'\", ' and \"')"
    assert xpath(f"{literal(chr(39) + 'x' + chr(34))} = ${{a}}", {"a": "'x\""})
    assert number(1e-05) == "0.00001"
    assert number(3.0) == "3"

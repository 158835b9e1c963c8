"""Properties of scoring: scores stay in range; unknown answers never change a score."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.diagnosis import analyse
from svcdiag.models.analysis import Analysis
from svcdiag.models.questionnaire import Question, QuestionType

from .conftest import MINI

DEFINITION = load_questionnaire(str(MINI))
QUESTIONS = [q for q in DEFINITION.questionnaire.questions() if q.type is not QuestionType.text]
IDS = [q.id for q in QUESTIONS]


def _value(question: Question) -> st.SearchStrategy[Any]:
    kind = question.type
    if kind is QuestionType.likert:
        return st.integers(1, 5)
    if kind is QuestionType.scale:
        return st.integers(0, 10)
    if kind is QuestionType.yes_no:
        return st.booleans()
    if kind is QuestionType.number:
        return st.floats(question.min or 0, question.max or 100, allow_nan=False)
    options = [o.id for o in question.options or ()]
    if kind is QuestionType.choice:
        return st.sampled_from(options)
    plain = [o.id for o in question.options or () if not o.exclusive]
    exclusive = [[o.id] for o in question.options or () if o.exclusive]
    return st.one_of(
        st.lists(st.sampled_from(plain), min_size=1, unique=True),
        *(st.just(e) for e in exclusive),
    )


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        choice = draw(st.sampled_from(["answer", "answer", "unknown", "skip"]))
        if choice == "answer":
            answers[question.id] = draw(_value(question))
        elif choice == "unknown":
            answers[question.id] = "unknown"
    return answers


def _scores(result: Analysis) -> dict[str, Any]:
    return {
        "factors": [(f.id, f.score, f.answered, f.weight) for f in result.factors],
        "characteristics": [(c.id, c.score, c.answered) for c in result.characteristics],
        "gilbert": [(c.cell, c.score, c.answered) for c in result.gilbert],
    }


def _run(answers: dict[str, Any]) -> Analysis:
    return analyse(DEFINITION.questionnaire, DEFINITION.catalogue, answers)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(answer_sets())
def test_scores_stay_in_range(answers: dict[str, Any]) -> None:
    result = _run(answers)
    for item in [*result.factors, *result.characteristics, *result.gilbert]:
        assert item.score is None or 0 <= item.score <= 100
    assert result.diagnosis is not None
    assert 0 <= result.diagnosis.confidence <= 1
    for rec in result.recommendations:
        assert rec.priority > 0
        assert rec.triggers, f"{rec.intervention} has no answers behind it"


@FAST
@given(answer_sets(), st.sampled_from(IDS))
def test_unknown_is_the_same_as_skipping(answers: dict[str, Any], question_id: str) -> None:
    as_unknown = {**answers, question_id: "unknown"}
    skipped = {k: v for k, v in answers.items() if k != question_id}
    assert _scores(_run(as_unknown)) == _scores(_run(skipped))


@FAST
@given(answer_sets(), st.sets(st.sampled_from(IDS)))
def test_adding_unknown_answers_never_changes_a_score(
    answers: dict[str, Any], extra: set[str]
) -> None:
    more = dict(answers)
    for question_id in extra - set(answers):
        more[question_id] = "unknown"
    first, second = _run(answers), _run(more)
    assert _scores(first) == _scores(second)
    assert first.recommendations == second.recommendations

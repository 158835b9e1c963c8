"""Reading cells: labels to ids, multi-choice lists, and no traceback whatever a cell holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.assess.answers import validate_answer
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.errors import AnswerError
from svcdiag.models.questionnaire import LIKERT_LABELS
from svcdiag.survey.decoding import CellError, decode
from tests.survey.conftest import EVERYTHING

QUESTIONS = {q.id: q for q in load_questionnaire(str(EVERYTHING)).questionnaire.questions()}
CHANNELS = QUESTIONS["channels"]
PLAIN = [opt for opt in CHANNELS.options or () if not opt.exclusive]


LABELS = {opt.id: opt.label for opt in PLAIN}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(LABELS)), min_size=1, unique=True),
    st.sampled_from([", ", ",", ";", " ; ", " "]),
    st.booleans(),
)
def test_a_list_of_labels_or_ids_reads_back_as_the_ids(
    chosen: list[str], separator: str, by_label: bool
) -> None:
    if by_label and not separator.strip():
        separator = ", "  # labels hold spaces: platforms separate them with commas
    cell = separator.join(LABELS[i] if by_label else i for i in chosen)  # "E-mail, letters"
    raw = decode(CHANNELS, cell, {})
    assert validate_answer(CHANNELS, raw) == [i for i in LABELS if i in chosen]


def test_likert_labels_read_as_their_number() -> None:
    likert = QUESTIONS["crm_rating"]
    for number, label in enumerate(LIKERT_LABELS, start=1):
        assert decode(likert, f"  {label.upper()} ", {}) == number
    assert decode(likert, "Don't know / not applicable", {}) == "unknown"
    assert decode(likert, "", {}) is None


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(QUESTIONS)), st.text(max_size=40))
def test_any_cell_is_an_answer_or_a_clear_problem(question_id: str, cell: str) -> None:
    question = QUESTIONS[question_id]
    try:
        raw = decode(question, cell, {})
        if raw is not None:
            validate_answer(question, raw)
    except (CellError, AnswerError) as err:
        assert str(err)

"""validate_answer: one rule set for typed and file answers, with exact messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcdiag.assess.answers import allowed_values, validate_answer, validate_answers
from svcdiag.definitions.loading import Loaded
from svcdiag.errors import AnswerError
from svcdiag.models.findings import UNKNOWN
from svcdiag.models.questionnaire import Questionnaire

from .conftest import question


@pytest.mark.parametrize(
    ("qid", "raw", "stored"),
    [
        ("crm_rating", 4, 4),
        ("crm_rating", "4", 4),
        ("crm_rating", 4.0, 4),
        ("crm_rating", " 5 ", 5),
        ("nps_recommend", 0, 0),
        ("nps_recommend", "10", 10),
        ("nps_recommend", "unknown", UNKNOWN),
        ("nps_recommend", "Unknown", UNKNOWN),
        ("has_crm", True, True),
        ("has_crm", "no", False),
        ("has_crm", "Y", True),
        ("has_crm", UNKNOWN, UNKNOWN),
        ("problem_scope", "widespread", "widespread"),
        ("problem_scope", " none ", "none"),
        ("trial_agreed", True, "yes"),  # YAML read an unquoted yes as true
        ("trial_agreed", False, "no"),
        ("trial_agreed", "later", "later"),
        ("channels", ["email", "phone"], ["phone", "email"]),  # questionnaire order
        ("channels", ["phone", "phone"], ["phone"]),
        ("channels", "chat", ["chat"]),
        ("channels", ["no_channel"], ["no_channel"]),
        ("staff_count", 40, 40),
        ("staff_count", 40.0, 40),
        ("staff_count", "2.5", 2.5),
        ("staff_count", "1,200", 1200),
        ("staff_count", 100000, 100000),
        ("biggest_issue", "  Nobody calls back ", "Nobody calls back"),
        ("biggest_issue", 42, "42"),
        ("biggest_issue", "unknown", "unknown"),  # text without allow_unknown: just text
        ("board_vision", "unknown", UNKNOWN),
    ],
)
def test_valid(mini: Questionnaire, qid: str, raw: object, stored: object):
    value = validate_answer(question(mini, qid), raw)
    assert value == stored
    assert type(value) is type(stored)


LIKERT = "a whole number 1 to 5 (1 = strongly disagree, 5 = strongly agree)"


@pytest.mark.parametrize(
    ("qid", "raw", "message"),
    [
        ("crm_rating", 6, f"crm_rating: 6 is outside 1 to 5; allowed: {LIKERT}"),
        ("crm_rating", 0, f"crm_rating: 0 is outside 1 to 5; allowed: {LIKERT}"),
        ("crm_rating", 3.5, f"crm_rating: 3.5 is not a whole number; allowed: {LIKERT}"),
        ("crm_rating", True, f"crm_rating: true is not a number; allowed: {LIKERT}"),
        ("crm_rating", "agree", f"crm_rating: 'agree' is not a number; allowed: {LIKERT}"),
        (
            "crm_rating",
            UNKNOWN,
            f"crm_rating: 'unknown' is not allowed for this question; allowed: {LIKERT}",
        ),
        ("crm_rating", [4], f"crm_rating: [4] is not a number; allowed: {LIKERT}"),
        (
            "nps_recommend",
            11,
            "nps_recommend: 11 is outside 0 to 10; allowed: a whole number 0 to 10, or unknown",
        ),
        (
            "nps_recommend",
            "nan",
            "nps_recommend: 'nan' is not a finite number; allowed: a whole number 0 to 10, "
            "or unknown",
        ),
        (
            "has_crm",
            "maybe",
            "has_crm: 'maybe' is not yes or no; allowed: true or false (yes or no), or unknown",
        ),
        (
            "has_crm",
            1,
            "has_crm: 1 is not yes or no; allowed: true or false (yes or no), or unknown",
        ),
        (
            "problem_scope",
            "widespraed",
            "problem_scope: 'widespraed' is not an option (did you mean widespread?); allowed: "
            "one of widespread, some_teams, few_individuals, none",
        ),
        (
            "problem_scope",
            "In some teams",
            "problem_scope: 'In some teams' is not an option (did you mean some_teams, whose "
            "label that is?); allowed: one of widespread, some_teams, few_individuals, none",
        ),
        (
            "problem_scope",
            ["none"],
            "problem_scope: a list was given, but only one option may be chosen; allowed: one of "
            "widespread, some_teams, few_individuals, none",
        ),
        (
            "problem_scope",
            True,
            "problem_scope: true is not an option; allowed: one of widespread, some_teams, "
            "few_individuals, none",
        ),
        (
            "channels",
            ["phone", "fax"],
            "channels: 'fax' is not an option; allowed: a list of option ids from phone, email, "
            "chat, no_channel (no_channel only on its own)",
        ),
        (
            "channels",
            ["phone", "no_channel"],
            "channels: no_channel cannot be combined with other options; allowed: a list of "
            "option ids from phone, email, chat, no_channel (no_channel only on its own)",
        ),
        (
            "channels",
            [],
            "channels: no option chosen; choose at least one; allowed: a list of option ids "
            "from phone, email, chat, no_channel (no_channel only on its own)",
        ),
        (
            "staff_count",
            0,
            "staff_count: 0 is below the minimum 1; allowed: a number from 1 to 100000",
        ),
        (
            "staff_count",
            100001,
            "staff_count: 100001 is above the maximum 100000; allowed: a number from 1 to 100000",
        ),
        (
            "staff_count",
            "1,5",
            "staff_count: '1,5' is not a number; allowed: a number from 1 to 100000",
        ),
        (
            "staff_count",
            "inf",
            "staff_count: 'inf' is not a finite number; allowed: a number from 1 to 100000",
        ),
        ("biggest_issue", "   ", "biggest_issue: the answer is empty; allowed: any non-empty text"),
        ("biggest_issue", ["a"], "biggest_issue: ['a'] is not text; allowed: any non-empty text"),
    ],
)
def test_invalid(mini: Questionnaire, qid: str, raw: object, message: str):
    with pytest.raises(AnswerError) as caught:
        validate_answer(question(mini, qid), raw)
    assert caught.value.message == message
    assert caught.value.exit_code == 2
    assert caught.value.detail == message.removeprefix(f"{qid}: ")


def test_allowed_values_for_open_number():
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
                    "questions": [
                        {"id": "a", "text": "A", "type": "number", "min": 0},
                        {"id": "b", "text": "B", "type": "number", "max": 2.5},
                        {"id": "c", "text": "C", "type": "number"},
                    ],
                }
            ],
        }
    )
    assert [allowed_values(x) for x in q.questions()] == [
        "a number of at least 0",
        "a number of at most 2.5",
        "a number",
    ]


@given(st.integers(-50, 50))
def test_likert_accepts_exactly_one_to_five(mini_loaded: Loaded, n: int):
    q = question(mini_loaded.questionnaire, "crm_rating")
    if 1 <= n <= 5:
        assert validate_answer(q, n) == n == validate_answer(q, str(n))
    else:
        with pytest.raises(AnswerError):
            validate_answer(q, n)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_number_answers_are_in_range_or_refused(mini_loaded: Loaded, x: float):
    q = question(mini_loaded.questionnaire, "staff_count")
    try:
        value = validate_answer(q, x)
    except AnswerError as err:
        assert err.message.startswith("staff_count: ")
        assert not (1 <= x <= 100000)
    else:
        assert isinstance(value, (int, float)) and 1 <= value <= 100000 and value == x


def test_validate_answers_lists_every_problem_with_lines(mini: Questionnaire):
    raw = {
        "crm_rating": 9,
        "bord_vision": 3,
        "has_crm": True,
        "channels": ["fax"],
        "biggest_issue": None,
    }
    lines = {"crm_rating": 4, "bord_vision": 5, "has_crm": 6, "channels": 7}
    with pytest.raises(AnswerError) as caught:
        validate_answers(mini, raw, source="a.yaml", lines=lines)
    assert caught.value.message == (
        "a.yaml: 3 invalid answers:\n"
        f"  line 4: crm_rating: 9 is outside 1 to 5; allowed: {LIKERT}\n"
        "  line 5: bord_vision: no such question in questionnaire mini; did you mean "
        "board_vision?\n"
        "  line 7: channels: 'fax' is not an option; allowed: a list of option ids from phone, "
        "email, chat, no_channel (no_channel only on its own)"
    )


def test_validate_answers_orders_and_ignores_empty(mini: Questionnaire):
    got = validate_answers(
        mini, {"staff_count": "7", "has_crm": "yes", "crm_fix": None}, source="x"
    )
    assert list(got.items()) == [("has_crm", True), ("staff_count", 7)]

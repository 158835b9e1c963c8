"""Errors that hid other errors, and lenient input now refused or warned about."""

from __future__ import annotations

from pathlib import Path

import yaml

from svcdiag.assess.answers import validate_answer
from svcdiag.errors import AnswerError
from svcdiag.models.questionnaire import Question

from .conftest import EXAMPLES, run


def test_a_bad_role_no_longer_hides_the_answer_problems(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "organisation: Acme\n"
        "respondent: {role: chief}\n"
        "answers:\n"
        "  board_vision: 9\n"
        "  no_such_question: 1\n",
        encoding="utf-8",
    )
    result = run("assess", "--answers", path, "-o", tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert "3 problems in the answers file" in result.stderr
    assert "line 2: role 'chief' is not one of" in result.stderr
    assert "line 4: board_vision: 9 is outside 1 to 5" in result.stderr
    assert "line 5: no_such_question: no such question" in result.stderr
    assert not (tmp_path / "f.yaml").exists()


def test_assess_with_an_unknown_questionnaire_says_so_before_asking_for_a_terminal() -> None:
    result = run("assess", "nosuch")  # CliRunner has no terminal
    assert result.exit_code == 2
    assert "no questionnaire 'nosuch'" in result.stderr
    assert "no terminal" not in result.stderr


def test_report_given_a_saved_result_says_it_is_evidence(tmp_path: Path) -> None:
    saved = tmp_path / "nps.yaml"
    made = run("nps", EXAMPLES / "nps_survey.csv", "-o", saved)
    assert made.exit_code == 0, made.output
    result = run("report", saved)
    assert result.exit_code == 2
    assert "this is an NPS result saved by 'svcdiag nps', not a findings file" in result.stderr
    assert f"--evidence {saved}" in result.stderr
    assert "missing" not in result.stderr


def _edited(tmp_path: Path, **answers: object) -> Path:
    data = yaml.safe_load((EXAMPLES / "findings-healthy.yaml").read_text(encoding="utf-8"))
    data["answers"].update(answers)
    path = tmp_path / "edited.findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_report_warns_about_out_of_range_and_disallowed_unknown_answers(tmp_path: Path) -> None:
    # staff_count carries no evidence, so before the fix nothing checked it.
    path = _edited(tmp_path, staff_count=99_999_999, biggest_problem="fine")
    result = run("report", path, "-f", "json")
    assert result.exit_code == 0, result.output
    line = next(
        i
        for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("staff_count:")
    )
    assert "1 answer would be refused by the questionnaire" in result.stderr
    assert f"line {line}: staff_count: 99999999 is above the maximum 1000000" in result.stderr


def test_unknown_is_refused_where_the_question_does_not_allow_it(tmp_path: Path) -> None:
    answers = (EXAMPLES / "answers-healthy.yaml").read_text(encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(answers.replace("board_vision: 5", "board_vision: unknown"), encoding="utf-8")
    assert "board_vision: unknown" in path.read_text(encoding="utf-8")
    result = run("assess", "-a", path, "-o", tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert "board_vision: 'unknown' is not allowed for this question" in result.stderr


def test_a_count_question_refuses_a_fraction() -> None:
    count = Question(id="staff", text="How many?", type="number", min=1, max=100, integer=True)
    assert validate_answer(count, 40) == 40
    assert validate_answer(count, "40.0") == 40
    try:
        validate_answer(count, 2.5)
    except AnswerError as err:
        assert err.detail == "2.5 is not a whole number; allowed: a whole number from 1 to 100"
    else:
        raise AssertionError("2.5 people was accepted")
    plain = Question(id="hours", text="Hours?", type="number", min=0, max=100)
    assert validate_answer(plain, 2.5) == 2.5

"""The same respondent counted once: interviews run twice, copies, survey ids seen twice.

An interview run twice from one answers file differs only in its times; a
copy added by hand may differ in its file name too. Both count once, and
the consultant is told which files they are, when ``assess --engagement``
writes the second and whenever the report reads them. Survey responses
with an id already read count once too, and the warning says whose answers
were kept and whether (and how much) the two differ.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engagement.conftest import EXAMPLES, make_people
from tests.engagement.test_cli_engagement import (
    _interview,
    _new,
    _responses,
    _run,
    _with_units,
    client_answers,
)


def _said(result) -> str:
    return " ".join(result.stderr.split())


def _retime(path: Path, started: str, finished: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["started"], data["finished"] = started, finished
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_an_interview_run_twice_is_counted_once_and_said_when_written(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _with_units(folder)
    first = _interview(folder, "answers-healthy.yaml", "manager", "--unit", "north")
    _retime(first, "2026-11-30T09:00:00Z", "2026-11-30T09:40:00Z")  # run earlier
    before = set((folder / "interviews").iterdir())
    again = _run(
        "assess",
        "--engagement",
        folder,
        "-a",
        client_answers(folder, "answers-healthy.yaml"),
        "--role",
        "manager",
        "--unit",
        "north",
        "-f",
        "json",
    )
    assert again.exit_code == 0, again.output
    (second,) = set((folder / "interviews").iterdir()) - before  # written all the same
    assert json.loads(again.stdout)["respondent"]["role"] == "manager"
    assert (
        f"warning: {second} is the same interview as {first} (the same respondent, "
        "questionnaire and answers); both files are kept, and engagement report counts it once"
        in _said(again)
    )
    report = _run("engagement", "report", folder, "-f", "json")
    data = json.loads(report.stdout)
    assert (data["respondents"], data["interviews"]) == (1, 1)
    assert any(str(first) in w and str(second) in w for w in data["warnings"])
    said = _said(report)
    assert "is the same interview as" in said and str(first) in said and str(second) in said
    assert "only the times or the file name differ); counted once" in said


def test_another_interview_draws_no_warning(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _interview(folder, "answers-healthy.yaml", "manager")
    other = _run(
        "assess",
        "--engagement",
        folder,
        "-a",
        client_answers(folder, "answers-widespread.yaml"),
        "--role",
        "frontline",
        "-f",
        "json",
    )
    assert other.exit_code == 0 and "same interview" not in other.stderr
    # the same answers from another role are another person
    third = _run(
        "assess",
        "--engagement",
        folder,
        "-a",
        client_answers(folder, "answers-healthy.yaml"),
        "--role",
        "board",
        "-f",
        "json",
    )
    assert third.exit_code == 0 and "same interview" not in third.stderr
    assert json.loads(_run("engagement", "report", folder, "-f", "json").stdout)["respondents"] == 3


def test_adding_a_copy_with_other_times_is_skipped(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    made = _interview(folder, "answers-widespread.yaml", "frontline")
    copy = tmp_path / "bob.findings.yaml"
    copy.write_text(made.read_text(encoding="utf-8"), encoding="utf-8")
    _retime(copy, "2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z")
    added = _run("engagement", "add", folder, copy)
    assert added.exit_code == 0
    assert f"skipped {copy}: the same interview is already in interviews/" in _said(added)
    assert sorted(p.name for p in (folder / "interviews").iterdir()) == [made.name]
    # put in by hand, it is read and counted once, with both files named
    (folder / "interviews" / "bob.findings.yaml").write_text(copy.read_text(), encoding="utf-8")
    report = _run("engagement", "report", folder, "-f", "json")
    assert json.loads(report.stdout)["respondents"] == 1
    said = _said(report)
    assert "is the same interview as" in said and "bob.findings.yaml" in said and made.name in said


def test_a_response_id_read_twice_with_other_answers_says_which_were_kept(
    tmp_path: Path,
) -> None:
    folder = _new(tmp_path / "acme")
    people = make_people([("frontline", None, 6)])
    first = folder / "responses" / "a.yaml"
    first.write_text(_responses(people), encoding="utf-8")
    alone = json.loads(_run("engagement", "report", folder, "-f", "json").stdout)
    # the same ids again; three of them answered two questions differently
    changed = []
    for i, person in enumerate(people):
        answers = dict(person.answers)
        if i < 3:
            answers["tools_work"] = 5 if answers["tools_work"] != 5 else 4
            answers["goals_clear"] = 5 if answers["goals_clear"] != 5 else 4
        changed.append(type(person)(**{**person.__dict__, "answers": answers}))
    second = folder / "responses" / "b.yaml"
    second.write_text(_responses(changed), encoding="utf-8")
    result = _run("engagement", "report", folder, "-f", "json")
    said = _said(result)
    assert (
        f"{second}: 3 responses already read from {first} (same id, same answers); counted once"
        in said
    )
    assert (
        f"{second}: 3 responses with the id of one already read from {first} but different "
        f"answers (2 answers, notes, role or unit differ in each); each is counted once, with "
        f"the answers from {first}; this file's are ignored" in said
    )
    data = json.loads(result.stdout)
    assert data["respondents"] == 6
    # the answers kept are the first file's: the scores are those of that file alone
    assert data["groups"] == alone["groups"]


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(timezones=st.just(timezone.utc)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
    st.sampled_from(["leaders_visible", "tools_work", "goals_clear"]),
)
def test_an_interview_is_itself_at_any_time_and_another_with_any_answer_changed(
    started: datetime, took: timedelta, question: str
) -> None:
    from svcdiag.engagement.respondents import interview_key
    from svcdiag.models.findings import Findings

    path = (
        EXAMPLES
        / "engagement"
        / "interviews"
        / "brackenfield-home-garden-ltd-2026-12-01-2.findings.yaml"
    )
    findings = Findings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    key = interview_key(findings)
    assert (
        interview_key(findings.model_copy(update={"started": started, "finished": started + took}))
        == key
    )
    answers = dict(findings.answers)
    answers[question] = 1 if answers.get(question) != 1 else 2
    assert interview_key(findings.model_copy(update={"answers": answers})) != key
    unit = findings.respondent.model_copy(update={"unit": "south"})
    assert interview_key(findings.model_copy(update={"respondent": unit})) != key


def test_one_difference_in_a_response_read_twice_is_said_in_the_singular() -> None:
    from svcdiag.engagement.respondents import _duplicate_warnings

    (one,) = _duplicate_warnings(Path("b.yaml"), {}, {"a.yaml": [1]})
    assert "1 response with the id of one already read from a.yaml" in one
    assert "(1 answer, note, role or unit differs in each)" in one
    (some,) = _duplicate_warnings(Path("b.yaml"), {}, {"a.yaml": [1, 3]})
    assert "(1 to 3 answers, notes, role or unit differ in each)" in some

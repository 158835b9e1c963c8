"""run_assess in a terminal (with a scripted prompter): files plus prompts, resume, refusals."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from svcdiag.assess.interactive import Nav
from svcdiag.assess.run import AssessOutcome, AssessRequest, run_assess
from svcdiag.assess.sessions import SessionStore
from svcdiag.errors import Interrupted, OverwriteError
from svcdiag.models.findings import Role

from .conftest import FIXTURES, MINI
from .fake_prompter import FakePrompter

DETAILS = [("organisation", "Acme Ltd"), ("role", Role.manager), ("consultant", None)]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(
    store: SessionStore,
    prompter: FakePrompter,
    warnings: list[str] | None = None,
    **request: object,
) -> AssessOutcome:
    return run_assess(
        AssessRequest(**{"questionnaire": str(MINI), **request}),  # type: ignore[arg-type]
        store=store,
        interactive=True,
        make_prompter=lambda: prompter,
        warn=(warnings if warnings is not None else []).append,
    )


def test_terminal_asks_only_what_the_file_leaves_out(workdir: Path, store: SessionStore):
    answers = workdir / "a.yaml"
    answers.write_text(
        textwrap.dedent("""\
        organisation: Acme Ltd
        respondent: {role: board}
        answers: {problem_scope: none, has_crm: false, nps_recommend: 9, channels: [chat],
                  staff_count: 5, biggest_issue: Queues}
        notes: {has_crm: paper files}
        """)
    )
    prompter = FakePrompter([("consultant", "Jo"), ("trial_agreed", "later"), ("board_vision", 5)])
    outcome = run(store, prompter, answers=answers)
    assert prompter.script == []
    assert outcome.findings.answers == {
        "problem_scope": "none",
        "has_crm": False,
        "nps_recommend": 9,
        "channels": ["chat"],
        "staff_count": 5,
        "trial_agreed": "later",
        "biggest_issue": "Queues",
        "board_vision": 5,
    }
    assert outcome.findings.notes == {"has_crm": "paper files"}
    assert outcome.findings.consultant == "Jo"
    assert outcome.path.read_text().startswith("schema_version: 1\n")
    assert store.ids() == []  # finished sessions are removed


def test_existing_output_is_refused_before_any_question(workdir: Path, store: SessionStore):
    (workdir / "out.yaml").write_text("keep")
    with pytest.raises(OverwriteError) as caught:
        run(store, FakePrompter([]), output=Path("out.yaml"))
    assert caught.value.message == "out.yaml already exists; nothing was asked"
    assert store.ids() == []


def test_file_appearing_during_the_run_keeps_the_session(workdir: Path, store: SessionStore):
    def create_then_answer() -> int:
        (workdir / "out.yaml").write_text("someone else's")
        return 3

    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "none"),
            ("has_crm", False),
            ("nps_recommend", 1),
            ("channels", ["chat"]),
            ("staff_count", 2),
            ("trial_agreed", Nav.SKIP),
            ("biggest_issue", "x"),
            ("board_vision", create_then_answer),
        ]
    )
    with pytest.raises(OverwriteError) as caught:
        run(store, prompter, output=Path("out.yaml"))
    (sid,) = store.ids()
    assert caught.value.message == (
        f"out.yaml already exists; nothing was written; your answers are safe in session {sid}"
    )
    assert caught.value.hint == (
        f"finish with: svcdiag assess --resume {sid} --output OTHER.findings.yaml "
        "(or add --force to replace the file)"
    )
    # the complete session resumes straight to writing, to a new name
    outcome = run(
        store, FakePrompter([]), resume=True, questionnaire=None, output=Path("other.yaml")
    )
    assert outcome.findings.answers["board_vision"] == 3
    assert (workdir / "out.yaml").read_text() == "someone else's"
    assert store.ids() == []


def test_resume_after_the_questionnaire_changed(workdir: Path, store: SessionStore):
    own = workdir / "q"
    shutil.copytree(FIXTURES, own)
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "none"),
            ("has_crm", True),
            ("crm_rating", 5),
            ("nps_recommend", KeyboardInterrupt()),
        ]
    )
    with pytest.raises(Interrupted):
        run(store, prompter, questionnaire=str(own / "mini.yaml"))
    # the questionnaire changes: the likert becomes a yes/no question
    text = (own / "mini.yaml").read_text()
    (own / "mini.yaml").write_text(
        text.replace(
            "text: The customer record system helps staff serve customers.\n"
            "        help: 1 strongly disagree, 5 strongly agree.\n        type: likert",
            "text: Does the customer record system help staff?\n        type: yes_no",
        )
        .replace(
            "when: {question: crm_rating, at_most: 2}",
            "when: {question: crm_rating, equals: false}",
        )
        .replace('"1.0"', '"1.1"')
    )
    warnings: list[str] = []
    prompter = FakePrompter(
        [
            ("crm_rating", True),
            ("nps_recommend", 2),
            ("channels", ["chat"]),
            ("staff_count", 2),
            ("trial_agreed", "no"),
            ("biggest_issue", "x"),
            ("board_vision", 1),
        ]
    )
    outcome = run(store, prompter, warnings, resume=True, questionnaire=None)
    assert warnings[0].startswith("questionnaire mini changed since session acme-ltd-")
    assert warnings[0].endswith("(version 1.0 -> 1.1); saved answers are checked again")
    assert warnings[1] == (
        "set aside, to be asked again: crm_rating: 5 is not yes or no; "
        "allowed: true or false (yes or no)"
    )
    assert outcome.findings.answers["crm_rating"] is True
    assert outcome.findings.questionnaire.version == "1.1"


def test_shipped_diagnostic_end_to_end(workdir: Path, store: SessionStore):
    """Answer every question of the shipped questionnaire from a generated file."""
    from svcdiag.assess.flow import Flow
    from svcdiag.definitions.loading import load_questionnaire

    loaded = load_questionnaire("diagnostic")
    flow = Flow(loaded.questionnaire)
    picks = {"likert": 2, "scale": 6, "yes_no": False, "text": "Nobody owns complaints"}
    answers: dict[str, object] = {}
    while (question := flow.next_open(answers)) is not None:
        kind = question.type.value
        if kind in picks:
            answers[question.id] = picks[kind]
        elif kind == "number":
            answers[question.id] = int(question.min or 0) + 1
        elif kind == "choice":
            answers[question.id] = (question.options or [])[0].id
        else:
            answers[question.id] = [(question.options or [])[0].id]
    (workdir / "a.yaml").write_text(
        yaml.safe_dump(
            {"organisation": "Gamma plc", "respondent": {"role": "frontline"}, "answers": answers}
        )
    )
    outcome = run_assess(
        AssessRequest(answers=workdir / "a.yaml"),
        store=store,
        interactive=False,
        make_prompter=lambda: pytest.fail("no prompts without a terminal"),
        warn=print,
    )
    assert outcome.findings.questionnaire.id == "diagnostic"
    assert outcome.findings.questionnaire.sha256 == loaded.sha256
    assert outcome.findings.answers == flow.ordered(answers)
    assert len(outcome.findings.answers) == len(answers)
    assert outcome.path.name.startswith("gamma-plc-")

"""Session files damaged, copied or edited by hand: named, kept apart, and never trusted blindly."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from svcdiag.assess.run import AssessRequest, run_assess
from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.findings import Respondent, Role
from tests.assess.fake_prompter import FakePrompter
from tests.hardening.conftest import EXAMPLES, run


@pytest.fixture
def store() -> SessionStore:
    """The sessions of the test's own ``$SVCDIAG_HOME``."""
    return SessionStore.default()


def _complete_session(organisation: str = "Acme") -> Session:
    """Every answer of the healthy example, ready to be written as findings."""
    loaded = load_questionnaire("diagnostic")
    findings = yaml.safe_load((EXAMPLES / "findings-healthy.yaml").read_text())
    moment = datetime(2026, 1, 1, 9, 0)
    return Session(
        questionnaire=SessionQuestionnaire(
            ref="diagnostic",
            id="diagnostic",
            version=loaded.questionnaire.version,
            sha256=loaded.sha256,
        ),
        organisation=organisation,
        respondent=Respondent(role=Role.manager),
        started=moment,
        updated=moment,
        answers=findings["answers"],
        details_complete=True,
        complete=True,
    )


def _write(store: SessionStore, name: str, data: dict[str, Any] | str) -> Path:
    store.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = store.directory / f"{name}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    path.chmod(0o600)  # as svcdiag writes every session file
    return path


def _saved(session: Session, session_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(session.model_dump_json())
    data["id"] = session_id
    return data


def test_a_session_nested_too_deep_is_named_and_the_others_listed(store: SessionStore) -> None:
    _write(store, "deep-1", "[" * 100_000 + "]" * 100_000)
    _write(store, "acme-1", _saved(_complete_session(), "acme-1"))
    listed = run("sessions")
    assert listed.exit_code == 0
    assert "deep-1.json: this session file is damaged: it nests lists or mappings too " in (
        listed.stderr
    )
    assert "svcdiag sessions --delete deep-1" in listed.stderr
    assert "acme-1" in listed.stdout
    resumed = run("assess", "--resume", "deep-1")
    assert resumed.exit_code == 2
    assert "this session file is damaged: it nests lists or mappings too deep" in resumed.stderr


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_session_answer_that_is_not_a_number_is_a_damaged_file(
    store: SessionStore, tmp_path: Path, literal: str
) -> None:
    text = json.dumps(_saved(_complete_session(), "nan-1")).replace(
        '"board_vision": 5', f'"board_vision": {literal}', 1
    )
    assert literal in text
    _write(store, "nan-1", text)
    out = tmp_path / "nan.findings.yaml"
    result = run("assess", "--resume", "nan-1", "-o", out)
    assert result.exit_code == 2
    assert f"this session file is damaged: {literal} is not a number an answer can hold" in (
        result.stderr
    )
    assert not out.exists()


def test_a_copied_session_never_writes_to_or_deletes_the_one_it_names(
    store: SessionStore, tmp_path: Path
) -> None:
    original = _write(store, "victim-1", _saved(_complete_session("Victim"), "victim-1"))
    before = original.read_bytes()
    # a copy kept under another name, still naming the original inside
    _write(store, "copy-1", _saved(_complete_session("Copy"), "victim-1"))
    out = tmp_path / "copy.findings.yaml"
    result = run("assess", "--resume", "copy-1", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(out.read_text())["organisation"] == "Copy"
    assert original.read_bytes() == before  # neither overwritten nor deleted
    assert store.ids() == ["victim-1"]  # the finished copy is the one removed


def test_a_hand_edited_answer_out_of_range_is_set_aside_not_written(
    store: SessionStore, tmp_path: Path
) -> None:
    session = _saved(_complete_session(), "edited-1")
    session["answers"]["board_vision"] = 99
    _write(store, "edited-1", session)
    out = tmp_path / "edited.findings.yaml"
    result = run("assess", "--resume", "edited-1", "-o", out)
    assert result.exit_code == 2
    assert "set aside, to be asked again: board_vision: 99 is outside 1 to 5" in result.stderr
    assert "session edited-1 has questions left and there is no terminal" in result.stderr
    assert not out.exists()


def test_in_a_terminal_the_set_aside_question_is_asked_again(
    store: SessionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    session = _saved(_complete_session(), "edited-1")
    session["answers"]["board_vision"] = 99
    _write(store, "edited-1", session)
    prompter = FakePrompter([("board_vision", 2)])
    warnings: list[str] = []
    outcome = run_assess(
        AssessRequest(questionnaire="edited-1", resume=True, output=tmp_path / "f.yaml"),
        store=store,
        interactive=True,
        make_prompter=lambda: prompter,
        warn=warnings.append,
    )
    assert prompter.script == []
    assert outcome.findings.answers["board_vision"] == 2
    assert any("board_vision: 99 is outside 1 to 5" in w for w in warnings)


def test_a_valid_session_resumes_with_its_answers_untouched(
    store: SessionStore, tmp_path: Path
) -> None:
    made = _complete_session()
    _write(store, "ok-1", _saved(made, "ok-1"))
    out = tmp_path / "ok.findings.yaml"
    result = run("assess", "--resume", "ok-1", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "set aside" not in result.stderr
    assert yaml.safe_load(out.read_text())["answers"] == made.answers
    assert not os.path.exists(store.directory / "ok-1.json")


def test_a_session_changed_by_another_run_is_never_overwritten(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = SessionStore(home), SessionStore(home)
    session = _complete_session()
    session.id = first.new_id(session.organisation, session.started)
    first.save(session)
    theirs = second.load(session.id)
    ours = first.load(session.id)
    told: list[str] = []
    first.notify = told.append
    theirs.notes["board_vision"] = "typed in the other terminal"
    second.save(theirs)
    ours.notes["has_crm"] = "typed here"
    moved_to = first.save(ours)
    assert ours.id == f"{session.id}-2"
    assert moved_to == first.path(ours.id)
    assert second.load(session.id).notes == {"board_vision": "typed in the other terminal"}
    assert first.load(ours.id).notes == {"has_crm": "typed here"}
    assert told == [
        f"{first.path(session.id)} was changed by something else (the same session resumed "
        f"in another terminal?) and was left as it is; this assessment carries on as session "
        f"{ours.id}"
    ]
    ours.notes["board_vision"] = "and more"
    first.save(ours)  # its own file from now on: saved in place, no second move
    assert sorted(first.ids()) == [session.id, ours.id]


def test_a_resumed_interview_keeps_both_when_its_file_changes_midway(
    store: SessionStore, tmp_path: Path
) -> None:
    session = _saved(_complete_session(), "acme-1")
    del session["answers"]["board_vision"]
    session["complete"] = False
    path = _write(store, "acme-1", session)

    def other_terminal_saves() -> int:
        other = SessionStore(store.root)
        theirs = other.load("acme-1")
        theirs.notes["has_crm"] = "from the other terminal"
        other.save(theirs)
        return 4

    prompter = FakePrompter([("board_vision", other_terminal_saves)])
    warnings: list[str] = []
    outcome = run_assess(
        AssessRequest(questionnaire="acme-1", resume=True, output=tmp_path / "f.yaml"),
        store=store,
        interactive=True,
        make_prompter=lambda: prompter,
        warn=warnings.append,
    )
    assert outcome.findings.answers["board_vision"] == 4
    assert any("carries on as session acme-1-2" in w for w in warnings)
    kept = json.loads(path.read_text())
    assert kept["notes"] == {"has_crm": "from the other terminal"}
    assert store.ids() == ["acme-1"]  # ours finished and removed; theirs kept

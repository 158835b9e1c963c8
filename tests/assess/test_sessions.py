"""The session store: private files, atomic saves, ids, listing and deleting."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore, data_home
from svcdiag.errors import InputFileError, UsageError

T0 = datetime(2026, 11, 22, 14, 30, 5, tzinfo=timezone.utc)


def make(
    store: SessionStore, organisation: str = "Acme Ltd", when: datetime = T0, **extra: object
) -> Session:
    session = Session(
        id=store.new_id(organisation, when),
        questionnaire=SessionQuestionnaire(ref="mini", id="mini", version="1", sha256="0" * 64),
        organisation=organisation,
        started=when,
        updated=when,
        **extra,  # type: ignore[arg-type]
    )
    store.save(session)
    return session


def test_files_are_private_and_round_trip(store: SessionStore):
    session = make(
        store,
        answers={
            "has_crm": True,
            "crm_rating": 4,
            "channels": ["phone"],
            "staff_count": 2.5,
            "board_vision": "unknown",
        },
        notes={"has_crm": "since 2019"},
    )
    path = store.path(session.id)
    assert session.id == "acme-ltd-20261122-143005"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    loaded = store.load(session.id)
    assert loaded == session
    assert loaded.answers["has_crm"] is True and loaded.answers["crm_rating"] == 4


def test_existing_loose_directory_is_tightened(tmp_path: Path):
    (tmp_path / "home" / "sessions").mkdir(parents=True, mode=0o755)
    store = SessionStore(tmp_path / "home")
    make(store)
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700


def test_save_leaves_no_temporary_files(store: SessionStore):
    session = make(store)
    for n in range(5):
        session.answers[f"q{n}"] = n
        store.save(session)
    assert [p.name for p in store.directory.iterdir()] == [f"{session.id}.json"]


def test_ids_are_unique_and_safe(store: SessionStore):
    first = make(store)
    second = make(store)
    assert second.id == f"{first.id}-2"
    assert make(store, "Café Zürich & Co").id == "cafe-zurich-co-20261122-143005"
    with pytest.raises(UsageError, match="is not a session id"):
        store.path("../etc/passwd")


def test_list_latest_resolve_and_delete(store: SessionStore):
    older = make(store, "Beta", T0)
    newer = make(store, "Acme", T0 + timedelta(hours=1))
    found, damaged = store.sessions()
    assert [s.id for s in found] == [newer.id, older.id] and damaged == []
    assert store.latest().id == newer.id
    assert store.resolve("beta") == older.id  # a unique start of an id is enough
    store.delete(older.id)
    assert store.ids() == [newer.id]


def test_ambiguous_and_missing_ids(store: SessionStore):
    make(store, "Acme")
    make(store, "Acme")
    with pytest.raises(UsageError, match="matches 2 sessions"):
        store.resolve("acme")
    with pytest.raises(UsageError) as caught:
        store.resolve("zeta")
    assert caught.value.message == "no unfinished session 'zeta'"
    assert caught.value.hint == "`svcdiag sessions` lists the unfinished sessions and their ids"


def test_no_session_to_resume(store: SessionStore):
    with pytest.raises(UsageError, match="there is no unfinished session to resume"):
        store.latest()


def test_damaged_file_is_reported_not_fatal(store: SessionStore):
    good = make(store)
    (store.directory / "broken-1.json").write_text("{not json", encoding="utf-8")
    found, damaged = store.sessions()
    assert [s.id for s in found] == [good.id]
    assert len(damaged) == 1 and "broken-1.json: this session file is damaged" in damaged[0].message
    with pytest.raises(InputFileError):
        store.load("broken-1")


def test_home_from_environment_and_platform(tmp_path: Path):
    assert data_home({"SVCDIAG_HOME": str(tmp_path)}) == (tmp_path, True)
    root, from_env = data_home({})
    assert from_env is False and root.name == "svcdiag"


def test_resume_command_names_the_home_only_when_set(tmp_path: Path):
    assert SessionStore(tmp_path).resume_command("acme-1") == "svcdiag assess --resume acme-1"
    store = SessionStore(tmp_path / "my home", from_environment=True)
    assert store.resume_command("acme-1") == (
        f"SVCDIAG_HOME='{tmp_path}/my home' svcdiag assess --resume acme-1"
    )


def test_resume_command_keeps_a_control_character_of_the_home(tmp_path: Path):
    """Printed lines drop control characters, so the command must spell them as escapes."""
    import subprocess

    store = SessionStore(tmp_path / "home\x1b[31m", from_environment=True)
    command = store.resume_command("acme-1")
    assert command == f"SVCDIAG_HOME=$'{tmp_path}/home\\x1b[31m' svcdiag assess --resume acme-1"
    word = command.split(" ", 1)[0].removeprefix("SVCDIAG_HOME=")
    shown = subprocess.run(
        ["bash", "-c", f"printf %s {word}"], capture_output=True, text=True, check=True
    ).stdout
    assert shown == str(tmp_path / "home\x1b[31m")


def test_default_store_uses_svcdiag_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SVCDIAG_HOME", str(tmp_path))
    store = SessionStore.default()
    assert store.directory == tmp_path / "sessions" and store.from_environment


def test_unwritable_home_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = SessionStore(blocker)
    with pytest.raises(InputFileError, match="cannot create the sessions directory"):
        make(store)
    assert os.path.isfile(blocker)

"""A sessions folder that is a link is refused on every read, not only on writes.

Following one would list, resume and delete files of another folder (``/tmp``,
a synced folder) as if they were svcdiag's sessions. ``--delete`` removes
only a session file svcdiag wrote.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.cli import app
from svcdiag.errors import InputFileError

runner = CliRunner()
T0 = datetime(2026, 11, 22, 14, 30, tzinfo=timezone.utc)
REFUSED = "is a symbolic link; svcdiag keeps sessions only in a real folder"


def _linked_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A home whose sessions/ links to a folder holding another program's eng.json."""
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / "sessions").symlink_to(elsewhere, target_is_directory=True)
    other = elsewhere / "eng.json"
    other.write_text('{"not": "a session"}\n', encoding="utf-8")
    monkeypatch.setenv("SVCDIAG_HOME", str(home))
    return home, other


def _said(result: object) -> str:
    return " ".join(result.stderr.split())  # type: ignore[attr-defined]


def test_listing_a_linked_sessions_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = _linked_home(tmp_path, monkeypatch)
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 2
    assert f"error: {home / 'sessions'}: {REFUSED}" in _said(result)
    assert "eng" not in _said(result).replace(str(home), "")


@pytest.mark.parametrize("extra", [["--yes"], []])
def test_deleting_through_a_linked_sessions_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    home, other = _linked_home(tmp_path, monkeypatch)
    result = runner.invoke(app, ["sessions", "--delete", "eng", *extra], input="y\n")
    assert result.exit_code == 2
    assert f"error: {home / 'sessions'}: {REFUSED}" in _said(result)
    assert "Delete" not in result.stderr
    assert other.exists()


def test_resuming_from_a_linked_sessions_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = _linked_home(tmp_path, monkeypatch)
    result = runner.invoke(app, ["assess", "--resume", "eng"])
    assert result.exit_code == 2
    assert f"error: {home / 'sessions'}: {REFUSED}" in _said(result)


def test_every_read_of_the_store_refuses_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, other = _linked_home(tmp_path, monkeypatch)
    store = SessionStore.default()
    for read in (store.ids, store.sessions, store.latest):
        with pytest.raises(InputFileError, match=REFUSED):
            read()
    for by_id in (store.load, store.find, store.delete, store.resolve):
        with pytest.raises(InputFileError, match=REFUSED):
            by_id("eng")
    assert other.exists()


def test_a_sessions_path_that_is_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "sessions").write_text("", encoding="utf-8")
    monkeypatch.setenv("SVCDIAG_HOME", str(home))
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 2
    assert f"error: {home / 'sessions'}: is not a folder" in _said(result)


def _session(store: SessionStore) -> Session:
    session = Session(
        id="acme-ltd-20261122-143000",
        questionnaire=SessionQuestionnaire(ref="mini", id="mini", version="1", sha256="0" * 64),
        organisation="Acme Ltd",
        started=T0,
        updated=T0,
    )
    store.save(session)
    return session


def test_a_home_that_is_a_link_is_still_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the write check allows a link above the sessions folder: reading does too
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "via").symlink_to(real, target_is_directory=True)
    monkeypatch.setenv("SVCDIAG_HOME", str(tmp_path / "via"))
    session = _session(SessionStore.default())
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0, result.stderr
    assert session.id in result.stdout
    deleted = runner.invoke(app, ["sessions", "--delete", session.id, "--yes"])
    assert deleted.exit_code == 0, deleted.stderr
    assert not (real / "sessions" / f"{session.id}.json").exists()


def _sessions_folder() -> Path:
    store = SessionStore.default()
    _session(store)  # creates the folder as svcdiag does
    return store.directory


def test_another_programs_json_file_in_the_sessions_folder_is_not_deleted() -> None:
    other = _sessions_folder() / "eng.json"
    other.write_text('{"not": "a session"}\n', encoding="utf-8")
    other.chmod(0o644)  # as another program writes it, not the 0600 of a session
    listed = runner.invoke(app, ["sessions"])
    assert "svcdiag sessions --delete eng" not in _said(listed)
    assert "not a session file svcdiag wrote" in _said(listed)
    result = runner.invoke(app, ["sessions", "--delete", "eng", "--yes"])
    assert result.exit_code == 2
    assert f"error: {other}: is not a session file svcdiag wrote" in _said(result)
    assert other.exists()


def test_a_link_in_the_sessions_folder_is_not_deleted(tmp_path: Path) -> None:
    target = tmp_path / "keep.json"
    target.write_text("{}", encoding="utf-8")
    link = _sessions_folder() / "eng.json"
    link.symlink_to(target)
    result = runner.invoke(app, ["sessions", "--delete", "eng", "--yes"])
    assert result.exit_code == 2
    assert "is not a session file svcdiag wrote (a symbolic link)" in _said(result)
    assert link.is_symlink() and target.exists()


def test_a_session_file_changed_after_it_was_read_is_not_deleted() -> None:
    store = SessionStore.default()
    session = _session(store)
    found, _ = store.find(session.id)
    path = store.path(found)
    os.replace(_replacement(path), path)  # another file now stands where the session was
    with pytest.raises(InputFileError, match="changed since it was read"):
        store.delete(found)
    assert path.exists()


def _replacement(path: Path) -> Path:
    other = path.with_name("other.tmp")
    other.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    other.chmod(0o600)
    return other


def test_a_file_svcdiag_did_not_write_is_refused_before_asking() -> None:
    other = _sessions_folder() / "eng.json"
    other.write_text("[]", encoding="utf-8")
    other.chmod(0o644)
    result = runner.invoke(app, ["sessions", "--delete", "eng"], input="y\n")
    assert result.exit_code == 2
    assert "Delete" not in result.stderr
    assert other.exists()


def test_finishing_keeps_a_session_file_another_run_changed() -> None:
    from svcdiag.assess.finish import _forget

    store = SessionStore.default()
    session = _session(store)
    path = store.path(session.id)
    os.replace(_replacement(path), path)  # the same session resumed in another terminal
    _forget(store, session.id)
    assert path.exists()
    _forget(SessionStore.default(), session.id)  # a run that read this version deletes it
    assert not path.exists()

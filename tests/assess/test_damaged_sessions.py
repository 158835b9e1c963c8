"""A damaged session file can be deleted by its id, like any other, after confirmation."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from svcdiag.assess.sessions import SessionStore
from svcdiag.cli import app

runner = CliRunner()
DAMAGED_ID = "zz-damaged-20261201-150000"


def _damaged() -> Path:
    store = SessionStore.default()
    store.directory.mkdir(parents=True, exist_ok=True)
    path = store.directory / f"{DAMAGED_ID}.json"
    path.write_text('{"schema_version":1, "id": \n', encoding="utf-8")
    path.chmod(0o600)  # as svcdiag writes every session file
    return path


def test_the_listing_says_how_to_remove_a_damaged_session() -> None:
    path = _damaged()
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0
    said = " ".join(result.stderr.split())
    assert f"warning: {path}: this session file is damaged" in said
    assert f"to remove it: svcdiag sessions --delete {DAMAGED_ID}" in said


def test_a_damaged_session_is_deleted_by_its_prefix_with_yes() -> None:
    path = _damaged()
    result = runner.invoke(app, ["sessions", "--delete", "zz", "--yes"])
    assert result.exit_code == 0, result.stderr
    assert f"Deleted session {DAMAGED_ID} ({path})." in " ".join(result.stderr.split())
    assert not path.exists()
    again = runner.invoke(app, ["sessions"])
    assert "damaged" not in again.stderr
    assert "No unfinished sessions in" in again.stderr


def test_deleting_a_damaged_session_asks_first() -> None:
    path = _damaged()
    refused = runner.invoke(app, ["sessions", "--delete", "zz"], input="n\n")
    assert refused.exit_code == 0
    assert f"Delete the damaged session file {path}? This cannot be undone" in " ".join(
        refused.stderr.split()
    )
    assert "Nothing deleted." in refused.stderr
    assert path.exists()
    accepted = runner.invoke(app, ["sessions", "--delete", DAMAGED_ID], input="y\n")
    assert accepted.exit_code == 0
    assert not path.exists()


def test_resuming_a_damaged_session_says_how_to_remove_it() -> None:
    _damaged()
    result = runner.invoke(app, ["assess", "--resume", "zz"])
    assert result.exit_code == 2
    assert f"to remove it: svcdiag sessions --delete {DAMAGED_ID}" in " ".join(
        result.stderr.split()
    )


def test_an_id_with_a_final_newline_is_not_a_session_id() -> None:
    import pytest

    from svcdiag.errors import UsageError

    with pytest.raises(UsageError, match="is not a session id"):
        SessionStore.default().path("acme\n")
    assert SessionStore.default().path("acme").name == "acme.json"


def test_an_unreadable_session_file_is_listed_without_an_empty_hint() -> None:
    store = SessionStore.default()
    store.directory.mkdir(parents=True, exist_ok=True)
    path = store.directory / f"{DAMAGED_ID}.json"
    path.symlink_to(store.directory / "gone.json")  # a link to nothing: an error without a hint
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0
    said = " ".join(result.stderr.split())
    assert f"warning: {path}: is a symbolic link to a file that does not exist" in said
    assert "None" not in said

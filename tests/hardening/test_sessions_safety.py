"""Sessions: unique ids under concurrency, private folders, no symlink followed (items 5, 13)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.errors import InputFileError

T0 = datetime(2026, 11, 22, 14, 30, 5, tzinfo=timezone.utc)


def _session(store: SessionStore, consultant: str) -> Session:
    return Session(
        id=store.new_id("Acme Ltd", T0),
        questionnaire=SessionQuestionnaire(ref="mini", id="mini", version="1", sha256="0" * 64),
        organisation="Acme Ltd",
        consultant=consultant,
        started=T0,
        updated=T0,
    )


def test_two_sessions_started_in_the_same_second_keep_their_own_files(tmp_path: Path) -> None:
    # Two processes: each has its own store on the same folder, and both pick
    # the id before either has saved. Before the fix they shared one file.
    first, second = SessionStore(tmp_path), SessionStore(tmp_path)
    ann, bob = _session(first, "Ann"), _session(second, "Bob")
    assert ann.id == bob.id  # the readable id alone cannot tell them apart
    first.save(ann)
    second.save(bob)
    assert ann.id != bob.id
    assert bob.id == f"{ann.id}-2"
    ann.answers["board_vision"] = 4
    first.save(ann)
    bob.answers["board_vision"] = 1
    second.save(bob)
    assert SessionStore(tmp_path).load(ann.id).answers == {"board_vision": 4}
    assert SessionStore(tmp_path).load(bob.id).answers == {"board_vision": 1}
    assert SessionStore(tmp_path).load(ann.id).consultant == "Ann"


def test_concurrent_processes_never_share_a_session(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from datetime import datetime, timezone
        from pathlib import Path
        from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
        t0 = datetime(2026, 11, 22, 14, 30, 5, tzinfo=timezone.utc)
        store = SessionStore(Path({str(tmp_path)!r}))
        s = Session(id=store.new_id("Acme", t0), organisation="Acme", consultant=sys.argv[1],
                    questionnaire=SessionQuestionnaire(ref="m", id="m", version="1",
                    sha256="0" * 64), started=t0, updated=t0)
        store.save(s)
        print(s.id)
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, f"c{i}"], stdout=subprocess.PIPE, text=True)
        for i in range(6)
    ]
    ids = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert len(set(ids)) == 6, ids
    store = SessionStore(tmp_path)
    assert sorted(store.load(i).consultant or "" for i in ids) == [f"c{i}" for i in range(6)]


def test_the_data_folder_is_created_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "a" / "svcdiag"
    old = os.umask(0)
    try:
        store = SessionStore(home)
        store.save(_session(store, "Ann"))
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", home, home / "sessions"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_symlinked_sessions_folder_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o755)
    os.chmod(target, 0o755)
    home = tmp_path / "home"
    home.mkdir()
    (home / "sessions").symlink_to(target)
    store = SessionStore(home)
    with pytest.raises(InputFileError, match="is a symbolic link"):
        store.save(_session(store, "Ann"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert list(target.iterdir()) == []


def test_an_existing_home_keeps_its_permissions(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o750)
    store = SessionStore(home)
    store.save(_session(store, "Ann"))
    assert stat.S_IMODE(home.stat().st_mode) == 0o750
    assert stat.S_IMODE((home / "sessions").stat().st_mode) == 0o700

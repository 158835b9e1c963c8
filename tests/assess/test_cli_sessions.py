"""svcdiag sessions: list unfinished sessions, delete one after confirmation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.cli import app

runner = CliRunner()
T0 = datetime(2026, 11, 22, 14, 30, tzinfo=timezone.utc)


def store_with_one() -> tuple[SessionStore, Session]:
    store = SessionStore.default()
    session = Session(
        id="acme-ltd-20261122-143000",
        questionnaire=SessionQuestionnaire(ref="mini", id="mini", version="1", sha256="0" * 64),
        organisation="Acme Ltd",
        started=T0,
        updated=T0,
        answers={"a": 1, "b": 2},
        total=9,
    )
    store.save(session)
    return store, session


def test_no_sessions():
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("No unfinished sessions in ")


def test_lists_sessions_as_a_table():
    store_with_one()
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "acme-ltd" in line)
    cells = re.split(r" {2,}", row.strip())
    assert cells == [
        "acme-ltd-20261122-143000",
        "Acme Ltd",
        "mini",
        "2/9",
        "2026-11-22 14:30",
    ]


def test_delete_asks_first_and_keeps_on_no():
    store, session = store_with_one()
    result = runner.invoke(app, ["sessions", "--delete", "acme"], input="n\n")
    assert result.exit_code == 0
    assert "Delete session acme-ltd-20261122-143000 (Acme Ltd, 2 answers)?" in result.stderr
    assert "Nothing deleted." in result.stderr
    assert store.ids() == [session.id]
    result = runner.invoke(app, ["sessions", "--delete", "acme"], input="y\n")
    assert result.exit_code == 0
    assert f"Deleted session {session.id}" in result.stderr
    assert store.ids() == []


def test_delete_asks_about_one_answer_in_the_singular():
    store = SessionStore.default()
    session = Session(
        id="acme-ltd-20261122-143000",
        questionnaire=SessionQuestionnaire(ref="mini", id="mini", version="1", sha256="0" * 64),
        organisation="Acme Ltd",
        started=T0,
        updated=T0,
        answers={"a": 1},
    )
    store.save(session)
    result = runner.invoke(app, ["sessions", "--delete", "acme"], input="n\n")
    assert "Delete session acme-ltd-20261122-143000 (Acme Ltd, 1 answer)?" in result.stderr


def test_delete_with_yes_and_unknown_id():
    store, session = store_with_one()
    result = runner.invoke(app, ["sessions", "--delete", "zeta", "--yes"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no unfinished session 'zeta'")
    result = runner.invoke(app, ["sessions", "--delete", session.id, "--yes"])
    assert result.exit_code == 0 and store.ids() == []


def test_delete_without_reply_needs_yes():
    store, _ = store_with_one()
    result = runner.invoke(app, ["sessions", "--delete", "acme"], input="")
    assert result.exit_code == 2
    assert "pass --yes to delete without asking" in result.stderr
    assert len(store.ids()) == 1


CHECK_MODULES = """
import sys
from svcdiag.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
bad = sorted(m for m in sys.modules if m.split('.')[0] in ('questionary', 'prompt_toolkit'))
print('LOADED', bad)
"""


def _loaded_after(args: list[str], cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHECK_MODULES, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ},
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return result.stdout.splitlines()[-1]


def test_non_prompting_paths_never_import_questionary(tmp_path: Path):
    mini = Path(__file__).parent / "fixtures" / "mini.yaml"
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "organisation: A\nrespondent: {role: staff}\nanswers:\n  problem_scope: none\n"
        "  has_crm: false\n  nps_recommend: 1\n  biggest_issue: x\n  board_vision: 2\n"
    )
    for args in (
        ["--help"],
        ["assess", "--help"],
        ["sessions"],
        ["assess", str(mini), "--answers", str(answers), "--defaults"],
    ):
        assert _loaded_after(args, tmp_path) == "LOADED []", args
    assert list(tmp_path.glob("a-*.findings.yaml"))


def test_session_id_never_wraps_at_80_columns(monkeypatch):
    # the id is what users copy for --resume and --delete: it stays on one line
    monkeypatch.setenv("COLUMNS", "80")
    store = SessionStore.default()
    session = Session(
        id="acme-widgets-and-sons-ltd-20261122-143000",
        questionnaire=SessionQuestionnaire(
            ref="diagnostic", id="diagnostic", version="1.0", sha256="0" * 64
        ),
        organisation="Acme Widgets and Sons Ltd",
        started=T0,
        updated=T0,
        total=47,
    )
    store.save(session)
    result = runner.invoke(app, ["sessions"])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "acme-widgets-and-sons-ltd-20261122-143000" in result.stdout

"""Real-terminal runs under pexpect, with real keys: back, notes, Ctrl-C, SIGTERM, resume."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import stat
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from .conftest import MINI

pytestmark = pytest.mark.slow

ENTER, DOWN, CTRL_B, CTRL_N, CTRL_C = "\r", "\x1b[B", "\x02", "\x0e", "\x03"
TIMEOUT = 30


class Terminal:
    """One svcdiag process in a pseudo-terminal.

    With ``redirect`` (say ``"> out.json"``) it runs through bash with that
    redirect, as a user would type it.
    """

    def __init__(
        self, tmp_path: Path, *args: str, columns: int = 120, redirect: str | None = None
    ) -> None:
        # PROMPT_TOOLKIT_NO_CPR: pexpect does not answer cursor-position requests, so
        # prompt_toolkit would wait for each reply; a real terminal answers at once.
        env = {
            **os.environ,
            "SVCDIAG_HOME": str(tmp_path / "home"),
            "TERM": "xterm",
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        }
        command = [sys.executable, "-m", "svcdiag", "assess", *args]
        if redirect is not None:
            command = ["bash", "-c", f"exec {shlex.join(command)} {redirect}"]
        self.child = pexpect.spawn(
            command[0],
            command[1:],
            cwd=str(tmp_path),
            env=env,
            dimensions=(40, columns),
            encoding="utf-8",
            timeout=TIMEOUT,
        )

    def answer(self, prompt: str, keys: str) -> None:
        """Wait for ``prompt`` to be drawn and ready for keys, then type ``keys``."""
        self.child.expect_exact(prompt)
        self.child.expect_exact("Ctrl-N note)")
        self.child.send(keys)

    def detail(self, prompt: str, keys: str) -> None:
        self.child.expect_exact(prompt)
        self.child.send(keys)

    def finish(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF)
        output = self.child.before
        self.child.close()
        return self.child.exitstatus, output


def resume_command(output: str) -> list[str]:
    match = re.search(r"resume with:\s+SVCDIAG_HOME=\S+ svcdiag assess --resume (\S+)", output)
    assert match, output
    return ["--resume", match.group(1)]


def session_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "home" / "sessions").glob("*.json"))


def test_back_change_note_ctrl_c_resume_finish(tmp_path: Path):
    term = Terminal(tmp_path, str(MINI))
    term.detail("Organisation:", "Acme Ltd" + ENTER)
    term.detail("Respondent's role:", DOWN + ENTER)  # manager
    term.detail("Consultant (optional):", "Jo" + ENTER)
    term.answer("How far does the service problem reach?", "2" + ENTER)
    term.answer("Do staff have a customer record system?", "y" + ENTER)
    term.answer("helps staff serve customers", "2" + ENTER)
    term.answer("What would fix the system first?", CTRL_B)  # go back ...
    term.answer("helps staff serve customers", CTRL_B)  # ... and back again
    term.answer("Do staff have a customer record system?", CTRL_N)
    term.detail("Note on has_crm:", "Bought in 2019, nobody trained" + ENTER)
    term.answer("Do staff have a customer record system?", "n" + ENTER)  # change the answer
    term.child.expect_exact("set aside: crm_rating")
    term.answer("How likely are customers to recommend you?", "8" + ENTER)
    term.answer("Which channels do customers use?", CTRL_C)
    status, output = term.finish()
    assert status == 130
    assert "nothing is lost: 3 answers saved in session acme-ltd-" in output

    (path,) = session_files(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    saved = json.loads(path.read_text())
    assert saved["answers"] == {"problem_scope": "some_teams", "has_crm": False, "nps_recommend": 8}
    assert saved["notes"] == {"has_crm": "Bought in 2019, nobody trained"}

    term = Terminal(tmp_path, *resume_command(output))
    term.answer("Which channels do customers use?", DOWN + " " + ENTER)  # phone (default) + email
    term.answer("How many front-line staff are there?", ENTER)  # default 10
    term.answer("Has the board agreed a trial?", "3" + ENTER)
    term.answer("the biggest service issue?", "Nobody" + CTRL_N)  # a note mid-sentence ...
    term.detail("Note on biggest_issue:", "Said it twice" + ENTER)
    term.answer("the biggest service issue?", " calls back" + ENTER)  # ... the text stayed
    term.answer("The board talks about service and acts on it.", "4" + ENTER)
    status, output = term.finish()
    assert status == 0, output
    assert "answered, 0 don't know, 0 skipped" in output
    assert "Verdict: " in output
    assert "2 notes" in output
    (findings,) = tmp_path.glob("acme-ltd-*.findings.yaml")
    data = yaml.safe_load(findings.read_text())
    assert data["organisation"] == "Acme Ltd"
    assert data["respondent"] == {"role": "manager"}
    assert data["consultant"] == "Jo"
    assert data["answers"] == {
        "problem_scope": "some_teams",
        "has_crm": False,
        "nps_recommend": 8,
        "channels": ["phone", "email"],
        "staff_count": 10,
        "trial_agreed": "later",
        "biggest_issue": "Nobody calls back",
        "board_vision": 4,
    }
    assert data["notes"] == {
        "has_crm": "Bought in 2019, nobody trained",
        "biggest_issue": "Said it twice",
    }
    assert session_files(tmp_path) == []  # finished: the session is gone


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_mid_questionnaire_loses_nothing(tmp_path: Path, signum: int):
    term = Terminal(
        tmp_path, str(MINI), "--organisation", "Beta", "--role", "staff", "--consultant", "Jo"
    )
    term.answer("How far does the service problem reach?", "1" + ENTER)
    term.answer("Do staff have a customer record system?", "y" + ENTER)
    term.answer("helps staff serve customers", "5" + ENTER)
    term.answer("How likely are customers to recommend you?", "6")  # typed, not yet entered
    term.child.kill(signum)
    status, output = term.finish()
    name = signal.Signals(signum).name
    assert status == 130, output
    assert f"interrupted by {name}; nothing is lost: 3 answers saved" in output
    (path,) = session_files(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["answers"] == {
        "problem_scope": "widespread",
        "has_crm": True,
        "crm_rating": 5,
    }

    term = Terminal(tmp_path, "--resume")  # no id: the latest session
    term.answer("How likely are customers to recommend you?", "6" + ENTER)
    term.answer("Which channels do customers use?", ENTER)
    term.answer("How many front-line staff are there?", "12" + ENTER)
    term.answer("Has the board agreed a trial?", "1" + ENTER)
    term.answer("the biggest service issue?", "Queues" + ENTER)
    term.answer("The board talks about service and acts on it.", "2" + ENTER)
    status, output = term.finish()
    assert status == 0, output
    (findings,) = tmp_path.glob("beta-*.findings.yaml")
    data = yaml.safe_load(findings.read_text())
    assert data["answers"] == {
        "problem_scope": "widespread",
        "has_crm": True,
        "crm_rating": 5,
        "nps_recommend": 6,
        "channels": ["phone"],
        "staff_count": 12,
        "trial_agreed": "yes",
        "biggest_issue": "Queues",
        "board_vision": 2,
    }
    assert data["respondent"] == {"role": "staff"} and data["consultant"] == "Jo"


def test_closed_terminal_loses_nothing(tmp_path: Path):
    term = Terminal(tmp_path, str(MINI), "--organisation", "Delta", "--role", "board")
    term.detail("Consultant (optional):", ENTER)
    term.answer("How far does the service problem reach?", "4" + ENTER)
    term.answer("Do staff have a customer record system?", "n" + ENTER)
    term.answer("How likely are customers to recommend you?", "")
    term.child.close(force=True)  # the terminal goes away: SIGHUP, then EIO on every write
    assert not term.child.isalive()
    (path,) = session_files(tmp_path)
    saved = json.loads(path.read_text())
    assert saved["answers"] == {"problem_scope": "none", "has_crm": False}
    assert saved["organisation"] == "Delta" and "consultant" not in saved


def test_default_questionnaire_is_the_shipped_diagnostic(tmp_path: Path):
    # 80 columns: the prompts wrap between words, so the texts are found whole
    term = Terminal(tmp_path, columns=80)
    term.detail("Organisation:", "Epsilon" + ENTER)
    term.detail("Respondent's role:", ENTER)
    term.detail("Consultant (optional):", ENTER)
    term.child.expect_exact("question 1 of")
    term.answer("how many people work", "40" + ENTER)
    term.answer("what is the service problem", CTRL_C)
    status, output = term.finish()
    assert status == 130, output
    (path,) = session_files(tmp_path)
    saved = json.loads(path.read_text())
    assert saved["questionnaire"]["ref"] == "diagnostic"
    assert saved["answers"] == {"staff_count": 40}


def test_report_redirected_prompts_on_the_terminal(tmp_path: Path):
    # stdout goes to a file: the questions are still asked (on stderr), and the
    # file holds the report alone
    term = Terminal(
        tmp_path,
        str(MINI),
        *("--organisation", "Acme", "--role", "staff", "--consultant", "Jo"),
        *("-o", "x.yaml", "-f", "json"),
        redirect="> out.json",
    )
    term.answer("How far does the service problem reach?", "1" + ENTER)
    term.answer("Do staff have a customer record system?", "n" + ENTER)
    term.answer("How likely are customers to recommend you?", "6" + ENTER)
    term.answer("Which channels do customers use?", ENTER)
    term.answer("How many front-line staff are there?", ENTER)
    term.answer("Has the board agreed a trial?", "1" + ENTER)
    term.answer("the biggest service issue?", "Queues" + ENTER)
    term.answer("The board talks about service and acts on it.", "2" + ENTER)
    status, output = term.finish()
    assert status == 0, output
    assert "wrote x.yaml" in output
    report = json.loads((tmp_path / "out.json").read_text())
    assert report["organisation"] == "Acme"
    assert report["answers"]["biggest_issue"] == "Queues"


def test_interrupted_with_stdout_redirected_leaves_it_empty(tmp_path: Path):
    term = Terminal(tmp_path, str(MINI), "-o", "x.yaml", "-f", "json", redirect="> out.json")
    term.detail("Organisation:", "Acme" + ENTER)
    term.detail("Respondent's role:", ENTER)
    term.detail("Consultant (optional):", ENTER)
    term.answer("How far does the service problem reach?", "1" + ENTER)
    term.answer("Do staff have a customer record system?", CTRL_C)
    status, output = term.finish()
    assert status == 130, output
    assert "nothing is lost: 1 answer saved" in output
    assert (tmp_path / "out.json").read_text() == ""

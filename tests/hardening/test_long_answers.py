"""A free-text answer of megabytes: the terminal view shows its start and says how much more."""

from __future__ import annotations

from pathlib import Path

import yaml

from svcdiag.render.rich_report import MAX_SHOWN
from tests.hardening.conftest import EXAMPLES, run


def _findings_with_answer(tmp_path: Path, text: str) -> Path:
    answers = yaml.safe_load((EXAMPLES / "answers-healthy.yaml").read_text())
    answers["answers"]["biggest_problem"] = text
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(yaml.safe_dump(answers))
    findings = tmp_path / "findings.yaml"
    made = run("assess", "--answers", answers_file, "-o", findings, "-f", "json")
    assert made.exit_code == 0, made.stderr
    return findings


def test_the_terminal_view_cuts_a_long_answer_and_says_so(tmp_path: Path) -> None:
    text = "x" * 300_000
    findings = _findings_with_answer(tmp_path, text)
    shown = run("report", findings)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.count("x") <= 2 * MAX_SHOWN  # in the client's words, and its trigger
    flat = " ".join(shown.stdout.split())
    assert f"({300_000 - MAX_SHOWN:,} more characters; -f markdown shows them all)" in flat


def test_other_formats_and_the_file_keep_the_whole_answer(tmp_path: Path) -> None:
    text = "y" * 300_000
    findings = _findings_with_answer(tmp_path, text)
    assert yaml.safe_load(findings.read_text())["answers"]["biggest_problem"] == text
    markdown = run("report", findings, "-f", "markdown")
    assert text in markdown.stdout
    assert "more characters" not in markdown.stdout


def test_a_short_answer_is_shown_whole(tmp_path: Path) -> None:
    findings = _findings_with_answer(tmp_path, "Queues at the tills every Saturday")
    shown = run("report", findings)
    assert "Queues at the tills every Saturday" in " ".join(shown.stdout.split())
    assert "more characters" not in shown.stdout

"""The README's engagement walkthrough runs as written, in order, on a fresh copy."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.hardening.conftest import EXAMPLES, run

ROOT = EXAMPLES.parent
HEADING = "### `svcdiag engagement`: several respondents, one diagnosis"


def walkthrough() -> list[list[str]]:
    """The commands of the engagement section's first ``sh`` block, continuations joined."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(HEADING, 1)[1].split("\n### ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    return [
        shlex.split(line, comments=True)[1:]
        for line in block.splitlines()
        if line.strip().startswith("svcdiag ")
    ]


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Iterator[Path]:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def test_every_walkthrough_command_runs_in_order(fresh_clone: Path) -> None:
    commands = walkthrough()
    assert [argv[:2] for argv in commands] == [
        ["engagement", "new"],
        ["assess", "--engagement"],
        ["assess", "--engagement"],
        ["variation", "examples/complaints_by_agent.csv"],
        ["engagement", "add"],
        ["engagement", "status"],
        ["engagement", "report"],
        ["engagement", "report"],
    ]
    outputs = []
    for argv in commands:
        result = run(*argv)
        assert result.exit_code == 0, (argv, result.stderr)
        outputs.append(result)
    folder = fresh_clone / "out" / "my-client"
    interviews = sorted((folder / "interviews").iterdir())
    roles = sorted(yaml.safe_load(p.read_text())["respondent"]["role"] for p in interviews)
    assert roles == ["frontline", "manager"]
    assert [p.name for p in (folder / "evidence").iterdir()] == ["complaints.yaml"]
    status = " ".join(outputs[5].stdout.split())
    assert "Engagement: Brackenfield Home & Garden Ltd" in status
    assert "2 interviews, 0 survey responses, 1 data file." in status
    assert "1 leader (board and managers) answered" in status
    assert "Organisation: Brackenfield Home & Garden Ltd" in outputs[6].stdout
    written = (fresh_clone / "out" / "my-client.md").read_text(encoding="utf-8")
    assert written.startswith(
        "# Service diagnosis of an engagement: Brackenfield Home & Garden Ltd"
    )


def test_the_walkthrough_writes_only_under_out(fresh_clone: Path) -> None:
    for argv in walkthrough():
        for flag in ("-o", "--output"):
            if flag in argv:
                assert argv[argv.index(flag) + 1].startswith("out/")

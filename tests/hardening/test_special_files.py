"""Pipes, devices and endless streams are refused by name, never read (issue items 3, 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

FINDINGS = EXAMPLES / "findings-healthy.yaml"


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    os.mkfifo(path)
    return path


def _commands(special: Path) -> list[list[str | Path]]:
    return [
        ["lint", special],
        ["assess", "--answers", special, "-o", special.parent / "out.yaml"],
        ["report", special],
        ["report", FINDINGS, "--evidence", special],
        ["nps", special],
        ["variation", special, "--unit", "a", "--outcome", "b"],
    ]


def _in_subprocess(argv: list[str | Path]) -> subprocess.CompletedProcess[str]:
    """Run svcdiag in its own process, so that a read that never ends fails, not hangs."""
    return subprocess.run(
        [sys.executable, "-m", "svcdiag", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_named_pipe_is_refused_by_every_reader_without_blocking(fifo: Path) -> None:
    # Before the fix each of these blocked forever waiting for a writer.
    for argv in _commands(fifo):
        done = _in_subprocess(argv)
        assert done.returncode == 2, (argv, done.stderr)
        assert f"{fifo}: is a named pipe (FIFO), not a regular file" in done.stderr, argv


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_before_reading() -> None:
    # Before the fix /dev/zero (reported size 0) was read until memory ran out.
    for argv in _commands(Path("/dev/zero")):
        done = _in_subprocess(argv)
        assert done.returncode == 2, (argv, done.stderr)
        assert "/dev/zero: is a character device, not a regular file" in done.stderr, argv


def test_lint_skips_a_pipe_inside_a_folder_and_checks_the_rest(fifo: Path) -> None:
    shipped = EXAMPLES.parent / "questionnaires" / "triage.yaml"
    (fifo.parent / "triage.yaml").write_bytes(shipped.read_bytes())
    done = _in_subprocess(["lint", fifo.parent])  # it hung before the fix
    assert done.returncode == 0, done.stderr
    assert "1 file checked" in done.stderr


def test_lint_names_a_pipe_given_directly(fifo: Path) -> None:
    result = run("lint", fifo)  # it said "no such file or directory" before the fix
    assert result.exit_code == 2
    assert f"{fifo}: is a named pipe (FIFO), not a regular file" in result.stderr


def test_a_missing_file_and_a_dangling_link_are_told_apart(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    result = run("report", link)
    assert result.exit_code == 2
    assert f"{link}: is a symbolic link to a file that does not exist" in result.stderr
    result = run("report", tmp_path / "absent.yaml")
    assert f"{tmp_path / 'absent.yaml'}: no such file" in result.stderr

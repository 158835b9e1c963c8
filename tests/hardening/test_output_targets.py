"""What ``-o`` may replace: never a device, a pipe or a dangling link without --force (item 6)."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from svcdiag.atomicio import check_target
from svcdiag.errors import OverwriteError

from .conftest import EXAMPLES, run

FINDINGS = EXAMPLES / "findings-healthy.yaml"


def _writers(target: Path) -> list[list[str | Path]]:
    return [
        ["report", FINDINGS, "-f", "json", "-o", target],
        ["nps", EXAMPLES / "nps_survey.csv", "-f", "json", "-o", target],
        ["assess", "--answers", EXAMPLES / "answers-healthy.yaml", "-o", target],
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_force_never_turns_a_pipe_into_a_file(tmp_path: Path) -> None:
    pipe = tmp_path / "out.json"
    os.mkfifo(pipe)
    for argv in _writers(pipe):
        result = run(*argv, "--force")
        assert result.exit_code == 2, argv
        assert f"{pipe} is a named pipe (FIFO), not a regular file; nothing was written" in (
            result.stderr
        )
        assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_force_never_replaces_a_socket(tmp_path: Path) -> None:
    # A socket stands in for a device such as /dev/full here: writing to a
    # real device would destroy it if the check ever regressed (tests may run
    # as root), while the check is the same for both.
    path = tmp_path / "out.json"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        result = run("report", FINDINGS, "-f", "json", "-o", path, "--force")
    finally:
        server.close()
    assert result.exit_code == 2
    assert f"{path} is a socket, not a regular file; nothing was written" in result.stderr
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_refused_before_anything_is_written() -> None:
    # Only the check is called, never a writer: /dev/null must survive a regression.
    with pytest.raises(OverwriteError, match="is a character device, not a regular file"):
        check_target(Path("/dev/null"), force=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_dangling_link_is_replaced_only_with_force(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "missing-target.json")
    for argv in _writers(link):
        result = run(*argv)
        assert result.exit_code == 2, argv
        assert f"{link} is a symbolic link to a file that does not exist" in result.stderr
        assert link.is_symlink()
    forced = run("report", FINDINGS, "-f", "json", "-o", link, "--force")
    assert forced.exit_code == 0, forced.output
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8").startswith("{")


def test_a_link_to_a_regular_file_is_an_existing_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run("report", FINDINGS, "-f", "json", "-o", link)
    assert result.exit_code == 2
    assert f"{link} already exists; nothing was written" in result.stderr
    assert real.read_text(encoding="utf-8") == "keep me"


def test_a_file_that_appears_while_writing_is_never_replaced_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two runs pick the same default findings name: the check passes for both,
    # then the other run's file appears before this one is published.
    from svcdiag import atomicio

    target = tmp_path / "acme.findings.yaml"
    real_check = atomicio.check_target

    def check_then_race(path: Path, *, force: bool = False, **hint: str) -> None:
        real_check(path, force=force, **hint)
        path.write_text("the other consultant's findings", encoding="utf-8")

    monkeypatch.setattr(atomicio, "check_target", check_then_race)
    with pytest.raises(OverwriteError, match="was created by something else"):
        atomicio.write_new(target, "mine")
    assert target.read_text(encoding="utf-8") == "the other consultant's findings"
    assert [p.name for p in tmp_path.iterdir()] == ["acme.findings.yaml"]  # no temporary left

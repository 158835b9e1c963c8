"""Atomic writes that never lose or silently replace a file."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from svcdiag.atomicio import write_atomic, write_new
from svcdiag.errors import OverwriteError


def test_write_new_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("old")
    with pytest.raises(OverwriteError, match="already exists; nothing was written"):
        write_new(path, "new")
    assert path.read_text() == "old"
    write_new(path, "new", force=True)
    assert path.read_text() == "new"


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_is_never_a_target(tmp_path: Path, force: bool) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(OverwriteError, match="is a folder") as info:
        write_new(folder, "x", force=force)
    assert info.value.hint is not None and "--force" not in info.value.hint


def test_write_atomic_sets_mode_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "s.json"
    write_atomic(path, "{}", mode=0o600)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(path.parent) == ["s.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keep.yaml"
    path.write_text("old")

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(Exception, match=re.escape("No space left on device")):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["keep.yaml"]


def test_text_in_pieces_is_written_as_it_comes(tmp_path: Path) -> None:
    target = tmp_path / "units.csv"
    pieces = (f"line {i}, é\n" for i in range(3))
    write_new(target, pieces)
    assert target.read_text(encoding="utf-8") == "line 0, é\nline 1, é\nline 2, é\n"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_pieces_that_fail_midway_leave_nothing_behind(
    tmp_path: Path, failure: type[BaseException]
) -> None:
    target = tmp_path / "units.csv"
    target.write_text("the old file\n", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "half of "
        raise failure

    with pytest.raises(failure):
        write_new(target, pieces(), force=True)
    assert target.read_text(encoding="utf-8") == "the old file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units.csv"]

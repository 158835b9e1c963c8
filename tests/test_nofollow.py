"""source.nofollow: paths opened step by step, and writes through a folder's descriptor."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from svcdiag.errors import InputFileError, OverwriteError
from svcdiag.source import nofollow
from svcdiag.source.files import open_regular, read_limited
from svcdiag.source.nofollow import InsidePath, inside, write_new

HINT = "put the file itself there"
pytestmark = pytest.mark.skipif(not nofollow.SUPPORTED, reason="no O_NOFOLLOW here")


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    """A folder ``base`` with ``sub/file.yaml``, and an ``other`` folder with its own file."""
    base = tmp_path / "base"
    (base / "sub").mkdir(parents=True)
    (base / "sub" / "file.yaml").write_text("mine\n", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "file.yaml").write_text("theirs\n", encoding="utf-8")
    return base, other


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_path_inside_reads_and_shows_as_a_plain_path(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    path = inside(base, "sub", "file.yaml", hint=HINT)
    assert isinstance(path, InsidePath)
    assert str(path) == str(base / "sub" / "file.yaml") and path == base / "sub" / "file.yaml"
    assert (path.name, path.suffix) == ("file.yaml", ".yaml")
    assert read_limited(path, 100) == b"mine\n"
    # a path made from it is an ordinary one
    assert not isinstance(path.parent, InsidePath) or path.parent.nofollow_base is None


def test_the_base_folder_may_itself_be_a_link(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    (tmp_path / "via").symlink_to(base, target_is_directory=True)
    assert read_limited(inside(tmp_path / "via", "sub", "file.yaml", hint=HINT), 100) == b"mine\n"


def test_a_file_that_became_a_link_is_refused_with_the_checks_message(tmp_path: Path) -> None:
    base, other = _tree(tmp_path)
    path = inside(base, "sub", "file.yaml", hint=HINT)
    (base / "sub" / "file.yaml").unlink()
    (base / "sub" / "file.yaml").symlink_to(other / "file.yaml")
    with pytest.raises(InputFileError) as caught:
        open_regular(path)
    err = caught.value
    assert Path(err.path) == base / "sub" / "file.yaml"
    assert err.detail.startswith("is a symbolic link; each file in sub/ must be a real file")
    assert err.hint == HINT


def test_a_folder_that_became_a_link_is_refused_by_name(tmp_path: Path) -> None:
    base, other = _tree(tmp_path)
    path = inside(base, "sub", "file.yaml", hint=HINT)
    (base / "sub").rename(tmp_path / "aside")
    (base / "sub").symlink_to(other, target_is_directory=True)
    with pytest.raises(InputFileError) as caught:
        read_limited(path, 100)
    assert Path(caught.value.path) == base / "sub"
    assert caught.value.detail.startswith("is a symbolic link; sub/ must be a real folder")


def test_a_top_level_file_that_became_a_link_is_named_as_a_file(tmp_path: Path) -> None:
    base, other = _tree(tmp_path)
    (base / "engagement.yaml").symlink_to(other / "file.yaml")
    with pytest.raises(InputFileError, match=r"engagement\.yaml must be a real file"):
        read_limited(inside(base, "engagement.yaml", hint=HINT), 100)


def test_a_named_pipe_swapped_in_is_refused_without_blocking(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    (base / "sub" / "file.yaml").unlink()
    os.mkfifo(base / "sub" / "file.yaml")
    with pytest.raises(InputFileError, match="named pipe"):
        open_regular(inside(base, "sub", "file.yaml", hint=HINT))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    with pytest.raises(InputFileError) as caught:
        open_regular(inside(base, "sub", "gone.yaml", hint=HINT))
    assert (Path(caught.value.path), caught.value.detail) == (
        base / "sub" / "gone.yaml",
        "no such file",
    )


def test_without_nofollow_paths_are_plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows: no step-by-step opening; the link check by name is the guard."""
    base, other = _tree(tmp_path)
    monkeypatch.setattr(nofollow, "SUPPORTED", False)
    path = inside(base, "sub", "file.yaml", hint=HINT)
    assert type(path) is type(Path())
    (base / "sub" / "file.yaml").unlink()
    (base / "sub" / "file.yaml").symlink_to(other / "file.yaml")
    assert read_limited(path, 100) == b"theirs\n"


# --- writes -----------------------------------------------------------------------------


def test_write_new_writes_atomically_with_its_mode(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    path = inside(base, "sub", "new.yaml", hint=HINT)
    write_new(path, "answers\n", mode=0o600)
    assert (base / "sub" / "new.yaml").read_text(encoding="utf-8") == "answers\n"
    assert stat.S_IMODE((base / "sub" / "new.yaml").stat().st_mode) == 0o600
    assert sorted(os.listdir(base / "sub")) == ["file.yaml", "new.yaml"]  # no temporary left


def test_write_new_makes_a_missing_folder(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    write_new(inside(base, "fresh", "new.json", hint=HINT), b"{}\n")
    assert (base / "fresh" / "new.json").read_bytes() == b"{}\n"


def test_write_new_never_replaces_unless_forced(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    path = inside(base, "sub", "file.yaml", hint=HINT)
    with pytest.raises(OverwriteError, match="already exists; nothing was written"):
        write_new(path, "new\n")
    assert (base / "sub" / "file.yaml").read_text(encoding="utf-8") == "mine\n"
    write_new(path, "new\n", force=True)
    assert (base / "sub" / "file.yaml").read_text(encoding="utf-8") == "new\n"
    assert sorted(os.listdir(base / "sub")) == ["file.yaml"]


def test_force_never_replaces_a_folder(tmp_path: Path) -> None:
    base, _ = _tree(tmp_path)
    (base / "sub" / "dir.yaml").mkdir()
    with pytest.raises(OverwriteError, match="is a folder"):
        write_new(inside(base, "sub", "dir.yaml", hint=HINT), "x", force=True)
    assert (base / "sub" / "dir.yaml").is_dir()


def test_force_replaces_a_link_itself_never_its_target(tmp_path: Path) -> None:
    base, other = _tree(tmp_path)
    (base / "sub" / "linked.yaml").symlink_to(other / "file.yaml")
    write_new(inside(base, "sub", "linked.yaml", hint=HINT), "mine too\n", force=True)
    assert not (base / "sub" / "linked.yaml").is_symlink()
    assert (other / "file.yaml").read_text(encoding="utf-8") == "theirs\n"


def test_a_file_appearing_while_writing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = _tree(tmp_path)
    real_fill = nofollow._fill

    def fill_while_another_writes(handle: int, data: bytes, mode: int) -> None:
        (base / "sub" / "race.yaml").write_text("the other run's\n", encoding="utf-8")
        real_fill(handle, data, mode)

    monkeypatch.setattr(nofollow, "_fill", fill_while_another_writes)
    with pytest.raises(OverwriteError, match="was created by something else"):
        write_new(inside(base, "sub", "race.yaml", hint=HINT), "mine\n")
    assert (base / "sub" / "race.yaml").read_text(encoding="utf-8") == "the other run's\n"
    assert sorted(os.listdir(base / "sub")) == ["file.yaml", "race.yaml"]


def test_a_folder_swapped_for_a_link_is_not_written_through(tmp_path: Path) -> None:
    base, other = _tree(tmp_path)
    path = inside(base, "sub", "new.yaml", hint=HINT)
    (base / "sub").rename(tmp_path / "aside")
    (base / "sub").symlink_to(other, target_is_directory=True)
    before = _listing(other)
    with pytest.raises(InputFileError) as caught:
        write_new(path, "answers\n")
    assert Path(caught.value.path) == base / "sub"
    assert caught.value.detail.startswith("is a symbolic link; sub/ must be a real folder")
    assert caught.value.hint == HINT
    assert _listing(other) == before
    assert sorted(os.listdir(tmp_path / "aside")) == ["file.yaml"]


def test_without_nofollow_writes_go_through_atomicio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = _tree(tmp_path)
    monkeypatch.setattr(nofollow, "SUPPORTED", False)
    path = inside(base, "sub", "new.yaml", hint=HINT)
    write_new(path, "answers\n", mode=0o600)
    assert (base / "sub" / "new.yaml").read_text(encoding="utf-8") == "answers\n"
    assert stat.S_IMODE((base / "sub" / "new.yaml").stat().st_mode) == 0o600
    with pytest.raises(OverwriteError, match="already exists"):
        write_new(path, "again\n")

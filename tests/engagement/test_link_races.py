"""A link swapped in between the link check and the open: refused, never followed.

Each test lets the check by name pass, then puts a symbolic link in place
(as a synced folder or another program could) before the file is opened or
written, and shows that the command stops with the check's own message and
that nothing is read from, or written to, the other folder. The control
tests turn the step-by-step opening off and show the same race succeeding:
the guard, not the check by name, is what stops it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from svcdiag.engagement import folder as folder_module
from svcdiag.source import nofollow
from svcdiag.survey import engagement_dir as survey_dir
from svcdiag.survey import importing
from tests.engagement.conftest import EXAMPLES
from tests.hardening.conftest import run

EXAMPLE = EXAMPLES / "engagement"
ENGAGEMENT_HINT = "replace the link by the folder or file itself"
SURVEY_HINT = "replace the link by the file or folder itself"
ASSESS_HINT = "replace the link by the folder itself"
SURVEY = EXAMPLES / "survey"
SURVEY_EXPORT = SURVEY / "kobo-export.csv"


def _assess_into(folder: Path) -> Any:
    return run(
        "assess", "--engagement", folder, "-a", EXAMPLES / "answers-widespread.yaml",
        "--role", "frontline", "-f", "json",
    )  # fmt: skip


def _flat(text: str) -> str:
    return " ".join(text.split())


def _copy_example(where: Path) -> Path:
    shutil.copytree(EXAMPLE, where, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return where


def _new(folder: Path) -> Path:
    result = run("engagement", "new", folder, "--organisation", "Brackenfield Home & Garden Ltd")
    assert result.exit_code == 0, result.output
    return folder


def _survey_folder(folder: Path) -> Path:
    """An engagement of the survey examples' questionnaire, with an empty ``responses/``."""
    (folder / "responses").mkdir(parents=True)
    shutil.copy(SURVEY / "engagement.yaml", folder)
    return folder


def _replace_by_link(victim: Path, target: Path) -> None:
    """Put a link to ``target`` where ``victim`` was (a folder is moved aside first)."""
    if victim.is_dir():
        victim.rename(victim.with_name(victim.name + ".moved"))
    else:
        victim.unlink()
    victim.symlink_to(target, target_is_directory=target.is_dir())


def _swap_after_check(
    monkeypatch: pytest.MonkeyPatch, module: Any, when: Path, victim: Path, target: Path
) -> list[Path]:
    """Once ``when`` has passed ``module``'s link check, replace ``victim`` by a link."""
    real: Callable[..., None] = module.refuse_link
    swapped: list[Path] = []

    def check_then_swap(path: Path, what: str, *, hint: str) -> None:
        real(path, what, hint=hint)
        if Path(path) == when and not swapped:
            _replace_by_link(victim, target)
            swapped.append(victim)

    monkeypatch.setattr(module, "refuse_link", check_then_swap)
    return swapped


def _other_client(tmp_path: Path) -> Path:
    """Another engagement, whose one interview names another organisation."""
    other = _copy_example(tmp_path / "other")
    for extra in sorted((other / "interviews").iterdir())[1:]:
        extra.unlink()
    (only,) = (other / "interviews").iterdir()
    only.write_text(
        only.read_text(encoding="utf-8").replace(
            "Brackenfield Home & Garden Ltd", "Quillon Other Client plc"
        ),
        encoding="utf-8",
    )
    return other


# --- reads ------------------------------------------------------------------------------


def test_an_interview_swapped_for_a_link_after_its_check_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_example(tmp_path / "mine")
    other = _other_client(tmp_path)
    (outside,) = (other / "interviews").iterdir()
    victim = sorted((folder / "interviews").iterdir())[0]
    swapped = _swap_after_check(monkeypatch, folder_module, victim, victim, outside)
    result = run("engagement", "report", folder, "-f", "markdown")
    assert swapped == [victim] and victim.is_symlink()
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert (
        f"{victim}: is a symbolic link; each file in interviews/ must be a real file in the "
        "engagement folder"
    ) in said
    assert ENGAGEMENT_HINT in said
    assert "Quillon" not in result.output
    assert result.stdout == ""


def test_control_without_the_guard_the_swapped_link_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same race with opening by name (as on Windows): the other client's file is read."""
    monkeypatch.setattr(nofollow, "SUPPORTED", False)
    folder = _copy_example(tmp_path / "mine")
    other = _other_client(tmp_path)
    (outside,) = (other / "interviews").iterdir()
    victim = sorted((folder / "interviews").iterdir())[0]
    _swap_after_check(monkeypatch, folder_module, victim, victim, outside)
    result = run("engagement", "report", folder, "-f", "markdown")
    # the link was followed: the other client's file was read as this client's interview
    assert victim.is_symlink()
    assert result.exit_code == 0, result.output
    assert "Interviews: 5" in _flat(result.stdout) or "5 interview" in _flat(result.stdout)


def test_an_interviews_folder_swapped_after_its_check_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_example(tmp_path / "mine")
    other = _other_client(tmp_path)
    first = sorted((folder / "interviews").iterdir())[0]
    # the folder was checked and listed; it is swapped when its first file is checked
    _swap_after_check(
        monkeypatch, folder_module, first, folder / "interviews", other / "interviews"
    )
    result = run("engagement", "status", folder)
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert (
        f"{folder / 'interviews'}: is a symbolic link; interviews/ must be a real folder"
    ) in said
    assert ENGAGEMENT_HINT in said
    assert "Quillon" not in result.output and result.stdout == ""


def test_an_engagement_file_swapped_after_its_check_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_example(tmp_path / "mine")
    other = _other_client(tmp_path)
    (other / "engagement.yaml").write_text(
        (other / "engagement.yaml")
        .read_text(encoding="utf-8")
        .replace("Brackenfield Home & Garden Ltd", "Quillon Other Client plc"),
        encoding="utf-8",
    )
    victim = folder / "engagement.yaml"
    _swap_after_check(monkeypatch, folder_module, victim, victim, other / "engagement.yaml")
    result = run("engagement", "status", folder)
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert f"{victim}: is a symbolic link; engagement.yaml must be a real file" in said
    assert "Quillon" not in result.output


def test_survey_import_reads_no_engagement_file_swapped_after_its_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _survey_folder(tmp_path / "mine")
    other = _copy_example(tmp_path / "other")
    victim = folder / "engagement.yaml"
    _swap_after_check(monkeypatch, survey_dir, victim, victim, other / "engagement.yaml")
    result = run("survey", "import", folder, SURVEY_EXPORT)
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert f"{victim}: is a symbolic link; engagement.yaml must be a real file" in said
    assert SURVEY_HINT in said
    assert os.listdir(folder / "responses") == []


# --- writes -----------------------------------------------------------------------------


def _swap_before_writing(
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    name: str,
    victim: Path,
    target: Path,
) -> None:
    """Replace ``victim`` by a link to ``target`` once ``module.name`` chose the file's name."""
    real: Callable[..., Path] = getattr(module, name)

    def choose_then_swap(*args: Any) -> Path:
        chosen = real(*args)
        if not victim.is_symlink():
            _replace_by_link(victim, target)
        return chosen

    monkeypatch.setattr(module, name, choose_then_swap)


@pytest.mark.parametrize("command", ["engagement add", "assess --engagement"])
def test_an_interview_is_written_through_no_folder_swapped_after_its_name_was_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    folder = _new(tmp_path / "mine")
    other = _other_client(tmp_path)
    before = {p.name: p.read_bytes() for p in (other / "interviews").iterdir()}
    _swap_before_writing(
        monkeypatch, folder_module, "free_name", folder / "interviews", other / "interviews"
    )
    if command == "engagement add":
        result = run("engagement", "add", folder, sorted((EXAMPLE / "interviews").iterdir())[0])
        hint = ENGAGEMENT_HINT
    else:
        result = _assess_into(folder)
        hint = ASSESS_HINT
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert (
        f"{folder / 'interviews'}: is a symbolic link; interviews/ must be a real folder"
    ) in said
    assert hint in said
    assert result.stdout == ""
    # nothing in the other folder, hidden temporary files included, and nothing here
    assert {p.name: p.read_bytes() for p in (other / "interviews").iterdir()} == before
    assert os.listdir(folder / "interviews.moved") == []


def test_control_without_the_guard_engagement_add_writes_into_the_other_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nofollow, "SUPPORTED", False)
    folder = _new(tmp_path / "mine")
    other = _other_client(tmp_path)
    interview = sorted((EXAMPLE / "interviews").iterdir())[1]
    _swap_before_writing(
        monkeypatch, folder_module, "free_name", folder / "interviews", other / "interviews"
    )
    result = run("engagement", "add", folder, interview)
    assert result.exit_code == 0, result.output
    assert interview.name in os.listdir(other / "interviews")


def test_survey_import_writes_nothing_through_a_folder_swapped_before_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _survey_folder(tmp_path / "mine")
    other = tmp_path / "other-responses"
    other.mkdir()
    _swap_before_writing(monkeypatch, importing, "_free_name", folder / "responses", other)
    result = run("survey", "import", folder, SURVEY_EXPORT)
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert f"{folder / 'responses'}: is a symbolic link; responses/ must be a real folder" in said
    assert SURVEY_HINT in said
    assert os.listdir(other) == []
    assert os.listdir(folder / "responses.moved") == []


def test_survey_import_reads_no_responses_file_that_is_a_link(tmp_path: Path) -> None:
    """The ids already imported are read from this folder's own files only."""
    folder = _survey_folder(tmp_path / "mine")
    other = _survey_folder(tmp_path / "other")
    assert run("survey", "import", other, SURVEY_EXPORT).exit_code == 0
    (theirs,) = (other / "responses").iterdir()
    linked = folder / "responses" / theirs.name
    linked.symlink_to(theirs)
    result = run("survey", "import", folder, SURVEY_EXPORT)
    assert result.exit_code == 2
    said = _flat(result.stderr)
    assert f"{linked}: is a symbolic link; each file in responses/ must be a real file" in said
    assert SURVEY_HINT in said
    assert os.listdir(folder / "responses") == [theirs.name]
    assert os.listdir(other / "responses") == [theirs.name]


def test_control_without_the_guard_assess_writes_into_the_other_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nofollow, "SUPPORTED", False)
    folder = _new(tmp_path / "mine")
    other = _other_client(tmp_path)
    before = set(os.listdir(other / "interviews"))
    _swap_before_writing(
        monkeypatch, folder_module, "free_name", folder / "interviews", other / "interviews"
    )
    result = _assess_into(folder)
    # written by name, the interview lands in the other client's folder; only the
    # check of the engagement that follows the write notices the link, too late
    assert len(set(os.listdir(other / "interviews")) - before) == 1
    assert "wrote " in result.stderr and "is a symbolic link" in result.stderr


def test_an_unraced_assess_into_an_engagement_writes_its_interview_there(tmp_path: Path) -> None:
    folder = _new(tmp_path / "mine")
    result = _assess_into(folder)
    assert result.exit_code == 0, result.output
    (written,) = (folder / "interviews").iterdir()
    assert written.name.endswith(".findings.yaml")
    assert "Brackenfield Home & Garden Ltd" in written.read_text(encoding="utf-8")
    assert oct(written.stat().st_mode & 0o777) == oct(0o600)


def test_only_an_engagement_s_own_interviews_are_written_step_by_step(tmp_path: Path) -> None:
    from svcdiag.assess.finish import in_engagement

    folder = tmp_path / "mine"
    inside = in_engagement(folder / "interviews" / "a.findings.yaml", folder)
    assert nofollow.guarded(inside) is nofollow.SUPPORTED
    assert str(inside) == str(folder / "interviews" / "a.findings.yaml")
    elsewhere = tmp_path / "a.findings.yaml"
    assert in_engagement(elsewhere, folder) is elsewhere
    assert in_engagement(elsewhere, None) is elsewhere
    assert not nofollow.guarded(in_engagement(folder / "a.findings.yaml", folder))

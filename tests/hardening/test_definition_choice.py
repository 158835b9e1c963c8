"""Which questionnaire is read: never one a stray file or a findings file chooses (items 11, 12)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from svcdiag.definitions.loading import load_questionnaire

from .conftest import EXAMPLES, run

SHIPPED = EXAMPLES.parent / "questionnaires"


@pytest.fixture
def in_tmp(tmp_path: Path) -> Path:
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def _impostor(folder: Path, name: str = "diagnostic") -> Path:
    """A valid questionnaire with the shipped id, whose every question is optional."""
    text = (SHIPPED / "diagnostic.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Customer service diagnostic", "title: IMPOSTOR", 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_named_like_a_shipped_id_does_not_replace_it(in_tmp: Path) -> None:
    _impostor(in_tmp)
    result = run("assess", "diagnostic", "-a", EXAMPLES / "answers-healthy.yaml",
                 "-o", in_tmp / "f.yaml")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "IMPOSTOR" not in result.stdout
    assert "Using questionnaire" not in result.stderr
    written = yaml.safe_load((in_tmp / "f.yaml").read_text(encoding="utf-8"))
    assert "path" not in written["questionnaire"]


def test_a_path_is_used_and_named_on_stderr(in_tmp: Path) -> None:
    path = _impostor(in_tmp, "mine.yaml")
    result = run("assess", "./mine.yaml", "-a", EXAMPLES / "answers-healthy.yaml",
                 "-o", in_tmp / "f.yaml")  # fmt: skip
    assert result.exit_code == 0, result.output
    version = load_questionnaire("diagnostic").questionnaire.version
    assert f"Using questionnaire 'diagnostic' version {version} from {Path('./mine.yaml')}" in (
        result.stderr
    )
    assert path.is_file()


def _sent(tmp_path: Path, recorded: Path) -> Path:
    data = yaml.safe_load((EXAMPLES / "findings-healthy.yaml").read_text(encoding="utf-8"))
    data["questionnaire"]["path"] = str(recorded)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    path = inbox / "sent.findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_findings_file_cannot_make_report_read_a_file_outside_its_folder(tmp_path: Path) -> None:
    # Before the fix the recorded path was read (and its structure described in errors).
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\nsections: 1\n", encoding="utf-8")
    result = run("report", _sent(tmp_path, secret), "-f", "markdown")
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output
    assert "outside their own folder; it was not read" in result.stderr
    assert "the shipped questionnaire 'diagnostic' is used instead" in result.stderr


def test_a_recorded_path_under_the_findings_folder_is_used(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "defs").mkdir(parents=True)
    for name in ("diagnostic.yaml", "factors.yaml", "characteristics.yaml", "interventions.yaml"):
        shutil.copy(SHIPPED / name, inbox / "defs" / name)
    result = run("report", _sent(tmp_path, inbox / "defs" / "diagnostic.yaml"), "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_an_id_in_a_findings_file_is_never_a_path(tmp_path: Path, in_tmp: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "findings-healthy.yaml").read_text(encoding="utf-8"))
    _impostor(in_tmp, "stray.yaml")
    data["questionnaire"]["id"] = "./stray.yaml"
    path = in_tmp / "x.findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("report", path)
    assert result.exit_code == 2
    assert "IMPOSTOR" not in result.output

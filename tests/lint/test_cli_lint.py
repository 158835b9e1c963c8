"""``svcdiag lint`` as CI uses it: output formats, exit status, strictness."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app

runner = CliRunner()

GOOD = """\
schema_version: 1
id: good
version: "1"
title: Good
sections:
  - id: s
    title: S
    questions:
      - id: a
        text: A
        type: likert
        evidence: [{factor: goal_clarity}]
"""

BAD = GOOD + "        colour: blue\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_text_format_lists_problems_and_summary(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", BAD)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 1
    assert f"{path}:13:9: SD200 unknown key 'colour' in question 'a'" in result.stdout
    assert "Found 1 error and 11 warnings in 1 file." in result.stderr


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = _write(tmp_path, "good.yaml", GOOD)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 0
    assert "SD340 warning: benchmark characteristic 'business_led'" in result.stdout
    strict = runner.invoke(app, ["lint", "--strict", str(path)])
    assert strict.exit_code == 1


def test_json_format_carries_required_keys(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", BAD)
    result = runner.invoke(app, ["lint", "--format", "json", str(path)])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["files_checked"] == 1
    assert doc["errors"] == 1
    first = next(p for p in doc["problems"] if p["code"] == "SD200")
    assert first == {
        "path": str(path),
        "line": 13,
        "col": 9,
        "code": "SD200",
        "severity": "error",
        "message": "unknown key 'colour' in question 'a'",
        "hint": "remove it or check its spelling",
    }


def test_github_format_is_escaped_workflow_commands(tmp_path: Path) -> None:
    path = _write(tmp_path, "a,b.yaml", BAD)
    result = runner.invoke(app, ["lint", "--format", "github", str(path)])
    lines = result.stdout.splitlines()
    error = next(line for line in lines if line.startswith("::error"))
    assert error.startswith(
        f"::error file={str(path).replace(',', '%2C')},line=13,col=9,title=SD200::"
    )
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_directory_is_searched_recursively_skipping_hidden(tmp_path: Path) -> None:
    _write(tmp_path, "good.yaml", GOOD)
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "bad.yml", BAD)
    (tmp_path / ".hidden").mkdir()
    _write(tmp_path / ".hidden", "bad.yaml", BAD)
    result = runner.invoke(app, ["lint", "--format", "json", str(tmp_path)])
    doc = json.loads(result.stdout)
    assert doc["files_checked"] == 2
    assert {p["path"] for p in doc["problems"] if p["severity"] == "error"} == {
        str(tmp_path / "sub" / "bad.yml")
    }


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_unreadable_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "q.yaml", GOOD)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything; pretend it cannot
        monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    try:
        result = runner.invoke(app, ["lint", str(path)])
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert result.exit_code == 2
    assert "q.yaml" in result.stderr
    assert "readable" in result.stderr or "permission denied" in result.stderr
    assert "Traceback" not in result.output


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", "--format", "xml", str(tmp_path)])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", b"\xff\xfe\xfa", b"- just\n- a list\n", b"{{{{", b"a: 'unterminated"],
    ids=["empty", "binary", "bad-utf8", "list", "garbage", "unterminated"],
)
def test_hostile_files_never_give_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:" in result.stdout

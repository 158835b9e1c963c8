"""Hostile file names and links given to ``svcdiag lint``: nothing leaves its line or folder."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.lint.problems import quoted
from svcdiag.textsafe import visible
from tests.lint.test_cli_lint import GOOD

runner = CliRunner()

BAD = GOOD + "        colour: blue\n"  # one unknown key


def test_a_newline_in_a_file_name_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    folder = tmp_path / "nl"
    folder.mkdir()
    (folder / "a\n::error::inj.yaml").write_text(BAD)
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines, result.stdout
    assert not any(line.startswith("::") for line in lines)
    assert f"{folder}/a\\n::error::inj.yaml:13:9: SD200 unknown key 'colour'" in result.stdout


def test_control_characters_and_bidi_overrides_show_as_escapes(tmp_path: Path) -> None:
    path = tmp_path / "x\x1b[31m\u202ey.yaml"
    path.write_text(BAD.replace("colour: blue", "'col\\rour\\u202e': blue"))
    result = runner.invoke(app, ["lint", str(path)])
    assert "x\\x1b[31m\\u202ey.yaml:13:9: SD200 unknown key 'col\\rour\\u202e'" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_json_keeps_the_exact_path(tmp_path: Path) -> None:
    folder = tmp_path / "nl"
    folder.mkdir()
    name = "a\n::error::inj.yaml"
    (folder / name).write_text(BAD)
    result = runner.invoke(app, ["lint", "-f", "json", str(folder)])
    paths = {p["path"] for p in json.loads(result.stdout)["problems"]}
    assert paths == {str(folder / name)}


@given(st.text())
def test_visible_text_is_one_line_without_controls(text: str) -> None:
    shown = visible(text)
    assert "\n" not in shown and "\r" not in shown
    assert not any(ord(ch) < 32 or 127 <= ord(ch) <= 159 for ch in shown)
    assert not any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in shown)


def test_visible_leaves_printable_text_alone() -> None:
    assert visible("ok é 😀 \\ path/x.yaml") == "ok é 😀 \\ path/x.yaml"
    assert visible("a\tb\nc\x00\x9b") == "a\\tb\\nc\\x00\\x9b"


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "accounts"
    secret.parent.mkdir()
    secret.write_text("alice: $6$abc:19000:0:99999\nbob: $6$def:19000:0:99999\n")
    return secret


def test_a_folder_search_skips_links_that_leave_the_folder(tmp_path: Path) -> None:
    secret = _outside(tmp_path)
    folder = tmp_path / "ld"
    folder.mkdir()
    (folder / "shadow.yaml").symlink_to(secret)
    (folder / "bad.yaml").write_text(BAD)
    (folder / "inside.yaml").symlink_to(folder / "bad.yaml")
    result = runner.invoke(app, ["lint", str(folder)])
    assert "alice" not in result.stdout and "bob" not in result.stdout
    assert f"{folder}/shadow.yaml: skipped, a link to a file outside {folder}" in result.stderr
    assert f"{folder}/inside.yaml:13:9: SD200" in result.stdout  # a link inside is read
    assert f"{folder}/bad.yaml:13:9: SD200" in result.stdout
    assert "in 2 files." in result.stderr


def test_a_linked_folder_is_noted_and_upper_case_suffixes_are_found(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text(BAD)
    folder = tmp_path / "ld"
    folder.mkdir()
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "LOUD.YAML").write_text(BAD)
    result = runner.invoke(app, ["lint", str(folder)])
    assert f"{folder}/linked: skipped, a link to a folder" in result.stderr
    assert "secret" not in result.stdout
    assert f"{folder}/LOUD.YAML:13:9: SD200" in result.stdout
    assert "in 1 file." in result.stderr


def test_a_link_named_on_the_command_line_is_still_read(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text(BAD)
    link = tmp_path / "ld" / "named.yaml"
    link.parent.mkdir()
    link.symlink_to(secret)
    result = runner.invoke(app, ["lint", str(link)])
    assert f"{link}:13:9: SD200 unknown key 'colour'" in result.stdout
    assert "skipped" not in result.stderr


def test_a_long_unknown_key_is_shortened(tmp_path: Path) -> None:
    key = "k" * 300
    path = tmp_path / "long.yaml"
    path.write_text(BAD.replace("colour", key))
    result = runner.invoke(app, ["lint", str(path)])
    assert f"unknown key '{'k' * 39}…' (300 characters) in question 'a'" in result.stdout
    assert key not in result.stdout


def test_quoted_keeps_short_text_whole() -> None:
    assert quoted("help") == "'help'"
    assert quoted("x" * 40) == f"'{'x' * 40}'"
    assert quoted("x" * 41) == f"'{'x' * 39}…' (41 characters)"

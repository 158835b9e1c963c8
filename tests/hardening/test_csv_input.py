"""CSV input at the command line: header limits and digits (items 2 and lenient input).

Written against the commands, not the reader, so that they hold whatever engine
reads the CSV.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run

VARIATION = ("--unit", "agent", "--events", "complaints", "--cases", "contacts")


def test_a_header_field_beyond_the_csv_field_limit_is_an_error_when_detecting(
    tmp_path: Path,
) -> None:
    # Before the fix the delimiter detection raised _csv.Error (a traceback).
    path = tmp_path / "wide.csv"
    path.write_text(f"score{'x' * 200_000},branch\n9,a\n", encoding="utf-8")
    for argv in (["nps", path], ["variation", path, *VARIATION]):
        result = run(*argv)
        assert result.exit_code == 2, result.output
        assert f"{path}:1: " in result.stderr
        assert "header" in result.stderr


@pytest.mark.parametrize("digit", ["٩", "９", "۹", "9\u0663"])
def test_nps_refuses_digits_that_are_not_ascii(tmp_path: Path, digit: str) -> None:
    path = tmp_path / "nps.csv"
    path.write_text(f"score\n9\n{digit}\n", encoding="utf-8")
    result = run("nps", path)
    assert result.exit_code == 1
    assert f"{path}:3: " in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("count", ["٣", "５", "1_0"])
def test_variation_refuses_counts_that_are_not_plain_ascii_digits(
    tmp_path: Path, count: str
) -> None:
    path = tmp_path / "v.csv"
    path.write_text(f"agent,complaints,contacts\nann,{count},50\nbob,2,50\n", encoding="utf-8")
    result = run("variation", path, *VARIATION)
    assert result.exit_code == 1
    assert f"{path}:2: " in result.stderr

"""A unit or group name holding a newline cannot draw a line of its own in a terminal view."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.hardening.conftest import run

#: A name that, printed as it is, would draw a row claiming an alarm.
FAKE_ROW = "AG01\nAG99      99    100   99.00    0.00-9.00      0.00-9.90  +9.99  alarm high"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _lines_starting(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


def test_a_unit_name_cannot_draw_a_table_row(tmp_path: Path) -> None:
    rows: list[list[object]] = [[FAKE_ROW, 3, 100]]
    rows += [[f"AG{n:02d}", 3 + n % 3, 100] for n in range(2, 12)]
    data = _write(tmp_path / "units.csv", ["agent", "complaints", "contacts"], rows)
    result = run(
        "variation", data, "--unit", "agent", "--events", "complaints", "--cases", "contacts"
    )
    assert result.exit_code == 0, result.stderr
    assert _lines_starting(result.stdout, "AG99") == []
    assert "AG01\\nAG99" in result.stdout  # shown, on one line, as written


def test_a_group_name_cannot_draw_a_line_of_the_nps_table(tmp_path: Path) -> None:
    name = "Leeds\nYork\tBEST  100  100.0%"
    rows = [[9, name], [3, "Hull"], [10, "Hull"], [7, name]]
    data = _write(tmp_path / "nps.csv", ["score", "branch"], rows)
    result = run("nps", data, "--by", "branch")
    assert result.exit_code == 0, result.stderr
    assert _lines_starting(result.stdout, "York") == []
    assert "Leeds\\nYork\\tBEST" in result.stdout


def test_a_trend_group_name_cannot_draw_a_reading_of_its_own(tmp_path: Path) -> None:
    name = "North\nStable: nothing to see here"
    rows = [[f"2024-{m:02d}-01", team, m % 3, 50] for m in range(1, 7) for team in (name, "South")]
    data = _write(tmp_path / "trend.csv", ["month", "team", "complaints", "contacts"], rows)
    result = run(
        "trend", data, "--time", "month", "--events", "complaints", "--cases", "contacts",
        "--by", "team",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert _lines_starting(result.stdout, "Stable: nothing") == []
    assert "North\\nStable: nothing to see here" in result.stdout


def test_a_control_character_in_a_name_is_shown_not_sent(tmp_path: Path) -> None:
    rows = [[9, "\x1b]0;T\x07Leeds"], [3, "Hull"]]
    data = _write(tmp_path / "nps.csv", ["score", "branch"], rows)
    result = run("nps", data, "--by", "branch")
    assert "\x1b" not in result.stdout
    assert "\\x1b]0;T\\x07Leeds" in result.stdout


@pytest.mark.parametrize(("separator", "shown"), [("\u2028", "\\u2028"), ("\u2029", "\\u2029")])
def test_a_unicode_line_separator_in_a_name_cannot_draw_a_row(
    tmp_path: Path, separator: str, shown: str
) -> None:
    """U+2028 and U+2029 end a line for ``str.splitlines``, log viewers and JavaScript."""
    rows: list[list[object]] = [[FAKE_ROW.replace("\n", separator), 3, 100]]
    rows += [[f"AG{n:02d}", 3 + n % 3, 100] for n in range(2, 12)]
    data = _write(tmp_path / "units.csv", ["agent", "complaints", "contacts"], rows)
    result = run(
        "variation", data, "--unit", "agent", "--events", "complaints", "--cases", "contacts"
    )
    assert result.exit_code == 0, result.stderr
    assert separator not in result.stdout
    assert _lines_starting(result.stdout, "AG99") == []
    assert f"AG01{shown}AG99" in result.stdout


@pytest.mark.parametrize(
    ("invisible", "shown"),
    [("\ufeff", "\\ufeff"), ("\u200b", "\\u200b"), ("\u2060", "\\u2060"), ("\xad", "\\xad")],
)
def test_a_name_with_an_invisible_character_does_not_look_like_another(
    tmp_path: Path, invisible: str, shown: str
) -> None:
    """``North`` and ``North`` behind a zero-width space are two units, and are shown as two."""
    rows = [[9, "North"], [3, f"{invisible}North"], [10, "South"]]
    data = _write(tmp_path / "nps.csv", ["score", "branch"], rows)
    result = run("nps", data, "--by", "branch")
    assert result.exit_code == 0, result.stderr
    assert invisible not in result.stdout
    assert f"{shown}North" in result.stdout

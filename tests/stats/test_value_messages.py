"""What an invalid date or number is called: the wording that names the first bad row.

Each case is a value the rules refuse, and stays refused; these tests check
that the message says what is wrong with it, and the hint how to mend it.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.stats.locate import rounding_hint, time_problem

FIRST_ROWS = "d,x\n2024-01-05,1\n2024-02-05,0\n"


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def trend_csv(tmp_path: Path, day: str) -> Result:
    path = tmp_path / "trend.csv"
    path.write_text(f"{FIRST_ROWS}{day},1\n", encoding="utf-8")
    return run("trend", path, "--time", "d", "--outcome", "x")


def refused(result: Result) -> str:
    """The message of a refused file, its lines joined as written."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return " ".join(result.stderr.split())


# ---------------------------------------------------------------- dates of no calendar


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2024-02-30", "February 2024 has 29 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2024-09-31", "September 2024 has 30 days"),
        ("2024-02-30 10:00", "February 2024 has 29 days"),
        ("2024-13-01", "there is no month 13"),
        ("2024-00-10", "there is no month 00"),
        ("2024-03-00", "there is no day 00"),
    ],
)
def test_a_date_of_no_calendar_says_why(tmp_path: Path, day: str, why: str) -> None:
    stderr = refused(trend_csv(tmp_path, day))
    assert f"trend.csv:4: column 'd': {day!r} is no date of the calendar: {why}" in stderr
    assert "hint: correct the date" in stderr
    assert "share one format" not in stderr


def test_a_leap_day_is_a_date(tmp_path: Path) -> None:
    path = tmp_path / "trend.csv"
    path.write_text(f"{FIRST_ROWS}2024-02-29,1\n2024-03-05,0\n", encoding="utf-8")
    assert run("trend", path, "--time", "d", "--outcome", "x").exit_code == 0


# ---------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("moment", "offset"),
    [
        ("2024-03-05T10:00Z", "Z"),
        ("2024-03-05 10:00+02:00", "+02:00"),
        ("2024-03-05 10:00:00-0500", "-0500"),
        ("2024-03-05 10:00 UTC", "UTC"),
    ],
)
def test_a_time_zone_offset_is_named(tmp_path: Path, moment: str, offset: str) -> None:
    stderr = refused(trend_csv(tmp_path, moment))
    assert (
        f"trend.csv:4: column 'd': {moment!r} has a time-zone offset ({offset!r}), "
        "which svcdiag does not read" in stderr
    )
    assert "hint: write local times, or times in UTC, without the offset" in stderr


def test_an_offset_after_no_date_of_the_calendar_names_the_date(tmp_path: Path) -> None:
    stderr = refused(trend_csv(tmp_path, "2024-02-30T10:00Z"))
    assert "'2024-02-30T10:00Z' is no date of the calendar: February 2024 has 29 days" in stderr


# ---------------------------------------------------------------- beyond the years 1 to 9999


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("DATE '10000-06-01'", "10000-06-01"),
        ("DATE '0000-06-01'", "0001-06-01 (BC)"),
        ("DATE 'infinity'", "infinity"),
        ("TIMESTAMP '10000-06-01 10:00'", "10000-06-01 10:00:00"),
        ("TIMESTAMP '0000-06-01 10:00'", "0001-06-01 (BC) 10:00:00"),
    ],
)
def test_a_typed_date_out_of_range_is_named(tmp_path: Path, stored: str, shown: str) -> None:
    path = tmp_path / "dates.parquet"
    rows = f"(DATE '2024-01-05', 1), (DATE '2024-02-05', 0), ({stored}, 1)"
    duckdb.sql(f"COPY (SELECT * FROM (VALUES {rows}) t(d, x)) TO '{path}' (FORMAT parquet)")
    stderr = refused(run("trend", path, "--time", "d", "--outcome", "x"))
    assert (
        f"dates.parquet: row 3: column 'd': {shown!r} is out of the range of dates svcdiag "
        "reads (years 1 to 9999)" in stderr
    )
    assert "YYYY-MM-DD" not in stderr


def test_year_zero_written_out_is_out_of_range(tmp_path: Path) -> None:
    stderr = refused(trend_csv(tmp_path, "0000-06-01"))
    assert "'0000-06-01' is out of the range of dates svcdiag reads (years 1 to 9999)" in stderr


# ---------------------------------------------------------------- workbook dates that are numbers


def sheet_with_date(tmp_path: Path, value: object, number_format: str | None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["d", "x"])
    sheet.append([dt.date(2024, 1, 5), 1])
    sheet.append([dt.date(2024, 2, 5), 0])
    sheet.append([value, 1])
    if number_format is not None:
        sheet.cell(4, 1).number_format = number_format
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("value", [0, -1])
def test_a_date_cell_below_one_is_a_time_without_a_date(tmp_path: Path, value: int) -> None:
    path = sheet_with_date(tmp_path, value, "yyyy-mm-dd")
    stderr = refused(run("trend", path, "--time", "d", "--outcome", "x"))
    assert "row 4: column 'd': '00:00:00' is a time of day without a date" in stderr
    assert "0 or a negative number" in stderr


def test_a_date_serial_in_a_general_cell_is_a_number(tmp_path: Path) -> None:
    path = sheet_with_date(tmp_path, 45292, None)
    stderr = refused(run("trend", path, "--time", "d", "--outcome", "x"))
    assert "sheet 'Sheet', row 4: column 'd': '45292' is a number, not a date" in stderr
    assert "hint: format the column as Date in the spreadsheet" in stderr
    assert "45292 is 2024-01-01" in stderr


def test_a_small_number_is_a_number_without_a_day_told(tmp_path: Path) -> None:
    stderr = refused(trend_csv(tmp_path, "2024"))
    assert "'2024' is a number, not a date" in stderr
    assert " is 1905-" not in stderr


# ---------------------------------------------------------------- a formula's rounding


def with_formula(path: Path, cell: str, formula: str, cached: float) -> Path:
    """Make ``cell`` hold ``formula`` with its last result ``cached``, as Excel saves it."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    xml, count = re.subn(
        rf'(<c r="{cell}"[^>]*>)<v>[^<]*</v>',
        rf"\1<f>{formula}</f><v>{cached!r}</v>",
        parts[member].decode(),
    )
    assert count == 1
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path


def rounded_sheet(tmp_path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(row)
    path = tmp_path / "scores.xlsx"
    book.save(path)
    return with_formula(path, "B3", "0.1*3*30", 0.1 * 3 * 30)


def test_an_answer_off_by_a_formulas_rounding_says_so(tmp_path: Path) -> None:
    noisy = 0.1 * 3 * 30
    assert noisy == 9.000000000000002
    path = rounded_sheet(tmp_path, ["g", "score"], [["A", 10], ["A", noisy], ["A", 7]])
    stderr = refused(run("nps", path, "--column", "score"))
    assert (
        "sheet 'Sheet', row 3: column 'score': '9.000000000000002' is not an integer "
        "from 0 to 10" in stderr
    )
    assert (
        "hint: the cell holds 9.000000000000002, a formula's rounding (shown as 9): "
        "wrap the formula in ROUND(..., 0)" in stderr
    )


def test_an_answer_charted_off_by_a_formulas_rounding_says_so(tmp_path: Path) -> None:
    rows: list[list[object]] = [[dt.date(2024, 1, 5), 10], [dt.date(2024, 2, 5), 0.1 * 3 * 30]]
    path = rounded_sheet(tmp_path, ["d", "score"], rows)
    stderr = refused(run("trend", path, "--time", "d", "--nps", "score"))
    assert "row 3: column 'score': '9.000000000000002' is not an integer from 0 to 10" in stderr
    assert "wrap the formula in ROUND(..., 0)" in stderr


def test_a_count_off_by_a_formulas_rounding_says_so(tmp_path: Path) -> None:
    path = rounded_sheet(tmp_path, ["agent", "e", "n"], [["A", 1, 10], ["B", 0.1 * 3 * 30, 20]])
    stderr = refused(run("variation", path, "--unit", "agent", "--events", "e", "--cases", "n"))
    assert "row 3: column 'e': '9.000000000000002' is not a whole number" in stderr
    assert "hint: the cell holds 9.000000000000002, a formula's rounding (shown as 9)" in stderr


@pytest.mark.parametrize("value", ["9.5", "9.0001", "11.000000000000002"])
def test_a_value_that_rounding_does_not_mend_gets_no_such_hint(tmp_path: Path, value: str) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(f"score\n10\n{value}\n", encoding="utf-8")
    stderr = refused(run("nps", path, "--column", "score"))
    assert f"{value!r} is not an integer from 0 to 10" in stderr
    assert "ROUND" not in stderr


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            "8.999999999999998",
            "the cell holds 8.999999999999998, a formula's rounding (shown as 9)",
        ),
        ("-2.7755575615628914e-17", "(shown as 0)"),
        ("1e1", None),  # exactly 10, written otherwise: no rounding to blame
        ("-0", None),
        ("9.", None),
        ("-1.0000000000000002", None),  # a count is never negative, rounded or not
    ],
)
def test_only_a_formulas_rounding_gets_the_round_hint(text: str, hint: str | None) -> None:
    found = rounding_hint(text, lambda number: number >= 0)
    assert found == hint if hint is None else found is not None and hint in found


def test_a_date_alone_with_an_offset_is_named() -> None:
    message, hint = time_problem("2024-03-05Z", "d")
    assert (
        message
        == "column 'd': '2024-03-05Z' has a time-zone offset ('Z'), which svcdiag does not read"
    )
    assert hint.endswith("e.g. '2024-03-05'")

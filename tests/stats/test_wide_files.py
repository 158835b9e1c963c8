"""Wide files: many columns, long lines, and blank rows told apart a slice at a time."""

from __future__ import annotations

import json
import random
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.stats import sources
from svcdiag.stats.csvsource import MAX_COLUMNS

from .conftest import MakeCsv


def run(*args: object, threads: int | None = None) -> Result:
    env = {"COLUMNS": "80", "NO_COLOR": "1"}
    if threads is not None:
        env["SVCDIAG_THREADS"] = str(threads)
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def wide_text(extra: int, rows: list[tuple[str, str]], blank_after: int | None = None) -> str:
    """A CSV of unit, outcome and ``extra`` filled columns; a blank row after ``blank_after``."""
    header = ",".join(["agent", "complaint", *(f"x{i}" for i in range(extra))])
    lines = [header]
    for index, (agent, outcome) in enumerate(rows):
        lines.append(",".join([agent, outcome, *(["v"] * extra)]))
        if index == blank_after:
            lines.append("," * (extra + 1))
    return "\n".join(lines) + "\n"


ROWS = [("A", "1"), ("B", "0"), ("A", "0"), ("C", "1"), ("B", "1"), ("C", "0")] * 5


def test_a_wide_export_with_a_blank_row_is_read_within_the_memory_limit(
    make_csv: MakeCsv,
) -> None:
    # 1,300 columns on 8 threads: telling the blank row apart by every column
    # at once needs more than the default 384 MB, and failed as "out of memory".
    path = make_csv(wide_text(1300, ROWS, blank_after=3))
    result = run("variation", path, "--unit", "agent", "--outcome", "complaint", "-f", "json",
                 threads=8)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    units = json.loads(result.stdout)["units"]
    assert [(u["unit"], u["events"], u["cases"]) for u in units] == [
        ("A", 5, 10),
        ("B", 5, 10),
        ("C", 5, 10),
    ]


def test_a_bad_value_in_a_wide_export_is_named(make_csv: MakeCsv) -> None:
    rows = [*ROWS[:7], ("B", "maybe"), *ROWS[7:]]
    path = make_csv(wide_text(1300, rows, blank_after=2))
    result = run("variation", path, "--unit", "agent", "--outcome", "complaint", threads=8)
    assert result.exit_code == 1
    assert f"{path}:10: column 'complaint': 'maybe' is not an outcome" in result.stderr


def test_a_wide_sheet_with_a_bad_value_is_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["agent", "complaint", *(f"x{i}" for i in range(1300))])
    for agent, outcome in [*ROWS[:4], ("B", "maybe"), *ROWS[4:]]:
        sheet.append([agent, outcome, *(["v"] * 1300)])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    result = run("variation", path, "--unit", "agent", "--outcome", "complaint", threads=8)
    assert result.exit_code == 1
    assert "sheet 'Sheet', row 6: column 'complaint': 'maybe' is not an outcome" in result.stderr


cells = st.sampled_from(["", "", " ", "x", "0", "1"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(cells, min_size=7, max_size=7), min_size=1, max_size=12),
    st.randoms(use_true_random=False),
)
def test_slices_tell_blank_rows_as_one_read_does(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], rng: random.Random
) -> None:
    # The same file read with every column at once, and two or three columns
    # at a time: the same rows are left out, so the same counts come back
    # (or the same error, for an empty unit with values elsewhere).
    rows = [["A" if rng.random() < 0.5 else "B", rng.choice("01"), *row[2:]] for row in rows]
    for row in rows:
        if rng.random() < 0.3:
            row[:] = [""] * len(row)
    if all(not any(row) for row in rows):
        rows.append(["A", "1", *[""] * 5])
    text = "u,o,a,b,c,d,e\n" + "".join(",".join(row) + "\n" for row in rows)
    path = tmp_path_factory.mktemp("wide") / "data.csv"
    path.write_text(text)
    outcomes = []
    with pytest.MonkeyPatch.context() as patch:
        for wide, budget in [(1000, 2048), (3, 4), (2, 6)]:
            patch.setattr(sources, "WIDE_COLUMNS", wide)
            patch.setattr(sources, "WIDE_READ_BUDGET", budget)
            result = run("variation", path, "--unit", "u", "--outcome", "o", "-f", "json",
                         threads=2)  # fmt: skip
            outcomes.append((result.exit_code, result.stdout, result.stderr))
    assert outcomes[1] == outcomes[0]
    assert outcomes[2] == outcomes[0]


def test_a_line_longer_than_the_engine_reads_is_named(make_csv: MakeCsv) -> None:
    # Each value is short enough for the row-by-row reader; the line is not.
    long = "y" * 700_000
    line = f"B,0,{long},{long},{long}"  # 4 + 3 x 700,000 + 2 = 2,100,006 bytes
    path = make_csv(f"agent,complaint,a,b,c\nA,1,x,x,x\n{line}\n")
    result = run("variation", path, "--unit", "agent", "--outcome", "complaint")
    assert result.exit_code == 1
    assert f"{path}:3: the line is 2,100,006 bytes long; a line may hold at most 2,000,000" in (
        result.stderr
    )


def test_the_long_line_is_named_after_values_that_span_lines(make_csv: MakeCsv) -> None:
    # The engine counts records (4 here); the file's line is 6, after a
    # quoted note over three lines.
    long = "y" * 700_000
    text = (
        'agent,complaint,a,b,c\nA,1,"multi\nline\nnote",x,x\nB,0,x,x,x\n'
        f"C,1,{long},{long},{long}\nD,0,x,x,x\n"
    )
    path = make_csv(text)
    result = run("variation", path, "--unit", "agent", "--outcome", "complaint")
    assert result.exit_code == 1
    assert f"{path}:6: the line is 2,100,006 bytes long" in result.stderr


def test_too_many_columns_is_an_error_naming_the_limit(make_csv: MakeCsv) -> None:
    header = ",".join(["agent", "complaint", *(f"x{i}" for i in range(MAX_COLUMNS - 1))])
    path = make_csv(header + "\nA,1\n")
    result = run("variation", path, "--unit", "agent", "--outcome", "complaint")
    assert result.exit_code == 2
    assert (
        f"{path}:1: the header names 16,385 columns; a CSV file may have at most 16,384, "
        "as many as a spreadsheet holds"
    ) in result.stderr

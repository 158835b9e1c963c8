"""`svcdiag trend --by`: a date far from the rest of its own group is warned about."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.stats.trend_gaps import far_off, find_gaps, is_sparse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMPLAINTS = EXAMPLES / "complaints_by_month.csv"  # North, South, Web: 2024-01 to 2025-06
ARGS = ("--time", "month", "--events", "complaints", "--cases", "contacts", "--by", "team")
TOP_KEYS = {"chart", "measure", "period", "better", "changes", "stable", "summary"}  # no --target


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def month(index: int) -> dt.date:
    """The first day of month ``index`` counted from 2020-01."""
    return dt.date(2020 + index // 12, index % 12 + 1, 1)


def with_rows(tmp_path: Path, extra: list[str], name: str = "t.csv") -> Path:
    """The example file with ``extra`` rows appended (the first at line 56)."""
    text = COMPLAINTS.read_text(encoding="utf-8")
    assert text.count("\n") == 55  # a header and 54 rows: the next row is line 56
    path = tmp_path / name
    path.write_text(text + "".join(f"{row}\n" for row in extra), encoding="utf-8")
    return path


def pilot(team: str = "Pilot") -> list[str]:
    """A team that starts in 2025, its 2025-04 row written 2024-04 (line 4 of these rows)."""
    days = ["2025-01-01", "2025-02-01", "2025-03-01", "2024-04-01", "2025-05-01", "2025-06-01"]
    return [f"{day},{team},3,100" for day in days]


def test_a_mistyped_year_in_one_group_names_the_group_and_its_line(tmp_path: Path) -> None:
    path = with_rows(tmp_path, pilot())
    result = run("trend", path, *ARGS, "-f", "json")
    assert result.exit_code == 0, result.output
    # The other teams fill 2024-01 to 2025-06, so the file as a whole is not
    # sparse; Pilot spans 2024-04 to 2025-06 (15 months) with 6 holding data,
    # and its 2024-04 is cut off by 8 empty months, more than the 6 the rest spans.
    assert " ".join(result.stderr.split()) == (
        "warning: column 'month': dates far from the others of their group: "
        "2024-04 (line 59) of group 'Pilot'. A mistyped year? Check those dates."
    )
    data = json.loads(result.stdout)  # the warning goes to stderr: the JSON is as documented
    assert set(data) == TOP_KEYS | {"series"}
    series = {s["group"]: s for s in data["series"]}
    assert list(series) == ["", "North", "South", "Web", "Pilot"]
    assert "gaps" not in series[""]
    assert series["Pilot"]["gaps"] == [
        {"first": "2024-05", "last": "2024-12", "periods": 8},
        {"first": "2025-04", "last": "2025-04", "periods": 1},  # the row mistyped
    ]
    assert [p["period"] for p in series["Pilot"]["points"]][:2] == ["2024-04", "2025-01"]


def test_without_by_the_same_file_has_nothing_to_warn_about(tmp_path: Path) -> None:
    path = with_rows(tmp_path, pilot())
    result = run("trend", path, *ARGS[:-2])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_group_sparse_throughout_is_not_warned_about(tmp_path: Path) -> None:
    # A team reporting every third month: 16 months spanned, 6 with data, so
    # sparse; but every gap is 2 months, none cuts a period off from the rest.
    quarterly = ["2024-01", "2024-04", "2024-07", "2024-10", "2025-01", "2025-04"]
    path = with_rows(tmp_path, [f"{m}-01,Quarterly,1,50" for m in quarterly])
    result = run("trend", path, *ARGS)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Quarterly" in result.stdout  # charted, with its gaps named
    assert "2 months, to 2024-03" in result.stdout


def test_a_line_the_file_warning_names_is_not_named_again(tmp_path: Path) -> None:
    lines = COMPLAINTS.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[4].startswith("2024-02-01,North") and lines[5].startswith("2024-02-01,South")
    lines[4] = "2204" + lines[4][4:]  # North's 2024-02, line 5
    path = tmp_path / "typo.csv"
    path.write_text("".join(lines), encoding="utf-8")
    once = " ".join(run("trend", path, *ARGS).stderr.split())
    assert "far from the others: 2204-02 (line 5)" in once  # the file's warning, as without --by
    assert once.count("line 5") == 1 and "of their group" not in once

    lines[5] = "2204" + lines[5][4:]  # South's too, line 6: the file's warning names line 5 only
    path.write_text("".join(lines), encoding="utf-8")
    result = run("trend", path, *ARGS)
    assert result.exit_code == 0, result.output
    warnings = [" ".join(w.split()) for w in result.stderr.split("warning: ")[1:]]
    assert len(warnings) == 2
    assert "far from the others: 2204-02 (line 5)" in warnings[0]
    assert warnings[1] == (
        "column 'month': dates far from the others of their group: "
        "2204-02 (line 6) of group 'South'. A mistyped year? Check those dates."
    )


def test_many_groups_are_named_a_few_at_a_time(tmp_path: Path) -> None:
    rows = [row for n in range(1, 6) for row in pilot(f"P{n}")]
    result = run("trend", with_rows(tmp_path, rows), *ARGS)
    assert result.exit_code == 0, result.output
    # each team's six rows follow the previous team's: its 2024-04 is its fourth
    assert " ".join(result.stderr.split()) == (
        "warning: column 'month': dates far from the others of their group: "
        "2024-04 (line 59) of group 'P1', 2024-04 (line 65) of group 'P2', "
        "2024-04 (line 71) of group 'P3' and 2 more. A mistyped year? Check those dates."
    )


def test_a_group_name_in_the_warning_cannot_drive_the_terminal(tmp_path: Path) -> None:
    result = run("trend", with_rows(tmp_path, pilot("Pi\x1b]0;x\x07lot")), *ARGS)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "(line 59) of group 'Pi\\x1b]0;x\\x07lot'" in " ".join(result.stderr.split())


def test_a_far_off_row_in_a_workbook_is_named_by_its_row(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in COMPLAINTS.read_text(encoding="utf-8").splitlines() + pilot():
        sheet.append(line.split(","))
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = run("trend", path, *ARGS)
    assert result.exit_code == 0, result.output
    assert "2024-04 (row 59) of group 'Pilot'" in " ".join(result.stderr.split())


# ---------------------------------------------------------------- far_off, by hand and by property


def test_far_off_needs_a_gap_longer_than_either_side() -> None:
    bulk = [month(i) for i in range(6)]
    # 8 empty months cut 2019-04 off from six: named; 5 empty months are not
    # more than the six the rest spans, so 2019-07 is not (nor is it sparse)
    assert far_off([month(-9), *bulk], find_gaps([month(-9), *bulk], "month"), "month") == [
        month(-9)
    ]
    near = [month(-6), *bulk]
    assert far_off(near, find_gaps(near, "month"), "month") == []
    # every third month: the first is cut off by 2 empty months, as is every other one
    every_third = [month(3 * i) for i in range(6)]
    assert is_sparse(every_third, "month")
    assert far_off(every_third, find_gaps(every_third, "month"), "month") == []


@given(st.integers(0, 400), st.integers(2, 12), st.integers(3, 40))
def test_evenly_spaced_dates_have_no_far_off_period(first: int, step: int, count: int) -> None:
    starts = [month(first + step * i) for i in range(count)]
    assert far_off(starts, find_gaps(starts, "month"), "month") == []


@given(st.integers(0, 400), st.integers(1, 30), st.integers(1, 300), st.booleans())
def test_one_month_beyond_a_gap_longer_than_the_bulk_is_far_off(
    first: int, bulk: int, beyond: int, early: bool
) -> None:
    run_of = [month(first + 400 + i) for i in range(bulk)]
    empty = max(bulk, 1) + beyond  # empty months between it and the bulk: more than the bulk
    lone = month(first + 400 - empty - 1) if early else month(first + 400 + bulk + empty)
    starts = sorted([*run_of, lone])
    far = far_off(starts, find_gaps(starts, "month"), "month")
    assert far == ([lone] if bulk > 1 else starts)  # two single months: both named


def test_a_group_written_with_outer_spaces_is_found_by_its_name(tmp_path: Path) -> None:
    rows = pilot("Pilot")
    rows[3] = rows[3].replace("Pilot", " Pilot\t")  # the far-off row, line 59
    result = run("trend", with_rows(tmp_path, rows), *ARGS)
    assert result.exit_code == 0, result.output
    assert "2024-04 (line 59) of group 'Pilot'" in " ".join(result.stderr.split())


def test_a_group_warning_explains_an_error_that_follows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svcdiag.errors import DataError
    from svcdiag.stats import trend_analysis

    told = "dates far from the others of their group: 2204-01 (line 3) of group 'b'"
    monkeypatch.setattr(trend_analysis, "far_warnings", lambda *args: (None, told))
    path = tmp_path / "one.csv"
    path.write_text("day,team,complaint\n2024-01-01,a,1\n2024-01-02,b,0\n")
    measure = trend_analysis.Measure(outcome="complaint")
    with pytest.raises(DataError) as raised:
        trend_analysis.trend_from_file(path, time="day", measure=measure, by="team")
    assert "all rows fall in one month" in raised.value.detail
    assert raised.value.hint == told

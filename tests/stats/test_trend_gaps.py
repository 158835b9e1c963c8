"""`svcdiag trend` over periods without data: named, never counted across, warned about."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.diagnosis.data_rules import trend_reasons
from svcdiag.models.trend import Chart, Rule
from svcdiag.stats.trend import ChartLimits, RawSignal, find_signals, xmr_chart
from svcdiag.stats.trend_analysis import _Period, build_series
from svcdiag.stats.trend_gaps import (
    Period,
    far_off,
    find_gaps,
    is_sparse,
    period_number,
    period_start,
)

MakeCsv = Callable[..., Path]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMPLAINTS = EXAMPLES / "complaints_by_month.csv"


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def flat(count: int, centre: float, half: float) -> ChartLimits:
    return ChartLimits(centre, [centre - half] * count, [centre + half] * count)


def month(index: int) -> dt.date:
    """The first day of month ``index`` counted from 2023-01."""
    return dt.date(2023 + index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------- the rules, by hand


def test_eight_above_with_a_gap_inside_is_no_shift() -> None:
    values = [12.0] * 8
    limits = flat(8, 10.0, 5.0)
    assert [(s.rule, s.start, s.end) for s in find_signals(values, limits)] == [(Rule.shift, 0, 7)]
    assert find_signals(values, limits, breaks={4}) == []  # 4 + 4, each too short


def test_a_run_may_start_at_a_gap() -> None:
    values = [8.0, 8.0] + [12.0] * 8
    found = find_signals(values, flat(10, 10.0, 5.0), breaks={2})
    assert [(s.rule, s.start, s.end, s.direction.value) for s in found] == [
        (Rule.shift, 2, 9, "up")
    ]


def test_six_rising_across_a_gap_is_no_trend() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    limits = flat(6, 3.5, 10.0)
    assert [s.rule for s in find_signals(values, limits)] == [Rule.trend]
    assert find_signals(values, limits, breaks={3}) == []
    # the gap cuts the step into point 3 only: 3 rising points after it stay short
    assert find_signals([*values, 7.0, 8.0, 9.0], flat(9, 5.0, 10.0), breaks={3}) == [
        RawSignal(Rule.trend, 3, 8, find_signals(values, limits)[0].direction)
    ]


def test_a_gap_creates_no_moving_range() -> None:
    # 9, 3 | gap | 3, 3, 8: the ranges are 6, 0 and 5; the 0 across the gap is not one
    limits = xmr_chart([9.0, 3.0, 3.0, 3.0, 8.0], breaks={2})
    mean_range = (6 + 0 + 5) / 3
    assert limits.centre == pytest.approx(5.2)
    assert limits.upper[0] == pytest.approx(5.2 + 2.66 * mean_range)
    assert limits.lower[0] == pytest.approx(5.2 - 2.66 * mean_range)
    assert limits.mr_upper == pytest.approx(3.267 * mean_range)
    without = xmr_chart([9.0, 3.0, 3.0, 3.0, 8.0])
    assert without.upper[0] == pytest.approx(5.2 + 2.66 * (6 + 0 + 0 + 5) / 4)


def test_xmr_needs_two_consecutive_values() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        xmr_chart([1.0, 5.0], breaks={1})


# ---------------------------------------------------------------- finding gaps


def test_gaps_between_months_by_hand() -> None:
    starts = [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 5, 1), dt.date(2025, 1, 1)]
    gaps = find_gaps(starts, "month")
    assert [(g.before, g.first, g.last, g.periods) for g in gaps] == [
        (2, dt.date(2024, 3, 1), dt.date(2024, 4, 1), 2),
        (3, dt.date(2024, 6, 1), dt.date(2024, 12, 1), 7),
    ]


def test_gaps_between_weeks_days_and_quarters() -> None:
    weeks = [dt.date(2024, 12, 23), dt.date(2025, 1, 13)]  # Mondays, 3 weeks apart
    assert [(g.first, g.periods) for g in find_gaps(weeks, "week")] == [(dt.date(2024, 12, 30), 2)]
    days = [dt.date(2024, 2, 28), dt.date(2024, 3, 1)]  # a leap year
    assert [(g.first, g.last) for g in find_gaps(days, "day")] == [
        (dt.date(2024, 2, 29), dt.date(2024, 2, 29))
    ]
    quarters = [dt.date(2023, 10, 1), dt.date(2024, 7, 1)]
    assert [(g.first, g.last, g.periods) for g in find_gaps(quarters, "quarter")] == [
        (dt.date(2024, 1, 1), dt.date(2024, 4, 1), 2)
    ]


@given(st.dates(), st.sampled_from(["day", "week", "month", "quarter"]))
def test_period_numbers_step_by_one(day: dt.date, period: Period) -> None:
    from svcdiag.stats.trend_analysis import truncate

    start = truncate(day, period)
    number = period_number(start, period)
    assert period_start(number, period) == start
    if day < dt.date(9999, 12, 1):
        following = truncate(start + dt.timedelta(days=93), period)
        numbers = range(number, period_number(following, period) + 1)
        walked = [period_start(n, period) for n in numbers]
        days = (start + dt.timedelta(days=k) for k in range((following - start).days + 1))
        # numbers one apart are neighbouring periods: together, every period of every day
        assert sorted({truncate(d, period) for d in days}) == walked


def test_far_off_periods() -> None:
    bulk = [month(i) for i in range(18)]
    typo = dt.date(2204, 2, 1)
    starts = [*bulk, typo]
    gaps = find_gaps(starts, "month")
    assert is_sparse(starts, "month")
    assert far_off(starts, gaps, "month") == [typo]
    assert not is_sparse(bulk, "month")
    # a series in two halves a year apart has no far-off side
    halves = [month(i) for i in (*range(6), *range(18, 24))]
    assert far_off(halves, find_gaps(halves, "month"), "month") == []
    pair = [dt.date(1, 1, 1), dt.date(2024, 3, 1)]
    assert far_off(pair, find_gaps(pair, "month"), "month") == pair


# ---------------------------------------------------------------- properties


def within(found: RawSignal, among: list[RawSignal]) -> bool:
    return any(
        s.rule is found.rule
        and s.direction is found.direction
        and s.start <= found.start
        and found.end <= s.end
        for s in among
    )


@given(
    st.lists(st.integers(-3, 3), min_size=2, max_size=40),
    st.sets(st.integers(1, 39)),
    st.integers(-2, 2),
)
def test_gaps_never_add_a_signal_for_the_same_limits(
    values: list[int], breaks: set[int], centre: int
) -> None:
    floats = [float(v) for v in values]
    limits = flat(len(floats), float(centre), 2.5)
    kept = {b for b in breaks if b < len(floats)}
    plain = find_signals(floats, limits)
    gapped = find_signals(floats, limits, breaks=kept)
    assert all(within(s, plain) for s in gapped)
    for s in gapped:  # and no run spans a gap
        if s.rule is not Rule.beyond_limits:
            assert not any(s.start < b <= s.end for b in kept)


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(40, 60), st.integers(0, 3)),
        min_size=2,
        max_size=30,
    ),
    st.sampled_from([Chart.p, Chart.nps]),
)
def test_inserting_empty_periods_never_creates_a_signal(
    rows: list[tuple[int, int, int]], chart: Chart
) -> None:
    """Through the whole series: a p-chart's and an NPS chart's limits do not depend on gaps."""

    def periods(starts: list[dt.date]) -> list[_Period]:
        if chart is Chart.p:
            return [_Period(s, a, b, 0) for s, (a, b, _) in zip(starts, rows, strict=True)]
        return [_Period(s, a, b - a, a % 7) for s, (a, b, _) in zip(starts, rows, strict=True)]

    consecutive, at = [], 0
    spaced = []
    for _, _, skip in rows:
        consecutive.append(month(len(consecutive)))
        spaced.append(month(at))
        at += 1 + skip

    def series(starts: list[dt.date]) -> list[tuple[Rule, str, int, int]]:
        built = build_series(
            "", chart, periods(starts), period="month", measure="m", changes=(),
            target=None, better="lower",
        )  # fmt: skip
        index = {p.period: i for i, p in enumerate(built.points)}
        return [(s.rule, s.direction.value, index[s.start], index[s.end]) for s in built.signals]

    plain = series(consecutive)
    for rule, direction, start, end in series(spaced):
        assert any(r is rule and d == direction and s <= start and end <= e for r, d, s, e in plain)


# ---------------------------------------------------------------- through the CLI


def test_years_apart_are_named_in_the_summary_and_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "t1.csv"
    path.write_text("date,score\n0001-01-01,9\n2024-03-01,3\n", encoding="utf-8")
    result = run("trend", path, "--time", "date", "--nps", "score")
    assert result.exit_code == 0, result.output
    missing = (2024 * 12 + 2) - (1 * 12 + 0) - 1  # months strictly between 0001-01 and 2024-03
    text = " ".join(result.stdout.split())
    assert "Stable: over 2 periods with data (0001-01 to 2024-03)" in text
    assert f"{missing:,} months have no data (0001-02 to 2024-02)" in text
    assert f"({missing:,} months, to 2024-02)" in text  # the gap's row in the table
    warning = " ".join(result.stderr.split())
    assert f"the dates span {missing + 2:,} months (0001-01 to 2024-03)" in warning
    assert "0001-01 (line 2), 2024-03 (line 3)" in warning

    data = json.loads(run("trend", path, "--time", "date", "--nps", "score", "-f", "json").stdout)
    overall = data["series"][0]
    assert overall["missing"] == missing
    assert overall["gaps"] == [{"first": "0001-02", "last": "2024-02", "periods": missing}]
    assert [p["period"] for p in overall["points"]] == ["0001-01", "2024-03"]


def test_a_mistyped_year_is_a_far_off_period(tmp_path: Path) -> None:
    lines = COMPLAINTS.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[4].startswith("2024-02-01,North")
    lines[4] = "2204" + lines[4][4:]
    path = tmp_path / "typo.csv"
    path.write_text("".join(lines), encoding="utf-8")
    args = ("trend", path, "--time", "month", "--events", "complaints", "--cases", "contacts")
    result = run(*args)
    assert result.exit_code == 0, result.output
    missing = (2204 * 12 + 1) - (2025 * 12 + 5) - 1  # 2025-07 to 2204-01
    warning = " ".join(result.stderr.split())
    assert "far from the others: 2204-02 (line 5)" in warning
    assert "mistyped year" in warning
    table = result.stdout.splitlines()
    at = next(i for i, line in enumerate(table) if line.startswith(" 2025-07"))
    assert "no data" in table[at] and f"({missing:,} months, to 2204-01)" in table[at]
    assert table[at - 1].startswith(" 2025-06") and table[at + 1].startswith(" 2204-02")
    assert f"{missing:,} months have no data (2025-07 to 2204-01)" in " ".join(
        result.stdout.split()
    )

    data = yaml.safe_load(run(*args, "-f", "yaml").stdout)
    assert data["series"][0]["gaps"] == [
        {"first": "2025-07", "last": "2204-01", "periods": missing}
    ]
    # the shift up from 2024-09 ends at 2025-06: 2204-02 is not counted in it
    shifts = [s for s in data["series"][0]["signals"] if s["rule"] == "shift"]
    assert all(s["end"] != "2204-02" for s in shifts)
    rows = list(csv.DictReader(io.StringIO(run(*args, "--by", "team", "-f", "csv").stdout)))
    gap_rows = [r for r in rows if r["n"] == "0"]
    assert [(r["group"], r["period"], r["value"]) for r in gap_rows] == [
        ("", "2025-07 to 2204-01", ""),
        ("North", "2024-02", ""),  # its row of 2024-02 is the one mistyped
        ("North", "2025-07 to 2204-01", ""),
    ]
    assert rows.index(gap_rows[0]) == 18  # after the 18 months 2024-01 to 2025-06


def gapped_months(skip_after: int | None) -> str:
    """Eight months at 10 % then eight at 5 % (one row each); a year of no data after one."""
    lines = ["date,complaints,contacts"]
    for m in range(16):
        index = m + (12 if skip_after is not None and m > skip_after else 0)
        day = month(index)
        lines.append(f"{day.isoformat()},{10 if m < 8 else 5},100")
    return "\n".join(lines) + "\n"


def test_a_run_of_eight_cut_by_a_gap_is_no_shift(make_csv: MakeCsv) -> None:
    args = ("--time", "date", "--events", "complaints", "--cases", "contacts", "-f", "json")
    whole = json.loads(run("trend", make_csv(gapped_months(None)), *args).stdout)
    assert [(s["rule"], s["start"], s["end"]) for s in whole["series"][0]["signals"]] == [
        ("shift", "2023-01", "2023-08"),
        ("shift", "2023-09", "2024-04"),
    ]
    cut = json.loads(run("trend", make_csv(gapped_months(3), "cut.csv"), *args).stdout)
    overall = cut["series"][0]
    assert overall["gaps"] == [{"first": "2023-05", "last": "2024-04", "periods": 12}]
    # the first eight are cut 4 + 4: no shift there; the last eight still are one
    assert [(s["rule"], s["start"], s["end"]) for s in overall["signals"]] == [
        ("shift", "2024-09", "2025-04")
    ]
    assert "12 months have no data (2023-05 to 2024-04)" in overall["summary"]


def test_xmr_without_two_consecutive_periods_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("date,v\n2024-01-01,1\n2024-03-01,2\n2024-05-01,4\n", encoding="utf-8")
    result = run("trend", path, "--time", "date", "--value", "v")
    assert result.exit_code == 1
    assert "no two periods of column 'date' with data follow one another" in result.stderr
    assert "Traceback" not in result.output
    assert "hint: choose a longer --period" in result.stderr
    far = tmp_path / "far.csv"
    far.write_text("date,v\n0001-01-01,1\n2024-03-01,2\n", encoding="utf-8")
    result = run("trend", far, "--time", "date", "--value", "v")
    assert result.exit_code == 1
    hint = " ".join(result.stderr.split())  # the warning it would have been, as the hint
    assert "hint: column 'date': the dates span 24,279 months" in hint
    assert "0001-01 (line 2), 2024-03 (line 3)" in hint


def test_a_group_with_gaps_has_its_own(make_csv: MakeCsv) -> None:
    body = "date,team,v\n" + "".join(
        f"2024-{m:02d}-01,{team},{m}\n"
        for m in range(1, 7)
        for team in ("A", "B")
        if not (team == "B" and m in (3, 4))
    )
    data = json.loads(
        run(
            "trend", make_csv(body), "--time", "date", "--value", "v", "--by", "team", "-f", "json"
        ).stdout
    )
    groups = {s["group"]: s for s in data["series"]}
    assert "gaps" not in groups[""] and "gaps" not in groups["A"]
    assert groups["B"]["gaps"] == [{"first": "2024-03", "last": "2024-04", "periods": 2}]


def test_html_breaks_the_line_and_lists_the_gap(make_csv: MakeCsv, tmp_path: Path) -> None:
    out = tmp_path / "gap.html"
    args = ("--time", "date", "--events", "complaints", "--cases", "contacts")
    result = run("trend", make_csv(gapped_months(3)), *args, "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<polyline") == 2
    assert "2023-05 to 2024-04" in page and "no data (12 months)" in page
    assert "12 periods without data are not drawn" in page


def test_series_without_gaps_name_none(make_csv: MakeCsv) -> None:
    args = ("--time", "date", "--events", "complaints", "--cases", "contacts")
    path = make_csv(gapped_months(None))
    data = json.loads(run("trend", path, *args, "-f", "json").stdout)
    assert "gaps" not in data["series"][0] and "missing" not in data["series"][0]
    result = run("trend", path, *args)
    assert "no data" not in result.stdout and result.stderr == ""


def test_the_diagnosis_reads_a_stable_trend_over_its_periods_with_data(
    make_csv: MakeCsv,
) -> None:
    from svcdiag.models.trend import TrendResult

    body = "date,complaints,contacts\n" + "".join(
        f"{month(i).isoformat()},{5 + i % 2},100\n" for i in (0, 1, 2, 5, 6, 7)
    )
    args = ("--time", "date", "--events", "complaints", "--cases", "contacts", "-f", "json")
    saved = TrendResult.model_validate_json(run("trend", make_csv(body), *args).stdout)
    assert saved.stable
    (reason,) = trend_reasons("t.json", saved)
    assert "2 month(s) in between have none" in reason


# ---------------------------------------------------------------- trailing spaces


def test_terminal_view_redirected_has_no_trailing_spaces() -> None:
    result = run(
        "trend", COMPLAINTS, "--time", "month", "--events", "complaints", "--cases", "contacts",
        "--by", "team",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 40 and any("2025-06" in line for line in lines)
    assert [line for line in lines if line != line.rstrip()] == []


def test_a_far_off_week_that_starts_the_year_before_is_found(tmp_path: Path) -> None:
    # 2204-01-01 is a Sunday: its week starts on Monday 2203-12-26
    body = (
        "date,v\n" + "".join(f"2024-01-{d:02d},{d % 3}\n" for d in range(1, 29)) + "2204-01-01,1\n"
    )
    path = tmp_path / "w.csv"
    path.write_text(body, encoding="utf-8")
    result = run("trend", path, "--time", "date", "--value", "v", "--period", "week")
    assert result.exit_code == 0, result.output
    assert "far from the others: 2203-12-26 (line 30)" in " ".join(result.stderr.split())

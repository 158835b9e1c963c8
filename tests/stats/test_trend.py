"""`svcdiag trend`: chart limits by hand, planted signals, output and evidence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.diagnosis.data_rules import trend_reasons
from svcdiag.models.trend import Rule, TrendPoint, TrendResult
from svcdiag.stats.evidence import load_evidence
from svcdiag.stats.nps import NpsCounts
from svcdiag.stats.trend import ChartLimits, find_signals, nps_chart, p_chart, xmr_chart
from svcdiag.stats.trend_analysis import Measure, period_label, trend_from_file

MakeCsv = Callable[..., Path]
RESULT_KEYS = {"chart", "measure", "period", "better", "changes", "stable", "summary", "series"}
SERIES_KEYS = {"group", "centre", "stable", "summary", "points", "signals"}
POINT_KEYS = {"period", "n", "value", "lower", "upper", "signal"}


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def flat(values: list[float], centre: float, half: float) -> ChartLimits:
    return ChartLimits(centre, [centre - half] * len(values), [centre + half] * len(values))


# ---------------------------------------------------------------- limits by hand


def test_p_chart_limits_by_hand() -> None:
    # p = 15 / 200 = 0.075; 3 sqrt(0.075 * 0.925 / 100) = 0.0790174...
    limits = p_chart([5, 10], [100, 100])
    assert limits.centre == pytest.approx(0.075)
    assert limits.upper == pytest.approx([0.1540174, 0.1540174], abs=1e-6)
    assert limits.lower == [0.0, 0.0]  # floored
    # p = 51 / 100; one case: 0.51 + 3 sqrt(0.51 x 0.49) = 2.01, capped at 1
    wide = p_chart([50, 1], [99, 1])
    assert wide.centre == pytest.approx(0.51)
    assert wide.upper[1] == 1.0
    assert wide.upper[0] == pytest.approx(0.51 + 3 * math.sqrt(0.51 * 0.49 / 99))


def test_xmr_limits_by_hand() -> None:
    # mean 12; moving ranges 2, 1, 4: mean 7/3; 2.66 x 7/3 = 6.2067; 3.267 x 7/3 = 7.623
    limits = xmr_chart([10, 12, 11, 15])
    assert limits.centre == 12
    assert limits.lower[0] == pytest.approx(12 - 6.206667, abs=1e-5)
    assert limits.upper[3] == pytest.approx(12 + 6.206667, abs=1e-5)
    assert limits.mr_upper == pytest.approx(7.623, abs=1e-3)


def test_nps_chart_limits_by_hand() -> None:
    # pooled: 60 promoters, 20 detractors of 200: NPS 20; var = 0.3 + 0.1 - 0.04 = 0.36
    limits = nps_chart([NpsCounts(30, 30, 10), NpsCounts(30, 90, 10)])
    assert limits.centre == pytest.approx(20.0)
    assert limits.upper[0] == pytest.approx(20 + 300 * math.sqrt(0.36 / 70))
    assert limits.lower[1] == pytest.approx(20 - 300 * math.sqrt(0.36 / 130))


# ---------------------------------------------------------------- planted signals


def test_step_change_is_a_shift() -> None:
    values = [1.0] * 8 + [3.0] * 8
    signals = find_signals(values, flat(values, 2.0, 5.0))
    assert [(s.rule, s.start, s.end, s.direction.value) for s in signals] == [
        (Rule.shift, 0, 7, "down"),
        (Rule.shift, 8, 15, "up"),
    ]


def test_seven_on_one_side_is_no_shift() -> None:
    values = [1.0] * 7 + [3.0] * 7
    assert find_signals(values, flat(values, 2.0, 5.0)) == []


def test_six_rising_is_a_trend_and_a_tie_breaks_it() -> None:
    rising = [1.0, 3.0, 2.0, 2.5, 2.6, 2.7, 2.8, 2.9, 1.5]
    found = find_signals(rising, flat(rising, 2.2, 5.0))
    assert [(s.rule, s.start, s.end) for s in found] == [(Rule.trend, 2, 7)]
    tied = [2.0, 2.5, 2.6, 2.6, 2.7, 2.8, 2.9]
    assert find_signals(tied, flat(tied, 2.5, 5.0)) == []


def test_one_outlier_month() -> None:
    values = [10.0, 11.0, 9.0, 10.0, 40.0, 10.0, 9.0, 11.0, 10.0, 11.0, 9.0, 10.0]
    limits = xmr_chart(values)
    found = find_signals(values, limits)
    assert [(s.rule, s.start, s.direction.value) for s in found] == [(Rule.beyond_limits, 4, "up")]


def test_stable_series_raise_signals_only_at_the_rates_the_rules_allow() -> None:
    rng = random.Random(12)
    series_with_any = 0
    beyond = 0
    trials = 400
    for _ in range(trials):
        values = [rng.gauss(50, 5) for _ in range(24)]
        found = find_signals(values, flat(values, 50, 15))  # the true 3-sigma limits
        series_with_any += bool(found)
        beyond += sum(s.rule is Rule.beyond_limits for s in found)
    assert beyond / (trials * 24) < 0.01  # 0.27 % expected
    assert series_with_any / trials < 0.25  # about 6 % + 2 x a few % expected


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40))
def test_signals_lie_within_the_series(values: list[float]) -> None:
    limits = xmr_chart(values)
    for signal in find_signals(values, limits):
        assert 0 <= signal.start <= signal.end < len(values)
        if signal.rule is Rule.shift:
            assert signal.end - signal.start + 1 >= 8
        if signal.rule is Rule.trend:
            assert signal.end - signal.start + 1 >= 6


# ---------------------------------------------------------------- through the CLI


def monthly(rates: list[float], per_month: int = 200) -> str:
    lines = ["date,team,complaints,contacts,csat"]
    for m, rate in enumerate(rates):
        year, month = 2023 + m // 12, m % 12 + 1
        for team in ("North", "South"):
            events = round(rate * per_month / 2)
            lines.append(f"{year}-{month:02d}-15,{team},{events},{per_month // 2},4.{m % 3}")
    return "\n".join(lines) + "\n"


def test_step_change_after_a_known_change_is_named(make_csv: MakeCsv) -> None:
    path = make_csv(monthly([0.05] * 8 + [0.10] * 8))
    args = ("trend", path, "--time", "date", "--events", "complaints", "--cases", "contacts")
    result = run(*args, "--change", "2023-09-01=new CRM", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= RESULT_KEYS
    overall = data["series"][0]
    assert set(overall) >= SERIES_KEYS
    assert all(set(p) >= POINT_KEYS for p in overall["points"])
    assert data["stable"] is False
    assert overall["centre"] == pytest.approx(0.075)
    shifts = [s for s in overall["signals"] if s["rule"] == "shift"]
    assert [(s["start"], s["end"], s["direction"], s.get("change")) for s in shifts] == [
        ("2023-01", "2023-08", "down", None),
        ("2023-09", "2024-04", "up", "new CRM"),
    ]
    assert "right after 'new CRM' (2023-09-01)" in data["summary"]
    text = " ".join(run(*args, "--change", "2023-09-01=new CRM").stdout.split())
    assert "Not stable:" in text and "right after 'new CRM'" in text


def test_a_change_early_in_a_gap_is_not_right_before_the_shift(make_csv: MakeCsv) -> None:
    # Eight months at 5 %, no data from 2023-09 to 2024-02, then ten at 10 %.
    lines = monthly([0.05] * 8 + [0.10] * 16).splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if not ("2023-09" <= line[:7] <= "2024-02")]
    path = make_csv("\n".join(kept) + "\n")
    args = ("trend", path, "--time", "date", "--events", "complaints", "--cases", "contacts")
    for change, named in [("2023-09-01=new CRM", None), ("2024-02-10=new CRM", "new CRM")]:
        result = run(*args, "--change", change, "-f", "json")
        assert result.exit_code == 0, result.output
        shifts = [s for s in json.loads(result.stdout)["series"][0]["signals"]
                  if s["rule"] == "shift" and s["direction"] == "up"]  # fmt: skip
        assert [(s["start"], s.get("change")) for s in shifts] == [("2024-03", named)], change


def test_stable_process_says_so(make_csv: MakeCsv) -> None:
    path = make_csv(monthly([0.05, 0.06] * 6))
    result = run(
        "trend", path, "--time", "date", "--events", "complaints", "--cases", "contacts",
        "--target", "0.02", "-f", "yaml",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert data["stable"] is True
    assert data["series"][0]["poor_throughout"] is True
    assert data["summary"].startswith("Stable: over 12 periods (2023-01 to 2023-12)")
    assert "a system problem" in data["summary"]


def test_by_gives_a_series_per_group_and_csv_rows(make_csv: MakeCsv) -> None:
    path = make_csv(monthly([0.05, 0.06] * 6))
    result = run(
        "trend", path, "--time", "date", "--value", "csat", "--by", "team", "-f", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["group"] for r in rows} == {"", "North", "South"}
    assert len(rows) == 36
    assert rows[0]["period"] == "2023-01"
    assert float(rows[0]["value"]) == pytest.approx(4.0)


def test_quarter_and_week_periods(make_csv: MakeCsv) -> None:
    path = make_csv(monthly([0.05] * 12))
    quarters = json.loads(
        run(
            "trend", path, "--time", "date", "--value", "csat", "--period", "quarter", "-f", "json"
        ).stdout
    )
    assert [p["period"] for p in quarters["series"][0]["points"]] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
    ]
    weeks = make_csv("day,csat\n2024-03-04,4\n2024-03-10,5\n2024-03-11,3\n", "weeks.csv")
    data = json.loads(run("trend", weeks, "--time", "day", "--value", "csat", "--period",
                          "week", "-f", "json").stdout)  # fmt: skip
    points = data["series"][0]["points"]
    assert [(p["period"], p["n"], p["value"]) for p in points] == [
        ("2024-03-04", 2, 4.5),
        ("2024-03-11", 1, 3.0),
    ]


def test_nps_per_period_has_its_interval(make_csv: MakeCsv) -> None:
    path = make_csv("when,score\n2024-01-02,10\n2024-01-09,0\n2024-02-01,9\n2024-02-03,9\n")
    data = json.loads(run("trend", path, "--time", "when", "--nps", "score", "-f", "json").stdout)
    first, second = data["series"][0]["points"]
    assert (first["n"], first["value"], second["value"]) == (2, 0.0, 100.0)
    # adjusted Wald for 1 promoter, 1 detractor of 2: p' = d' = 1.75 / 5
    half = 1.959964 * math.sqrt((0.35 + 0.35) / 5)
    assert first["ci_low"] == pytest.approx(-100 * half, abs=1e-3)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2024-01-05,4\n05/02/2024,3\n", ":3: column 'date': '05/02/2024' is not a date"),
        (
            "2024-01-05,4\n2024-02-30,3\n",
            ":3: column 'date': '2024-02-30' is no date of the calendar",
        ),
        ("2024-01-05,4\n2024-02-05,x\n", ":3: column 'csat': 'x' is not a number"),
        ("2024-01-05,4\n2024-01-06,3\n", "all rows fall in one month (2024-01)"),
    ],
)
def test_trend_data_errors(make_csv: MakeCsv, body: str, message: str) -> None:
    result = run("trend", make_csv("date,csat\n" + body), "--time", "date", "--value", "csat")
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say what to chart with exactly one of"),
        (("--value", "csat", "--nps", "csat"), "(given: --value, --nps)"),
        (("--value", "csat", "--events", "csat"), "(given: --events, --value)"),
        (("--events", "csat"), "--cases is missing"),
        (("--value", "csat", "--period", "year"), "--period must be one of"),
        (("--value", "csat", "--change", "March"), "--change must be DATE=WHAT"),
        (("--outcome", "csat", "--target", "5"), "not a percentage: 0.05"),
        (("--events", "csat", "--cases", "csat"), "--events and --cases both name column 'csat'"),
        (("--value", "csat", "--by", "date"), "--time and --by both name column 'date'"),
        (("--nps", "csat", "--target", "120"), "between -100 and 100"),
        (("--value", "csat", "--better", "up"), "--better must be one of higher, lower"),
    ],
)
def test_trend_usage_errors(make_csv: MakeCsv, args: tuple[str, ...], message: str) -> None:
    path = make_csv("date,csat\n2024-01-05,4\n2024-02-05,3\n")
    result = run("trend", path, "--time", "date", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_saved_trend_is_evidence_for_the_diagnosis(make_csv: MakeCsv, tmp_path: Path) -> None:
    path = make_csv(monthly([0.05] * 8 + [0.10] * 8))
    saved = tmp_path / "trend.yaml"
    result = run(
        "trend", path, "--time", "date", "--events", "complaints", "--cases", "contacts",
        "--change", "2023-09-01=new CRM", "-o", saved,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    loaded = load_evidence(saved)
    assert isinstance(loaded, TrendResult)
    reasons = trend_reasons("trend.yaml", loaded)
    assert len(reasons) == 1
    assert "Look first at 'new CRM'" in reasons[0]
    stable_path = make_csv(monthly([0.05, 0.06] * 6), "stable.csv")
    stable = tmp_path / "stable.yaml"
    run("trend", stable_path, "--time", "date", "--events", "complaints", "--cases",
        "contacts", "--target", "0.02", "-o", stable)  # fmt: skip
    reason = trend_reasons(
        "stable.yaml", TrendResult.model_validate(yaml.safe_load(stable.read_text()))
    )
    assert "worse than the target in every period, so the problem is the system's" in reason[0]


def test_parquet_dates_and_zoned_times(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "t.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT TIMESTAMPTZ '2024-01-31 23:30:00+00' + INTERVAL (i) DAY AS at, "
        f"i AS csat FROM range(3) t(i)) TO '{path}' (FORMAT parquet)"
    )
    con.close()
    result = run("trend", path, "--time", "at", "--value", "csat", "-f", "json")
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)["series"][0]["points"]
    assert [(p["period"], p["n"]) for p in points] == [("2024-01", 1), ("2024-02", 2)]


def test_many_groups_are_capped_in_the_terminal(make_csv: MakeCsv) -> None:
    rows = "".join(f"2024-0{m}-01,T{g},{g % 5}\n" for g in range(20) for m in (1, 2, 3))
    result = run("trend", make_csv("date,team,csat\n" + rows), "--time", "date", "--value",
                 "csat", "--by", "team")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "9 more groups are not drawn" in " ".join(result.stdout.split())


def test_trend_and_its_options_have_help() -> None:
    from typer.main import get_command

    command = get_command(app).commands["trend"]  # type: ignore[attr-defined]
    assert command.help
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, param.name


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _diagnosis(findings: str, *evidence: Path) -> dict[str, object]:
    args: list[object] = ["report", EXAMPLES / findings, "-f", "json"]
    for path in evidence:
        args += ["-e", path]
    result = run(*args)
    assert result.exit_code == 0, result.output
    diagnosis = json.loads(result.stdout)["diagnosis"]
    assert isinstance(diagnosis, dict)
    return diagnosis


def test_stable_and_poor_throughout_weighs_against_individuals(
    make_csv: MakeCsv, tmp_path: Path
) -> None:
    path = make_csv(monthly([0.05, 0.06] * 6))
    saved = tmp_path / "stable.yaml"
    run("trend", path, "--time", "date", "--events", "complaints", "--cases", "contacts",
        "--target", "0.02", "-o", saved)  # fmt: skip
    before = _diagnosis("findings-few-individuals.yaml")
    after = _diagnosis("findings-few-individuals.yaml", saved)
    assert (before["verdict"], after["verdict"]) == ("individual", "mixed")
    assert after["confidence"] < before["confidence"]  # type: ignore[operator]
    reasons = [r for r in after["reasons"] if "stable.yaml" in r]  # type: ignore[attr-defined]
    assert len(reasons) == 1 and "the problem is the system's" in reasons[0]
    system_before = _diagnosis("findings-widespread.yaml")
    system_after = _diagnosis("findings-widespread.yaml", saved)
    assert system_after["verdict"] == "system"
    assert system_after["confidence"] > system_before["confidence"]  # type: ignore[operator]


def test_report_names_the_change_behind_a_shift(make_csv: MakeCsv, tmp_path: Path) -> None:
    path = make_csv(monthly([0.05] * 8 + [0.10] * 8))
    saved = tmp_path / "shift.yaml"
    run("trend", path, "--time", "date", "--events", "complaints", "--cases", "contacts",
        "--change", "2023-09-01=new CRM", "-o", saved)  # fmt: skip
    report = run("report", EXAMPLES / "findings-widespread.yaml", "-e", saved, "-f", "markdown")
    assert report.exit_code == 0, report.output
    assert "Look first at 'new CRM': a change to the system" in report.stdout


# ---------------------------------------------------------------- values a chart cannot take


def trend_of(tmp_path: Path, text: str, *args: str) -> Result:
    path = tmp_path / "trend.csv"
    path.write_text(text, encoding="utf-8")
    return run("trend", path, "--time", "d", *args)


def test_hour_24_is_not_a_time(tmp_path: Path) -> None:
    result = trend_of(tmp_path, "d,x\n2024-02-10,1\n2024-03-31 24:00,0\n", "--outcome", "x")
    assert result.exit_code == 1
    assert "trend.csv:3: column 'd': '2024-03-31 24:00' is not a date" in result.stderr


def test_a_period_without_cases_is_named(tmp_path: Path) -> None:
    text = "d,e,c\n2024-01-01,0,0\n2024-02-01,1,2\n2024-03-01,1,2\n"
    result = trend_of(tmp_path, text, "--events", "e", "--cases", "c")
    assert result.exit_code == 1
    assert "2024-01: column 'c' adds up to 0 cases in this month" in result.stderr
    assert "Traceback" not in result.output


def test_a_group_period_without_cases_names_the_group(tmp_path: Path) -> None:
    text = "d,g,e,c\n2024-01-01,A,0,3\n2024-01-01,B,0,0\n2024-02-01,A,1,2\n2024-02-01,B,1,2\n"
    result = trend_of(tmp_path, text, "--events", "e", "--cases", "c", "--by", "g")
    assert result.exit_code == 1
    assert "2024-01 (group 'B'): column 'c' adds up to 0 cases" in result.stderr


def test_cases_beyond_the_limit_in_all_are_refused(tmp_path: Path) -> None:
    rows = "".join(f"2024-01-0{day},1,9000000000\n" for day in (1, 2, 3))
    result = trend_of(tmp_path, f"d,e,c\n{rows}2024-02-01,5,10\n", "--events", "e", "--cases", "c")
    assert result.exit_code == 1
    assert (
        "trend.csv:3: the cases in column 'c' add up to more than 10,000,000,000 by this row"
        in result.stderr
    )


def test_one_row_beyond_the_limit_is_named_as_such(tmp_path: Path) -> None:
    text = "d,e,c\n2024-01-01,1,10\n2024-02-01,1,12345678901234567890\n"
    result = trend_of(tmp_path, text, "--events", "e", "--cases", "c")
    assert result.exit_code == 1
    assert "trend.csv:3: column 'c': '12345678901234567890' is more cases than svcdiag" in (
        result.stderr
    )


@pytest.mark.parametrize("values", [("1e308", "1e308"), ("1e308", "-1e308")])
def test_values_too_large_to_chart_are_refused(tmp_path: Path, values: tuple[str, str]) -> None:
    text = f"d,v\n2024-01-01,{values[0]}\n2024-02-01,{values[1]}\n2024-03-01,2\n"
    result = trend_of(tmp_path, text, "--value", "v")
    assert result.exit_code == 1
    assert "2024-0" in result.stderr and "too large to chart" in result.stderr


def test_parquet_dates_outside_the_years_1_to_9999_are_named(tmp_path: Path) -> None:
    for i, day in enumerate(["DATE '0000-06-01'", "DATE '10000-06-01'", "DATE 'infinity'"]):
        path = tmp_path / f"dates{i}.parquet"
        rows = f"(DATE '2024-01-05', 1), (DATE '2024-02-05', 0), ({day}, 1)"
        duckdb.sql(f"COPY (SELECT * FROM (VALUES {rows}) t(d, x)) TO '{path}' (FORMAT parquet)")
        result = run("trend", path, "--time", "d", "--outcome", "x")
        assert result.exit_code == 1, result.output
        assert "row 3: column 'd':" in result.stderr
        assert "is out of the range of dates svcdiag reads" in result.stderr


def test_years_before_1000_are_written_with_four_digits() -> None:
    assert period_label(dt.date(999, 1, 1), "month") == "0999-01"
    assert period_label(dt.date(999, 4, 1), "quarter") == "0999-Q2"


def test_huge_group_means_combine_without_overflow(tmp_path: Path) -> None:
    rows = "".join(
        f"2024-0{month}-01,{team},9e305\n" for month in (1, 2, 3) for team in "AB" for _ in range(3)
    )
    result = trend_of(tmp_path, "d,team,v\n" + rows, "--value", "v", "--by", "team", "-f", "json")
    assert result.exit_code == 0, result.output
    overall = json.loads(result.stdout)["series"][0]
    assert [point["value"] for point in overall["points"]] == [pytest.approx(9e305)] * 3


def test_values_whose_sum_passes_floating_point_are_refused_as_such(tmp_path: Path) -> None:
    rows = "".join(f"2024-0{month}-01,5e305\n" for month in (1, 2, 3) for _ in range(400))
    result = trend_of(tmp_path, "d,v\n" + rows, "--value", "v")
    assert result.exit_code == 1
    assert "2024-01: the values of column 'v' are too large to chart: their sum passes" in (
        result.stderr
    )


def test_groups_left_uncharted_are_told_in_one_warning(tmp_path: Path) -> None:
    charted = "".join(f"2024-0{m}-01,Main,{m % 2}\n" for m in (1, 2, 3))
    single = "".join(f"2024-02-0{i + 1},Solo{i},1\n" for i in range(5))
    result = trend_of(tmp_path, "d,team,x\n" + charted + single, "--outcome", "x", "--by", "team")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "not charted" in line]
    assert lines == [
        "warning: 5 groups have rows in one month only, so they are not charted: "
        "'Solo0', 'Solo1', 'Solo2' and 2 more"
    ]
    one = trend_of(tmp_path, "d,team,x\n" + charted + single.splitlines()[0] + "\n",
                   "--outcome", "x", "--by", "team")  # fmt: skip
    assert "warning: group 'Solo0' has rows in one month only; it is not charted" in one.stderr


def test_xmr_groups_without_consecutive_periods_are_told_together(tmp_path: Path) -> None:
    rows = "".join(f"2024-0{m}-01,Main,{m}\n" for m in (1, 2, 3, 4))
    rows += "".join(f"2024-0{m}-01,Gap{t},{m}\n" for t in range(2) for m in (1, 3))
    result = trend_of(tmp_path, "d,team,v\n" + rows, "--value", "v", "--by", "team", "-f", "json")
    assert result.exit_code == 0, result.output
    assert (
        "warning: 2 groups have no two consecutive months with data, so no moving range, "
        "so they are not charted: 'Gap0', 'Gap1'" in result.stderr
    )
    assert [s["group"] for s in json.loads(result.stdout)["series"]] == ["", "Main"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5), min_size=2, max_size=12),
    st.sampled_from(["outcome", "value", "nps"]),
)
def test_points_built_unvalidated_equal_validated_ones(counts: list[int], measure: str) -> None:
    lines = ["d,x"]
    for month, count in enumerate(counts, start=1):
        year, m = divmod(month - 1, 12)
        values = {"outcome": [i % 2 for i in range(count + 2)], "value": [0] * (count + 1),
                  "nps": [min(10, i * 3) for i in range(count + 1)]}[measure]  # fmt: skip
        lines += [f"{2020 + year}-{m + 1:02d}-01,{v}" for v in values]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text("\n".join(lines) + "\n")
        result = trend_from_file(path, time="d", measure=Measure(**{measure: "x"})).result
    for point in result.series[0].points:
        validated = TrendPoint.model_validate(point.model_dump())
        assert point == validated
        assert point.model_fields_set == validated.model_fields_set
        assert [type(v) for v in point.__dict__.values()] == [
            type(v) for v in validated.__dict__.values()
        ]
        assert point.model_dump_json() == validated.model_dump_json()


@pytest.mark.parametrize("day", ["2024-13-01", "2024-02-30", "2023-02-29 10:00"])
def test_a_change_on_no_date_of_the_calendar_says_so(tmp_path: Path, day: str) -> None:
    text = "d,x\n2024-01-05,1\n2024-02-05,0\n2024-03-05,1\n"
    result = trend_of(tmp_path, text, "--outcome", "x", "--change", f"{day}=new CRM")
    assert result.exit_code == 2
    assert f"--change '{day}=new CRM': '{day}' is no date of the calendar" in result.stderr
    assert "month (01 to 12)" in result.stderr
    ok = trend_of(tmp_path, text, "--outcome", "x", "--change", "2024-02-29=new CRM")
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize("day", ["2024-1-5", "2024-03-01T25:00", "2024-03-01 soon"])
def test_a_change_on_a_real_day_written_wrongly_is_not_called_off_the_calendar(
    tmp_path: Path, day: str
) -> None:
    # 5 January 2024 and 1 March 2024 are on the calendar: the form is what is wrong
    text = "d,x\n2024-01-05,1\n2024-02-05,0\n2024-03-05,1\n"
    result = trend_of(tmp_path, text, "--outcome", "x", "--change", f"{day}=new CRM")
    assert result.exit_code == 2
    assert "no date of the calendar" not in result.stderr
    assert "month (01 to 12)" not in result.stderr
    assert f"--change must be DATE=WHAT, e.g. 2024-03-01='new CRM', not '{day}=new CRM'" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("period", "hint"),
    [
        ("day", "add rows from other days"),
        ("week", "choose a shorter period (--period day), or add rows from other weeks"),
        ("month", "(--period week or --period day)"),
    ],
)
def test_one_period_only_suggests_what_can_help(tmp_path: Path, period: str, hint: str) -> None:
    """A shorter period where there is one; with days, more data: a shorter one does not exist."""
    result = trend_of(tmp_path, "d,v\n2024-01-03,4\n2024-01-03,5\n", "--value", "v",
                      "--period", period)  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"all rows fall in one {period}" in result.stderr
    assert hint in result.stderr
    assert "--period day" not in result.stderr or period != "day"


def test_an_empty_group_says_how_to_fix_it(tmp_path: Path) -> None:
    result = trend_of(tmp_path, "d,v,team\n2024-01-03,4,A\n2024-02-03,5,\n", "--value", "v",
                      "--by", "team")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert ":3: column 'team' (--by) is empty" in result.stderr
    assert "hint: every row needs the team or branch it belongs to" in result.stderr


def test_a_trend_too_large_to_read_back_as_evidence_is_said_when_saved(tmp_path: Path) -> None:
    """40 teams over 600 days hold more values than --evidence reads: said, not found out later."""
    big = tmp_path / "days.csv"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT DATE '2022-01-01' + CAST(i // 40 AS INTEGER) AS d, 'T' || (i % 40) AS team, "
        f"CAST(i % 9 = 0 AS INTEGER) AS c FROM range(24000) t(i)) TO '{big}' (HEADER)"
    )
    con.close()
    saved = tmp_path / "t.yaml"
    args = ("--outcome", "c", "--by", "team", "--period", "day", "-o", saved)
    result = trend_of_file(big, *args)
    assert result.exit_code == 0, result.stderr
    assert "more than 200,000 values, more than --evidence reads back" in result.stderr
    refused = run("report", EXAMPLES / "findings-few-individuals.yaml", "--evidence", saved)
    assert refused.exit_code == 2 and "200,000" in refused.stderr
    small = trend_of_file(big, "--outcome", "c", "--period", "day", "-o", tmp_path / "s.yaml")
    assert small.exit_code == 0 and "--evidence reads back" not in small.stderr


def trend_of_file(path: Path, *args: object) -> Result:
    return run("trend", path, "--time", "d", *args)

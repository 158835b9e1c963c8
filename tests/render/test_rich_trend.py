"""The terminal view of a trend: the periods it leaves out are told, bars scaled on those shown."""

from __future__ import annotations

import io
import time
from pathlib import Path

import duckdb

from svcdiag.models.trend import TrendPoint, TrendResult
from svcdiag.render import rich_trend
from svcdiag.render.rich_trend import BAR_WIDTH, MAX_PERIODS
from svcdiag.stats.trend_analysis import Measure, trend_from_file


def _hidden_outlier(folder: Path) -> TrendResult:
    """100 days of 100 cases: day one at 90 %, the others near 14 %."""
    path = folder / "hid.csv"
    duckdb.sql(
        "COPY (SELECT DATE '2000-01-01' + (i % 100)::INT AS date, "
        "(CASE WHEN i % 100 = 0 THEN i % 10 < 9 ELSE i % 7 = 0 END)::INT AS c "
        f"FROM range(10000) t(i)) TO '{path}' (HEADER)"
    )
    return trend_from_file(path, time="date", measure=Measure(outcome="c"), period="day").result


def _view(result: TrendResult) -> str:
    out = io.StringIO()
    rich_trend.write(result, out, width=80)
    return out.getvalue()


def test_periods_left_out_are_told_and_how_to_see_them(tmp_path: Path) -> None:
    text = _view(_hidden_outlier(tmp_path))
    lines = text.splitlines()
    rows = [line for line in lines if line.startswith(" 2000-")]
    assert len(rows) == MAX_PERIODS
    assert rows[0].startswith(" 2000-02-10")
    assert "(2000-01-01)" in " ".join(text.split())  # the summary names a hidden period
    told = " ".join(text.split())
    assert (
        "The first 40 periods (2000-01-01 to 2000-02-09, 40 of them marked by a rule) "
        "are not shown; --format csv lists every period, and a longer --period "
        "(week, month or quarter) charts the whole span in fewer rows."
    ) in told
    assert max(len(line) for line in lines) <= 80


def test_a_view_of_every_period_tells_of_none_left_out(tmp_path: Path) -> None:
    result = _hidden_outlier(tmp_path)
    series = result.series[0]
    short = series.model_copy(update={"points": series.points[-MAX_PERIODS:], "gaps": None})
    text = _view(result.model_copy(update={"series": [short]}))
    assert "not shown" not in text


def test_bars_are_scaled_on_the_periods_shown(tmp_path: Path) -> None:
    # Every shown day has the same limits: they span the whole bar, unsquashed
    # by the hidden day at 90 %.
    rows = [line for line in _view(_hidden_outlier(tmp_path)).splitlines() if "[" in line]
    assert len(rows) == MAX_PERIODS
    for row in rows:
        assert row.rindex("]") - row.index("[") == BAR_WIDTH - 1, row


def test_a_long_daily_span_is_drawn_in_time_linear_in_its_periods(tmp_path: Path) -> None:
    # Scaling every bar on every point took some 60 x 3 x n steps: seconds here.
    result = _hidden_outlier(tmp_path)
    series = result.series[0]
    point: TrendPoint = series.points[-1]
    points = [point.model_copy(update={"period": f"{i:07d}"}) for i in range(100_000)]
    long = series.model_copy(update={"points": points, "gaps": None})
    started = time.perf_counter()
    text = _view(result.model_copy(update={"series": [long]}))
    assert time.perf_counter() - started < 1.0
    assert "The first 99,940 periods" in " ".join(text.split())


def test_one_period_left_out_of_a_quarterly_chart_is_told_alone(tmp_path: Path) -> None:
    result = _hidden_outlier(tmp_path)
    series = result.series[0]
    points = series.points[-(MAX_PERIODS + 1) :]
    one = series.model_copy(update={"points": points, "gaps": None})
    text = " ".join(_view(result.model_copy(update={"series": [one], "period": "quarter"})).split())
    first = points[0].period
    assert f"The first period ({first}, marked by a rule) is not shown; --format csv" in text
    assert "lists every period. period" in text  # no longer period to name

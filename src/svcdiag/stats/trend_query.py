"""The aggregation query of ``svcdiag trend``: one row per group and period.

The query runs in two steps, so that the costly rules apply to distinct values
rather than to every row:

1. Rows are summed per group name as written and per date as written. A date
   written ``YYYY-MM-DD`` (ten characters) is kept as text; any other time
   value (``2024-03-05 14:30``, or a typed Parquet date) is read by the rule at
   once and reduced to its day, so a column of times still gives one key per
   day.
2. The distinct names are stripped and the distinct dates read by the rule and
   truncated to their period; the sums are added up per group and period.

A value the rules refuse is counted in ``bad``; the caller then walks the rows
to name the first one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from svcdiag.models.trend import Chart
from svcdiag.stats.sources import DataSource
from svcdiag.stats.trend_gaps import Period
from svcdiag.stats.values import MAX_CASES, sql_strip, sql_time

PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter")

#: The query's columns: group, period start, three measures, bad rows.
COLUMNS = ("g", "p", "a", "b", "c", "bad")


@dataclass(frozen=True)
class Columns:
    """The columns of the file a trend reads, by index."""

    time: int
    group: int | None
    first: int
    second: int | None = None


def _measures(
    source: DataSource, chart: Chart, columns: Columns, rate_of_outcome: bool
) -> tuple[str, str, str]:
    """Per-row value SQL, its bad-row test, and the sums of step 1 (sa, sb, sc)."""
    first = columns.first
    if chart is Chart.p and not rate_of_outcome:
        assert columns.second is not None
        x, n = source.value_sql(first, "whole"), source.value_sql(columns.second, "whole")
        return (
            f"{x} AS x, {n} AS n",
            f"x IS NULL OR n IS NULL OR x > n OR n > {MAX_CASES}",
            "sum(x) AS sa, sum(n) AS sb, 0 AS sc",
        )
    if chart is Chart.p:
        return (
            f"{source.value_sql(first, 'outcome')} AS x",
            "x IS NULL",
            "sum(x) AS sa, count(*) AS sb, 0 AS sc",
        )
    if chart is Chart.xmr:
        return (
            f"{source.value_sql(first, 'number')} AS x",
            "x IS NULL",
            "sum(x) AS sa, count(*) AS sb, 0 AS sc",
        )
    return (
        f"{source.value_sql(first, 'score')} AS x",
        "x IS NULL",
        "count(*) FILTER (WHERE x >= 9) AS sa, count(*) FILTER (WHERE x BETWEEN 7 AND 8) AS sb, "
        "count(*) FILTER (WHERE x <= 6) AS sc",
    )


def trend_query(
    source: DataSource, chart: Chart, columns: Columns, period: Period, rate_of_outcome: bool
) -> Callable[[str], str]:
    """Return the function that builds the trend query over a table's SQL."""
    values, bad, sums = _measures(source, chart, columns, rate_of_outcome)
    raw_group = f"c{columns.group}" if columns.group is not None else "''"
    native = source.native_sql(columns.time, "time")
    if native is not None:  # a typed date or timestamp: reduced to its day at once
        day, moment = f"CAST({native} AS DATE)", "CAST(d AS TIMESTAMP)"
    else:
        raw = f"c{columns.time}"
        day = (
            f"CASE WHEN length({raw}) = 10 THEN {raw} "
            f"ELSE CAST(CAST({sql_time(raw)} AS DATE) AS VARCHAR) END"
        )
        moment = sql_time("d")
    if chart is Chart.xmr:  # the mean of the period's values
        a = "sum(sa) / sum(sb)"
    else:
        a = f"CAST(least(sum(sa), {2 * MAX_CASES}) AS BIGINT)"
    b = f"CAST(least(sum(sb), {2 * MAX_CASES}) AS BIGINT)"
    c = "CAST(sum(sc) AS BIGINT)"
    group_bad = " OR g = ''" if columns.group is not None else ""
    unit = "day" if period == "day" else period

    def query(table: str) -> str:
        per_raw = (
            f"SELECT g, d, {sums}, count(*) AS rows, count(*) FILTER (WHERE {bad}) AS nbad "
            f"FROM (SELECT {raw_group} AS g, {day} AS d, {values} FROM ({table})) GROUP BY g, d"
        )
        read = f"SELECT {sql_strip('g')} AS g, {moment} AS t, * EXCLUDE (g) FROM ({per_raw})"
        return (
            f"SELECT g, CAST(date_trunc('{unit}', t) AS DATE) AS p, {a}, {b}, {c}, "
            f"CAST(sum(nbad) + coalesce(sum(rows) FILTER (WHERE t IS NULL{group_bad}), 0) "
            f"AS BIGINT) AS bad FROM ({read}) GROUP BY 1, 2"
        )

    return query

"""CSV output of ``svcdiag trend``: one row per period of every series.

Columns are the JSON keys of a point, after the series' ``group`` and
``centre``; signals are in the JSON and YAML output only. Text from the
client's file (group names) is neutralised for spreadsheets.

Periods without data between two that have it (a series' ``gaps``) get one
row per gap, in its place: ``n`` 0, every value empty, and ``period`` the
missing period, or ``FIRST to LAST`` for several in a row. A spreadsheet then
draws the gap as a break in the line. A series without gaps has no such row.
"""

from __future__ import annotations

from typing import IO

from svcdiag.models.trend import Gap, TrendResult, TrendSeries
from svcdiag.render.batched import batched
from svcdiag.textsafe import CsvWriter, for_csv

TREND_COLUMNS = (
    "group",
    "period",
    "n",
    "events",
    "value",
    "centre",
    "lower",
    "upper",
    "ci_low",
    "ci_high",
    "signal",
)


def _cell(value: object) -> object:
    return "" if value is None else value


def _gap_row(series: TrendSeries, gap: Gap) -> list[object]:
    period = gap.span()
    return [for_csv(series.group), period, 0, *[""] * (len(TREND_COLUMNS) - 3)]


def write(result: TrendResult, out: IO[str]) -> None:
    """Write one CSV row per period and series (and one per gap, in its place).

    A short CSV leaves in one write, a long one in large chunks (see :mod:`.batched`).
    """
    with batched(out) as gathered:
        writer = CsvWriter(gathered)
        writer.writerow(TREND_COLUMNS)
        for series in result.series:
            _write_series(series, writer)


def _write_series(series: TrendSeries, writer: CsvWriter) -> None:
    """Write the rows of one series: a row per period, and one per gap in its place."""
    gaps = list(series.gaps or [])
    for point in series.points:
        while gaps and gaps[0].last < point.period:
            writer.writerow(_gap_row(series, gaps.pop(0)))
        writer.writerow(
            [
                for_csv(series.group),
                point.period,
                point.n,
                _cell(point.events),
                point.value,
                series.centre,
                point.lower,
                point.upper,
                _cell(point.ci_low),
                _cell(point.ci_high),
                "yes" if point.signal else "",
            ]
        )

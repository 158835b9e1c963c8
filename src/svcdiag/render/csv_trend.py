"""CSV output of ``svcdiag trend``: one row per period of every series.

Columns are the JSON keys of a point, after the series' ``group`` and
``centre``; signals are in the JSON and YAML output only. Text from the
client's file (group names) is neutralised for spreadsheets.
"""

from __future__ import annotations

from typing import IO

from svcdiag.models.trend import TrendResult
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


def write(result: TrendResult, out: IO[str]) -> None:
    """Write one CSV row per period and series."""
    writer = CsvWriter(out)
    writer.writerow(TREND_COLUMNS)
    for series in result.series:
        for point in series.points:
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

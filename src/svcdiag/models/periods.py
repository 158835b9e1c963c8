"""The period labels of a saved trend, read back: ``2024-03``, ``2024-Q1``, ``2024-03-04``.

``svcdiag trend`` names a month ``YYYY-MM``, a quarter ``YYYY-Qn``, and a day
or a week (by its Monday) ``YYYY-MM-DD``, years 0001 to 9999 written with
four digits. :func:`period_number` reads such a label back as the number
the analysis gives the period (neighbours differ by one), and refuses any
other label in words that say how the period is written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Literal

PeriodKind = Literal["day", "week", "month", "quarter"]

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([0-9])")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WRITTEN = {
    "day": "a day is written YYYY-MM-DD (e.g. 2024-03-04)",
    "week": "a week is written as its Monday, YYYY-MM-DD (e.g. 2024-03-04)",
    "month": "a month is written YYYY-MM, 01 to 12 (e.g. 2024-03)",
    "quarter": "a quarter is written YYYY-Qn, Q1 to Q4 (e.g. 2024-Q1)",
}


def _not_a(label: str, period: PeriodKind) -> ValueError:
    return ValueError(f"{label!r} is not a {period}: {_WRITTEN[period]}")


@functools.lru_cache(maxsize=1 << 16)
def period_number(label: str, period: PeriodKind) -> int:
    """Number the period ``label`` names so that the next one is one more.

    The numbers are those of :func:`svcdiag.stats.trend_gaps.period_number`.
    Remembered: a trend per team names the same few periods for every team.

    Raises:
        ValueError: ``label`` is not how ``svcdiag trend`` names a ``period``.
    """
    if period == "month":
        month = _MONTH.fullmatch(label)
        if month is None or int(month[1]) == 0 or not 1 <= int(month[2]) <= 12:
            raise _not_a(label, period)
        return int(month[1]) * 12 + int(month[2]) - 1
    if period == "quarter":
        quarter = _QUARTER.fullmatch(label)
        if quarter is None or int(quarter[1]) == 0 or not 1 <= int(quarter[2]) <= 4:
            raise _not_a(label, period)
        return int(quarter[1]) * 4 + int(quarter[2]) - 1
    return _day_number(label, period)


def _day_number(label: str, period: Literal["day", "week"]) -> int:
    """Number a day, or a week by its Monday."""
    if _DAY.fullmatch(label) is None:
        raise _not_a(label, period)
    try:
        day = dt.date.fromisoformat(label)
    except ValueError:
        raise ValueError(f"{label!r} is no day of the calendar: {_WRITTEN[period]}") from None
    if period == "day":
        return day.toordinal()
    if day.weekday() != 0:
        raise ValueError(
            f"{label!r} is a {_WEEKDAYS[day.weekday()]}, but a week is named by its Monday"
        )
    return (day.toordinal() - 1) // 7

"""Periods without data inside a trend's span, and dates far from the rest.

A chart shows the periods that hold rows. A period with no row between the
first and the last is a **gap**: it is neither charted as zero nor skipped in
silence. The run rules do not count across it and an XmR chart takes no
moving range across it (:mod:`.trend`); the result names every gap.

Periods are numbered so that neighbours differ by one (days and Monday weeks
by their ordinal, months and quarters by year and number), so the gaps of a
series are found from its periods alone, however long the span.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Period = Literal["day", "week", "month", "quarter"]

#: A span with more periods than this many times the periods holding data is
#: warned about (a likely mistyped year).
SPARSE_RATIO = 2
#: Most far-off periods named in a warning.
MAX_FAR = 3


@functools.lru_cache(maxsize=1 << 16)
def period_label(start: dt.date, period: Period) -> str:
    """Name a period by its start: 2024-03-04 (day, week), 2024-03, 2024-Q1.

    Remembered: a trend per team names the same few periods for every team.
    """
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return start.isoformat()


def truncate(moment: dt.date, period: Period) -> dt.date:
    """Return the first day of the period ``moment`` falls in."""
    if period == "day":
        return moment
    if period == "week":
        return moment - dt.timedelta(days=moment.weekday())
    if period == "month":
        return moment.replace(day=1)
    return moment.replace(month=(moment.month - 1) // 3 * 3 + 1, day=1)


def period_number(start: dt.date, period: Period) -> int:
    """Number the period starting on ``start`` so that the next one is one more."""
    if period == "day":
        return start.toordinal()
    if period == "week":
        return (start.toordinal() - 1) // 7  # 0001-01-01 is a Monday
    if period == "month":
        return start.year * 12 + start.month - 1
    return start.year * 4 + (start.month - 1) // 3


def period_start(number: int, period: Period) -> dt.date:
    """Return the first day of the period numbered ``number`` (see :func:`period_number`)."""
    if period == "day":
        return dt.date.fromordinal(number)
    if period == "week":
        return dt.date.fromordinal(number * 7 + 1)
    if period == "month":
        return dt.date(number // 12, number % 12 + 1, 1)
    return dt.date(number // 4, number % 4 * 3 + 1, 1)


@dataclass(frozen=True)
class RawGap:
    """Periods without data just before point ``before`` of a series."""

    before: int
    first: dt.date
    last: dt.date
    periods: int


def find_gaps(starts: Sequence[dt.date], period: Period) -> list[RawGap]:
    """Return the gaps between the sorted, distinct period starts ``starts``."""
    numbers = [period_number(s, period) for s in starts]
    gaps = []
    for i in range(1, len(numbers)):
        missing = numbers[i] - numbers[i - 1] - 1
        if missing > 0:
            gaps.append(
                RawGap(
                    i,
                    period_start(numbers[i - 1] + 1, period),
                    period_start(numbers[i] - 1, period),
                    missing,
                )
            )
    return gaps


def span(starts: Sequence[dt.date], period: Period) -> int:
    """How many periods the first to the last of ``starts`` cover, both included."""
    return period_number(starts[-1], period) - period_number(starts[0], period) + 1


def is_sparse(starts: Sequence[dt.date], period: Period) -> bool:
    """Whether the span is far longer than the periods that hold data."""
    return span(starts, period) > SPARSE_RATIO * len(starts)


def far_off(starts: Sequence[dt.date], gaps: Sequence[RawGap], period: Period) -> list[dt.date]:
    """The periods cut off from the bulk of the series by its longest gap.

    The longest gap splits the series in two; the side with fewer periods
    is the far-off one (both, when they hold as many), and it is named only
    when it holds at most :data:`MAX_FAR` periods and the gap is longer than
    either side spans. Dates that are sparse throughout (a row every third
    month, say) have no far-off side: the gap that cuts one off is no longer
    than the gaps within the rest.
    """
    if not gaps:
        return []
    longest = max(gaps, key=lambda g: g.periods)
    before, after = starts[: longest.before], starts[longest.before :]
    if len(before) == len(after):
        return [*before, *after] if len(before) <= 1 else []
    side, rest = (before, after) if len(before) < len(after) else (after, before)
    if len(side) > MAX_FAR or longest.periods <= max(span(side, period), span(rest, period)):
        return []
    return list(side)

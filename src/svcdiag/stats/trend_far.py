"""Warnings about dates far from the rest, for the whole file and for each ``--by`` group.

When the dates span more than :data:`.trend_gaps.SPARSE_RATIO` times as many
periods as hold data, the file is warned about, naming the periods its
longest gap cuts off from the rest (:func:`.trend_gaps.far_off`) and the line
of the first row in each. With ``--by`` the same check runs on each group's
own periods: a team's mistyped year is found even when the other teams fill
the calendar around it. A group is warned about only when it has far-off
periods (a team that reports every third month is sparse, not mistyped), and
a line the file's warning already names is not named again.

Both checks work on the aggregated periods. The rows are walked (once, for
every period to name) only when there is something to warn about, and rows
dated in other years are passed over at a glance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from svcdiag.stats import plain_lines
from svcdiag.stats.sources import DataSource
from svcdiag.stats.trend_gaps import (
    MAX_FAR,
    Period,
    far_off,
    find_gaps,
    is_sparse,
    period_label,
    span,
    truncate,
)
from svcdiag.stats.values import WHITESPACE, parse_time, strip
from svcdiag.textsafe import some_names

MISTYPED = "A mistyped year? Check those dates."


def far_warnings(
    source: DataSource,
    time: int,
    group: int | None,
    found: Sequence[tuple[Any, ...]],
    period: Period,
) -> tuple[str | None, str | None]:
    """The warning about the file's dates, and the one about far-off dates within groups.

    ``found`` holds the query's rows (group, period start, ...); ``group`` is
    the ``--by`` column, if any. Either warning is None when there is
    nothing to say.
    """
    starts = sorted({row[1] for row in found})
    sparse = len(starts) >= 2 and is_sparse(starts, period)
    far = far_off(starts, find_gaps(starts, period), period) if sparse else []
    in_groups = _far_in_groups(found, period) if group is not None else {}
    if not sparse and not in_groups:
        return None, None
    where, where_in = _first_rows(source, time, group, far, in_groups, period)
    whole = None
    if sparse:
        whole = _whole_warning(source.header[time], starts, far, where, period)
    told = set(where.values())
    entries = [
        f"{period_label(start, period)}"
        + (f" ({where_in[name, start]})" if (name, start) in where_in else "")
        + f" of group {name!r}"
        for name, periods in in_groups.items()
        for start in periods
        if where_in.get((name, start)) not in told  # not named by the file's warning
    ]
    grouped = None
    if entries:
        grouped = (
            f"column {source.header[time]!r}: dates far from the others of their group: "
            f"{some_names(entries, MAX_FAR)}. {MISTYPED}"
        )
    return whole, grouped


def _far_in_groups(found: Sequence[tuple[Any, ...]], period: Period) -> dict[str, list[dt.date]]:
    """Each group's far-off periods, for the groups that have any, in ``found``'s group order."""
    by_group: dict[str, list[dt.date]] = {}
    for row in found:
        by_group.setdefault(row[0], []).append(row[1])
    far: dict[str, list[dt.date]] = {}
    for name, periods in by_group.items():
        if len(periods) < 2:
            continue
        periods.sort()
        if not is_sparse(periods, period):
            continue
        side = far_off(periods, find_gaps(periods, period), period)
        if side:
            far[name] = side
    return far


def _whole_warning(
    column: str,
    starts: Sequence[dt.date],
    far: Sequence[dt.date],
    where: Mapping[dt.date, str],
    period: Period,
) -> str:
    """The warning about the file as a whole: its span, and any far-off period."""
    text = (
        f"column {column!r}: the dates span {span(starts, period):,} {period}s "
        f"({period_label(starts[0], period)} to {period_label(starts[-1], period)}) but only "
        f"{len(starts):,} of them hold data"
    )
    if not far:
        return f"{text}. Check the dates for mistyped years, or choose a longer --period."
    named = [
        period_label(start, period) + (f" ({where[start]})" if start in where else "")
        for start in far
    ]
    return f"{text}; far from the others: {', '.join(named)}. {MISTYPED}"


def _first_rows(
    source: DataSource,
    time: int,
    group: int | None,
    far: Sequence[dt.date],
    in_groups: Mapping[str, Sequence[dt.date]],
    period: Period,
) -> tuple[dict[dt.date, str], dict[tuple[str, dt.date], str]]:
    """The line (or row) of the first record in each far-off period, of the file and of groups.

    Walks the rows once, only until every period is found: this runs only
    for the warnings. In a plain CSV file (:mod:`.plain_lines`) only the
    lines holding one of the years sought are read as rows, when those
    years are rare (a mistyped one, not a group's month amid the others).
    """
    every = [*far, *(start for periods in in_groups.values() for start in periods)]
    if not every:
        return {}, {}
    years = {f"{s.year:04d}" for s in every} | {f"{s.year + 1:04d}" for s in every}
    column = group if group is not None and in_groups else None
    table = source.csv_table
    if table is not None:
        finder = _Finder(source, time, column, far, in_groups, period, years)
        try:
            for line, row in plain_lines.rows_holding(
                source.path, table.delimiter, len(table.header), sorted(years)
            ):
                if finder.found(row, line):
                    break
        except plain_lines.Unsearchable:
            pass
        else:
            return finder.where, finder.where_in
    finder = _Finder(source, time, column, far, in_groups, period, years)
    with source.rows() as rows:
        for row in rows.records():
            if finder.found(row, rows.line):
                break
    return finder.where, finder.where_in


class _Finder:
    """The first row in each far-off period, of the file and of groups, found row by row."""

    def __init__(
        self,
        source: DataSource,
        time: int,
        column: int | None,
        far: Sequence[dt.date],
        in_groups: Mapping[str, Sequence[dt.date]],
        period: Period,
        years: set[str],
    ) -> None:
        self.time, self.column, self.period, self.years = time, column, period, years
        self.wanted = set(far)
        self.wanted_in = {name: set(periods) for name, periods in in_groups.items()}
        self.left = len(far) + sum(len(periods) for periods in in_groups.values())
        self.word = "line" if source.kind == "csv" else "row"
        self.where: dict[dt.date, str] = {}
        self.where_in: dict[tuple[str, dt.date], str] = {}
        self.done = not self.wanted  # every period of the file's own warning found

    def found(self, row: list[str], line: int) -> bool:
        """Take a row on ``line``; True when every period is found."""
        name, its = "", None
        if self.column is not None:  # most rows are of other groups: told apart at once
            name = row[self.column]
            its = self.wanted_in.get(name)
            if its is None and name and (name[0] in WHITESPACE or name[-1] in WHITESPACE):
                name = strip(name)  # few names have outer spaces: stripped only then
                its = self.wanted_in.get(name)
        if its is None and self.done:
            return False  # only groups' periods are left, and not this row's group
        text = row[self.time].strip()
        if text[4:5] == "-" and text[:4] not in self.years:  # YYYY-...: another year, at a glance
            return False
        moment = parse_time(text)
        if moment is None:
            return False
        start = truncate(moment.date(), self.period)
        if start in self.wanted and start not in self.where:
            self.where[start] = f"{self.word} {line}"
            self.left -= 1
            self.done = len(self.where) == len(self.wanted)
        if its is not None and start in its and (name, start) not in self.where_in:
            self.where_in[name, start] = f"{self.word} {line}"
            self.left -= 1
        return not self.left

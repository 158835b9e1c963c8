"""From a data file to a trend result: what ``svcdiag trend`` runs.

One query buckets the rows into periods (``date_trunc``: a week starts on
Monday) per ``--by`` group and aggregates the measure; the charts and their
signals are computed by the pure functions of :mod:`.trend`. Periods without
any row are left out of a chart rather than shown as zero, and named as gaps
(:mod:`.trend_gaps`): no run rule or moving range spans one, and dates that
span far more periods than hold data are warned about.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from svcdiag.errors import DataError, UsageError
from svcdiag.models.figures import signed
from svcdiag.models.trend import (
    Change,
    Chart,
    Direction,
    Gap,
    Rule,
    Signal,
    TrendPoint,
    TrendResult,
    TrendSeries,
)
from svcdiag.stats import locate
from svcdiag.stats.aggregate import check_names, out_of_memory, run_checked
from svcdiag.stats.analysis import Analysis
from svcdiag.stats.appearance import in_file_order
from svcdiag.stats.bulk import collector_paused
from svcdiag.stats.engine import load_duckdb, open_engine
from svcdiag.stats.nps import NpsCounts
from svcdiag.stats.sources import DataSource, Rows, open_source
from svcdiag.stats.trend import (
    ChartLimits,
    RawSignal,
    find_signals,
    nps_chart,
    nps_interval,
    p_chart,
    xmr_chart,
)
from svcdiag.stats.trend_far import far_warnings
from svcdiag.stats.trend_gaps import Period, find_gaps, period_label, truncate
from svcdiag.stats.trend_query import PERIODS, Columns, trend_query
from svcdiag.stats.values import (
    MAX_CASES,
    describe,
    parse_number,
    parse_time,
    sql_strip,
    strip,
)
from svcdiag.textsafe import some_names

#: Largest mean an XmR chart takes: limits reach about 6.3 times it, within floating point.
MAX_MEAN = 1e306
#: Most signals spelled out in a summary.
MAX_TOLD = 3


@dataclass(frozen=True)
class Measure:
    """What to chart: the columns named on the command line."""

    events: str | None = None
    cases: str | None = None
    outcome: str | None = None
    value: str | None = None
    nps: str | None = None


def check_measure(measure: Measure) -> Chart:
    """Return the chart the options ask for, or raise UsageError."""
    given = [
        name
        for name, column in (
            ("--events/--cases", measure.events or measure.cases),
            ("--outcome", measure.outcome),
            ("--value", measure.value),
            ("--nps", measure.nps),
        )
        if column is not None
    ]
    if len(given) != 1:
        options = [("--events", measure.events), ("--cases", measure.cases)]
        options += [("--outcome", measure.outcome), ("--value", measure.value)]
        named = [name for name, column in [*options, ("--nps", measure.nps)] if column is not None]
        raise UsageError(
            "say what to chart with exactly one of --events and --cases, --outcome, "
            "--value or --nps" + (f" (given: {', '.join(named)})" if named else ""),
            hint="--events/--cases or --outcome for a rate (p-chart), --value for a measured "
            "value (XmR chart), --nps for 0-10 answers",
        )
    if given[0] == "--events/--cases" and (measure.events is None or measure.cases is None):
        missing = "--cases" if measure.cases is None else "--events"
        raise UsageError(f"--events and --cases go together; {missing} is missing")
    if measure.value is not None:
        return Chart.xmr
    if measure.nps is not None:
        return Chart.nps
    return Chart.p


def _check_target(chart: Chart, target: float | None) -> None:
    if target is None:
        return
    if not math.isfinite(target):
        raise UsageError("--target must be a finite number")
    if chart is Chart.p and not 0.0 < target < 1.0:
        hint = "give a proportion, e.g. 0.05 for 5 %"
        if 1 < target < 100:
            hint = f"give a proportion, not a percentage: {target / 100:g}"
        raise UsageError(f"--target for a rate must lie between 0 and 1, not {target:g}", hint=hint)
    if chart is Chart.nps and not -100.0 <= target <= 100.0:
        raise UsageError(f"--target for an NPS must lie between -100 and 100, not {target:g}")


def parse_change(text: str) -> Change:
    """Read a ``--change`` value, ``2024-03-01=new CRM``."""
    day, sep, label = text.partition("=")
    when = parse_time(day)
    wrong = locate.calendar_problem(strip(day)) if sep and label.strip() and when is None else None
    if wrong is not None:
        raise UsageError(
            f"--change {text!r}: {strip(day)!r} is no date of the calendar: {wrong}",
            hint="check the month (01 to 12) and the day of the month: DATE=WHAT, "
            "e.g. 2024-03-01='new CRM'",
        )
    if not sep or when is None or not label.strip():
        raise UsageError(
            f"--change must be DATE=WHAT, e.g. 2024-03-01='new CRM', not {text!r}",
        )
    return Change(date=when.date().isoformat(), label=label.strip())


# ---------------------------------------------------------------- the query


def _row_checker(
    rows: Rows, chart: Chart, columns: Columns, rate_of_outcome: bool
) -> Callable[[list[str]], None]:
    header = rows.header
    total = [0]

    def check(row: list[str]) -> None:
        locate.check_time_cell(rows, row[columns.time], header[columns.time])
        if columns.group is not None and not strip(row[columns.group]):
            raise rows.error(
                f"column {header[columns.group]!r} (--by) is empty",
                hint="every row needs the team or branch it belongs to: fill in the cell, "
                "or leave out --by",
            )
        text = row[columns.first]
        name = header[columns.first]
        if chart is Chart.p and not rate_of_outcome:
            assert columns.second is not None
            total[0] = locate.check_count_row(rows, row, columns.first, columns.second, total[0])
        elif chart is Chart.p:
            locate.check_outcome_cell(rows, text, name)
        elif chart is Chart.xmr and parse_number(text) is None:
            raise rows.error(f"column {name!r}: {describe(text)} is not a number")
        elif chart is Chart.nps:
            locate.check_score_cell(rows, text, name)

    return check


def _walk(rows: Rows, check: Callable[[list[str]], None]) -> None:
    for row in rows.records():
        check(row)


# ---------------------------------------------------------------- series


@dataclass
class _Period:
    start: dt.date
    a: float
    b: int
    c: int


def _limits_and_values(
    chart: Chart, periods: Sequence[_Period], breaks: frozenset[int] = frozenset()
) -> tuple[ChartLimits, list[float], list[NpsCounts]]:
    if chart is Chart.p:
        events = [int(p.a) for p in periods]
        cases = [p.b for p in periods]
        return p_chart(events, cases), [e / n for e, n in zip(events, cases, strict=True)], []
    if chart is Chart.xmr:
        values = [float(p.a) for p in periods]
        return xmr_chart(values, breaks), values, []
    counts = [NpsCounts(int(p.a), p.b, p.c) for p in periods]
    return nps_chart(counts), [c.score() for c in counts], counts


def _show(chart: Chart, value: float) -> str:
    if chart is Chart.p:
        return f"{100 * value:.2f} %"
    if chart is Chart.nps:
        return f"{signed(value)}"
    return f"{value:.4g}"


def _change_before(
    signal: RawSignal, starts: Sequence[dt.date], changes: Sequence[Change], period: Period
) -> Change | None:
    first = starts[signal.start]
    # The period just before the signal, on the calendar: after a gap, a change
    # dated early in it did not come "right before" the signal.
    before = truncate(first - dt.timedelta(days=1), period) if signal.start > 0 else dt.date.min
    for change in changes:
        when = truncate(dt.date.fromisoformat(change.date), period)
        if before <= when <= first:
            return change
    return None


def _signal_text(
    signal: RawSignal,
    labels: Sequence[str],
    values: Sequence[float],
    limits: ChartLimits,
    chart: Chart,
    measure: str,
    change: Change | None,
) -> str:
    start, end = labels[signal.start], labels[signal.end]
    count = signal.end - signal.start + 1
    up = signal.direction is Direction.up
    if signal.rule is Rule.beyond_limits:
        limit = limits.upper[signal.start] if up else limits.lower[signal.start]
        text = (
            f"in {start} the {measure} ({_show(chart, values[signal.start])}) is "
            f"{'above the upper' if up else 'below the lower'} limit ({_show(chart, limit)})"
        )
    elif signal.rule is Rule.shift:
        text = (
            f"from {start} to {end} the {measure} stays {'above' if up else 'below'} its centre "
            f"line for {count} periods in a row (a shift {'up' if up else 'down'})"
        )
    else:
        text = (
            f"from {start} to {end} the {measure} {'rises' if up else 'falls'} "
            f"{count} periods in a row (a trend)"
        )
    if change is not None:
        text += f", right after {change.label!r} ({change.date})"
    return text


def build_series(
    group: str,
    chart: Chart,
    periods: Sequence[_Period],
    *,
    period: Period,
    measure: str,
    changes: Sequence[Change],
    target: float | None,
    better: Literal["higher", "lower"],
) -> TrendSeries:
    """Chart one series: limits, points, signals and what they mean."""
    starts = [p.start for p in periods]
    gaps = find_gaps(starts, period)
    breaks = frozenset(g.before for g in gaps)
    limits, values, counts = _limits_and_values(chart, periods, breaks)
    labels = [period_label(p.start, period) for p in periods]
    raw = find_signals(values, limits, breaks)
    marked = {i for s in raw for i in range(s.start, s.end + 1)}
    points = []
    for i, p in enumerate(periods):
        ci = nps_interval(counts[i]) if chart is Chart.nps else (None, None)
        points.append(
            TrendPoint.computed(
                labels[i],
                p.b if chart is not Chart.nps else counts[i].n,
                int(p.a) if chart is Chart.p else None,
                values[i],
                (limits.lower[i], limits.upper[i]),
                ci,
                i in marked,
            )
        )
    signals = []
    for s in raw:
        change = _change_before(s, starts, changes, period)
        signals.append(
            Signal(
                rule=s.rule,
                start=labels[s.start],
                end=labels[s.end],
                direction=s.direction,
                change=change.label if change is not None else None,
                text=_signal_text(s, labels, values, limits, chart, measure, change),
            )
        )
    stable = not signals
    poor = None
    if target is not None:
        worse = [v > target if better == "lower" else v < target for v in values]
        poor = stable and all(worse)
    named = [
        Gap(
            first=period_label(g.first, period),
            last=period_label(g.last, period),
            periods=g.periods,
        )
        for g in gaps
    ]
    summary = _summary(chart, measure, limits, labels, signals, poor, target)
    if named:
        summary = _with_gaps(summary, named, chart, period)
    return TrendSeries(
        group=group,
        centre=limits.centre,
        mr_upper=limits.mr_upper,
        stable=stable,
        poor_throughout=poor,
        summary=summary,
        points=points,
        signals=signals,
        missing=sum(g.periods for g in named) or None,
        gaps=named or None,
    )


def _with_gaps(summary: str, gaps: Sequence[Gap], chart: Chart, period: Period) -> str:
    """Say in ``summary`` how many periods between which dates have no data."""
    missing = sum(g.periods for g in gaps)
    unit = period if missing == 1 else f"{period}s"
    if summary.startswith("Stable: over "):  # the periods counted are those with data
        head, sep, rest = summary.partition(" periods (")
        summary = f"{head} periods with data ({rest}" if sep else summary
    if len(gaps) == 1:
        where = gaps[0].span()
    else:
        listed = "; ".join(g.span() for g in gaps[:MAX_TOLD])
        more = f"; and {len(gaps) - MAX_TOLD} more" if len(gaps) > MAX_TOLD else ""
        where = f"in {len(gaps)} gaps: {listed}{more}"
    one = missing == 1
    them = "it" if one else "them"
    spans = f"no run or moving range spans {them}" if chart is Chart.xmr else f"no run spans {them}"
    return (
        f"{summary} {missing:,} {unit} {'has' if one else 'have'} no data ({where}): "
        f"{'it is' if one else 'they are'} not charted, and {spans}."
    )


def _summary(
    chart: Chart,
    measure: str,
    limits: ChartLimits,
    labels: Sequence[str],
    signals: Sequence[Signal],
    poor: bool | None,
    target: float | None,
) -> str:
    if not signals:
        text = (
            f"Stable: over {len(labels)} periods ({labels[0]} to {labels[-1]}) the {measure} "
            f"varies around {_show(chart, limits.centre)} within its limits, with no shift or "
            "trend. That is common-cause variation: the level is what the system produces, "
            "and it stays there until the system changes."
        )
        if poor and target is not None:
            text += (
                f" It is worse than the target of {_show(chart, target)} in every period: "
                "a system problem, not one of individuals."
            )
        return text
    order = {Rule.shift: 0, Rule.trend: 1, Rule.beyond_limits: 2}
    runs = sorted(
        (s for s in signals if s.rule is not Rule.beyond_limits),
        key=lambda s: (s.change is None, order[s.rule]),
    )
    told = [s.text for s in runs[:MAX_TOLD]]
    beyond = [s.start for s in signals if s.rule is Rule.beyond_limits]
    if beyond:
        listed = some_names(beyond, MAX_TOLD)
        told.append(f"{len(beyond)} period(s) beyond the limits ({listed})")
    more = len(runs) - MAX_TOLD
    extra = f"; and {more} more run(s)" if more > 0 else ""
    return f"Not stable: {'; '.join(told)}{extra}. Look at what changed then."


# ---------------------------------------------------------------- the command


def _measure_name(chart: Chart, source: DataSource, columns: Columns) -> str:
    name = source.header[columns.first]
    if chart is Chart.p:
        return f"rate of {name}"
    if chart is Chart.xmr:
        return f"mean {name}"
    return "NPS"


@collector_paused()  # a series per group: many small models
def trend_from_file(
    path: Path,
    *,
    time: str,
    measure: Measure,
    period: Period = "month",
    by: str | None = None,
    target: float | None = None,
    better: Literal["higher", "lower"] | None = None,
    changes: Sequence[str] = (),
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Analysis[TrendResult]:
    """Chart a measure per period (overall and per ``by`` group) and find its signals."""
    load_duckdb()
    import duckdb

    chart = check_measure(measure)
    if period not in PERIODS:
        raise UsageError(f"--period must be one of {', '.join(PERIODS)}, not {period!r}")
    _check_target(chart, target)
    known = sorted((parse_change(text) for text in changes), key=lambda c: c.date)
    rate_of_outcome = measure.outcome is not None
    direction = better or ("lower" if chart is Chart.p else "higher")
    with (
        open_engine() as engine,
        open_source(engine, path, delimiter=delimiter, sheet=sheet) as source,
    ):
        columns = _resolve(source, chart, measure, time, by)
        query = trend_query(source, chart, columns, period, rate_of_outcome)

        def check(rows: Rows) -> None:
            _walk(rows, _row_checker(rows, chart, columns, rate_of_outcome))

        used = [columns.time, columns.first]
        used += [c for c in (columns.second, columns.group) if c is not None]
        checked = run_checked(
            engine, source, query, check, lambda rows: any(int(row[5]) for row in rows), used
        )
        if any(int(row[5]) for row in checked.rows):
            with source.rows() as rows:
                check(rows)
            raise DataError(path, "a value could not be read")  # pragma: no cover
        if not checked.rows:
            raise DataError(path, "the file has a header but no data rows", line=2)
        if chart is Chart.p and sum(int(row[3]) for row in checked.rows) > MAX_CASES:
            with source.rows() as rows:
                check(rows)  # names the row where the cases pass the limit
            raise DataError(
                path, f"the cases add up to more than {MAX_CASES:,}"
            )  # pragma: no cover
        found = sorted(checked.rows, key=lambda row: (row[1], row[0]))  # period, then group
        _check_sums(path, found, chart, source, columns, period)
        if columns.group is not None:  # series in the order their groups first appear
            check_names(source, (str(row[0]) for row in found), columns.group)
            group_key = sql_strip(f"c{columns.group}")
            try:
                found = in_file_order(engine, checked.table, [group_key], found, lambda row: row[0])
            except duckdb.OutOfMemoryException:
                raise out_of_memory(source) from None
        name = _measure_name(chart, source, columns)
        time_column = source.header[columns.time]
        sparse, grouped_far = far_warnings(source, columns.time, columns.group, found, period)
    try:
        analysis = _result(
            found, chart, period, name, known, target, direction, by is not None, path, time_column
        )
    except DataError as error:  # the warning would be lost: it explains the error
        told = [w for w in (sparse, grouped_far) if w is not None]
        if not told:
            raise
        raise DataError(path, error.detail, line=error.line, hint=" ".join(told)) from None
    analysis.warnings[:0] = [w for w in (sparse, grouped_far) if w is not None]
    return analysis


#: The periods, shortest first.
_PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter")


def _one_period_hint(period: Period) -> str:
    """What to do when every row falls in one ``period``: a shorter one, or more data."""
    shorter = list(reversed(_PERIODS[: _PERIODS.index(period)]))
    if not shorter:
        return "add rows from other days: a chart needs at least two"
    choices = " or ".join(f"--period {name}" for name in shorter)
    return f"choose a shorter period ({choices}), or add rows from other {period}s"


def _check_sums(
    path: Path,
    found: list[tuple[Any, ...]],
    chart: Chart,
    source: DataSource,
    columns: Columns,
    period: Period,
) -> None:
    """Refuse a period a chart cannot show: no cases at all, or a mean beyond floating point.

    ``found`` is in order of period, then group, so the first such period is named.
    """
    for group, start, a, b, _c, _bad in found:
        where = f"{period_label(start, period)}" + (f" (group {group!r})" if group else "")
        if chart is Chart.p and int(b) == 0:
            name = source.header[columns.second if columns.second is not None else columns.first]
            raise DataError(
                path,
                f"{where}: column {name!r} adds up to 0 cases in this {period}, "
                "so it has no rate to chart",
                hint="check the --cases column, or choose a longer --period",
            )
        if chart is Chart.xmr and not abs(float(a)) <= MAX_MEAN:  # also catches inf and NaN
            name = source.header[columns.first]
            raise DataError(
                path,
                f"{where}: the values of column {name!r} are too large to chart: their "
                f"sum passes floating point, or their mean passes {MAX_MEAN:g}, beyond "
                "which the limits do",
                hint="check the --value column, or rescale it (e.g. seconds to hours)",
            )


def _resolve(
    source: DataSource, chart: Chart, measure: Measure, time: str, by: str | None
) -> Columns:
    columns = _columns(source, measure, time, by)
    charted = [("--events", measure.events), ("--outcome", measure.outcome)]
    charted += [("--value", measure.value), ("--nps", measure.nps)]
    first = next(option for option, name in charted if name is not None)
    options = {"--time": columns.time, "--by": columns.group, first: columns.first}
    source.distinct(options | {"--cases": columns.second})
    return columns


def _columns(source: DataSource, measure: Measure, time: str, by: str | None) -> Columns:
    time_index = source.column(time, option="--time", role="time")
    group = source.column(by, option="--by") if by is not None else None
    if measure.events is not None and measure.cases is not None:
        return Columns(
            time_index,
            group,
            source.column(measure.events, option="--events", role="number"),
            source.column(measure.cases, option="--cases", role="number"),
        )
    if measure.outcome is not None:
        return Columns(
            time_index, group, source.column(measure.outcome, option="--outcome", role="outcome")
        )
    if measure.value is not None:
        return Columns(
            time_index, group, source.column(measure.value, option="--value", role="number")
        )
    assert measure.nps is not None
    return Columns(time_index, group, source.column(measure.nps, option="--nps", role="number"))


def _result(
    found: list[tuple[Any, ...]],
    chart: Chart,
    period: Period,
    name: str,
    changes: list[Change],
    target: float | None,
    better: Literal["higher", "lower"],
    grouped: bool,
    path: Path,
    time_column: str,
) -> Analysis[TrendResult]:
    by_group: dict[str, dict[dt.date, _Period]] = {}
    overall: dict[dt.date, _Period] = {}
    for group, start, a, b, c, _bad in found:
        a = float(a) if chart is Chart.xmr else int(a or 0)
        for bucket in [overall, by_group.setdefault(group, {})] if grouped else [overall]:
            seen = bucket.get(start)
            if seen is None:
                bucket[start] = _Period(start, a, int(b), int(c))
            elif chart is Chart.xmr:  # a weighted mean of the groups' means
                total = seen.b + int(b)
                seen.a += (a - seen.a) * int(b) / total  # never overflows, unlike the sums
                seen.b = total
            else:
                seen.a += a
                seen.b += int(b)
                seen.c += int(c)
    if len(overall) < 2:
        only = period_label(next(iter(overall)), period)
        raise DataError(
            path,
            f"all rows fall in one {period} ({only}) of column {time_column!r}; "
            "a chart over time needs at least two periods",
            hint=_one_period_hint(period),
        )
    common = {
        "period": period,
        "measure": name,
        "changes": changes,
        "target": target,
        "better": better,
    }
    if chart is Chart.xmr and not _consecutive(overall, period):
        raise DataError(
            path,
            f"no two periods of column {time_column!r} with data follow one another, and an "
            f"XmR chart takes its moving ranges between consecutive {period}s only",
            hint="choose a longer --period, or check the dates for mistyped years",
        )
    series = [build_series("", chart, _sorted(overall), **common)]  # type: ignore[arg-type]
    lonely: list[str] = []  # groups with rows in one period only
    apart: list[str] = []  # XmR: groups without two consecutive periods
    for group, periods in by_group.items():
        if len(periods) < 2:
            lonely.append(group)
        elif chart is Chart.xmr and not _consecutive(periods, period):
            apart.append(group)
        else:
            series.append(build_series(group, chart, _sorted(periods), **common))  # type: ignore[arg-type]
    warnings = _uncharted(lonely, f"rows in one {period} only")
    warnings += _uncharted(apart, f"no two consecutive {period}s with data, so no moving range")
    # Computed, so consistent: built without the check of every point that a
    # result read back from a file gets (a second per million points).
    result = TrendResult.model_construct(
        chart=chart,
        measure=name,
        period=period,
        target=target,
        better=better,
        changes=changes,
        stable=all(s.stable for s in series),
        summary=series[0].summary,
        series=series,
    )
    return Analysis(result, warnings)


def _uncharted(groups: Sequence[str], why: str) -> list[str]:
    """The warning that ``groups`` are not charted because they have ``why``.

    One sentence for them all: a file of thousands of teams, many with a
    single row, would otherwise print a line per team.
    """
    if not groups:
        return []
    if len(groups) == 1:
        return [f"group {groups[0]!r} has {why}; it is not charted"]
    names = some_names([repr(g) for g in groups[:MAX_TOLD]], MAX_TOLD, total=len(groups))
    return [f"{len(groups):,} groups have {why}, so they are not charted: {names}"]


def _consecutive(periods: dict[dt.date, _Period], period: Period) -> bool:
    """Whether two of the periods follow one another (an XmR chart's moving range)."""
    starts = sorted(periods)
    return len(find_gaps(starts, period)) < len(starts) - 1


def _sorted(periods: dict[dt.date, _Period]) -> list[_Period]:
    return [periods[key] for key in sorted(periods)]

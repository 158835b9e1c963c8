"""The result of ``svcdiag trend`` as HTML: a control chart per series, its reading and tables.

:func:`series_views` turns each series (the whole, then each ``--by`` group)
into a :class:`TrendView` that ``templates/evidence.html.j2`` lays out: the
chart from :mod:`.svg_trend`, the plain-words reading, the signals and the
numbers behind the chart. The findings report draws the same views in its
data section; :func:`render_html` makes the page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from svcdiag.models.figures import signed
from svcdiag.models.trend import Chart, Gap, Rule, TrendResult, TrendSeries
from svcdiag.render import svg, svg_trend
from svcdiag.render.html_templates import render_template

#: Most series drawn (the whole, then the first groups), as in the terminal view.
MAX_SERIES = 12
#: Most marked periods named in a chart's description (more: the table lists them).
MAX_LISTED = 8
CHART_NAMES = {Chart.p: "p-chart", Chart.xmr: "XmR chart", Chart.nps: "NPS chart"}
RULE_WORDS = {
    Rule.beyond_limits: "beyond the limits",
    Rule.shift: "shift: 8 in a row on one side",
    Rule.trend: "trend: 6 in a row rising or falling",
}
METHOD = (
    "A control chart shows how much a measure varies by chance from one period to the "
    "next. The centre line is its level over all periods; the limits lie 3 standard "
    "errors either side (for a rate they depend on each period's cases, so they step up "
    "and down; for a measured value they are 2.66 times the mean moving range).",
    "Three rules mark a change that chance alone hardly makes, and no more (each extra "
    "rule adds false alarms): a period beyond the limits; 8 periods in a row on one side "
    "of the centre line (a shift); 6 in a row rising or falling (a trend). A stable chart "
    "means the system produces this level: to move it, change the system.",
)


@dataclass(frozen=True)
class TrendView:
    """One series ready for the template."""

    chart: svg_trend.ControlChart
    title: str
    desc: str
    summary: str
    stable: bool
    signals: list[tuple[str, str, str, str, str]]
    rows: list[tuple[str, ...]]
    head: tuple[str, ...]
    intervals: bool = False


def value_format(chart: Chart) -> Callable[[float], str]:
    """How a value of ``chart`` is written: a percentage, a signed NPS or a number."""
    if chart is Chart.p:
        return lambda v: f"{100 * v:.2f} %"
    if chart is Chart.nps:
        return lambda v: f"{signed(v)}"
    return lambda v: f"{v:.4g}"


def _tick_format(chart: Chart) -> Callable[[float], str]:
    if chart is Chart.p:
        return lambda v: f"{100 * v:.1f} %"
    if chart is Chart.nps:
        return svg.signed(0)
    return lambda v: f"{v:.4g}"


def series_title(result: TrendResult, series: TrendSeries) -> str:
    """The heading of one series: what, per what, and for whom."""
    what = f"{result.measure[:1].upper()}{result.measure[1:]} per {result.period}"
    return f"{what}: {series.group}" if series.group else f"{what}: all rows"


def series_view(result: TrendResult, series: TrendSeries) -> TrendView:
    """The chart, reading, signals and numbers of one series."""
    show = value_format(result.chart)
    periods = [
        svg_trend.PeriodValue(
            p.period,
            p.value,
            p.lower,
            p.upper,
            p.signal,
            f"{p.period}: {show(p.value)} ({p.n:,}), limits {show(p.lower)} to "
            f"{show(p.upper)}" + (", marked by a rule" if p.signal else ""),
            p.ci_low,
            p.ci_high,
        )
        for p in series.points
    ]
    named = [(s.start, s.change) for s in series.signals if s.change]
    after_gap = series.gaps_before()
    slots, skipped = [], 0
    for i in range(len(periods)):
        skipped += after_gap[i].periods if i in after_gap else 0
        slots.append(i + skipped)  # its place on the calendar: a gap takes its width
    chart = svg_trend.control_chart(
        periods,
        series.centre,
        _tick_format(result.chart),
        target=result.target,
        changes=named,
        breaks=frozenset(after_gap),
        slots=slots,
    )
    marked = [p.period for p in series.points if p.signal]
    first, last = series.points[0].period, series.points[-1].period
    desc = (
        f"{CHART_NAMES[result.chart]} of the {result.measure} per {result.period} over "
        f"{len(series.points)} periods, {first} to {last}, with the centre line at "
        f"{show(series.centre)} and the upper and lower limits"
        + (", and each period's interval. " if result.chart is Chart.nps else ". ")
        + (
            f"{len(marked)} periods are marked by a rule: {', '.join(marked)}."
            if 0 < len(marked) <= MAX_LISTED
            else f"{len(marked)} of {len(series.points)} periods "
            "are marked by a rule; the table lists them."
            if marked
            else "No period is marked by a rule."
        )
        + "".join(f" A signal starts at {p}, right after the change {label}." for p, label in named)
        + (
            f" {series.missing:,} period{'s' if series.missing > 1 else ''} without data "
            f"{'are' if series.missing > 1 else 'is'} not drawn; the line breaks there."
            if series.missing
            else ""
        )
        + (
            f" The axis is cut in the gap of {max(g.periods for g in series.gaps or []):,} "
            f"{result.period}s, drawn narrower than its length."
            if chart.cut_x is not None
            else ""
        )
    )
    has_events = result.chart is Chart.p
    has_interval = result.chart is Chart.nps
    head = (
        "Period",
        "n",
        *(("Events",) if has_events else ()),
        "Value",
        *(("Interval",) if has_interval else ()),
        "Limits",
        "Marked",
    )
    rows = []
    for i, p in enumerate(series.points):
        gap = after_gap.get(i)
        if gap is not None:
            rows.append(_gap_row(gap, head, result.period))
        row = [p.period, f"{p.n:,}"]
        if has_events:
            row.append(f"{p.events or 0:,}")
        row.append(show(p.value))
        if has_interval:
            known = p.ci_low is not None and p.ci_high is not None
            row.append(f"{show(p.ci_low or 0)} to {show(p.ci_high or 0)}" if known else "")
        row += [f"{show(p.lower)} to {show(p.upper)}", "yes" if p.signal else ""]
        rows.append(tuple(row))
    signals = [
        (
            RULE_WORDS[s.rule],
            s.start if s.start == s.end else f"{s.start} to {s.end}",
            s.direction.value,
            s.change or "",
            s.text,
        )
        for s in series.signals
    ]
    return TrendView(
        chart=chart,
        title=series_title(result, series),
        desc=desc,
        summary=series.summary,
        stable=series.stable,
        signals=signals,
        rows=rows,
        head=head,
        intervals=has_interval,
    )


def _gap_row(gap: Gap, head: tuple[str, ...], period: str) -> tuple[str, ...]:
    """A table row standing for a gap: its periods, 0 cases, and no value."""
    row = [gap.span(), "0"]
    row += [""] * (len(head) - 2)
    row[head.index("Value")] = f"no data ({gap.periods:,} {period}{'s' if gap.periods > 1 else ''})"
    return tuple(row)


def series_views(result: TrendResult) -> tuple[list[TrendView], str]:
    """The views of the first :data:`MAX_SERIES` series, and a note on any left out."""
    views = [series_view(result, s) for s in result.series[:MAX_SERIES]]
    hidden = result.series[MAX_SERIES:]
    note = ""
    if hidden:
        unstable = sum(not s.stable for s in hidden)
        note = (
            f"{len(hidden):,} more groups are not drawn ({unstable:,} of them not stable); "
            "--format csv or json lists every series."
        )
    return views, note


def build_view(result: TrendResult, made_on: date | None = None) -> dict[str, Any]:
    """The values ``trend.html.j2`` lays out."""
    views, note = series_views(result)
    meta = [("Chart", CHART_NAMES[result.chart]), ("Period", result.period)]
    if result.target is not None:
        meta.append(("Target", value_format(result.chart)(result.target)))
    meta.append(("Better", result.better))
    meta += [("Change", f"{c.date}: {c.label}") for c in result.changes]
    return {
        "meta": meta,
        "made_on": (made_on or date.today()).isoformat(),
        "page_title": f"Trend of the {result.measure}",
        "kicker": "Evidence from client data",
        "heading": f"Trend of the {result.measure} per {result.period}",
        "verdict_class": "healthy" if result.stable else "mixed",
        "verdict_label": "Stable" if result.stable else "Not stable",
        "verdict_sentence": result.summary,
        "views": views,
        "note": note,
        "method": METHOD,
        "footer_text": "Computed by svcdiag trend.",
    }


def render_html(result: TrendResult, made_on: date | None = None) -> str:
    """Return the page of ``result`` as one HTML document."""
    return render_template("trend.html.j2", **build_view(result, made_on))


def write(result: TrendResult, out: IO[str]) -> None:
    """Write the page of ``result`` to ``out``."""
    out.write(render_html(result))

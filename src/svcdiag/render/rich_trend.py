"""The terminal view of a trend: per series, a table of periods, a chart and the reading.

The chart is drawn with text: one row per period, the centre line ``|`` and
the limits ``[`` ``]`` placed on a common scale, the value as ``●`` (or ``▲``
``▼`` for a period a rule marks). It fits 80 columns and reads the same
without colour. Periods without data between two that have it get a row of
their own (dim), so a gap is seen where it is. At most the last
:data:`MAX_PERIODS` periods of a series are shown: a line above its table
tells how many earlier ones are not, and how to see them. Redirected, the lines carry no
trailing spaces (:func:`svcdiag.console.print_data`). A group's name, and
the measure named after a column, are shown on one line with control
characters as escapes (:func:`svcdiag.textsafe.visible`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from svcdiag.console import print_data, stdout_console
from svcdiag.models.figures import signed
from svcdiag.models.trend import Chart, Gap, TrendPoint, TrendResult, TrendSeries
from svcdiag.textsafe import for_terminal, visible

BAR_WIDTH = 34
#: Most series drawn (the whole, then the first --by groups).
MAX_SERIES = 12
#: Most periods shown in a table (the latest ones; a line tells of the others).
MAX_PERIODS = 60


def _show(chart: Chart, value: float | None) -> str:
    if value is None:
        return ""
    if chart is Chart.p:
        return f"{100 * value:.2f}%"
    if chart is Chart.nps:
        return f"{signed(value)}"
    return f"{value:.4g}"


@dataclass(frozen=True)
class Scale:
    """Where a value falls among the :data:`BAR_WIDTH` cells of a bar."""

    low: float
    span: float

    @classmethod
    def of(cls, series: TrendSeries, points: Sequence[TrendPoint]) -> Scale:
        """The scale of the bars of ``points``: their values, their limits and the centre."""
        values = [series.centre, *(v for p in points for v in (p.value, p.lower, p.upper))]
        low, high = min(values), max(values)
        return cls(low, (high - low) or 1.0)

    def at(self, value: float) -> int:
        """The cell of ``value`` (one beyond the scale is drawn at its end)."""
        cell = round((value - self.low) / self.span * (BAR_WIDTH - 1))
        return min(max(cell, 0), BAR_WIDTH - 1)


def _bar(series: TrendSeries, point: TrendPoint, scale: Scale) -> Text:
    cells = [" "] * BAR_WIDTH
    cells[scale.at(point.lower)] = "["
    cells[scale.at(point.upper)] = "]"
    cells[scale.at(series.centre)] = "|"
    mark = "●"
    if point.signal:
        mark = "▲" if point.value >= series.centre else "▼"
    cells[scale.at(point.value)] = mark
    text = Text("".join(cells))
    if point.signal:
        text.stylize("bold red")
    return text


#: Longer periods than each, for a span too long to show whole.
_LONGER = {"day": "week, month or quarter", "week": "month or quarter", "month": "quarter"}


def _left_out(result: TrendResult, series: TrendSeries, hidden: int) -> Text:
    """The line telling of the ``hidden`` first periods of ``series``, not shown."""
    points = series.points[:hidden]
    marked = sum(point.signal for point in points)
    if hidden == 1:
        which = f"The first period ({points[0].period}"
        which += ", marked by a rule) is" if marked else ") is"
    else:
        which = f"The first {hidden:,} periods ({points[0].period} to {points[-1].period}"
        which += f", {marked:,} of them marked by a rule) are" if marked else ") are"
    how = "--format csv lists every period"
    longer = _LONGER.get(result.period)
    if longer is not None:
        how += f", and a longer --period ({longer}) charts the whole span in fewer rows"
    return Text(f"{which} not shown; {how}.", style="dim")


def series_view(result: TrendResult, series: TrendSeries) -> RenderableType:
    """Return the table, chart and reading of one series.

    At most the last :data:`MAX_PERIODS` periods are shown, a line telling of
    the others; the bars are scaled on the periods shown.
    """
    title = "All rows" if not series.group else f"{visible(series.group)}"
    table = Table(box=None, padding=(0, 1), show_edge=False)
    table.add_column("period")
    table.add_column("n", justify="right")
    table.add_column("value", justify="right")
    table.add_column("limits", justify="right")
    table.add_column(f"chart (| centre {_show(result.chart, series.centre)})", no_wrap=True)
    before = series.gaps_before()
    shown = range(max(0, len(series.points) - MAX_PERIODS), len(series.points))
    scale = Scale.of(series, series.points[shown.start :])
    for i in shown:
        point = series.points[i]
        gap = before.get(i)
        if gap is not None and i != shown.start:
            table.add_row(*_gap_row(result, gap), style="dim")
        table.add_row(
            point.period,
            f"{point.n:,}",
            _show(result.chart, point.value),
            f"{_show(result.chart, point.lower)} to {_show(result.chart, point.upper)}",
            _bar(series, point, scale),
        )
    verdict = Text(for_terminal(series.summary), style="green" if series.stable else "bold")
    parts: list[RenderableType] = [Text(title, style="bold")]
    if shown.start:
        parts.append(_left_out(result, series, shown.start))
    return Group(*parts, table, verdict, Text(""))


def _gap_row(result: TrendResult, gap: Gap) -> tuple[str | Text, ...]:
    if gap.periods == 1:
        told = f"(1 {result.period} without data)"
    else:
        told = f"({gap.periods:,} {result.period}s, to {gap.last})"
    return (gap.first, "0", "no data", "", Text(told))


def view(result: TrendResult) -> RenderableType:
    """Return the terminal view of a trend result."""
    kind = {Chart.p: "p-chart", Chart.xmr: "XmR chart", Chart.nps: "NPS chart"}[result.chart]
    parts: list[RenderableType] = [
        Text(
            f"Trend of the {visible(result.measure)} per {result.period} ({kind})",
            style="bold",
        ),
        Text(
            "Rules: a point beyond the limits, 8 in a row on one side of the centre, "
            "6 in a row rising or falling.",
            style="dim",
        ),
        Text(""),
    ]
    parts += [series_view(result, series) for series in result.series[:MAX_SERIES]]
    hidden = len(result.series) - MAX_SERIES
    if hidden > 0:
        unstable = sum(not s.stable for s in result.series[MAX_SERIES:])
        parts.append(
            Text(
                f"{hidden:,} more groups are not drawn ({unstable:,} of them not stable); "
                "--format csv or json lists every series.",
                style="dim",
            )
        )
    return Group(*parts)


def write(result: TrendResult, out: IO[str], *, width: int | None = None) -> None:
    """Print the terminal view of ``result`` to ``out``."""
    console = stdout_console(file=out, width=width)
    print_data(view(result), console=console)

"""Geometry of the HTML report's charts: pure functions from numbers to shapes.

Each function lays one chart out in a fixed ``viewBox`` and returns a frozen
dataclass of coordinates and labels; the Jinja2 macros in
``templates/charts.html.j2`` turn it into inline SVG (autoescaped, so a label
from a client file can never become markup). Nothing here knows HTML, and
every chart's meaning is carried by shape and text as well as colour:

* :func:`bar_chart`: scores 0-100 as horizontal bars (the ten benchmark
  characteristics), with the healthy threshold;
* :func:`interval_chart`: estimates with intervals on a fixed scale (NPS);
* :func:`gap_chart`: leaders' minus frontline means per item, with intervals;
* :func:`heatmap`: groups by characteristics, where a suppressed cell (too
  few respondents) and a cell without data are drawn differently.

The funnel plot is laid out in :mod:`.svg_funnel` on the same scales.

Colours come from :data:`PALETTE`; :func:`contrast_ratio` is the WCAG 2
formula, and a test checks every pairing used against AA.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

#: Named colours; every text colour passes 4.5:1 and every mark 3:1 on white.
PALETTE = {
    "ink": "#1a1a1a",
    "muted": "#595959",
    "grid": "#d0d0d0",
    "weak": "#b3261e",
    "fair": "#8a5300",
    "healthy": "#1b6e3a",
    "none": "#767676",
    "unit": "#1f5fa8",
    "target": "#1b6e3a",
    "limit95": "#8a5300",
    "limit998": "#b3261e",
    "leaders": "#5b2a86",
}

#: Sequential fills for heatmap cells, weakest first (text colour by contrast).
HEAT_FILLS = ("#b3261e", "#e0794f", "#f4d58d", "#8fc99a", "#1b6e3a")

#: Score bands: a score below the first bound is weak, below the second fair.
BAND_BOUNDS = (40.0, 60.0)
Band = Literal["weak", "fair", "healthy", "none"]
BAND_WORDS: dict[str, str] = {
    "weak": "weak",
    "fair": "needs attention",
    "healthy": "healthy",
    "none": "too few answers",
}


def band(score: float | None, healthy_at: float = BAND_BOUNDS[1]) -> Band:
    """The band of a 0-100 score: weak, fair, healthy, or none when there is no score."""
    if score is None:
        return "none"
    if score < BAND_BOUNDS[0]:
        return "weak"
    return "fair" if score < healthy_at else "healthy"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    dark, light = PALETTE["ink"], "#ffffff"
    return dark if contrast_ratio(dark, fill) >= contrast_ratio(light, fill) else light


def signed(digits: int) -> Callable[[float], str]:
    """A formatter with an explicit sign, ``+12.5``, ``-3.0``, and a plain ``0``."""

    def fmt(value: float) -> str:
        text = f"{value:+.{digits}f}"
        return text[1:] if float(text) == 0 else text

    return fmt


def rounded(value: float) -> float:
    """A coordinate rounded to 0.1, enough for any screen, short in the file."""
    return round(value, 1)


@dataclass(frozen=True)
class Tick:
    """A labelled position on an axis."""

    at: float
    label: str


@dataclass(frozen=True)
class Scale:
    """A linear or logarithmic map from data values to pixels."""

    low: float
    high: float
    start: float
    end: float
    log: bool = False

    def _t(self, value: float) -> float:
        return math.log10(value) if self.log else value

    def __call__(self, value: float) -> float:
        """Return the pixel position of ``value``."""
        span = self._t(self.high) - self._t(self.low)
        share = 0.5 if span <= 0 else (self._t(value) - self._t(self.low)) / span
        return rounded(self.start + share * (self.end - self.start))


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``count`` ticks."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw * 0.999))


def linear_ticks(
    low: float, high: float, fmt: Callable[[float], str], count: int = 5
) -> list[tuple[float, str]]:
    """Round values between ``low`` and ``high`` with their labels."""
    step = nice_step(high - low, count)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append((round(value, 12), fmt(round(value, 12))))
        value += step
    return ticks


def log_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """1, 2 and 5 times powers of ten between ``low`` and ``high`` (1 and 10 if many)."""
    ticks = []
    for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mult in (1, 2, 5):
            value = mult * 10**power
            if low <= value <= high:
                ticks.append((float(value), f"{value:,}"))
    if len(ticks) > 8:
        ticks = [t for t in ticks if str(int(t[0])).startswith("1")]
    return ticks


# ---------------------------------------------------------------- bar chart


@dataclass(frozen=True)
class Bar:
    """One horizontal bar with its label above it."""

    label: str
    value_text: str
    band: Band
    band_word: str
    colour: str
    label_y: float
    y: float
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    """Scores from 0 to 100, one bar each, and the healthy threshold."""

    width: int
    height: int
    left: float
    right: float
    bar_height: float
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: float
    threshold_x: float
    threshold_label: str


BAR_WIDTH = 560


def bar_chart(items: Sequence[tuple[str, float | None]], *, healthy_at: float = 60.0) -> BarChart:
    """Lay out one bar per ``(label, score)``; a missing score shows as "too few answers"."""
    left, right, row, bar_h, top = 0.0, BAR_WIDTH - 56.0, 40.0, 16.0, 4.0
    scale = Scale(0, 100, left, right)
    bars = []
    for index, (label, score) in enumerate(items):
        label_y = top + index * row + 13
        which = band(score, healthy_at)
        value = 0.0 if score is None else score
        width = scale(value) - left
        text = "—" if score is None else f"{score:.1f}"
        bars.append(
            Bar(
                label=label,
                value_text=text,
                band=which,
                band_word=BAND_WORDS[which],
                colour=PALETTE["none" if score is None else which],
                label_y=label_y,
                y=label_y + 5,
                width=rounded(width),
                text_x=rounded(left + width + 6),
            )
        )
    axis_y = top + len(items) * row + 4
    ticks = [Tick(scale(v), f"{v:g}") for v in (0, 20, 40, 60, 80, 100)]
    return BarChart(
        width=BAR_WIDTH,
        height=int(axis_y + 36),
        left=left,
        right=right,
        bar_height=bar_h,
        bars=bars,
        ticks=ticks,
        axis_y=axis_y,
        threshold_x=scale(healthy_at),
        threshold_label=f"healthy from {healthy_at:g}",
    )


def triangle(x: float, y: float, shape: str, size: float = 5.0) -> str:
    """An SVG path of a triangle pointing up or down at (x, y); empty for a circle."""
    if shape not in ("up", "down"):
        return ""
    tip, base = (y - size, y + size * 0.8) if shape == "up" else (y + size, y - size * 0.8)
    left, right, tip, base = rounded(x - size), rounded(x + size), rounded(tip), rounded(base)
    return f"M{rounded(x)} {tip}L{right} {base}L{left} {base}Z"


# --------------------------------------------------------- interval chart


@dataclass(frozen=True)
class IntervalRow:
    """One estimate with its interval, on its own row."""

    label: str
    y: float
    x: float
    low_x: float
    high_x: float
    value_text: str
    shape: Literal["circle", "up", "down"]
    path: str
    colour: str
    note: str


@dataclass(frozen=True)
class IntervalChart:
    """Estimates with intervals on a fixed scale, with a reference line."""

    width: int
    height: int
    left: float
    right: float
    axis_y: float
    rows: list[IntervalRow]
    ticks: list[Tick]
    reference_x: float | None
    reference_label: str
    zero_x: float | None
    labels_above: bool = False


@dataclass(frozen=True)
class Estimate:
    """A value with its interval (``low``/``high`` may be missing) and how it compares."""

    label: str
    value: float
    low: float | None
    high: float | None
    flag: Literal["above", "below", "within", "overall"] = "within"
    note: str = ""


def _interval_layout(
    items: Sequence[Estimate],
    scale_low: float,
    scale_high: float,
    fmt: Callable[[float], str],
    reference: float | None,
    reference_label: str,
    label_width: float,
    labels_above: bool = False,
) -> IntervalChart:
    width = 500
    row, top = (46.0, 4.0) if labels_above else (30.0, 8.0)
    left, right = (16.0, width - 48.0) if labels_above else (label_width, width - 48.0)
    x = Scale(scale_low, scale_high, left, right)
    flags = {
        "above": ("up", PALETTE["healthy"]),
        "below": ("down", PALETTE["weak"]),
        "within": ("circle", PALETTE["unit"]),
        "overall": ("circle", PALETTE["ink"]),
    }
    rows = []
    for index, item in enumerate(items):
        cy = top + index * row + (row - 13 if labels_above else row / 2)
        shape, colour = flags[item.flag]
        cx = x(item.value)
        low_x = x(item.low) if item.low is not None else cx
        high_x = x(item.high) if item.high is not None else cx
        rows.append(
            IntervalRow(
                label=item.label,
                y=rounded(cy),
                x=cx,
                low_x=low_x,
                high_x=high_x,
                value_text=fmt(item.value),
                shape=shape,  # type: ignore[arg-type]
                path=triangle(cx, cy, shape, 6.0),
                colour=colour,
                note=item.note,
            )
        )
    axis_y = top + len(items) * row + 4
    ticks = [Tick(x(v), label) for v, label in linear_ticks(scale_low, scale_high, fmt, 6)]
    zero = x(0.0) if scale_low < 0 < scale_high else None
    return IntervalChart(
        width=width,
        height=int(axis_y + 24),
        left=left,
        right=right,
        axis_y=axis_y,
        rows=rows,
        ticks=ticks,
        reference_x=None if reference is None else x(reference),
        labels_above=labels_above,
        reference_label=reference_label,
        zero_x=zero,
    )


def interval_chart(
    items: Sequence[Estimate],
    *,
    low: float,
    high: float,
    fmt: Callable[[float], str] | None = None,
    reference: float | None = None,
    reference_label: str = "",
) -> IntervalChart:
    """Lay out one estimate per row on the fixed scale ``low`` to ``high`` (NPS: -100 to 100)."""
    return _interval_layout(items, low, high, fmt or signed(0), reference, reference_label, 130.0)


# -------------------------------------------------------------- gap chart


@dataclass(frozen=True)
class GapItem:
    """One statement asked of leaders and of frontline staff.

    ``difference`` is the leaders' mean minus the frontline mean; ``low`` and
    ``high`` its interval (Welch), missing when a group has one respondent.
    """

    label: str
    leaders: float
    frontline: float
    difference: float
    low: float | None = None
    high: float | None = None


def gap_chart(items: Sequence[GapItem], *, span: float | None = None) -> IntervalChart:
    """Lay out each item's leaders-minus-frontline gap with its interval, around zero.

    The scale is symmetric: ``span`` points each side of zero (by default
    enough for every interval, at least 1). A gap whose interval excludes zero
    is marked by shape (leaders see it better, or worse), not colour alone.
    """
    ends = [abs(v) for i in items for v in (i.difference, i.low, i.high) if v is not None]
    reach = span if span is not None else max([1.0, *ends])
    reach = math.ceil(reach * 2) / 2
    estimates = []
    for item in items:
        flag: Literal["above", "below", "within"] = "within"
        if item.low is not None and item.high is not None:
            if item.low > 0:
                flag = "above"
            elif item.high < 0:
                flag = "below"
        note = f"leaders {item.leaders:.1f} · frontline {item.frontline:.1f}"
        estimates.append(Estimate(item.label, item.difference, item.low, item.high, flag, note))
    return _interval_layout(estimates, -reach, reach, signed(1), None, "", 0.0, labels_above=True)


# ---------------------------------------------------------------- heatmap

CellState = Literal["value", "suppressed", "no_data"]


@dataclass(frozen=True)
class HeatInput:
    """One group's score on one column, or why there is none."""

    value: float | None
    state: CellState = "value"


@dataclass(frozen=True)
class HeatCell:
    """A laid-out heatmap cell."""

    x: float
    y: float
    state: CellState
    fill: str
    text: str
    text_colour: str
    tip: str


@dataclass(frozen=True)
class Heatmap:
    """Groups (rows) by columns (characteristics), with a legend of states."""

    width: int
    height: int
    cell_width: float
    cell_height: float
    label_width: float
    top: float
    columns: list[Tick]
    rows: list[Tick]
    cells: list[HeatCell]
    legend_y: float


STATE_WORDS = {"suppressed": "suppressed", "no_data": "no data"}


def heat_fill(value: float) -> str:
    """The fill for a 0-100 score: five steps from weak to healthy."""
    index = min(len(HEAT_FILLS) - 1, max(0, int(value // 20)))
    return HEAT_FILLS[index]


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[HeatInput]],
    *,
    column_titles: Sequence[str] | None = None,
) -> Heatmap:
    """Lay out ``values[row][column]``: scores coloured and printed, other states in words.

    A suppressed cell (a group below the anonymity floor) reads "suppressed"
    on a white cell with a dashed border; a cell without data reads "no data"
    on grey. Neither is ever coloured like a score.
    """
    label_width, cell_w, cell_h, top = 150.0, 56.0, 30.0, 24.0
    width = int(label_width + cell_w * len(column_labels) + 4)
    titles = list(column_titles or column_labels)
    cells = []
    for r, (row_label, row) in enumerate(zip(row_labels, values, strict=True)):
        for c, item in enumerate(row):
            cx, cy = label_width + c * cell_w, top + r * cell_h
            where = f"{row_label}, {titles[c]}"
            if item.state == "value" and item.value is not None:
                fill = heat_fill(item.value)
                cells.append(
                    HeatCell(
                        cx,
                        cy,
                        "value",
                        fill,
                        f"{item.value:.0f}",
                        text_on(fill),
                        f"{where}: {item.value:.1f}",
                    )
                )
            else:
                state: CellState = "suppressed" if item.state == "suppressed" else "no_data"
                word = STATE_WORDS[state]
                fill = "#ffffff" if state == "suppressed" else "#eeeeee"
                cells.append(
                    HeatCell(cx, cy, state, fill, word, PALETTE["ink"], f"{where}: {word}")
                )
    columns = [
        Tick(rounded(label_width + (c + 0.5) * cell_w), t) for c, t in enumerate(column_labels)
    ]
    rows = [Tick(rounded(top + (r + 0.5) * cell_h), t) for r, t in enumerate(row_labels)]
    legend_y = top + len(row_labels) * cell_h + 12
    return Heatmap(
        width=max(width, 480),
        height=int(legend_y + 30),
        cell_width=cell_w,
        cell_height=cell_h,
        label_width=label_width,
        top=top,
        columns=columns,
        rows=rows,
        cells=cells,
        legend_y=legend_y,
    )


#: Presentation attributes of each kind of SVG element, set on the elements
#: themselves (not by CSS) so that every renderer, browsers and WeasyPrint
#: alike, draws the chart the same way.
STYLES: dict[str, dict[str, str]] = {
    "root": {"font-family": "Segoe UI, Helvetica Neue, Arial, DejaVu Sans, sans-serif"},
    "label": {"font-size": "13", "fill": PALETTE["ink"]},
    "tick": {"font-size": "11", "fill": PALETTE["muted"]},
    "value": {"font-size": "12", "font-weight": "bold", "fill": PALETTE["ink"]},
    "small": {"font-size": "8.5", "font-style": "italic"},
    "cell": {"font-size": "12"},
    "legend": {"font-size": "11", "fill": PALETTE["ink"]},
    "grid": {"stroke": PALETTE["grid"], "stroke-width": "1"},
    "frame": {"fill": "none", "stroke": PALETTE["none"]},
    "zero": {"stroke": PALETTE["ink"], "stroke-width": "1.5"},
    "threshold": {"stroke": PALETTE["ink"], "stroke-width": "1.2", "stroke-dasharray": "2 3"},
    "nobar": {"fill": "none", "stroke": PALETTE["none"], "stroke-dasharray": "4 3"},
    "target": {"stroke": PALETTE["target"], "stroke-width": "2", "fill": "none"},
    "limit95": {
        "stroke": PALETTE["limit95"],
        "stroke-width": "1.5",
        "stroke-dasharray": "6 4",
        "fill": "none",
    },
    "limit998": {"stroke": PALETTE["limit998"], "stroke-width": "2", "fill": "none"},
    "whisker": {"stroke-width": "2"},
    "suppressed": {"stroke": PALETTE["ink"], "stroke-dasharray": "3 2"},
}

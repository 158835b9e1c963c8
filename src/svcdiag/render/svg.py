"""Geometry of the HTML report's charts: pure functions from numbers to shapes.

Each function lays one chart out in a fixed ``viewBox`` and returns a frozen
dataclass of coordinates and labels; the Jinja2 macros in
``templates/charts.html.j2`` turn it into inline SVG (autoescaped, so a label
from a client file can never become markup). Nothing here knows HTML, and
every chart's meaning is carried by shape and text as well as colour:

* :func:`bar_chart`: scores 0-100 as horizontal bars (the ten benchmark
  characteristics), with the healthy threshold;
* :func:`funnel_plot`: units' rates against cases, with the target and the
  95 % and 99.8 % limit curves (Spiegelhalter 2005);
* :func:`interval_chart`: estimates with intervals on a fixed scale (NPS);
* :func:`gap_chart`: leaders' minus frontline means per item, with intervals;
* :func:`heatmap`: groups by characteristics, where a suppressed cell (too
  few respondents) and a cell without data are drawn differently.

Colours come from :data:`PALETTE`; :func:`contrast_ratio` is the WCAG 2
formula, and a test checks every pairing used against AA.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

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


def _r(value: float) -> float:
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
        return _r(self.start + share * (self.end - self.start))


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
                width=_r(width),
                text_x=_r(left + width + 6),
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


# ------------------------------------------------------------- funnel plot


@dataclass(frozen=True)
class FunnelPoint:
    """A unit (or several units at the same spot) in the funnel plot."""

    x: float
    y: float
    shape: Literal["circle", "up", "down"]
    filled: bool
    colour: str
    tip: str
    path: str


@dataclass(frozen=True)
class FunnelPlot:
    """The funnel plot's axes, limit curves and points."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    x_label: str
    target_y: float
    curves: dict[str, list[str]]
    points: list[FunnelPoint]
    hidden: int = 0
    merged: float = 0.0
    marker_size: float = 5.0


@dataclass(frozen=True)
class FunnelUnit:
    """What the funnel plot needs of one unit."""

    label: str
    events: int
    cases: int
    rate: float
    status: str


Limits4 = tuple[float, float, float, float]
LOG_FROM_RATIO = 8.0
MAX_POINTS = 5000


def _marker(x: float, y: float, shape: str, size: float = 5.0) -> str:
    """An SVG path of a triangle pointing up or down at (x, y); empty for a circle."""
    if shape not in ("up", "down"):
        return ""
    tip, base = (y - size, y + size * 0.8) if shape == "up" else (y + size, y - size * 0.8)
    return f"M{_r(x)} {_r(tip)}L{_r(x + size)} {_r(base)}L{_r(x - size)} {_r(base)}Z"


#: Cell sizes (pixels) tried in turn when there are too many distinct points.
MERGE_CELLS = (2.0, 3.0, 4.0, 6.0, 8.0, 12.0)


def _merge_spots(
    placed: Sequence[tuple[float, float, FunnelUnit]],
) -> tuple[dict[tuple[float, float, str], list[Any]], float]:
    """Group units with one status at the same point, or in the same small cell if need be.

    Exact points first; if more than :data:`MAX_POINTS` remain, units in
    the same cell of a grid of 2, 3, ... pixels are drawn as one mark (at the
    first unit's place). Returns the spots, each ``[x, y, first unit, count]``,
    and the cell size used (0 for exact points).
    """
    for cell in (0.0, *MERGE_CELLS):
        spots: dict[tuple[float, float, str], list[Any]] = {}
        for px, py, unit in placed:
            kx, ky = (round(px / cell), round(py / cell)) if cell else (px, py)
            spot = spots.get((kx, ky, unit.status))
            if spot is None:
                spots[(kx, ky, unit.status)] = [px, py, unit, 1]
            else:
                spot[3] += 1
        if len(spots) <= MAX_POINTS:
            break
    return spots, cell


def _percent(value: float, step: float) -> str:
    digits = max(0, min(3, -math.floor(math.log10(step * 100)) if step > 0 else 1))
    return f"{100 * value:.{digits}f} %"


def funnel_plot(
    units: Sequence[FunnelUnit],
    target: float,
    limits: Callable[[int], Limits4],
) -> FunnelPlot:
    """Lay out units' rates against their cases, with limit curves from ``limits``.

    ``limits(n)`` returns (lower998, lower95, upper95, upper998) for a unit of
    ``n`` cases. The y axis zooms on the units and the limits of the largest
    unit, showing the widest limits as far as that at most triples the span;
    curves are cut where they leave it. Units at the same spot are drawn once
    (the first one's name in the tooltip, with how many share it).
    """
    width, height = 560, 410
    left, right, top, bottom = 64.0, width - 16.0, 12.0, height - 84.0
    smallest = min(u.cases for u in units)
    largest = max(u.cases for u in units)
    log = largest / smallest >= LOG_FROM_RATIO
    if smallest == largest:
        x_low, x_high = smallest * 0.5, smallest * 1.5
    elif log:
        x_low, x_high = smallest / 1.15, largest * 1.15
    else:
        pad = (largest - smallest) * 0.05
        x_low, x_high = max(0.5, smallest - pad), largest + pad
    x = Scale(x_low, x_high, left, right, log)

    big = limits(largest)
    small = limits(smallest)
    values = [u.rate for u in units] + [target, big[0], big[3]]
    low, high = min(values), max(values)
    span = high - low
    low = max(min(low, small[1]), low - span)
    high = min(max(high, small[2]), high + span)
    pad = (high - low) * 0.06 or max(target * 0.5, 0.01)
    y_low, y_high = max(0.0, low - pad), min(1.0, high + pad)
    y = Scale(y_low, y_high, bottom, top)

    curves: dict[str, list[str]] = {"lower998": [], "lower95": [], "upper95": [], "upper998": []}
    samples = 160
    runs: dict[str, list[str]] = {name: [] for name in curves}
    for step in range(samples + 1):
        share = step / samples
        raw = (
            10 ** (math.log10(x_low) + share * (math.log10(x_high) - math.log10(x_low)))
            if log
            else x_low + share * (x_high - x_low)
        )
        cases = max(1, round(raw))
        for name, value in zip(curves, limits(cases), strict=True):
            if y_low <= value <= y_high:
                runs[name].append(f"{x(max(raw, x_low))},{y(value)}")
            elif runs[name]:
                curves[name].append(" ".join(runs[name]))
                runs[name] = []
    for name, run in runs.items():
        if len(run) > 1:
            curves[name].append(" ".join(run))
    curves = {name: [c for c in found if " " in c] for name, found in curves.items()}

    styles = {
        "normal": ("circle", True, PALETTE["unit"]),
        "alert_high": ("up", False, PALETTE["limit95"]),
        "alert_low": ("down", False, PALETTE["limit95"]),
        "alarm_high": ("up", True, PALETTE["limit998"]),
        "alarm_low": ("down", True, PALETTE["limit998"]),
    }
    words = {
        "normal": "within its limits",
        "alert_high": "above its 95 % limit",
        "alert_low": "below its 95 % limit",
        "alarm_high": "above its 99.8 % limit",
        "alarm_low": "below its 99.8 % limit",
    }
    placed = [(x(u.cases), y(u.rate), u) for u in units]
    spots, merged = _merge_spots(placed)
    # Flagged units are drawn last, so they sit on top of ordinary ones.
    order = sorted(spots.values(), key=lambda spot: spot[2].status != "normal")
    hidden = max(0, len(order) - MAX_POINTS)
    near = "near" if merged else "at"
    size = 5.0 if len(order) - hidden <= 300 else 3.5
    points = []
    for px, py, first, count in order[hidden:]:
        shape, filled, colour = styles[first.status]
        tip = (
            f"{first.label}: {100 * first.rate:.1f} % ({first.events:,} of {first.cases:,}), "
            f"{words[first.status]}"
        )
        if count > 1:
            tip += f" (and {count - 1:,} more {near} this point)"
        path = _marker(px, py, shape, size)
        points.append(FunnelPoint(px, py, shape, filled, colour, tip, path))  # type: ignore[arg-type]

    y_step = nice_step(y_high - y_low)
    y_ticks = [
        Tick(y(v), label) for v, label in linear_ticks(y_low, y_high, lambda v: _percent(v, y_step))
    ]
    raw_x = log_ticks(x_low, x_high) if log else linear_ticks(x_low, x_high, lambda v: f"{v:,.0f}")
    x_ticks = [Tick(x(v), label) for v, label in raw_x]
    scale = "log scale" if log else "linear scale"
    return FunnelPlot(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        x_label=f"cases per unit ({scale})",
        target_y=y(target),
        curves=curves,
        points=points,
        hidden=hidden,
        merged=merged,
        marker_size=size,
    )


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
                y=_r(cy),
                x=cx,
                low_x=low_x,
                high_x=high_x,
                value_text=fmt(item.value),
                shape=shape,  # type: ignore[arg-type]
                path=_marker(cx, cy, shape, 6.0),
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
    columns = [Tick(_r(label_width + (c + 0.5) * cell_w), t) for c, t in enumerate(column_labels)]
    rows = [Tick(_r(top + (r + 0.5) * cell_h), t) for r, t in enumerate(row_labels)]
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
    "small": {"font-size": "9.5", "font-style": "italic"},
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

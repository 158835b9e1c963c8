"""A funnel plot drawn in characters, for the terminal.

Pure layout: :func:`draw_funnel` returns lines of (text, style) segments and
knows nothing about terminals; :mod:`.render_rich` turns them into Rich text.
Every point and curve has its own glyph, so the chart reads without colour
(``NO_COLOR``): units ``●``, beyond 95 % ``△``/``▽``, beyond 99.8 %
``▲``/``▼``, the target ``─``, the 95 % limits ``┈`` and the 99.8 % limits
``━``. Where units share a cell the most severe glyph is shown.

The x axis is the number of cases (log scale when the largest unit has eight
or more times the cases of the smallest); the y axis is the rate, zoomed to
the units and the narrowest 99.8 % limits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from svcdiag.models.results import Status, UnitResult, VariationResult
from svcdiag.stats.funnel import funnel_limits

Segment = tuple[str, str]

GLYPHS = {
    Status.normal: "●",
    Status.alert_high: "△",
    Status.alert_low: "▽",
    Status.alarm_high: "▲",
    Status.alarm_low: "▼",
}
STYLES = {
    Status.normal: "cyan",
    Status.alert_high: "yellow",
    Status.alert_low: "yellow",
    Status.alarm_high: "bold red",
    Status.alarm_low: "bold red",
}
_SEVERITY = {
    Status.normal: 0,
    Status.alert_high: 1,
    Status.alert_low: 1,
    Status.alarm_high: 2,
    Status.alarm_low: 2,
}
TARGET = ("─", "green")
LIMIT95 = ("┈", "yellow")
LIMIT998 = ("━", "red")
AXIS_STYLE = "dim"
LABEL_WIDTH = 8
LOG_FROM_RATIO = 8.0
LEGEND: list[Segment] = [
    ("● unit  ", "cyan"),
    ("△▽ beyond 95 %  ", "yellow"),
    ("▲▼ beyond 99.8 %  ", "bold red"),
    ("─ target  ", "green"),
    ("┈ 95 %  ", "yellow"),
    ("━ 99.8 % limits", "red"),
]


@dataclass(frozen=True)
class _Axis:
    low: float
    high: float
    size: int
    log: bool = False

    def _scale(self, value: float) -> float:
        return math.log(value) if self.log else value

    def position(self, value: float) -> int:
        """Cell index of ``value`` (0 at ``low``), or -1/size when outside."""
        span = self._scale(self.high) - self._scale(self.low)
        if span <= 0:
            return self.size // 2
        share = (self._scale(value) - self._scale(self.low)) / span
        if share < -1e-9 or share > 1 + 1e-9:
            return -1 if share < 0 else self.size
        return round(share * (self.size - 1))

    def value_at(self, index: int) -> float:
        """The value at cell ``index``."""
        share = index / max(self.size - 1, 1)
        low, high = self._scale(self.low), self._scale(self.high)
        value = low + share * (high - low)
        return math.exp(value) if self.log else value


def _distinct_points(result: VariationResult) -> list[UnitResult]:
    """Return the first unit of each distinct (rate, cases, status), in order.

    Units sharing all three fall on the same cell with the same glyph, so the
    chart is laid out from these alone: a million units often hold a few
    thousand distinct points.
    """
    firsts: dict[tuple[float, int, Status], UnitResult] = {}
    for unit in result.units:
        firsts.setdefault((unit.rate, unit.cases, unit.status), unit)
    return list(firsts.values())


def _x_axis(points: list[UnitResult], size: int) -> _Axis:
    smallest = min(u.cases for u in points)
    largest = max(u.cases for u in points)
    if smallest == largest:
        return _Axis(smallest * 0.5, smallest * 1.5, size)
    return _Axis(smallest, largest, size, log=largest / smallest >= LOG_FROM_RATIO)


def _y_axis(result: VariationResult, points: list[UnitResult], size: int) -> _Axis:
    """Zoom on the units and the narrowest limits.

    The widest 95 % limits are shown as far as that at most triples the span:
    a few tiny units would otherwise flatten everything else. (The first
    unit with the most or fewest cases is always among the ``points``.)
    """
    largest = max(points, key=lambda u: u.cases)
    smallest = min(points, key=lambda u: u.cases)
    values = [u.rate for u in points]
    values += [result.target, largest.lower998, largest.upper998]
    low, high = min(values), max(values)
    span = high - low
    low = max(min(low, smallest.lower95), low - span)
    high = min(max(high, smallest.upper95), high + span)
    pad = (high - low) * 0.08 or max(result.target * 0.5, 0.01)
    return _Axis(max(0.0, low - pad), min(1.0, high + pad), size)


def _percent(value: float, span: float) -> str:
    digits = 2 if span < 0.05 else 1 if span < 0.5 else 0
    return f"{100 * value:.{digits}f}%"


def _count(value: float) -> str:
    return f"{round(value):,}"


def draw_funnel(
    result: VariationResult, *, width: int = 80, height: int = 15
) -> list[list[Segment]]:
    """Lay out the funnel plot of ``result`` in ``width`` columns (at least 40)."""
    width = max(width, 40)
    plot_width = width - LABEL_WIDTH - 1
    points = _distinct_points(result)
    x = _x_axis(points, plot_width)
    y = _y_axis(result, points, height)
    grid: list[list[Segment]] = [[(" ", "")] * plot_width for _ in range(height)]

    def put(row: int, col: int, cell: Segment) -> None:
        if 0 <= row < height and 0 <= col < plot_width:
            grid[row][col] = cell

    target_row = height - 1 - y.position(result.target)
    for col in range(plot_width):
        put(target_row, col, TARGET)
        cases = max(1, round(x.value_at(col)))
        limits = funnel_limits(result.target, cases, result.tau2)
        for value, cell in (
            (limits.lower998, LIMIT998),
            (limits.upper998, LIMIT998),
            (limits.lower95, LIMIT95),
            (limits.upper95, LIMIT95),
        ):
            put(height - 1 - y.position(value), col, cell)

    severity: dict[tuple[int, int], int] = {}
    for unit in points:
        spot = (height - 1 - y.position(unit.rate), x.position(unit.cases))
        rank = _SEVERITY[unit.status]
        if severity.get(spot, -1) < rank:
            severity[spot] = rank
            put(*spot, (GLYPHS[unit.status], STYLES[unit.status]))

    span = y.high - y.low
    labels = {0: y.high, height - 1: y.low, target_row: result.target}
    lines: list[list[Segment]] = []
    for row in range(height):
        label = _percent(labels[row], span) if row in labels else ""
        line: list[Segment] = [(f"{label:>{LABEL_WIDTH - 1}}", AXIS_STYLE), ("│", AXIS_STYLE)]
        line.extend(grid[row])
        lines.append(line)
    lines.append([(" " * (LABEL_WIDTH - 1) + "└" + "─" * plot_width, AXIS_STYLE)])
    lines.append([(_ticks(x, plot_width), AXIS_STYLE)])
    scale = "log scale" if x.log else "linear scale"
    lines.append([(" " * LABEL_WIDTH + f"cases per unit ({scale}); rate on the left", AXIS_STYLE)])
    lines.append(list(LEGEND))
    return lines


def _ticks(x: _Axis, plot_width: int) -> str:
    left = _count(x.value_at(0))
    middle = _count(x.value_at((plot_width - 1) // 2))
    right = _count(x.value_at(plot_width - 1))
    row = [" "] * plot_width
    row[: len(left)] = left
    start = max(len(left) + 1, (plot_width - len(middle)) // 2)
    if start + len(middle) < plot_width - len(right) - 1:
        row[start : start + len(middle)] = middle
    row[plot_width - len(right) :] = right
    return " " * LABEL_WIDTH + "".join(row)

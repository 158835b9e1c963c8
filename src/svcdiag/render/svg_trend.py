"""Geometry of a control chart: a measure per period with its centre line and limits.

Part of the HTML report's charts (see :mod:`.svg`). Each period sits at its
place on the calendar (``slots``): consecutive periods one step apart, and a
gap of five periods without data six steps wide, so the axis is in
proportion to time. The marks are joined by a line; the centre line runs
across the plot, and the upper and lower limits are drawn as step lines,
each period's limit level over its own step (a p-chart's limits change with
each period's cases; an XmR chart's are flat). A period a special-cause rule marks is a
triangle pointing up or down (solid red), every other one a blue circle, so
that shape carries the meaning as well as colour. An NPS period also shows
its own interval as a vertical whisker. The line and the limits break where
periods without data lie between two marks: they join only neighbours. The
period labels are thinned to at most :data:`MAX_X_LABELS` across the axis,
so that they never overlap, however the periods are spread. A gap more than
:data:`CUT_RATIO` times as long as the rest of the axis together (a mistyped
year, say) would squeeze every other period into a sliver: it is drawn only
as wide as the rest, and the axis is marked as cut there (``cut_x``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from svcdiag.render.svg import PALETTE, Scale, Tick, linear_ticks, rounded, triangle


@dataclass(frozen=True)
class PeriodValue:
    """What the chart needs of one period."""

    period: str
    value: float
    lower: float
    upper: float
    signal: bool
    tip: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class ControlPoint:
    """One period's mark on the chart."""

    x: float
    y: float
    shape: Literal["circle", "up", "down"]
    colour: str
    tip: str
    path: str
    low_y: float | None = None
    high_y: float | None = None


@dataclass(frozen=True)
class ChangeMark:
    """A known change a signal follows: a vertical line where its first period starts."""

    x: float
    label: str
    anchor: Literal["start", "end"]
    text_x: float


@dataclass(frozen=True)
class ControlChart:
    """The control chart's axes, lines and marks."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    centre_y: float
    target_y: float | None
    line: str
    upper: str
    lower: str
    points: list[ControlPoint]
    legend_y: float
    changes: list[ChangeMark]
    lines: list[str]
    #: Where the axis is cut (the middle of a gap drawn narrower than its length), if anywhere.
    cut_x: float | None = None


WIDTH, HEIGHT = 560, 300
#: Most period labels written under the x axis (the others are still marked).
MAX_X_LABELS = 8
#: A gap more than this many times as long as the rest of the axis is cut to the rest's width.
CUT_RATIO = 4


def step_path(
    xs: Sequence[float], ys: Sequence[float], half: float, breaks: Collection[int] = ()
) -> str:
    """An SVG path drawing ``ys[i]`` flat over ``xs[i] - half`` to ``xs[i] + half``.

    Neighbouring levels are joined by a vertical segment at the midpoint
    between their periods, so a limit that changes with each period's cases
    reads as a staircase rather than a slope. Before each index in
    ``breaks`` (a period after a gap) the path lifts and starts afresh.
    """
    parts = [f"M{rounded(xs[0] - half)} {ys[0]}"]
    for i, y in enumerate(ys):
        if i in breaks:
            parts.append(f"M{rounded(xs[i] - half)} {y}")
        elif i:
            parts.append(f"V{y}")
        parts.append(f"H{rounded(xs[i] + half)}")
    return "".join(parts)


def control_chart(
    periods: Sequence[PeriodValue],
    centre: float,
    fmt: Callable[[float], str],
    *,
    target: float | None = None,
    changes: Sequence[tuple[str, str]] = (),
    breaks: Collection[int] = (),
    slots: Sequence[int] | None = None,
) -> ControlChart:
    """Lay out ``periods`` against the centre line ``centre`` and their limits.

    ``fmt`` writes a value as the y axis labels it (a percentage, an NPS).
    ``changes`` are (period, label) of the known changes signals follow: each
    is drawn at the start of that period (once per period and label).
    ``breaks`` are the indices of the periods that follow a gap: the line
    joining the marks is cut before each. ``slots`` are the periods' places
    on the calendar, ascending (period numbers, or indices counting the
    periods without data): each period is drawn at its own, and the line and
    limits are cut wherever two follow with a slot between them. Without
    ``slots`` the periods are consecutive.
    The y axis spans every value, limit, the centre and the target, with a
    small margin; limits at a bound (a rate's 0) are drawn there.
    """
    left, right, top, bottom = 64.0, WIDTH - 16.0, 12.0, HEIGHT - 72.0
    count = len(periods)
    places = list(range(count)) if slots is None else [s - slots[0] for s in slots]
    if len(places) != count or any(b <= a for a, b in pairwise(places)):
        raise ValueError("slots must be ascending, one for each period")
    breaks = {*breaks, *(i for i in range(1, count) if places[i] - places[i - 1] > 1)}
    places, cut = _cut_longest_gap(places)
    step = (right - left) / (places[-1] + 1)
    # 0.1 keeps periods 0.2 or more apart distinct; an axis of thousands of
    # periods (days over years) needs finer places, or neighbours would meet
    digits = 1 if step >= 0.2 else 3
    xs = [round(left + step * (place + 0.5), digits) for place in places]
    values = [v for p in periods for v in (p.value, p.lower, p.upper)] + [centre]
    values += [v for p in periods for v in (p.low, p.high) if v is not None]
    if target is not None:
        values.append(target)
    low, high = min(values), max(values)
    pad = (high - low) * 0.06 or max(abs(centre) * 0.1, 0.01)
    y = Scale(low - pad, high + pad, bottom, top)

    points = []
    for x, p in zip(xs, periods, strict=True):
        py = y(p.value)
        shape: Literal["circle", "up", "down"] = "circle"
        colour = PALETTE["unit"]
        if p.signal:
            shape = "up" if p.value >= centre else "down"
            colour = PALETTE["limit998"]
        path = triangle(x, py, shape, 6.0)
        low_y = None if p.low is None else y(p.low)
        high_y = None if p.high is None else y(p.high)
        points.append(ControlPoint(x, py, shape, colour, p.tip, path, low_y, high_y))

    x_ticks = [Tick(xs[i], periods[i].period) for i in _labelled(places)]
    y_ticks = [Tick(y(v), fmt(v)) for v, _ in linear_ticks(low - pad, high + pad, fmt)]
    half = rounded(step / 2)
    where = {p.period: x for x, p in zip(xs, periods, strict=True)}
    marks = []
    for period, label in dict.fromkeys(changes):
        if period in where:
            at = rounded(where[period] - half)
            right_side = at > (left + right) / 2
            marks.append(
                ChangeMark(
                    at, label, "end" if right_side else "start", at + (-4 if right_side else 4)
                )
            )
    dotted = target is not None or bool(marks)  # a third legend row
    return ControlChart(
        width=WIDTH,
        height=HEIGHT + (18 if dotted else 0),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        centre_y=y(centre),
        target_y=None if target is None else y(target),
        line=" ".join(f"{p.x},{p.y}" for p in points),
        upper=step_path(xs, [y(p.upper) for p in periods], half, breaks),
        lower=step_path(xs, [y(p.lower) for p in periods], half, breaks),
        points=points,
        legend_y=bottom + 42,
        changes=marks,
        lines=_segments(points, breaks),
        cut_x=None if cut is None else rounded((xs[cut - 1] + xs[cut]) / 2),
    )


def _cut_longest_gap(places: list[int]) -> tuple[list[int], int | None]:
    """Narrow a gap more than :data:`CUT_RATIO` times the rest of the axis to the rest's width.

    Returns the places, and the index of the period after the gap so cut
    (None when no gap is that long; at most one can be).
    """
    if len(places) < 2:
        return places, None
    at = max(range(1, len(places)), key=lambda i: places[i] - places[i - 1])
    empty = places[at] - places[at - 1] - 1
    rest = places[-1] + 1 - empty
    if empty <= CUT_RATIO * rest:
        return places, None
    shift = empty - rest
    return places[:at] + [place - shift for place in places[at:]], at


def _labelled(places: Sequence[int]) -> list[int]:
    """The indices of the periods labelled: the first, then each one far enough from the last.

    Labels stand at least ``1 / MAX_X_LABELS`` of the axis apart, counted in
    slots, so they cannot overlap; periods one slot apart get every
    ``ceil(count / MAX_X_LABELS)``-th label, as on any evenly spaced axis.
    """
    every = max(1, math.ceil((places[-1] + 1) / MAX_X_LABELS))
    chosen = [0]
    for i in range(1, len(places)):
        if places[i] - places[chosen[-1]] >= every:
            chosen.append(i)
    return chosen


def _segments(points: Sequence[ControlPoint], breaks: Collection[int]) -> list[str]:
    """The ``points`` of each polyline: the marks joined, cut before each of ``breaks``."""
    segments: list[list[str]] = [[]]
    for i, p in enumerate(points):
        if i in breaks and segments[-1]:
            segments.append([])
        segments[-1].append(f"{p.x},{p.y}")
    return [" ".join(segment) for segment in segments]

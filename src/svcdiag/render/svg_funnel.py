"""Geometry of the funnel plot: units' rates against their cases, with limit curves.

Part of the HTML report's charts (see :mod:`.svg`): the target rate, the 95 %
and 99.8 % limits for every size of unit (Spiegelhalter 2005) drawn as
curves, and one mark per unit whose shape tells its status. Crowded plots
merge nearby units of one status into one mark rather than dropping any.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from svcdiag.render.svg import (
    PALETTE,
    Scale,
    Tick,
    linear_ticks,
    log_ticks,
    nice_step,
    triangle,
)


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
        path = triangle(px, py, shape, size)
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

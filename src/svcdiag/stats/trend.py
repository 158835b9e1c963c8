"""Control charts over time and their special-cause signals (pure functions).

Charts (Shewhart; the formulas of the project's methods notes):

* **p-chart**, for a proportion per period (complaint rate, repeat contacts):
  centre p = sum(x) / sum(n); limits p +/- 3 sqrt(p (1 - p) / n_t), floored
  at 0 and capped at 1, so they widen for a quiet period.
* **XmR chart**, for one measured value per period (the period's mean CSAT or
  handling time): centre the mean X of the period values; moving ranges
  MR_t = |X_t - X_(t-1)|; limits X +/- 2.66 MR (2.66 = 3 / d2, d2 = 1.128);
  the upper limit of the moving ranges is 3.267 MR.
* **NPS chart**: centre the NPS of all answers pooled; limits centre +/- 3
  standard errors of an NPS of n_t answers at the pooled shares,
  100 x sqrt((pP + pD - (pP - pD)^2) / n_t), clipped to the scale. Each
  period also gets its own adjusted-Wald interval (see :mod:`.nps`).

Signals, the three rules of the Western Electric Statistical Quality Control
Handbook (1956) as numbered by Nelson (Journal of Quality Technology 16(4),
1984), and no more, since every rule added raises the rate of false alarms:

1. **beyond limits**: a point above the upper or below the lower limit;
2. **shift**: 8 points in a row on the same side of the centre line (Nelson
   uses 9; 8 is the Western Electric run, a point on the line breaks it);
3. **trend**: 6 points in a row each higher (or each lower) than the one
   before (a tie breaks it).

A period without data between the first and the last (a **gap**) breaks a
run: rules 2 and 3 count only periods that follow one another, and an XmR
chart takes no moving range across a gap (the range over a gap measures the
drift of the missing periods as well, not the short-term noise). ``breaks``
names the points that follow a gap.

For a stable process of 24 periods, the chance of any signal is roughly
24 x 0.0027 for rule 1, and a few per cent each for rules 2 and 3.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from svcdiag.models.trend import SHIFT_RUN, TREND_RUN, Direction, Rule
from svcdiag.stats.nps import NpsCounts, adjusted_wald

SIGMA = 3.0
XMR_FACTOR = 2.66
MR_FACTOR = 3.267


@dataclass(frozen=True)
class ChartLimits:
    """A chart's centre line and its limits for every point."""

    centre: float
    lower: list[float]
    upper: list[float]
    mr_upper: float | None = None


@dataclass(frozen=True)
class RawSignal:
    """A rule that fired, over points ``start`` to ``end`` (inclusive)."""

    rule: Rule
    start: int
    end: int
    direction: Direction


def p_chart(events: Sequence[int], cases: Sequence[int]) -> ChartLimits:
    """Return p-chart limits for ``events`` among ``cases`` per period."""
    if not cases or any(n <= 0 for n in cases):
        raise ValueError("every period needs at least one case")
    centre = sum(events) / sum(cases)
    spread = [SIGMA * math.sqrt(centre * (1.0 - centre) / n) for n in cases]
    return ChartLimits(
        centre,
        [max(0.0, centre - s) for s in spread],
        [min(1.0, centre + s) for s in spread],
    )


def xmr_chart(values: Sequence[float], breaks: Collection[int] = ()) -> ChartLimits:
    """Return XmR limits for one value per period.

    Moving ranges are taken between neighbours only: not from a point in
    ``breaks`` (one that follows a gap) to the one before it. At least one
    moving range must remain.
    """
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two values")
    centre = sum(values) / len(values)
    ranges = [abs(values[i] - values[i - 1]) for i in range(1, len(values)) if i not in breaks]
    if not ranges:
        raise ValueError("an XmR chart needs two values in consecutive periods")
    mean_range = sum(ranges) / len(ranges)
    half = XMR_FACTOR * mean_range
    count = len(values)
    return ChartLimits(
        centre, [centre - half] * count, [centre + half] * count, MR_FACTOR * mean_range
    )


def nps_chart(counts: Sequence[NpsCounts]) -> ChartLimits:
    """Return limits for the NPS of each period around the pooled NPS."""
    pooled = NpsCounts(
        sum(c.promoters for c in counts),
        sum(c.passives for c in counts),
        sum(c.detractors for c in counts),
    )
    if any(c.n == 0 for c in counts):
        raise ValueError("every period needs at least one answer")
    promoters, detractors = pooled.promoters / pooled.n, pooled.detractors / pooled.n
    variance = promoters + detractors - (promoters - detractors) ** 2
    centre = pooled.score()
    spread = [100.0 * SIGMA * math.sqrt(variance / c.n) for c in counts]
    return ChartLimits(
        centre,
        [max(-100.0, centre - s) for s in spread],
        [min(100.0, centre + s) for s in spread],
    )


def nps_interval(counts: NpsCounts, confidence: float = 0.95) -> tuple[float, float]:
    """Return the adjusted-Wald interval of one period's NPS."""
    return adjusted_wald(counts, confidence)


def find_signals(
    values: Sequence[float], limits: ChartLimits, breaks: Collection[int] = ()
) -> list[RawSignal]:
    """Apply the three rules to a series; signals in order of their first point.

    A run (rules 2 and 3) never spans a gap: it ends before each point of
    ``breaks`` and a new one may start there.
    """
    found: list[RawSignal] = []
    for i, value in enumerate(values):
        if value > limits.upper[i]:
            found.append(RawSignal(Rule.beyond_limits, i, i, Direction.up))
        elif value < limits.lower[i]:
            found.append(RawSignal(Rule.beyond_limits, i, i, Direction.down))
    found += _runs(
        [(v > limits.centre) - (v < limits.centre) for v in values],
        SHIFT_RUN,
        Rule.shift,
        breaks,
    )
    # step j goes from point j to j + 1; one into a point after a gap is no step
    steps = [
        0 if j + 1 in breaks else (b > a) - (b < a)
        for j, (a, b) in enumerate(itertools.pairwise(values))
    ]
    found += [
        RawSignal(Rule.trend, s.start, s.end + 1, s.direction)
        for s in _runs(steps, TREND_RUN - 1, Rule.trend)
    ]
    return sorted(found, key=lambda s: (s.start, s.end))


def _runs(
    signs: Sequence[int], length: int, rule: Rule, breaks: Collection[int] = ()
) -> list[RawSignal]:
    """Maximal runs of at least ``length`` equal non-zero signs, cut before ``breaks``."""
    runs: list[RawSignal] = []
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start] or i in breaks:
            if signs[start] != 0 and i - start >= length:
                direction = Direction.up if signs[start] > 0 else Direction.down
                runs.append(RawSignal(rule, start, i - 1, direction))
            start = i
    return runs

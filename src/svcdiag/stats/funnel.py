"""Funnel analysis of a rate across units (Spiegelhalter, Stat Med 2005;24:1185-1202).

Each unit (agent, team, branch) has ``events`` in ``cases``; its rate is
compared with one target ``p0`` (the pooled rate sum(events) / sum(cases),
unless given). Limits at 95 % ("alert") and 99.8 % ("alarm") narrow as a
unit's number of cases grows, which is what makes the comparison fair between
units of different sizes.

Limits:

* **exact** when the binomial spread is small, n x p0 x (1 - p0) <
  :data:`EXACT_BELOW_VARIANCE` (a standard deviation under 10 events): the
  interpolated binomial quantiles of Spiegelhalter's appendix, whose skewed
  tails the normal curve misjudges there;
* **normal** otherwise: p0 +/- z x sqrt(p0 (1 - p0) / n);
* **normal with tau squared** whenever an overdispersion adjustment applies:
  p0 +/- z x sqrt(s^2 + tau^2).

Overdispersion: z_i = (y_i - p0) / s_i, winsorised at their 10th and 90th
percentiles (linear interpolation between order statistics), phi = mean of
the squared winsorised z. If I x phi > I - 1, the additive random-effects
variance is tau^2 = (I x phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1/s^2.

Judging a unit against exact limits: its count y is compared at the middle of
its step, y - 1/2, with the interpolated limit. That is exactly the mid-p
binomial test, whose false-alarm rate is close to nominal. Comparing y
itself would flag, for instance, every single event in a unit of one case as
beyond 99.8 % whenever p0 > 0.1 %. So a rate less than half a case beyond a
shown exact limit is not flagged. Normal limits compare the rate itself.
Limits are stored clipped to [0, 1]; units are judged on the unclipped ones.

Few units: the adjustment is applied by default only with at least
:data:`MIN_UNITS_FOR_ADJUSTMENT` (20) units. Spiegelhalter (2005, 2012) built
it for comparisons of many institutions, and FunnelPlotR applies it whenever
asked, leaving the judgement to the user; the estimate itself shows why it
needs many units. Winsorising 10 % at each end protects phi from outliers
only when that share is at least one unit at each end, and from one or two
at once with 20 units; below that a single extreme unit makes phi, and so
tau squared, as large as it likes. Then the widened limits can hold anything:
four agents at 0 %, 100 %, 0 % and 100 % of 50 cases each would all be
"normal", the spread they show being taken as the system's own. With fewer
units the plain binomial limits are kept, and the result says so
(``adjustment: few_units``); ``overdispersion=True`` applies it anyway.

Verdict: special cause when any unit lies beyond its 99.8 % limits (after
any adjustment), common cause otherwise.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from svcdiag.models.results import Adjustment, Status, UnitResult, VariationResult, Verdict
from svcdiag.stats.distributions import interpolated_binomial_quantile, two_sided_z

#: Exact binomial limits are used below this binomial variance n x p0 x (1 - p0).
EXACT_BELOW_VARIANCE = 100.0
#: Two-sided coverage of the alert and alarm limits.
ALERT_COVERAGE = 0.95
ALARM_COVERAGE = 0.998
#: Share of z-scores pulled in at each end before phi is estimated.
WINSOR_SHARE = 0.10
#: Fewest units for which the tau squared adjustment is applied by default.
MIN_UNITS_FOR_ADJUSTMENT = 20

Method = Literal["exact", "normal"]


class UnitCount(NamedTuple):
    """Events and cases of one unit, as tallied from the data."""

    unit: str
    events: int
    cases: int


#: A unit as a query's row gives it: name, events, cases, then its count of
#: refused rows (0 once checked). Used as it comes, a million rows are not copied.
UnitRow = tuple[str, int, int, int]
#: What :func:`analyse_units` takes: each unit's name, events and cases first.
Units = Sequence[UnitCount] | Sequence[UnitRow]

_NAME_OF = itemgetter(0)
_COUNTS_OF = itemgetter(1, 2)


@dataclass(frozen=True)
class Limits:
    """Funnel limits for one number of cases, as proportions (not clipped)."""

    lower95: float
    upper95: float
    lower998: float
    upper998: float
    method: Method

    def clipped(self) -> Limits:
        """The limits clipped to the possible rates, 0 to 1."""
        return Limits(
            _clip(self.lower95),
            _clip(self.upper95),
            _clip(self.lower998),
            _clip(self.upper998),
            self.method,
        )


def uses_exact(cases: int, target: float, tau2: float = 0.0) -> bool:
    """Whether the limits for ``cases`` are exact binomial ones."""
    return tau2 == 0.0 and cases * target * (1.0 - target) < EXACT_BELOW_VARIANCE


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def exact_limits(target: float, cases: int) -> Limits:
    """Return interpolated exact binomial limits for ``cases`` at rate ``target``.

    Low limits may be below 0 and high ones below the target for tiny
    ``cases``; :meth:`Limits.clipped` gives the displayable ones.
    """
    bounds = []
    for coverage in (ALERT_COVERAGE, ALARM_COVERAGE):
        tail = (1.0 - coverage) / 2.0
        low = interpolated_binomial_quantile(tail, cases, target) / cases
        high = interpolated_binomial_quantile(1.0 - tail, cases, target) / cases
        bounds.append((low, high))
    (low95, high95), (low998, high998) = bounds
    return Limits(low95, high95, low998, high998, "exact")


_ALERT_Z = two_sided_z(ALERT_COVERAGE)
_ALARM_Z = two_sided_z(ALARM_COVERAGE)


def normal_limits(target: float, cases: int, tau2: float = 0.0) -> Limits:
    """Return normal-approximation limits, widened by ``tau2`` if it is positive."""
    spread = math.sqrt(target * (1.0 - target) / cases + tau2)
    alert = _ALERT_Z * spread
    alarm = _ALARM_Z * spread
    return Limits(target - alert, target + alert, target - alarm, target + alarm, "normal")


def funnel_limits(target: float, cases: int, tau2: float = 0.0) -> Limits:
    """Return the limits svcdiag uses for a unit with ``cases`` cases."""
    if uses_exact(cases, target, tau2):
        return exact_limits(target, cases)
    return normal_limits(target, cases, tau2)


def percentile(ordered: Sequence[float], share: float) -> float:
    """Return the ``share`` percentile of sorted values, interpolating linearly."""
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def winsorised_phi(z_scores: Sequence[float], share: float = WINSOR_SHARE) -> float:
    """Return the mean squared z-score after pulling in the extreme ``share`` at each end."""
    return counted_winsorised_phi([(z, 1) for z in z_scores], share)


def counted_winsorised_phi(
    z_counts: Sequence[tuple[float, int]], share: float = WINSOR_SHARE
) -> float:
    """:func:`winsorised_phi` of z-scores given once each with how many units have them.

    Percentiles are taken over all the units, as if each z-score were listed
    as often as it is counted: a million units of a few thousand distinct
    counts cost a few thousand steps. Sums are exactly rounded
    (:func:`math.fsum`), so the order the units come in does not change phi.
    """
    ordered_counts = sorted((z, count) for z, count in z_counts if count > 0)
    ordered = [z for z, _ in ordered_counts]
    ends = list(itertools.accumulate(count for _, count in ordered_counts))
    total = ends[-1]

    def order_statistic(index: int) -> float:
        return ordered[bisect.bisect_right(ends, index)]

    def at_share(wanted: float) -> float:
        position = wanted * (total - 1)
        below = math.floor(position)
        above = min(below + 1, total - 1)
        low_value = order_statistic(below)
        return low_value + (position - below) * (order_statistic(above) - low_value)

    low, high = at_share(share), at_share(1.0 - share)
    return math.fsum(count * min(max(z, low), high) ** 2 for z, count in z_counts) / total


def tau_squared(phi: float, variances: Sequence[float]) -> float:
    """Return the additive between-unit variance, 0 when phi shows no overdispersion."""
    return counted_tau_squared(phi, [(v, 1) for v in variances])


def counted_tau_squared(phi: float, variance_counts: Sequence[tuple[float, int]]) -> float:
    """:func:`tau_squared` of variances given once each with how many units have them.

    Sums are exactly rounded (:func:`math.fsum`), whatever the order.
    """
    count = sum(units for _, units in variance_counts)
    excess = count * phi - (count - 1)
    if excess <= 0:
        return 0.0
    total = math.fsum(units / v for v, units in variance_counts)
    squares = math.fsum(units / (v * v) for v, units in variance_counts)
    return excess / (total - squares / total)


def judged_rate(events: int, cases: int, method: Method) -> float:
    """The rate compared with the limits: mid-step (y - 1/2) / n for exact limits."""
    return (events - 0.5) / cases if method == "exact" else events / cases


def status_for(rate: float, limits: Limits) -> Status:
    """Classify a (judged) rate against unclipped limits; on a limit counts as inside."""
    if rate > limits.upper998:
        return Status.alarm_high
    if rate < limits.lower998:
        return Status.alarm_low
    if rate > limits.upper95:
        return Status.alert_high
    if rate < limits.lower95:
        return Status.alert_low
    return Status.normal


@dataclass(frozen=True)
class Fit:
    """The funnel analysis of units given as counts of distinct (events, cases) pairs.

    Everything but a unit's name depends only on its events and cases, and
    units often share those (a million agents hold a few thousand distinct
    pairs): the statistics are worked out over the distinct pairs, each
    counted as often as units have it, and each pair's values once.
    """

    target: float
    phi: float
    tau2: float
    adjustment: Adjustment
    verdict: Verdict
    #: How many units there are.
    units: int
    #: Each pair's fields of :class:`UnitResult` (``unit`` left empty), made by
    #: :meth:`UnitResult.shared_fields`.
    values: dict[tuple[int, int], dict[str, Any]]


def fit_pairs(
    pairs: Counter[tuple[int, int]],
    *,
    target: float | None = None,
    overdispersion: bool | None = None,
) -> Fit:
    """Run the funnel analysis over units counted by their (events, cases).

    Args:
        pairs: how many units have each (events, cases); at least two units,
            each with at least one case and at most as many events.
        target: the rate to compare with; the pooled rate when ``None``.
        overdispersion: apply the tau squared adjustment, as for
            :func:`analyse_units`.

    Raises:
        ValueError: fewer than two units, a pair without cases or with more
            events than cases, or a target of exactly 0 or 1.
    """
    count = sum(pairs.values())
    if count < 2:
        raise ValueError("a funnel analysis needs at least two units")
    if any(cases <= 0 for _, cases in pairs):
        raise ValueError("every unit needs at least one case")
    if any(not 0 <= events <= cases for events, cases in pairs):
        raise ValueError("events must lie between 0 and the cases")
    pooled = sum(e * n for (e, _), n in pairs.items()) / sum(c * n for (_, c), n in pairs.items())
    p0 = pooled if target is None else target
    if not 0.0 < p0 < 1.0:
        raise ValueError(f"the target rate must lie strictly between 0 and 1, not {p0}")

    variances = [(p0 * (1.0 - p0) / cases, n) for (_, cases), n in pairs.items()]
    z_plain = [
        ((events / cases - p0) / math.sqrt(v), n)
        for ((events, cases), _), (v, n) in zip(pairs.items(), variances, strict=True)
    ]
    phi = counted_winsorised_phi(z_plain)
    enough = count >= MIN_UNITS_FOR_ADJUSTMENT
    apply = enough if overdispersion is None else overdispersion
    tau2 = counted_tau_squared(phi, variances) if apply else 0.0
    if tau2 > 0:
        adjustment: Adjustment = "applied"
    elif count * phi <= count - 1:
        adjustment = "not_needed"
    else:
        adjustment = "turned_off" if overdispersion is False else "few_units"

    by_cases: dict[int, tuple[Limits, Limits]] = {}
    values = {
        pair: UnitResult.shared_fields(_pair_values(*pair, p0, tau2, by_cases)) for pair in pairs
    }
    alarms = any(fields["status"].is_alarm for fields in values.values())
    verdict = Verdict.special_cause if alarms else Verdict.common_cause
    return Fit(p0, phi, tau2, adjustment, verdict, count, values)


def analyse_units(
    units: Units,
    *,
    target: float | None = None,
    overdispersion: bool | None = None,
) -> VariationResult:
    """Run the funnel analysis over tallied units.

    Args:
        units: two or more units, each with at least one case: its name,
            events and cases first (a :class:`UnitCount`, or a query's row).
        target: the rate to compare with; the pooled rate when ``None``.
        overdispersion: apply the tau squared adjustment when phi calls for
            it: ``True`` always, ``False`` never, ``None`` (the default) when
            there are at least :data:`MIN_UNITS_FOR_ADJUSTMENT` units.

    Raises:
        ValueError: fewer than two units, a unit without cases, or a target
            of exactly 0 or 1 (callers check these and report them in the
            user's terms).
    """
    counts_of = _COUNTS_OF  # (events, cases) of a unit, read in C: a million take 0.1 s
    pairs: Counter[tuple[int, int]] = Counter(map(counts_of, units))
    if all(cases > 0 for _, cases in pairs):  # else fit_pairs names the problem
        for events, cases in pairs:
            if not 0 <= events <= cases:
                name = next(u[0] for u in units if (u[1], u[2]) == (events, cases))
                raise ValueError(f"unit {name!r}: events must lie between 0 and the cases")
    fit = fit_pairs(pairs, target=target, overdispersion=overdispersion)
    values_of = map(fit.values.__getitem__, map(counts_of, units))
    results = list(map(UnitResult.computed, values_of, map(_NAME_OF, units)))
    return result_of(fit, results, given=target is not None)


def result_of(fit: Fit, units: list[UnitResult], *, given: bool) -> VariationResult:
    """The result of ``fit`` listing ``units`` (none, for a summary); ``given``: a --target."""
    # Built without validation: every value above is valid by construction.
    return VariationResult.model_construct(
        target=fit.target,
        phi=fit.phi,
        tau2=fit.tau2,
        verdict=fit.verdict,
        units=units,
        target_source="given" if given else "pooled",
        adjustment=fit.adjustment,
    )


def _pair_values(
    events: int, cases: int, p0: float, tau2: float, by_cases: dict[int, tuple[Limits, Limits]]
) -> dict[str, Any]:
    """Return the fields of the result of every unit with these counts (its name left empty).

    Limits are looked up in, or added to, ``by_cases``.
    """
    cached = by_cases.get(cases)
    if cached is None:
        limits = funnel_limits(p0, cases, tau2)
        cached = by_cases[cases] = (limits, limits.clipped())
    limits, shown = cached
    rate = events / cases
    variance = p0 * (1.0 - p0) / cases
    return {
        "unit": "",
        "events": events,
        "cases": cases,
        "rate": rate,
        "z": (rate - p0) / math.sqrt(variance + tau2),
        "lower95": shown.lower95,
        "upper95": shown.upper95,
        "lower998": shown.lower998,
        "upper998": shown.upper998,
        "status": status_for(judged_rate(events, cases, limits.method), limits),
        "method": limits.method,
    }

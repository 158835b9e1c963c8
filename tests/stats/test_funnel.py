"""Funnel limits, overdispersion and verdicts: hand-worked numbers and simulations."""

from __future__ import annotations

import math
import random
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.models.results import Status, Verdict
from svcdiag.stats.distributions import (
    binomial_cdf,
    interpolated_binomial_quantile,
    two_sided_z,
)
from svcdiag.stats.funnel import (
    EXACT_BELOW_VARIANCE,
    Limits,
    UnitCount,
    analyse_units,
    counted_tau_squared,
    counted_winsorised_phi,
    exact_limits,
    funnel_limits,
    judged_rate,
    normal_limits,
    status_for,
    tau_squared,
    uses_exact,
    winsorised_phi,
)


def brute_cdf(k: int, n: int, p: Fraction) -> Fraction:
    """P(R <= k) by summing the binomial terms in exact fractions."""
    return sum((math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)), Fraction(0))


def brute_quantile(q: float, n: int, p: Fraction) -> float:
    """Spiegelhalter's interpolated quantile, by walking the exact CDF from 0."""
    qq = Fraction(q)
    r, previous = 0, Fraction(0)
    current = brute_cdf(0, n, p)
    while current < qq:
        r += 1
        previous, current = current, brute_cdf(r, n, p)
    return float(r - (current - qq) / (current - previous))


def test_multipliers_match_methods() -> None:
    assert two_sided_z(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert two_sided_z(0.998) == pytest.approx(3.090232, abs=1e-6)


def test_exact_limits_half_and_four() -> None:
    # Binomial(4, 0.5): F(0..4) = 1/16, 5/16, 11/16, 15/16, 1.
    # upper 95 %: r = 4, alpha = (1 - 0.975) / (1/16) = 0.4    -> (4 - 0.4) / 4 = 0.9
    # upper 99.8 %: r = 4, alpha = 0.001 * 16 = 0.016          -> 3.984 / 4 = 0.996
    # lower 95 %: r = 0, alpha = (1/16 - 0.025) * 16 = 0.6      -> -0.15, clipped to 0
    limits = exact_limits(0.5, 4)
    assert limits.upper95 == pytest.approx(0.9)
    assert limits.upper998 == pytest.approx(0.996)
    assert limits.lower95 == pytest.approx(-0.15)
    assert limits.clipped().lower95 == 0.0
    assert limits.clipped().lower998 == 0.0
    assert interpolated_binomial_quantile(0.025, 4, 0.5) == pytest.approx(-0.6)


def test_exact_limits_tenth_and_twenty() -> None:
    # Binomial(20, 0.1): F(4) = 0.956826, F(5) = 0.988747, F(6) = 0.997614, F(7) = 0.999584
    # upper 95 %: r = 5, alpha = (0.988747 - 0.975) / 0.031921 = 0.43066 -> 0.228467
    # upper 99.8 %: r = 7, alpha = (0.999584 - 0.999) / 0.001970 = 0.29656 -> 0.335172
    limits = exact_limits(0.1, 20)
    assert limits.upper95 == pytest.approx(0.228467, abs=1e-6)
    assert limits.upper998 == pytest.approx(0.335172, abs=1e-6)
    assert limits.clipped().lower95 == 0.0  # F(0) = 0.1216 > 0.025: nothing below is unusual
    assert limits.method == "exact"


def test_exact_limits_three_tenths_and_fifty() -> None:
    # Binomial(50, 0.3): F(5) = 0.000723, F(6) = 0.002494; F(24) = 0.997630, F(25) = 0.999067
    # lower 99.8 %: r = 6, alpha = (0.002494 - 0.001) / 0.001771 = 0.8436 -> 0.103130
    # upper 99.8 %: r = 25, alpha = (0.999067 - 0.999) / 0.001436 = 0.0464 -> 0.499070
    limits = exact_limits(0.3, 50)
    assert limits.lower998 == pytest.approx(0.103130, abs=1e-6)
    assert limits.upper998 == pytest.approx(0.499070, abs=1e-6)


@pytest.mark.parametrize(
    ("p0", "n"),
    [(0.5, 4), (0.1, 20), (0.3, 50), (0.02, 150), (0.9, 60), (0.05, 400), (0.5, 399)],
)
def test_exact_limits_match_brute_force(p0: float, n: int) -> None:
    exact = Fraction(p0).limit_denominator(1000)
    limits = exact_limits(p0, n)
    for coverage, low, high in (
        (0.95, limits.lower95, limits.upper95),
        (0.998, limits.lower998, limits.upper998),
    ):
        tail = (1 - coverage) / 2
        assert low == pytest.approx(brute_quantile(tail, n, exact) / n, abs=1e-9)
        assert high == pytest.approx(brute_quantile(1 - tail, n, exact) / n, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 120), st.sampled_from([0.01, 0.07, 0.25, 0.5, 0.8, 0.97]), st.data())
def test_cdf_matches_brute_force(n: int, p: float, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    expected = float(brute_cdf(k, n, Fraction(p)))
    assert binomial_cdf(k, n, p) == pytest.approx(expected, abs=1e-12)


def test_normal_limits_hand_worked() -> None:
    # p0 = 0.2, n = 1000: s = sqrt(0.16 / 1000) = 0.0126491
    # 95 %: 0.2 -/+ 1.959964 * s = 0.2 -/+ 0.0247918; 99.8 %: 0.2 -/+ 3.090232 * s = 0.0390887
    limits = normal_limits(0.2, 1000)
    assert (limits.lower95, limits.upper95) == pytest.approx((0.1752082, 0.2247918), abs=1e-7)
    assert (limits.lower998, limits.upper998) == pytest.approx((0.1609113, 0.2390887), abs=1e-7)


def test_normal_limits_with_tau2() -> None:
    # p0 = 0.2, n = 100, tau2 = 0.001: sqrt(0.0016 + 0.001) = 0.0509902
    # 95 %: -/+ 0.0999389; 99.8 %: -/+ 0.1575715
    limits = normal_limits(0.2, 100, 0.001)
    assert (limits.lower95, limits.upper95) == pytest.approx((0.1000611, 0.2999389), abs=1e-7)
    assert (limits.lower998, limits.upper998) == pytest.approx((0.0424285, 0.3575715), abs=1e-7)


def test_exact_below_threshold_normal_above() -> None:
    # n * 0.2 * 0.8 = 0.16 n: 624 -> 99.84 (exact), 625 -> 100 (normal)
    assert EXACT_BELOW_VARIANCE == 100
    assert uses_exact(624, 0.2)
    assert not uses_exact(625, 0.2)
    assert funnel_limits(0.2, 624).method == "exact"
    assert funnel_limits(0.2, 625).method == "normal"
    assert funnel_limits(0.2, 50, tau2=0.01).method == "normal"


def test_exact_and_normal_agree_where_they_meet() -> None:
    exact = exact_limits(0.2, 624)
    normal = normal_limits(0.2, 624)
    assert exact.upper95 == pytest.approx(normal.upper95, abs=0.003)
    assert exact.lower998 == pytest.approx(normal.lower998, abs=0.004)


def test_winsorised_phi_against_statistics_quantiles() -> None:
    z = [-3.1, -1.2, -0.4, 0.0, 0.3, 0.5, 0.9, 1.4, 2.2, 6.0]
    q10, *_, q90 = statistics.quantiles(z, n=10, method="inclusive")
    # positions 0.9 and 8.1 of the sorted list: -3.1 + 0.9 * 1.9 = -1.39; 2.2 + 0.1 * 3.8 = 2.58
    assert (q10, q90) == pytest.approx((-1.39, 2.58))
    pulled = [min(max(v, q10), q90) for v in z]
    assert winsorised_phi(z) == pytest.approx(sum(v * v for v in pulled) / 10)
    assert winsorised_phi(z) == pytest.approx(
        (1.39**2 + 1.2**2 + 0.4**2 + 0 + 0.3**2 + 0.5**2 + 0.9**2 + 1.4**2 + 2.2**2 + 2.58**2) / 10
    )


def test_tau_squared_hand_worked() -> None:
    # I = 4, phi = 2; s^2 = 0.01, 0.01, 0.02, 0.04 -> w = 100, 100, 50, 25
    # sum w = 275, sum w^2 = 23125, sum w^2 / sum w = 84.0909
    # tau^2 = (4 * 2 - 3) / (275 - 84.0909) = 5 / 190.9091 = 0.0261905
    assert tau_squared(2.0, [0.01, 0.01, 0.02, 0.04]) == pytest.approx(0.0261905, abs=1e-7)
    assert tau_squared(0.75, [0.01, 0.01, 0.02, 0.04]) == 0.0  # 4 * 0.75 = 3 = I - 1


counted_values = st.lists(
    st.tuples(
        st.floats(min_value=-50, max_value=50, allow_nan=False),
        st.integers(min_value=0, max_value=6),
    ),
    min_size=1,
    max_size=12,
).filter(lambda pairs: sum(n for _, n in pairs) >= 2)


@settings(max_examples=200, deadline=None)
@given(counted_values)
def test_counted_phi_is_phi_of_every_unit_listed(pairs: list[tuple[float, int]]) -> None:
    # Independent reference: list each z as often as it is counted, and take
    # the percentiles with the statistics module (inclusive = linear between
    # order statistics).
    listed = [z for z, n in pairs for _ in range(n)]
    cuts = statistics.quantiles(listed, n=10, method="inclusive")
    low, high = cuts[0], cuts[-1]
    expected = sum(min(max(z, low), high) ** 2 for z in listed) / len(listed)
    assert counted_winsorised_phi(pairs) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(min_value=1e-4, max_value=1.0), st.integers(min_value=1, max_value=5)),
        min_size=2,
        max_size=10,
    ),
    st.floats(min_value=0.0, max_value=20.0),
)
def test_counted_tau_squared_is_tau_squared_of_every_unit(
    pairs: list[tuple[float, int]], phi: float
) -> None:
    listed = [v for v, n in pairs for _ in range(n)]
    expected = reference_tau_squared(phi, listed)
    assert counted_tau_squared(phi, pairs) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert tau_squared(phi, listed) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def reference_phi(z: list[float]) -> float:
    """phi as METHODS writes it: z winsorised at its 10th and 90th percentiles, squares averaged."""
    cuts = statistics.quantiles(z, n=10, method="inclusive")
    return sum(min(max(v, cuts[0]), cuts[-1]) ** 2 for v in z) / len(z)


def reference_tau_squared(phi: float, variances: list[float]) -> float:
    """tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1 / s^2; 0 if not positive."""
    count = len(variances)
    weights = [1 / v for v in variances]
    excess = count * phi - (count - 1)
    if excess <= 0:
        return 0.0
    return excess / (sum(weights) - sum(w * w for w in weights) / sum(weights))


def event_counts(
    most_events: int, cases: tuple[int, int], units: tuple[int, int]
) -> st.SearchStrategy[list[tuple[int, int]]]:
    """(events, cases) of ``units`` units, with some events and some non-events in all."""
    return st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=most_events),
            st.integers(min_value=cases[0], max_value=cases[1]),
        ),
        min_size=units[0],
        max_size=units[1],
    ).filter(lambda found: 0 < sum(e for e, _ in found) < sum(c for _, c in found))


@settings(max_examples=60, deadline=None)
@given(event_counts(5, cases=(5, 40), units=(2, 40)))
def test_analysis_over_distinct_counts_matches_unit_by_unit(units: list[tuple[int, int]]) -> None:
    # Worked unit by unit, as the method is written: pooled rate, one z each,
    # phi and tau squared from every unit's values, then each unit's own limits.
    counted = [UnitCount(f"U{i}", e, c) for i, (e, c) in enumerate(units)]
    result = analyse_units(counted)
    p0 = sum(e for e, _ in units) / sum(c for _, c in units)
    variances = [p0 * (1 - p0) / c for _, c in units]
    z = [(e / c - p0) / math.sqrt(v) for (e, c), v in zip(units, variances, strict=True)]
    phi = reference_phi(z)
    tau2 = reference_tau_squared(phi, variances) if len(units) >= 20 else 0.0
    assert result.target == pytest.approx(p0, rel=1e-12)
    assert result.phi == pytest.approx(phi, rel=1e-9, abs=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-9, abs=1e-15)
    assert [u.unit for u in result.units] == [u.unit for u in counted]
    for unit, (events, cases) in zip(result.units, units, strict=True):
        limits = funnel_limits(result.target, cases, result.tau2)
        assert (unit.events, unit.cases) == (events, cases)
        assert unit.z == pytest.approx(
            (events / cases - p0) / math.sqrt(p0 * (1 - p0) / cases + result.tau2)
        )
        assert unit.upper998 == limits.clipped().upper998
        assert unit.status is status_for(judged_rate(events, cases, limits.method), limits)


def test_status_edges() -> None:
    limits = Limits(0.1, 0.3, 0.05, 0.35, "normal")
    assert status_for(0.3, limits) is Status.normal
    assert status_for(0.31, limits) is Status.alert_high
    assert status_for(0.36, limits) is Status.alarm_high
    assert status_for(0.09, limits) is Status.alert_low
    assert status_for(0.04, limits) is Status.alarm_low


def test_analysis_hand_worked() -> None:
    # target 0.1, n = 1200 each (n p (1-p) = 108: normal); s = sqrt(0.09 / 1200) = 0.0086603
    # A: 0.125 -> z 2.887 (alert high); B: 0.0917 -> z -0.962; C: 0.2 -> z 11.547 (alarm high)
    units = [UnitCount("A", 150, 1200), UnitCount("B", 110, 1200), UnitCount("C", 240, 1200)]
    result = analyse_units(units, target=0.1, overdispersion=False)
    assert [u.status for u in result.units] == [Status.alert_high, Status.normal, Status.alarm_high]
    assert [u.z for u in result.units] == pytest.approx([2.886751, -0.962250, 11.547005], abs=1e-6)
    assert result.verdict is Verdict.special_cause
    assert result.tau2 == 0.0
    assert result.target == 0.1
    assert result.target_source == "given"
    assert all(u.method == "normal" for u in result.units)


def test_overdispersion_widens_limits() -> None:
    rates = [0.05, 0.08, 0.10, 0.12, 0.15, 0.18, 0.07, 0.11, 0.13, 0.09]
    units = [UnitCount(f"U{i}", round(r * 1000), 1000) for i, r in enumerate(rates)]
    plain = analyse_units(units, overdispersion=False)
    adjusted = analyse_units(units, overdispersion=True)  # 10 units: only when asked
    assert plain.phi == adjusted.phi > 1
    assert plain.tau2 == 0.0 < adjusted.tau2
    assert adjusted.overdispersed and adjusted.adjusted
    assert plain.overdispersed and not plain.adjusted
    wide, narrow = adjusted.units[0], plain.units[0]
    assert wide.upper998 - wide.lower998 > narrow.upper998 - narrow.lower998
    assert plain.verdict is Verdict.special_cause
    assert adjusted.verdict is Verdict.common_cause


@pytest.mark.parametrize(
    ("units", "target", "message"),
    [
        ([UnitCount("A", 1, 10)], None, "at least two units"),
        ([UnitCount("A", 1, 10), UnitCount("B", 0, 0)], None, "at least one case"),
        ([UnitCount("A", 0, 10), UnitCount("B", 0, 10)], None, "strictly between 0 and 1"),
    ],
)
def test_refuses_what_it_cannot_analyse(
    units: list[UnitCount], target: float | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        analyse_units(units, target=target)


def simulate(rng: random.Random, rate: float, sizes: list[int]) -> list[UnitCount]:
    return [
        UnitCount(f"U{i}", sum(rng.random() < rate for _ in range(n)), n)
        for i, n in enumerate(sizes)
    ]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 2**32 - 1),
    rate=st.floats(0.02, 0.4),
    sizes=st.lists(st.integers(20, 600), min_size=40, max_size=40),
)
def test_one_common_rate_seldom_alarms(seed: int, rate: float, sizes: list[int]) -> None:
    # 40 units from one rate: about 40 * 0.002 = 0.08 alarms expected; 3 or more has
    # probability below 1e-4 per example.
    result = analyse_units(simulate(random.Random(seed), rate, sizes))
    alarms = [u for u in result.units if u.status.is_alarm]
    assert len(alarms) <= 2


def test_one_common_rate_mostly_common_cause() -> None:
    # 20 units: a false special-cause verdict has probability about 1 - 0.998^20 = 4 %.
    rng = random.Random(7)
    verdicts = []
    for _ in range(150):
        sizes = [rng.randint(30, 500) for _ in range(20)]
        result = analyse_units(simulate(rng, rng.uniform(0.03, 0.3), sizes))
        verdicts.append(result.verdict)
    share = verdicts.count(Verdict.special_cause) / len(verdicts)
    assert share <= 0.10


@settings(max_examples=20, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 2**32 - 1),
    rate=st.floats(0.03, 0.25),
    overdispersion=st.booleans(),
)
def test_planted_outlier_with_large_n_is_flagged(
    seed: int, rate: float, overdispersion: bool
) -> None:
    # 40 units from one rate, plus one with four times the largest caseload and
    # twice the rate (+5 points); it pulls the pooled target and inflates phi,
    # and must still stand out beyond 99.8 %.
    rng = random.Random(seed)
    units = simulate(rng, rate, [rng.randint(100, 600) for _ in range(40)])
    cases = 2400
    units.append(UnitCount("OUTLIER", round(cases * (2 * rate + 0.05)), cases))
    result = analyse_units(units, overdispersion=overdispersion)
    outlier = result.units[-1]
    assert outlier.status is Status.alarm_high
    assert result.verdict is Verdict.special_cause


@settings(max_examples=60, deadline=None)
@given(st.floats(0.001, 0.999), st.integers(1, 5000), st.sampled_from([0.0, 1e-4, 0.01]))
def test_limits_nest(target: float, n: int, tau2: float) -> None:
    limits = funnel_limits(target, n, tau2).clipped()
    assert 0.0 <= limits.lower998 <= limits.lower95 <= limits.upper95 <= limits.upper998 <= 1.0
    if limits.method == "normal":
        assert limits.lower95 <= target <= limits.upper95


def test_tiny_units_can_have_limits_below_target() -> None:
    # n = 1 at p0 = 1/64: F(0) = 0.984375.
    # upper 95 %: r = 0, alpha = (0.984375 - 0.975) / 0.984375 = 0.009524 -> -0.009524
    # upper 99.8 %: r = 1, alpha = (1 - 0.999) / 0.015625 = 0.064 -> 0.936
    # One event is judged at 1 - 1/2 = 0.5: beyond 95 %, not beyond 99.8 %. The mid-p
    # tail, 0.5 * P(R = 1) = 0.0078, agrees: below 0.025, above 0.001.
    limits = exact_limits(1 / 64, 1)
    assert limits.upper95 == pytest.approx(-0.009524, abs=1e-6)
    assert limits.upper998 == pytest.approx(0.936)
    assert limits.clipped().upper95 == 0.0
    assert status_for(judged_rate(1, 1, "exact"), limits) is Status.alert_high
    assert status_for(judged_rate(0, 1, "exact"), limits) is Status.normal


def test_single_event_in_single_case_is_not_an_alarm() -> None:
    # Judging the raw rate 1.0 against upper 99.8 % = 1 - 0.005 would call it an alarm,
    # though P(R = 1) = 0.2. Mid-p: 0.5 * 0.2 = 0.1, nothing unusual.
    limits = exact_limits(0.2, 1)
    assert limits.upper998 == pytest.approx(0.995)
    assert status_for(judged_rate(1, 1, "exact"), limits) is Status.normal


def mid_p_status(events: int, n: int, p0: float) -> Status:
    """The mid-p binomial test, from brute-force probabilities."""
    p = Fraction(p0).limit_denominator(10_000)
    pmf = brute_cdf(events, n, p) - (brute_cdf(events - 1, n, p) if events else 0)
    upper = 1 - brute_cdf(events, n, p) + pmf / 2
    lower = brute_cdf(events, n, p) - pmf / 2
    if upper < Fraction(1, 1000):
        return Status.alarm_high
    if lower < Fraction(1, 1000):
        return Status.alarm_low
    if upper < Fraction(25, 1000):
        return Status.alert_high
    if lower < Fraction(25, 1000):
        return Status.alert_low
    return Status.normal


@pytest.mark.parametrize(("n", "p0"), [(1, 0.2), (5, 0.3), (12, 0.05), (40, 0.5), (90, 0.1)])
def test_exact_judgement_is_the_mid_p_test(n: int, p0: float) -> None:
    limits = exact_limits(p0, n)
    for events in range(n + 1):
        judged = status_for(judged_rate(events, n, "exact"), limits)
        assert judged is mid_p_status(events, n, p0), events


@settings(max_examples=60, deadline=None)
@given(
    event_counts(9, cases=(9, 300), units=(20, 80)),
    st.randoms(use_true_random=False),
)
def test_order_of_units_does_not_change_the_statistics(
    units: list[tuple[int, int]], rng: random.Random
) -> None:
    counted = [UnitCount(f"U{i}", e, c) for i, (e, c) in enumerate(units)]
    shuffled = counted[:]
    rng.shuffle(shuffled)
    first, second = analyse_units(counted), analyse_units(shuffled)
    assert (first.target, first.phi, first.tau2) == (second.target, second.phi, second.tau2)
    by_name = {u.unit: u for u in second.units}
    assert all(u == by_name[u.unit] for u in first.units)

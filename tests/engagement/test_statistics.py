"""Student's t, Welch's interval, r_wg, r_wg(J) and Cronbach's alpha.

Each is checked against numbers worked by hand (the working is in the
comments) and against an independent computation: scipy for t and Welch,
a covariance formula for alpha, and the definition spelled out for r_wg(J).
"""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from svcdiag.engagement.agreement import (
    AgreementBand,
    band,
    cronbach_alpha,
    random_variance,
    rwg,
    rwg_j,
)
from svcdiag.engagement.gaps import Moments, welch, welch_moments
from svcdiag.engagement.student_t import t_cdf, t_quantile

# --- Student's t -------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    # printed t tables, two-sided 95 %: 12.706, 4.303, 2.228, 2.042, 1.984
    [(1, 12.706), (2, 4.303), (10, 2.228), (30, 2.042), (100, 1.984)],
)
def test_t_quantile_matches_the_printed_table(df: float, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=5e-4)


def test_t_quantile_with_one_degree_of_freedom_is_the_cauchy_quantile() -> None:
    # with df = 1, t is Cauchy: the quantile is tan(pi * (p - 1/2)), exactly
    for p in (0.6, 0.9, 0.975, 0.995):
        assert t_quantile(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-9)


def test_t_quantile_tends_to_the_normal_one() -> None:
    assert t_quantile(0.975, 1e8) == pytest.approx(1.959964, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    p=st.floats(0.001, 0.999),
    df=st.floats(0.5, 5000, allow_nan=False),
)
def test_t_quantile_agrees_with_scipy(p: float, df: float) -> None:
    assert t_quantile(p, df) == pytest.approx(scipy_stats.t.ppf(p, df), rel=1e-8, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(t=st.floats(-50, 50), df=st.floats(0.5, 1000))
def test_t_cdf_agrees_with_scipy(t: float, df: float) -> None:
    assert t_cdf(t, df) == pytest.approx(scipy_stats.t.cdf(t, df), abs=1e-10)


@pytest.mark.parametrize(("p", "df"), [(0.0, 5), (1.0, 5), (0.5, 0), (0.9, -1)])
def test_t_quantile_refuses_impossible_arguments(p: float, df: float) -> None:
    with pytest.raises(ValueError):
        t_quantile(p, df)


# --- Welch -------------------------------------------------------------------

LEADERS = [4, 5, 5, 4, 5]  # mean 4.6, deviations -.6 .4 .4 -.6 .4
STAFF = [2, 1, 2, 3, 2, 2]  # mean 2.0, s² = (0 + 1 + 0 + 1 + 0 + 0) / 5 = 0.4


def test_welch_by_hand() -> None:
    # s_L² = (0.36 + 0.16 + 0.16 + 0.36 + 0.16) / 4 = 0.3
    # se² = 0.3/5 + 0.4/6 = 0.06 + 0.0666667 = 0.1266667, se = 0.355903
    # df = 0.1266667² / (0.06²/4 + 0.0666667²/5) = 0.0160444 / 0.0017889 = 8.9689
    # t(0.975, 8.9689) = 2.26335; half width = 2.26335 * 0.355903 = 0.80553
    result = welch(4.6, 0.3, 5, 2.0, 0.4, 6)
    assert result.difference == pytest.approx(2.6)
    assert result.df == pytest.approx(8.9689, abs=1e-4)
    assert result.ci_low == pytest.approx(2.6 - 0.80553, abs=1e-4)
    assert result.ci_high == pytest.approx(2.6 + 0.80553, abs=1e-4)
    assert result.significant


def test_welch_agrees_with_scipy_on_raw_values() -> None:
    a, b = Moments(), Moments()
    for v in LEADERS:
        a.add(v)
    for v in STAFF:
        b.add(v)
    ours = welch_moments(a, b)
    theirs = scipy_stats.ttest_ind(LEADERS, STAFF, equal_var=False)
    interval = theirs.confidence_interval(0.95)
    assert ours.df == pytest.approx(theirs.df, rel=1e-9)
    assert ours.ci_low == pytest.approx(interval.low, rel=1e-7)
    assert ours.ci_high == pytest.approx(interval.high, rel=1e-7)


@settings(max_examples=100, deadline=None)
@given(
    a=st.lists(st.integers(1, 5), min_size=2, max_size=40),
    b=st.lists(st.integers(1, 5), min_size=2, max_size=40),
)
def test_welch_agrees_with_scipy(a: list[int], b: list[int]) -> None:
    ma, mb = Moments(), Moments()
    for v in a:
        ma.add(v)
    for v in b:
        mb.add(v)
    ours = welch_moments(ma, mb)
    assert ours.difference == pytest.approx(statistics.mean(a) - statistics.mean(b), abs=1e-12)
    if statistics.variance(a) == 0 and statistics.variance(b) == 0:
        assert ours.ci_low == ours.ci_high == pytest.approx(ours.difference)
        return
    if statistics.variance(a) == 0 or statistics.variance(b) == 0:
        # only one group varies: Welch's df is that group's n - 1
        varies = b if statistics.variance(a) == 0 else a
        assert ours.df == pytest.approx(len(varies) - 1)
        return
    interval = scipy_stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert ours.ci_low == pytest.approx(interval.low, rel=1e-6, abs=1e-9)
    assert ours.ci_high == pytest.approx(interval.high, rel=1e-6, abs=1e-9)


def test_a_group_of_one_has_no_interval() -> None:
    result = welch(5.0, None, 1, 2.0, 0.4, 6)
    assert result.difference == 3.0
    assert (result.ci_low, result.ci_high, result.df) == (None, None, None)
    assert not result.significant


def test_moments_give_the_sample_variance() -> None:
    m = Moments()
    for v in STAFF:
        m.add(v)
    assert m.mean == pytest.approx(2.0)
    assert m.variance == pytest.approx(statistics.variance(STAFF))


# --- r_wg and r_wg(J) ----------------------------------------------------------


def test_random_variance_of_a_five_point_scale_is_two() -> None:
    assert random_variance(5) == 2.0  # (25 - 1) / 12
    assert random_variance(11) == 10.0  # (121 - 1) / 12


def test_rwg_by_hand() -> None:
    # [4, 4, 5, 3, 4]: mean 4, s² = (0 + 0 + 1 + 1 + 0) / 4 = 0.5; r_wg = 1 - 0.5/2 = 0.75
    assert rwg([4, 4, 5, 3, 4]) == pytest.approx(0.75)
    # total agreement
    assert rwg([3, 3, 3]) == 1.0
    # [1, 5, 1, 5]: s² = 4 * 4 / 3 = 5.33 > 2, truncated to 0
    assert rwg([1, 5, 1, 5]) == 0.0
    assert rwg([4]) is None


def test_rwg_j_by_hand() -> None:
    # item variances 0.5 ([4, 4, 5, 3, 4]) and 1.0 ([1, 2, 3]): mean 0.75, ratio 0.375
    # r_wg(J) = 2 * 0.625 / (2 * 0.625 + 0.375) = 1.25 / 1.625 = 0.769231
    assert rwg_j([[4, 4, 5, 3, 4], [1, 2, 3]]) == pytest.approx(0.769231, abs=1e-6)
    # one item: r_wg(J) = r_wg
    assert rwg_j([[4, 4, 5, 3, 4]]) == pytest.approx(0.75)
    # an item with one answer is left out
    assert rwg_j([[4, 4, 5, 3, 4], [2]]) == pytest.approx(0.75)
    assert rwg_j([[2]]) is None


def test_rwg_j_is_zero_when_answers_are_wider_than_random() -> None:
    assert rwg_j([[1, 5, 1, 5], [1, 5, 5, 1]]) == 0.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(1, 5), min_size=2, max_size=30), min_size=1, max_size=8))
def test_rwg_j_matches_its_definition(items: list[list[int]]) -> None:
    j = len(items)
    mean_variance = sum(statistics.variance(i) for i in items) / j
    ratio = mean_variance / 2.0
    expected = 0.0 if ratio >= 1 else j * (1 - ratio) / (j * (1 - ratio) + ratio)
    value = rwg_j(items)
    assert value is not None
    assert value == pytest.approx(expected, abs=1e-12)
    assert 0.0 <= value <= 1.0
    if j == 1:
        assert value == pytest.approx(rwg(items[0]))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, AgreementBand.lack),
        (0.30, AgreementBand.lack),
        (0.31, AgreementBand.weak),
        (0.50, AgreementBand.weak),
        (0.51, AgreementBand.moderate),
        (0.70, AgreementBand.moderate),
        (0.71, AgreementBand.strong),
        (0.90, AgreementBand.strong),
        (0.91, AgreementBand.very_strong),
        (1.0, AgreementBand.very_strong),
    ],
)
def test_lebreton_senter_bands(value: float, expected: AgreementBand) -> None:
    assert band(value) is expected


# --- Cronbach's alpha -----------------------------------------------------------


def test_alpha_by_hand() -> None:
    # item 1: [1, 2, 3] variance 1; item 2: [2, 3, 3] variance 1/3
    # totals [3, 5, 6]: mean 14/3, variance (25/9 + 1/9 + 16/9) / 2 = 7/3
    # alpha = 2 * (1 - (4/3) / (7/3)) = 2 * 3/7 = 6/7
    assert cronbach_alpha([[1, 2], [2, 3], [3, 3]]) == pytest.approx(6 / 7)


def test_alpha_is_undefined_without_spread_or_items() -> None:
    assert cronbach_alpha([[3, 3], [3, 3]]) is None
    assert cronbach_alpha([[3], [4]]) is None
    assert cronbach_alpha([[3, 4]]) is None
    with pytest.raises(ValueError):
        cronbach_alpha([[3, 4], [3]])


def _alpha_from_covariances(rows: list[list[float]]) -> float:
    """Alpha as k * mean covariance / (mean variance + (k - 1) * mean covariance)."""
    k = len(rows[0])
    columns = [[row[i] for row in rows] for i in range(k)]
    variances = [statistics.variance(c) for c in columns]
    covariances = [
        statistics.covariance(columns[i], columns[j]) for i in range(k) for j in range(k) if i != j
    ]
    mean_cov = sum(covariances) / len(covariances)
    mean_var = sum(variances) / k
    return k * mean_cov / (mean_var + (k - 1) * mean_cov)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(1, 5), min_size=k, max_size=k), min_size=3, max_size=40
        )
    )
)
def test_alpha_agrees_with_the_covariance_formula(rows: list[list[int]]) -> None:
    value = cronbach_alpha(rows)
    totals = [sum(r) for r in rows]
    if statistics.variance(totals) == 0:
        assert value is None
        return
    assert value == pytest.approx(_alpha_from_covariances(rows), rel=1e-9, abs=1e-9)

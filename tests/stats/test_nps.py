"""NPS counts, adjusted-Wald interval and group flags, against hand-worked numbers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.errors import UsageError
from svcdiag.models.results import Flag
from svcdiag.stats.nps import NpsCounts, adjusted_wald, check_confidence, flag_for, nps_result


def rocks_interval(p: int, d: int, n: int, z: float) -> tuple[float, float]:
    """The adjusted-Wald interval written out from METHODS.md, independently."""
    n2 = n + 3
    pp = (p + 0.75) / n2
    dd = (d + 0.75) / n2
    half = z * math.sqrt((pp + dd - (pp - dd) ** 2) / n2)
    return 100 * (pp - dd - half), 100 * (pp - dd + half)


def test_counts_by_category() -> None:
    counts = NpsCounts()
    for score in [9, 10, 10, 8, 7, 6, 3, 0, 9, 10]:
        counts.add(score)
    assert (counts.promoters, counts.passives, counts.detractors) == (5, 2, 3)
    assert counts.n == 10
    # 100 * (5 - 3) / 10
    assert counts.score() == pytest.approx(20.0)


def test_boundaries_of_categories() -> None:
    counts = NpsCounts()
    counts.add(6)
    counts.add(7)
    counts.add(8)
    counts.add(9)
    assert (counts.promoters, counts.passives, counts.detractors) == (1, 2, 1)


def test_hand_worked_interval() -> None:
    # P = 50, passives 30, D = 20, n = 100: NPS = 30.
    # n' = 103, p' = 50.75/103 = 0.492718, d' = 20.75/103 = 0.201456
    # p' - d' = 0.291262; var = (0.694175 - 0.084834) / 103 = 0.00591593
    # half = 1.959964 * 0.0769151 = 0.150751  ->  [14.051, 44.201]
    counts = NpsCounts(promoters=50, passives=30, detractors=20)
    low, high = adjusted_wald(counts, 0.95)
    assert low == pytest.approx(14.0511, abs=5e-4)
    assert high == pytest.approx(44.2013, abs=5e-4)
    assert (low, high) == pytest.approx(rocks_interval(50, 20, 100, 1.959964), abs=1e-4)


@pytest.mark.parametrize(
    ("confidence", "z"),
    [(0.90, 1.644854), (0.95, 1.959964), (0.99, 2.575829)],
)
def test_confidence_sets_multiplier(confidence: float, z: float) -> None:
    counts = NpsCounts(promoters=412, passives=301, detractors=187)
    low, high = adjusted_wald(counts, confidence)
    assert (low, high) == pytest.approx(rocks_interval(412, 187, 900, z), abs=1e-4)


def test_interval_is_clipped_to_scale() -> None:
    # 10 promoters: centre 10/13 = 0.76923, half = 1.959964 * sqrt(49.5/13^3) = 0.29420,
    # so the upper end (106.3) is clipped to 100; the lower is 47.50.
    low, high = adjusted_wald(NpsCounts(promoters=10), 0.95)
    assert high == 100.0
    assert low == pytest.approx(47.504, abs=1e-3)


def test_result_with_groups_and_flags() -> None:
    north = NpsCounts(promoters=80, passives=15, detractors=5)  # NPS 75
    south = NpsCounts(promoters=10, passives=30, detractors=60)  # NPS -50
    east = NpsCounts(promoters=30, passives=40, detractors=30)  # NPS 0
    overall = NpsCounts(promoters=120, passives=85, detractors=95)  # NPS 25/3
    result = nps_result(overall, [("North", north), ("South", south), ("East", east)])
    assert result.n == 300
    assert result.nps == pytest.approx(100 * 25 / 300)
    flags = {g.group: g.flag for g in result.groups}
    assert flags == {"North": Flag.above, "South": Flag.below, "East": Flag.within}
    south_result = result.groups[1]
    assert (south_result.ci_low, south_result.ci_high) == pytest.approx(
        rocks_interval(10, 60, 100, 1.959964), abs=1e-4
    )
    assert south_result.promoters == 10


def test_flag_edges() -> None:
    assert flag_for(10.0, 20.0, 10.0, estimate=15.0) is Flag.within
    assert flag_for(10.01, 20.0, 10.0, estimate=15.0) is Flag.above
    assert flag_for(-5.0, 9.99, 10.0, estimate=2.0) is Flag.below


def test_flag_needs_the_estimate_on_the_same_side() -> None:
    # The interval wholly above (or below) the overall NPS, but the estimate
    # not strictly on that side: within.
    assert flag_for(10.01, 20.0, 10.0, estimate=10.0) is Flag.within
    assert flag_for(10.01, 20.0, 10.0, estimate=9.0) is Flag.within
    assert flag_for(-5.0, 9.99, 10.0, estimate=10.0) is Flag.within
    assert flag_for(-5.0, 9.99, 10.0, estimate=10.5) is Flag.within
    # Just on the same side is enough once the whole interval is there too.
    assert flag_for(10.01, 20.0, 10.0, estimate=10.001) is Flag.above
    assert flag_for(-5.0, 9.99, 10.0, estimate=9.999) is Flag.below


def test_one_promoter_is_not_below_a_lower_overall() -> None:
    # 199 promoters and 1 passive in B, 1 promoter in A: overall NPS 200/201 = +99.50.
    # A: n' = 4, p' = 1.75/4 = 0.4375, d' = 0.75/4 = 0.1875, centre 0.25,
    # var = (0.625 - 0.0625) / 4 = 0.140625, half = 1.959964 * 0.375 = 0.734986,
    # so the interval is -48.50 to +98.50: wholly below +99.50, while A's own NPS is +100.
    b = NpsCounts(promoters=199, passives=1)
    a = NpsCounts(promoters=1)
    result = nps_result(NpsCounts(promoters=200, passives=1), [("B", b), ("A", a)])
    assert result.nps == pytest.approx(100 * 200 / 201)
    group_a = result.groups[1]
    assert (group_a.ci_low, group_a.ci_high) == pytest.approx((-48.4986, 98.4986), abs=1e-3)
    assert group_a.ci_high < result.nps < group_a.nps
    assert group_a.flag is Flag.within


def test_only_group_equal_to_the_whole_is_not_flagged() -> None:
    # One answer of 9: overall and group NPS +100, interval -48.50 to +98.50 for both.
    one = NpsCounts(promoters=1)
    result = nps_result(one, [("A", NpsCounts(promoters=1))])
    assert result.groups[0].ci_high < result.nps == result.groups[0].nps
    assert result.groups[0].flag is Flag.within


def test_a_tiny_group_far_off_is_still_flagged() -> None:
    # Overall 100 promoters, 100 detractors: NPS 0. Group of 5 detractors: NPS -100,
    # n' = 8, p' = 0.09375, d' = 0.71875, centre -0.625,
    # var = (0.8125 - 0.390625) / 8 = 0.052734, half = 1.959964 * 0.229640 = 0.450086,
    # so -100 (clipped from -107.5) to -17.49: wholly below 0, and so is -100.
    tiny = NpsCounts(detractors=5)
    rest = NpsCounts(promoters=100, detractors=95)
    result = nps_result(NpsCounts(promoters=100, detractors=100), [("rest", rest), ("tiny", tiny)])
    group = result.groups[1]
    assert group.ci_low == -100.0
    assert group.ci_high == pytest.approx(-17.4914, abs=1e-3)
    assert group.flag is Flag.below


#: Mostly tiny counts, where the interval may miss its own estimate.
_COUNT = st.integers(0, 3) | st.integers(0, 300)
_COUNTS = st.builds(NpsCounts, _COUNT, _COUNT, _COUNT).filter(lambda c: c.n > 0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_COUNTS, min_size=1, max_size=6),
    st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999]),
)
def test_flag_never_contradicts_the_difference(groups: list[NpsCounts], confidence: float) -> None:
    overall = NpsCounts(
        sum(g.promoters for g in groups),
        sum(g.passives for g in groups),
        sum(g.detractors for g in groups),
    )
    result = nps_result(
        overall, [(f"g{i}", g) for i, g in enumerate(groups)], confidence=confidence
    )
    for group in result.groups:
        difference = group.nps - result.nps
        if group.flag is Flag.above:
            assert difference > 0
            assert group.ci_low > result.nps
        elif group.flag is Flag.below:
            assert difference < 0
            assert group.ci_high < result.nps
        else:
            # Within: the interval reaches the overall NPS, or the estimate is not beyond it.
            beyond_above = group.ci_low > result.nps and difference > 0
            beyond_below = group.ci_high < result.nps and difference < 0
            assert not beyond_above and not beyond_below


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (95.0, "not a percentage: 0.95"),
        (50.0, "not a percentage: 0.5"),
        (99.9, "not a percentage: 0.999"),
        (1.0, "give a proportion from 0.5 to 0.999"),
        (0.2, "give a proportion from 0.5 to 0.999"),
        # Read as percentages these would be 0.015, 0.3 and 1.0: no valid level to offer.
        (1.5, "give a proportion from 0.5 to 0.999"),
        (30.0, "give a proportion from 0.5 to 0.999"),
        (99.95, "give a proportion from 0.5 to 0.999"),
        (100.0, "give a proportion from 0.5 to 0.999"),
    ],
)
def test_confidence_out_of_range(value: float, hint: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_confidence(value)
    assert "--confidence must be between 0.5 and 0.999" in caught.value.message
    assert hint in (caught.value.hint or "")


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 5000),
    st.integers(0, 5000),
    st.integers(0, 5000),
)
def test_interval_properties(promoters: int, passives: int, detractors: int) -> None:
    counts = NpsCounts(promoters, passives, detractors)
    if counts.n == 0:
        return
    low, high = adjusted_wald(counts)
    assert -100.0 <= low <= high <= 100.0
    # METHODS.md: at most +/-196/sqrt(n) points at 95 %.
    assert (high - low) / 2 <= 196 / math.sqrt(counts.n) + 1e-9
    expected = rocks_interval(promoters, detractors, counts.n, 1.959964)
    assert low == pytest.approx(max(-100.0, expected[0]), abs=1e-4)
    assert high == pytest.approx(min(100.0, expected[1]), abs=1e-4)

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
    assert flag_for(10.0, 20.0, 10.0) is Flag.within
    assert flag_for(10.01, 20.0, 10.0) is Flag.above
    assert flag_for(-5.0, 9.99, 10.0) is Flag.below


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

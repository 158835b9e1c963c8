"""The groups an NPS view lists when there are too many: flagged first, then the largest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.models.results import Flag, NpsResult
from svcdiag.render.nps_listing import list_groups
from svcdiag.stats.nps import NpsCounts, nps_result


def result_of(groups: list[NpsCounts]) -> NpsResult:
    overall = NpsCounts(
        sum(g.promoters for g in groups),
        sum(g.passives for g in groups),
        sum(g.detractors for g in groups),
    )
    return nps_result(overall, [(f"g{i}", g) for i, g in enumerate(groups)])


def test_few_groups_are_all_listed_in_order() -> None:
    result = result_of([NpsCounts(1, 0, 0), NpsCounts(50, 0, 0), NpsCounts(0, 0, 60)])
    listing = list_groups(result, 3)
    assert [g.group for g in listing.listed] == ["g0", "g1", "g2"]
    assert (listing.hidden, listing.hidden_flagged, listing.complete) == (0, 0, True)


def test_flagged_first_then_largest() -> None:
    # Overall NPS 100 x (51 - 62) / 113 = -9.7. g1 (50 promoters, interval
    # +86.6 to +100) is above it and g2 (60 detractors) below; g0, g3 and g4,
    # of one answer each (intervals of width 147), are within.
    groups = [NpsCounts(1, 0, 0), NpsCounts(50, 0, 0), NpsCounts(0, 0, 60)]
    groups += [NpsCounts(0, 0, 1), NpsCounts(0, 0, 1)]
    result = result_of(groups)
    assert [g.flag for g in result.groups] == [
        Flag.within,
        Flag.above,
        Flag.below,
        Flag.within,
        Flag.within,
    ]
    listing = list_groups(result, 3)
    # Flagged by size (g2: 60, g1: 50), then the first of the equal-sized small ones.
    assert [g.group for g in listing.listed] == ["g2", "g1", "g0"]
    assert (listing.hidden, listing.hidden_flagged) == (2, 0)
    listing = list_groups(result, 1)
    assert [g.group for g in listing.listed] == ["g2"]
    assert (listing.hidden, listing.hidden_flagged) == (4, 1)


_COUNT = st.integers(0, 3) | st.integers(0, 80)
_GROUP = st.builds(NpsCounts, _COUNT, _COUNT, _COUNT).filter(lambda c: c.n > 0)


@settings(max_examples=150, deadline=None)
@given(st.lists(_GROUP, min_size=1, max_size=25), st.integers(1, 30))
def test_listing_matches_a_plain_sort(groups: list[NpsCounts], limit: int) -> None:
    result = result_of(groups)
    listing = list_groups(result, limit)
    everyone = list(result.groups)
    if len(everyone) <= limit:
        expected = everyone
    else:
        order = sorted(
            range(len(everyone)),
            key=lambda i: (everyone[i].flag is Flag.within, -everyone[i].n, i),
        )
        expected = [everyone[i] for i in order[:limit]]
    assert listing.listed == expected
    assert len(listing.listed) + listing.hidden == len(everyone)
    flagged = sum(1 for g in everyone if g.flag is not Flag.within)
    shown_flagged = sum(1 for g in listing.listed if g.flag is not Flag.within)
    assert listing.hidden_flagged == flagged - shown_flagged
    # No flagged group is left out while an unflagged one is listed.
    if any(g.flag is Flag.within for g in listing.listed):
        assert listing.hidden_flagged == 0

"""Which ``--by`` groups of an NPS result a view lists when there are too many.

The terminal view and the HTML page list at most a bounded number of groups,
so that 50,000 branches print in about the time the JSON takes instead of
drawing 50,000 rows. The groups chosen are the most useful to read: every
flagged group first (those beyond chance, the ones to ask about), most
answers first, then the unflagged groups with the most answers. Ties keep
the order of the result (the order the file first mentions the groups).
``--format csv`` and ``json`` always hold every group.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from svcdiag.models.results import Flag, NpsGroup, NpsResult


@dataclass(frozen=True)
class GroupListing:
    """The groups a view lists, and what it leaves out."""

    listed: list[NpsGroup]
    #: Groups of the result not listed.
    hidden: int
    #: Flagged groups among the hidden ones.
    hidden_flagged: int

    @property
    def complete(self) -> bool:
        """Whether every group is listed."""
        return self.hidden == 0


def list_groups(result: NpsResult, limit: int) -> GroupListing:
    """Return at most ``limit`` groups of ``result``: flagged first, then the largest.

    With ``limit`` groups or fewer, all are listed in the order of the
    result. Otherwise flagged groups come first, each kind ordered by most
    answers (ties in the order of the result).
    """
    groups = result.groups
    if len(groups) <= limit:
        return GroupListing(list(groups), 0, 0)
    within = Flag.within
    flagged = [i for i, g in enumerate(groups) if g.flag is not within]
    by_size = heapq.nsmallest(limit, flagged, key=lambda i: (-groups[i].n, i))
    room = limit - len(by_size)
    if room > 0:
        rest = (i for i, g in enumerate(groups) if g.flag is within)
        by_size += heapq.nsmallest(room, rest, key=lambda i: (-groups[i].n, i))
    listed = [groups[i] for i in by_size]
    shown_flagged = sum(1 for g in listed if g.flag is not within)
    return GroupListing(listed, len(groups) - len(listed), len(flagged) - shown_flagged)

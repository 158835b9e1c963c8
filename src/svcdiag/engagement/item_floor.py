"""The anonymity floor per question and per score, not only per group.

A group of 8 leaders is shown, but if only the board member answered one
question (the managers skipped it, it was not asked of them, or they said
"don't know"), the leaders' mean on that question is the board member's
answer. So every figure of a group counts the people behind it:

* a perception gap compares the leaders and the workforce on one item; a side
  with fewer answers than the floor on that item is suppressed
  (:func:`short_sides`), and the item is not compared;
* a characteristic or factor score of a shown group is suppressed when fewer
  than the floor people gave answers toward it, and then, as for the groups,
  more scores are suppressed until no set of fewer than the floor people
  follows by differencing the shown scores of that target
  (:func:`suppressed_scores`, with :mod:`.differencing`).

The organisation as a whole is exempt, as it is from the group floor: its
scores are the diagnosis itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from svcdiag.engagement.anonymity import ALL, Cell, Group, group_id
from svcdiag.engagement.differencing import secondary_suppression
from svcdiag.engagement.gaps import Moments
from svcdiag.engagement.tally import Tally, Target

EVERYONE: Group = (ALL, ALL)


def short_sides(lead: Moments, front: Moments, floor: int) -> list[str]:
    """The sides of a gap with fewer answers than ``floor`` (``leaders``, ``frontline``)."""
    return [side for side, m in (("leaders", lead), ("frontline", front)) if m.n < floor]


def suppressed_scores(
    t: Tally, members: Mapping[Group, frozenset[Cell]], shown: Collection[Group], floor: int
) -> dict[Group, set[Target]]:
    """Per shown group, the targets whose score must not be shown (see the module docstring).

    Args:
        t: The engagement's sums per cell: ``scores[target].n`` is how many
            people of the cell gave answers toward the target.
        members: Each group as the set of its cells.
        shown: The groups shown.
        floor: The anonymity floor.
    """
    found: dict[Group, set[Target]] = {}
    targets = {target for cell in t.cells.values() for target in cell.scores}
    for target in sorted(targets):
        sizes = {
            cell: sums.scores[target].n
            for cell, sums in t.cells.items()
            if target in sums.scores and sums.scores[target].n > 0
        }
        groups = {g: members[g] & sizes.keys() for g in shown if g in members}
        groups = {g: cells for g, cells in groups.items() if cells}
        few = {
            g
            for g, cells in groups.items()
            if g != EVERYONE and sum(sizes[c] for c in cells) < floor
        }
        # a cell whose count is unchanged, or still at the floor, changes nothing that
        # differencing needs: when every cell is such, the groups' own check holds
        same = all(
            sizes.get(cell, 0) == sums.n or sizes.get(cell, 0) >= floor
            for cell, sums in t.cells.items()
        )
        if same and not few:
            continue
        hidden = secondary_suppression(
            sizes, groups, few, floor, keep={EVERYONE}, order=group_id, try_each=False
        )
        for group in hidden:
            found.setdefault(group, set()).add(target)
    return found

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

* question by question (:func:`question_floor`): a score is a weighted sum of
  answers to several questions, and a reader who knows the questionnaire's
  weights can take from it the parts other figures show (a side's gap on a
  question gives the side's sum of answers to it, mean times n; two scores
  that pool the same questions but one differ by that one). So each figure
  fed by a question counts as showing its group's sum of answers to that
  question, and the groups showing the question are differenced with the
  cells sized by how many answered it.

The organisation as a whole is exempt, as it is from the group floor: its
scores are the diagnosis itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

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


@dataclass
class Withheld:
    """What the floor per question and per score withholds, beyond whole groups.

    Attributes:
        scores: Per shown group, the targets whose score is not shown.
        items: Per side of the perception gaps (leaders, workforce), the
            questions whose gap is not shown for that side.
    """

    scores: dict[Group, set[Target]] = field(default_factory=dict)
    items: dict[Group, set[str]] = field(default_factory=dict)


def _targets_by_question(t: Tally) -> dict[Cell, dict[str, set[Target]]]:
    """Per cell, per question, the targets its people's answers to the question feed."""
    found: dict[Cell, dict[str, set[Target]]] = {}
    for cell, sums in t.cells.items():
        mine = found.setdefault(cell, {})
        for question, target, target_id, _, _ in sums.weights:
            mine.setdefault(question, set()).add((target, target_id))
    return found


def _fed(
    group: Group,
    question: str,
    cells: Collection[Cell],
    feeds: Mapping[Cell, Mapping[str, set[Target]]],
    hidden: Mapping[Group, set[Target]],
) -> set[Target]:
    """The shown scores of ``group`` that its people's answers to ``question`` feed."""
    found: set[Target] = set()
    for cell in cells:
        found |= feeds[cell].get(question, set())
    return found - hidden.get(group, set())


def _compared(t: Tally, question: str, sides: Collection[frozenset[Cell]], floor: int) -> bool:
    """Whether the question's perception gap is shown: each side has ``floor`` answers."""
    return len(sides) == 2 and all(
        sum(t.cells[c].items[question].n for c in cells if question in t.cells[c].items) >= floor
        for cells in sides
    )


def question_floor(
    t: Tally,
    members: Mapping[Group, frozenset[Cell]],
    shown: Collection[Group],
    floor: int,
    scores: Mapping[Group, Collection[Target]],
    sides: Collection[Group] = (),
) -> Withheld:
    """The floor question by question, across every figure that pools a question.

    Per question, each shown group that shows a score fed by the question
    (or, for the two ``sides``, the question's perception gap) is taken to
    show the group's sum of answers to that question: a reader who knows the
    questionnaire's weights can subtract the parts of a score that other
    figures show (see the module docstring). The atoms are the cells, sized by
    how many of their people answered the question; groups are suppressed for
    the question by :func:`~svcdiag.engagement.differencing.secondary_suppression`
    until no set of fewer than ``floor`` people follows, the whole
    organisation kept. A group suppressed for a question loses every score the
    question feeds and, for a side, the question's gap.

    Args:
        t: The engagement's sums per cell.
        members: Each group as the set of its cells.
        shown: The groups shown.
        floor: The anonymity floor.
        scores: Scores already withheld per group (:func:`suppressed_scores`).
        sides: The two sides of the perception gaps, when both are shown.
    """
    hidden = {g: set(targets) for g, targets in scores.items()}
    items: dict[Group, set[str]] = {}
    feeds = _targets_by_question(t)
    side_list = [s for s in sides if s in members]
    for question in sorted({q for sums in t.cells.values() for q in sums.answered}):
        sizes = {
            cell: sums.answered[question]
            for cell, sums in t.cells.items()
            if sums.answered.get(question, 0) > 0
        }
        compared = _compared(t, question, [members[s] for s in side_list], floor)
        groups = {
            g: cells
            for g in shown
            if g in members
            and (cells := members[g] & sizes.keys())
            and (_fed(g, question, cells, feeds, hidden) or (compared and g in side_list))
        }
        # a group whose answers to the question are everyone's shows nothing the
        # organisation's own figures do not
        everyone = frozenset(sizes)
        few = {
            g
            for g, cells in groups.items()
            if sum(sizes[c] for c in cells) < floor and cells != everyone
        }
        same = all(
            sizes.get(cell, 0) == sums.n or sizes.get(cell, 0) >= floor
            for cell, sums in t.cells.items()
        )
        if same and not few:
            continue
        for group in secondary_suppression(
            sizes, groups, few, floor, keep={EVERYONE}, order=group_id
        ):
            if group not in groups:
                continue
            hidden.setdefault(group, set()).update(
                _fed(group, question, groups[group], feeds, hidden)
            )
            if group in side_list:
                items.setdefault(group, set()).add(question)
    return Withheld({g: ts for g, ts in hidden.items() if ts}, items)

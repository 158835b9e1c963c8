"""The anonymity floor per question and per score, not only per group.

A group of 8 leaders is shown, but if only the board member answered one
question (the managers skipped it, it was not asked of them, or they said
"don't know"), the leaders' mean on that question is the board member's
answer. So every figure of a group counts the people behind it.

**What a reader has.** Every output format of ``engagement report`` shows,
per shown group, its n and its score on each characteristic and factor;
everyone's scores again in the diagnosis, with the evidence weight behind
each; per question, per characteristic and per factor, the two sides of the
perception gap (leaders, frontline and staff) with their means, their n and
a Welch interval; r_wg(J) per group and factor; everyone's coverage
(how many skipped each question) and Cronbach's alpha. The questionnaire is
public: which questions feed which score, with what weight, and how an
answer becomes a health (a likert ``v`` gives ``(v - 1) / 4``). So a score
is a weighted sum of the group's answers, question by question (its weight,
the divisor, follows from the counts); a gap side's mean times its n is the
side's sum of answers to the question. Any combination of those sums is
open to the reader. The rules, each a function here:

* :func:`short_sides`: a perception gap with a side under the floor on the
  item is not compared;
* :func:`suppressed_scores`: a group's score that fewer than the floor people
  gave answers toward is suppressed, and more scores are, as for the groups,
  until no set of fewer than the floor follows by differencing the groups'
  scores on that target (:mod:`.differencing`);
* :func:`question_floor`, question by question. A score less the parts other
  figures show leaves one question's part: the leaders' commitment score less
  their gaps on three of its four questions gives the fourth, which only the
  board member answered; everyone's "customer insight" less everyone's "real
  knowledge of customers" (the same questions and weights but one) gives
  everyone's sum on that one, and less both sides of its gap, the one customer
  who was asked. So each figure fed by a question counts as showing its
  group's sum of answers to that question, and per question the groups that
  show it are differenced with the cells sized by how many answered it. A
  group suppressed for a question loses every score the question feeds (and
  a side, the question's gap). This is enough: whatever a reader combines,
  its part on one question is the same combination of the figures' parts on
  that question, so a set of fewer than the floor whose answers (or whose
  score) follow shows on some question among those parts;
* in the same pass, a side's score gap: it is the mean of each person's own
  score, where an answer counts one over the person's total weight toward the
  score, while the side's score weighs every answer alike. When the side's
  people weigh a question differently (one skipped another question of the
  score, or chose an option that carries no weight toward it), the two
  figures together separate them, and one person's own score can follow. The
  cells are split by that weight, and a side's score gap is suppressed until
  no set of fewer than the floor follows.

**What is not a leak, and why** (each has a test in
``tests/engagement/test_item_sums.py`` or the property test beside it):

* everyone less one side of a gap gives the other side and, when nobody but
  leaders and frontline and staff answered, nothing more: the other side is
  itself shown, or suppressed with the first (a third role, customers, is
  what makes it a leak, and is handled above);
* the spread figures (a gap's interval, r_wg(J)) give sums of squares, and a
  sum of squares of a group on a question is only of use with its sum; they
  are shown only for groups and questions whose sums are shown (agreement
  uses only questions at least the floor of the group answered, and leaves
  out a factor whose score is suppressed), so they follow the same
  differencing and add no set;
* a score gap whose sides weigh their answers alike is the side's score
  over that common weight: nothing new;
* coverage and alpha are everyone's, and give counts or a ratio of
  everyone's answers, not a group's.

The organisation as a whole is exempt, as it is from the group floor: its
scores are the diagnosis itself (a question only one person answered shows
in everyone's scores; ``engagement status`` and the coverage say how few
answered).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from svcdiag.engagement.anonymity import ALL, Cell, Group, group_id
from svcdiag.engagement.differencing import leaking_rows, secondary_suppression
from svcdiag.engagement.gaps import Moments
from svcdiag.engagement.tally import Pattern, Tally, Target

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
        gaps: Per side of the perception gaps (leaders, workforce), the items
            (``("question", id)``, or a score's target) not compared for that side.
    """

    scores: dict[Group, set[Target]] = field(default_factory=dict)
    gaps: dict[Group, set[tuple[str, str]]] = field(default_factory=dict)


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
    gaps: dict[Group, set[tuple[str, str]]] = {}
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
        if not (same and not few):
            for group in secondary_suppression(
                sizes, groups, few, floor, keep={EVERYONE}, order=group_id
            ):
                hidden.setdefault(group, set()).update(
                    _fed(group, question, groups.pop(group), feeds, hidden)
                )
                if group in side_list:
                    gaps.setdefault(group, set()).add(("question", question))
        for side, target in _own_score_leaks(
            t, members, question, groups, side_list, floor, hidden, gaps
        ):
            gaps.setdefault(side, set()).add(target)
    return Withheld({g: ts for g, ts in hidden.items() if ts}, gaps)


def _own_score_row(
    t: Tally, cells: Collection[Cell], question: str, target: Target
) -> dict[tuple[Cell, Pattern], int]:
    """A side's mean of its people's own scores on ``target``, on the answers to ``question``.

    Each person's answer counts one over their own total weight toward the
    target; the row is scaled to integers.
    """
    shares: dict[tuple[Cell, Pattern], Fraction] = {}
    for cell in cells:
        for pattern in t.cells[cell].patterns.get(question, {}):
            own = dict(pattern).get(target, 0.0)
            shares[(cell, pattern)] = (
                1 / Fraction(own).limit_denominator(1000) if own > 0 else Fraction(0)
            )
    scale = math.lcm(*(share.denominator for share in shares.values()))
    return {atom: int(share * scale) for atom, share in shares.items()}


def _own_score_leaks(
    t: Tally,
    members: Mapping[Group, frozenset[Cell]],
    question: str,
    groups: Mapping[Group, frozenset[Cell]],
    sides: Collection[Group],
    floor: int,
    hidden: Mapping[Group, Collection[Target]],
    gaps: Mapping[Group, Collection[tuple[str, str]]],
) -> list[tuple[Group, Target]]:
    """The score gaps to suppress for one side, so that no one's own score follows.

    A score gap shows the mean of each person's own score, in which an answer
    counts one over the person's total weight toward the score; the group's
    score weighs every answer alike. Where a side's people weigh the
    question's answers differently (some skipped other questions of the score,
    or chose options that carry no weight toward it), the two figures together
    separate them: the atoms here are the cells split by that weight, and a
    side's score gap is suppressed until no set of fewer than ``floor``
    people follows (the groups still shown for the question count too).
    """
    if len(sides) != 2:
        return []
    answered = {
        (cell, pattern): n
        for cell in sorted(frozenset().union(*groups.values()), key=str)
        for pattern, n in t.cells[cell].patterns.get(question, {}).items()
    }
    targets = sorted({target for cell, pattern in answered for target, _ in pattern})
    rows: dict[tuple[Group, Target], dict[tuple[Cell, Pattern], int]] = {}
    for target in targets:
        if not all(
            target not in hidden.get(s, ())
            and target not in gaps.get(s, ())
            and sum(t.cells[c].scores[target].n for c in members[s] if target in t.cells[c].scores)
            >= floor
            for s in sides
        ):
            continue
        for side in sides:
            if side not in groups:
                continue
            row = _own_score_row(t, groups[side], question, target)
            if len(set(row.values())) > 1:  # else a multiple of the side's own total
                rows[(side, target)] = row
    if not rows:
        return []
    base = [
        {(c, p): 1 for c in cells for p in t.cells[c].patterns.get(question, {})}
        for cells in groups.values()
    ]
    public = [frozenset(answered)]

    def leaks(keys: list[tuple[Group, Target]]) -> list[frozenset[tuple[Cell, Pattern]]]:
        return leaking_rows(answered, base + [rows[k] for k in keys], floor, public)

    keys = sorted(rows, key=lambda k: (group_id(k[0]), k[1]))
    withheld: list[tuple[Group, Target]] = []
    found = leaks(keys)
    while found and keys:
        chosen = next(
            (k for k in keys if len(leaks([x for x in keys if x != k])) < len(found)), keys[0]
        )
        keys.remove(chosen)
        withheld.append(chosen)
        found = leaks(keys)
    return withheld

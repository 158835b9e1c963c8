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
  score) follow shows on some question among those parts. It is also more
  than a reader can do, so a cell's part counts only where it can follow:
  where the question is isolable from the scores' weights over the questions
  its people answered (in the shipped questionnaire, with everything
  answered, only two are, and the questions whose options weigh differently);
  in a side, also where the side's gaps make it isolable, but then only
  together with the side's other cells of the same answers
  (:func:`_effective_sizes`);
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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from svcdiag.engagement.anonymity import ALL, Cell, Group, group_id
from svcdiag.engagement.differencing import leaking_rows, reduced_echelon, secondary_suppression
from svcdiag.engagement.gaps import Moments
from svcdiag.engagement.tally import Pattern, Tally, Target
from svcdiag.models.questionnaire import Questionnaire, QuestionType

EVERYONE: Group = (ALL, ALL)
#: Most groups showing a question for which each candidate to hide is tried in turn.
TRY_EACH_UP_TO = 30


def short_sides(lead: Moments, front: Moments, floor: int) -> list[str]:
    """The sides of a gap with fewer answers than ``floor`` (``leaders``, ``frontline``)."""
    return [side for side, m in (("leaders", lead), ("frontline", front)) if m.n < floor]


def _few_and_same(
    t: Tally, groups: Mapping[Group, frozenset[Cell]], sizes: Mapping[Cell, int], floor: int
) -> tuple[set[Group], bool]:
    """The groups under the floor when cells count ``sizes``, and whether no cell matters.

    A cell whose count is unchanged from its people, or still at the floor,
    changes nothing that differencing needs: when every cell is such (and no
    group falls under the floor), the groups' own check already holds.
    """
    few = {
        g for g, cells in groups.items() if g != EVERYONE and sum(sizes[c] for c in cells) < floor
    }
    same = all(
        sizes.get(cell, 0) == sums.n or sizes.get(cell, 0) >= floor
        for cell, sums in t.cells.items()
    )
    return few, same


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
        few, same = _few_and_same(t, groups, sizes, floor)
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


#: Per question, its weight toward each score it feeds, signed by direction (an answer
#: that shows a healthier organisation when lower counts negatively); None when what an
#: answer gives a score depends on the option chosen beyond one factor of it.
QuestionWeights = Mapping[str, "tuple[tuple[Target, Fraction], ...] | None"]


def question_weights(
    questionnaire: Questionnaire,
) -> dict[str, tuple[tuple[Target, Fraction], ...] | None]:
    """How each question's answers enter the scores, for :func:`question_floor`.

    A scaled question's answer (its position on the scale) enters each score
    with the evidence's weight, negative for ``higher_is_worse``. A choice
    question whose every option feeds one score with one weight enters it as
    that weight times the option's health. Any other question with options
    (several scores, weights that differ by option, several options chosen)
    is None: its part of a score is taken as known to the reader.
    """
    found: dict[str, tuple[tuple[Target, Fraction], ...] | None] = {}
    for question in questionnaire.questions():
        if question.evidence:
            signed: dict[Target, Fraction] = {}
            for item in question.evidence:
                aim: Target = (
                    ("factor", item.factor)
                    if item.factor
                    else ("characteristic", str(item.characteristic))
                )
                sign = -1 if item.direction == "higher_is_worse" else 1
                signed[aim] = signed.get(aim, Fraction(0)) + sign * Fraction(item.weight)
            found[question.id] = tuple(sorted(signed.items()))
        elif question.options and any(o.evidence for o in question.options):
            feeds = {
                tuple(
                    (
                        ("factor", e.factor)
                        if e.factor
                        else ("characteristic", str(e.characteristic)),
                        e.weight,
                    )
                    for e in o.evidence
                )
                for o in question.options
                if o.evidence
            }
            single = question.type is QuestionType.choice and len(feeds) == 1
            entry = next(iter(feeds)) if single else ()
            found[question.id] = (
                ((entry[0][0], Fraction(entry[0][1])),) if single and len(entry) == 1 else None
            )
    return found


@lru_cache(maxsize=256)
def _isolable(
    weights: tuple[tuple[str, tuple[tuple[Target, Fraction], ...] | None], ...],
    answered: frozenset[str],
    known: frozenset[str],
) -> frozenset[str]:
    """The questions whose part a reader can take out of a cell's scores alone.

    ``answered`` are the questions someone in the cell answered; ``known`` those
    whose part is shown anyway (a side's gap). A question's part follows when
    its unit vector is a combination of the scores' weights over the others
    (after taking out the known parts): "customer insight" less "real
    knowledge of customers" is the one question only the first pools.
    """
    table = dict(weights)
    loose = {q for q in answered if q in table and table[q] is None} | (known & answered)
    columns = sorted(q for q in answered if table.get(q) is not None and q not in loose)
    targets = sorted({aim for q in columns for aim, _ in table[q] or ()})
    if not columns:
        return frozenset(loose)
    rows = []
    for aim in targets:
        row = [dict(table[q] or ()).get(aim, Fraction(0)) for q in columns]
        scale = math.lcm(*(v.denominator for v in row))
        rows.append([int(v * scale) for v in row])
    reduced = reduced_echelon(rows)
    rank = len(reduced)
    found = set(loose)
    for j, question in enumerate(columns):
        unit = [1 if k == j else 0 for k in range(len(columns))]
        if len(reduced_echelon([*reduced, unit])) == rank:
            found.add(question)
    return frozenset(found)


def _effective_sizes(
    t: Tally,
    question: str,
    floor: int,
    table: tuple[tuple[str, tuple[tuple[Target, Fraction], ...] | None], ...] | None,
    compared: frozenset[str],
    sides: Sequence[Group],
    members: Mapping[Group, frozenset[Cell]],
) -> dict[Cell, int]:
    """How many of each cell answered ``question``, at least ``floor`` where no set can hold them.

    A derived figure that is one question's part of some people must, in each
    cell, be a combination of the scores' weights over what the cell's
    people answered, plus, in a side, the same combination of the side's
    gaps in every cell of it. So a cell's part follows on its own only if
    the question is isolable from the weights (:func:`_isolable`); where it
    is isolable only with the side's gaps, it follows only together with the
    side's other cells of the same answered questions, and when those reach
    the floor no set under it can hold any of them. Such cells, and those
    whose part cannot follow at all, count as at the floor.
    """
    answered = {
        cell: sums.answered[question]
        for cell, sums in t.cells.items()
        if sums.answered.get(question, 0) > 0
    }
    if table is None:
        return answered
    side_of = {cell: k for k, s in enumerate(sides) for cell in members[s]}
    free: dict[Cell, bool] = {}
    together: dict[tuple[int, frozenset[str]], list[Cell]] = {}
    for cell in answered:
        pattern = frozenset(t.cells[cell].answered)
        if question in _isolable(table, pattern, frozenset()):
            free[cell] = True
        elif cell in side_of and question in _isolable(table, pattern, compared):
            together.setdefault((side_of[cell], pattern), []).append(cell)
        else:
            free[cell] = False
    for cells in together.values():
        reaching = sum(answered[c] for c in cells) >= floor
        free.update(dict.fromkeys(cells, not reaching))
    return {cell: n if free[cell] else max(n, floor) for cell, n in answered.items()}


def question_floor(
    t: Tally,
    members: Mapping[Group, frozenset[Cell]],
    shown: Collection[Group],
    floor: int,
    scores: Mapping[Group, Collection[Target]],
    sides: Collection[Group] = (),
    weights: QuestionWeights | None = None,
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
        weights: How each question enters the scores (:func:`question_weights`).
            A cell's part on a question that does not follow from the scores'
            weights over what its people answered (:func:`_isolable`) cannot
            be part of a set that follows, and counts as at the floor; without
            weights every part counts as following.
    """
    hidden = {g: set(targets) for g, targets in scores.items()}
    gaps: dict[Group, set[tuple[str, str]]] = {}
    feeds = _targets_by_question(t)
    side_list = [s for s in sides if s in members]
    questions = sorted({q for sums in t.cells.values() for q in sums.answered})
    compared_ = {q for q in questions if _compared(t, q, [members[s] for s in side_list], floor)}
    table = None if weights is None else tuple(sorted(weights.items()))
    for question in questions:
        sizes = _effective_sizes(
            t, question, floor, table, frozenset(compared_), side_list, members
        )
        compared = question in compared_
        groups = {
            g: cells
            for g in shown
            if g in members
            and (cells := members[g] & sizes.keys())
            and (_fed(g, question, cells, feeds, hidden) or (compared and g in side_list))
        }
        # a group whose answers to the question are everyone's shows nothing the
        # organisation's own figures do not: it is neither checked nor hidden for it
        everyone = frozenset(sizes)
        groups = {g: cells for g, cells in groups.items() if g == EVERYONE or cells != everyone}
        few, same = _few_and_same(t, groups, sizes, floor)
        if not (same and not few):
            # trying each candidate finds fewer groups to hide, at a cost that grows with
            # the groups: past :data:`TRY_EACH_UP_TO` the smallest holder goes at once
            for group in secondary_suppression(
                sizes,
                groups,
                few,
                floor,
                keep={EVERYONE},
                order=group_id,
                try_each=len(groups) <= TRY_EACH_UP_TO,
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
            shares[(cell, pattern)] = 1 / _as_written(own) if own > 0 else Fraction(0)
    scale = math.lcm(*(share.denominator for share in shares.values()))
    return {atom: int(share * scale) for atom, share in shares.items()}


def _as_written(total: float) -> Fraction:
    """A total of weights (above 0) as the fraction it stands for: 0.3, not 0.30000000000000004.

    The nearest fraction of denominator up to a billion, where it is within
    rounding of the float (weights are written with a few decimals); the
    float's exact value otherwise. Never 0, and two totals that differ stay
    apart (2.0004 is not 2).
    """
    exact = Fraction(total)
    near = exact.limit_denominator(10**9)
    return near if near and abs(near - exact) <= exact * Fraction(1, 10**12) else exact


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

"""Differencing across breakdowns: which small sets of people follow from the groups shown.

This is the secondary (complementary) cell suppression of statistical
disclosure control, for linear attacks: a reader who sees the counts and
scores of several overlapping groups (roles, units, roles within units, the
total) can add and subtract them. Suppressing the groups under the floor is
not enough when, say, the leaders minus the leaders in retail leaves the two
leaders outside retail (Willenborg & de Waal, *Elements of Statistical
Disclosure Control*, 2001, ch. 4 on secondary suppression; Cox, "Linear
sensitivity measures in statistical disclosure control", 1981).

The model: the finest cells (role x unit) are *atoms*; each shown group is
the 0/1 vector of its atoms. Whatever a reader derives by adding and
subtracting shown groups is a vector in their row space. A set of people is
derived exactly when its indicator vector lies in that space. The check:

1. atoms that every shown group treats alike (in exactly the same shown
   groups) are merged: nothing shown can tell them apart;
2. atoms with ``0 < n < floor`` are *small* (S), the others *large* (L). A set
   with fewer than ``floor`` people holds only small atoms, so its vector
   vanishes on L. If every atom is large, nothing can leak;
3. the vectors of the row space that vanish on L form a subspace V; it is
   non-zero exactly when rank(G) > rank(G restricted to L). It is found
   exactly, by fraction-free elimination on integers: the columns of L are
   eliminated first, and the rows left, 0 on L, span V; Gauss-Jordan on S
   then gives its reduced basis;
4. V has a reduced basis with a pivot column per vector, so a 0/1 vector of
   V is fixed by its pivot entries: trying the subsets of the basis finds
   every derivable set of small atoms (only subsets whose pivot atoms total
   under the floor can give one under the floor). One with
   ``0 < n < floor`` leaks; one reaching the floor is as safe as a shown
   group.

When V has more than :data:`MAX_EXACT` dimensions the subsets are not tried
and V counts as leaking (conservative).

:func:`secondary_suppression` then suppresses more groups until nothing
leaks (greedy; see its docstring).
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import TypeVar

A = TypeVar("A", bound=Hashable)
G = TypeVar("G", bound=Hashable)

#: Largest dimension of V whose subsets are tried (only those whose pivot
#: atoms total under the floor, a few hundred at most for a floor of 5).
MAX_EXACT = 40


def reduced_echelon(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    """The non-zero rows of an integer matrix in reduced row echelon form, on integers.

    Fraction-free Gauss-Jordan elimination (:func:`_eliminate`) over every
    column. Each returned row has a pivot (its first non-zero entry), and
    every other row is 0 in that column; divided by its pivot, a row is the
    rational reduced form. The number of rows is the exact rank.
    """
    matrix = [list(r) for r in dict.fromkeys(tuple(r) for r in rows) if any(r)]
    if not matrix:
        return []
    reduced, _ = _eliminate(matrix, len(matrix[0]))
    return reduced


def _eliminate(matrix: list[list[int]], width: int) -> tuple[list[list[int]], list[int]]:
    """Gauss-Jordan elimination of ``matrix`` on its first ``width`` columns, in place.

    A row is reduced by another as ``row * pivot - factor * other``, then
    divided by the gcd of its entries, so every step is exact and the entries
    stay small integers. Columns past ``width`` are carried along, never
    pivoted on (:func:`derivation` keeps there which groups a row combines).

    Returns:
        The rows with a pivot, in order, and each one's pivot column.
    """
    top = 0
    pivots: list[int] = []
    for col in range(width):
        if not _raise_pivot(matrix, top, col):
            continue
        head = matrix[top]
        for i, row in enumerate(matrix):
            if i != top and row[col] != 0:
                matrix[i] = _reduced(row, head, col)
        pivots.append(col)
        top += 1
    return matrix[:top], pivots


def _raise_pivot(matrix: list[list[int]], top: int, col: int) -> bool:
    """Swap into row ``top`` a row from there on that is not 0 in ``col``; False if none is."""
    if top == len(matrix):
        return False
    pivot = next((i for i in range(top, len(matrix)) if matrix[i][col] != 0), None)
    if pivot is None:
        return False
    matrix[top], matrix[pivot] = matrix[pivot], matrix[top]
    return True


def _reduced(row: list[int], head: list[int], col: int) -> list[int]:
    """``row`` less a multiple of ``head`` that makes it 0 in ``col``, on integers, over its gcd.

    The row is scaled by the head's entry first (``row * p - factor * head``),
    so every step is exact; the entries then shrink back by their gcd. The
    arithmetic runs in C (map), which matters: it is the hot loop of a report.
    """
    p, factor = head[col], row[col]
    scaled = row if p == 1 else map(p.__mul__, row)
    new = list(map(operator.sub, scaled, map(factor.__mul__, head)))
    g = math.gcd(*new)
    return [v // g for v in new] if g > 1 else new


def _vanishing_part(matrix: list[list[int]], width: int) -> list[list[int]]:
    """Rows spanning the combinations of the rows of ``matrix`` that are 0 on its first ``width``.

    Forward elimination (no reduction above a pivot: the rows with a pivot
    there are dropped) on those columns, in place, as :func:`_eliminate` does
    it; the rows left are 0 there, and are returned without those columns.
    """
    top = 0
    for col in range(width):
        if not _raise_pivot(matrix, top, col):
            continue
        head = matrix[top]
        for i in range(top + 1, len(matrix)):
            if matrix[i][col] != 0:
                matrix[i] = _reduced(matrix[i], head, col)
        top += 1
    return [row[width:] for row in matrix[top:]]


def rank(rows: Sequence[Sequence[int]]) -> int:
    """The exact rank of an integer matrix."""
    return len(reduced_echelon(rows))


def leaking_sets(
    sizes: Mapping[A, int],
    shown: Collection[frozenset[A]],
    floor: int,
    public: Collection[frozenset[A]] = (),
    limit: int | None = None,
) -> list[frozenset[A]]:
    """The sets of ``0 < n < floor`` people that follow from the shown groups.

    Args:
        sizes: People per atom (the finest cells).
        shown: Each shown group as the set of its atoms.
        floor: The anonymity floor.
        public: Sets that may be shown whatever their size (the organisation
            as a whole); a derived set equal to one of them is no leak.
        limit: Stop after this many (enough to know there are at least so many).

    Returns:
        Each leaking set as a set of atoms (empty when nothing leaks). When V is
        too large to search, one set: all the small atoms (conservative).
    """
    return leaking_rows(sizes, [dict.fromkeys(g, 1) for g in shown], floor, public, limit)


def leaking_rows(
    sizes: Mapping[A, int],
    shown: Sequence[Mapping[A, int]],
    floor: int,
    public: Collection[frozenset[A]] = (),
    limit: int | None = None,
) -> list[frozenset[A]]:
    """As :func:`leaking_sets`, for figures that weigh their atoms differently.

    Each shown figure is the integer weight it gives each atom's sum (a
    group's total: 1 on each of its atoms; a mean of the people's own
    scores: one over each atom's own weight, scaled to integers). A set
    follows when its indicator is a combination of the figures.
    """
    figures = [r for r in shown if any(v and sizes.get(a, 0) > 0 for a, v in r.items())]
    # each atom's weights in the figures that hold it, figure by figure
    weights: dict[A, list[tuple[int, int]]] = {a: [] for a, n in sizes.items() if n > 0}
    for i, r in enumerate(figures):
        for atom, v in r.items():
            if v and atom in weights:
                weights[atom].append((i, v))
    signature: dict[tuple[tuple[int, int], ...], list[A]] = {}
    for atom, key in weights.items():
        if key:
            signature.setdefault(tuple(key), []).append(atom)
    merged = [frozenset(atoms) for atoms in signature.values()]
    size = {m: sum(sizes[a] for a in m) for m in merged}
    small = [m for m in merged if size[m] < floor]
    if not small:
        return []
    large = [m for m in merged if size[m] >= floor]
    columns = large + small
    reps = [next(iter(m)) for m in columns]
    zeros = itertools.repeat(0)
    matrix = [list(map(r.get, reps, zeros)) for r in figures]
    # V is spanned by what the figures leave once the large atoms are eliminated;
    # reduced on the small atoms, those rows are a basis of V with a pivot each
    basis = reduced_echelon(_vanishing_part(matrix, len(large)))
    if not basis:
        return []
    if len(basis) > MAX_EXACT:
        return [frozenset().union(*small)]
    pivots = [next(j for j, v in enumerate(r) if v != 0) for r in basis]
    # scaled to one common pivot, holding only the entries off the pivots (a
    # pivot entry is the scale in its row and 0 in the others)
    scale = math.lcm(*(r[p] for r, p in zip(basis, pivots, strict=True)))
    off = set(pivots)
    rows = [
        {j: v * (scale // r[p]) for j, v in enumerate(r) if v != 0 and j not in off}
        for r, p in zip(basis, pivots, strict=True)
    ]
    allowed = {frozenset(a for a in p if sizes.get(a, 0) > 0) for p in public}
    # a 0/1 vector holds the pivot atom of each basis vector it uses, so a set
    # under the floor uses basis vectors whose pivot atoms total under the floor
    pivot_size = [size[small[p]] for p in pivots]
    order = sorted(range(len(basis)), key=lambda i: pivot_size[i])
    found: list[frozenset[A]] = []

    def search(start: int, vector: dict[int, int], picked: list[int], total: int) -> bool:
        """Depth first over the basis; False once ``limit`` leaks are found."""
        for at in range(start, len(order)):
            i = order[at]
            if total + pivot_size[i] >= floor:
                return True  # sorted: every later one is at least as large
            summed = dict(vector)
            for j, v in rows[i].items():
                w = summed.get(j, 0) + v
                if w:
                    summed[j] = w
                else:
                    del summed[j]
            chosen = [*picked, i]
            if all(v == scale for v in summed.values()):
                columns = [pivots[k] for k in chosen] + list(summed)
                if sum(size[small[j]] for j in columns) < floor:
                    people = frozenset().union(*(small[j] for j in columns))
                    if people not in allowed:
                        found.append(people)
                        if limit is not None and len(found) >= limit:
                            return False
            if not search(at + 1, summed, chosen, total + pivot_size[i]):
                return False
        return True

    search(0, {}, [], 0)
    return found


def derivation(
    sizes: Mapping[A, int], shown: Sequence[frozenset[A]], target: frozenset[A]
) -> list[int]:
    """Which shown groups a reader adds or subtracts to get ``target`` (their indices).

    One way of writing ``target`` as a sum of shown groups with rational
    coefficients, found exactly by the same elimination as
    :func:`reduced_echelon`, with each row carrying the combination of shown
    groups it stands for. Empty when ``target`` does not follow.
    """
    atoms = [a for a, n in sizes.items() if n > 0]
    width, count = len(atoms), len(shown)
    matrix = [
        [1 if a in g else 0 for a in atoms] + [1 if k == i else 0 for k in range(count)]
        for i, g in enumerate(shown)
    ]
    reduced, pivots = _eliminate(matrix, width)
    vector = [1 if a in target else 0 for a in atoms] + [0] * count
    for row, col in zip(reduced, pivots, strict=True):
        factor = vector[col]
        if factor != 0:
            vector = [a * row[col] - factor * b for a, b in zip(vector, row, strict=True)]
    if any(vector[:width]):
        return []
    return [k for k in range(count) if vector[width + k] != 0]


def secondary_suppression(
    sizes: Mapping[A, int],
    groups: Mapping[G, frozenset[A]],
    suppressed: set[G],
    floor: int,
    *,
    keep: Collection[G] = (),
    close: Callable[[set[G]], set[G]] | None = None,
    order: Callable[[G], str] = str,
    try_each: bool = True,
) -> set[G]:
    """Suppress more groups until no set of ``0 < n < floor`` people follows from the shown.

    Greedy. At each step the shown groups (but those in ``keep``, always
    shown) that a reader adds or subtracts to derive the first leaking set
    (:func:`derivation`) are tried, the smallest first, then the groups
    holding small atoms: suppressing one, then applying ``close`` (the
    caller's own rules, e.g. a suppressed group's subgroups go too). The
    first whose suppression leaves fewer leaking sets is taken.
    When none does (two groups that duplicate each other's information must
    both go), the smallest shown group holding small atoms or people of a
    leaking set is suppressed anyway, as in the usual secondary-suppression
    heuristic, and the search goes on. It ends when
    nothing leaks or only ``keep`` is left; each step suppresses at least
    one more group, so it ends.

    Args:
        sizes: People per atom.
        groups: Every group as the set of its atoms.
        suppressed: The groups already suppressed (the floor's own rules).
        floor: The anonymity floor.
        keep: Groups never suppressed (the organisation as a whole).
        close: Applies the caller's rules to a suppressed set (default: none).
        order: A stable name for ties.
        try_each: Try the candidates one by one (False: take the smallest
            holder of small atoms at once, one check a step: faster, may hide
            more).

    Returns:
        The suppressed groups, ``suppressed`` included.
    """
    closing = close or (lambda s: s)
    public = [groups[g] for g in keep if g in groups]

    def n_of(g: G) -> int:
        return sum(sizes.get(a, 0) for a in groups[g])

    memo: dict[frozenset[G], list[frozenset[A]]] = {}

    def leaks(hidden: set[G], limit: int | None = None) -> list[frozenset[A]]:
        key = frozenset(hidden)
        if key not in memo:
            shown = [atoms for g, atoms in groups.items() if g not in hidden and n_of(g) > 0]
            found = leaking_sets(sizes, shown, floor, public, limit)
            if limit is not None and len(found) >= limit:
                return found  # only a lower bound: not kept
            memo[key] = found
        return memo[key]

    small = {a for a, n in sizes.items() if 0 < n < floor}
    current = closing(set(suppressed))
    found = leaks(current)
    while found:
        candidates = sorted(
            (g for g in groups if g not in current and g not in keep and n_of(g) > 0),
            key=lambda g: (n_of(g), order(g)),
        )
        if not candidates:
            break
        people = frozenset().union(*found)
        holders = [g for g in candidates if groups[g] & (small | people)] or candidates
        chosen = None
        if try_each:
            # the groups a reader uses to derive a leaking set come first, then the rest
            shown = [g for g in groups if g not in current and n_of(g) > 0]
            used = {shown[k] for k in derivation(sizes, [groups[g] for g in shown], found[0])}
            trials = [g for g in candidates if g in used] + [g for g in holders if g not in used]
        else:
            trials = []
        for g in trials:
            trial = closing(current | {g})
            if len(leaks(trial, limit=len(found))) < len(found):
                chosen = trial
                break
        current = chosen if chosen is not None else closing(current | {holders[0]})
        found = leaks(current)
    return current

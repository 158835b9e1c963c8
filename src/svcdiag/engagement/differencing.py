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
   non-zero exactly when rank(G) > rank(G restricted to L). The rank is
   computed exactly, by fraction-free (Bareiss) elimination on integers;
4. V has a reduced basis with a pivot column per vector, so a 0/1 vector of
   V is fixed by its pivot entries: trying every subset of the basis finds
   every derivable set of small atoms. One with ``0 < n < floor`` leaks; one
   reaching the floor is as safe as a shown group.

When V has more than :data:`MAX_EXACT` dimensions the subsets are not tried
and V counts as leaking (conservative).

:func:`secondary_suppression` then suppresses more groups until nothing
leaks (greedy; see its docstring).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from fractions import Fraction
from itertools import combinations
from typing import TypeVar

A = TypeVar("A", bound=Hashable)
G = TypeVar("G", bound=Hashable)

#: Largest dimension of V whose subsets are tried one by one (2**MAX_EXACT of them).
MAX_EXACT = 14


def echelon(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    """The non-zero rows of an integer matrix in row echelon form (Bareiss, exact).

    Every step is an exact integer division (Bareiss, 1968), so the entries
    stay integers (minors of the matrix) and the rank is exact.
    """
    matrix = [list(r) for r in rows]
    if not matrix:
        return []
    width = len(matrix[0])
    previous = 1
    top = 0
    for col in range(width):
        pivot = next((i for i in range(top, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[top], matrix[pivot] = matrix[pivot], matrix[top]
        head = matrix[top]
        p = head[col]
        for i in range(top + 1, len(matrix)):
            row = matrix[i]
            factor = row[col]
            if factor == 0:
                if p != previous:
                    for j in range(col + 1, width):
                        row[j] = row[j] * p // previous
                continue
            for j in range(col + 1, width):
                row[j] = (row[j] * p - factor * head[j]) // previous
            row[col] = 0
        previous = p
        top += 1
        if top == len(matrix):
            break
    return matrix[:top]


def rank(rows: Sequence[Sequence[int]]) -> int:
    """The exact rank of an integer matrix."""
    return len(echelon(rows))


def _reduced(rows: Sequence[Sequence[int]]) -> list[list[Fraction]]:
    """Reduced row echelon form of independent rows (each pivot 1, alone in its column)."""
    out = [[Fraction(v) for v in r] for r in rows]
    pivots = []
    for row in out:
        col = next(j for j, v in enumerate(row) if v != 0)
        lead = row[col]
        row[:] = [v / lead for v in row]
        pivots.append(col)
    for k, col in enumerate(pivots):
        for i, other in enumerate(out):
            if i != k and other[col] != 0:
                factor = other[col]
                other[:] = [a - factor * b for a, b in zip(other, out[k], strict=True)]
    return out


def leaking_sets(
    sizes: Mapping[A, int],
    shown: Collection[frozenset[A]],
    floor: int,
    public: Collection[frozenset[A]] = (),
) -> list[frozenset[A]]:
    """The sets of ``0 < n < floor`` people that follow from the shown groups.

    Args:
        sizes: People per atom (the finest cells).
        shown: Each shown group as the set of its atoms.
        floor: The anonymity floor.
        public: Sets that may be shown whatever their size (the organisation
            as a whole); a derived set equal to one of them is no leak.

    Returns:
        Each leaking set as a set of atoms (empty when nothing leaks). When V is
        too large to search, one set: all the small atoms (conservative).
    """
    groups = [g for g in shown if any(sizes.get(a, 0) > 0 for a in g)]
    signature: dict[tuple[int, ...], list[A]] = {}
    for atom, n in sizes.items():
        if n > 0:
            key = tuple(i for i, g in enumerate(groups) if atom in g)
            if key:
                signature.setdefault(key, []).append(atom)
    merged = [frozenset(atoms) for atoms in signature.values()]
    size = {m: sum(sizes[a] for a in m) for m in merged}
    small = [m for m in merged if size[m] < floor]
    if not small:
        return []
    large = [m for m in merged if size[m] >= floor]
    columns = large + small
    matrix = [[1 if next(iter(m)) in g else 0 for m in columns] for g in groups]
    pivot_on_small = [r for r in echelon(matrix) if not any(r[: len(large)])]
    if not pivot_on_small:
        return []
    if len(pivot_on_small) > MAX_EXACT:
        return [frozenset().union(*small)]
    basis = [r[len(large) :] for r in _reduced(pivot_on_small)]
    allowed = {frozenset(a for a in p if sizes.get(a, 0) > 0) for p in public}
    found = []
    for k in range(1, len(basis) + 1):
        for chosen in combinations(basis, k):
            vector = [sum(col) for col in zip(*chosen, strict=True)]
            if any(v not in (0, 1) for v in vector):
                continue
            people = frozenset().union(*(m for m, v in zip(small, vector, strict=True) if v))
            n = sum(size[m] for m, v in zip(small, vector, strict=True) if v)
            if 0 < n < floor and people not in allowed:
                found.append(people)
    return found


def secondary_suppression(
    sizes: Mapping[A, int],
    groups: Mapping[G, frozenset[A]],
    suppressed: set[G],
    floor: int,
    *,
    keep: Collection[G] = (),
    close: Callable[[set[G]], set[G]] | None = None,
    order: Callable[[G], str] = str,
) -> set[G]:
    """Suppress more groups until no set of ``0 < n < floor`` people follows from the shown.

    Greedy. At each step every shown group (but those in ``keep``, always
    shown) is tried: suppressing it, then applying ``close`` (the caller's
    own rules, e.g. a suppressed group's subgroups go too). The group whose
    suppression leaves the fewest leaking sets is chosen, if that is fewer
    than now, the smallest first. When no single group reduces them (two
    groups that duplicate each other's information must both go), the
    smallest shown group holding people of a leaking set is suppressed, as
    in the usual secondary-suppression heuristic. It ends when nothing leaks
    or only ``keep`` is left.

    Args:
        sizes: People per atom.
        groups: Every group as the set of its atoms.
        suppressed: The groups already suppressed (the floor's own rules).
        floor: The anonymity floor.
        keep: Groups never suppressed (the organisation as a whole).
        close: Applies the caller's rules to a suppressed set (default: none).
        order: A stable name for ties.

    Returns:
        The suppressed groups, ``suppressed`` included.
    """
    closing = close or (lambda s: s)
    public = [groups[g] for g in keep if g in groups]

    def n_of(g: G) -> int:
        return sum(sizes.get(a, 0) for a in groups[g])

    def leaks(hidden: set[G]) -> list[frozenset[A]]:
        shown = [atoms for g, atoms in groups.items() if g not in hidden and n_of(g) > 0]
        return leaking_sets(sizes, shown, floor, public)

    current = closing(set(suppressed))
    found = leaks(current)
    while found:
        candidates = sorted(
            (g for g in groups if g not in current and g not in keep and n_of(g) > 0),
            key=lambda g: (n_of(g), order(g)),
        )
        if not candidates:
            break
        best: tuple[int, set[G]] | None = None
        for g in candidates:
            trial = closing(current | {g})
            left = len(leaks(trial))
            if left < len(found) and (best is None or left < best[0]):
                best = (left, trial)
                if left == 0:
                    break
        if best is None:
            people = frozenset().union(*found)
            holder = next((g for g in candidates if groups[g] & people), candidates[0])
            current = closing(current | {holder})
        else:
            current = best[1]
        found = leaks(current)
    return current

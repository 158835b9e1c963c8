"""Which groups may be shown: the anonymity floor and complementary suppression.

A group is a role node (everyone, leaders, workforce, or one role) crossed
with a unit node (the whole organisation, or a unit and the units under it).
Both form trees::

    all ── leaders ── board, manager          all ── top-level units ── their units ...
        ├─ workforce ── staff, frontline          └─ (no unit)            └─ (directly in the unit)
        └─ customer

Every parent group is partitioned by its children in each tree; people who
belong to the parent but to none of its shown children (those without a
unit, or directly in a unit that has sub-units) form a hidden remainder that
is never shown on its own. The rules, applied to every partition until
nothing changes:

1. a group with fewer responses than the floor (but at least one) is
   suppressed; a group with none is "no data", which reveals nobody;
2. the children of a suppressed group are suppressed too;
3. the people of a shown parent who are not in a shown child (suppressed
   children and the hidden remainder) must number 0 or at least the floor,
   or their values would follow by subtraction: while they are fewer, the
   smallest shown child is suppressed as well (complementary suppression);
4. across breakdowns: no set of fewer than the floor people (and more than
   none) may follow by adding and subtracting shown groups of different
   breakdowns (leaders minus the leaders in a unit, where those are the unit
   minus its workforce). :mod:`.differencing` finds such sets exactly and
   suppresses more groups, applying rules 2 and 3 again after each
   (:func:`protected_groups`).

The organisation as a whole (``all``) is always shown, even with fewer
respondents than the floor: the diagnosis is of the whole organisation, and
``engagement status`` warns when it rests on so few. Suppressed groups are
merged upward: their people still count in the nearest shown group above them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from svcdiag.engagement.differencing import secondary_suppression
from svcdiag.models.findings import Role

#: Role nodes: their parent and their member roles, top first.
ROLE_PARENT: dict[str, str | None] = {
    "all": None,
    "leaders": "all",
    "workforce": "all",
    "customer": "all",
    "board": "leaders",
    "manager": "leaders",
    "staff": "workforce",
    "frontline": "workforce",
}
ROLE_MEMBERS: dict[str, frozenset[str]] = {
    "all": frozenset(r.value for r in Role),
    "leaders": frozenset({"board", "manager"}),
    "workforce": frozenset({"staff", "frontline"}),
    **{r.value: frozenset({r.value}) for r in Role},
}
#: The unit node of the whole organisation.
ALL = "all"

#: A group: (role node, unit node).
Group = tuple[str, str]
#: A person's cell: (role, unit id or None).
Cell = tuple[str, "str | None"]


def group_id(group: Group) -> str:
    """The group's id in reports: ``all``, ``leaders``, ``unit:north``, ``frontline@unit:north``."""
    role, unit = group
    if unit == ALL:
        return role
    return f"unit:{unit}" if role == ALL else f"{role}@unit:{unit}"


@dataclass(frozen=True)
class UnitTree:
    """The client's units as a tree under the whole organisation."""

    parent: Mapping[str, str]

    @classmethod
    def from_parents(cls, parents: Mapping[str, str | None]) -> UnitTree:
        """Build the tree from each unit's parent (None: a top-level unit)."""
        return cls({unit: parent or ALL for unit, parent in parents.items()})

    def nodes(self) -> list[str]:
        """Every unit node, the whole organisation first."""
        return [ALL, *self.parent]

    def children(self, node: str) -> list[str]:
        """The units directly under ``node``."""
        return [u for u, p in self.parent.items() if p == node]

    def ancestors(self, unit: str | None) -> list[str]:
        """``unit`` and the nodes above it up to ``all`` (an unknown unit: just ``all``)."""
        chain = []
        seen: set[str] = set()
        node = unit
        while node is not None and node in self.parent and node not in seen:
            seen.add(node)
            chain.append(node)
            node = self.parent[node]
        chain.append(ALL)
        return chain


def role_ancestors(role: str) -> list[str]:
    """``role`` and the role nodes above it."""
    chain = []
    node: str | None = role
    while node is not None:
        chain.append(node)
        node = ROLE_PARENT[node]
    return chain


def group_counts(per_cell: Mapping[Cell, int], tree: UnitTree) -> Counter[Group]:
    """How many people are in each group, from the people per cell (role, unit)."""
    counts: Counter[Group] = Counter()
    for (role, unit), n in per_cell.items():
        units = tree.ancestors(unit)
        for role_node in role_ancestors(role):
            for unit_node in units:
                counts[(role_node, unit_node)] += n
    return counts


@dataclass(frozen=True)
class Partition:
    """A parent group, its children, and whether some of its people are in no child."""

    parent: Group
    children: tuple[Group, ...]


def partitions(tree: UnitTree) -> list[Partition]:
    """Every partition of a group by its children, in both trees."""
    found = []
    role_children = {
        node: tuple(c for c, p in ROLE_PARENT.items() if p == node) for node in ROLE_PARENT
    }
    for unit in tree.nodes():
        for role, kids in role_children.items():
            if kids:
                found.append(Partition((role, unit), tuple((c, unit) for c in kids)))
    found.extend(
        Partition((role, unit), tuple((role, c) for c in tree.children(unit)))
        for role in ROLE_PARENT
        for unit in tree.nodes()
    )
    return found


def suppressed_groups(
    counts: Mapping[Group, int], tree: UnitTree, floor: int, start: Iterable[Group] = ()
) -> set[Group]:
    """The groups that must not be shown by rules 1 to 3 (see the module docstring).

    ``start`` are groups already suppressed (by :func:`protected_groups`).
    """
    suppressed = {g for g, n in counts.items() if 0 < n < floor and g != (ALL, ALL)}
    suppressed.update(start)
    rules = partitions(tree)
    changed = True
    while changed:
        changed = False
        for part in rules:
            parent_n = counts.get(part.parent, 0)
            if parent_n == 0:
                continue
            children = [c for c in part.children if counts.get(c, 0) > 0]
            if part.parent in suppressed:
                new = [c for c in children if c not in suppressed]
                suppressed.update(new)
                changed = changed or bool(new)
                continue
            shown = sorted(
                (c for c in children if c not in suppressed),
                key=lambda c: (counts[c], group_id(c)),
            )
            hidden = parent_n - sum(counts[c] for c in shown)
            while 0 < hidden < floor and shown:
                smallest = shown.pop(0)
                suppressed.add(smallest)
                hidden += counts[smallest]
                changed = True
    return suppressed


def merged_into(group: Group, suppressed: set[Group], tree: UnitTree) -> Group:
    """The nearest shown group above a suppressed one (its role first, then its unit)."""
    role, unit = group
    for role_node in role_ancestors(role):
        if (role_node, unit) not in suppressed:
            return (role_node, unit)
    for unit_node in tree.ancestors(unit)[1:]:
        if (role, unit_node) not in suppressed:
            return (role, unit_node)
    return (ALL, ALL)


def shown_complement_ok(
    counts: Mapping[Group, int], shown: set[Group], tree: UnitTree, floor: int
) -> list[str]:
    """Check that no partition of a shown group leaves fewer than ``floor`` people unshown.

    (When no child is shown the rest is the parent itself, which reveals nothing more.)

    Returns one line per breach (empty when the rules hold); used by tests and
    as a last check before a report is built.
    """
    problems = []
    for part in partitions(tree):
        if part.parent not in shown:
            continue
        parent_n = counts.get(part.parent, 0)
        rest = parent_n - sum(counts.get(c, 0) for c in part.children if c in shown)
        if 0 < rest < floor and rest != parent_n:
            problems.append(f"{group_id(part.parent)}: {rest} people follow by subtraction")
    return problems


def comment_cells(per_cell: Mapping[Cell, int], floor: int) -> set[Cell]:
    """The cells (role, unit) whose free text may be shown: those with at least ``floor``."""
    return {cell for cell, n in per_cell.items() if n >= floor}


def cell_in_group(cell: Cell, group: Group, tree: UnitTree) -> bool:
    """Whether the people of ``cell`` belong to ``group``."""
    role, unit = group
    return cell[0] in ROLE_MEMBERS[role] and (unit == ALL or unit in tree.ancestors(cell[1]))


def group_cells(per_cell: Mapping[Cell, int], tree: UnitTree) -> dict[Group, frozenset[Cell]]:
    """Each group that anyone is in, as the set of its cells (role, unit)."""
    found: dict[Group, set[Cell]] = {}
    for (role, unit), n in per_cell.items():
        if n <= 0:
            continue
        for role_node in role_ancestors(role):
            for unit_node in tree.ancestors(unit):
                found.setdefault((role_node, unit_node), set()).add((role, unit))
    return {g: frozenset(cells) for g, cells in found.items()}


def protected_groups(per_cell: Mapping[Cell, int], tree: UnitTree, floor: int) -> set[Group]:
    """The groups that must not be shown: rules 1 to 3, then rule 4 across breakdowns.

    Rule 4: no set of fewer than ``floor`` people (and more than none) may
    follow by adding and subtracting shown groups of any breakdowns (roles,
    units, roles within units, the total); :mod:`.differencing` finds such
    sets and picks further groups to suppress, each with rules 2 and 3
    applied again.
    """
    counts = group_counts(per_cell, tree)
    first = suppressed_groups(counts, tree, floor)
    if counts.get((ALL, ALL), 0) < floor:
        return first
    return secondary_suppression(
        {cell: n for cell, n in per_cell.items() if n > 0},
        group_cells(per_cell, tree),
        first,
        floor,
        keep={(ALL, ALL)},
        close=lambda hidden: suppressed_groups(counts, tree, floor, hidden),
        order=group_id,
    )

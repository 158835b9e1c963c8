"""Put the groups of an aggregation in the order they first appear in the file.

Units, branches and series are listed in the order the client's file first
mentions them, as a reader of the file expects. Numbering every row to find
that order would keep the engine from reading the file in parallel (about a
third of the time of a large aggregation), so the aggregation runs without row
numbers and the order is found afterwards:

1. The first :data:`PREFIX_ROWS` rows are numbered and each key's first row is
   taken. In a typical export every agent or branch appears early on, and this
   costs a few milliseconds whatever the file's size.
2. Only when some key does not appear there (a unit that starts late) is the
   whole file numbered. A prefix that already holds more than
   :data:`MANY_KEYS` keys announces a file of many units (one row per unit,
   say): there the aggregation numbers the rows itself and the engine sorts,
   which beats sorting a million units in Python.

Either way the result is exactly the order of first appearance.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from svcdiag.stats.engine import Engine

#: Rows read in file order to find where the keys first appear.
PREFIX_ROWS = 50_000
#: More distinct keys than this in the prefix: let the aggregation number the rows.
MANY_KEYS = 10_000

T = TypeVar("T")


def in_file_order(
    engine: Engine,
    table_sql: str,
    key_sql: Sequence[str],
    found: list[T],
    key_of: Callable[[T], Hashable],
) -> list[T]:
    """Return ``found`` sorted by where each one's key first appears in ``table_sql``.

    ``table_sql`` yields ``_row`` (the row's position) and the columns the
    expressions in ``key_sql`` read; ``key_of`` gives, for an item of
    ``found``, the tuple of those expressions' values (a single value when
    there is one expression).
    """
    if len(found) < 2:
        return found
    if len({key_of(item) for item in found}) <= PREFIX_ROWS:  # else the prefix cannot hold them
        prefix = first_rows(engine, table_sql, key_sql, PREFIX_ROWS)
        ordered = sorted_by_first(found, prefix, key_of)
        if ordered is not None:
            return ordered
    everywhere = first_rows(engine, table_sql, key_sql, None)
    return sorted_by_first(found, everywhere, key_of) or found  # every key is in the file


def sorted_by_first(
    found: list[T], first: dict[Hashable, int], key_of: Callable[[T], Hashable]
) -> list[T] | None:
    """Return ``found`` sorted by each key's row in ``first``; None if a key is not there."""
    keys = [key_of(item) for item in found]
    if not all(key in first for key in keys):
        return None
    order = sorted(range(len(found)), key=lambda i: first[keys[i]])
    return [found[i] for i in order]


def first_rows(
    engine: Engine, table_sql: str, key_sql: Sequence[str], limit: int | None
) -> dict[Hashable, int]:
    """Map each key (values of ``key_sql``) to its first ``_row``, in the first ``limit`` rows."""
    keys = ", ".join(f"{expr} AS k{i}" for i, expr in enumerate(key_sql))
    names = ", ".join(f"k{i}" for i in range(len(key_sql)))
    rows = f"SELECT * FROM ({table_sql}) LIMIT {limit}" if limit is not None else table_sql
    found = engine.rows(
        f"SELECT {names}, min(_row) FROM (SELECT {keys}, _row FROM ({rows})) GROUP BY ALL"
    )
    return {_key(row[:-1]): int(row[-1]) for row in found}


def _key(values: Sequence[Any]) -> Hashable:
    return values[0] if len(values) == 1 else tuple(values)

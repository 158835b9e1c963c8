"""Many units kept in the engine: the funnel analysis of a file with a row per unit.

``variation -f csv`` on a file of a million units lists every one of them.
Brought into Python as rows, made into a result per unit and then formatted
one by one, they took three seconds. Here they stay in a temporary table: only
their distinct (events, cases) pairs come to Python, where
:func:`~svcdiag.stats.funnel.fit_pairs` analyses them, and the engine joins
each unit to the text its pair is written as, in the order the units first
appear in the file.

Only a clean file of many units takes this way: one whose first
:data:`~.appearance.PREFIX_ROWS` rows hold more than
:data:`~.appearance.MANY_KEYS` units (the caller checks). Anything the checks
of :mod:`.aggregate` would report (a value the rules refuse, an empty unit,
NUL in a name, too many cases, a file the engine cannot read as asked) makes
:func:`kept_units` return None. The caller then takes the usual way, which
gives the same result or names the problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from svcdiag.stats.aggregate import Order, UnitQuery, out_of_memory
from svcdiag.stats.engine import Engine
from svcdiag.stats.sources import DataSource
from svcdiag.stats.values import MAX_CASES

#: Lines fetched from the engine at a time.
CHUNK_ROWS = 65_536

Pair = tuple[int, int]


@dataclass
class UnitTable:
    """A temporary table of units (``u``, ``events``, ``cases``, ``first``) and its totals."""

    engine: Engine
    table: str
    units: int
    events: int
    cases: int

    def pairs(self) -> Counter[Pair]:
        """How many units have each distinct (events, cases)."""
        rows = self.engine.rows(f"SELECT events, cases, count(*) FROM {self.table} GROUP BY ALL")
        return Counter({(int(events), int(cases)): int(n) for events, cases, n in rows})

    def lines(self, name_sql: Callable[[str], str], texts: Mapping[Pair, str]) -> Iterator[str]:
        """Yield each unit's line, a chunk at a time, in the order units first appear.

        A line is the unit's name as the SQL expression ``name_sql(column)``
        writes it, then the text ``texts`` holds for the unit's pair (every
        pair of :meth:`pairs` must be there). The engine writes the names and
        Python adds the texts: a text shared by many units is never copied
        into the engine's result, which keeps a million long lines (JSON's)
        quicker and a few hundred megabytes smaller.
        """
        pairs = self.engine.fresh_name("pairs")
        keys = list(texts)
        after = list(texts.values())
        self.engine.run(
            f"CREATE TEMP TABLE {pairs} AS SELECT unnest($1::BIGINT[]) AS events, "
            "unnest($2::BIGINT[]) AS cases, unnest($3::BIGINT[]) AS text",
            [[events for events, _ in keys], [cases for _, cases in keys], list(range(len(keys)))],
        )
        query = (
            f"SELECT {name_sql('u')}, p.text FROM {self.table} "
            f"JOIN {pairs} AS p USING (events, cases) ORDER BY first"
        )
        for batch in self.engine.batches(query, CHUNK_ROWS):
            yield "".join([name + after[text] for name, text in batch])


def kept_units(
    engine: Engine, source: DataSource, query: UnitQuery, used: Sequence[int]
) -> UnitTable | None:
    """Aggregate the units of ``source`` into a table of the engine, if the file is clean.

    ``query`` is the aggregation (from :func:`~.aggregate.counts_query` or
    :func:`~.aggregate.outcomes_query`) and ``used`` the columns it reads.
    The caller has seen many units in the first rows
    (:func:`~.aggregate.first_rows_of`). Returns None unless the file
    passes every check (see the module's text).
    """
    import duckdb

    table_sql = source.used_sql(used) or source.table_sql
    try:
        name = engine.fresh_name("units")
        aggregation = query(table_sql, Order.FIRST_ROW_MANY, keep_first=True)
        engine.run(f"CREATE TEMP TABLE {name} AS {aggregation}")
        ((units, bad, events, cases, empty, nul),) = engine.rows(
            "SELECT count(*), sum(bad), sum(events), sum(cases), "
            f"bool_or(u = '' OR cases = 0), bool_or(contains(u, chr(0))) FROM {name}"
        )
    except duckdb.OutOfMemoryException:
        raise out_of_memory(source) from None
    except duckdb.Error:
        return None  # the usual way names the problem
    if not units or bad or cases > MAX_CASES or empty or nul:
        return None
    return UnitTable(engine, name, int(units), int(events), int(cases))

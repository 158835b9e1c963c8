"""Many units kept in the engine: the funnel analysis of a file with a row per unit.

``variation -f csv`` (or ``-f json``, ``-f yaml``) on a file of a million
units lists every one of them. Brought into Python as rows, made into a
result per unit and then formatted one by one, they took three seconds (six
for JSON, eleven for YAML); the terminal view, which lists a few, took
almost five. Here
they stay in a temporary table: only their distinct (events, cases) pairs
come to Python, where :func:`~svcdiag.stats.funnel.fit_pairs` analyses them;
the engine writes each unit's name, in the order the units first appear in
the file, and Python adds the text of its pair.

Only a clean file of many units takes this way: one whose first
:data:`~.appearance.PREFIX_ROWS` rows hold more than
:data:`~.appearance.MANY_KEYS` units (the caller checks). Anything the checks
of :mod:`.aggregate` would report (a value the rules refuse, an empty unit,
NUL in a name, too many cases, a file the engine cannot read as asked), and a
table beyond the engine's memory, make :func:`kept_units` return None. The
caller then takes the usual way, which gives the same result or names the
problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from svcdiag.stats.aggregate import Order, UnitQuery, out_of_memory
from svcdiag.stats.engine import Engine
from svcdiag.stats.sources import DataSource
from svcdiag.stats.values import MAX_CASES

#: Lines fetched from the engine, and written, at a time (as the usual CSV writer does).
CHUNK_ROWS = 4_096

Pair = tuple[int, int]


@dataclass
class UnitTable:
    """A temporary table of units and its totals.

    Its columns are ``u`` (the name without outer spaces), ``events``,
    ``cases``, ``bad`` (0: refused values send the file the usual way) and
    ``first`` (the unit's first row).
    """

    engine: Engine
    source: DataSource
    table: str
    units: int
    events: int
    cases: int

    def pairs(self) -> Counter[Pair]:
        """How many units have each distinct (events, cases)."""
        with self._memory():
            rows = self.engine.rows(
                f"SELECT events, cases, count(*) FROM {self.table} GROUP BY ALL"
            )
        return Counter({(int(events), int(cases)): int(n) for events, cases, n in rows})

    def rows(self) -> list[tuple[Any, ...]]:
        """Every unit as the usual aggregation gives it: (name, events, cases, 0), in file order."""
        with self._memory():
            return self.engine.rows(
                f"SELECT u, events, cases, bad FROM {self.table} ORDER BY first"
            )

    def lines(
        self,
        name_sql: Callable[[str], str],
        texts: Mapping[Pair, str],
        name_text: Callable[[str], str] | None = None,
    ) -> Iterator[str]:
        """Yield each unit's line, a chunk at a time, in the order units first appear.

        A line is the unit's name as the SQL expression ``name_sql(column)``
        writes it (and then, if given, the Python function ``name_text``),
        followed by the text ``texts`` holds for the unit's pair (every
        pair of :meth:`pairs` must be there). The engine writes the names and
        Python adds the texts: a text shared by many units is never copied
        into the engine's result, which keeps a million long lines (JSON's)
        quicker and a few hundred megabytes smaller.

        Raises:
            UsageError: the engine ran out of memory (before the first
                chunk, which needs every unit sorted, or while listing).
        """
        pairs = self.engine.fresh_name("pairs")
        keys = list(texts)
        after = list(texts.values())
        query = (
            f"SELECT {name_sql('u')}, p.text FROM {self.table} "
            f"JOIN {pairs} AS p USING (events, cases) ORDER BY first"
        )
        with self._memory():
            self.engine.run(
                f"CREATE TEMP TABLE {pairs} AS SELECT unnest($1::BIGINT[]) AS events, "
                "unnest($2::BIGINT[]) AS cases, unnest($3::BIGINT[]) AS text",
                [[e for e, _ in keys], [c for _, c in keys], list(range(len(keys)))],
            )
            for batch in self.engine.batches(query, CHUNK_ROWS):
                if name_text is None:
                    yield "".join([name + after[text] for name, text in batch])
                else:
                    yield "".join([name_text(name) + after[text] for name, text in batch])

    def ranked(self, ranks: Mapping[Pair, int], limit: int) -> list[tuple[str, Pair, int]]:
        """The first ``limit`` units whose pair ``ranks`` holds, by its rank, then in file order.

        Returns each unit's name, pair and first row (its place in file order).
        """
        table = self.engine.fresh_name("ranks")
        keys = list(ranks)
        with self._memory():
            self.engine.run(
                f"CREATE TEMP TABLE {table} AS SELECT unnest($1::BIGINT[]) AS events, "
                "unnest($2::BIGINT[]) AS cases, unnest($3::BIGINT[]) AS rank",
                [[e for e, _ in keys], [c for _, c in keys], [ranks[key] for key in keys]],
            )
            found = self.engine.rows(
                f"SELECT u, events, cases, first FROM {self.table} JOIN {table} AS r "
                f"USING (events, cases) ORDER BY r.rank, first LIMIT {int(limit)}"
            )
            self.engine.run(f"DROP TABLE {table}")
        return [(str(u), (int(e), int(c)), int(first)) for u, e, c, first in found]

    @contextmanager
    def _memory(self) -> Iterator[None]:
        import duckdb

        try:
            yield
        except duckdb.OutOfMemoryException:
            raise out_of_memory(self.source) from None


def kept_units(
    engine: Engine, source: DataSource, query: UnitQuery, used: Sequence[int]
) -> UnitTable | None:
    """Aggregate the units of ``source`` into a table of the engine, if the file is clean.

    ``query`` is the aggregation (from :func:`~.aggregate.counts_query` or
    :func:`~.aggregate.outcomes_query`) and ``used`` the columns it reads.
    The caller has seen many units in the first rows
    (:func:`~.aggregate.first_rows_of`). Returns None, leaving no table
    behind, unless the file passes every check (see the module's text) and
    the table fits in the engine's memory: the usual way then reads the file.
    """
    import duckdb

    table_sql = source.used_sql(used) or source.table_sql
    name = engine.fresh_name("units")
    try:
        aggregation = query(table_sql, Order.FIRST_ROW_MANY, keep_first=True)
        engine.run(f"CREATE TEMP TABLE {name} AS {aggregation}")
        ((units, bad, events, cases, empty, nul),) = engine.rows(
            "SELECT count(*), sum(bad), sum(events), sum(cases), "
            f"bool_or(u = '' OR cases = 0), bool_or(contains(u, chr(0))) FROM {name}"
        )
    except duckdb.Error:  # the usual way names the problem, or needs less memory
        units = 0
    if not units or bad or cases > MAX_CASES or empty or nul:
        with suppress(duckdb.Error):
            engine.run(f"DROP TABLE IF EXISTS {name}")
        return None
    return UnitTable(engine, source, name, int(units), int(events), int(cases))

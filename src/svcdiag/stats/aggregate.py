"""The aggregation queries of ``nps`` and ``variation``, run on the engine.

Each query turns a whole file into a few counts per group or per unit, in one
streaming pass: memory depends on the number of groups or units, not rows.
Values are checked in the same query (the rules of :mod:`.values`); when any
row fails, or DuckDB refuses to read one, :mod:`.locate` walks the rows and
names the first bad one, so every message reads as it always has.

A CSV file DuckDB refuses but Python's reader takes (trailing empty fields,
say) is read a second time with DuckDB's forgiving options.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from svcdiag.errors import DataError, UsageError
from svcdiag.stats import locate
from svcdiag.stats.appearance import in_file_order
from svcdiag.stats.engine import MEMORY_VARIABLE, Engine, memory_limit
from svcdiag.stats.funnel import UnitCount
from svcdiag.stats.sources import DataSource, Rows
from svcdiag.stats.values import MAX_CASES, parse_score, sql_strip, strip

Locate = Callable[[Rows], None]


@dataclass
class Checked:
    """The rows an aggregation found, and the table (SQL) it read them from."""

    rows: list[tuple[Any, ...]]
    table: str


def run_checked(
    engine: Engine,
    source: DataSource,
    query_for: Callable[[str], str],
    check: Locate,
    has_bad: Callable[[list[tuple[Any, ...]]], bool] | None = None,
    used: Sequence[int] = (),
) -> Checked:
    """Run ``query_for(table_sql)``; if DuckDB refuses the file, name the problem.

    ``check`` walks the rows and raises the error for the first bad one. It
    runs when DuckDB refuses the file, and when ``has_bad`` says the result
    counts values the rules refuse. A file it finds no fault in is read again
    with forgiving CSV options: Python's reader is the authority on what a
    row is (DuckDB, for one, takes ``a,b,`` under a two-column header as two
    fields, where Python sees a third, empty one).

    With ``used`` (the columns the query reads) the engine first reads only
    those; only a result ``has_bad`` finds fault with (blank rows, say) makes
    it read every column.

    Returns the rows found and the table they were read from (for
    :func:`.appearance.in_file_order`).
    """
    import duckdb

    quick = source.used_sql(used) if used else None
    if quick is not None and has_bad is not None:
        try:
            found = engine.rows(query_for(quick))
        except duckdb.OutOfMemoryException:
            raise _out_of_memory(source) from None
        except duckdb.Error:
            pass  # the full read below names the problem
        else:
            if not has_bad(found):
                return Checked(found, quick)
    found, table = _first_read(engine, source, query_for, check)
    if has_bad is None or not has_bad(found) or source.lenient_sql is None:
        return Checked(found, table)
    with source.rows() as rows:
        check(rows)
    try:
        return Checked(engine.rows(query_for(source.lenient_sql)), source.lenient_sql)
    except duckdb.OutOfMemoryException:
        raise _out_of_memory(source) from None
    except duckdb.Error as err:
        raise _unreadable(source, err) from None


def _first_read(
    engine: Engine, source: DataSource, query_for: Callable[[str], str], check: Locate
) -> tuple[list[tuple[Any, ...]], str]:
    import duckdb

    try:
        return engine.rows(query_for(source.table_sql)), source.table_sql
    except duckdb.OutOfMemoryException:
        raise _out_of_memory(source) from None
    except duckdb.Error as first:
        with source.rows() as rows:
            check(rows)
            for _ in rows.records():  # the reader's own errors (row widths, quotes...)
                pass
        if source.lenient_sql is None:
            raise _unreadable(source, first) from None
        try:
            return engine.rows(query_for(source.lenient_sql)), source.lenient_sql
        except duckdb.OutOfMemoryException:
            raise _out_of_memory(source) from None
        except duckdb.Error as second:
            raise _unreadable(source, second) from None


def _unreadable(source: DataSource, err: Exception) -> DataError:
    text = str(err).strip().splitlines()
    return DataError(
        source.path,
        f"cannot read the file: {text[0] if text else type(err).__name__}",
        hint="check that the file is one table with a header, and export it again",
    )


def _out_of_memory(source: DataSource) -> UsageError:
    return UsageError(
        f"{source.path}: the analysis needs more memory than the engine is allowed "
        f"({memory_limit()})",
        hint=f"set {MEMORY_VARIABLE}, e.g. {MEMORY_VARIABLE}=4GB",
    )


# ---------------------------------------------------------------- nps


@dataclass
class AnswerKey:
    """One distinct (group, answer) pair as written, and how often."""

    group: str
    answer: str
    count: int


def answer_keys(
    engine: Engine, source: DataSource, score: int, group: int | None, *, skip_invalid: bool
) -> list[AnswerKey]:
    """Count each distinct raw (group, answer) pair, in order of first appearance."""
    group_sql = f"c{group}" if group is not None else "''"

    def query(table: str) -> str:
        return f"SELECT {group_sql} AS g, c{score} AS s, count(*) AS n FROM ({table}) GROUP BY ALL"

    def check(rows: Rows) -> None:
        if not skip_invalid:
            error = locate.first_bad_answer(rows, score, group)
            if error is not None:
                raise error

    def has_bad(found: list[tuple[Any, ...]]) -> bool:
        if skip_invalid:  # invalid answers are expected; blank rows are not answers
            return any(answer == "" and (group is None or g == "") for g, answer, *_ in found)
        return any(
            parse_score(answer) is None or (group is not None and not strip(g))
            for g, answer, *_ in found
        )

    used = [score] if group is None else [score, group]
    checked = run_checked(engine, source, query, check, has_bad, used)
    keys = [AnswerKey(str(g), str(s), int(n)) for g, s, n in checked.rows]
    return in_file_order(
        engine, checked.table, [group_sql, f"c{score}"], keys, lambda k: (k.group, k.answer)
    )


# ---------------------------------------------------------------- variation


def _by_stripped_unit(per_raw: str, *, empty_is_bad: bool = False) -> str:
    """Merge the per-raw-name sums of ``per_raw`` by unit name without outer spaces.

    Rows are first summed per name as written (cheap), and only the distinct
    names are stripped.
    """
    bad = "sum(bad) + count(*) FILTER (WHERE u = '')" if empty_is_bad else "sum(bad)"
    return (
        f"SELECT {sql_strip('u')} AS u, CAST(least(sum(e), {2 * MAX_CASES}) AS BIGINT) AS events, "
        f"CAST(least(sum(c), {2 * MAX_CASES}) AS BIGINT) AS cases, CAST({bad} AS BIGINT) AS bad "
        f"FROM ({per_raw}) GROUP BY 1"
    )


def _units(engine: Engine, checked: Checked, unit: int) -> list[UnitCount]:
    units = [
        UnitCount(str(name), int(events or 0), int(cases or 0))
        for name, events, cases, *_ in checked.rows
    ]
    return in_file_order(engine, checked.table, [sql_strip(f"c{unit}")], units, lambda u: u.unit)


def unit_counts(
    engine: Engine, source: DataSource, unit: int, events: int, cases: int
) -> list[UnitCount]:
    """Sum events and cases per unit (outer spaces ignored) from rows of counts."""
    e_sql, c_sql = source.value_sql(events, "whole"), source.value_sql(cases, "whole")
    inner = f"SELECT c{unit} AS u, {e_sql} AS e, {c_sql} AS c"

    def query(table: str) -> str:
        per_raw = (
            "SELECT u, sum(e) AS e, sum(c) AS c, count(*) FILTER "
            f"(WHERE e IS NULL OR c IS NULL OR e > c OR c > {MAX_CASES}) AS bad "
            f"FROM ({inner} FROM ({table})) GROUP BY u"
        )
        return _by_stripped_unit(per_raw)

    def check(rows: Rows) -> None:
        locate.check_counts(rows, events, cases)

    def has_bad(found: list[tuple[Any, ...]]) -> bool:
        total = sum(int(row[2] or 0) for row in found)
        return any(int(row[3]) for row in found) or total > MAX_CASES or _empty(found)

    checked = run_checked(engine, source, query, check, has_bad, [unit, events, cases])
    bad = sum(int(row[3]) for row in checked.rows)
    total = sum(int(row[2] or 0) for row in checked.rows)
    if bad or total > MAX_CASES:
        with source.rows() as rows:
            check(rows)
        raise DataError(source.path, "a count could not be read")  # pragma: no cover
    _check_found(source, checked.rows, unit, cases)
    return _units(engine, checked, unit)


def _empty(found: list[tuple[Any, ...]]) -> bool:
    return any(row[0] == "" or int(row[2] or 0) == 0 for row in found)


def _check_found(
    source: DataSource, found: list[tuple[Any, ...]], unit: int, cases: int | None
) -> None:
    if any(row[0] == "" for row in found):
        with source.rows() as rows:
            raise locate.empty_unit(rows, unit)
    if cases is not None:
        for row in found:
            if int(row[2] or 0) == 0:
                with source.rows() as rows:
                    raise locate.unit_without_cases(rows, unit, cases, row[0])


def outcome_counts(engine: Engine, source: DataSource, unit: int, outcome: int) -> list[UnitCount]:
    """Count cases and events (outcome 1) per unit from one row per case."""
    inner = f"SELECT c{unit} AS u, {source.value_sql(outcome, 'outcome')} AS o"

    def query(table: str) -> str:
        per_raw = (
            "SELECT u, sum(o) AS e, count(*) AS c, "
            "count(*) FILTER (WHERE o IS NULL) AS bad "
            f"FROM ({inner} FROM ({table})) GROUP BY u"
        )
        return _by_stripped_unit(per_raw, empty_is_bad=True)

    def check(rows: Rows) -> None:
        locate.check_outcomes(rows, unit, outcome)

    def has_bad(found: list[tuple[Any, ...]]) -> bool:
        return any(int(row[3]) for row in found)

    checked = run_checked(engine, source, query, check, has_bad, [unit, outcome])
    if any(int(row[3]) for row in checked.rows):
        with source.rows() as rows:
            check(rows)
        raise DataError(source.path, "an outcome could not be read")  # pragma: no cover
    _check_found(source, checked.rows, unit, None)
    return _units(engine, checked, unit)

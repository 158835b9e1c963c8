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

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter
from typing import Any, Protocol

from svcdiag.errors import DataError, UsageError
from svcdiag.stats import appearance, locate
from svcdiag.stats.csvsource import first_long_record
from svcdiag.stats.engine import MEMORY_VARIABLE, Engine, memory_limit
from svcdiag.stats.funnel import UnitRow
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
            raise out_of_memory(source) from None
        except duckdb.Error:
            pass  # the full read below names the problem
        else:
            if not has_bad(found):
                return Checked(found, quick)
    found, table = _first_read(engine, source, query_for, check)
    if has_bad is None or not has_bad(found) or not source.has_lenient:
        return Checked(found, table)
    with source.rows() as rows:
        check(rows)
    try:
        return Checked(engine.rows(query_for(source.lenient_sql)), source.lenient_sql)
    except duckdb.OutOfMemoryException:
        raise out_of_memory(source) from None
    except duckdb.Error as err:
        raise _unreadable(source, err) from None


class Order(Enum):
    """How an aggregation query orders its groups (see :func:`run_in_file_order`)."""

    #: Not at all: the groups are put in order afterwards, from a prefix of the file.
    NONE = "none"
    #: By each group's first row, which the query reads as ``_row``.
    FIRST_ROW = "first_row"
    #: By first row, with most groups seen once or a few times (a row per unit):
    #: a query may then sum by final key at once, not per raw name first.
    FIRST_ROW_MANY = "first_row_many"


def run_in_file_order(
    engine: Engine,
    source: DataSource,
    query_for: Callable[[str, Order], str],
    check: Locate,
    has_bad: Callable[[list[tuple[Any, ...]]], bool],
    used: Sequence[int],
    key_sql: Sequence[str],
    first: dict[Hashable, int] | None = None,
) -> Checked:
    """:func:`run_checked`, with the rows in the order their keys first appear.

    ``query_for(table, order)`` builds the aggregation, ordered as
    :class:`Order` says (by each group's first row unless ``Order.NONE``). The first column
    of each row (the first two, with two ``key_sql``) is the group's key.
    See :mod:`.appearance` for when which way is taken. ``first`` is
    :func:`first_rows_of` these keys, when the caller has it already.
    """
    import duckdb

    width = len(key_sql)
    if first is None:
        first = first_rows_of(engine, source, used, key_sql)
    if len(first) > appearance.MANY_KEYS:
        many = Order.FIRST_ROW_MANY
        return run_checked(engine, source, lambda t: query_for(t, many), check, has_bad, used)
    checked = run_checked(engine, source, lambda t: query_for(t, Order.NONE), check, has_bad, used)
    ordered = appearance.sorted_by_first(
        checked.rows, first, lambda row: row[0] if width == 1 else tuple(row[:width])
    )
    if ordered is not None:
        return Checked(ordered, checked.table)
    try:
        return Checked(engine.rows(query_for(checked.table, Order.FIRST_ROW)), checked.table)
    except duckdb.OutOfMemoryException:
        raise out_of_memory(source) from None


def first_rows_of(
    engine: Engine, source: DataSource, used: Sequence[int], key_sql: Sequence[str]
) -> dict[Hashable, int]:
    """Each key's first row among the first rows of ``source`` (:func:`.appearance.first_rows`).

    Empty when the engine cannot read those rows: the aggregation then names the problem.
    """
    import duckdb

    try:
        probe = source.used_sql(used) or source.table_sql
        return appearance.first_rows(engine, probe, key_sql, appearance.PREFIX_ROWS)
    except duckdb.Error:
        return {}


def _first_read(
    engine: Engine, source: DataSource, query_for: Callable[[str], str], check: Locate
) -> tuple[list[tuple[Any, ...]], str]:
    import duckdb

    try:
        return engine.rows(query_for(source.table_sql)), source.table_sql
    except duckdb.OutOfMemoryException:
        raise out_of_memory(source) from None
    except duckdb.Error as first:
        with source.rows() as rows:
            check(rows)
            for _ in rows.records():  # the reader's own errors (row widths, quotes...)
                pass
        too_long = _line_too_long(source, first)
        if too_long is not None:
            raise too_long from None
        if not source.has_lenient:
            raise _unreadable(source, first) from None
        try:
            return engine.rows(query_for(source.lenient_sql)), source.lenient_sql
        except duckdb.OutOfMemoryException:
            raise out_of_memory(source) from None
        except duckdb.Error as second:
            raise _unreadable(source, second) from None


#: How DuckDB says a line is beyond its ``max_line_size``, and which line.
_LINE_TOO_LONG = re.compile(
    r"CSV Error on Line: (\d+)\b.*?Maximum line size of (\d+) bytes exceeded\. "
    r"Actual Size: ?(\d+) bytes",
    re.DOTALL,
)


def _line_too_long(source: DataSource, err: Exception) -> DataError | None:
    """The error for a CSV line longer than the engine reads, if that is what ``err`` says.

    Each of its values may be short enough for the row-by-row reader, which
    then finds nothing wrong: the message names the line and both sizes.
    """
    found = _LINE_TOO_LONG.search(str(err))
    if found is None:
        return None
    record, limit, size = (int(group) for group in found.groups())
    hint = "export only the columns the analysis needs (units, counts, scores, dates)"
    table = source.csv_table
    line = first_long_record(source.path, table.delimiter, limit) if table is not None else None
    if line is None:  # the engine counts records, which a quoted line break makes differ
        return DataError(
            source.path,
            f"record {record} (counting the header) is {size:,} bytes long; "
            f"a line may hold at most {limit:,}",
            hint=hint,
        )
    return DataError(
        source.path,
        f"the line is {size:,} bytes long; a line may hold at most {limit:,}",
        line=line,
        hint=hint,
    )


def _unreadable(source: DataSource, err: Exception) -> DataError:
    text = str(err).strip().splitlines()
    return DataError(
        source.path,
        f"cannot read the file: {text[0] if text else type(err).__name__}",
        hint="check that the file is one table with a header, and export it again",
    )


def out_of_memory(source: DataSource) -> UsageError:
    """The error for a query that needs more memory than the engine is allowed."""
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

    def query(table: str, order_by: Order) -> str:
        order = "" if order_by is Order.NONE else " ORDER BY min(_row)"
        return (
            f"SELECT {group_sql} AS g, c{score} AS s, count(*) AS n FROM ({table}) GROUP BY ALL"
            + order
        )

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
    key_sql = [group_sql, f"c{score}"]
    checked = run_in_file_order(engine, source, query, check, has_bad, used, key_sql)
    if group is not None:
        check_names(source, (g for g, *_ in checked.rows), group)
    return [AnswerKey(str(g), str(s), int(n)) for g, s, n in checked.rows]


def check_names(source: DataSource, names: Iterable[str], column: int) -> None:
    """Refuse a unit or group name holding NUL: written out, it would cut a CSV or a report."""
    if "\x00" in "".join(names):
        with source.rows() as rows:
            raise locate.nul_in_name(rows, column)


# ---------------------------------------------------------------- variation


def _unit_query(
    rows: str,
    table: str,
    sums: tuple[str, str],
    bad: str,
    order: Order,
    *,
    empty_is_bad: bool,
    keep_first: bool = False,
) -> str:
    """The query summing events and cases per unit name without outer spaces.

    ``rows`` selects ``u`` (the name as written) and the values from each
    row of ``table``; ``sums`` add up events and cases, ``bad`` tells a row
    whose values the rules refuse. Usually rows are first summed per name as
    written (cheap: a few names, many rows), and only the distinct names are
    stripped. With :attr:`Order.FIRST_ROW_MANY` (about a row per name) the
    rows are summed by stripped name at once, which saves a second pass over
    as many groups as rows. With ``keep_first`` (and that order) each unit's
    first row is a column, ``first``, instead of the order of the rows.
    """
    events, cases = sums
    capped = 2 * MAX_CASES
    empty = " + count(*) FILTER (WHERE u = '')" if empty_is_bad else ""
    numbered = order is not Order.NONE
    read = f"{rows}{', _row' if numbered else ''} FROM ({table})"
    if order is Order.FIRST_ROW_MANY:
        return (
            f"SELECT {sql_strip('u')} AS u, CAST(least({events}, {capped}) AS BIGINT) AS events, "
            f"CAST(least({cases}, {capped}) AS BIGINT) AS cases, "
            f"CAST(count(*) FILTER (WHERE {bad}){empty} AS BIGINT) AS bad"
            + (f", min(_row) AS first FROM ({read}) GROUP BY 1" if keep_first else
               f" FROM ({read}) GROUP BY 1 ORDER BY min(_row)")
        )  # fmt: skip
    first = "min(_row) AS first, " if numbered else ""
    per_raw = (
        f"SELECT u, {events} AS e, {cases} AS c, {first}count(*) FILTER (WHERE {bad}) AS bad "
        f"FROM ({read}) GROUP BY u"
    )
    return (
        f"SELECT {sql_strip('u')} AS u, CAST(least(sum(e), {capped}) AS BIGINT) AS events, "
        f"CAST(least(sum(c), {capped}) AS BIGINT) AS cases, CAST(sum(bad){empty} AS BIGINT) AS bad "
        f"FROM ({per_raw}) GROUP BY 1" + (" ORDER BY min(first)" if numbered else "")
    )


def _units(checked: Checked) -> list[UnitRow]:
    """The units of rows that passed the checks: names are text, counts whole numbers.

    The query's rows are the units as they come (name, events, cases, 0):
    copying a million of them into other tuples took a third of a second.
    """
    return checked.rows


class UnitQuery(Protocol):
    """Builds the query of units from a table's SQL, in an :class:`Order`.

    With ``keep_first`` (for :attr:`Order.FIRST_ROW_MANY`), each unit's first
    row is the column ``first`` instead of the order of the rows.
    """

    def __call__(self, table: str, order: Order, keep_first: bool = False) -> str:
        """Return the query reading ``table``."""


def counts_query(source: DataSource, unit: int, events: int, cases: int) -> UnitQuery:
    """The query summing events and cases per unit from rows of counts."""
    e_sql, c_sql = source.value_sql(events, "whole"), source.value_sql(cases, "whole")
    inner = f"SELECT c{unit} AS u, {e_sql} AS e, {c_sql} AS c"
    bad = f"e IS NULL OR c IS NULL OR e > c OR c > {MAX_CASES}"

    def query(table: str, order: Order, keep_first: bool = False) -> str:
        sums = ("sum(e)", "sum(c)")
        return _unit_query(
            inner, table, sums, bad, order, empty_is_bad=False, keep_first=keep_first
        )

    return query


def outcomes_query(source: DataSource, unit: int, outcome: int) -> UnitQuery:
    """The query counting cases and events (outcome 1) per unit from one row per case."""
    inner = f"SELECT c{unit} AS u, {source.value_sql(outcome, 'outcome')} AS o"

    def query(table: str, order: Order, keep_first: bool = False) -> str:
        sums = ("sum(o)", "count(*)")
        return _unit_query(
            inner, table, sums, "o IS NULL", order, empty_is_bad=True, keep_first=keep_first
        )

    return query


def unit_counts(
    engine: Engine,
    source: DataSource,
    unit: int,
    events: int,
    cases: int,
    first: dict[Hashable, int] | None = None,
) -> list[UnitRow]:
    """Sum events and cases per unit (outer spaces ignored) from rows of counts.

    ``first``: :func:`first_rows_of` the units, if the caller has it.
    """
    query = counts_query(source, unit, events, cases)

    def check(rows: Rows) -> None:
        locate.check_counts(rows, events, cases)

    def has_bad(found: list[tuple[Any, ...]]) -> bool:
        total, bad, empty = _tally(found)
        return bad > 0 or total > MAX_CASES or empty

    used, key_sql = [unit, events, cases], [sql_strip(f"c{unit}")]
    checked = run_in_file_order(engine, source, query, check, has_bad, used, key_sql, first)
    total, bad, empty = _tally(checked.rows)
    if bad or total > MAX_CASES:
        with source.rows() as rows:
            check(rows)
        raise DataError(source.path, "a count could not be read")  # pragma: no cover
    if empty:
        _check_found(source, checked.rows, unit, cases)
    else:
        check_names(source, map(itemgetter(0), checked.rows), unit)
    return _units(checked)


def _tally(found: list[tuple[Any, ...]]) -> tuple[int, int, bool]:
    """Total cases, rows with values the rules refuse, and whether a unit is empty or has no cases.

    One pass over the rows (unit, events, cases, bad): a million units take a
    few hundredths of a second.
    """
    total = bad = 0
    empty = False
    for name, _events, cases, wrong in found:
        total += cases or 0
        bad += wrong
        if not cases or name == "":
            empty = True
    return total, bad, empty


def _check_found(
    source: DataSource, found: list[tuple[Any, ...]], unit: int, cases: int | None
) -> None:
    if "" in map(itemgetter(0), found):
        with source.rows() as rows:
            raise locate.empty_unit(rows, unit)
    check_names(source, map(itemgetter(0), found), unit)
    if cases is not None:
        for row in found:
            if int(row[2] or 0) == 0:
                with source.rows() as rows:
                    raise locate.unit_without_cases(rows, unit, cases, row[0])


def outcome_counts(
    engine: Engine,
    source: DataSource,
    unit: int,
    outcome: int,
    first: dict[Hashable, int] | None = None,
) -> list[UnitRow]:
    """Count cases and events (outcome 1) per unit from one row per case (``first``: as above)."""
    query = outcomes_query(source, unit, outcome)

    def check(rows: Rows) -> None:
        locate.check_outcomes(rows, unit, outcome)

    def has_bad(found: list[tuple[Any, ...]]) -> bool:
        return any(map(itemgetter(3), found))

    used, key_sql = [unit, outcome], [sql_strip(f"c{unit}")]
    checked = run_in_file_order(engine, source, query, check, has_bad, used, key_sql, first)
    if any(map(itemgetter(3), checked.rows)):
        with source.rows() as rows:
            check(rows)
        raise DataError(source.path, "an outcome could not be read")  # pragma: no cover
    _check_found(source, checked.rows, unit, None)
    return _units(checked)

"""Client data files as tables the engine can query: CSV or TSV, Parquet, Excel.

:func:`open_source` picks the reader by the file's content (a Parquet file,
an OLE2 file, a zip of a workbook's parts), whatever its suffix, and by its
suffix when the content shows nothing clear (see :func:`choose`); it reads the
header, and returns a
:class:`DataSource`: the header, the SQL that yields every data row as text
columns ``c0``, ``c1``... with its position ``_row``, and a way to walk the rows
in Python to name the first bad one in an error.

* **CSV/TSV**: the header is read by :mod:`.csvsource` (encoding, byte-order
  mark, delimiter detection and their errors); DuckDB reads the rest. When
  DuckDB refuses a row, the row-by-row reader names the line and the problem.
* **Parquet**: columns keep their names; values are read as text, so 9, 9.0
  and '9' mean the same. A column of a type that cannot hold the value asked
  for (a date where a count is needed) is refused up front.
* **Excel** (``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls``, ``.ods``) through
  python-calamine: one sheet (``--sheet``, or the only non-empty one), the
  header on its first row with values (empty rows above it are left out);
  rows are named as Excel numbers them. Numbers,
  dates and booleans are turned into text; a formula gives the value it last
  showed when the file was saved. An error cell (``#DIV/0!``) of an
  ``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls`` (BIFF8) or ``.ods`` sheet reads as
  its error (:mod:`.workbook_errors`).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from svcdiag.errors import DataError, InputFileError, UsageError
from svcdiag.source.files import check_regular, missing
from svcdiag.stats.csvsource import (
    MAX_FIELD_CHARS,
    MAX_HEADER_FIELD_CHARS,
    CsvTable,
    open_csv,
    parse_delimiter,
)
from svcdiag.stats.engine import Engine, interruptions, sql_name, sql_string, thread_count
from svcdiag.stats.values import (
    sql_number,
    sql_outcome,
    sql_score,
    sql_strip,
    sql_time,
    sql_whole,
)

Kind = Literal["csv", "parquet", "excel"]
Role = Literal["number", "outcome", "time", "text"]

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
_ZIP, _OLE, _PARQUET = b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"PAR1"


class Rows(Protocol):
    """Rows walked in Python, as text, to name the first bad one."""

    header: list[str]

    @property
    def line(self) -> int:
        """The line (or sheet row) of the current record."""

    def records(self) -> Iterator[list[str]]:
        """Yield every data row, each with at least as many fields as the header."""

    def error(self, message: str, *, hint: str | None = None) -> DataError:
        """Return an error at the current record."""


@dataclass
class DataSource:
    """A data file ready to be queried: its header, its SQL and its rows."""

    path: Path
    kind: Kind
    header: list[str]
    #: Makes :attr:`table_sql` (see there).
    _table_sql: Callable[[], str] = field(repr=False)
    #: Makes :attr:`lenient_sql` (CSV only), or None.
    _lenient_sql: Callable[[], str] | None = field(repr=False)
    _rows: Callable[[], AbstractContextManager[Rows]] = field(repr=False)
    _types: list[str] = field(default_factory=list, repr=False)
    sheet: str | None = None
    csv_table: CsvTable | None = field(default=None, repr=False)
    #: A quicker SELECT reading only the given columns and leaving no row out, or None.
    _used_sql: Callable[[Sequence[int]], str] | None = field(default=None, repr=False)
    #: The header's row in a workbook: its first row with values, as Excel numbers it.
    header_row: int = 1

    @property
    def table_sql(self) -> str:
        """A SELECT yielding ``_row`` and ``c0``... (text, never NULL), blank rows left out.

        For a CSV file of more than :data:`WIDE_COLUMNS` columns, the first
        use finds the blank rows (see :func:`_wide_table_sql`): it runs
        queries, and raises the engine's error if the file cannot be read.
        """
        return self._table_sql()

    @property
    def has_lenient(self) -> bool:
        """Whether the file can be read a second, more forgiving way (CSV)."""
        return self._lenient_sql is not None

    @property
    def lenient_sql(self) -> str:
        """:attr:`table_sql` for the more forgiving read (made as lazily).

        Raises:
            ValueError: the file has no such read (see :attr:`has_lenient`).
        """
        if self._lenient_sql is None:
            raise ValueError(f"{self.kind} files are read one way only")
        return self._lenient_sql()

    def used_sql(self, used: Sequence[int]) -> str | None:
        """SQL reading only columns ``used`` (in :attr:`table_sql`'s shape), if quicker.

        It leaves out no row, not even a blank one: a blank row there reads as
        empty values, which the rules refuse, and the caller then reads
        :attr:`table_sql`, which tells a blank row from one with values
        elsewhere. For a file without blank rows, the engine so never reads the
        columns no one asked for.
        """
        return self._used_sql(used) if self._used_sql is not None else None

    def place(self, row: int | None = None) -> str:
        """Name a row of the file as messages do (the sheet, for a workbook)."""
        if self.kind == "excel":
            return f"sheet {self.sheet!r}" + (f", row {row}" if row is not None else "")
        return "" if row is None else f"row {row}"

    def row_name(self, row: int) -> str:
        """Name one row as a list of rows does: ``line 3`` of a CSV file, else ``row 3``.

        The sheet of a workbook is named once, with :meth:`place`, beside the list.
        """
        return f"line {row}" if self.kind == "csv" else f"row {row}"

    def header_error(self, message: str, *, hint: str | None = None) -> InputFileError:
        """Return an error about the header (line 1, or the sheet's header row)."""
        if self.kind == "csv":
            return InputFileError(self.path, message, line=1, hint=hint)
        if self.kind == "excel":
            return InputFileError(self.path, f"{self.place(self.header_row)}: {message}", hint=hint)
        return InputFileError(self.path, message, hint=hint)

    def distinct(self, chosen: dict[str, int | None]) -> None:
        """Refuse two options (``chosen`` maps each given one to its column) naming one column.

        A rate of a column over itself is 100 %, and a unit or group that is
        also the value counted has one value per unit: never what was meant.
        """
        named: dict[int, str] = {}
        for option, index in chosen.items():
            if index is None:
                continue
            if index in named:
                raise UsageError(
                    f"{named[index]} and {option} both name column {self.header[index]!r}",
                    hint=f"give {option} a column of its own",
                )
            named[index] = option

    def column(self, name: str, *, option: str, role: Role = "text") -> int:
        """Return the index of the column ``name`` (given with ``option``).

        An exact match wins, then one ignoring case and outer spaces. For
        Parquet, a column whose type cannot hold ``role`` values is refused.
        """
        if self.csv_table is not None:
            index = self.csv_table.column(name, option=option)
        else:
            index = self._find(name, option)
        self._check_type(index, option, role)
        return index

    def _find(self, name: str, option: str) -> int:
        exact = [i for i, title in enumerate(self.header) if title == name]
        if not exact:
            folded = name.strip().casefold()
            exact = [i for i, t in enumerate(self.header) if t.strip().casefold() == folded]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            places = " and ".join(str(i + 1) for i in exact)
            raise self.header_error(
                f"column {name!r} appears more than once in the header (columns {places})",
                hint="rename the duplicates so that each column has its own name",
            )
        columns = ", ".join(repr(title) for title in self.header)
        close = difflib.get_close_matches(name, self.header, n=1)
        hint = f"did you mean {option} {close[0]!r}?" if close else f"name a column with {option}"
        raise self.header_error(
            f"no column {name!r} in the header; the columns are {columns}", hint=hint
        )

    def _check_type(self, index: int, option: str, role: Role) -> None:
        if not self._types:
            return
        kind = self._types[index].upper()
        if _is_nested(kind):
            raise InputFileError(
                self.path,
                f"column {self.header[index]!r} ({option}) holds several values in a row "
                f"(type {self._types[index]}) in this Parquet file; one value per row is needed",
                hint="check that the option names the right column, or flatten the column",
            )
        if role == "text":
            return
        allowed = _ALLOWED_TYPES[role]
        if any(kind.startswith(prefix) for prefix in allowed):
            return
        wanted = {
            "number": "numbers",
            "outcome": "0/1 or true/false values",
            "time": "dates or times",
        }[role]
        raise InputFileError(
            self.path,
            f"column {self.header[index]!r} ({option}) is of type {kind} in this Parquet file, "
            f"which cannot hold {wanted}",
            hint="check that the option names the right column, or convert the column",
        )

    def rows(self) -> AbstractContextManager[Rows]:
        """Open the rows for a walk in Python (the error path)."""
        return self._rows()

    def value_sql(self, index: int, rule: Rule) -> str:
        """SQL for column ``index`` read by ``rule``: NULL where the rule refuses a value.

        A typed Parquet column is read as stored where its type makes the
        text rules needless (an integer column holds whole numbers already);
        the result is the same as reading its text.
        """
        native = self.native_sql(index, rule)
        return native if native is not None else _TEXT_RULES[rule](f"c{index}")

    def native_sql(self, index: int, rule: Rule) -> str | None:
        """The typed (Parquet) reading of column ``index`` by ``rule``, or None for text."""
        return _native_sql(f"n{index}", self._types[index].upper(), rule) if self._types else None


_NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "DECIMAL",
    "FLOAT",
    "DOUBLE",
    "VARCHAR",
)
_ALLOWED_TYPES: dict[Role, tuple[str, ...]] = {
    "number": _NUMERIC,
    "outcome": (*_NUMERIC, "BOOLEAN"),
    "time": ("DATE", "TIMESTAMP", "VARCHAR"),
    "text": (),
}


def _is_nested(kind: str) -> bool:
    """Whether a DuckDB type holds several values: a list (``INTEGER[]``), array, struct, map."""
    return kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION"))


Rule = Literal["whole", "score", "outcome", "time", "number"]
_TEXT_RULES: dict[Rule, Callable[[str], str]] = {
    "whole": sql_whole,
    "score": sql_score,
    "outcome": sql_outcome,
    "time": sql_time,
    "number": sql_number,
}
_INTEGERS = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
)


def _native_sql(column: str, kind: str, rule: Rule) -> str | None:
    """SQL reading a typed Parquet column by ``rule`` without its text, if its type allows."""
    if kind in _INTEGERS:
        if rule == "whole":
            biggest = 10**18 - 1
            return f"CASE WHEN {column} BETWEEN 0 AND {biggest} THEN CAST({column} AS BIGINT) END"
        if rule == "score":
            return f"CASE WHEN {column} BETWEEN 0 AND 10 THEN CAST({column} AS INTEGER) END"
        if rule == "outcome":
            return f"CASE WHEN {column} IN (0, 1) THEN CAST({column} AS INTEGER) END"
        if rule == "number":
            return f"CAST({column} AS DOUBLE)"
    if kind == "BOOLEAN" and rule == "outcome":
        return f"CAST({column} AS INTEGER)"
    if rule == "time" and (kind == "DATE" or kind.startswith("TIMESTAMP")):
        # Only the years 1 to 9999 that a date written YYYY-MM-DD can hold;
        # infinity and years before Christ are errors, as their text is.
        return (
            f"CASE WHEN isfinite({column}) AND year({column}) BETWEEN 1 AND 9999 "
            f"THEN CAST({column} AS TIMESTAMP) END"
        )
    return None


def _columns_sql(
    count: int, source: str, *, order: str, lenient: bool = False, nulls: bool = True
) -> str:
    """The SELECT over ``source`` with text columns c0.. and ``_row``, blank rows left out.

    ``nulls`` says whether ``source`` may yield NULL for an empty cell (a
    strict CSV read with ``force_not_null`` never does, and is quicker
    without the ``coalesce``).
    """
    names = [f"c{i}" for i in range(count)]
    text = {n: f"coalesce({n}, '')" if nulls else n for n in names}
    cells = ", ".join(f"{text[n]} AS {n}" for n in names)
    if lenient:
        blank = " AND ".join(sql_strip(text[n]) + " = ''" for n in names)
    else:
        blank = " AND ".join(f"{text[n]} = ''" for n in names)
    return f"SELECT {order} AS _row, {cells} FROM (SELECT * FROM {source}) WHERE NOT ({blank})"


#: A CSV file with more columns tells its blank rows a slice of columns at a
#: time (see :func:`_wide_table_sql`).
WIDE_COLUMNS = 256
#: Columns times threads read at once to tell blank rows: the engine holds
#: about 64 KB for each, so 128 MB in all, a third of its default memory.
WIDE_READ_BUDGET = 2048


def _wide_table_sql(engine: Engine, read: str, width: int, *, lenient: bool) -> str:
    """:func:`_columns_sql` for a CSV file of more than :data:`WIDE_COLUMNS` columns.

    The engine holds every column a query reads in memory for each thread, so
    telling blank rows apart by all of a wide file's columns at once would
    need more than its memory limit (a 1,200-column export on 8 threads
    does). The blank rows are found instead a slice of columns at a time (as
    many as :data:`WIDE_READ_BUDGET` allows), one pass over the file each,
    into a temporary table of their numbers; the table returned leaves them
    out, and queries on it read only the columns they use.
    """

    def numbered(columns: range) -> str:
        cells = ", ".join(f"c{i}" for i in columns)
        return f"SELECT row_number() OVER () AS _row, {cells} FROM {read}"

    def empty(columns: range) -> str:
        cell = sql_strip if lenient else (lambda name: name)
        return " AND ".join(f"{cell(f'coalesce(c{i}, {_EMPTY})')} = ''" for i in columns)

    step = max(WIDE_COLUMNS // 4, WIDE_READ_BUDGET // thread_count())
    slices = [range(start, min(start + step, width)) for start in range(0, width, step)]
    blank = engine.fresh_name("blank_rows")
    first, *others = slices
    engine.run(
        f"CREATE TEMPORARY TABLE {blank} AS "
        f"SELECT _row FROM ({numbered(first)}) WHERE {empty(first)}"
    )
    for columns in others:
        engine.run(
            f"DELETE FROM {blank} WHERE _row IN "
            f"(SELECT _row FROM ({numbered(columns)}) WHERE NOT ({empty(columns)}))"
        )
    cells = ", ".join(f"coalesce(c{i}, {_EMPTY}) AS c{i}" for i in range(width))
    return (
        f"SELECT * FROM (SELECT row_number() OVER () AS _row, {cells} FROM {read}) "
        f"WHERE _row NOT IN (SELECT _row FROM {blank})"
    )


_EMPTY = "''"


def _used_columns_sql(used: Sequence[int], source: str, *, order: str, nulls: bool = True) -> str:
    """The SELECT over ``source`` with only the text columns ``used``, no row left out."""
    cells = ", ".join(
        f"coalesce(c{i}, '') AS c{i}" if nulls else f"c{i}" for i in sorted(set(used))
    )
    return f"SELECT {order} AS _row, {cells} FROM {source}"


def _csv_read(path: Path, table: CsvTable, *, lenient: bool) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(table.header)))
    options = [
        "header = true",
        "auto_detect = false",
        f"delim = {sql_string(table.delimiter)}",
        "quote = '\"'",
        "escape = '\"'",
        f"columns = {{{columns}}}",
        # DuckDB's default, named so that the row-by-row reader takes the same
        # (a larger one slows every read down by half)
        f"max_line_size = {MAX_FIELD_CHARS}",
    ]
    if table.record_end is not None:  # a line break inside a header cell: say which ends rows
        escaped = table.record_end.encode("unicode_escape").decode()  # DuckDB reads '\r\n'
        options.append(f"new_line = {sql_string(escaped)}")
    if lenient:
        options += ["strict_mode = false", "null_padding = true", "parallel = false"]
    else:  # an empty cell reads as '' (a missing one is an error in a strict read)
        names = ", ".join(f"'c{i}'" for i in range(len(table.header)))
        options.append(f"force_not_null = [{names}]")
    return f"read_csv({sql_string(str(path))}, {', '.join(options)})"


def _open_csv_source(engine: Engine, path: Path, delimiter: str | None) -> DataSource:
    separator = parse_delimiter(delimiter)
    try:
        with open_csv(path, delimiter=separator) as table:
            pass  # the header is all that is read here; the table keeps it
    except csv.Error as err:  # e.g. a header field beyond csv's field size limit
        problem = str(err)
        if "field limit" in problem:
            problem = (
                f"a header field is longer than {MAX_HEADER_FIELD_CHARS:,} characters "
                "(an unclosed quote, or not a header?)"
            )
        raise InputFileError(
            path,
            f"cannot read the header: {problem}",
            line=1,
            hint="the first line must name the columns",
        ) from None
    safe = engine.safe_path(path)
    width = len(table.header)
    order = "row_number() OVER ()"
    reader = _csv_read(safe, table, lenient=False)
    forgiving = _csv_read(safe, table, lenient=True)
    if width > WIDE_COLUMNS:

        def fast() -> str:
            return _wide_table_sql(engine, reader, width, lenient=False)

        def lenient() -> str:
            return _wide_table_sql(engine, forgiving, width, lenient=True)
    else:

        def fast() -> str:
            return _columns_sql(width, reader, order=order, nulls=False)

        def lenient() -> str:
            return _columns_sql(width, forgiving, order=order, lenient=True)

    def used_only(used: Sequence[int]) -> str:
        return _used_columns_sql(used, reader, order=order, nulls=False)

    @contextmanager
    def rows() -> Iterator[Rows]:
        with open_csv(path, delimiter=table.delimiter) as again:
            yield again

    return DataSource(
        path=path,
        kind="csv",
        header=table.header,
        _table_sql=functools.cache(fast),
        _lenient_sql=functools.cache(lenient),
        _rows=rows,
        csv_table=table,
        _used_sql=used_only,
    )


# ---------------------------------------------------------------- Parquet


@dataclass
class _SqlRows:
    """Rows of a Parquet file walked through the engine, in file order."""

    engine: Engine
    path: Path
    header: list[str]
    query: str
    line: int = 0

    def records(self) -> Iterator[list[str]]:
        import duckdb

        try:
            with interruptions():
                result = self.engine.con.execute(self.query)
                while batch := result.fetchmany(10_000):
                    for row in batch:
                        self.line = int(row[0])
                        yield list(row[1:])
        except duckdb.Error as err:
            raise InputFileError(self.path, f"cannot read: {_first_line(err)}") from None

    def error(self, message: str, *, hint: str | None = None) -> DataError:
        return DataError(self.path, f"row {self.line}: {message}", hint=hint)


def _open_parquet_source(engine: Engine, path: Path) -> DataSource:
    import duckdb

    safe = engine.safe_path(path)
    plain = f"read_parquet({sql_string(str(safe))})"
    try:
        described = engine.rows(f"DESCRIBE SELECT * FROM {plain}")
    except duckdb.Error as err:
        problem = _first_line(err).replace(f"'{safe}'", "").replace("Invalid Input Error: ", "")
        raise InputFileError(
            path,
            f"cannot read this Parquet file: {problem.strip()}",
            hint="the file may be cut short or damaged: export it again",
        ) from None
    names = [str(row[0]) for row in described]
    types = [str(row[1]) for row in described]
    if not names:
        raise InputFileError(path, "the Parquet file has no columns")
    # DuckDB renames a column whose name another one has, in any case
    # (``Branch`` and ``branch`` become ``Branch`` and ``branch_1``), and its
    # names are matched in any case. The header is the file's own names, so
    # that a column is chosen, and a duplicate refused, as in a CSV file; the
    # queries name each column as DuckDB does.
    header = _stored_names(engine, plain.replace("read_parquet(", "parquet_schema(", 1), names)
    # Each column twice: as text (c0...) for the rules and messages, and as
    # stored (n0...) so that typed columns skip the text rules; the engine
    # reads only the ones a query uses. A Parquet file has no blank rows to
    # leave out: a row of nulls is a row of empty values.
    columns = ", ".join(
        f"coalesce(CAST({_as_text(sql_name(name), kind)} AS VARCHAR), '') AS c{i}, "
        f"{_as_text(sql_name(name), kind)} AS n{i}"
        for i, (name, kind) in enumerate(zip(names, types, strict=True))
    )
    if any(name.lower() == _ROW_NUMBER for name in names):
        # The file's own column takes the name (in any case), and DuckDB then
        # refuses to add its row numbers: number the rows in file order instead
        # (insertion order is preserved, as for CSV).
        order, reader = "row_number() OVER ()", plain
    else:
        order = f"{_ROW_NUMBER} + 1"
        reader = f"read_parquet({sql_string(str(safe))}, {_ROW_NUMBER} = true)"
    table_sql = f"SELECT {order} AS _row, {columns} FROM {reader}"
    texts = ", ".join(f"c{i}" for i in range(len(header)))
    walk = f"SELECT _row, {texts} FROM ({table_sql}) ORDER BY _row"

    @contextmanager
    def rows() -> Iterator[Rows]:
        yield _SqlRows(engine, path, header, walk)

    return DataSource(
        path=path,
        kind="parquet",
        header=header,
        _table_sql=lambda: table_sql,
        _lenient_sql=None,
        _rows=rows,
        _types=types,
    )


def _stored_names(engine: Engine, schema: str, names: list[str]) -> list[str]:
    """The top-level column names a Parquet file stores, or DuckDB's ``names`` if unsure.

    ``schema`` is the ``parquet_schema(...)`` call: the file's schema tree in
    pre-order, the root first, each element with its number of children.
    """
    import duckdb

    try:
        rows = engine.rows(f"SELECT name, num_children FROM {schema}")
    except duckdb.Error:
        return names
    stored: list[str] = []
    at = 1
    for _ in range(int(rows[0][1] or 0) if rows else 0):
        if at >= len(rows):
            return names
        name, children = rows[at]
        stored.append(str(name))
        at += 1
        pending = int(children or 0)
        while pending and at < len(rows):  # the column's nested fields
            pending += int(rows[at][1] or 0) - 1
            at += 1
    return stored if len(stored) == len(names) else names


#: The column DuckDB adds to number a Parquet file's rows (from 0).
_ROW_NUMBER = "file_row_number"


def _as_text(column: str, kind: str) -> str:
    """A Parquet column ready to be cast to text (a zoned time is read as UTC)."""
    if kind.upper().startswith("TIMESTAMP WITH TIME ZONE"):
        return f"timezone('UTC', {column})"
    return column


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


# ---------------------------------------------------------------- Excel


def cell_text(value: Any) -> str:
    """Return a workbook cell as the text a CSV export of it would hold.

    A boolean reads ``TRUE`` or ``FALSE``, as Excel and LibreOffice show it and
    export it, so that a group of booleans is named as the client sees it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def column_letter(index: int) -> str:
    """Return the spreadsheet name of a 0-based column: A, B, ... Z, AA..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class _SheetRows:
    """Rows of one sheet walked in Python, numbered as Excel shows them."""

    path: Path
    sheet: str
    header: list[str]
    first_row: int
    cells: Callable[[], Iterator[list[Any]]]
    line: int = 0
    column: int | None = None

    def records(self) -> Iterator[list[str]]:
        width = len(self.header)
        for index, raw in enumerate(self.cells(), start=1):
            if index <= self.first_row:
                continue  # the header and the empty rows above it
            self.line = index
            row = [cell_text(value) for value in raw]
            row += [""] * (width - len(row))
            if any(row):
                yield row

    def error(self, message: str, *, hint: str | None = None) -> DataError:
        return DataError(self.path, f"sheet {self.sheet!r}, row {self.line}: {message}", hint=hint)


def _choose_sheet(path: Path, workbook: Any, sheet: str | None) -> Any:
    names: list[str] = list(workbook.sheet_names)
    if sheet is not None:
        if sheet not in names:
            close = difflib.get_close_matches(sheet, names, n=1)
            listed = ", ".join(repr(name) for name in names)
            raise InputFileError(
                path,
                f"no sheet {sheet!r} in the workbook; its sheets are {listed}",
                hint=f"did you mean --sheet {close[0]!r}?" if close else "name one with --sheet",
            )
        return _load_sheet(path, workbook, sheet)
    filled = [s for s in (_load_sheet(path, workbook, n) for n in names) if s.height > 0]
    if len(filled) == 1:
        return filled[0]
    if not filled:
        raise InputFileError(path, "every sheet of the workbook is empty")
    listed = ", ".join(repr(s.name) for s in filled)
    raise UsageError(
        f"{path}: the workbook has several sheets with data ({listed}); which one?",
        hint="name it with --sheet",
    )


def _load_sheet(path: Path, workbook: Any, name: str) -> Any:
    """Load the sheet ``name`` of an opened workbook; a damaged one is named, not a traceback."""
    from svcdiag.source.panics import unreadable_workbook

    try:
        return workbook.get_sheet_by_name(name)
    except BaseException as err:  # a damaged part (its XML, its zip member), or a panic
        raise unreadable_workbook(path, err, hint=_DAMAGED_HINT, sheet=name) from None


#: What to do with a workbook python-calamine cannot read.
_DAMAGED_HINT = "save it again as .xlsx"


#: The suffixes python-calamine reads each workbook format by: it picks its
#: reader by the suffix alone (as written: ``.XLSX`` makes it try every reader).
_CALAMINE_SUFFIXES = {
    ".xlsx": (".xlsx", ".xlsm", ".xlam"),
    ".xlsb": (".xlsb",),
    ".xls": (".xls", ".xla"),
    ".ods": (".ods",),
}


def _calamine_path(engine: Engine, path: Path, workbook: str | None) -> Path:
    """The path python-calamine reads ``path`` by, as the ``workbook`` format its content shows.

    A workbook whose suffix names another format (an ``.xlsx`` saved as
    ``.csv``), or none, is reached through a link named with the right
    suffix, in the engine's private folder: python-calamine then reads it
    straight from the file, as it reads any workbook (read from memory, a large
    one would take all its bytes at once).
    """
    if workbook is None or path.suffix in _CALAMINE_SUFFIXES[workbook]:
        return path
    return engine.link_to(path, workbook)


def _open_excel_source(
    engine: Engine, path: Path, sheet: str | None, workbook: str | None = None
) -> DataSource:
    """Open one sheet of a workbook; ``workbook`` is its format, if its content shows it."""
    import python_calamine

    from svcdiag.source.panics import unreadable_workbook
    from svcdiag.stats.sheet_bounds import refuse_sprawling
    from svcdiag.stats.xls_limits import refuse_oversized

    refuse_oversized(path, hint="save it again from its spreadsheet program, or export it as CSV")
    read_errors = refuse_sprawling(
        path,
        sheet,
        hint="delete what lies beyond the table (a stray value far off, one filled across "
        "thousands of columns), or export the sheet as CSV",
    )
    readable = str(_calamine_path(engine, path, workbook))
    try:
        book = python_calamine.CalamineWorkbook.from_path(readable)
    except BaseException as err:  # calamine's own, zip/xml errors, and its panics
        raise unreadable_workbook(path, err, hint=_DAMAGED_HINT) from None
    chosen = _choose_sheet(path, book, sheet)
    name = str(chosen.name)
    if chosen.height == 0:
        raise _empty_sheet(path, name)
    first_col = chosen.start[1] if chosen.start else 0
    from svcdiag.stats.workbook_errors import error_cells  # zip and XML, for workbooks only

    # python-calamine reads them as empty cells, or 0
    errors = read_errors[name] if name in read_errors else error_cells(path, name)

    width = chosen.width
    merged = list(chosen.merged_cell_ranges or [])
    del chosen, book  # the sheet is read again below: one copy in memory at a time

    def cells() -> Iterator[list[Any]]:
        """Every row of the sheet from row 1 (empty ones above its first value included)."""
        again = python_calamine.CalamineWorkbook.from_path(readable).get_sheet_by_name(name)
        last = 0
        for number, raw in enumerate(again.iter_rows(), start=1):
            marked = errors.get(number)
            if marked:
                raw = list(raw)
                for column, text in marked.items():
                    if 0 <= column - first_col < len(raw):
                        raw[column - first_col] = text
            yield raw
            last = number
        rows_held = again.start[0] + again.height if again.start else 0
        if last < rows_held:  # python-calamine stops at 1,048,576 rows, in silence
            raise InputFileError(
                path,
                f"sheet {name!r} has rows below row {last:,}, the last that can be read "
                "from a workbook",
                hint="export the sheet as CSV, or split it over several sheets",
            )
        # python-calamine leaves out an .xlsb formula whose result is an error:
        # rows below its last value that hold only such cells come from here.
        for number in range(last + 1, max(errors, default=0) + 1):
            row: list[Any] = [""] * width
            for column, text in errors.get(number, {}).items():
                if 0 <= column - first_col < width:
                    row[column - first_col] = text
            yield row

    rows_iter = enumerate(cells(), start=1)  # numbered as Excel numbers them
    header: list[str] = []
    first_row = 0
    for number, raw in rows_iter:
        header = [cell_text(value).strip() for value in raw]
        if any(header):
            first_row = number
            break
    if not any(header):
        raise _empty_sheet(path, name)
    _check_excel_header(path, name, merged, header, first_row, first_col)
    table = engine.folder / f"sheet{len(list(engine.folder.iterdir()))}.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(["_row", *(f"c{i}" for i in range(len(header)))])
        for number, raw in rows_iter:
            texts = [cell_text(value) for value in raw]
            if any(texts):
                writer.writerow([number, *texts])
    columns = ", ".join(["'_row': 'BIGINT'", *(f"'c{i}': 'VARCHAR'" for i in range(len(header)))])
    reader = (
        f"read_csv({sql_string(str(table))}, header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', escape = '\"', columns = {{{columns}}}, max_line_size = 8388608)"
    )
    # Rows without a value were not written: no blank row to leave out, so the
    # engine reads only the columns a query uses, however wide the sheet.
    every_cell = ", ".join(f"coalesce(c{i}, '') AS c{i}" for i in range(len(header)))
    table_sql = f"SELECT _row, {every_cell} FROM {reader}"

    @contextmanager
    def rows() -> Iterator[Rows]:
        yield _SheetRows(path, name, header, first_row, cells)

    def used_only(used: Sequence[int]) -> str:
        return _used_columns_sql(used, reader, order="_row")

    return DataSource(
        path=path,
        kind="excel",
        header=header,
        _table_sql=lambda: table_sql,
        _lenient_sql=None,
        _rows=rows,
        sheet=name,
        _used_sql=used_only,
        header_row=first_row,
    )


def _empty_sheet(path: Path, name: str) -> InputFileError:
    return InputFileError(
        path, f"sheet {name!r} is empty", hint="the first row with values must name the columns"
    )


def _check_excel_header(
    path: Path,
    sheet: str,
    merged_ranges: list[Any],
    header: list[str],
    first_row: int,
    first_col: int,
) -> None:
    where = f"sheet {sheet!r}, row {first_row}"
    merged = [
        ((r1, c1), (r2, c2)) for (r1, c1), (r2, c2) in merged_ranges if r1 <= first_row - 1 <= r2
    ]
    if merged:
        (r1, c1), (r2, c2) = merged[0]
        span = f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
        raise InputFileError(
            path,
            f"{where}: the header has merged cells ({span}); each column needs its own name",
            hint="unmerge the header cells and name every column on one row, "
            "with the data on the rows below",
        )
    blank = [column_letter(first_col + i) for i, title in enumerate(header) if not title]
    if blank:
        raise InputFileError(
            path,
            f"{where}: the header has no name in column {', '.join(blank)}",
            hint="name every column on the header row, the first row with values "
            "(a title above the header takes its place: remove it)",
        )


# ---------------------------------------------------------------- choosing


#: Bytes read from the start of a file to tell what it holds.
_SNIFF_BYTES = 4096


def _start(path: Path) -> bytes:
    """The first :data:`_SNIFF_BYTES` bytes of ``path``."""
    try:
        if path.is_dir():
            raise InputFileError(path, "is a directory, not a file")
        with path.open("rb") as raw:
            return raw.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise missing(path) from None
    except PermissionError:
        raise InputFileError(path, "permission denied") from None
    except OSError as err:
        raise InputFileError(path, f"cannot read: {err.strerror or err}") from None


def kind_of(path: Path) -> Kind:
    """Say how ``path`` is read (see :func:`choose`)."""
    return choose(path).kind


@dataclass(frozen=True)
class Choice:
    """How a file is read: its kind and, for a workbook its content names, the format."""

    kind: Kind
    #: The workbook format the content shows (``.xlsx``, ``.xlsb``, ``.xls``,
    #: ``.ods``), or None when only the suffix says it is a workbook.
    workbook: str | None = None


def choose(path: Path) -> Choice:
    """Say how ``path`` is read: by what its content shows clearly, else by its suffix.

    A Parquet file (``PAR1``), an OLE2 compound file (``.xls``) and a zip
    holding a workbook's parts are read as such whatever their name. A zip
    holding something else (a Word document, an archive), and an OLE2 file
    holding a Word or PowerPoint document or encrypted, are refused, saying
    what they are. Otherwise the suffix decides: a file named as a workbook or a
    Parquet file that holds text instead (web applications export CSV as
    ``.xls``) is read as CSV; one that holds a web page is refused as such.

    Raises:
        InputFileError: the file cannot be read, or is of no kind svcdiag reads.
    """
    start = _start(path)
    content = _content(path, start)
    if content == "parquet":
        return Choice("parquet")
    if content is not None:
        return Choice("excel", content)
    return Choice(_kind_by_suffix(path, start))


def _kind_by_suffix(path: Path, start: bytes) -> Kind:
    """The kind of a file whose content says nothing clear, by its suffix."""
    signature = start[:4]
    suffix = path.suffix.lower()
    claimed = suffix in PARQUET_SUFFIXES or suffix in EXCEL_SUFFIXES
    if claimed and not start:  # as an empty CSV file is named (by its reader)
        raise InputFileError(
            path, "the file is empty", hint="nothing was saved in it: save or export it again"
        )
    if claimed and signature not in (_ZIP, _OLE) and _is_text(start):
        if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise InputFileError(
                path,
                f"named {suffix} but holds markup (a web page or XML), not a workbook or a table",
                hint="open it in Excel and save it as .xlsx, or export it as CSV",
            )
        return "csv"
    if suffix in PARQUET_SUFFIXES:
        raise InputFileError(
            path, "not a Parquet file (it does not start with PAR1)", hint="check the file"
        )
    if signature in (_ZIP, _OLE):
        return "csv" if suffix in {".csv", ".tsv", ".txt"} else "excel"
    return "excel" if suffix in EXCEL_SUFFIXES else "csv"


#: The first bytes of an OLE2 compound file, in which an ``.xls`` workbook is kept.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The ``mimetype`` member of an OpenDocument spreadsheet (``.ots``, a template, adds to it).
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _content(path: Path, start: bytes) -> str | None:
    """What the content of ``path`` shows clearly: ``parquet``, a workbook format, or None.

    A workbook format is named by the suffix python-calamine reads it by:
    ``.xls`` for an OLE2 compound file, ``.xlsx``, ``.xlsb`` or ``.ods`` for a
    zip holding that workbook's parts (see :func:`_zip_content`).
    """
    if start.startswith(_PARQUET):
        return "parquet"
    if start.startswith(_OLE2):
        return _ole_content(path)
    if start.startswith(_ZIP):
        return _zip_content(path)
    return None


def _zip_content(path: Path) -> str | None:
    """The workbook format a zip file holds, or None for a zip that cannot be opened.

    A zip of an office program's parts without a workbook among them (its
    workbook part lost) gives None too, so that the suffix picks the reader
    and that reader names what is missing.

    Raises:
        InputFileError: the zip holds something else: a Word or PowerPoint
            document, another OpenDocument file, or just files.
    """
    from svcdiag.stats.workbook_errors import UNREADABLE

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mime = _mimetype(archive) if "mimetype" in names else None
    except UNREADABLE:
        return None
    if mime is not None and mime.startswith(_ODS_MIME):
        return ".ods"
    if mime is None and "content.xml" in names:
        return ".ods"
    if "xl/workbook.bin" in names:
        return ".xlsb"
    if "xl/workbook.xml" in names:
        return ".xlsx"
    what = _zip_holding(names, mime)
    if what is None:
        return None
    plain = what.startswith("a zip archive")
    hint = f"{_OTHER_FILE_HINT} (unzip the archive first)" if plain else _OTHER_FILE_HINT
    raise InputFileError(path, f"is {what}, {_NOT_A_TABLE}", hint=hint)


#: What a file that holds another kind of document is not.
_NOT_A_TABLE = "not a workbook, a Parquet file or CSV text"


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """The start of the ``mimetype`` member of an OpenDocument zip (its type), stripped."""
    with archive.open("mimetype") as member:
        return member.read(200).strip()


#: What an OLE2 compound file holding one of these streams (and no workbook) is.
_OLE_STREAMS = {
    "WordDocument": f"is a Word document (.doc), {_NOT_A_TABLE}",
    "PowerPoint Document": f"is a PowerPoint presentation (.ppt), {_NOT_A_TABLE}",
    "EncryptedPackage": "is encrypted with a password (an Office file: an .xlsx, a .docx...), "
    "so nothing in it can be read",
}
#: What to do with a file that holds something other than a table.
_OTHER_FILE_HINT = "name the workbook (.xlsx), Parquet or CSV file that holds the data"


def _ole_content(path: Path) -> str:
    """``.xls`` for an OLE2 compound file, unless its streams show another document.

    Raises:
        InputFileError: the file holds no workbook stream but a Word or
            PowerPoint document, or an encrypted Office file (whose workbook,
            if it is one, cannot be read).
    """
    import olefile  # the compound file's directory; only for an OLE2 file

    from svcdiag.stats.workbook_errors import UNREADABLE

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("Workbook") or ole.exists("Book"):
                return ".xls"
            found = [stream for stream in _OLE_STREAMS if ole.exists(stream)]
    except UNREADABLE:
        return ".xls"  # damaged: python-calamine names what is wrong with it
    if not found:
        return ".xls"
    hint = (
        "open it in its spreadsheet program, remove the password and save it again"
        if found[0] == "EncryptedPackage"
        else _OTHER_FILE_HINT
    )
    raise InputFileError(path, _OLE_STREAMS[found[0]], hint=hint)


#: What a zip holding one of these parts is, in a message.
_OFFICE_PARTS = {
    "word/document.xml": "a Word document (.docx)",
    "ppt/presentation.xml": "a PowerPoint presentation (.pptx)",
}
#: What an OpenDocument file of each ``mimetype`` is, in a message.
_OPENDOCUMENTS = {
    b"application/vnd.oasis.opendocument.text": "an OpenDocument text document (.odt)",
    b"application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    b"application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (.odg)",
}


def _zip_holding(names: set[str], mime: bytes | None) -> str | None:
    """Name what a zip that holds no workbook is, or None if it looks like a damaged one."""
    for part, what in _OFFICE_PARTS.items():
        if part in names:
            return what
    if mime is not None:
        named = mime.decode("ascii", "replace")
        if mime.startswith(b"application/vnd.oasis.opendocument."):
            return _OPENDOCUMENTS.get(mime, f"an OpenDocument file ({named})")
        return f"a zip archive ({named})"
    packaged = {"[Content_Types].xml", "_rels/.rels", "META-INF/manifest.xml"}
    return None if names & packaged else "a zip archive"


def _is_text(start: bytes) -> bool:
    """Whether the start of a file is text: UTF-16 with its mark, or bytes without a NUL.

    Text in another encoding counts too: the CSV reader then names its first
    byte that is not UTF-8, which says more than a workbook reader would.
    """
    return start.startswith((b"\xff\xfe", b"\xfe\xff")) or (bool(start) and b"\x00" not in start)


@contextmanager
def open_source(
    engine: Engine, path: Path, *, delimiter: str | None = None, sheet: str | None = None
) -> Iterator[DataSource]:
    """Open a data file of any supported kind for the engine.

    Raises:
        InputFileError: the file is missing, unreadable, of the wrong kind,
            or its header cannot be used.
        UsageError: ``--delimiter`` for a file that is not CSV, ``--sheet``
            for one that is not a workbook, or a workbook whose sheet is unclear.
    """
    check_regular(path)  # a pipe or a device would block the signature read, or never end
    choice = choose(path)
    kind = choice.kind
    if kind != "csv" and delimiter is not None:
        raise UsageError(f"--delimiter applies to CSV files, and {path} is not one")
    if kind != "excel" and sheet is not None:
        raise UsageError(f"--sheet applies to workbooks (.xlsx), and {path} is not one")
    if kind == "csv":
        yield _open_csv_source(engine, path, delimiter)
    elif kind == "parquet":
        yield _open_parquet_source(engine, path)
    else:
        yield _open_excel_source(engine, path, sheet, choice.workbook)

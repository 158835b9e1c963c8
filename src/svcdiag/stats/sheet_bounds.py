"""Refuse a workbook sheet that spans more cells than can be read, before it is read.

python-calamine holds a sheet as one block of cells, from its first value to
its last (every cell between included). Two values far apart, ``A1`` and
``XFD1048576``, in a file of a few kilobytes, make it ask for hundreds of
gigabytes, and the process is aborted by the allocator, with no message and
nothing Python can catch. Here each sheet python-calamine would load (the
one ``--sheet`` names, else all of them) is scanned for the references of
its cells that hold something, and a span beyond :data:`MAX_CELLS` is named,
before python-calamine opens the file.

The scan reads the sheet's XML as bytes, a block at a time, with one regular
expression for the cells' references (:func:`span_of`). Every cell with a
reference counts there, with a value or not; a sheet found too large, or
holding a cell without a reference (python-calamine puts it on its row's
number, after the cell before it), is parsed instead (:func:`exact_span`),
where only a cell holding ``<v>`` or ``<is>`` counts, as python-calamine
leaves out a cell with a style alone or a formula never computed.
``.xls`` files have their own check (:mod:`.xls_limits`).

Each sheet's part is read as python-calamine reads it, as far as it goes
(:func:`.zip_parts.open_part`): a damaged sheet is checked on what comes
before its damage (python-calamine may load that much and never see the
rest), and the other sheets are checked all the same. A part that cannot be
opened at all (an encrypted one) is left to python-calamine, whose errors
are handled.

An ``.xlsb`` sheet's records are walked (:func:`.xlsb_errors.sheet_spans`).
An ``.ods`` sheet's ``content.xml`` is read instead, on the bytes when laid
out as LibreOffice writes it (:func:`quick_ods_spans`), else parsed
(:func:`ods_spans`): a row or a cell there may stand for thousands (a repeat
count), so a file of a kilobyte can spell out billions of cells. A cell counts
there when it has a value or a value type (:data:`ODS_VALUES`); its text alone
is no value to python-calamine.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from svcdiag.errors import InputFileError
from svcdiag.stats.workbook_errors import UNREADABLE, ErrorCells
from svcdiag.stats.zip_parts import open_part

#: Most cells a sheet may span: a million rows of 8 columns, half a million of
#: 16. python-calamine takes 30 to 250 bytes a cell (text takes the most): up to
#: two gigabytes.
MAX_CELLS = 1 << 23
_BLOCK = 1 << 20
#: A cell's reference (a row's has no letters), once other spaces read as a
#: space and a single quote as a double one (:data:`_PLAIN`). python-calamine
#: also reads lower-case letters and leading zeros.
_REFERENCE = re.compile(rb' r *= *"([A-Za-z]+)([0-9]+)"')
#: Other spaces as a space, a single quote as a double one.
_PLAIN = bytes.maketrans(b"\t\n\r'", b'   "')
#: The attributes that give an ``.ods`` cell a value, by their local names.
#: python-calamine reads a cell's text only when its value type is
#: ``string``; a cell with text (an empty paragraph, ``<text:p/>``) but none
#: of these is an empty one. A value type of another kind without its value
#: reads as empty too, but counts here (LibreOffice writes each with its value).
ODS_VALUES = frozenset(
    {"value-type", "value", "string-value", "date-value", "time-value", "boolean-value"}
)
#: One of :data:`ODS_VALUES` on the bytes (or text that reads like one: it counts too).
_ODS_VALUE = re.compile(rb"value(?:-type)?\s*=")


@dataclass
class Span:
    """The rows and columns (from 0) between a sheet's first and last values."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def cells(self) -> int:
        """How many cells the span holds."""
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)


def refuse_sprawling(path: Path, sheet: str | None, *, hint: str) -> dict[str, ErrorCells]:
    """Raise InputFileError if a sheet of the workbook at ``path`` spans too many cells.

    Any other file is left alone. Returns the error cells of each sheet read
    on the way (an ``.xlsb`` sheet's records give both), for
    :func:`.workbook_errors.error_cells` not to read them again.

    Args:
        path: The workbook about to be opened.
        sheet: The sheet asked for with ``--sheet``; None for every sheet.
        hint: What the user can do, in the caller's words.
    """
    try:
        with zipfile.ZipFile(path) as book:
            members = set(book.namelist())
            if "content.xml" in members:
                for name, span in _ods_sheets(book, sheet).items():
                    if span.cells > MAX_CELLS:
                        raise _sprawling(path, name, span, hint)
            if "xl/workbook.bin" in members:
                from svcdiag.stats.xlsb_errors import sheet_spans

                walked = sheet_spans(book, sheet)
                for name, (edges, _) in walked.items():
                    if edges is not None and Span(*edges).cells > MAX_CELLS:
                        raise _sprawling(path, name, Span(*edges), hint)
                return {name: errors for name, (_, errors) in walked.items()}
            if "xl/workbook.xml" in members:
                for name, part in _xlsx_sheets(book, sheet):
                    found = _xlsx_span(book, part)
                    if found is not None and found.cells > MAX_CELLS:
                        raise _sprawling(path, name, found, hint)
    except UNREADABLE:
        pass  # the list of sheets cannot be read: python-calamine names the problem
    return {}


def _ods_sheets(book: zipfile.ZipFile, sheet: str | None) -> dict[str, Span]:
    """The span of each sheet of an ``.ods`` (or of ``sheet``) that can be read.

    ``content.xml`` holds every sheet: if it is damaged, those before the
    damage are read whole, and the one it cuts short as far as it goes.
    """
    with open_part(book, "content.xml") as raw:
        data = raw.read()
    spans = quick_ods_spans(data, sheet)
    return ods_spans(io.BytesIO(data), sheet) if spans is None else spans


def _xlsx_sheets(book: zipfile.ZipFile, sheet: str | None) -> list[tuple[str, str]]:
    """The name and part of each sheet of an ``.xlsx`` to check (only ``sheet``, if given).

    Of two sheets of one name, the first: python-calamine loads it for both.
    """
    from svcdiag.stats.xlsx_errors import sheet_parts

    first: dict[str, str | None] = {}
    for name, part in sheet_parts(book):
        first.setdefault(name, part)
    return [(n, part) for n, part in first.items() if part is not None and sheet in (None, n)]


def _xlsx_span(book: zipfile.ZipFile, part: str) -> Span | None:
    """The span of the cells with values in an ``.xlsx`` sheet's part, as far as it can be read.

    A part that cannot be opened (an encrypted one) gives None: python-calamine
    names the problem when it reads that sheet. A part whose XML cannot be
    parsed to its end spans what was parsed and every cell reference found.
    """
    try:
        with open_part(book, part) as raw:
            found, sure = span_of(raw)
        if sure and (found is None or found.cells <= MAX_CELLS):
            return found
        with open_part(book, part) as raw:
            exact, whole = exact_span(raw)
    except UNREADABLE:
        return None
    return exact if whole else _joined(exact, found)


def _joined(one: Span | None, other: Span | None) -> Span | None:
    """The span holding both (either may be None)."""
    if one is None or other is None:
        return other if one is None else one
    edges = [one.top, one.bottom, one.left, one.right]
    return Span(*_widened(edges, (other.top, other.bottom, other.left, other.right)))


def quick_ods_spans(data: bytes, sheet: str | None) -> dict[str, Span] | None:
    """The spans :func:`ods_spans` finds, or wider, from the bytes; None if laid out otherwise.

    LibreOffice writes ``content.xml`` with fixed prefixes, no comments and
    no tables within tables (the quick path of :mod:`.ods_errors` reads it
    the same way). Then the rows are the pieces between row ends; a row
    without a repeat is as wide as the cells it writes, counted on the bytes
    for all rows at once, and only rows with a repeat (adjacent equal cells,
    padding) are read cell by cell. Each sheet is taken to start in column
    A, which can only widen its span. A sheet of 300,000 rows takes a tenth
    of a second or so.
    """
    from svcdiag.stats import ods_errors as ods

    if any(unusual in data for unusual in ods.UNUSUAL):
        return None
    starts = sum(data.count(b"<table:table-row" + after) for after in (b" ", b">", b"/"))
    if starts != data.count(ods.ROW_CLOSE):
        return None  # a row closed in its start tag (or spaced otherwise): parse it
    try:
        ods.namespaces_wrapper(data)
    except ods.Unusual:
        return None
    spans: dict[str, Span] = {}
    opened = list(ods.TABLE_OPEN.finditer(data))
    for index, table in enumerate(opened):
        close = data.find(b">", table.start())
        named = ods.TABLE_NAME.search(data, table.start(), close)
        end = data.find(ods.TABLE_CLOSE, close)
        following = opened[index + 1].start() if index + 1 < len(opened) else len(data)
        if close < 0 or named is None or end < 0 or following < end:
            return None  # a table within a table, or one cut short
        name = html.unescape(named.group(1)[1:-1].decode("utf-8", "replace"))
        if sheet is not None and name != sheet:
            continue
        # One sheet (the usual case): its rows are cut from the whole part, not a copy of it.
        span = _quick_span(data if len(opened) == 1 else data[close + 1 : end])
        if span is None:
            return None
        if span.cells:
            spans[name] = span
    return spans


def _quick_span(table: bytes) -> Span | None:
    """The span of a sheet's rows (column A taken as its start); None if laid out otherwise."""
    from svcdiag.stats import ods_errors as ods

    rows = table.split(ods.ROW_CLOSE)[:-1]  # what follows the last row is no row
    valued = list(map(_has_ods_value, rows))
    if not any(valued):
        return Span(0, -1, 0, -1)
    widths = list(map(_written_cells, rows))  # for most rows, on the bytes
    repeats = [1] * len(rows)
    for number, row in enumerate(rows):
        if b"-repeated" not in row:
            continue
        at = row.rfind(b"<table:table-row")
        tag = ods.ROW_TAG.match(row, at) if at >= 0 else None
        if tag is None:
            return None
        repeat = ods.ROWS_REPEAT.search(row, tag.start(), tag.end())
        if repeat is not None:
            repeats[number] = max(1, int(repeat.group(1)))
        if b"columns-repeated" in row:
            widths[number] = _repeated_width(row[tag.end() :])
    first = valued.index(True)
    last = len(valued) - 1 - valued[::-1].index(True)
    top = sum(repeats[:first])
    bottom = top + sum(repeats[first : last + 1]) - 1
    width = max(w for w, v in zip(widths, valued, strict=True) if v)
    return Span(top, bottom, 0, max(width, 1) - 1)


def _has_ods_value(written: bytes) -> bool:
    """Whether some cell in ``written`` (a row, or a cell's attributes) has a value."""
    return b"value" in written and _ODS_VALUE.search(written) is not None


def _written_cells(row: bytes) -> int:
    return row.count(b"<table:table-cell") + row.count(b"<table:covered-table-cell")


#: A cell's start tag in LibreOffice's layout; a quoted value may hold ``>``.
_ODS_CELL = re.compile(rb"""<table:(?:covered-)?table-cell\b((?:[^>"']|"[^"]*"|'[^']*')*?)/?>""")
_COLUMNS_REPEAT = re.compile(rb"""table:number-columns-repeated\s*=\s*["']([0-9]+)["']""")


def _repeated_width(cells: bytes) -> int:
    """How far a row's cells with values reach, repeats counted (0 if it has none)."""
    column = reach = 0
    for cell in _ODS_CELL.finditer(cells):
        attributes = cell.group(1)
        repeat = _COLUMNS_REPEAT.search(attributes)
        count = max(1, int(repeat.group(1))) if repeat else 1
        if _has_ods_value(attributes):
            reach = column + count
        column += count
    return reach


def ods_spans(raw: IO[bytes], sheet: str | None) -> dict[str, Span]:
    """The span of the cells with values of each sheet of an ``.ods`` ``content.xml``.

    Only the sheet named ``sheet``, if given. A row or a cell standing for
    several (``number-rows-repeated``, ``number-columns-repeated``) counts
    as all of them: python-calamine sets them all out. A cell without a value
    (padding, ``<table:table-cell/>``, or text alone) does not count.
    Rows are dropped from the tree once read, so memory stays flat. XML cut
    short or malformed gives the sheets before the fault, and the one it
    falls in as far as it was read.
    """
    from svcdiag.stats import ods_errors as ods

    spans: dict[str, Span] = {}
    parents: list[ElementTree.Element] = []
    name: str | None = None  # the sheet being read
    nested = 0  # tables open inside it
    row = 0
    edges: list[int] = []  # top, bottom, left, right
    try:
        for event, element in ElementTree.iterparse(raw, events=("start", "end")):
            tag = element.tag
            if event == "start":
                parents.append(element)
                if tag == ods.TABLE:
                    if name is not None:
                        nested += 1
                    elif sheet is None or element.get(ods.NAME) == sheet:
                        name, row, edges = element.get(ods.NAME, ""), 0, []
                continue
            parents.pop()
            if tag == ods.ROW:
                if name is not None and not nested:
                    count = _repeat(element, ods.ROWS_REPEATED)
                    columns = _valued_columns(element)
                    if columns is not None:
                        top, bottom = row, row + count - 1
                        edges = _widened(edges, (top, bottom, *columns))
                    row += count
                element.clear()
                if parents:
                    parents[-1].remove(element)  # keep memory flat on a long sheet
            elif tag == ods.TABLE and name is not None:
                if nested:
                    nested -= 1
                    continue
                if edges:
                    spans[name] = Span(*edges)
                name = None
    except ElementTree.ParseError:  # cut short or malformed: the sheet read as far as it goes
        if name is not None and edges:
            spans[name] = Span(*edges)
    return spans


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    value = element.get(attribute, "1")
    return max(1, int(value)) if value.isascii() and value.isdigit() else 1


def _valued_columns(row: ElementTree.Element) -> tuple[int, int] | None:
    """The first and last columns of a row's cells with values, or None if it has none."""
    from svcdiag.stats import ods_errors as ods

    column = 0
    first = last = -1
    for cell in row:
        if cell.tag not in ods.CELLS:
            continue
        count = _repeat(cell, ods.COLUMNS_REPEATED)
        if any(key.rsplit("}", 1)[-1] in ODS_VALUES for key in cell.attrib):
            first = column if first < 0 else first
            last = column + count - 1
        column += count
    return None if first < 0 else (first, last)


def _widened(edges: list[int], cells: tuple[int, int, int, int]) -> list[int]:
    if not edges:
        return list(cells)
    top, bottom, left, right = cells
    return [min(edges[0], top), max(edges[1], bottom), min(edges[2], left), max(edges[3], right)]


def span_of(raw: IO[bytes]) -> tuple[Span | None, bool]:
    """The span of the cell references in a sheet's XML (None if none), and whether it is sure.

    Every cell with a reference counts, with a value or not; the span is not
    sure when some cell has no reference (python-calamine places it by its
    row and the cell before it): :func:`exact_span` then tells.
    """
    rows: list[int] = []
    columns: list[int] = []
    cells = references = 0
    tail = b""
    while True:
        block = raw.read(_BLOCK)
        data = tail + block
        cut = data.rfind(b"<") if block else len(data)  # a tag cut short: with the next
        if cut < 0:
            cut = len(data)
        data, tail = data[:cut].translate(_PLAIN), data[cut:]
        found = _REFERENCE.findall(data)
        references += len(found)
        cells += sum(data.count(tag) for tag in _CELL_TAGS)
        if b":c" in data:  # a prefixed cell tag (<x:c>), told from a closing one
            cells += len(_PREFIXED_CELL.findall(data))
        if found:
            distinct = list(map(int, set(map(itemgetter(1), found))))  # a row per cell
            rows += [min(distinct), max(distinct)]
            columns += [_column(letters) for letters in set(map(itemgetter(0), found))]
        if not block:
            break
    sure = cells <= references
    if not rows:
        return None, sure
    return Span(min(rows) - 1, max(rows) - 1, min(columns), max(columns)), sure


#: How a cell's start tag begins, once other spaces read as a space.
_CELL_TAGS = (b"<c ", b"<c>", b"<c/")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[ >/]")


def exact_span(raw: IO[bytes]) -> tuple[Span | None, bool]:
    """The span of the cells with a value in a sheet's XML, and whether it was parsed to its end.

    A cell has a value when it holds ``<v>`` or ``<is>`` (a style alone, or a
    formula never computed, is no value). A cell without a reference takes
    the column after the cell before it, on its row; a row without one, the
    row after the one before it, as python-calamine places them. XML cut
    short or malformed spans the cells before the fault. Slower than
    :func:`span_of`: it parses the XML, keeping one row at a time.
    """
    top = left = 1 << 40
    bottom = right = -1
    whole = True
    try:
        for row, column in _valued_cells(raw):
            top, bottom = min(top, row), max(bottom, row)
            left, right = min(left, column), max(right, column)
    except ElementTree.ParseError:
        whole = False
    return (None if bottom < 0 else Span(top, bottom, left, right)), whole


def _valued_cells(raw: IO[bytes]) -> Iterator[tuple[int, int]]:
    """The row and column (from 0) of each cell with a value in a sheet's XML, in order."""
    row, column = -1, -1
    parents: list[ElementTree.Element] = []
    for event, element in ElementTree.iterparse(raw, events=("start", "end")):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start":
            parents.append(element)
            if tag == "row":
                given = element.get("r", "")
                row = int(given) - 1 if given.isascii() and given.isdigit() else row + 1
                column = -1
            continue
        parents.pop()
        if tag == "c":
            where = _CELL_REFERENCE.fullmatch(element.get("r", ""))
            if where is not None:
                row, column = int(where.group(2)) - 1, _column(where.group(1).encode())
            else:
                column += 1
            if any(child.tag.rsplit("}", 1)[-1] in ("v", "is") for child in element):
                yield row, column
            element.clear()
        elif tag == "row":
            element.clear()
            if parents:
                parents[-1].remove(element)  # keep memory flat on a long sheet


_CELL_REFERENCE = re.compile(r"([A-Za-z]+)([0-9]+)")


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


def _sprawling(path: Path, sheet: str, span: Span, hint: str) -> InputFileError:
    from svcdiag.stats.sources import column_letter

    first = f"{column_letter(span.left)}{span.top + 1}"
    last = f"{column_letter(span.right)}{span.bottom + 1}"
    return InputFileError(
        path,
        f"sheet {sheet!r} spans {span.cells:,} cells ({first} to {last}), more than the "
        f"{MAX_CELLS:,} a sheet may span to be read",
        hint=hint,
    )

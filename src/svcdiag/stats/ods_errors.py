"""The error cells of an ``.ods`` sheet, from the workbook's ``content.xml``.

LibreOffice saves a cell whose formula failed with
``calcext:value-type="error"`` and the error as it shows it (``#DIV/0!``,
``#N/A``, ``Err:502``) in the cell's paragraph. Its ``office:value-type`` may
say ``string`` with an empty value, which python-calamine reads as an empty
cell, or ``float`` with the value 0, which python-calamine reads as the number
0: a failed score would be counted as a 0. This module finds those cells so
that the cell's text is its error.

A sheet is a ``table:table``; its rows are ``table:table-row`` elements, some
inside ``table:table-header-rows``, ``table:table-row-group`` or
``table:table-rows``. A row or a cell may stand for several
(``table:number-rows-repeated``, ``table:number-columns-repeated``), and a
cell hidden under a merged one is a ``table:covered-table-cell``, which takes
its column all the same. Rows are numbered from 1 and columns from 0 (A) over
the whole sheet, as python-calamine places its cells.

``content.xml`` is first scanned as bytes for the mark, which is quick; only
a workbook that has one is read further, in chunks, with memory flat on a long
sheet. Laid out as LibreOffice writes it, its rows are counted on the bytes
and only the rows holding the mark are parsed (:func:`_scan`, about five
times quicker than parsing every row); any other layout is parsed in full
(:func:`_errors`). A part that cannot be read gives no error cells.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from svcdiag.stats.workbook_errors import UNREADABLE, ErrorCells, has_mark

_CONTENT = "content.xml"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT_NS = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
TABLE = f"{_TABLE_NS}table"
ROW = f"{_TABLE_NS}table-row"
CELLS = frozenset({f"{_TABLE_NS}table-cell", f"{_TABLE_NS}covered-table-cell"})
NAME = f"{_TABLE_NS}name"
ROWS_REPEATED = f"{_TABLE_NS}number-rows-repeated"
COLUMNS_REPEATED = f"{_TABLE_NS}number-columns-repeated"
_VALUE_TYPE = f"{_CALCEXT_NS}value-type"
_PARAGRAPH = f"{_TEXT_NS}p"
#: How an error cell is marked, with either quote XML allows.
_MARKS = (b'value-type="error"', b"value-type='error'")
_CHUNK = 1 << 18
#: The most rows and columns a sheet holds (LibreOffice and Excel): a repeat
#: beyond them stands for cells no program shows.
MAX_ROWS, MAX_COLUMNS = 1 << 20, 1 << 14
# The quick path, on the bytes: the namespaces it needs bound to the prefixes
# LibreOffice uses, and what it looks for.
_PREFIXES = {
    b"table": b"urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    b"text": b"urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    b"calcext": b"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}
_ROOT = re.compile(rb"<office:document-content\b[^>]*>")
_DECLARATION = re.compile(rb"""xmlns(?::([\w.-]+))?\s*=\s*("[^"]*"|'[^']*')""")
TABLE_OPEN = re.compile(rb"<table:table[\s/>]")
TABLE_NAME = re.compile(rb"""\stable:name\s*=\s*("[^"]*"|'[^']*')""")
TABLE_CLOSE = b"</table:table>"
ROW_OPEN = re.compile(rb"<table:table-row[\s/>]")
_ROW_START = b"<table:table-row"
ROW_CLOSE = b"</table:table-row>"
#: A row's whole start tag; a quoted attribute value may hold ``>``.
ROW_TAG = re.compile(rb"""<table:table-row(?:[^>"']|"[^"]*"|'[^']*')*>""")
ROWS_REPEAT = re.compile(rb"""table:number-rows-repeated\s*=\s*["']([0-9]+)["']""")
UNUSUAL = (b"<!--", b"<![CDATA[", b"<!ENTITY")


def error_cells(path: Path, sheet: str) -> ErrorCells:
    """Return the error cells of the sheet named ``sheet`` (none if it has none).

    Args:
        path: The ``.ods`` workbook.
        sheet: The sheet's name (its ``table:name``).

    Returns:
        ``{row from 1: {column from 0: the error as shown}}``.
    """
    try:
        with zipfile.ZipFile(path) as book:
            with book.open(_CONTENT) as raw:
                if not _has_mark(raw):
                    return {}
            with book.open(_CONTENT) as raw:
                quick = _scan(raw, sheet)
            if quick is not None:
                return quick
            with book.open(_CONTENT) as raw:
                return _read_errors(raw, sheet)
    except UNREADABLE:
        return {}  # python-calamine has read the sheet; its reading stands


def _has_mark(raw: IO[bytes]) -> bool:
    """Say whether the XML in ``raw`` holds the mark of an error cell anywhere."""
    return has_mark(raw, _MARKS, _CHUNK)


def _read_errors(raw: IO[bytes], sheet: str) -> ErrorCells:
    found: ErrorCells = {}
    for row, column, text in _errors(raw, sheet):
        found.setdefault(row, {})[column] = text
    return found


def _repeat(element: ElementTree.Element, attribute: str, most: int) -> int:
    """How many rows or columns ``element`` stands for (at least 1, at most ``most``)."""
    value = element.get(attribute)
    return 1 if value is None else max(1, min(int(value), most))


def _shown(cell: ElementTree.Element) -> str:
    """The text a cell shows: its paragraphs, one per line."""
    return "\n".join("".join(p.itertext()) for p in cell if p.tag == _PARAGRAPH).strip()


def _row_errors(row: ElementTree.Element) -> tuple[int, dict[int, str]]:
    """How many rows ``row`` stands for, and its error cells by column from 0."""
    marked: dict[int, str] = {}
    column = 0
    for cell in row:
        if cell.tag not in CELLS:
            continue
        count = _repeat(cell, COLUMNS_REPEATED, MAX_COLUMNS)
        if cell.get(_VALUE_TYPE) == "error" and (text := _shown(cell)):
            for offset in range(min(count, MAX_COLUMNS - column)):
                marked[column + offset] = text
        column += count
    return _repeat(row, ROWS_REPEATED, MAX_ROWS), marked


def _spread(row: int, count: int, marked: dict[int, str]) -> Iterator[tuple[int, int, str]]:
    """The error cells of a row standing for ``count`` rows from ``row`` (from 0)."""
    for offset in range(min(count, MAX_ROWS - row)) if marked else ():
        for column, text in marked.items():
            yield row + offset + 1, column, text


def _errors(raw: IO[bytes], sheet: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(row from 1, column from 0, text)`` for each error cell of ``sheet``.

    Only the rows of the sheet itself count: a table nested in a cell of it
    (or any other sheet) is walked past. Each row is dropped from the tree once
    read, so memory does not grow with the sheet.
    """
    parents: list[ElementTree.Element] = []
    inside = False  # within the sheet asked for
    nested = 0  # tables open inside it
    row = 0
    for event, element in ElementTree.iterparse(raw, events=("start", "end")):
        tag = element.tag
        if event == "start":
            parents.append(element)
            if tag == TABLE:
                if inside:
                    nested += 1
                elif element.get(NAME) == sheet:
                    inside = True
            continue
        parents.pop()
        if tag == ROW:
            if inside and not nested:
                count, marked = _row_errors(element)
                yield from _spread(row, count, marked)
                row += count
            element.clear()
            if parents:
                parents[-1].remove(element)  # keep memory flat on a long sheet
        elif tag == TABLE and inside:
            if nested:
                nested -= 1
            else:
                return  # the sheet is read; the others do not matter


class Unusual(Exception):
    """The bytes are not laid out as the quick path expects: parse them all."""


def _scan(raw: IO[bytes], sheet: str) -> ErrorCells | None:
    """Find the error cells parsing only the rows that hold the mark, or None.

    LibreOffice writes ``content.xml`` with fixed prefixes (``table:``,
    ``text:``, ``calcext:``), no comments and no tables within tables; then
    rows can be counted on the bytes, which is many times quicker than parsing
    each, and only a row holding the mark of an error is parsed (with the
    document's namespace declarations around it). Anything else (another
    prefix, a comment, a nested table, a row that does not parse) gives None,
    and the whole part is parsed instead. The part is read in chunks cut after
    a row's end, so a row is never split and memory stays flat.
    """
    try:
        return _Scan(sheet).run(raw)
    except Unusual:
        return None


class _Scan:
    """The state of the quick path through one ``content.xml``."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.wrapper: bytes | None = None  # the root's namespace declarations
        self.inside = False
        self.row = 0
        self.found: ErrorCells = {}

    def run(self, raw: IO[bytes]) -> ErrorCells:
        carry = b""
        while True:
            chunk = raw.read(_CHUNK)
            data = carry + chunk
            if chunk:
                cut = data.rfind(ROW_CLOSE)
                if cut < 0:
                    carry = data  # no whole row yet
                    continue
                cut += len(ROW_CLOSE)
                part, carry = data[:cut], data[cut:]
            else:
                part, carry = data, b""
            if self._read(part) or not chunk:
                return self.found

    def _read(self, part: bytes) -> bool:
        """Read a run of whole rows; say whether the sheet has ended."""
        if any(unusual in part for unusual in UNUSUAL):
            raise Unusual
        if self.wrapper is None:
            self.wrapper = namespaces_wrapper(part)
        pos = 0
        if not self.inside:
            start = self._sheet_start(part, pos)
            if start is None:
                return False
            self.inside, pos = True, start
        end = part.find(TABLE_CLOSE, pos)
        stop = len(part) if end < 0 else end
        if TABLE_OPEN.search(part, pos, stop):
            raise Unusual  # a table within the sheet
        self._rows(part, pos, stop)
        return end >= 0  # else the sheet goes on in the next part

    def _sheet_start(self, part: bytes, pos: int) -> int | None:
        """Where the rows of the sheet asked for begin in ``part``, if it begins there."""
        for match in TABLE_OPEN.finditer(part, pos):
            close = part.find(b">", match.start())
            named = TABLE_NAME.search(part, match.start(), close)
            if close < 0 or named is None:
                raise Unusual
            name = html.unescape(named.group(1)[1:-1].decode("utf-8"))
            if name == self.sheet:
                return close + 1
        return None

    def _rows(self, part: bytes, pos: int, stop: int) -> None:
        """Count the rows in ``part[pos:stop]``, reading those that hold the mark."""
        while (mark := _find_mark(part, pos, stop)) >= 0:
            start = part.rfind(_ROW_START, pos, mark)
            end = part.find(ROW_CLOSE, mark, stop)
            if start < 0 or end < 0 or not ROW_OPEN.match(part, start):
                raise Unusual
            end += len(ROW_CLOSE)
            self.row += _count_rows(part, pos, start)
            count, marked = _row_errors(self._parse(part[start:end]))
            for row, column, text in _spread(self.row, count, marked):
                self.found.setdefault(row, {})[column] = text
            self.row += count
            pos = end
        self.row += _count_rows(part, pos, stop)

    def _parse(self, row: bytes) -> ElementTree.Element:
        assert self.wrapper is not None
        try:
            wrapped = ElementTree.fromstring(self.wrapper + row + b"</w>")
        except ElementTree.ParseError:
            raise Unusual from None
        if len(wrapped) != 1 or wrapped[0].tag != ROW:
            raise Unusual
        return wrapped[0]


def namespaces_wrapper(part: bytes) -> bytes:
    """An element declaring the document's namespaces, to parse one row inside."""
    root = _ROOT.search(part)
    if root is None:
        raise Unusual
    declared = {(m.group(1) or b""): m.group(2)[1:-1] for m in _DECLARATION.finditer(root.group(0))}
    if any(declared.get(prefix) != uri for prefix, uri in _PREFIXES.items()):
        raise Unusual
    attributes = b" ".join(
        (b"xmlns:" + prefix if prefix else b"xmlns") + b'="' + uri + b'"'
        for prefix, uri in declared.items()
    )
    return b"<w " + attributes + b">"


def _find_mark(part: bytes, pos: int, stop: int) -> int:
    found = [at for mark in _MARKS if (at := part.find(mark, pos, stop)) >= 0]
    return min(found, default=-1)


def _count_rows(part: bytes, pos: int, stop: int) -> int:
    """How many rows the row elements in ``part[pos:stop]`` stand for.

    A repeat counts only in a row's start tag: a cell's text may hold the
    same words (quotes need no escape in XML text), and would shift every
    later error cell to another row.
    """
    rows = 0
    for opened in ROW_OPEN.finditer(part, pos, stop):
        tag = ROW_TAG.match(part, opened.start(), stop)
        if tag is None:
            raise Unusual
        repeat = ROWS_REPEAT.search(part, tag.start(), tag.end())
        rows += max(1, min(int(repeat.group(1)), MAX_ROWS)) if repeat else 1
    return rows

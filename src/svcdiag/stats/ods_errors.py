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
a workbook that has one is parsed, streaming, with memory flat on a long
sheet. A part that cannot be read gives no error cells.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from svcdiag.stats.workbook_errors import ErrorCells

_CONTENT = "content.xml"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT_NS = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_TABLE = f"{_TABLE_NS}table"
_ROW = f"{_TABLE_NS}table-row"
_CELLS = frozenset({f"{_TABLE_NS}table-cell", f"{_TABLE_NS}covered-table-cell"})
_NAME = f"{_TABLE_NS}name"
_ROWS_REPEATED = f"{_TABLE_NS}number-rows-repeated"
_COLUMNS_REPEATED = f"{_TABLE_NS}number-columns-repeated"
_VALUE_TYPE = f"{_CALCEXT_NS}value-type"
_PARAGRAPH = f"{_TEXT_NS}p"
#: How an error cell is marked, with either quote XML allows.
_MARKS = (b'value-type="error"', b"value-type='error'")
_CHUNK = 1 << 18
#: The most rows and columns a sheet holds (LibreOffice and Excel): a repeat
#: beyond them stands for cells no program shows.
_MAX_ROWS, _MAX_COLUMNS = 1 << 20, 1 << 14
_UNREADABLE = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    KeyError,
    ValueError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression zipfile does not know
)


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
                return _read_errors(raw, sheet)
    except _UNREADABLE:
        return {}  # python-calamine has read the sheet; its reading stands


def _has_mark(raw: IO[bytes]) -> bool:
    """Say whether the XML in ``raw`` holds the mark of an error cell anywhere."""
    width = len(_MARKS[0])
    tail = b""
    while chunk := raw.read(_CHUNK):
        window = tail + chunk
        if any(mark in window for mark in _MARKS):
            return True
        tail = window[-(width - 1) :]
    return False


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
        if cell.tag not in _CELLS:
            continue
        count = _repeat(cell, _COLUMNS_REPEATED, _MAX_COLUMNS)
        if cell.get(_VALUE_TYPE) == "error" and (text := _shown(cell)):
            for offset in range(min(count, _MAX_COLUMNS - column)):
                marked[column + offset] = text
        column += count
    return _repeat(row, _ROWS_REPEATED, _MAX_ROWS), marked


def _spread(row: int, count: int, marked: dict[int, str]) -> Iterator[tuple[int, int, str]]:
    """The error cells of a row standing for ``count`` rows from ``row`` (from 0)."""
    for offset in range(min(count, _MAX_ROWS - row)) if marked else ():
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
            if tag == _TABLE:
                if inside:
                    nested += 1
                elif element.get(_NAME) == sheet:
                    inside = True
            continue
        parents.pop()
        if tag == _ROW:
            if inside and not nested:
                count, marked = _row_errors(element)
                yield from _spread(row, count, marked)
                row += count
            element.clear()
            if parents:
                parents[-1].remove(element)  # keep memory flat on a long sheet
        elif tag == _TABLE and inside:
            if nested:
                nested -= 1
            else:
                return  # the sheet is read; the others do not matter

"""The error cells of an ``.xlsb`` sheet, from its binary records.

An ``.xlsb`` workbook is a zip whose parts are streams of BIFF12 records
(MS-XLSB 2.1.4): each record is its type (one byte below 128, else two, seven
bits each, low bits first), its size (one to four bytes, the same way) and its
data. python-calamine reads an error constant (BrtCellError) as an empty cell
and leaves out a formula whose last result was an error (BrtFmlaError). This
module reads both, so that the cell's text is its error as Excel shows it.

The sheet is found by its name in ``xl/workbook.bin`` (BrtBundleSh: its
relation id, then its name), then its part in ``xl/_rels/workbook.bin.rels``.
If that chain is broken, a workbook with a single worksheet part uses it; one
with several gives no error cells rather than another sheet's.

The records read from the sheet (MS-XLSB 2.4):

* BrtRowHdr (0): the row that the cells after it are on, from 0 (a cell
  before any is on row 0, and a row beyond the last a sheet can hold ends
  the cells, as python-calamine reads them);
* BrtCellError (3) and BrtFmlaError (11): a Cell (the column from 0 in its
  first four bytes, then style and flags) and the error code byte (BErr);
* BrtEndSheetData (146): the end of the cells.

Every other record is skipped by its size, reading the part in chunks so that
memory stays flat on a long sheet. A part that cannot be read gives no error
cells, and what was found before a truncated record is kept.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from svcdiag.stats.workbook_errors import ERROR_CODES, UNREADABLE, ErrorCells
from svcdiag.stats.zip_parts import open_part

_WORKBOOK = "xl/workbook.bin"
_RELATIONS = "xl/_rels/workbook.bin.rels"
_ROW_HEADER, _CELL_ERROR, _FORMULA_ERROR, _END_SHEET_DATA = 0x00, 0x03, 0x0B, 0x92
_WANTED = frozenset({_ROW_HEADER, _CELL_ERROR, _FORMULA_ERROR, _END_SHEET_DATA})
_ERRORS = frozenset({_CELL_ERROR, _FORMULA_ERROR})
_BUNDLE_SHEET, _END_BUNDLE_SHEETS = 0x9C, 0x90
#: The error codes as Excel shows them (BErr, MS-XLSB 2.5.98.2), with .xlsb's own one.
_SHOWN = {**ERROR_CODES, 0x2B: "#GETTING_DATA"}
_MAX_ROW, _MAX_COLUMN = (1 << 20) - 1, (1 << 14) - 1
_NULL = 0xFFFFFFFF
_CHUNK = 1 << 20
#: Bytes kept ahead of a record's start: the longest header (2 + 4) and the
#: nine data bytes read from a cell record.
_AHEAD = 15
_MAX_WORKBOOK = 1 << 24  # xl/workbook.bin holds names and properties, not cells


def error_cells(path: Path, sheet: str) -> ErrorCells:
    """Return the error cells of the sheet named ``sheet`` (none if it has none).

    Args:
        path: The ``.xlsb`` workbook.
        sheet: The sheet's name.

    Returns:
        ``{row from 1: {column from 0: the error as shown}}``.
    """
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            if part is None:
                return {}
            with book.open(part) as raw:
                return _read_errors(raw)
    except UNREADABLE:
        return {}  # python-calamine has read the sheet; its reading stands


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The name of the zip member holding ``sheet``, or None."""
    names = set(book.namelist())
    if _WORKBOOK not in names:
        return None
    with book.open(_WORKBOOK) as raw:
        relation = _relation_of(raw.read(_MAX_WORKBOOK), sheet)
    if relation is not None and _RELATIONS in names:
        for element in ElementTree.fromstring(book.read(_RELATIONS)).iter():
            if element.tag.rsplit("}", 1)[-1] == "Relationship" and element.get("Id") == relation:
                target = element.get("Target", "")
                if target.startswith("/"):
                    part = target.lstrip("/")
                else:
                    part = posixpath.normpath(posixpath.join("xl", target))
                if part in names:
                    return part
    sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".bin")]
    return sheets[0] if len(sheets) == 1 else None


def _relation_of(data: bytes, sheet: str) -> str | None:
    """The relation id of ``sheet`` in the records of ``xl/workbook.bin``, or None."""
    pos = 0
    while pos < len(data):
        kind, size, pos = _header(data, pos)
        if kind == _BUNDLE_SHEET:
            body = data[pos : pos + size]
            relation, after = _wide(body, 8)  # after hsState and iTabID
            name, _ = _wide(body, after)
            if name == sheet:
                return relation
        elif kind == _END_BUNDLE_SHEETS:
            return None
        pos += size
    return None


def _wide(body: bytes, at: int) -> tuple[str | None, int]:
    """Read an XLWideString (a count of UTF-16 units, then them) at ``at``."""
    if len(body) < at + 4:
        raise ValueError("a string is cut short")
    count = int.from_bytes(body[at : at + 4], "little")
    if count == _NULL:
        return None, at + 4
    end = at + 4 + 2 * count
    if len(body) < end:
        raise ValueError("a string is cut short")
    return body[at + 4 : end].decode("utf-16-le"), end


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    """Read a record's type and size at ``pos``; return them and where its data starts."""
    byte = data[pos]
    kind = byte & 0x7F
    pos += 1
    if byte & 0x80:
        kind |= (data[pos] & 0x7F) << 7
        pos += 1
    size = 0
    for shift in (0, 7, 14, 21):
        byte = data[pos]
        pos += 1
        size |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
    return kind, size, pos


def _read_errors(raw: IO[bytes]) -> ErrorCells:
    """Walk a worksheet part's records and collect its error cells."""
    found: ErrorCells = {}
    row = 0  # as python-calamine counts a cell before any row header
    for kind, data, pos, size in _walk(raw, _WANTED):
        if kind == _ROW_HEADER and size >= 4:
            row = int.from_bytes(data[pos : pos + 4], "little")
            if row > _MAX_ROW + 1:
                break  # python-calamine stops reading the sheet there
        elif kind == _END_SHEET_DATA:
            break
        elif kind != _ROW_HEADER and size >= 9 and row <= _MAX_ROW and pos + 9 <= len(data):
            column = int.from_bytes(data[pos : pos + 4], "little")
            shown = _SHOWN.get(data[pos + 8])
            if shown is not None and column <= _MAX_COLUMN:
                found.setdefault(row + 1, {})[column] = shown
    return found


#: BrtCellRk to BrtFmlaError: the records of cells with a value (a blank one,
#: BrtCellBlank, is left out by python-calamine).
_VALUED = frozenset(range(0x02, 0x0C))
#: BrtShortRk to BrtShortIsst: cells with a value written without their column,
#: which is the one after the cell before.
_SHORT = frozenset(range(0x0D, 0x13))


Edges = tuple[int, int, int, int]
SheetRead = tuple[Edges | None, ErrorCells]


def sheet_spans(book: zipfile.ZipFile, sheet: str | None) -> dict[str, SheetRead]:
    """Each sheet's span of cells with values (top, bottom, left, right, from 0) and error cells.

    Only the sheet named ``sheet``, if given. The span is None for a sheet
    without values. One walk of a sheet's records gives both: the error
    cells are what :func:`error_cells` gives for it. A damaged part is read
    as far as it goes (:func:`.zip_parts.open_part`), as python-calamine
    reads it; one that cannot be opened is left out, the others are read.
    """
    found: dict[str, SheetRead] = {}
    for name, part in _sheets(book):
        if part is None or (sheet is not None and name != sheet):
            continue
        read = _walked(book, part)
        if read is not None:
            found[name] = read
    return found


def _walked(book: zipfile.ZipFile, part: str) -> SheetRead | None:
    """One walk of a sheet's part, as far as it can be read; None if it cannot be opened."""
    try:
        with open_part(book, part) as raw:
            return _read_sheet(raw)
    except UNREADABLE:
        return None  # an encrypted part: python-calamine names the problem


def _read_sheet(raw: IO[bytes]) -> SheetRead:
    errors: ErrorCells = {}
    rows: list[int] = []
    left, right = 1 << 40, -1
    row, column = 0, -1
    wanted = _VALUED | _SHORT | {_ROW_HEADER, _END_SHEET_DATA}
    for kind, data, pos, size in _walk(raw, wanted):
        if kind == _ROW_HEADER and size >= 4:
            row, column = int.from_bytes(data[pos : pos + 4], "little"), -1
            if row > _MAX_ROW + 1:
                break  # python-calamine stops reading the sheet there
            continue
        if kind == _END_SHEET_DATA:
            break
        if kind in _SHORT:
            column += 1
        elif size >= 4:
            column = int.from_bytes(data[pos : pos + 4], "little")
            if kind in _ERRORS and size >= 9 and row <= _MAX_ROW and pos + 9 <= len(data):
                shown = _SHOWN.get(data[pos + 8])
                if shown is not None and column <= _MAX_COLUMN:
                    errors.setdefault(row + 1, {})[column] = shown
        else:
            continue
        left, right = min(left, column), max(right, column)
        if not rows or rows[-1] != row:
            rows.append(row)
    return (None if right < 0 else (min(rows), max(rows), left, right)), errors


def _sheets(book: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """Each sheet's name and part (None if it cannot be found), in workbook order."""
    names = set(book.namelist())
    if _WORKBOOK not in names:
        return []
    with book.open(_WORKBOOK) as raw:
        data = raw.read(_MAX_WORKBOOK)
    found: list[tuple[str, str | None]] = []
    pos = 0
    while pos < len(data):
        kind, size, pos = _header(data, pos)
        if kind == _BUNDLE_SHEET:
            body = data[pos : pos + size]
            _, after = _wide(body, 8)
            name, _ = _wide(body, after)
            if name is not None:
                found.append((name, _sheet_part(book, name)))
        elif kind == _END_BUNDLE_SHEETS:
            break
        pos += size
    return found


def _walk(raw: IO[bytes], wanted: frozenset[int]) -> Iterator[tuple[int, bytes, int, int]]:
    """Yield (type, buffer, start, size) of each record of a type in ``wanted``.

    The record's data is ``buffer[start:start + size]``, as far as it is in
    the buffer: read at least the nine bytes a cell record starts with before
    asking for the next. Other records are skipped by their size, reading the
    part in chunks. A record cut short at the end of the part ends the walk.
    """
    data = b""
    pos = limit = 0  # refill when fewer than _AHEAD bytes are left past pos
    try:
        while True:
            if pos >= limit:
                data, pos = data[pos:], 0
                while len(data) < _AHEAD and (more := raw.read(_CHUNK)):
                    data += more
                if not data:
                    return
                limit = len(data) - _AHEAD + 1
            kind, size = data[pos], data[pos + 1]
            if kind < 0x80 and size < 0x80:  # most records: one byte each, read here
                pos += 2
            else:
                kind, size, pos = _header(data, pos)
            if kind in wanted:
                yield kind, data, pos, size
            pos += size
            if pos > len(data):  # a long record: skip the rest of it unread
                left = pos - len(data)
                while left > 0 and (chunk := raw.read(min(left, _CHUNK))):
                    left -= len(chunk)
                data, pos, limit = b"", 0, 0
    except IndexError:
        return  # a record cut short at the end of the part: keep what was found

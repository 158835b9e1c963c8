"""The error cells of an ``.xls`` sheet (BIFF8 in an OLE2 compound file).

python-calamine reads a cell holding an error constant, or a formula whose
last result was an error, as an empty cell. This module reads them from the
workbook's records, so that the cell's text is its error as Excel shows it
(the same texts as the other formats' readers give).

The compound file (its sectors, FAT, mini-FAT and DIFAT) is read by olefile;
its ``Workbook`` stream (``Book`` in older files) is a run of BIFF records,
each a type and a size (two bytes each, little-endian) and its data
([MS-XLS] 2.1.4). The records read here:

* in the workbook globals, the first substream: BOF (0x0809), whose version
  must be BIFF8 (0x0600); FILEPASS (0x002F), an encrypted workbook, whose
  cells cannot be read; BOUNDSHEET (0x0085), each sheet's name (a
  ShortXLUnicodeString: a length, a flags byte, then Latin-1 or UTF-16LE
  characters) and where its substream starts; EOF (0x000A);
* in the sheet's substream, from its BOF to its EOF (a chart embedded in the
  sheet is a substream of its own, BOF to EOF, inside it): BOOLERR (0x0205)
  with fError set, an error constant; FORMULA (0x0006) whose cached result
  is an error (byte 6 is 2 and bytes 12-13 are 0xFFFF), the code in byte 8.

Both hold the cell's row and column from 0 in their first four bytes; a
CONTINUE record never splits them and is skipped by its size like any other.
Before the records of a sheet are walked, its bytes are searched for the
shape of either record, which is quick: a sheet without one is never walked.

No reader raises: a file that is not BIFF8 (a BIFF5 ``.xls``), an encrypted
one, or one that cannot be read gives no error cells, and python-calamine's
reading of the sheet stands; a record cut short ends the sheet, keeping what
was found before it.
"""

from __future__ import annotations

import struct
from pathlib import Path

from svcdiag.stats.workbook_errors import UNREADABLE, ErrorCells

_STREAMS = ("Workbook", "Book")
_BOF, _EOF, _FILEPASS, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
_BOOLERR, _FORMULA = 0x0205, 0x0006
_WANTED = frozenset({_BOF, _EOF, _BOOLERR, _FORMULA})
_BIFF8 = b"\x00\x06"  # the version in a BOF record, 0x0600, little-endian
#: The error codes (BErr, [MS-XLS] 2.5.198.2) as Excel shows them.
_SHOWN = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
_HEADER = struct.Struct("<HH")
_CELL = struct.Struct("<HH")  # row and column, each from 0
#: The last two bytes of a FORMULA record's cached result that is not a number.
_NO_EXPRESSION = b"\xff\xff"
#: The header of a BOOLERR record (its type, and its size: 8).
_BOOLERR_HEADER = b"\x05\x02\x08\x00"


def error_cells(path: Path, sheet: str) -> ErrorCells:
    """Return the error cells of the sheet named ``sheet`` (none if it has none).

    Args:
        path: The ``.xls`` workbook.
        sheet: The sheet's name.

    Returns:
        ``{row from 1: {column from 0: the error as shown}}``.
    """
    data = workbook_stream(path)
    return {} if data is None else read_errors(data, sheet)


def workbook_stream(path: Path) -> bytes | None:
    """The bytes of the ``Workbook`` (or ``Book``) stream of an ``.xls``; None if unreadable."""
    import olefile  # the compound file's sectors; only when an .xls is read

    try:
        with olefile.OleFileIO(str(path)) as ole:
            stream = next((name for name in _STREAMS if ole.exists(name)), None)
            return None if stream is None else bytes(ole.openstream(stream).read())
    except UNREADABLE:
        return None  # python-calamine reads the file, or names what is wrong with it


def read_errors(data: bytes, sheet: str) -> ErrorCells:
    """Return the error cells of ``sheet`` in a workbook stream's bytes ``data``.

    Args:
        data: The BIFF records of the ``Workbook`` stream.
        sheet: The sheet's name.

    Returns:
        The error cells, as :func:`error_cells` gives them; none for a stream
        that is not BIFF8, is encrypted or has no such sheet.
    """
    try:
        bounds = _sheet_bounds(data, sheet)
    except UNREADABLE:
        return {}
    if bounds is None:
        return {}
    start, end = bounds
    if not _may_hold_errors(data, start, end):
        return {}
    return _walk_sheet(data, start)


def _is_biff8_bof(data: bytes, pos: int) -> bool:
    """Say whether a BIFF8 BOF record starts at ``pos``."""
    if pos < 0 or pos + 6 > len(data):
        return False
    kind, size = _HEADER.unpack_from(data, pos)
    return kind == _BOF and size >= 2 and data[pos + 4 : pos + 6] == _BIFF8


def _sheet_bounds(data: bytes, sheet: str) -> tuple[int, int] | None:
    """Where the substream of ``sheet`` starts, and where the next one does (or the end)."""
    if not _is_biff8_bof(data, 0):
        return None  # BIFF5 or older, or no workbook stream at all
    starts: list[int] = []
    wanted = None
    pos = 0
    while pos + 4 <= len(data):
        kind, size = _HEADER.unpack_from(data, pos)
        body = pos + 4
        if kind == _FILEPASS:
            return None  # encrypted: the records' data cannot be read
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and size >= 8:
            (offset,) = struct.unpack_from("<I", data, body)
            starts.append(offset)
            if wanted is None and _sheet_name(data[body : body + size]) == sheet:
                wanted = offset
        pos = body + size
    if wanted is None or not _is_biff8_bof(data, wanted):
        return None
    end = min([s for s in starts if s > wanted], default=len(data))
    return wanted, min(end, len(data))  # an offset past the end is damage


def _sheet_name(body: bytes) -> str:
    """The name in a BOUNDSHEET record: a ShortXLUnicodeString after six bytes."""
    count, flags = body[6], body[7]
    if flags & 0x01:  # fHighByte: UTF-16LE
        raw = body[8 : 8 + 2 * count]
        if len(raw) < 2 * count:
            raise ValueError("a sheet name is cut short")
        return raw.decode("utf-16-le")
    raw = body[8 : 8 + count]
    if len(raw) < count:
        raise ValueError("a sheet name is cut short")
    return raw.decode("latin-1")  # the high bytes left out: each is 0


def _may_hold_errors(data: bytes, start: int, end: int) -> bool:
    """Say whether ``data[start:end]`` holds the shape of an error record anywhere.

    The shapes: a BOOLERR header whose fError byte (the twelfth) is 1; a
    FORMULA whose cached result ends in 0xFFFF, 16 bytes from the record's
    start, with 2 (an error) 6 bytes before that. Both are found with
    ``bytes.find``, quick on a sheet of numbers and text; a hit may be no
    record at all, which the walk of the records then tells.
    """
    at = data.find(_BOOLERR_HEADER, start, end)
    while at >= 0:
        if at + 11 < end and data[at + 11] == 1:
            return True
        at = data.find(_BOOLERR_HEADER, at + 1, end)
    at = data.find(_NO_EXPRESSION, start + 16, end)
    while at >= 0:
        if data[at - 16 : at - 14] == b"\x06\x00" and data[at - 6] == 2:
            return True
        at = data.find(_NO_EXPRESSION, at + 1, end)
    return False


def _walk_sheet(data: bytes, start: int) -> ErrorCells:
    """Walk a sheet's records from its BOF at ``start`` to its EOF; collect its error cells."""
    found: ErrorCells = {}
    unpack = _HEADER.unpack_from
    length = len(data)
    depth = 0
    pos = start
    while pos + 4 <= length:
        kind, size = unpack(data, pos)
        body = pos + 4
        pos = body + size
        if kind not in _WANTED:
            continue  # most records: skipped by their size, nothing else looked at
        if pos > length:
            break  # a record cut short: keep what was found before it
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth != 1:
            continue  # a cell of an embedded chart's substream, not of the sheet
        elif kind == _BOOLERR:
            if size >= 8 and data[body + 7] == 1:
                _add(found, data, body, data[body + 6])
        elif (
            size >= 14 and data[body + 6] == 2 and data[body + 12 : body + 14] == _NO_EXPRESSION
        ):  # a FORMULA whose cached result is an error
            _add(found, data, body, data[body + 8])
    return found


def _add(found: ErrorCells, data: bytes, body: int, code: int) -> None:
    """Record the error ``code`` of the cell whose record's data starts at ``body``."""
    shown = _SHOWN.get(code)
    if shown is not None:
        row, column = _CELL.unpack_from(data, body)
        found.setdefault(row + 1, {})[column] = shown

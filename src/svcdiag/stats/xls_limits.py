"""Refuse an ``.xls`` whose sheets claim more cells than the format holds, before it is read.

python-calamine sets aside room for a sheet's cells from the size its
DIMENSIONS record (0x0200, [MS-XLS] 2.4.90) claims: the first row and one
past the last (four bytes each), then the first column and one past the last
(two bytes each). A damaged file claiming three billion rows makes it ask for
hundreds of gigabytes, and the process is aborted by the allocator, with no
message and nothing Python can catch. BIFF8 holds at most 65,536 rows and
256 columns, so a claim beyond that can only be damage; it is named here,
before python-calamine opens the file.

A BIFF5 workbook (Excel 5.0 and 95) writes the rows in two bytes each, so its
DIMENSIONS is 10 bytes long, not 14; python-calamine tells the two layouts
apart by that size, and so does this module. Two bytes cannot claim more
rows than an ``.xls`` holds, but 65,535 columns are as fatal, and so is a
first row past the last, which python-calamine's subtraction wraps round to
four billion. Excel 95 showed at most 16,384 rows, but writers of BIFF5
files (PHP's Spreadsheet_Excel_Writer, for one) write up to 65,536, which
later Excel and python-calamine read, so a BIFF5 claim is held to BIFF8's
limits. A BIFF5 sheet claiming no rows or no columns (a first equal
to one past the last, or an end of 0) claims no cells, whatever the rest:
such writers give an empty sheet first column 257 and one past the last 1,
which python-calamine reads.

The whole ``Workbook`` stream is walked record by record (each a type and a
size, two bytes each), so every sheet's DIMENSIONS is seen, up to a FILEPASS
record: the records of an encrypted workbook cannot be read, and python-calamine
names it as such. A file that cannot be walked is left to python-calamine too,
whose errors are handled.
"""

from __future__ import annotations

import struct
from pathlib import Path

from svcdiag.errors import InputFileError

#: Rows and columns a BIFF8 sheet holds.
MAX_ROWS, MAX_COLUMNS = 65_536, 256
_DIMENSIONS, _FILEPASS = 0x0200, 0x002F
_HEADER = struct.Struct("<HH")
_SIZE = struct.Struct("<IIHH")  # first row, last row + 1, first column, last column + 1
_SIZE5 = struct.Struct("<HHHH")  # the same in a BIFF5 record of 10 bytes: rows in two bytes


#: The first bytes of an OLE2 compound file.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refuse_oversized(path: Path, *, hint: str) -> None:
    """Raise InputFileError for an ``.xls`` at ``path`` whose size claims are impossible.

    Any other file (a zip workbook, text) is left alone: only an OLE2 file is walked.

    Args:
        path: The workbook about to be opened.
        hint: What the user can do, in the caller's words.
    """
    try:
        with path.open("rb") as raw:
            if raw.read(len(_OLE2)) != _OLE2:
                return
    except OSError:
        return  # the reader names what is wrong with the file
    claim = oversized(path)
    if claim is not None:
        raise InputFileError(path, f"cannot read this workbook: it is damaged ({claim})", hint=hint)


def oversized(path: Path) -> str | None:
    """Say what a sheet of the ``.xls`` at ``path`` claims beyond the format, if one does.

    Args:
        path: An OLE2 compound file (an ``.xls``).

    Returns:
        A description of the first impossible claim (``"claims 3,489,660,941
        rows"``), or None when every claim fits or the file cannot be walked.
    """
    from svcdiag.stats.xls_errors import workbook_stream  # only for an .xls

    data = workbook_stream(path)
    return None if data is None else oversized_in(data)


def oversized_in(data: bytes) -> str | None:
    """:func:`oversized` for the bytes of a workbook stream."""
    unpack = _HEADER.unpack_from
    pos, length = 0, len(data)
    while pos + 4 <= length:
        kind, size = unpack(data, pos)
        body = pos + 4
        pos = body + size
        if kind == _FILEPASS:
            return None  # encrypted: what follows cannot be read, and the reader says so
        if kind != _DIMENSIONS or pos > length:
            continue
        if size == 10:  # BIFF5: rows in two bytes
            first_row, end_row, first_column, end_column = _SIZE5.unpack_from(data, body)
            if end_row == 0 or end_column == 0 or first_row == end_row:
                continue  # python-calamine sets aside one cell, or none
            if first_column == end_column:
                continue
        elif size >= _SIZE.size:
            first_row, end_row, first_column, end_column = _SIZE.unpack_from(data, body)
        else:
            continue
        claim = _claim(first_row, end_row, first_column, end_column)
        if claim is not None:
            return claim
    return None


def _claim(first_row: int, end_row: int, first_column: int, end_column: int) -> str | None:
    """What a DIMENSIONS record's numbers claim beyond the format; None if nothing.

    A first row or column past the last is damage too: python-calamine's
    subtraction (unsigned, 32 bits) would wrap round to four billion rows.
    """
    if end_row > MAX_ROWS:
        return f"a sheet claims {end_row:,} rows, and an .xls holds at most {MAX_ROWS:,}"
    if first_row > end_row:
        return f"a sheet's first row, {first_row + 1:,}, comes after its last, {end_row:,}"
    if end_column > MAX_COLUMNS:
        return f"a sheet claims {end_column:,} columns, and an .xls holds at most {MAX_COLUMNS}"
    if first_column > end_column:
        return f"a sheet's first column, {first_column + 1:,}, comes after its last, {end_column:,}"
    return None

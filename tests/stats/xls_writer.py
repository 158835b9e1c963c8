"""A tiny ``.xls`` writer for tests: BIFF8 or BIFF5 records in an OLE2 compound file, by hand.

The records ([MS-XLS] 2.1.4): a type and a size (two bytes each,
little-endian), then the data. A workbook stream is the globals (BOF, a
BOUNDSHEET per sheet naming where its substream starts, EOF), then each
sheet's substream: BOF, DIMENSIONS, its cells, EOF. The cells written:

* NUMBER (0x0203): row, column, XF index, an IEEE double;
* LABEL (0x0204): row, column, XF index, an XLUnicodeString (a two-byte
  length, a flags byte, UTF-16LE characters);
* BOOLERR (0x0205): row, column, XF index, the error code, then 1 (an error);
* FORMULA (0x0006): row, column, XF index, the cached result (2, 0, the code,
  three zeros and 0xFFFF: an error), flags, a cache id, and the formula: a
  single PtgErr (0x1C) holding the same code.

BIFF5 (Excel 5.0 and 95, ``version=BIFF5``) differs in what is written here:
the BOF record is 8 bytes; DIMENSIONS holds its rows in two bytes, not four
(10 bytes in all); text has no flags byte and is in the workbook's code page
(a CODEPAGE record, 0x0042, in the globals when ``codepage`` is given), a
BOUNDSHEET name with a one-byte length, a LABEL with a two-byte one. BOOLERR
and FORMULA are the same. The stream is usually named ``Book``.

The compound file ([MS-CFB]) is version 3, 512-byte sectors: the header,
then the FAT sectors, one directory sector (the root and the ``Workbook``
stream) and the stream's sectors in a row. The stream is padded to 4096 bytes,
below which it would have to live in the mini stream.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

#: The error codes of BIFF8 (BErr) and the texts Excel shows for them.
XLS_ERRORS = {
    "#NULL!": 0x00,
    "#DIV/0!": 0x07,
    "#VALUE!": 0x0F,
    "#REF!": 0x17,
    "#NAME?": 0x1D,
    "#NUM!": 0x24,
    "#N/A": 0x2A,
}

XlsValue = float | str | None
#: The versions in a BOF record.
BIFF5, BIFF8 = 0x0500, 0x0600
_SECTOR = 512
_FREE, _END, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF record: its type, its size and its data."""
    return struct.pack("<HH", kind, len(data)) + data


def bof(kind: int, version: int = BIFF8) -> bytes:
    """A BOF record: ``kind`` 0x0005 for the globals, 0x0010 for a worksheet."""
    if version == BIFF5:  # version, kind, build and year: 8 bytes
        return record(0x0809, struct.pack("<HHHH", version, kind, 0x0DBB, 0x07CC))
    return record(0x0809, struct.pack("<HHHHII", version, kind, 0x0DBB, 0x07CC, 0, 0x0206))


def xls_cell(
    row: int,
    column: int,
    value: XlsValue,
    *,
    formula_error: bool = False,
    version: int = BIFF8,
    encoding: str = "cp1252",
) -> bytes:
    """The record of one cell; an error text as BOOLERR, or FORMULA if ``formula_error``.

    In BIFF5 a text is written in ``encoding``, the workbook's code page.
    """
    where = struct.pack("<HHH", row, column, 15)
    if isinstance(value, str) and value in XLS_ERRORS:
        code = XLS_ERRORS[value]
        if formula_error:
            result = struct.pack("<BBBBBBH", 2, 0, code, 0, 0, 0, 0xFFFF)
            parsed = struct.pack("<HBB", 2, 0x1C, code)  # cce, then PtgErr
            return record(0x0006, where + result + struct.pack("<HI", 0, 0) + parsed)
        return record(0x0205, where + bytes([code, 1]))
    if isinstance(value, str) and version == BIFF5:
        raw = value.encode(encoding)
        return record(0x0204, where + struct.pack("<H", len(raw)) + raw)
    if isinstance(value, str):
        text = value.encode("utf-16-le")
        return record(0x0204, where + struct.pack("<HB", len(value), 1) + text)
    if value is None:
        return b""
    return record(0x0203, where + struct.pack("<d", value))


def xls_sheet(
    rows: Iterable[tuple[int, Sequence[tuple[int, XlsValue]]]],
    *,
    formula_errors: bool = False,
    before_eof: bytes = b"",
    version: int = BIFF8,
    encoding: str = "cp1252",
) -> bytes:
    """A worksheet substream: BOF, DIMENSIONS, the cells of ``(row, [(column, value)])``, EOF."""
    cells = b""
    top, bottom, left, right = 1 << 16, 0, 1 << 8, 0
    for row, values in rows:
        for column, value in values:
            cells += xls_cell(
                row, column, value, formula_error=formula_errors, version=version, encoding=encoding
            )
            if value is not None:
                top, bottom = min(top, row), max(bottom, row + 1)
                left, right = min(left, column), max(right, column + 1)
    if bottom == 0:
        top = left = 0
    layout = "<HHHHH" if version == BIFF5 else "<IIHHH"  # BIFF5: rows in two bytes
    dimensions = record(0x0200, struct.pack(layout, top, bottom, left, right, 0))
    return bof(0x0010, version) + dimensions + cells + before_eof + record(0x000A)


def _short_string(text: str) -> bytes:
    """A ShortXLUnicodeString: Latin-1 when it can be, else UTF-16LE."""
    try:
        return struct.pack("<BB", len(text), 0) + text.encode("latin-1")
    except UnicodeEncodeError:
        return struct.pack("<BB", len(text), 1) + text.encode("utf-16-le")


def _byte_string(text: str, encoding: str) -> bytes:
    """A BIFF5 sheet name: a one-byte length, then the name in the code page ``encoding``."""
    raw = text.encode(encoding)
    return struct.pack("<B", len(raw)) + raw


def codepage(number: int) -> bytes:
    """A CODEPAGE record naming the code page ``number`` of the workbook's text."""
    return record(0x0042, struct.pack("<H", number))


def workbook_stream(
    sheets: Sequence[tuple[str, bytes]],
    *,
    globals_extra: bytes = b"",
    version: int = BIFF8,
    code_page: int | None = None,
    encoding: str = "cp1252",
) -> bytes:
    """The ``Workbook`` stream: the globals naming ``sheets``, then their substreams.

    In BIFF5 the names are written in ``encoding``; a CODEPAGE record naming
    ``code_page`` comes first in the globals when it is given.
    """

    def name_of(text: str) -> bytes:
        return _byte_string(text, encoding) if version == BIFF5 else _short_string(text)

    def globals_at(offsets: Sequence[int]) -> bytes:
        bound = b"".join(
            record(0x0085, struct.pack("<IBB", offset, 0, 0) + name_of(name))
            for (name, _), offset in zip(sheets, offsets, strict=True)
        )
        pages = b"" if code_page is None else codepage(code_page)
        return bof(0x0005, version) + pages + globals_extra + bound + record(0x000A)

    offsets = []
    at = len(globals_at([0] * len(sheets)))
    for _, substream in sheets:
        offsets.append(at)
        at += len(substream)
    return globals_at(offsets) + b"".join(substream for _, substream in sheets)


def _directory_entry(name: str, kind: int, start: int, size: int, child: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # black node
        + struct.pack("<III", _FREE, _FREE, child)  # left, right, child
        + b"\0" * 16  # class id
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE2 compound file holding ``stream`` as its only stream, named ``name``."""
    stream = stream.ljust(4096, b"\0")
    count = -(-len(stream) // _SECTOR)
    fats = 1
    while fats * (_SECTOR // 4) < fats + 1 + count:
        fats += 1
    if fats > 109:
        raise ValueError("too long for a compound file without DIFAT sectors")
    directory = fats
    first = fats + 1
    table = [_FAT_SECTOR] * fats + [_END]
    table += [first + i + 1 for i in range(count - 1)] + [_END]
    table += [_FREE] * (fats * (_SECTOR // 4) - len(table))
    header = (
        _MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, fats, directory, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", *range(fats), *([_FREE] * (109 - fats)))
    )
    entries = (
        _directory_entry("Root Entry", 5, _END, 0, 1)
        + _directory_entry(name, 2, first, len(stream), _FREE)
        + _directory_entry("", 0, _FREE, 0, _FREE) * 2
    )
    fat = struct.pack(f"<{len(table)}I", *table)
    data = stream.ljust(count * _SECTOR, b"\0")
    return header + fat + entries + data


def write_xls(
    path: Path,
    sheets: Sequence[tuple[str, bytes]],
    *,
    globals_extra: bytes = b"",
    version: int = BIFF8,
    stream_name: str = "Workbook",
    code_page: int | None = None,
    encoding: str = "cp1252",
) -> Path:
    """Write an ``.xls`` workbook of ``(name, substream)`` sheets to ``path``."""
    stream = workbook_stream(
        sheets,
        globals_extra=globals_extra,
        version=version,
        code_page=code_page,
        encoding=encoding,
    )
    path.write_bytes(compound_file(stream, stream_name))
    return path

"""The error cells of a workbook's sheet (``#DIV/0!``, ``#N/A``...), whatever its format.

python-calamine reads a cell holding an error as an empty one, and in an
``.ods`` file sometimes as the number 0: a ``#DIV/0!`` would then be counted as
a score of 0. Each format keeps the error as its program shows it, in its own
way, and one small module per format reads them:

* ``.xlsx`` / ``.xlsm`` (:mod:`.xlsx_errors`): the sheet's XML, ``t="e"``;
* ``.ods`` (:mod:`.ods_errors`): ``content.xml``, ``calcext:value-type="error"``;
* ``.xlsb`` (:mod:`.xlsb_errors`): the sheet's binary records, BrtCellError and
  BrtFmlaError;
* ``.xls`` (:mod:`.xls_errors`): BIFF8 or BIFF5 records in an OLE2 compound
  file, BOOLERR and FORMULA with an error result.

The format is told by the file's content (the OLE2 signature, or the zip
members that name it), not its suffix, as :func:`svcdiag.stats.sources.kind_of`
does. No reader raises: a file or part that cannot be read gives no error
cells, and python-calamine's reading of the sheet stands.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

#: The error cells of a sheet: ``{row: {column: text}}``, the row as the
#: spreadsheet numbers it (from 1), the column from 0 (A).
ErrorCells = dict[int, dict[int, str]]

#: The error codes of the binary formats (BErr: [MS-XLS] 2.5.198.2, the same
#: in [MS-XLSB] 2.5.98.2) as Excel shows them; ``.xlsb`` adds one more.
ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}

#: The first bytes of an OLE2 compound file, which holds an ``.xls`` workbook.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: What reading a damaged or unusual workbook part may raise: each reader
#: then gives no error cells, and python-calamine's reading of the sheet stands.
UNREADABLE = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    ElementTree.ParseError,
    KeyError,
    ValueError,
    IndexError,
    UnicodeDecodeError,
    RuntimeError,  # an encrypted member
    struct.error,  # a compound file's header or directory cut short
    NotImplementedError,  # a compression zipfile does not know
    MemoryError,  # a damaged header's sector size, taken at its word by olefile
)


def has_mark(raw: IO[bytes], marks: Sequence[bytes], chunk_size: int) -> bool:
    """Say whether ``raw`` holds one of ``marks`` (all of one length), read in chunks.

    A quick scan of the bytes, so that a sheet without error cells is never parsed.
    """
    width = len(marks[0])
    tail = b""
    while chunk := raw.read(chunk_size):
        window = tail + chunk
        if any(mark in window for mark in marks):
            return True
        tail = window[-(width - 1) :]
    return False


def error_cells(path: Path, sheet: str) -> ErrorCells:
    """Return the error cells of ``sheet``: ``{row from 1: {column from 0: text}}``.

    Args:
        path: The workbook.
        sheet: The sheet's name, as python-calamine gives it.

    Returns:
        The error cells, keyed by the row as the spreadsheet numbers it and the
        column from 0 (A); empty for a sheet without errors, a format that is
        not read or a file that cannot be read.
    """
    try:
        with path.open("rb") as raw:
            signature = raw.read(len(_OLE2))
    except OSError:
        return {}
    if signature == _OLE2:
        from svcdiag.stats import xls_errors

        return xls_errors.error_cells(path, sheet)
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return {}  # no workbook at all
    if "content.xml" in names:
        from svcdiag.stats import ods_errors

        return ods_errors.error_cells(path, sheet)
    if "xl/workbook.bin" in names:
        from svcdiag.stats import xlsb_errors

        return xlsb_errors.error_cells(path, sheet)
    from svcdiag.stats import xlsx_errors

    return xlsx_errors.error_cells(path, sheet)

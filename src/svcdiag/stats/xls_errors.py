"""The error cells of an ``.xls`` sheet (BIFF8 or BIFF5 in an OLE2 compound file).

python-calamine reads a cell holding an error constant, or a formula whose
last result was an error, as an empty cell. This module reads them from the
workbook's records, so that the cell's text is its error as Excel shows it
(the same texts as the other formats' readers give).

The compound file (its sectors, FAT, mini-FAT and DIFAT) is read by olefile;
its ``Workbook`` stream (``Book`` in older files) is a run of BIFF records,
each a type and a size (two bytes each, little-endian) and its data
([MS-XLS] 2.1.4). The records read here:

* in the workbook globals, the first substream: BOF (0x0809), whose version
  must be BIFF8 (0x0600, Excel 97 to 2003) or BIFF5 (0x0500, Excel 5.0 and
  95); FILEPASS (0x002F), an encrypted workbook, whose cells cannot be read;
  CODEPAGE (0x0042), the code page of a BIFF5 workbook's text; BOUNDSHEET
  (0x0085), each sheet's name and where its substream starts; EOF (0x000A);
* in the sheet's substream, from its BOF to its EOF (a chart embedded in the
  sheet is a substream of its own, BOF to EOF, inside it): BOOLERR (0x0205)
  with fError set, an error constant; FORMULA (0x0006) whose cached result
  is an error (byte 6 is 2 and bytes 12-13 are 0xFFFF), the code in byte 8.

Both hold the cell's row and column from 0 in their first four bytes, and
both are laid out alike in BIFF5 and BIFF8, with the same error codes
(OpenOffice.org's "Microsoft Excel File Format", 5.10 BOOLERR and 5.50
FORMULA, which cover BIFF2 to BIFF8); a CONTINUE record never splits
them and is skipped by its size like any other. Before the records of a
sheet are walked, its bytes are searched for the shape of either record,
which is quick: a sheet without one is never walked.

A sheet is found by its name as python-calamine gives it, so a name is
decoded as python-calamine decodes it, NUL characters left out. In BIFF8 it
is a ShortXLUnicodeString: a length, a flags byte, then Latin-1 or UTF-16LE
characters. In BIFF5 it is a length byte and the name's bytes, in the code
page of the CODEPAGE record, with no flags byte (:func:`biff5_name`).

No reader raises: a file that is neither BIFF8 nor BIFF5 (an Excel 4.0 or
older one), an encrypted one, or one that cannot be read gives no error
cells, and python-calamine's reading of the sheet stands; a record cut
short ends the sheet, keeping what was found before it.
"""

from __future__ import annotations

import codecs
import functools
import struct
from pathlib import Path

from svcdiag.stats.workbook_errors import ERROR_CODES, UNREADABLE, ErrorCells

_STREAMS = ("Workbook", "Book")
_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _CODEPAGE = 0x0809, 0x000A, 0x002F, 0x0085, 0x0042
_BOOLERR, _FORMULA = 0x0205, 0x0006
_WANTED = frozenset({_BOF, _EOF, _BOOLERR, _FORMULA})
#: The versions in a BOF record.
BIFF5, BIFF8 = 0x0500, 0x0600
#: The error codes as Excel shows them.
_SHOWN = ERROR_CODES
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
        that is neither BIFF8 nor BIFF5, is encrypted or has no such sheet.
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


def _bof_version(data: bytes, pos: int) -> int | None:
    """The version of the BOF record at ``pos``, BIFF5 or BIFF8; None for anything else."""
    if pos < 0 or pos + 6 > len(data):
        return None
    kind, size = _HEADER.unpack_from(data, pos)
    if kind != _BOF or size < 2:
        return None
    (version,) = struct.unpack_from("<H", data, pos + 4)
    return version if version in (BIFF5, BIFF8) else None


def _sheet_bounds(data: bytes, sheet: str) -> tuple[int, int] | None:
    """Where the substream of ``sheet`` starts, and where the next one does (or the end)."""
    version = _bof_version(data, 0)
    if version is None:
        return None  # Excel 4.0 or older, or no workbook stream at all
    code_page: int | None = None
    # each sheet's offset, its BOUNDSHEET's data and the code page then in force
    bound: list[tuple[int, bytes, int | None]] = []
    pos = 0
    while pos + 4 <= len(data):
        kind, size = _HEADER.unpack_from(data, pos)
        body = pos + 4
        if kind == _FILEPASS:
            return None  # encrypted: the records' data cannot be read
        if kind == _EOF:
            break
        if kind == _CODEPAGE and size >= 2:
            (code_page,) = struct.unpack_from("<H", data, body)
        if kind == _BOUNDSHEET and size >= 7 + (version == BIFF8):
            (offset,) = struct.unpack_from("<I", data, body)
            bound.append((offset, data[body : body + size], code_page))
        pos = body + size
    wanted = next(
        (offset for offset, body, page in bound if _sheet_name(body, version, page) == sheet),
        None,
    )
    if wanted is None or _bof_version(data, wanted) is None:
        return None
    end = min([offset for offset, _, _ in bound if offset > wanted], default=len(data))
    return wanted, min(end, len(data))  # an offset past the end is damage


def _sheet_name(body: bytes, version: int, code_page: int | None) -> str:
    """The name in a BOUNDSHEET record's data ``body``, as python-calamine gives it."""
    if version == BIFF5:
        raw = body[7 : 7 + body[6]]
        if len(raw) < body[6]:
            raise ValueError("a sheet name is cut short")
        return biff5_name(raw, code_page)
    count, flags = body[6], body[7]
    if flags & 0x01:  # fHighByte: UTF-16LE
        raw = body[8 : 8 + 2 * count]
        if len(raw) < 2 * count:
            raise ValueError("a sheet name is cut short")
        return raw.decode("utf-16-le").replace("\0", "")
    raw = body[8 : 8 + count]
    if len(raw) < count:
        raise ValueError("a sheet name is cut short")
    return compressed_name(raw, code_page)


#: The code pages python-calamine decodes a byte at a time, and the Python
#: codec that decodes each byte as it does (its decoder follows the WHATWG
#: Encoding Standard, in which ISO-8859-1, -9 and -11 are windows-1252,
#: windows-1254 and windows-874).
_SINGLE_BYTE = {
    866: "cp866",
    874: "cp874",
    1250: "cp1250",
    1251: "cp1251",
    1252: "cp1252",
    1253: "cp1253",
    1254: "cp1254",
    1255: "cp1255",
    1256: "cp1256",
    1257: "cp1257",
    1258: "cp1258",
    10000: "mac_roman",
    10007: "mac_cyrillic",
    10017: "mac_cyrillic",
    20866: "koi8_r",
    21866: "koi8_u",
    28591: "cp1252",
    28592: "iso8859_2",
    28593: "iso8859_3",
    28594: "iso8859_4",
    28595: "iso8859_5",
    28596: "iso8859_6",
    28597: "iso8859_7",
    28598: "iso8859_8",
    28599: "cp1254",
    28600: "iso8859_10",
    28601: "cp874",
    28603: "iso8859_13",
    28604: "iso8859_14",
    28605: "iso8859_15",
    28606: "iso8859_16",
}
#: Bytes those decoders read otherwise than the Python codec: KOI8-U is read
#: as KOI8-RU, and windows-1255 has one letter more.
_DIFFERENT = {21866: {0xAE: "\u045e", 0xBE: "\u040e"}, 1255: {0xCA: "\u05ba"}}
#: The code pages of two bytes a character, which python-calamine decodes
#: after widening each byte of a BIFF5 text to two (a zero high byte): the
#: name comes out as written only where it is ASCII.
_WIDE = {
    1200: "utf-16-le",
    1201: "utf-16-be",
    932: "cp932",
    936: "gb18030",
    949: "cp949",
    950: "cp950",
    54936: "gb18030",
}
#: The byte order marks a single-byte decoder heeds, and the encodings they name.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def biff5_name(raw: bytes, code_page: int | None) -> str:
    """Decode the bytes ``raw`` of a BIFF5 sheet name as python-calamine does.

    A workbook without a CODEPAGE record is read in code page 1200, whose
    text python-calamine widens byte by byte: each byte is the character of
    that number (Latin-1). A single-byte code page is read by the WHATWG
    decoder of that name: a byte it leaves undefined is the C1 control of
    that number (0x80 to 0x9F) or U+FFFD. In these and in UTF-8 (65001), a
    name starting with a byte order mark is read in the encoding the mark
    names. NUL characters are left out.

    Args:
        raw: The name's bytes, after its length byte.
        code_page: The number in the CODEPAGE record, None if there is none.

    Returns:
        The sheet's name as python-calamine gives it (for a code page of two
        bytes a character, such as 932, only an ASCII name is sure to be).
    """
    page = 1200 if code_page is None else code_page
    mark = next((m for m in _BOMS if raw.startswith(m[0])), None)
    if mark is not None and (page == 65001 or page in _SINGLE_BYTE):
        text = raw[len(mark[0]) :].decode(mark[1], "replace")
    elif page == 65001:
        text = raw.decode("utf-8", "replace")
    elif page in _SINGLE_BYTE:
        table = _byte_table(page)
        text = "".join(table[byte] for byte in raw)
    else:
        wide = bytes(b for byte in raw for b in (byte, 0))
        text = wide.decode(_WIDE.get(page, "utf-16-le"), "replace")
    return text.replace("\0", "")


def compressed_name(raw: bytes, code_page: int | None) -> str:
    """Decode a BIFF8 sheet name stored a byte a character, as python-calamine does.

    [MS-XLS] says such a name is UTF-16 with its high bytes left out (each
    is 0), which is Latin-1; python-calamine reads it in the workbook's code
    page all the same, and ``--sheet`` matches its names. Without a CODEPAGE
    record, or with 1200 (UTF-16, what Excel writes), that is Latin-1. A
    single-byte code page is read as in BIFF5 (:func:`biff5_name`) but no
    byte order mark is heeded; UTF-8 (65001) a byte at a time, so that a byte
    from 0x80 is U+FFFD; a code page of two bytes a character as in BIFF5
    (only an ASCII name is sure to come out as python-calamine gives it).
    NUL characters are left out.
    """
    page = 1200 if code_page is None else code_page
    if page in _SINGLE_BYTE:
        table = _byte_table(page)
        text = "".join(table[byte] for byte in raw)
    elif page == 65001:
        text = "".join(chr(byte) if byte < 0x80 else "\ufffd" for byte in raw)
    elif page == 1200:
        text = raw.decode("latin-1")
    else:
        return biff5_name(raw, page)
    return text.replace("\0", "")


@functools.cache
def _byte_table(page: int) -> tuple[str, ...]:
    """Each byte's character in the single-byte code page ``page``."""
    codec, different = _SINGLE_BYTE[page], _DIFFERENT.get(page, {})
    return tuple(different.get(byte) or _byte_char(byte, codec) for byte in range(256))


def _byte_char(byte: int, codec: str) -> str:
    """The character of ``byte`` in ``codec``; a C1 control or U+FFFD if it has none."""
    try:
        return bytes([byte]).decode(codec)
    except UnicodeDecodeError:
        return chr(byte) if 0x80 <= byte <= 0x9F else "\ufffd"


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

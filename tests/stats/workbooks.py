"""Workbooks written by hand, byte by byte, as LibreOffice and Excel save them.

No library here writes an ``.ods`` error cell or any ``.xlsb``, so the tests
build the files themselves: an ``.ods`` is a zip of XML, an ``.xlsb`` a zip
whose workbook and sheet parts are streams of BIFF12 records.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

# ------------------------------------------------------------------ .ods

_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<office:document-content"
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
    ' xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3">'
    "<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
    "</office:document-content>"
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.3">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _repeat(attribute: str, count: int) -> str:
    return f' table:number-{attribute}-repeated="{count}"' if count > 1 else ""


def ods_text(value: str, *, repeat: int = 1) -> str:
    """A cell holding text."""
    return (
        f'<table:table-cell office:value-type="string"{_repeat("columns", repeat)}>'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def ods_number(value: float, *, repeat: int = 1) -> str:
    """A cell holding a number."""
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}"'
        f"{_repeat('columns', repeat)}><text:p>{value}</text:p></table:table-cell>"
    )


def ods_empty(repeat: int = 1) -> str:
    """An empty cell, or ``repeat`` of them."""
    return f"<table:table-cell{_repeat('columns', repeat)}/>"


def ods_covered(repeat: int = 1) -> str:
    """A cell hidden under a merged one."""
    return f"<table:covered-table-cell{_repeat('columns', repeat)}/>"


def ods_error(shown: str, *, as_number: bool = True, repeat: int = 1) -> str:
    """A cell whose formula failed, saved as LibreOffice saves it.

    With ``as_number`` its value type is ``float`` and its value 0 (python-calamine
    reads 0.0); without, ``string`` with an empty value (python-calamine reads "").
    """
    typed = (
        'office:value-type="float" office:value="0"'
        if as_number
        else 'office:value-type="string" office:string-value=""'
    )
    return (
        f'<table:table-cell table:formula="of:=1/0" {typed} calcext:value-type="error"'
        f"{_repeat('columns', repeat)}><text:p>{escape(shown)}</text:p></table:table-cell>"
    )


def ods_row(*cells: str, repeat: int = 1) -> str:
    """A row of the given cells, or ``repeat`` rows alike."""
    return f"<table:table-row{_repeat('rows', repeat)}>{''.join(cells)}</table:table-row>"


def ods_table(name: str, *rows: str) -> str:
    """A sheet of the given rows (groups of rows may be among them)."""
    return (
        f"<table:table table:name={quoteattr(name)}>"
        '<table:table-column table:number-columns-repeated="8"/>'
        f"{''.join(rows)}</table:table>"
    )


def ods_content(*tables: str) -> str:
    """The ``content.xml`` of a workbook of the given sheets."""
    return _ODS_CONTENT.format(tables="".join(tables))


def write_ods(path: Path, *tables: str, content: str | None = None) -> Path:
    """Write an ``.ods`` of the given sheets (or of ``content`` as its content.xml)."""
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME)  # first, stored
        book.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        text = content if content is not None else ods_content(*tables)
        book.writestr("content.xml", text, compress_type=zipfile.ZIP_DEFLATED)
    return path


# ----------------------------------------------------------------- .xlsb
#
# A record (MS-XLSB 2.1.4) is its type, its size and its data. The type takes
# one byte below 128, else two, seven bits each, low bits first, the high bit
# of the first byte set; the size takes one to four bytes the same way. A
# worksheet's records used here, with their data:
#
#   BrtRowHdr      0x00  rw u32 (row from 0), then style, height and flags
#   BrtCellError   0x03  Cell (column u32, style u24, flags u8), bError u8
#   BrtCellReal    0x05  Cell, Xnum f64
#   BrtCellSt      0x06  Cell, XLWideString (count u32, UTF-16LE)
#   BrtFmlaError   0x0B  Cell, fErr u8, grbitFlags u16, CellParsedFormula
#   BrtBeginSheet  0x81, BrtEndSheet 0x82, BrtBeginSheetData 0x91,
#   BrtEndSheetData 0x92, BrtWsDim 0x94 (first row, last row, first column,
#   last column: u32 each)
#
# and the workbook's: BrtBeginBook 0x83, BrtEndBook 0x84, BrtBeginBundleShs
# 0x8F, BrtEndBundleShs 0x90, BrtCalcProp 0x9D, BrtBundleSh 0x9C (hsState u32,
# iTabID u32, strRelID nullable wide string, strName wide string).

#: BErr codes (MS-XLSB 2.5.98.2).
XLSB_ERRORS = {
    "#NULL!": 0x00,
    "#DIV/0!": 0x07,
    "#VALUE!": 0x0F,
    "#REF!": 0x17,
    "#NAME?": 0x1D,
    "#NUM!": 0x24,
    "#N/A": 0x2A,
    "#GETTING_DATA": 0x2B,
}


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: its type, its size, its data."""
    return _varint(kind) + _varint(len(data)) + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def _cell(column: int) -> bytes:
    return struct.pack("<II", column, 0)  # column, then style 0 and no flags


#: A cell of an .xlsb sheet: a string, a number, or an error ("#N/A"), with
#: ``formula_error`` for an error a formula gave (BrtFmlaError).
XlsbValue = str | float | None


def xlsb_cell(column: int, value: XlsbValue, *, formula_error: bool = False) -> bytes:
    """The record of one cell (nothing for None)."""
    if value is None:
        return b""
    if isinstance(value, str) and value in XLSB_ERRORS:
        code = bytes([XLSB_ERRORS[value]])
        if formula_error:
            formula = struct.pack("<I", 1) + b"\x1c" + code + struct.pack("<I", 0)  # PtgErr
            return record(0x0B, _cell(column) + code + b"\x00\x00" + formula)
        return record(0x03, _cell(column) + code)
    if isinstance(value, str):
        return record(0x06, _cell(column) + _wide(value))
    return record(0x05, _cell(column) + struct.pack("<d", value))


def xlsb_sheet(
    rows: Iterable[tuple[int, Sequence[tuple[int, XlsbValue]]]], *, formula_errors: bool = False
) -> bytes:
    """A worksheet part: ``rows`` are (row from 0, [(column from 0, value)])."""
    rows = list(rows)
    cells = [c for _, row in rows for c, _ in row] or [0]
    numbers = [r for r, _ in rows] or [0]
    body = bytearray(record(0x81))
    body += record(0x94, struct.pack("<IIII", min(numbers), max(numbers), min(cells), max(cells)))
    body += record(0x91)
    for number, row in rows:
        body += record(0x00, struct.pack("<IIHBB", number, 0, 300, 0, 0) + b"\x00" * 4)
        for column, value in row:
            body += xlsb_cell(column, value, formula_error=formula_errors)
    body += record(0x92) + record(0x82)
    return bytes(body)


def _bundle(name: str, relation: str | None, tab: int) -> bytes:
    relid = struct.pack("<I", 0xFFFFFFFF) if relation is None else _wide(relation)
    return record(0x9C, struct.pack("<II", 0, tab) + relid + _wide(name))


_XLSB_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="bin" '
    'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    "</Types>"
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def write_xlsb(
    path: Path, sheets: Sequence[tuple[str, bytes]], *, targets: Sequence[str] | None = None
) -> Path:
    """Write an ``.xlsb`` of the named sheet parts, as python-calamine and Excel read them.

    ``targets`` names each sheet's part (``worksheets/sheet1.bin``...); they
    are listed in the relations in reverse, so that order alone cannot find them.
    """
    targets = list(targets or [f"worksheets/sheet{i}.bin" for i in range(1, len(sheets) + 1)])
    book = bytearray(record(0x83) + record(0x8F))
    for tab, (name, _) in enumerate(sheets, start=1):
        book += _bundle(name, f"rId{tab}", tab)
    book += record(0x90) + record(0x9D, b"\x00" * 26) + record(0x84)
    relations = "".join(
        f'<Relationship Id="rId{tab}" Type="{_SHEET_REL}" Target="{target}"/>'
        for tab, target in reversed(list(enumerate(targets, start=1)))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", _XLSB_TYPES)
        out.writestr("xl/workbook.bin", bytes(book))
        out.writestr(
            "xl/_rels/workbook.bin.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
            f"{relations}</Relationships>",
        )
        for (_, part), target in zip(sheets, targets, strict=True):
            out.writestr(f"xl/{target}", part)
    return path


# ---------------------------------------------------------- damaged parts


def damage(path: Path, member: str, how: str, *, after: bytes | None = None) -> Path:
    """Damage one member of the zip at ``path`` in place, the rest kept as it was.

    The damage starts just after ``after`` in the member's data, else in its
    middle. ``how`` is ``"crc"``: the byte there is changed, so that the
    CRC-32 no longer matches (the member is stored uncompressed); ``"cut"``:
    its deflated data ends there, the sizes and CRC-32 of the whole kept in
    its headers; ``"garbled"``: its deflated data goes on with bytes that
    cannot be inflated; ``"unknown"``: it is whole, but its headers name a
    compression no reader knows.
    """
    with zipfile.ZipFile(path) as book:
        parts = [(info.filename, book.read(info.filename)) for info in book.infolist()]
    data = dict(parts)[member]
    where = len(data) // 2 if after is None else data.index(after) + len(after)
    if how == "crc":
        written, method = data[:where] + bytes([data[where] ^ 1]) + data[where + 1 :], 0
    elif how == "unknown":
        written, method = zlib.compress(data)[2:-4], 99  # deflated, named otherwise
    else:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        written = deflate.compress(data[:where]) + deflate.flush(zlib.Z_FULL_FLUSH)
        method = zipfile.ZIP_DEFLATED
        if how == "garbled":
            written += b"\xff" * 64  # a block of the reserved type
    with zipfile.ZipFile(path, "w") as out:
        for name, body in parts:
            if name == member:
                out.writestr(zipfile.ZipInfo(name), written)  # its headers patched below
            else:
                out.writestr(name, body, compress_type=zipfile.ZIP_DEFLATED)
    blob = bytearray(path.read_bytes())
    # each header's signature, then where its method, CRC-32, size and name are
    for signature, fields in ((b"PK\x03\x04", (8, 14, 22, 30)), (b"PK\x01\x02", (10, 16, 24, 46))):
        kind, crc, size, name = fields
        start = blob.find(signature)
        while start >= 0:
            if blob[start + name : start + name + len(member)] == member.encode():
                struct.pack_into("<H", blob, start + kind, method)
                struct.pack_into("<I", blob, start + crc, zlib.crc32(data))
                struct.pack_into("<I", blob, start + size, len(data))
            start = blob.find(signature, start + 4)
    path.write_bytes(bytes(blob))
    return path

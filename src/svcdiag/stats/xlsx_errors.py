"""The error cells of an ``.xlsx`` or ``.xlsm`` sheet (``#DIV/0!``, ``#N/A``...).

python-calamine reads a cell holding an error as an empty one, so a message
would call ``#DIV/0!`` empty, and a CSV export of the sheet would not. The
sheet's XML marks such a cell ``t="e"`` and holds the error as Excel shows it:
this module reads them from there, so that the cell's text is the error.

The sheet is first scanned as bytes for the mark, which is quick; only a sheet
that has one is parsed. A workbook whose parts cannot be found gives no error
cells: its cells read as python-calamine reads them. The other formats have
their own readers, chosen by :mod:`.workbook_errors`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from svcdiag.stats.workbook_errors import UNREADABLE, ErrorCells, has_mark

_WORKBOOK = "xl/workbook.xml"
_RELATIONS = "xl/_rels/workbook.xml.rels"
#: Most bytes the list of sheets and its relations may inflate to: they hold
#: names and properties, a few kilobytes; a part of gigabytes (a zip bomb) is
#: refused before it is read, by this check and by python-calamine alike.
MAX_LISTING = 1 << 24
#: How an error cell is marked, with either quote XML allows.
_MARKS = (b't="e"', b"t='e'")
_CHUNK = 1 << 20
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def error_cells(path: Path, sheet: str) -> ErrorCells:
    """Return the error cells of the sheet named ``sheet`` (none if it has none)."""
    try:
        with zipfile.ZipFile(path) as book:
            part = sheet_part(book, sheet)
            if part is None:
                return {}
            with book.open(part) as raw:
                if not _has_mark(raw):
                    return {}
            with book.open(part) as raw:
                return _read_errors(raw)
    except UNREADABLE:
        return {}  # python-calamine has read the sheet; its reading stands


def _local(tag: str) -> str:
    """A tag or attribute name without its namespace (strict OOXML uses another one)."""
    return tag.rsplit("}", 1)[-1]


def sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The name of the zip member holding ``sheet``, or None.

    Of two sheets of one name (a damaged workbook), the first: the one
    python-calamine loads, by the name and by either's index.
    """
    return next((part for name, part in sheet_parts(book) if name == sheet), None)


def _listing(book: zipfile.ZipFile, part: str) -> bytes:
    """The bytes of ``part`` (the list of sheets, its relations), refused beyond MAX_LISTING.

    Raises:
        InputFileError: the part inflates to more than that.
    """
    from svcdiag.errors import InputFileError

    with book.open(part) as raw:
        data = raw.read(MAX_LISTING + 1)
    if len(data) > MAX_LISTING:
        raise InputFileError(
            Path(book.filename or ""),
            f"the workbook's {part} inflates to more than {MAX_LISTING:,} bytes, where a "
            "workbook lists its sheets in a few kilobytes: the file is damaged, or made to "
            "exhaust memory",
            hint="open it in its spreadsheet program and save it again, or ask for a new export",
        )
    return data


def sheet_parts(book: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """Each sheet's name and the zip member holding it (None if missing), in workbook order."""
    names = set(book.namelist())
    if _WORKBOOK not in names or _RELATIONS not in names:
        return []
    sheets = [
        (
            element.get("name", ""),
            next((v for k, v in element.attrib.items() if _local(k) == "id"), None),
        )
        for element in ElementTree.fromstring(_listing(book, _WORKBOOK)).iter()
        if _local(element.tag) == "sheet"
    ]
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in ElementTree.fromstring(_listing(book, _RELATIONS)).iter()
        if _local(element.tag) == "Relationship"
    }
    found: list[tuple[str, str | None]] = []
    for name, wanted in sheets:
        target = targets.get(wanted) if wanted is not None else None
        part = None
        if target is not None:
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = posixpath.normpath(posixpath.join("xl", target))
        found.append((name, part if part in names else None))
    return found


def _has_mark(raw: IO[bytes]) -> bool:
    """Say whether the XML in ``raw`` holds the mark of an error cell anywhere."""
    return has_mark(raw, _MARKS, _CHUNK)


def _read_errors(raw: IO[bytes]) -> ErrorCells:
    found: ErrorCells = {}
    for row, column, text in _errors(raw):
        found.setdefault(row, {})[column] = text
    return found


def _errors(raw: IO[bytes]) -> Iterator[tuple[int, int, str]]:
    for _, element in ElementTree.iterparse(raw, events=("end",)):
        name = _local(element.tag)
        if name == "c" and element.get("t") == "e":
            where = _REFERENCE.fullmatch(element.get("r", ""))
            value = next((c.text for c in element if _local(c.tag) == "v"), None)
            if where is not None and value:
                yield int(where.group(2)), _column_index(where.group(1)), value
        elif name == "row":
            element.clear()  # keep memory flat on a long sheet


def _column_index(letters: str) -> int:
    """Return the 0-based index of a column named A, B, ... Z, AA..."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1

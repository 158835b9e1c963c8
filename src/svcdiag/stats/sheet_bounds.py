"""Refuse an ``.xlsx`` sheet that spans more cells than can be read, before it is read.

python-calamine holds a sheet as one block of cells, from its first value to
its last (every cell between included). Two values far apart, ``A1`` and
``XFD1048576``, in a file of a few kilobytes, make it ask for hundreds of
gigabytes, and the process is aborted by the allocator, with no message and
nothing Python can catch. Here each sheet python-calamine would load (the
one ``--sheet`` names, else all of them) is scanned for the references of
its cells that hold something, and a span beyond :data:`MAX_CELLS` is named,
before python-calamine opens the file.

The scan reads the sheet's XML as bytes, a block at a time, with one regular
expression. A cell written without a value (``<c r="Z9" s="1"/>``, only a
style) does not count, as python-calamine leaves it out; but as such cells
can only widen the span, the first scan counts them, and only a sheet found
too large is scanned again, more slowly, without them. A cell written
without its reference takes the place after the one before it, so it cannot
make a span wider than the cells written. A part that cannot be read is left
to python-calamine, whose errors are handled. ``.xls`` files have their own
check (:mod:`.xls_limits`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO

from svcdiag.errors import InputFileError
from svcdiag.stats.workbook_errors import UNREADABLE

#: Most cells a sheet may span: a million rows of 32 columns (a gigabyte or so
#: to python-calamine).
MAX_CELLS = 1 << 25
_BLOCK = 1 << 20
#: A cell's reference as writers write it (a row's has no letters). python-calamine
#: also reads lower-case letters and leading zeros.
_QUICK = re.compile(rb' r="([A-Za-z]+)([0-9]+)"')
#: Other spaces as a space, a single quote as a double one: then the quick
#: expression finds every reference, unless there are spaces around ``=``.
_PLAIN = bytes.maketrans(b"\t\n\r'", b'   "')
#: Any cell reference XML allows.
_ANY = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]+)([0-9]+)["\']')
#: A cell's start tag, its reference and whether it closes at once (no value).
_VALUED = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br\s*=\s*["\']([A-Za-z]+)([0-9]+)["\'][^>]*?(/?)>')


@dataclass
class Span:
    """The rows and columns (from 0) between a sheet's first and last values."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def cells(self) -> int:
        """How many cells the span holds."""
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)


def refuse_sprawling(path: Path, sheet: str | None, *, hint: str) -> None:
    """Raise InputFileError if a sheet of the ``.xlsx`` at ``path`` spans too many cells.

    Any other file is left alone.

    Args:
        path: The workbook about to be opened.
        sheet: The sheet asked for with ``--sheet``; None for every sheet.
        hint: What the user can do, in the caller's words.
    """
    try:
        with zipfile.ZipFile(path) as book:
            if "xl/workbook.xml" not in book.namelist():
                return  # not an .xlsx (an .ods, an .xlsb)
            from svcdiag.stats.xlsx_errors import sheet_part, sheet_parts

            parts = sheet_parts(book) if sheet is None else [(sheet, sheet_part(book, sheet))]
            for name, part in parts:
                if part is None:
                    continue
                with book.open(part) as raw:
                    span = span_of(raw)
                if span is not None and span.cells > MAX_CELLS:
                    with book.open(part) as raw:
                        span = span_of(raw, values_only=True)
                if span is not None and span.cells > MAX_CELLS:
                    raise _sprawling(path, name, span, hint)
    except UNREADABLE:
        return  # python-calamine names the problem


def span_of(raw: IO[bytes], *, values_only: bool = False) -> Span | None:
    """The span of the cells in a sheet's XML, or None if it has none.

    Every cell counts, unless ``values_only``: cells written without a value
    (``<c r="Z9" s="1"/>``) then do not. That takes a slower expression, and
    is needed only when the quicker span is too large.
    """
    expression = _VALUED
    rows: list[int] = []
    columns: list[int] = []
    tail = b""
    while True:
        block = raw.read(_BLOCK)
        data = tail + block
        cut = data.rfind(b"<") if block else len(data)  # a tag cut short: with the next
        if cut < 0:
            cut = len(data)
        data, tail = data[:cut], data[cut:]
        if not values_only:
            data = data.translate(_PLAIN)
            expression = _ANY if b"r =" in data or b"r= " in data else _QUICK
        found = expression.findall(data)
        if values_only:
            found = [(column, row) for column, row, empty in found if not empty]
        if found:
            distinct = list(map(int, set(map(itemgetter(1), found))))  # a row per cell
            rows += [min(distinct), max(distinct)]
            columns += [_column(letters) for letters in set(map(itemgetter(0), found))]
        if not block:
            break
    if not rows:
        return None
    return Span(min(rows) - 1, max(rows) - 1, min(columns), max(columns))


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


def _sprawling(path: Path, sheet: str, span: Span, hint: str) -> InputFileError:
    from svcdiag.stats.sources import column_letter

    first = f"{column_letter(span.left)}{span.top + 1}"
    last = f"{column_letter(span.right)}{span.bottom + 1}"
    return InputFileError(
        path,
        f"sheet {sheet!r} spans {span.cells:,} cells, from {first} to {last}, more than "
        f"the {MAX_CELLS:,} that can be read (a value far from the others?)",
        hint=hint,
    )

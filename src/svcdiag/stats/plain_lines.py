"""The rows of a plain CSV file that hold some text, found without reading every row.

A warning about a mistyped year names the line of the first row dated in it
(:mod:`.trend_far`). Walking a million rows with the csv module to find it
takes about half a second; most of a file is quickly passed over when the
text searched for (a year) is rare in it.

A file is *plain* when no field is quoted: it holds no double quote, no
carriage return other than in CRLF line ends, and no NUL. Then every line is
one record, split at the delimiter, and a line's number is the count of line
breaks before it, plus one: what the csv module reads and counts. Anything
else raises :class:`Unsearchable` (the caller then walks the rows as usual),
as does a row of fewer fields than the header, or of more that are not
empty, which the usual walk reports as an error, and text sought on more
than :data:`MAX_SHARE` of a block's lines (a walk is then as quick).

The file is read a block at a time (memory stays bounded) and decoded as
UTF-8, as the usual reader decodes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from svcdiag.source.files import open_regular

#: Bytes read at a time (then cut after the block's last line break).
BLOCK_BYTES = 1 << 24
#: Most of a block's lines the text sought may be on.
MAX_SHARE = 1 / 16


class Unsearchable(Exception):
    """The file is not plain, or the text sought too common, to search it line by line."""


def rows_holding(
    path: Path, delimiter: str, width: int, needles: Sequence[str]
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line, fields) of each data row that holds one of ``needles``, in file order.

    ``width`` is the number of columns of the header. Rows before the point
    where the file turns out not to be plain are yielded first: their lines
    are right, as nothing before that point changes them.

    Raises:
        Unsearchable: a block holds a quote, a lone carriage return or NUL,
            isn't UTF-8, holds needles on more than :data:`MAX_SHARE` of its
            lines, or a row holding a needle has the wrong number of fields.
    """
    lines_before = 0  # lines in the blocks before this one
    with open_regular(path) as handle:
        rest = b""
        while True:
            read = handle.read(BLOCK_BYTES)
            data = rest + read
            if not data:
                return
            cut = data.rfind(b"\n") + 1 if read else len(data)
            if cut == 0:
                rest = data  # no line break yet: a longer block
                continue
            block, rest = data[:cut], data[cut:]
            yield from _rows_in(_text(block), lines_before, delimiter, width, needles)
            lines_before += block.count(b"\n")


def _text(block: bytes) -> str:
    if b'"' in block or b"\0" in block or block.count(b"\r") != block.count(b"\r\n"):
        raise Unsearchable
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsearchable from None


def _rows_in(
    text: str, lines_before: int, delimiter: str, width: int, needles: Sequence[str]
) -> Iterator[tuple[int, list[str]]]:
    if sum(text.count(needle) for needle in needles) > (text.count("\n") + 1) * MAX_SHARE:
        raise Unsearchable
    starts = set()
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            starts.add(start)
            end = text.find("\n", at)
            at = -1 if end < 0 else text.find(needle, end)
    counted, line = 0, lines_before + 1
    for start in sorted(starts):
        line += text.count("\n", counted, start)
        counted = start
        if line == 1:
            continue  # the header
        end = text.find("\n", start)
        fields = text[start : None if end < 0 else end].removesuffix("\r").split(delimiter)
        if len(fields) != width or not any(fields):  # as the usual reader takes them
            if not any(f.strip() for f in fields):
                continue  # a blank row, skipped
            if len(fields) < width or any(f.strip() for f in fields[width:]):
                raise Unsearchable  # the usual walk reports it
        yield line, fields

r"""Make text from users and client files safe for where it is written.

Every value that came from a findings file, an answers file, a questionnaire
or a client's data passes through one of these before it is printed or
written:

* :func:`for_terminal`: drops every C0 and C1 control character except
  newline and tab, so escape sequences (colours, OSC window titles, OSC 52
  clipboard writes) never reach the terminal;
* :func:`for_markdown`: the same, then escapes the characters that Markdown
  or raw HTML would read as syntax, and folds newlines so that a value can
  never start a heading, a list or an HTML block;
* :func:`terminal_safe`: :func:`for_terminal` on every string of a model;
* :func:`visible`: shows every control character (newline and tab too), bidi
  override and invisible character as an escape (``\n``, ``\x1b``,
  ``\u202e``, ``\u200b``), for line-based output that tools read (a CI log
  reads a line starting ``::`` as a command) and for names that must not look
  like other names;
* :func:`for_csv`: neutralises spreadsheet formulas (OWASP: a cell starting
  with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
  single quote);
* :class:`CsvWriter`: writes CSV records that every reader splits the same
  way (a field holding a carriage return is quoted too).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import IO, TypeVar, cast

T = TypeVar("T")

#: C0 controls except tab and newline, DEL, and the C1 range.
#: Control characters, and the bidirectional overrides and isolates that make a
#: terminal show text in another order than it is written ("Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters Markdown (CommonMark, GitHub) reads as syntax in running text.
#: Parentheses, ``!`` and ``&`` need no escape: a link or an image needs an
#: unescaped ``[``, and an entity only ever shows text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
#: What starts a list item, a thematic break or a setext underline at a line's start.
_MARKDOWN_BLOCK_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
#: What starts a spreadsheet formula (OWASP's list of CSV injection characters).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str) -> str:
    """Return ``text`` without control characters (but newline and tab) or bidi overrides."""
    return _CONTROL.sub("", text)


#: Every control character (newline and tab too), Unicode's line and paragraph
#: separators (a line break to ``str.splitlines``, JavaScript and many log
#: viewers), bidi override, and the characters a terminal draws as nothing or
#: as a blank: zero-width space, byte-order mark, word joiner, direction marks,
#: soft hyphen, fillers, and Unicode's other invisible format characters.
#: ``North`` and ``\u200bNorth`` are two units and must look like two. Kept
#: are the format characters that shape what is drawn: the zero-width joiner
#: and non-joiner (scripts and emoji need them), Arabic and Syriac number
#: marks, hieroglyph controls and emoji tags.
_UNSEEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED_ESCAPES.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    r"""Return ``text`` on one line, each control, line break, bidi or invisible character escaped.

    ``"a\n::error::b"`` becomes ``a\n::error::b`` with a literal backslash and
    ``n``: the text stays readable, and no line of the output can start where
    the file's own text chose.
    """
    return _UNSEEN.sub(_escape, text)


def for_markdown(text: str) -> str:
    """Return ``text`` as inert Markdown: on one line, every syntax character escaped.

    Inline syntax (emphasis, code, links, HTML, table pipes, headings) is
    escaped wherever it stands; ``-``, ``+``, ``=`` and ``1.`` only at the
    start, the one place they mean something, so dates and versions stay readable.
    """
    flat = " ".join(for_terminal(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    start = _MARKDOWN_BLOCK_START.match(escaped)
    if start is None:
        return escaped
    if start.group(1).isdigit():
        end = start.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def terminal_safe(value: T) -> T:
    """Return a copy of ``value`` with :func:`for_terminal` applied to every string in it.

    Walks pydantic models (copied with ``model_copy``, not re-validated),
    lists, tuples and dicts; enums and other values are kept as they are. A
    renderer for the terminal calls this once on what it is given, so that no
    field it shows, now or later, can carry an escape sequence.
    """
    return cast(T, _clean(value))


def _clean(value: object) -> object:
    if isinstance(value, str):
        return value if isinstance(value, Enum) else for_terminal(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    fields = getattr(type(value), "model_fields", None)
    if isinstance(fields, dict) and hasattr(value, "model_copy"):
        update = {name: _clean(getattr(value, name)) for name in fields}
        return value.model_copy(update=update)
    return value


def for_csv(text: str) -> str:
    """Return ``text`` so that a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


class CsvWriter:
    r"""Write CSV records ending in a newline, quoting fields that hold CR or LF.

    Python's ``csv.writer`` quotes a field holding a character of its line
    terminator only; with ``"\n"`` a lone carriage return inside a name is
    written bare, and readers (Excel, Python's own csv module) then split the
    record there. Records are written with ``"\r\n"``, which quotes both, and
    end in ``"\n"`` like every CSV svcdiag writes.
    """

    def __init__(self, out: IO[str]) -> None:
        """Write to ``out``."""
        self._out = out
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        """Write one record."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(row)
        self._out.write(self._buffer.getvalue()[:-2] + "\n")

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write several records."""
        for row in rows:
            self.writerow(row)


#: Most names of units or groups spelled out in one sentence.
MOST_NAMES = 10


def some_names(names: Sequence[str], most: int = MOST_NAMES, *, total: int | None = None) -> str:
    """Join up to ``most`` names with commas, and say how many more there are.

    A client's file can hold thousands of flagged units; a sentence that cites
    them names the first few: ``A, B, C and 2,997 more``. ``total`` is how
    many there are in all, when ``names`` holds only the first ones.
    """
    count = len(names) if total is None else total
    if count <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])} and {count - most:,} more"


def for_shell(text: str) -> str:
    r"""Return ``text`` as one word a POSIX shell reads back as ``text``, safe to print.

    A plain name is left as it is, and one with spaces or quotes is quoted
    (:func:`shlex.quote`). A name holding a control character or a
    bidirectional override is written in Bash's ``$'...'`` form, each such
    character as an escape (``$'e7\x1b[31m'``), so that a suggested command
    is both harmless on the terminal and true when pasted.
    """
    import shlex

    if all(ch.isprintable() for ch in text):
        return shlex.quote(text)

    def escaped(ch: str) -> str:
        if ch in "\\'":
            return "\\" + ch
        if ch.isprintable():
            return ch
        code = ord(ch)
        if code < 0x80:  # Bash's \xHH is one byte: only ASCII is its own character
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return "$'" + "".join(escaped(ch) for ch in text) + "'"


def path_text(path: object) -> str:
    r"""A file's name as text any file can hold: a byte of it that is not UTF-8 becomes U+FFFD.

    Python keeps such a byte as a lone surrogate, which YAML and JSON cannot
    hold (YAML's ``\uDCFF`` is refused on reading); the name is shown as a
    UTF-8 terminal shows it.
    """
    text = str(path)
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte gives
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def for_markdown_cell(text: str) -> str:
    """Return ``text`` as inert Markdown for a table cell: inline syntax escaped.

    A cell is read as inline text only, so what starts a block elsewhere
    (``-``, ``+``, ``1.``) means nothing in it and is left alone: numbers
    such as ``100.00`` or ``-3.42`` stay as they are written.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(for_terminal(text).split()))

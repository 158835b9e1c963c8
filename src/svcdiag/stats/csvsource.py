"""Read a CSV file as a stream of rows, with errors that name the file and line.

* The file is read row by row, never whole: a million rows cost little memory.
* Text must be UTF-8; a byte-order mark (Excel's "CSV UTF-8") is dropped. A
  file that is not UTF-8 is reported with the line and column of the first bad
  byte (UTF-16 files and Excel workbooks are recognised and named).
* The first line is the header. The delimiter is found from it (comma,
  semicolon, tab or bar, whichever splits it into most columns) unless given.
* Rows whose fields are all empty (blank lines, ``,,,`` lines) are skipped. A
  row with more fields than the header is an error (unless the extra fields
  are empty), and so is a row with fewer: both usually mean an unquoted
  delimiter inside a value, or the wrong delimiter.

Lines are counted from 1 with the header on line 1, as a spreadsheet numbers
its rows; a record spanning lines (a quoted newline) is named by its last line.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Protocol

from svcdiag.errors import DataError, InputFileError, UsageError
from svcdiag.source.files import UNICODE_MARKS, open_regular

#: Delimiters tried on the header line, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
#: Longest header line read (a file without line breaks is not a table).
MAX_HEADER_CHARS = 1_000_000
#: Longest line the engine reads (DuckDB's ``max_line_size``, in bytes). No field
#: of a line it takes is longer, so the row-by-row reader takes fields up to this
#: many characters too (the csv module's default stops at 131,072): it then names
#: the same bad line the engine refused, not a long value before it.
MAX_FIELD_CHARS = 2_000_000
#: Longest column name (a longer one is no header: an unclosed quote, say).
MAX_HEADER_FIELD_CHARS = 131_072
#: Most columns a CSV file may have: as many as a spreadsheet sheet holds. The
#: engine declares every column it reads, and a file of a hundred thousand takes
#: it minutes, where the analysis needs two or three.
MAX_COLUMNS = 16_384
#: Names ``--delimiter`` accepts for characters awkward to type.
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_DELIMITER_TEXT = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
_QUOTE_HINT = "a value that contains the delimiter must be in double quotes"


def delimiter_text(delimiter: str) -> str:
    """Return a delimiter as it reads in a message (``tab`` for a tab character)."""
    return _DELIMITER_TEXT.get(delimiter, repr(delimiter))


def parse_delimiter(value: str | None) -> str | None:
    """Turn a ``--delimiter`` value into one character (``None`` means detect)."""
    if value is None:
        return None
    chosen = DELIMITER_NAMES.get(value.lower(), value)
    if chosen == '"':
        raise UsageError(
            "--delimiter cannot be the double quote, which CSV uses to quote values",
            hint="e.g. --delimiter ';' or --delimiter tab",
        )
    if chosen in ("\r", "\n"):
        raise UsageError(
            "--delimiter cannot be a line break, which ends the rows",
            hint="e.g. --delimiter ';' or --delimiter tab",
        )
    if len(chosen) != 1:
        raise UsageError(
            f"--delimiter must be one character, not {value!r}",
            hint="e.g. --delimiter ';' or --delimiter tab",
        )
    return chosen


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a field beyond the csv module's limit: the reader reports it
        return []


def detect_delimiter(header_line: str) -> str:
    """Return the delimiter that splits ``header_line`` into the most fields."""
    best, most = ",", 1
    for candidate in DELIMITERS:
        count = len(_split(header_line, candidate))
        if count > most:
            best, most = candidate, count
    return best


def _first_bad_byte(line: bytes) -> int | None:
    """Return the offset of the first byte of ``line`` that is not UTF-8, if any."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return None


def _locate_bad_byte(path: Path) -> InputFileError:
    """Build the error for a file that is not UTF-8, naming the first bad byte."""
    try:
        with path.open("rb") as raw:
            start = raw.read(4)
            raw.seek(0)
            for encoding, marks in UNICODE_MARKS:
                if start.startswith(marks):
                    return InputFileError(
                        path,
                        f"the file is {encoding} text, not UTF-8",
                        line=1,
                        hint="save it as 'CSV UTF-8' (Excel) or convert it with "
                        f"iconv -f {encoding}",
                    )
            if start.startswith(b"PK\x03\x04"):
                return InputFileError(
                    path,
                    "this is a zip file (an Excel workbook?), not CSV text",
                    line=1,
                    hint="export the sheet as 'CSV UTF-8'",
                )
            for number, line in enumerate(raw, start=1):
                problem = _first_bad_byte(line)
                if problem is not None:
                    return InputFileError(
                        path,
                        f"not UTF-8 text (byte 0x{line[problem]:02x})",
                        line=number,
                        col=problem + 1,
                        hint="save the file as UTF-8 ('CSV UTF-8' in Excel), "
                        "or convert it, e.g. iconv -f latin1 -t utf-8",
                    )
    except OSError as err:
        return InputFileError(path, f"cannot read: {err.strerror or err}")
    return InputFileError(path, "not UTF-8 text", hint="save the file as UTF-8")


class RowReader(Protocol):
    """What :func:`csv.reader` returns: rows, and the count of lines read."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


@dataclass
class CsvTable:
    """An open CSV file: its header, and its rows as a stream."""

    path: Path
    header: list[str]
    delimiter: str
    detected: bool
    header_line: str
    _reader: RowReader = field(repr=False)
    #: How the header record ends (``"\r\n"`` or ``"\n"``) when a quoted line
    #: break in it makes it span lines; None otherwise. DuckDB guesses a file's
    #: line ending from its first line break, so it must be told this one.
    record_end: str | None = None

    @property
    def line(self) -> int:
        """The line the current row ends on (1 is the header)."""
        return self._reader.line_num

    def error(self, message: str, *, hint: str | None = None) -> DataError:
        """Return a :class:`DataError` at the current row."""
        return DataError(self.path, message, line=self.line, hint=hint)

    def column(self, name: str, *, option: str) -> int:
        """Return the index of the column called ``name`` (given with ``option``).

        An exact match wins; otherwise a single match ignoring case and outer
        spaces. A missing column is an error listing the header (and naming a
        likely wrong delimiter).
        """
        exact = [i for i, title in enumerate(self.header) if title == name]
        if not exact:
            folded = name.strip().casefold()
            exact = [i for i, t in enumerate(self.header) if t.strip().casefold() == folded]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            places = " and ".join(str(i + 1) for i in exact)
            raise InputFileError(
                self.path,
                f"column {name!r} appears more than once in the header (columns {places})",
                line=1,
                hint="rename the duplicates so that each column has its own name",
            )
        raise self._missing(name, option)

    def wrong_delimiter(self, problem: str) -> InputFileError | None:
        """Return an error saying the delimiter looks wrong, or None if it looks right.

        It looks wrong when the header is one column split at the delimiter
        used, but splits into more at another (a ``;`` file read with
        ``--delimiter ,``, say). ``problem`` starts the message.
        """
        if len(self.header) != 1:
            return None
        better = detect_delimiter(self.header_line)
        if better == self.delimiter or len(_split(self.header_line, better)) < 2:
            return None  # no delimiter splits it: a file of one column
        return InputFileError(
            self.path,
            f"{problem}: the header is one column when split at "
            f"{delimiter_text(self.delimiter)}, but it looks separated by "
            f"{delimiter_text(better)}",
            line=1,
            hint=f"pass --delimiter {_shell_delimiter(better)} "
            "(or leave --delimiter out to detect it)",
        )

    def _missing(self, name: str, option: str) -> InputFileError:
        wrong = self.wrong_delimiter(f"no column {name!r}")
        if wrong is not None:
            return wrong
        columns = ", ".join(repr(title) for title in self.header)
        close = difflib.get_close_matches(name, self.header, n=1)
        hint = f"did you mean {option} {close[0]!r}?" if close else f"name a column with {option}"
        return InputFileError(
            self.path,
            f"no column {name!r} in the header; the columns are {columns}",
            line=1,
            hint=hint,
        )

    def records(self) -> Iterator[list[str]]:
        """Yield the data rows, each with at least as many fields as the header."""
        reader = self._reader
        width = len(self.header)
        start = 2
        try:
            for row in reader:
                if len(row) != width or not any(row):
                    if not any(value.strip() for value in row):
                        start = reader.line_num + 1
                        continue
                    if len(row) < width or any(f.strip() for f in row[width:]):
                        raise self._width_error(len(row))
                yield row
                start = reader.line_num + 1
        except csv.Error as err:
            raise self._csv_error(err, start) from None
        except UnicodeDecodeError:
            raise _locate_bad_byte(self.path) from None

    def _width_error(self, found: int) -> DataError:
        width = len(self.header)
        if found < width:
            message = f"the row has {found} field(s), but the header has {width}"
        else:
            message = f"the row has {found} fields, but the header has only {width}"
        hint = (
            f"{_QUOTE_HINT}; this file is read with {delimiter_text(self.delimiter)} as delimiter"
        )
        return self.error(message, hint=hint)

    def _csv_error(self, err: csv.Error, start: int) -> InputFileError | DataError:
        text = str(err)
        if "NUL" in text:
            return InputFileError(
                self.path,
                "the file contains NUL bytes: it is binary, not CSV text",
                line=self.line + 1,
                hint="export the data as 'CSV UTF-8'",
            )
        if "unexpected end of data" in text:
            return DataError(
                self.path,
                f"a quoted value opened on or after line {start} is never closed",
                line=start,
                hint="every opening double quote needs a closing one",
            )
        if "field larger than field limit" in text:
            return DataError(
                self.path,
                f"a value starting on or after line {start} is longer than "
                f"{MAX_FIELD_CHARS:,} characters (an unclosed quote?)",
                line=start,
            )
        return DataError(self.path, f"malformed CSV: {text}", line=self.line, hint=_QUOTE_HINT)


def _allow_long_fields() -> None:
    """Let the csv module read fields of up to :data:`MAX_FIELD_CHARS` characters.

    The limit is the module's, for the whole process; it is only ever raised.
    """
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)


def _long_header_field(path: Path) -> InputFileError:
    return InputFileError(
        path,
        f"a header field is longer than {MAX_HEADER_FIELD_CHARS:,} characters",
        line=1,
        hint="the first line must name the columns; is this the right file?",
    )


def _shell_delimiter(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def first_long_record(path: Path, delimiter: str, limit: int) -> int | None:
    """The line where the first record longer than ``limit`` bytes starts, if any.

    A record is as long as its lines, without the line break that ends it; a
    quoted value may carry it over several lines, which is why the engine's
    own count of records does not name a line of the file.
    """
    pending: list[int] = []  # byte lengths of the lines of the record being read
    ending = [0]  # the length of the line break of the last line read

    def lines(handle: IO[str]) -> Iterator[str]:
        for line in handle:
            pending.append(len(line.encode("utf-8")))
            ending[0] = 2 if line.endswith("\r\n") else int(line.endswith(("\n", "\r")))
            yield line

    _allow_long_fields()
    try:
        with _open_text(path) as handle:
            reader = csv.reader(lines(handle), delimiter=delimiter)
            start = 1
            for _ in reader:
                if sum(pending) - ending[0] > limit:
                    return start
                start = reader.line_num + 1
                pending.clear()
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    return None


def _header_end(path: Path, lines: int) -> str | None:
    r"""How the header record of ``lines`` physical lines ends: ``"\r\n"``, ``"\n"`` or None.

    A header cell holding a line break (Alt+Enter in a spreadsheet) makes the
    header span lines; the break that ends the record is the one of its last line.
    """
    with _open_text(path) as handle:
        last = ""
        for _ in range(lines):
            last = handle.readline(MAX_HEADER_CHARS + 1)
    if last.endswith("\r\n"):
        return "\r\n"
    return "\n" if last.endswith("\n") else None


def _open_text(path: Path) -> IO[str]:
    """Open a regular file as UTF-8 text (a pipe or a device is refused by name)."""
    return io.TextIOWrapper(open_regular(path), encoding="utf-8-sig", newline="")


@contextmanager
def open_csv(path: Path, *, delimiter: str | None = None) -> Iterator[CsvTable]:
    """Open ``path`` for streaming and read its header.

    Args:
        path: the CSV file.
        delimiter: one character, or ``None`` to detect it from the header.

    Raises:
        InputFileError: the file is missing, unreadable, empty, not UTF-8, or
            its header is blank or names more than :data:`MAX_COLUMNS` columns.
    """
    handle = _open_text(path)
    with handle:
        try:
            first = handle.readline(MAX_HEADER_CHARS + 1)
        except UnicodeDecodeError:
            raise _locate_bad_byte(path) from None
        if "\x00" in first:
            raise InputFileError(
                path,
                "the file contains NUL bytes: it is binary, not CSV text",
                line=1,
                hint="export the data as 'CSV UTF-8'",
            )
        if not first:
            raise InputFileError(
                path, "the file is empty", hint="the first line must name the columns"
            )
        if len(first) > MAX_HEADER_CHARS:
            raise InputFileError(
                path,
                f"the header line is longer than {MAX_HEADER_CHARS} characters",
                line=1,
                hint="the first line must name the columns; is this the right file?",
            )
        if not first.strip():
            raise InputFileError(
                path, "the first line is blank", line=1, hint="the first line must name the columns"
            )
        detected = delimiter is None
        chosen = detect_delimiter(first) if delimiter is None else delimiter
        _allow_long_fields()
        reader = csv.reader(chain([first], handle), delimiter=chosen, strict=True)
        try:
            titles = next(reader)
        except csv.Error as err:
            if "field larger than field limit" in str(err):
                raise _long_header_field(path) from None
            raise InputFileError(path, f"malformed header: {err}", line=1) from None
        except UnicodeDecodeError:
            raise _locate_bad_byte(path) from None
        if any(len(title) > MAX_HEADER_FIELD_CHARS for title in titles):
            raise _long_header_field(path)
        if len(titles) > MAX_COLUMNS:
            raise InputFileError(
                path,
                f"the header names {len(titles):,} columns; a CSV file may have at most "
                f"{MAX_COLUMNS:,}, as many as a spreadsheet holds",
                line=1,
                hint="export only the columns the analysis needs (units, counts, scores, dates)",
            )
        header = [title.strip() for title in titles]
        yield CsvTable(
            path=path,
            header=header,
            delimiter=chosen,
            detected=detected,
            header_line=first,
            _reader=reader,
            record_end=_header_end(path, reader.line_num) if reader.line_num > 1 else None,
        )

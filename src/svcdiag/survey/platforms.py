"""Read a survey export (CSV or XLSX) and recognise the platform that made it.

Each platform lays out an export its own way (one row per respondent):

* **KoboToolbox**: columns named by group path (``section/question``),
  select-multiple answers space-separated with one 0/1 column per option as
  well (``section/question/option``), and ``_uuid``, ``_submission_time``.
* **ODK Central**: group paths joined with ``-``, ``SubmissionDate`` first and
  ``meta-instanceID`` / ``KEY`` as the submission id.
* **Qualtrics**: three header rows: names, question texts, and
  ``{"ImportId": ...}``; ``ResponseId`` is the submission id. A file whose
  second and third rows were deleted is still recognised by its columns.
* **Google Forms**: ``Timestamp``, then one column per question, headed with the
  question text; answers are option labels.
* **csv**: the template of ``svcdiag survey export --format csv``.

CSV files go through :mod:`svcdiag.stats.csvsource` (UTF-8 with or without a
byte-order mark, delimiter found from the header, errors with line numbers);
workbooks are read with python-calamine, imported only here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from svcdiag.errors import InputFileError, UsageError
from svcdiag.survey.formats import Platform

#: File name endings read as workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass(frozen=True)
class Layout:
    """What a platform puts in an export besides the answers."""

    platform: Platform
    #: Columns holding the submission id, the first present wins.
    id_columns: tuple[str, ...] = ()
    #: Columns holding the submission time, the first present wins.
    time_columns: tuple[str, ...] = ()
    #: Columns of the platform's own bookkeeping, ignored.
    metadata: frozenset[str] = frozenset()
    #: Columns that could identify a respondent: dropped, and said so.
    identifying: frozenset[str] = frozenset()
    #: Separators of group paths in column names.
    path_separators: tuple[str, ...] = ()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Column names (compared ignoring case and spaces) that identify a person, on any platform.
IDENTIFYING_ANYWHERE = _words(
    "email e-mail emailaddress e-mailaddress name fullname yourname firstname lastname "
    "respondentname username phone phonenumber ipaddress"
)

LAYOUTS = {
    Platform.kobo: Layout(
        Platform.kobo,
        id_columns=("_uuid", "meta/instanceID", "_id"),
        time_columns=("_submission_time", "end"),
        metadata=_words(
            "start end today _id _uuid _index _submission_time _validation_status _notes "
            "_status _tags __version__ _parent_index _attachments _geolocation "
            "_xform_id_string meta/instanceID meta/rootUuid meta/deprecatedID formhub/uuid "
            "_submission__id _submission__uuid _submission__submission_time"
        ),
        identifying=_words(
            "_submitted_by username deviceid phonenumber simserial subscriberid email audit"
        ),
        path_separators=("/",),
    ),
    Platform.odk: Layout(
        Platform.odk,
        id_columns=("meta-instanceID", "KEY", "instanceID"),
        time_columns=("SubmissionDate", "end"),
        metadata=_words(
            "SubmissionDate start end today meta-instanceID KEY instanceID AttachmentsPresent "
            "AttachmentsExpected Status ReviewState Edits FormVersion meta-instanceName "
            "meta-deprecatedID meta-audit"
        ),
        identifying=_words(
            "SubmitterID SubmitterName DeviceID deviceid username phonenumber simserial "
            "subscriberid email"
        ),
        path_separators=("-", "/"),
    ),
    Platform.qualtrics: Layout(
        Platform.qualtrics,
        id_columns=("ResponseId", "ResponseID"),
        time_columns=("RecordedDate", "EndDate"),
        metadata=_words(
            "StartDate EndDate Status Progress Finished RecordedDate ResponseId ResponseID "
            "DistributionChannel UserLanguage Q_RecaptchaScore Q_RelevantIDDuplicate "
            "Q_RelevantIDDuplicateScore Q_RelevantIDFraudScore Q_RelevantIDLastStartDate"
        )
        | {"Duration (in seconds)"},
        identifying=_words(
            "IPAddress RecipientLastName RecipientFirstName RecipientEmail ExternalReference "
            "ExternalDataReference LocationLatitude LocationLongitude"
        ),
    ),
    Platform.google: Layout(
        Platform.google,
        time_columns=("Timestamp",),
        metadata=frozenset({"Timestamp", "Score"}),
        identifying=frozenset({"Email Address", "Email address", "Username"}),
    ),
    Platform.csv: Layout(
        Platform.csv,
        id_columns=("response_id",),
        time_columns=("submitted",),
        metadata=frozenset({"response_id", "submitted"}),
    ),
}


def folded(name: str) -> str:
    """A column name compared loosely: lower case, without spaces or underscores."""
    return "".join(name.casefold().split()).replace("_", "")


def is_identifying(layout: Layout, column: str) -> bool:
    """Whether ``column`` could identify a respondent and must be dropped."""
    if column in layout.identifying:
        return True
    last = column
    for separator in layout.path_separators:
        last = last.rsplit(separator, 1)[-1]
    return folded(column) in IDENTIFYING_ANYWHERE or folded(last) in IDENTIFYING_ANYWHERE


@dataclass
class Table:
    """An export opened for reading: header rows, and data rows as a stream."""

    path: Path
    header: list[str]
    sha256: str
    #: Qualtrics: the question texts (row 2) and the ImportId row (row 3), when present.
    texts: list[str] | None = None
    import_ids: list[str] | None = None
    rows: Iterator[tuple[int, list[str]]] = field(default_factory=lambda: iter(()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise InputFileError(path, f"cannot read: {err.strerror or err}") from None
    return digest.hexdigest()


def _cell(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value.total_seconds())
    return str(value)


def _is_import_id_row(row: list[str]) -> bool:
    first = next((cell for cell in row if cell.strip()), "")
    return first.lstrip().startswith('{"ImportId"') or first.lstrip().startswith("{'ImportId'")


def _import_id(cell: str) -> str:
    try:
        value = json.loads(cell)
    except ValueError:
        return cell
    found = value.get("ImportId") if isinstance(value, dict) else None
    return found if isinstance(found, str) else cell


def _qualtrics_texts(header: list[str], row: list[str]) -> bool:
    """Whether ``row`` is Qualtrics' second header row (question texts)."""
    names = dict(zip(header, row, strict=False))
    return names.get("ResponseId", names.get("ResponseID")) == "Response ID" or (
        names.get("StartDate") == "Start Date"
    )


def _with_header_rows(table: Table, rows: Iterator[tuple[int, list[str]]]) -> Table:
    """Take Qualtrics' second and third header rows off the stream, where present."""
    pending: list[tuple[int, list[str]]] = []
    for _ in range(2):
        item = next(rows, None)
        if item is None:
            break
        pending.append(item)
    if pending and _qualtrics_texts(table.header, pending[0][1]):
        table.texts = pending.pop(0)[1]
    if pending and _is_import_id_row(pending[0][1]):
        table.import_ids = [_import_id(cell) for cell in pending.pop(0)[1]]

    def stream() -> Iterator[tuple[int, list[str]]]:
        yield from pending
        yield from rows

    table.rows = stream()
    return table


@contextmanager
def open_export(path: Path, *, delimiter: str | None = None) -> Iterator[Table]:
    """Open the export at ``path`` (CSV, or a workbook's first sheet).

    Raises:
        InputFileError: The file is missing, unreadable, empty or not text.
        DataError: A row of a CSV file is malformed (reported with its line).
    """
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        yield _with_header_rows(*_open_workbook(path))
        return
    from svcdiag.stats.csvsource import open_csv

    with open_csv(path, delimiter=delimiter) as csv_table:
        wrong = csv_table.wrong_delimiter("the export reads as a single column")
        if wrong is not None:
            raise wrong
        table = Table(path=path, header=csv_table.header, sha256=_sha256(path))

        def rows() -> Iterator[tuple[int, list[str]]]:
            for record in csv_table.records():
                yield csv_table.line, record

        yield _with_header_rows(table, rows())


def _open_workbook(path: Path) -> tuple[Table, Iterator[tuple[int, list[str]]]]:
    try:
        from python_calamine import CalamineWorkbook  # lazy: only survey import reads workbooks
    except ImportError:  # pragma: no cover - a dependency of svcdiag
        raise UsageError("reading workbooks needs python-calamine") from None
    if not path.is_file():
        raise InputFileError(path, "no such file" if not path.exists() else "is not a file")
    from svcdiag.source.panics import unreadable_workbook
    from svcdiag.stats.xls_limits import refuse_oversized

    hint = "export the responses again, as .xlsx or as 'CSV UTF-8'"
    refuse_oversized(path, hint=hint)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
    except BaseException as err:  # calamine's own types for a broken workbook, and its panics
        raise unreadable_workbook(path, err, hint=hint) from None
    if not cells or not any(_cell(value).strip() for value in cells[0]):
        raise InputFileError(
            path, "the first sheet is empty", hint="the first row must name the columns"
        )
    header = [_cell(value).strip() for value in cells[0]]
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(cells[1:], start=2):
            values = [_cell(value) for value in row[:width]]
            if not any(value.strip() for value in values):
                continue
            values.extend([""] * (width - len(values)))
            yield number, values

    return Table(path=path, header=header, sha256=_sha256(path)), rows()


def detect(table: Table) -> Platform:
    """Recognise the platform from the header (csv when nothing else fits)."""
    names = set(table.header)
    if table.import_ids is not None or table.texts is not None:
        return Platform.qualtrics
    if {"ResponseId", "ResponseID"} & names:
        return Platform.qualtrics
    if "StartDate" in names and "Finished" in names:
        return Platform.qualtrics
    if {"_uuid", "_submission_time", "_index", "formhub/uuid"} & names:
        return Platform.kobo
    if {"meta-instanceID", "SubmissionDate", "KEY"} & names:
        return Platform.odk
    if table.header and table.header[0] == "Timestamp":
        return Platform.google
    return Platform.csv

"""The rejects file of ``svcdiag survey import``, and reading it back once corrected.

Rows with problems are written beside the export as ``FILE.rejects.csv``: a
``line`` column (the row's line in the export), a ``problems`` column, then
the export's own columns (those that could identify a respondent left out);
Qualtrics' rows of question texts and ImportIds follow the header, as in the
export, so that the columns can be mapped again.
A spreadsheet must never run a cell as a formula, so a cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single
quote. So that the guard can be taken off exactly, a cell that already starts
with a quote gets one more: on the way back every cell loses one leading
quote, and only one.

The summary's hint says to correct the rows and import the rejects file;
:func:`is_rejects` recognises it by its first two columns and
:func:`as_export` hands the importer the export's own columns and cells, the
guard undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from svcdiag.survey.platforms import Table
from svcdiag.textsafe import for_csv

#: The columns the rejects file puts before the export's own.
REJECTS_COLUMNS = ("line", "problems")


def guard(cell: str) -> str:
    """Return ``cell`` safe from formula injection, in a way :func:`unguard` reverses."""
    return "'" + cell if cell.startswith("'") else for_csv(cell)


def unguard(cell: str) -> str:
    """Undo :func:`guard`: drop one leading single quote, if there is one."""
    return cell[1:] if cell.startswith("'") else cell


def is_rejects(header: list[str]) -> bool:
    """Whether ``header`` is that of a rejects file written by ``survey import``."""
    return tuple(cell.strip() for cell in header[: len(REJECTS_COLUMNS)]) == REJECTS_COLUMNS


def as_export(table: Table) -> Table:
    """The export inside a rejects file: its ``line`` and ``problems`` left out, cells unguarded."""
    skip = len(REJECTS_COLUMNS)
    rows = table.rows

    def cells() -> Iterator[tuple[int, list[str]]]:
        for line, row in rows:
            yield line, [unguard(cell) for cell in row[skip:]]

    def own(row: list[str] | None) -> list[str] | None:
        return None if row is None else [unguard(cell) for cell in row[skip:]]

    return replace(
        table,
        header=own(table.header) or [],
        texts=own(table.texts),
        import_ids=own(table.import_ids),
        rows=cells(),
    )

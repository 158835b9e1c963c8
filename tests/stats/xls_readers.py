"""What independent readers find in an ``.xls``, to check svcdiag's error cells against.

xlrd reads error cells itself (BIFF8 and BIFF5); python-calamine gives the
sheet names ``--sheet`` matches and the grid the error cells must line up
with. ``SCORES`` is a small sheet for :func:`tests.stats.xls_writer.xls_sheet`,
with the error cells it holds in ``SCORE_ERRORS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import python_calamine
import xlrd

from svcdiag.stats.workbook_errors import ErrorCells
from tests.stats.xls_writer import XlsValue

SCORES: list[tuple[int, list[tuple[int, XlsValue]]]] = [
    (0, [(0, "agent"), (1, "score")]),
    (1, [(0, "A"), (1, 9.0)]),
    (3, [(0, "#N/A"), (1, "#DIV/0!")]),
    (5, [(1, "B"), (2, "#VALUE!")]),
]
SCORE_ERRORS = {4: {0: "#N/A", 1: "#DIV/0!"}, 6: {2: "#VALUE!"}}


def xlrd_errors(path: Path, sheet: str) -> ErrorCells:
    """The error cells as xlrd, an independent reader of .xls, finds them."""
    chosen = xlrd.open_workbook(str(path)).sheet_by_name(sheet)
    found: ErrorCells = {}
    for row in range(chosen.nrows):
        for column, cell in enumerate(chosen.row(row)):
            if cell.ctype == xlrd.XL_CELL_ERROR:
                found.setdefault(row + 1, {})[column] = xlrd.error_text_from_code[cell.value]
    return found


def calamine_names(path: Path) -> list[str]:
    """The sheet names python-calamine gives."""
    return list(python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names)


def calamine_rows(path: Path, sheet: str) -> list[list[Any]]:
    """The rows of ``sheet`` as python-calamine reads them."""
    chosen = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    return [list(r) for r in chosen.iter_rows()]

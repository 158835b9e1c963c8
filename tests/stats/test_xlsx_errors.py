"""Error cells are found in the sheet's own XML, in the right sheet and column."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from svcdiag.stats import xlsx_errors
from svcdiag.stats.xlsx_errors import error_cells


def test_error_cells_of_the_named_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Clean"
    first.append(["score", 9])
    second = book.create_sheet("With errors")
    second.append(["score", "agent"])
    second.append([7, "#N/A"])
    second["AB10"] = "#DIV/0!"
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert error_cells(path, "Clean") == {}
    assert error_cells(path, "With errors") == {2: {1: "#N/A"}, 10: {27: "#DIV/0!"}}
    assert error_cells(path, "No such sheet") == {}


def test_a_file_that_is_no_xlsx_has_no_error_cells(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert error_cells(path, "Sheet1") == {}


@pytest.mark.parametrize("at", [0, 1, 3, 4, 5])
def test_the_mark_is_found_across_chunks(monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    monkeypatch.setattr(xlsx_errors, "_CHUNK", 8)
    text = b"x" * (8 - at) + b'<c t="e">' + b"y" * 20
    assert xlsx_errors._has_mark(io.BytesIO(text))
    assert not xlsx_errors._has_mark(io.BytesIO(text.replace(b'"e"', b'"s"')))

"""Read an exported XLSForm back, and convert it with pyxform (tests only)."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook


def read_sheet(path: Path, name: str) -> list[dict[str, str]]:
    """The rows of sheet ``name`` as dicts of column -> text (empty cells left out)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    header = [str(cell) for cell in rows[0]]
    return [
        {title: str(cell) for title, cell in zip(header, row, strict=False) if cell != ""}
        for row in rows[1:]
    ]


def pyxform_warnings(path: Path, *, validate: bool = False) -> list[str]:
    """Convert ``path`` with pyxform; return its warnings (errors raise)."""
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings, validate=validate)
    assert "<h:html" in result.xform
    return warnings

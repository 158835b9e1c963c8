"""Names from a client's file reach the terminal and CSV exactly as written, never as syntax."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.textsafe import CsvWriter

#: Names that rich would read as markup, and one with a carriage return inside.
MARKUP_NAMES = ["Team [/old]", "North [closed]", "[bold]X[/bold]", "[/]", "[red]r"]


def run(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result.stdout


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8", newline="")
    return path


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@pytest.mark.parametrize("command", ["variation", "nps"])
def test_markup_in_names_is_shown_as_written(tmp_path: Path, command: str) -> None:
    rows = [f"{quoted(n)},{v}" for n in MARKUP_NAMES for v in ("1", "0")]
    if command == "variation":
        path = write(tmp_path / "units.csv", "unit,outcome", rows)
        output = run("variation", path, "--unit", "unit", "--outcome", "outcome")
    else:
        rows = [f"{quoted(n)},{s}" for n in MARKUP_NAMES for s in ("9", "3")]
        path = write(tmp_path / "groups.csv", "unit,score", rows)
        output = run("nps", path, "--column", "score", "--by", "unit")
    for name in MARKUP_NAMES:
        assert name in output


@pytest.mark.parametrize("command", ["variation", "nps", "trend"])
def test_a_carriage_return_in_a_name_is_quoted_in_csv(tmp_path: Path, command: str) -> None:
    name = "a\rb"
    rows = [
        f'"{name}",9,1,2024-01-01',
        f'"{name}",3,0,2024-02-01',
        "c,7,1,2024-01-01",
        "c,10,0,2024-02-01",
    ]
    path = write(tmp_path / "cr.csv", "unit,score,outcome,date", rows)
    args = {
        "variation": ["--unit", "unit", "--outcome", "outcome"],
        "nps": ["--column", "score", "--by", "unit"],
        "trend": ["--time", "date", "--outcome", "outcome", "--by", "unit"],
    }[command]
    output = run(command, path, *args, "-f", "csv")
    records = list(csv.reader(io.StringIO(output, newline="")))
    widths = {len(record) for record in records}
    assert len(widths) == 1  # no record was split at the carriage return
    assert any(name in record for record in records)


@given(st.lists(st.lists(st.text(max_size=6), min_size=1, max_size=4), max_size=5))
def test_csv_writer_records_read_back_unchanged(rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    CsvWriter(buffer).writerows(rows)
    text = buffer.getvalue()
    if rows:
        assert text.endswith("\n") and not text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == rows

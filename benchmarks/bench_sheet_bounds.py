"""Benchmark: what checking a sheet's span adds to reading an .xlsx, .xlsb or .ods sheet.

Before python-calamine opens a workbook, each sheet it would load is checked
for the span of its cells (a stray value far off would make it set out
billions). This script writes sheets of N rows (agent, score, note) as
.xlsx (with XlsxWriter), .xlsb and .ods, and times, side by side, python-calamine
reading the sheet (what a user reading the file alone would run) and the
span check, with the check's peak memory. It also times the check on a
sprawling sheet of a few kilobytes, which python-calamine could not read.

Prints a table; asserts nothing. Run: python benchmarks/bench_sheet_bounds.py [--rows N ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test fixtures' writers

from tests.stats.workbooks import (
    ods_number,
    ods_row,
    ods_table,
    ods_text,
    write_ods,
    write_xlsb,
    xlsb_sheet,
)
from timing import median_time  # benchmarks/timing.py

from svcdiag.errors import InputFileError
from svcdiag.stats.sheet_bounds import refuse_sprawling


def write_xlsx_sheet(path: Path, rows: int, far: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("S")
    sheet.write_row(0, 0, ["agent", "score", "note"])
    for i in range(rows):
        sheet.write_row(i + 1, 0, [f"agent {i % 500}", i % 11, "called back"])
    if far:
        sheet.write(1_048_575, 16_383, 1)
    book.close()
    return path


def write_ods_sheet(path: Path, rows: int, far: bool = False) -> Path:
    body = [ods_row(ods_text("agent"), ods_text("score"), ods_text("note"))]
    body += [
        ods_row(ods_text(f"agent {i % 500}"), ods_number(i % 11), ods_text("called back"))
        for i in range(rows)
    ]
    if far:
        body.append(ods_row(ods_text("x", repeat=16_000), repeat=2_000))
    return write_ods(path, ods_table("S", *body))


def write_xlsb_sheet(path: Path, rows: int, far: bool = False) -> Path:
    cells = [(0, [(0, "agent"), (1, "score"), (2, "note")])]
    cells += [(i + 1, [(0, f"agent {i % 500}"), (1, float(i % 11)), (2, "called back")])
              for i in range(rows)]  # fmt: skip
    if far:
        cells.append((1_048_575, [(16_383, 1.0)]))
    return write_xlsb(path, [("S", xlsb_sheet(iter(cells)))])


def calamine_read(path: Path) -> None:
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    for _ in sheet.iter_rows():
        pass


def check(path: Path) -> None:
    with suppress(InputFileError):  # the sprawling sheets
        refuse_sprawling(path, "S", hint="")


def peak_mb(run: Callable[[], None]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    writers = {"xlsx": write_xlsx_sheet, "xlsb": write_xlsb_sheet, "ods": write_ods_sheet}
    header = f"{'rows':>9} {'file':>5} {'sheet MB':>9} {'calamine s':>11} {'check s':>8}"
    header += f" {'share':>6} {'check MB':>9}"
    print(f"median of {args.repeat}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            for suffix, write in writers.items():
                path = write(Path(folder) / f"s{rows}.{suffix}", rows)
                member = {"ods": "content.xml", "xlsb": "xl/worksheets/sheet1.bin"}.get(
                    suffix, "xl/worksheets/sheet1.xml"
                )
                size = zipfile.ZipFile(path).getinfo(member).file_size / 2**20
                read = median_time(lambda p=path: calamine_read(p), args.repeat)
                checked = median_time(lambda p=path: check(p), args.repeat)
                memory = peak_mb(lambda p=path: check(p))
                print(
                    f"{rows:>9,} {suffix:>5} {size:>9.1f} {read:>11.3f} {checked:>8.3f} "
                    f"{checked / read:>6.0%} {memory:>9.1f}"
                )
        for suffix, write in writers.items():
            path = write(Path(folder) / f"far.{suffix}", 10, far=True)
            checked = median_time(lambda p=path: check(p), args.repeat)
            kb = path.stat().st_size / 1024
            print(f"sprawling {suffix} of {kb:.0f} KB: refused in {checked:.3f} s")


if __name__ == "__main__":
    main()

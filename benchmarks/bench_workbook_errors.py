"""Benchmark: what reading error cells adds to reading an .ods or .xlsb sheet.

A data command reads a workbook's sheet with python-calamine, then looks for
its error cells (``#DIV/0!``...) so that they are not read as empty or 0. This
script writes sheets of N rows (agent, score, resolved) as .ods, .xlsb and
.xls (BIFF8, and BIFF5 as ``biff5``; each holds at most 65,536 rows: larger
N skip them), clean and
with one error cell on the last row (the worst case: the whole sheet is
read to find it), and times, side by side, python-calamine reading the sheet
(what a user reading the file alone would run) and the error-cell pass, with
the pass's peak memory.

Prints a table; asserts nothing. Run: python benchmarks/bench_workbook_errors.py [--rows N ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import python_calamine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test fixtures' writers

from tests.stats.workbooks import (
    ods_error,
    ods_number,
    ods_row,
    ods_table,
    ods_text,
    write_ods,
    write_xlsb,
    xlsb_sheet,
)
from tests.stats.xls_writer import BIFF5, write_xls, xls_sheet
from timing import median_time  # benchmarks/timing.py

from svcdiag.stats.workbook_errors import error_cells


def write_ods_sheet(path: Path, rows: int, error: bool) -> Path:
    body = [ods_row(ods_text("agent"), ods_text("score"), ods_text("resolved"))]
    body += [
        ods_row(ods_text(f"agent {i % 500}"), ods_number(i % 11), ods_number(i % 2))
        for i in range(rows)
    ]
    if error:
        body.append(ods_row(ods_text("last"), ods_error("#DIV/0!"), ods_number(1)))
    return write_ods(path, ods_table("S", *body))


def sheet_rows(rows: int, error: bool) -> Iterator[tuple[int, list[tuple[int, str | float]]]]:
    """The sheet's rows as the binary writers take them: header, scores, maybe an error."""
    yield 0, [(0, "agent"), (1, "score"), (2, "resolved")]
    for i in range(rows):
        yield i + 1, [(0, f"agent {i % 500}"), (1, float(i % 11)), (2, float(i % 2))]
    if error:
        yield rows + 1, [(0, "last"), (1, "#DIV/0!"), (2, 1.0)]


def write_xlsb_sheet(path: Path, rows: int, error: bool) -> Path:
    return write_xlsb(path, [("S", xlsb_sheet(sheet_rows(rows, error)))])


def write_xls_sheet(path: Path, rows: int, error: bool) -> Path:
    return write_xls(path, [("S", xls_sheet(sheet_rows(rows, error), formula_errors=True))])


def write_biff5_sheet(path: Path, rows: int, error: bool) -> Path:
    sheet = xls_sheet(sheet_rows(rows, error), formula_errors=True, version=BIFF5)
    return write_xls(path, [("S", sheet)], version=BIFF5, stream_name="Book", code_page=1252)


def calamine_read(path: Path) -> None:
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    for _ in sheet.iter_rows():
        pass


XLS_ROWS = 1 << 16


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 65_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    writers = {
        ".ods": (".ods", write_ods_sheet),
        ".xlsb": (".xlsb", write_xlsb_sheet),
        ".xls": (".xls", write_xls_sheet),
        "biff5": (".xls", write_biff5_sheet),
    }
    print(
        f"{'rows':>9} {'format':>6} {'errors':>7} {'calamine s':>11} "
        f"{'error cells s':>14} {'added':>7} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            for label, (suffix, write) in writers.items():
                if suffix == ".xls" and rows + 2 > XLS_ROWS:
                    continue
                for error in (False, True):
                    path = write(Path(folder) / f"s{rows}{error}{label}{suffix}", rows, error)
                    found = error_cells(path, "S")
                    if bool(found) != error:
                        print(f"the pass found {found!r} in {path.name}")
                    read = median_time(lambda p=path: calamine_read(p), args.repeat)
                    cells = median_time(lambda p=path: error_cells(p, "S"), args.repeat)
                    peak = peak_bytes(lambda p=path: error_cells(p, "S")) / 1e6
                    print(
                        f"{rows:>9,} {label:>6} {('one' if error else 'none'):>7} "
                        f"{read:>11.3f} {cells:>14.3f} {cells / read:>6.0%} {peak:>8.1f}"
                    )


if __name__ == "__main__":
    main()

"""Time ``svcdiag nps --by`` with many groups in each output format, side by side.

A consultant who wants every group of a large export would otherwise ask for
``-f json`` or ``-f csv``; the terminal view (``rich``) and the HTML page list
a bounded number of groups (flagged first, then the largest), so they should
cost about what JSON costs, however many groups there are. For each number of
groups the script writes a CSV of ``--rows`` answers (branch, score) spread
over that many groups into a temporary folder it deletes afterwards, then
runs each format as a fresh process and reports the best wall-clock time of
``--repeat`` runs and the peak resident memory of that process (from
``wait4``), start-up and imports included. Prints a table; asserts nothing.

Usage: python benchmarks/bench_nps_groups.py [--rows 200000] [--groups 1000 10000 50000]
       [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from bench_stats import measure  # the same timing as the data benchmark

FORMATS = ("json", "csv", "rich", "html")


def write_survey(path: Path, rows: int, groups: int, seed: int = 1) -> None:
    """Write ``rows`` answers 0-10 spread at random over ``groups`` branches."""
    draw = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("branch,score\n")
        out.writelines(f"b{draw.randrange(groups)},{draw.randrange(11)}\n" for _ in range(rows))


def main() -> None:
    """Print one row per number of groups: time and memory of each format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--groups", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    header = f"{'groups':>8} " + " ".join(f"{name + ' s / MB':>16}" for name in FORMATS)
    print(f"svcdiag nps FILE --by branch -f FORMAT, {args.rows:,} rows, best of {args.repeat}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for groups in args.groups:
            path = Path(folder) / f"survey-{groups}.csv"
            write_survey(path, args.rows, groups)
            cells = []
            for fmt in FORMATS:
                command = [sys.executable, "-m", "svcdiag", "nps", str(path), "--by", "branch"]
                seconds, megabytes = measure([*command, "-f", fmt], args.repeat)
                cells.append(f"{seconds:7.2f} / {megabytes:5.0f}")
            print(f"{groups:>8,} " + " ".join(f"{cell:>16}" for cell in cells))


if __name__ == "__main__":
    main()

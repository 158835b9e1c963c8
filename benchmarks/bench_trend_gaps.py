"""Time `svcdiag trend` over dates with and without a mistyped year, beside pandas.

For each size (10^5 and 10^6 rows by default) the script generates, with
DuckDB, into a temporary folder it deletes afterwards, one row per case
(case, date over 2023-2024, complaint 0/1) as CSV, in three forms:

* ``clean``: every date in 2023-2024 (no gap, no warning);
* ``typo first``: the first row's year written 2204 (the warning names line 2);
* ``typo last``: the last row's year written 2204 (the warning walks the whole
  file in Python to name its line: the worst case);

and runs, each as a fresh process, best wall-clock time of ``--repeat`` runs
and peak resident memory (from ``wait4``):

* ``svcdiag trend FILE --time date --outcome complaint -f json``;
* a pandas script as a user would write it to chart the monthly rate and find
  the empty months and the first row of each far-off month.

Times include interpreter start-up and imports. pandas
(``pip install -e '.[bench]'``) is optional: without it, its column says n/a.

Usage: python benchmarks/bench_trend_gaps.py [--sizes 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

import duckdb
from bench_stats import measure  # the same timing as the data benchmark

PANDAS_TREND = """
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], usecols=["date", "complaint"])
df["month"] = pd.to_datetime(df["date"]).dt.to_period("M")
per = df.groupby("month")["complaint"].agg(["sum", "count"])
full = pd.period_range(per.index.min(), per.index.max(), freq="M")
missing = full.difference(per.index)
p = per["sum"].sum() / per["count"].sum()
sd = (p * (1 - p) / per["count"]) ** 0.5
rate = per["sum"] / per["count"]
low, high = (p - 3 * sd).clip(0), (p + 3 * sd).clip(upper=1)
out = pd.DataFrame({"rate": rate, "lower": low, "upper": high})
if len(missing) > 2 * len(per):
    counts = per["count"]
    far = [m for m in (per.index.min(), per.index.max()) if counts[m] < counts.median() / 10]
    lines = {m: int(df.index[df["month"] == m][0]) + 2 for m in far}
    print(f"{len(missing)} empty months; far off: {lines}", file=sys.stderr)
print(out.to_json())
"""


def make_files(folder: Path, rows: int) -> dict[str, Path]:
    """Write the three CSV files of ``rows`` cases each."""
    con = duckdb.connect()
    base = f"""SELECT i AS case_id,
        DATE '2023-01-01' + CAST(floor(random() * 730) AS INT) AS date,
        CAST(random() < 0.05 AS INT) AS complaint FROM range({rows}) t(i)"""
    paths = {}
    for name, year_at in (("clean", None), ("typo first", 0), ("typo last", rows - 1)):
        query = base
        if year_at is not None:
            query = (
                f"SELECT case_id, CASE WHEN case_id = {year_at} THEN "
                f"CAST('2204' || substr(CAST(date AS VARCHAR), 5) AS DATE) ELSE date END AS date, "
                f"complaint FROM ({base}) ORDER BY case_id"
            )
        path = folder / f"{name.replace(' ', '_')}_{rows}.csv"
        con.execute(f"COPY ({query}) TO '{path}' (HEADER)")
        paths[name] = path
    return paths


def main() -> None:
    """Print one table row per size and file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    has_pandas = importlib.util.find_spec("pandas") is not None
    svcdiag = [sys.executable, "-m", "svcdiag"]
    print(f"{'rows':>10}  {'file':<10}  {'svcdiag s':>9}  {'MB':>6}  {'pandas s':>8}  {'MB':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            for name, path in make_files(Path(tmp), rows).items():
                command = [*svcdiag, "trend", str(path), "--time", "date"]
                ours = measure([*command, "--outcome", "complaint", "-f", "json"], args.repeat)
                theirs = f"{'n/a':>8}  {'n/a':>6}"
                if has_pandas:
                    seconds, mb = measure(
                        [sys.executable, "-c", PANDAS_TREND, str(path)], args.repeat
                    )
                    theirs = f"{seconds:8.2f}  {mb:6.0f}"
                print(f"{rows:>10,}  {name:<10}  {ours[0]:9.2f}  {ours[1]:6.0f}  {theirs}")


if __name__ == "__main__":
    main()

"""Time `svcdiag trend` over dates with and without a mistyped year, beside pandas.

For each size (10^5 and 10^6 rows by default) the script generates, with
DuckDB, into a temporary folder it deletes afterwards, one row per case
(case, date over 2023-2024, complaint 0/1) as CSV, in three forms:

* ``clean``: every date in 2023-2024 (no gap, no warning);
* ``typo first``: the first row's year written 2204 (the warning names line 2);
* ``typo last``: the last row's year written 2204 (the warning walks the whole
  file in Python to name its line: the worst case);

and, for ``--by``, with a ``team`` column of ``--groups`` teams (1,000 by
default), two more:

* ``by clean``: every team over the whole of 2023-2024;
* ``by typo``: one more team, ``late``, whose rows are the last 100 and dated
  in 2024-10 to 2024-12, except its last row, dated 2023-01-15 (a far-off
  month in that team's series only, and the last row of the file: the worst
  case for naming its line).

It runs, each as a fresh process, best wall-clock time of ``--repeat`` runs
and peak resident memory (from ``wait4``):

* ``svcdiag trend FILE --time date --outcome complaint -f json`` (with
  ``--by team`` on the last two files);
* a pandas script as a user would write it to chart the monthly rate and find
  the empty months and the first row of each far-off month (per team, for
  the last two files).

Times include interpreter start-up and imports. pandas
(``pip install -e '.[bench]'``) is optional: without it, its column says n/a.

Usage: python benchmarks/bench_trend_gaps.py [--sizes 100000 1000000] [--groups 1000] [--repeat 3]
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

PANDAS_TREND_BY = """
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], usecols=["date", "team", "complaint"])
df["month"] = pd.to_datetime(df["date"]).dt.to_period("M")
out, flagged = {}, []
for team, rows in df.groupby("team", sort=False):
    per = rows.groupby("month")["complaint"].agg(["sum", "count"])
    p = per["sum"].sum() / per["count"].sum()
    sd = (p * (1 - p) / per["count"]) ** 0.5
    out[team] = pd.DataFrame({"rate": per["sum"] / per["count"], "lower": (p - 3 * sd).clip(0)})
    months = per.index.sort_values()
    span = (months[-1] - months[0]).n + 1
    if len(months) > 1 and span > 2 * len(months):
        steps = [(b - a).n for a, b in zip(months[:-1], months[1:])]
        cut = steps.index(max(steps)) + 1
        side = months[:cut] if cut <= len(months) - cut else months[cut:]
        if len(side) <= 3:
            lines = {m: int(rows.index[rows["month"] == m][0]) + 2 for m in side}
            flagged.append(f"team {team}: {lines}")
if flagged:
    print(f"far off in {len(flagged)} teams: {'; '.join(flagged[:3])}", file=sys.stderr)
print(pd.concat(out).to_json())
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


def make_group_files(folder: Path, rows: int, groups: int) -> dict[str, Path]:
    """Write the two CSV files with a ``team`` column of ``groups`` teams (and ``late``)."""
    con = duckdb.connect()
    base = f"""SELECT i AS case_id,
        DATE '2023-01-01' + CAST(floor(random() * 730) AS INT) AS date,
        'team ' || (i % {groups}) AS team,
        CAST(random() < 0.05 AS INT) AS complaint FROM range({rows}) t(i)"""
    late = rows - 100
    typo = f"""SELECT case_id,
        CASE WHEN case_id = {rows - 1} THEN DATE '2023-01-15'
             WHEN case_id >= {late} THEN DATE '2024-10-01' + CAST(case_id % 92 AS INT)
             ELSE date END AS date,
        CASE WHEN case_id >= {late} THEN 'late' ELSE team END AS team,
        complaint FROM ({base}) ORDER BY case_id"""
    paths = {}
    for name, query in (("by clean", base), ("by typo", typo)):
        path = folder / f"{name.replace(' ', '_')}_{rows}.csv"
        con.execute(f"COPY ({query}) TO '{path}' (HEADER)")
        paths[name] = path
    return paths


def main() -> None:
    """Print one table row per size and file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    has_pandas = importlib.util.find_spec("pandas") is not None
    svcdiag = [sys.executable, "-m", "svcdiag"]
    print(f"{'rows':>10}  {'file':<10}  {'svcdiag s':>9}  {'MB':>6}  {'pandas s':>8}  {'MB':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            files = make_files(Path(tmp), rows)
            files.update(make_group_files(Path(tmp), rows, args.groups))
            for name, path in files.items():
                grouped = name.startswith("by ")
                command = [*svcdiag, "trend", str(path), "--time", "date"]
                command += ["--outcome", "complaint", "-f", "json"]
                ours = measure([*command, *(["--by", "team"] if grouped else [])], args.repeat)
                theirs = f"{'n/a':>8}  {'n/a':>6}"
                if has_pandas:
                    script = PANDAS_TREND_BY if grouped else PANDAS_TREND
                    seconds, mb = measure([sys.executable, "-c", script, str(path)], args.repeat)
                    theirs = f"{seconds:8.2f}  {mb:6.0f}"
                print(f"{rows:>10,}  {name:<10}  {ours[0]:9.2f}  {ours[1]:6.0f}  {theirs}")


if __name__ == "__main__":
    main()

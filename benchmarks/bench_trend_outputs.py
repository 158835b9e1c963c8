"""Time `svcdiag trend --by -o FILE` as JSON, YAML and CSV, beside pandas writing the same.

A trend per group over daily periods is the largest document svcdiag writes
outside a list of units: a series per group, a point per day. YAML is the
format evidence is kept in, so it should cost about what JSON does.

For each ``--groups`` count (300 and 1,000 by default) the script generates,
with DuckDB, into a temporary folder it deletes afterwards, one row per case
(team, date over ``--days`` days, 180 by default, complaint 0/1: 20 cases a
team and day), then runs, each as a fresh process, best wall-clock time of
``--repeat`` runs and peak resident memory (from ``wait4``):

* ``svcdiag trend FILE --time date --outcome complaint --by team --period day
  -f FORMAT -o OUT --force``;
* a pandas script as a user would write it: the daily rate and 3-sigma
  p-chart limits per team, written as records with ``to_json``, with PyYAML
  (libyaml's emitter where it is built) or ``to_csv``. It finds no signals
  and writes no summaries, so it does less than svcdiag.

Times include interpreter start-up and imports. pandas
(``pip install -e '.[bench]'``) is optional: without it, its column says n/a.

Usage: python benchmarks/bench_trend_outputs.py [--groups 300 1000] [--days 180] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

import duckdb
from bench_stats import measure  # the same timing as the data benchmark

FORMATS = ("json", "yaml", "csv")

PANDAS_TREND = """
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
per = df.groupby(["team", "date"])["complaint"].agg(["sum", "count"]).reset_index()
totals = per.groupby("team")[["sum", "count"]].transform("sum")
p = totals["sum"] / totals["count"]
sd = (p * (1 - p) / per["count"]) ** 0.5
per["value"] = per["sum"] / per["count"]
per["lower"], per["upper"] = (p - 3 * sd).clip(lower=0), (p + 3 * sd).clip(upper=1)
per["signal"] = (per["value"] < per["lower"]) | (per["value"] > per["upper"])
fmt, out = sys.argv[2], sys.argv[3]
if fmt == "csv":
    per.to_csv(out, index=False)
else:
    series = [
        {"group": team, "points": rows.drop(columns="team").to_dict("records")}
        for team, rows in per.groupby("team", sort=False)
    ]
    if fmt == "json":
        pd.Series([{"series": series}]).to_json(out, orient="records")
    else:
        import yaml
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        with open(out, "w") as handle:
            yaml.dump({"series": series}, handle, Dumper=dumper, sort_keys=False)
"""


def write_cases(path: Path, groups: int, days: int) -> None:
    """One row per case: 20 cases per team and day, a complaint in about one of 14."""
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'T' || (i % {groups}) AS team, "
        f"DATE '2024-01-01' + CAST((i // {groups}) % {days} AS INTEGER) AS date, "
        f"CAST(hash(i) % 14 = 0 AS INTEGER) AS complaint "
        f"FROM range({groups * days * 20}) t(i)) TO '{path}' (HEADER)"
    )
    con.close()


def main() -> None:
    """Print one row per group count and format: time and memory of svcdiag and pandas."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, nargs="+", default=[300, 1_000])
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    args = parser.parse_args()
    has_pandas = importlib.util.find_spec("pandas") is not None
    columns = ("svcdiag s / MB", "pandas s / MB")
    header = f"{'groups':>8} {'points':>10} {'format':>6} " + " ".join(f"{c:>16}" for c in columns)
    header += f" {'÷ pandas':>9}"
    print(f"svcdiag trend --by team --period day -f FORMAT -o FILE, best of {args.repeat}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for groups in args.groups:
            path = Path(folder) / f"cases-{groups}.csv"
            write_cases(path, groups, args.days)
            for fmt in args.formats:
                out = Path(folder) / f"out.{fmt}"
                command = [sys.executable, "-m", "svcdiag", "trend", str(path), "--time", "date"]
                command += ["--outcome", "complaint", "--by", "team", "--period", "day"]
                ours = measure([*command, "-f", fmt, "-o", str(out), "--force"], args.repeat)
                cells = [f"{ours[0]:7.2f} / {ours[1]:5.0f}", "n/a", "n/a"]
                if has_pandas:
                    script = [sys.executable, "-c", PANDAS_TREND, str(path), fmt, str(out)]
                    theirs = measure(script, args.repeat)
                    cells[1] = f"{theirs[0]:7.2f} / {theirs[1]:5.0f}"
                    cells[2] = f"{ours[0] / theirs[0]:.2f}"
                points = groups * args.days
                print(
                    f"{groups:>8,} {points:>10,} {fmt:>6} "
                    f"{cells[0]:>16} {cells[1]:>16} {cells[2]:>9}"
                )


if __name__ == "__main__":
    main()

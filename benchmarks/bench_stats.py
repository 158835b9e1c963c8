"""Time and measure `svcdiag nps`, `variation` and `trend` beside pandas and bare DuckDB.

For each size (10^5 and 10^6 rows by default; ``--big`` adds 10^7) the script
generates, with DuckDB, into a temporary folder that it deletes afterwards:

* an NPS survey export (respondent, branch, score);
* one row per case (case, date, agent, complaint 0/1), 500 agents;
* one row per agent and day (agent, day, complaints, contacts);
* at 10^6 rows, also a file with one row per unit (10^6 distinct units);

each as CSV and as Parquet. It then runs, each as a fresh process, and
reports the best wall-clock time of ``--repeat`` runs and the peak resident
memory of that process (its own, from ``wait4``):

* ``svcdiag nps FILE --by branch -f json``
* ``svcdiag variation FILE --unit agent --outcome complaint -f json``
* ``svcdiag variation FILE --unit agent --events complaints --cases contacts -f json``
* ``svcdiag variation UNITS --unit agent --events complaints --cases contacts -f csv``
* ``svcdiag trend FILE --time date --outcome complaint --period month -f json``

beside a pandas script and a bare DuckDB script doing the same counting and
the same formulas (normal funnel limits; every unit written out for the file
of distinct units), as a user would write them. All columns include
interpreter start-up and imports. pandas (``pip install -e '.[bench]'``) is
optional: without it, its columns say n/a.

A first table shows the start-up every run pays (svcdiag on a two-row file,
a minimal typer command that only opens DuckDB, a bare script that opens
DuckDB, an empty interpreter): at small sizes it is most of the difference.

Usage: python benchmarks/bench_stats.py [--sizes 100000 1000000] [--big] [--repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

import svcdiag as svcdiag_package

AGENTS = 500

PANDAS_NPS = """
import math, sys
from statistics import NormalDist
import pandas as pd
path = sys.argv[1]
read = pd.read_parquet if path.endswith(".parquet") else pd.read_csv
df = read(path, columns=["branch", "score"]) if path.endswith(".parquet") else read(
    path, usecols=["branch", "score"])
z = NormalDist().inv_cdf(0.975)
def summary(scores):
    n = len(scores)
    p = int((scores >= 9).sum()); d = int((scores <= 6).sum())
    n2 = n + 3; pp = (p + 0.75) / n2; dd = (d + 0.75) / n2
    half = z * math.sqrt((pp + dd - (pp - dd) ** 2) / n2)
    return n, 100 * (p - d) / n, 100 * (pp - dd - half), 100 * (pp - dd + half)
overall = summary(df["score"])
groups = {name: summary(g) for name, g in df.groupby("branch", sort=False)["score"]}
print(overall, len(groups))
"""

PANDAS_VARIATION = """
import math, sys
from statistics import NormalDist
import pandas as pd
path, mode = sys.argv[1], sys.argv[2]
cols = ["agent", "complaint"] if mode == "outcome" else ["agent", "complaints", "contacts"]
df = pd.read_parquet(path, columns=cols) if path.endswith(".parquet") else pd.read_csv(
    path, usecols=cols)
if mode == "outcome":
    units = df.groupby("agent", sort=False)["complaint"].agg(events="sum", cases="count")
else:
    units = df.groupby("agent", sort=False)[["complaints", "contacts"]].sum()
    units.columns = ["events", "cases"]
p0 = units["events"].sum() / units["cases"].sum()
units["rate"] = units["events"] / units["cases"]
var = p0 * (1 - p0) / units["cases"]
z = (units["rate"] - p0) / var.pow(0.5)
lo, hi = z.quantile(0.1), z.quantile(0.9)
phi = (z.clip(lo, hi) ** 2).mean()
k = len(units)
w = 1 / var
tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
spread = (var + tau2).pow(0.5)
units["z"] = (units["rate"] - p0) / spread
for name, zz in (("95", NormalDist().inv_cdf(0.975)), ("998", NormalDist().inv_cdf(0.999))):
    units["lower" + name] = (p0 - zz * spread).clip(0, 1)
    units["upper" + name] = (p0 + zz * spread).clip(0, 1)
units["alarm"] = (units["rate"] - p0).abs() > NormalDist().inv_cdf(0.999) * spread
if mode == "units":
    units.to_csv(sys.stdout)
else:
    print(p0, phi, tau2, int(units["alarm"].sum()))
"""

PANDAS_TREND = """
import sys
import pandas as pd
path = sys.argv[1]
cols = ["date", "complaint"]
df = pd.read_parquet(path, columns=cols) if path.endswith(".parquet") else pd.read_csv(
    path, usecols=cols, parse_dates=["date"])
df["period"] = pd.to_datetime(df["date"]).dt.to_period("M")
p = df.groupby("period")["complaint"].agg(events="sum", cases="count")
centre = p["events"].sum() / p["cases"].sum()
half = 3 * (centre * (1 - centre) / p["cases"]) ** 0.5
rate = p["events"] / p["cases"]
beyond = ((rate > centre + half) | (rate < (centre - half).clip(lower=0))).sum()
print(centre, int(beyond), len(p))
"""

DUCKDB_SOURCE = """
import sys, duckdb
path = sys.argv[1]
src = f"read_parquet('{path}')" if path.endswith(".parquet") else f"read_csv('{path}')"
con = duckdb.connect()
"""

DUCKDB_NPS = (
    DUCKDB_SOURCE
    + """
import math
from statistics import NormalDist
z = NormalDist().inv_cdf(0.975)
rows = con.execute(f'''SELECT branch, count(*) FILTER (WHERE score >= 9),
    count(*) FILTER (WHERE score <= 6), count(*) FROM {src} GROUP BY ALL''').fetchall()
def summary(p, d, n):
    n2 = n + 3; pp = (p + 0.75) / n2; dd = (d + 0.75) / n2
    half = z * math.sqrt((pp + dd - (pp - dd) ** 2) / n2)
    return n, 100 * (p - d) / n, 100 * (pp - dd - half), 100 * (pp - dd + half)
groups = {b: summary(p, d, n) for b, p, d, n in rows}
overall = summary(*(sum(r[i] for r in rows) for i in (1, 2, 3)))
print(overall, len(groups))
"""
)

DUCKDB_VARIATION = (
    DUCKDB_SOURCE
    + """
mode = sys.argv[2]
if mode == "outcome":
    agg = f"SELECT agent, sum(complaint) AS events, count(*) AS cases FROM {src} GROUP BY agent"
else:
    agg = (f"SELECT agent, sum(complaints) AS events, sum(contacts) AS cases FROM {src} "
           "GROUP BY agent")
con.execute(f"CREATE TEMP TABLE u AS {agg}")
p0 = con.execute("SELECT sum(events) / sum(cases) FROM u").fetchone()[0]
con.execute(f"CREATE TEMP TABLE z AS SELECT *, events / cases AS rate, "
            f"{p0} * (1 - {p0}) / cases AS var, (events / cases - {p0}) / "
            f"sqrt({p0} * (1 - {p0}) / cases) AS z FROM u")
lo, hi, k, sw, sw2 = con.execute("SELECT quantile_cont(z, 0.1), quantile_cont(z, 0.9), count(*), "
                             "sum(1 / var), sum(1 / var ^ 2) FROM z").fetchone()
phi = con.execute(f"SELECT avg(least(greatest(z, {lo}), {hi}) ^ 2) FROM z").fetchone()[0]
tau2 = max(0.0, (k * phi - (k - 1)) / (sw - sw2 / sw))
out = (f"SELECT agent, events, cases, rate, (rate - {p0}) / sqrt(var + {tau2}) AS z, "
       f"greatest(0, {p0} - 1.959964 * sqrt(var + {tau2})) AS lower95, "
       f"least(1, {p0} + 1.959964 * sqrt(var + {tau2})) AS upper95, "
       f"greatest(0, {p0} - 3.090232 * sqrt(var + {tau2})) AS lower998, "
       f"least(1, {p0} + 3.090232 * sqrt(var + {tau2})) AS upper998 FROM z")
if mode == "units":
    con.execute(f"COPY ({out}) TO '/dev/stdout' (HEADER)")
else:
    print(p0, phi, tau2, len(con.execute(out).fetchall()))
"""
)

DUCKDB_TREND = (
    DUCKDB_SOURCE
    + """
rows = con.execute(f"SELECT date_trunc('month', CAST(date AS DATE)) AS p, sum(complaint), count(*) "
               f"FROM {src} GROUP BY p ORDER BY p").fetchall()
centre = sum(r[1] for r in rows) / sum(r[2] for r in rows)
beyond = sum(abs(e / n - centre) > 3 * (centre * (1 - centre) / n) ** 0.5 for _, e, n in rows)
print(centre, beyond, len(rows))
"""
)


def generate(con: duckdb.DuckDBPyConnection, folder: Path, rows: int) -> dict[str, Path]:
    """Write the test files of ``rows`` rows as CSV and Parquet; return their paths."""
    con.execute("SELECT setseed(0.42)")
    tables = {
        "nps": f"""SELECT 'R' || i AS respondent,
            ['Leeds','York','Hull','Bradford','Wakefield','Harrogate','Ripon','Selby'][i % 8 + 1]
            AS branch, least(10, floor(11 * sqrt(random())))::INT AS score
            FROM range({rows}) t(i)""",
        "cases": f"""SELECT 'C' || i AS case_id,
            DATE '2023-01-01' + CAST(i * 730 // {rows} AS INT) AS date,
            'A' || lpad(CAST((hash(i) % {AGENTS}) AS VARCHAR), 3, '0') AS agent,
            CAST(random() < 0.04 AS INT) AS complaint FROM range({rows}) t(i)""",
        "counts": f"""SELECT 'A' || lpad(CAST(i % {AGENTS} AS VARCHAR), 3, '0') AS agent,
            i // {AGENTS} AS day, CAST(floor(random() * 3) AS INT) AS complaints,
            5 + CAST(floor(random() * 56) AS INT) AS contacts FROM range({rows}) t(i)""",
    }
    if rows == 1_000_000:
        tables["units"] = f"""SELECT 'U' || i AS agent,
            CAST(floor(random() * 20) AS INT) AS complaints,
            20 + CAST(floor(random() * 880) AS INT) AS contacts FROM range({rows}) t(i)"""
    paths = {}
    for name, query in tables.items():
        for suffix, options in (("csv", "(HEADER)"), ("parquet", "(FORMAT parquet)")):
            path = folder / f"{name}_{rows}.{suffix}"
            con.execute(f"COPY ({query}) TO '{path}' {options}")
            paths[f"{name}.{suffix}"] = path
    return paths


def measure(command: list[str], repeat: int) -> tuple[float, float]:
    """Run ``command`` ``repeat`` times: best wall time (s) and largest peak memory (MB)."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        error = child.stderr.read().decode() if child.stderr else ""
        if child.stderr:
            child.stderr.close()
        if child.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{error}")
        best = min(best, elapsed)
        peak = max(peak, usage.ru_maxrss / 1024)
    return best, peak


def cases_for(files: dict[str, Path], fmt: str) -> list[tuple[str, list[str], list[str]]]:
    """The commands to compare, as (label, svcdiag arguments, alternative arguments)."""
    nps, cases, counts = (str(files[f"{n}.{fmt}"]) for n in ("nps", "cases", "counts"))
    chosen = [
        ("nps --by", ["nps", nps, "--by", "branch", "-f", "json"], ["nps", nps]),
        (
            "variation --outcome",
            ["variation", cases, "--unit", "agent", "--outcome", "complaint", "-f", "json"],
            ["variation", cases, "outcome"],
        ),
        (
            "variation --events",
            ["variation", counts, "--unit", "agent", "--events", "complaints", "--cases",
             "contacts", "-f", "json"],
            ["variation", counts, "counts"],
        ),
        (
            "trend --outcome",
            ["trend", cases, "--time", "date", "--outcome", "complaint", "-f", "json"],
            ["trend", cases],
        ),
    ]  # fmt: skip
    if f"units.{fmt}" in files:
        units = str(files[f"units.{fmt}"])
        chosen.append(
            (
                "10^6 distinct units",
                ["variation", units, "--unit", "agent", "--events", "complaints", "--cases",
                 "contacts", "-f", "csv"],
                ["variation", units, "units"],
            )
        )  # fmt: skip
    return chosen


SCRIPTS = {
    "pandas": {"nps": PANDAS_NPS, "variation": PANDAS_VARIATION, "trend": PANDAS_TREND},
    "duckdb": {"nps": DUCKDB_NPS, "variation": DUCKDB_VARIATION, "trend": DUCKDB_TREND},
}


MINIMAL_TYPER = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def variation(file: Path, unit: Annotated[str, typer.Option()],
              events: Annotated[str, typer.Option()], cases: Annotated[str, typer.Option()],
              fmt: Annotated[str, typer.Option("-f")] = "rich") -> None:
    import duckdb
    duckdb.connect().execute("SELECT 1").fetchall()
app()
"""


def startup(folder: Path, repeat: int) -> None:
    """Print what a run costs before any row is read, beside its floors."""
    tiny = folder / "tiny.csv"
    tiny.write_text("agent,complaints,contacts\nA,1,3\nB,0,4\n", encoding="utf-8")
    args = [str(tiny), "--unit", "agent", "--events", "complaints", "--cases", "contacts"]
    args += ["-f", "json"]
    rows = [
        ("svcdiag variation, 2 rows", [sys.executable, "-m", "svcdiag", "variation", *args]),
        ("typer command opening DuckDB", [sys.executable, "-c", MINIMAL_TYPER, *args]),
        ("bare script opening DuckDB", [sys.executable, "-c", "import duckdb; duckdb.connect()"]),
        ("python -c pass", [sys.executable, "-c", "pass"]),
    ]  # fmt: skip
    print("start-up (time in s / peak memory in MB)")
    for label, command in rows:
        elapsed, peak = measure(command, repeat)
        print(f"  {label:<30} {elapsed:>6.3f} / {peak:>5.0f}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--big", action="store_true", help="also run 10^7 rows (minutes)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [*args.sizes, *([10_000_000] if args.big else [])]

    has_pandas = importlib.util.find_spec("pandas") is not None
    has_arrow = importlib.util.find_spec("pyarrow") is not None
    svcdiag = [sys.executable, "-m", "svcdiag"]
    header = (
        f"{'rows':>10} {'file':<7} {'command':<20} {'svcdiag':>14} {'pandas':>14} "
        f"{'duckdb':>14} {'vs pandas':>9} {'vs duckdb':>9}"
    )
    # An installed package comes with its modules compiled; a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile all of svcdiag at every start.
    compileall.compile_dir(str(Path(svcdiag_package.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        startup(Path(tmp), args.repeat)
        print("time in s / peak memory in MB; ratios: svcdiag time / other time")
        print(header)
        print("-" * len(header))
        con = duckdb.connect()
        for rows in sizes:
            files = generate(con, Path(tmp), rows)
            for fmt in ("csv", "parquet"):
                for label, ours, theirs in cases_for(files, fmt):
                    mine = measure([*svcdiag, *ours], args.repeat)
                    script = theirs[0]
                    results = {}
                    for name in ("pandas", "duckdb"):
                        usable = name == "duckdb" or (has_pandas and (fmt == "csv" or has_arrow))
                        if usable:
                            code = SCRIPTS[name][script]
                            results[name] = measure(
                                [sys.executable, "-c", code, *theirs[1:]], args.repeat
                            )
                    cells = [
                        f"{t:>6.2f} / {m:>5.0f}" if (t, m) != (0, 0) else f"{'n/a':>14}"
                        for t, m in (
                            mine,
                            results.get("pandas", (0, 0)),
                            results.get("duckdb", (0, 0)),
                        )
                    ]
                    ratios = [
                        f"{mine[0] / results[n][0]:>9.2f}" if n in results else f"{'':>9}"
                        for n in ("pandas", "duckdb")
                    ]
                    print(f"{rows:>10,} {fmt:<7} {label:<20} {' '.join(cells)} {' '.join(ratios)}")
                    sys.stdout.flush()
            for path in files.values():
                path.unlink()
        con.close()
    if not has_pandas:
        print("\npandas is not installed: pip install -e '.[bench]' to compare with it.")


if __name__ == "__main__":
    main()

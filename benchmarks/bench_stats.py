"""Time `svcdiag nps` and `svcdiag variation` on generated CSV files, beside pandas.

For each size (10^4, 10^5, 10^6 rows by default) the script writes three files
into a temporary directory: an NPS survey export (respondent, branch, score),
one row per case (case, agent, complaint 0/1) and one row per agent and day
(agent, day, complaints, contacts). It then runs, each as a fresh process and
timed by the wall clock (best of --repeat runs):

* ``svcdiag nps FILE --by branch --format json``
* ``svcdiag variation FILE --unit agent --outcome complaint --format json``
* ``svcdiag variation FILE --unit agent --events complaints --cases contacts``
* the same on a file with one row per unit, so that every row is a distinct
  unit (``--format csv``): the cost then grows with the number of units, each
  becoming a result row with its own limits, not with the rows read.

beside a pandas script doing the same counting and the same formulas (normal
funnel limits only). Both columns include interpreter start-up and imports.
Without pandas installed (``pip install -e '.[bench]'``) its column says n/a.

Usage: python benchmarks/bench_stats.py [--sizes 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BRANCHES = ["Leeds", "York", "Hull", "Bradford", "Wakefield", "Harrogate", "Ripon", "Selby"]
AGENTS = 500
SCORE_WEIGHTS = [2, 1, 1, 2, 2, 4, 5, 9, 13, 14, 11]

PANDAS_NPS = """
import math, sys
from statistics import NormalDist
import pandas as pd
df = pd.read_csv(sys.argv[1], usecols=["branch", "score"])
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
mode = sys.argv[2]
if mode == "outcome":
    df = pd.read_csv(sys.argv[1], usecols=["agent", "complaint"])
    units = df.groupby("agent", sort=False)["complaint"].agg(events="sum", cases="count")
else:
    df = pd.read_csv(sys.argv[1], usecols=["agent", "complaints", "contacts"])
    units = df.groupby("agent", sort=False)[["complaints", "contacts"]].sum()
    units.columns = ["events", "cases"]
p0 = units["events"].sum() / units["cases"].sum()
rate = units["events"] / units["cases"]
var = p0 * (1 - p0) / units["cases"]
z = (rate - p0) / var.pow(0.5)
lo, hi = z.quantile(0.1), z.quantile(0.9)
phi = (z.clip(lo, hi) ** 2).mean()
k = len(units)
w = 1 / var
tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
spread = (var + tau2).pow(0.5)
alarm = NormalDist().inv_cdf(0.999)
flagged = int(((rate - p0).abs() > alarm * spread).sum())
print(p0, phi, tau2, flagged)
"""


def generate(directory: Path, rows: int, seed: int = 1) -> dict[str, Path]:
    """Write the three CSV files of ``rows`` data rows each; return their paths."""
    rng = random.Random(seed)
    paths = {
        "nps": directory / f"nps_{rows}.csv",
        "cases": directory / f"cases_{rows}.csv",
        "counts": directory / f"counts_{rows}.csv",
        "units": directory / f"units_{rows}.csv",
    }
    scores = rng.choices(range(11), weights=SCORE_WEIGHTS, k=rows)
    with paths["nps"].open("w", encoding="utf-8") as out:
        out.write("respondent,branch,score\n")
        out.writelines(
            f"R{i},{BRANCHES[i % len(BRANCHES)]},{score}\n" for i, score in enumerate(scores)
        )
    with paths["cases"].open("w", encoding="utf-8") as out:
        out.write("case,agent,complaint\n")
        out.writelines(
            f"C{i},A{rng.randrange(AGENTS):03d},{1 if rng.random() < 0.04 else 0}\n"
            for i in range(rows)
        )
    with paths["counts"].open("w", encoding="utf-8") as out:
        out.write("agent,day,complaints,contacts\n")
        for i in range(rows):
            contacts = rng.randint(5, 60)
            complaints = sum(rng.random() < 0.04 for _ in range(contacts // 10))
            out.write(f"A{i % AGENTS:03d},{i // AGENTS},{complaints},{contacts}\n")
    with paths["units"].open("w", encoding="utf-8") as out:
        out.write("agent,complaints,contacts\n")
        for i in range(rows):
            contacts = rng.randint(20, 900)
            complaints = sum(rng.random() < 0.04 for _ in range(contacts // 20))
            out.write(f"U{i},{complaints},{contacts}\n")
    return paths


def best_time(command: list[str], repeat: int) -> float:
    """Run ``command`` ``repeat`` times; return the fastest wall-clock time in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    has_pandas = importlib.util.find_spec("pandas") is not None
    svcdiag = [sys.executable, "-m", "svcdiag"]
    py = [sys.executable, "-c"]
    header = f"{'rows':>10}  {'command':<24} {'svcdiag s':>10} {'pandas s':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.sizes:
            files = generate(Path(tmp), rows)
            cases = [
                (
                    "nps --by branch",
                    [*svcdiag, "nps", str(files["nps"]), "--by", "branch", "-f", "json"],
                    [*py, PANDAS_NPS, str(files["nps"])],
                ),
                (
                    "variation --outcome",
                    [*svcdiag, "variation", str(files["cases"]), "--unit", "agent",
                     "--outcome", "complaint", "-f", "json"],
                    [*py, PANDAS_VARIATION, str(files["cases"]), "outcome"],
                ),
                (
                    "variation --events",
                    [*svcdiag, "variation", str(files["counts"]), "--unit", "agent",
                     "--events", "complaints", "--cases", "contacts", "-f", "json"],
                    [*py, PANDAS_VARIATION, str(files["counts"]), "counts"],
                ),
                (
                    "variation, row per unit",
                    [*svcdiag, "variation", str(files["units"]), "--unit", "agent",
                     "--events", "complaints", "--cases", "contacts", "-f", "csv"],
                    [*py, PANDAS_VARIATION, str(files["units"]), "counts"],
                ),
            ]  # fmt: skip
            for label, ours, theirs in cases:
                mine = best_time(ours, args.repeat)
                if has_pandas:
                    other = best_time(theirs, args.repeat)
                    print(
                        f"{rows:>10,}  {label:<24} {mine:>10.2f} {other:>10.2f} "
                        f"{mine / other:>7.2f}"
                    )
                else:
                    print(f"{rows:>10,}  {label:<24} {mine:>10.2f} {'n/a':>10} {'':>7}")
    if not has_pandas:
        print("\npandas is not installed: pip install -e '.[bench]' to compare with it.")


if __name__ == "__main__":
    main()

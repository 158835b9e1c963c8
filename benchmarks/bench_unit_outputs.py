"""Time ``svcdiag variation`` on many distinct units in each file format it writes.

A result with a unit per agent of a large contact centre (10^5 or 10^6
units) is written out whole as CSV, JSON or YAML. The alternative a user
would pick is a pandas script that reads the same file, works out the same
funnel columns (normal limits) and writes them with ``to_csv``,
``to_json(orient="records", indent=2)`` or PyYAML's ``safe_dump`` of the
records. For each size the script writes a CSV of one row per unit (unit,
events, cases) into a temporary folder it deletes afterwards, then runs each
command as a fresh process and reports the best wall-clock time of
``--repeat`` runs and the peak resident memory (from ``wait4``), start-up and
imports included. pandas (``pip install -e '.[bench]'``) is optional: without
it, its columns say n/a. Prints a table; asserts nothing.

Usage: python benchmarks/bench_unit_outputs.py [--units 100000 1000000] [--repeat 3]
       [--formats csv json yaml]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
from pathlib import Path

from bench_stats import measure  # the same timing as the data benchmark

FORMATS = ("csv", "json", "yaml")

PANDAS_UNITS = """
import math, sys
import pandas as pd
path, fmt, out = sys.argv[1], sys.argv[2], sys.argv[3]
df = pd.read_csv(path, dtype={"unit": str})
p0 = df["events"].sum() / df["cases"].sum()
se = (p0 * (1 - p0) / df["cases"]) ** 0.5
df["rate"] = df["events"] / df["cases"]
df["z"] = (df["rate"] - p0) / se
for name, z in (("95", 1.959964), ("998", 3.090232)):
    df["lower" + name] = (p0 - z * se).clip(lower=0)
    df["upper" + name] = (p0 + z * se).clip(upper=1)
df["status"] = "normal"
if fmt == "csv":
    df.to_csv(out, index=False)
elif fmt == "json":
    df.to_json(out, orient="records", indent=2)
else:
    import yaml
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter, where built
    with open(out, "w") as handle:
        yaml.dump({"units": df.to_dict("records")}, handle, Dumper=dumper, sort_keys=False)
"""


def write_units(path: Path, units: int, seed: int = 1) -> None:
    """Write one row per unit: a few thousand distinct (events, cases) pairs, as agents have."""
    draw = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("unit,events,cases\n")
        for number in range(units):
            cases = draw.randrange(50, 400)
            out.write(f"A{number},{draw.randrange(0, cases // 8)},{cases}\n")


def main() -> None:
    """Print one row per number of units: time and memory of svcdiag and pandas per format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    args = parser.parse_args()
    has_pandas = importlib.util.find_spec("pandas") is not None
    columns = ("svcdiag s / MB", "pandas s / MB")
    header = f"{'units':>10} {'format':>6} " + " ".join(f"{c:>16}" for c in columns)
    header += f" {'÷ pandas':>9}"
    print(f"svcdiag variation UNITS -f FORMAT -o FILE --force, best of {args.repeat}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for units in args.units:
            path = Path(folder) / f"units-{units}.csv"
            write_units(path, units)
            for fmt in args.formats:
                out = Path(folder) / f"out.{fmt}"
                command = [sys.executable, "-m", "svcdiag", "variation", str(path), "--unit"]
                command += ["unit", "--events", "events", "--cases", "cases", "-f", fmt]
                ours = measure([*command, "-o", str(out), "--force"], args.repeat)
                cells = [f"{ours[0]:7.2f} / {ours[1]:5.0f}", "n/a", "n/a"]
                if has_pandas:
                    script = [sys.executable, "-c", PANDAS_UNITS, str(path), fmt, str(out)]
                    theirs = measure(script, args.repeat)
                    cells[1] = f"{theirs[0]:7.2f} / {theirs[1]:5.0f}"
                    cells[2] = f"{ours[0] / theirs[0]:.2f}"
                print(f"{units:>10,} {fmt:>6} {cells[0]:>16} {cells[1]:>16} {cells[2]:>9}")


if __name__ == "__main__":
    main()

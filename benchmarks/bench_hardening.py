"""Benchmark: what the hardening costs, beside what a user would otherwise run.

* reading YAML: svcdiag's reader (regular files only, bounded read, number
  guard, positions) beside ``yaml.safe_load(path.read_text())`` over the same
  files, and the bare ``read_bytes`` the reader used to call;
* escaping: :func:`svcdiag.textsafe.terminal_safe` on a findings file beside
  rendering its rich report (the step it precedes);
* counting CSV rows: ``variation`` over a generated file of unit rows.

Prints tables; asserts nothing. Run: python benchmarks/bench_hardening.py [--files N]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from timing import best_time  # benchmarks/timing.py

from svcdiag.diagnosis.reanalyse import recompute
from svcdiag.render.report_formats import ReportFormat, render
from svcdiag.source.files import read_limited
from svcdiag.source.resources import shipped_dir
from svcdiag.source.yamlsource import MAX_BYTES, load_file
from svcdiag.stats.analysis import variation_from_file
from svcdiag.textsafe import terminal_safe

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _best(func: Callable[[], object], repeat: int = 5) -> float:
    return best_time(func, repeat)


def _table(title: str, rows: list[tuple[str, float]], unit: str = "ms") -> None:
    print(f"\n{title}")
    width = max(len(name) for name, _ in rows)
    base = rows[0][1]
    print(f"  {'':{width}}  {unit:>9}  {'vs first':>8}")
    for name, seconds in rows:
        print(f"  {name:{width}}  {1000 * seconds:9.2f}  {seconds / base:7.2f}x")


def bench_yaml(count: int) -> None:
    text = (shipped_dir() / "diagnostic.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(count):
            path = Path(folder) / f"q{i}.yaml"
            path.write_text(text, encoding="utf-8")
            paths.append(path)

        def pyyaml() -> object:
            return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]

        def ours() -> object:
            return [load_file(p) for p in paths]

        def bare() -> object:
            return [p.read_bytes() for p in paths]

        def bounded() -> object:
            return [read_limited(p, MAX_BYTES) for p in paths]

        _table(
            f"Reading {count} questionnaire files ({len(text):,} bytes each)",
            [
                ("yaml.safe_load(read_text())", _best(pyyaml, 3)),
                ("svcdiag load_file", _best(ours, 3)),
                ("bare path.read_bytes()", _best(bare, 3)),
                ("svcdiag read_limited()", _best(bounded, 3)),
            ],
        )


def bench_escaping() -> None:
    findings = recompute(EXAMPLES / "findings-widespread.yaml").findings
    _table(
        "Escaping one findings file for the terminal",
        [
            ("render rich report", _best(lambda: render(findings, ReportFormat.rich), 5)),
            ("terminal_safe(findings)", _best(lambda: terminal_safe(findings), 5)),
        ],
    )


def bench_csv(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.csv"
        lines = ["agent,complaints,contacts"]
        lines += [f"A{i % 2000},{i % 7},{50 + i % 13}" for i in range(rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        def analyse() -> object:
            return variation_from_file(path, unit="agent", events="complaints", cases="contacts")

        def plain() -> object:
            totals: dict[str, list[int]] = {}
            with path.open(encoding="utf-8") as handle:
                next(handle)
                for line in handle:
                    unit, events, cases = line.rstrip("\n").split(",")
                    seen = totals.setdefault(unit, [0, 0])
                    seen[0] += int(events)
                    seen[1] += int(cases)
            return totals

        _table(
            f"Counting {rows:,} unit rows (2,000 units)",
            [
                ("split and int(), no checks", _best(plain, 3)),
                ("svcdiag variation (checked)", _best(analyse, 3)),
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    bench_yaml(args.files)
    bench_escaping()
    bench_csv(args.rows)
    print("\n(best of several runs of each)")


if __name__ == "__main__":
    main()

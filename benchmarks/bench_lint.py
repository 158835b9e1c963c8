"""Benchmark: start-up time of the CLI, and lint over many generated questionnaires.

Prints a table; asserts nothing. Run: python benchmarks/bench_lint.py [--files N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from svcdiag.serialise import to_yaml
from svcdiag.source.resources import shipped_dir
from svcdiag.source.yamlsource import load_file


def _run(argv: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def _generate(directory: Path, count: int) -> int:
    """Write ``count`` variants of the shipped diagnostic questionnaire; return its size."""
    base = load_file(shipped_dir() / "diagnostic.yaml").data
    for name in ("factors.yaml", "characteristics.yaml", "interventions.yaml"):
        (directory / name).write_bytes((shipped_dir() / name).read_bytes())
    for i in range(count):
        base["id"] = f"generated_{i}"
        base["title"] = f"Generated questionnaire {i}"
        (directory / f"q{i:05d}.yaml").write_text(to_yaml(base))
    return sum(len(s["questions"]) for s in base["sections"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "svcdiag"]

    rows: list[tuple[str, str]] = []
    python_only = _run([sys.executable, "-c", "pass"], args.repeat)
    rows.append(("python -c pass (baseline)", f"{statistics.median(python_only) * 1000:.0f} ms"))
    help_times = _run([*exe, "--help"], args.repeat)
    rows.append(("svcdiag --help", f"{statistics.median(help_times) * 1000:.0f} ms"))
    one = _run([*exe, "lint"], args.repeat)
    rows.append(("svcdiag lint (shipped, 5 files)", f"{statistics.median(one) * 1000:.0f} ms"))

    with tempfile.TemporaryDirectory() as tmp:
        questions = _generate(Path(tmp), args.files)
        many = _run([*exe, "lint", tmp], max(1, args.repeat // 2))
        best = statistics.median(many)
        rows.append(
            (
                f"svcdiag lint, {args.files} questionnaires x {questions} questions",
                f"{best:.2f} s ({best / args.files * 1000:.2f} ms/file)",
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  median")
    print(f"{'-' * width}  ------")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()

"""Benchmark: opening and writing an engagement's files step by step, against by name.

Files inside an engagement folder are opened one folder at a time, following
no link (``source.nofollow``): three opens instead of one for
``interviews/NAME``. This script reads a folder of small findings-sized
files both ways (``read_limited`` on a plain path, and on a path from
``inside``), and writes new files both ways (``atomicio.write_new`` and
``nofollow.write_new``), and prints the time per file side by side.

Prints a table; asserts nothing. Run: python benchmarks/bench_nofollow.py [--files N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from svcdiag import atomicio
from svcdiag.source import nofollow
from svcdiag.source.files import read_limited

TEXT = "answers:\n" + "".join(f"  q{i:03d}: {i % 5 + 1}\n" for i in range(200))


def _per_file(action: Callable[[int], object], count: int) -> float:
    start = time.perf_counter()
    for i in range(count):
        action(i)
    return (time.perf_counter() - start) / count * 1e6


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000)
    count = parser.parse_args().files
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "interviews").mkdir()
        for i in range(count):
            (base / "interviews" / f"f{i}.yaml").write_text(TEXT, encoding="utf-8")
        plain = [base / "interviews" / f"f{i}.yaml" for i in range(count)]
        guarded = [nofollow.inside(base, "interviews", p.name, hint="") for p in plain]
        rows = [
            (
                "read a file",
                _per_file(lambda i: read_limited(plain[i], 1 << 20), count),
                _per_file(lambda i: read_limited(guarded[i], 1 << 20), count),
            ),
            (
                "write a new file",
                _per_file(
                    lambda i: atomicio.write_new(base / "interviews" / f"a{i}.yaml", TEXT), count
                ),
                _per_file(
                    lambda i: nofollow.write_new(
                        nofollow.inside(base, "interviews", f"b{i}.yaml", hint=""), TEXT
                    ),
                    count,
                ),
            ),
        ]
    print(f"{count} files of {len(TEXT)} bytes; microseconds per file")
    print(f"{'':<18}{'by name':>12}{'step by step':>15}{'ratio':>8}")
    for name, by_name, stepwise in rows:
        print(f"{name:<18}{by_name:>12.1f}{stepwise:>15.1f}{stepwise / by_name:>8.2f}")


if __name__ == "__main__":
    main()

"""Benchmark: svcdiag's YAML reader beside PyYAML's ``safe_load``.

svcdiag's reader records the line and column of every key and value, keeps
duplicate keys, bounds the document (and tells alias bombs from plain large
files) and refuses surprising numbers; ``yaml.safe_load`` (with libyaml when
installed) does none of that and is what a user would reach for. Prints a
table; asserts nothing. Run: python benchmarks/bench_yaml_reading.py [--repeat N]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import Any

import yaml
from timing import best_time  # benchmarks/timing.py

from svcdiag.source.resources import shipped_dir
from svcdiag.source.yamlsource import parse_text

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _best(work: Callable[[], object], repeat: int) -> float:
    return best_time(work, repeat)


def _answers(count: int) -> str:
    lines = ["questionnaire: diagnostic", "answers:"]
    lines.extend(f"  q{i}: {i % 5 + 1}" for i in range(count))
    return "\n".join(lines) + "\n"


def main() -> None:
    """Time both readers on the shipped questionnaire and on large answers files."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [
        ("shipped diagnostic.yaml", (shipped_dir() / "diagnostic.yaml").read_text("utf-8")),
        ("answers, 10,000 keys", _answers(10_000)),
        ("answers, 150,000 keys", _answers(150_000)),
    ]
    print(f"{'document':<26} {'svcdiag (ms)':>13} {'safe_load (ms)':>15} {'ratio':>6}")
    for name, text in cases:
        ours = _best(partial(parse_text, text), args.repeat)
        theirs = _best(partial(yaml.load, text, Loader=_LOADER), args.repeat)
        print(f"{name:<26} {ours * 1000:>13.1f} {theirs * 1000:>15.1f} {ours / theirs:>6.2f}")
    print(f"(best of {args.repeat} runs; PyYAML loader: {_LOADER.__name__})")


if __name__ == "__main__":
    main()

"""Benchmark: anonymity across breakdowns, beside the rules of one breakdown at a time.

Part 1 draws hostile engagements (5 roles x 5 to 40 units in a tree, many
role-within-unit cells of 1 to 4 people) and times, side by side:

* the floor's rules within each breakdown only (what the report did before:
  :func:`svcdiag.engagement.anonymity.suppressed_groups`), and how many sets
  of fewer than the floor people still follow from what it shows;
* the same rules plus differencing across breakdowns
  (:func:`svcdiag.engagement.anonymity.protected_groups`), which leaves none.

Part 2 times the floor per score (:func:`svcdiag.engagement.item_floor.
suppressed_scores`) inside a whole report of survey respondents over 50
units where a share of them skip questions, against the report's total.

Prints tables; asserts nothing. Run: python benchmarks/bench_suppression.py
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Any

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.engagement import item_floor
from svcdiag.engagement.anonymity import (
    ALL,
    UnitTree,
    group_cells,
    group_counts,
    protected_groups,
    suppressed_groups,
)
from svcdiag.engagement.differencing import leaking_sets
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import Person, Respondents
from svcdiag.models.engagement import EngagementFile, EngagementQuestionnaire, Unit

ROLES = ("board", "manager", "staff", "frontline", "customer")
PROFILE = {
    "manager": "answers-few-individuals.yaml",
    "staff": "answers-widespread.yaml",
    "frontline": "answers-widespread.yaml",
}


def _layout(units: int, seed: int) -> tuple[UnitTree, dict[tuple[str, str | None], int]]:
    rng = random.Random(seed)
    parents: dict[str, str | None] = {}
    for i in range(units):
        parents[f"u{i}"] = rng.choice([None, *list(parents)[: max(1, i // 3)]]) if i else None
    cells = {
        (role, unit): rng.choice([0, 0, 1, 2, 3, 4, 6, 8, 12, 20])
        for role in ROLES
        for unit in [None, *parents]
    }
    return UnitTree.from_parents(parents), cells


def _ms(func: Any) -> tuple[float, Any]:
    start = time.process_time()
    result = func()
    return 1000 * (time.process_time() - start), result


def _row(units: int, floor: int, seeds: int) -> str:
    times: dict[str, list[float]] = {"old": [], "new": []}
    hidden: dict[str, int] = {"old": 0, "new": 0}
    leaks: dict[str, int] = {"old": 0, "new": 0}
    groups = 0
    for seed in range(seeds):
        tree, cells = _layout(units, seed=1000 * units + seed)
        counts = group_counts(cells, tree)
        members = group_cells(cells, tree)
        groups += len(members)
        people = {c: n for c, n in cells.items() if n > 0}
        everyone = [members[(ALL, ALL)]]
        for name, func in (
            ("old", lambda: suppressed_groups(counts, tree, floor)),  # noqa: B023
            ("new", lambda: protected_groups(cells, tree, floor)),  # noqa: B023
        ):
            ms, result = _ms(func)
            times[name].append(ms)
            hidden[name] += len(result)
            shown = [m for g, m in members.items() if g not in result]
            leaks[name] += len(leaking_sets(people, shown, floor, everyone))
    cols = [f"{units:>5} {groups / seeds:>6.0f}"]
    for name, width in (("old", 17), ("new", 21)):
        ms = sorted(times[name])
        cols.append(
            f"{ms[len(ms) // 2]:>{width}.1f} {ms[-1]:>8.1f} {hidden[name] / seeds:>6.0f} "
            f"{leaks[name]:>5}"
        )
    return "  ".join(cols)


def part_one(sizes: list[int], floor: int, seeds: int) -> None:
    print(f"Groups suppressed, anonymity floor {floor}, {seeds} engagements per size")
    print(
        f"{'units':>5} {'groups':>6}  {'one breakdown: ms':>17} {'max ms':>8} {'hidden':>6} "
        f"{'leaks':>5}  {'across breakdowns: ms':>21} {'max ms':>8} {'hidden':>6} {'leaks':>5}"
    )
    for units in sizes:
        print(_row(units, floor, seeds))
    print(
        "ms: median CPU milliseconds; hidden: groups suppressed (mean); leaks: sets of fewer "
        "than the floor people that follow from the groups shown (all engagements).\n"
    )


def _people(total: int, skip: float, units: list[str], seed: int) -> list[Person]:
    import yaml

    examples = Path(__file__).resolve().parents[1] / "examples"
    rng = random.Random(seed)
    bases = {
        role: yaml.safe_load((examples / name).read_text(encoding="utf-8"))["answers"]
        for role, name in PROFILE.items()
    }
    people = []
    for i in range(total):
        role = rng.choice(("manager", "staff", "frontline", "frontline"))
        answers = {k: v for k, v in bases[role].items() if rng.random() >= skip}
        people.append(Person(f"r{i}", "survey", role, rng.choice(units), answers, {}))
    return people


def part_two(totals: list[int], skip: float) -> None:
    diagnostic = load_questionnaire("diagnostic")
    units = [Unit(id=f"d{d}", name=f"Department {d}") for d in range(10)]
    units += [
        Unit(id=f"d{d}t{t}", name=f"Team {t}", parent=f"d{d}") for d in range(10) for t in range(4)
    ]
    engagement = EngagementFile(
        organisation="Bench Ltd",
        questionnaire=EngagementQuestionnaire(
            id="diagnostic", version=diagnostic.questionnaire.version
        ),
        anonymity_floor=5,
        units=units,
    )
    print(f"A whole report, 50 units, each answer skipped with chance {skip:.0%}; CPU seconds")
    print(f"{'respondents':>11} {'report s':>9} {'floor per score s':>18} {'scores hidden':>14}")
    spent: list[float] = []
    original = item_floor.suppressed_scores

    def timed(*args: Any) -> Any:
        start = time.process_time()
        result = original(*args)
        spent.append(time.process_time() - start)
        return result

    import svcdiag.engagement.report as report_module

    report_module.suppressed_scores = timed  # type: ignore[assignment]
    try:
        for total in totals:
            people = _people(total, skip, [u.id for u in units if u.parent], seed=total)
            spent.clear()
            start = time.process_time()
            report = build_report(engagement, diagnostic, Respondents(people=people))
            whole = time.process_time() - start
            hidden = sum(
                len(v) for g in report.groups for v in (g.suppressed_scores or {}).values()
            )
            print(f"{total:>11,} {whole:>9.2f} {sum(spent):>18.2f} {hidden:>14}")
    finally:
        report_module.suppressed_scores = original  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, nargs="*", default=[5, 12, 25, 40])
    parser.add_argument("--respondents", type=int, nargs="*", default=[200, 1000])
    parser.add_argument("--skip", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    part_one(args.units, floor=5, seeds=args.seeds)
    part_two(args.respondents, args.skip)


if __name__ == "__main__":
    main()

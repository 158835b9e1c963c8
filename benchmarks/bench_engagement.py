"""Benchmark: an engagement report over many survey respondents and units.

For 100, 1,000 and 10,000 respondents spread over 50 units (10 departments of
5 teams), it writes a survey responses file into a temporary engagement
folder and times, each once:

* reading the folder (the responses file, validated; YAML, and for the
  largest size JSON too, which a survey import may write instead);
* building the combined report (tally, anonymity, gaps, agreement, diagnosis);
* rendering it as rich, markdown, json and yaml, and as the client's HTML
  page and its PDF (when WeasyPrint is installed);
* the whole ``svcdiag engagement report -f json`` command in a subprocess;

and, side by side, the alternative without engagements: analysing every
respondent on their own as a single findings file (``svcdiag report`` on
each), which gives as many verdicts as people and no combined one.

Prints a table; asserts nothing. Run: python benchmarks/bench_engagement.py
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.diagnosis import analyse
from svcdiag.engagement.commands import read_engagement
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import load_respondents
from svcdiag.render.engagement_formats import EngagementFormat, render_engagement
from svcdiag.render.report_formats import RenderOptions
from svcdiag.serialise import to_json, to_yaml

ROOT = Path(__file__).resolve().parents[1]
TEXT_FORMATS = (
    EngagementFormat.rich,
    EngagementFormat.markdown,
    EngagementFormat.yaml,
    EngagementFormat.json,
)
ROLES = (("frontline", 0.6), ("staff", 0.25), ("manager", 0.13), ("board", 0.02))


def _survey_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_survey", ROOT / "examples" / "engagement" / "make_survey.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _engagement_yaml(units: list[tuple[str, str | None]], version: str) -> str:
    lines = [
        "format: svcdiag-engagement/1",
        "organisation: Benchmark Ltd",
        f"questionnaire: {{id: diagnostic, version: '{version}'}}",
        "anonymity_floor: 5",
        "units:",
    ]
    for unit, parent in units:
        lines.append(
            f"  - {{id: {unit}, name: Unit {unit}" + (f", parent: {parent}}}" if parent else "}")
        )
    return "\n".join(lines) + "\n"


def _plan(total: int, teams: list[str]) -> list[tuple[str, str | None, int]]:
    plan = []
    for role, share in ROLES:
        count = round(total * share)
        per, extra = divmod(count, len(teams))
        for i, team in enumerate(teams):
            n = per + (1 if i < extra else 0)
            if n:
                plan.append((role, team, n))
    return plan


def _has_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _cpu() -> float:
    """CPU seconds of this process and its finished children (robust on a busy machine)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Seconds(float):
    """Wall-clock seconds, with the CPU seconds beside them."""

    cpu: float = 0.0

    def __format__(self, spec: str) -> str:
        return f"{float(self):{spec}} ({self.cpu:{spec}})"


def _timed(func: Callable[[], Any]) -> tuple[Seconds, Any]:
    start, cpu = time.perf_counter(), _cpu()
    result = func()
    took = Seconds(time.perf_counter() - start)
    took.cpu = _cpu() - cpu
    return took, result


def _measure(
    size: int,
    units: list[tuple[str, str | None]],
    teams: list[str],
    loaded: Any,
    survey: Any,
    suffix: str,
) -> tuple[str, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "engagement"
        for sub in ("interviews", "responses", "evidence"):
            (folder / sub).mkdir(parents=True)
        (folder / "engagement.yaml").write_text(
            _engagement_yaml(units, loaded.questionnaire.version), encoding="utf-8"
        )
        responses = survey.make_responses(_plan(size, teams), seed=size)
        text = to_yaml(responses) if suffix == ".yaml" else to_json(responses)
        (folder / "responses" / f"survey{suffix}").write_text(text, encoding="utf-8")
        engagement = read_engagement(folder)
        read_s, people = _timed(lambda: load_respondents(folder, engagement))
        build_s, report = _timed(lambda: build_report(engagement, loaded, people))
        render_s = [
            _timed(lambda fmt=fmt: render_engagement(report, fmt, RenderOptions(width=100)))[0]
            for fmt in TEXT_FORMATS
        ]
        page_s = [
            f"{float(_timed(lambda fmt=fmt: render_engagement(report, fmt))[0]):.2f}"
            for fmt in (EngagementFormat.html, EngagementFormat.pdf)
            if fmt is EngagementFormat.html or _has_weasyprint()
        ]
        command = [sys.executable, "-m", "svcdiag", "engagement", "report", str(folder)]
        cli_s, _ = _timed(
            lambda: subprocess.run([*command, "-f", "json"], check=True, capture_output=True)
        )
        each_s, _ = _timed(
            lambda: [
                analyse(loaded.questionnaire, loaded.catalogue, p.answers) for p in people.people
            ]
        )
        shown = sum(1 for g in report.groups if not g.suppressed)
        return (
            f"{report.respondents:,}",
            suffix.lstrip("."),
            f"{read_s:.2f}",
            f"{build_s:.2f}",
            " / ".join(f"{float(t):.2f}" for t in render_s),
            " / ".join(page_s) if len(page_s) == 2 else f"{page_s[0]} / -",
            f"{cli_s:.2f}",
            f"{each_s:.2f}",
            f"{shown}/{len(report.groups)}",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10_000])
    args = parser.parse_args()
    survey = _survey_module()
    departments = [f"d{i}" for i in range(10)]
    teams = [f"{d}t{j}" for d in departments for j in range(4)]
    units = [(d, None) for d in departments] + [(t, t[:2]) for t in teams]
    assert len(units) == 50
    loaded = load_questionnaire("diagnostic")
    rows = [_measure(size, units, teams, loaded, survey, ".yaml") for size in args.sizes]
    rows.append(_measure(max(args.sizes), units, teams, loaded, survey, ".json"))
    head = (
        "respondents",
        "file",
        "read s",
        "report s",
        "rich/md/yaml/json s (wall)",
        "html/pdf s",
        "CLI json s",
        "each alone s",
        "groups shown",
    )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    print("Engagement report, 50 units (10 departments of 4 teams), anonymity floor 5")
    print("seconds: wall clock (CPU); on a busy machine the CPU figure is the one to compare")
    print("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    print(
        "'each alone' analyses every respondent as a single findings file "
        "(as many verdicts as people, none combined). html/pdf: the client's page, "
        "and that page printed by WeasyPrint ('-' without it)."
    )


if __name__ == "__main__":
    main()

"""Benchmark: what the last hostile-input fixes cost, or save, beside the alternatives.

* a findings file with a long free-text answer: the terminal report (which
  now shows the first 2,000 characters of it), the same report with Rich
  folding the whole answer (as it did before), and ``-f markdown``, which a
  user would pick for the whole text;
* reading a saved trend back as evidence: :func:`load_evidence`, which now
  checks every point, the share of that check, and ``json.loads`` alone;
* a CSV export whose header cell holds a line break: ``nps`` over it beside
  the same rows under a one-line header.

Prints tables; asserts nothing. Run: python benchmarks/bench_hostile_inputs.py
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import yaml
from timing import best_time  # benchmarks/timing.py

from svcdiag.assess.run import AssessRequest, run_assess
from svcdiag.assess.sessions import SessionStore
from svcdiag.diagnosis.reanalyse import recompute
from svcdiag.models.trend import TrendResult
from svcdiag.render import rich_report
from svcdiag.render.report_formats import RenderOptions, ReportFormat, render
from svcdiag.stats.analysis import nps_from_file
from svcdiag.stats.evidence import load_evidence

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _best(func: Callable[[], object], repeat: int = 3) -> float:
    return best_time(func, repeat)


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))


def _print(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print(_row(header, widths))
    for row in rows:
        print(_row(row, widths))


def _findings_with_answer(folder: Path, length: int) -> Path:
    answers = yaml.safe_load((EXAMPLES / "answers-healthy.yaml").read_text())
    answers["answers"]["biggest_problem"] = "word " * (length // 5)
    path = folder / f"answers-{length}.yaml"
    path.write_text(yaml.safe_dump(answers))
    out = folder / f"findings-{length}.yaml"
    run_assess(
        AssessRequest(answers=path, output=out),
        store=SessionStore(folder / "home"),
        interactive=False,
        make_prompter=lambda: None,  # type: ignore[arg-type,return-value]
        warn=lambda _message: None,
    )
    return out


def bench_long_answer(folder: Path) -> None:
    rows = []
    options = RenderOptions(width=80, color=False)
    for length in (100_000, 400_000, 1_600_000, 3_200_000):
        findings = recompute(_findings_with_answer(folder, length), None, []).findings
        cut = _best(lambda f=findings: render(f, ReportFormat.rich, options))
        with mock.patch.object(rich_report, "MAX_SHOWN", 10**9):
            whole = _best(lambda f=findings: render(f, ReportFormat.rich, options), repeat=1)
        markdown = _best(lambda f=findings: render(f, ReportFormat.markdown, options))
        rows.append(
            [f"{length:,}", f"{cut * 1000:.0f}", f"{whole * 1000:.0f}", f"{markdown * 1000:.0f}"]
        )
    _print(
        "Terminal report of findings with a long answer (ms)",
        ["answer chars", "rich, cut at 2,000", "rich, whole answer", "markdown"],
        rows,
    )


def _saved_trend(folder: Path, series: int, periods: int) -> Path:
    points = [
        {
            "period": f"{2000 + p // 12}-{p % 12 + 1:02d}",
            "n": 100,
            "events": 5,
            "value": 0.05,
            "lower": 0.0,
            "upper": 0.12,
            "signal": False,
        }
        for p in range(periods)
    ]
    data = {
        "chart": "p",
        "measure": "rate of complaints",
        "period": "month",
        "better": "lower",
        "stable": True,
        "summary": "Stable.",
        "series": [
            {"group": f"team {s}", "centre": 0.05, "stable": True, "summary": "Stable."}
            | {"points": points}
            for s in range(series)
        ],
    }
    path = folder / f"trend-{series}.json"
    path.write_text(json.dumps(data))
    return path


def _check_points(result: TrendResult) -> None:
    for series in result.series:
        for point in series.points:
            point.problem(result.chart)


def bench_trend_evidence(folder: Path) -> None:
    rows = []
    for series in (10, 100, 1_000):
        path = _saved_trend(folder, series, 24)
        loaded = load_evidence(path)
        assert isinstance(loaded, TrendResult)
        checked = _best(lambda p=path: load_evidence(p))
        check = _best(lambda r=loaded: _check_points(r))
        parsed = _best(lambda p=path: json.loads(p.read_text()))
        rows.append(
            [
                f"{series * 24:,}",
                f"{checked * 1000:.1f}",
                f"{check * 1000:.1f}",
                f"{parsed * 1000:.1f}",
            ]
        )
    _print(
        "Reading a saved trend back as evidence (ms)",
        ["points", "load_evidence", "of which the point check", "json.loads alone"],
        rows,
    )


def bench_header_break(folder: Path) -> None:
    rows = []
    for count in (100_000, 1_000_000):
        body = "".join(f"{i % 11},B{i % 50}\r\n" for i in range(count))
        plain = folder / f"plain-{count}.csv"
        plain.write_text("score,branch\r\n" + body, newline="")
        broken = folder / f"broken-{count}.csv"
        broken.write_text('score,"bra\nnch"\r\n' + body, newline="")
        one = _best(lambda p=plain: nps_from_file(p, by="branch"))
        two = _best(lambda p=broken: nps_from_file(p, by="bra\nnch"))
        rows.append([f"{count:,}", f"{one * 1000:.0f}", f"{two * 1000:.0f}"])
    _print(
        "nps --by over a CRLF export (ms)",
        ["rows", "one-line header", "header cell with a line break"],
        rows,
    )


def main() -> None:
    """Run every table."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bench_long_answer(folder)
        bench_trend_evidence(folder)
        bench_header_break(folder)


if __name__ == "__main__":
    main()

"""Benchmark: analysis and report rendering on the example answers, and `svcdiag report`.

Prints a table; asserts nothing. Run: python benchmarks/bench_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from timing import median_time  # benchmarks/timing.py

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.diagnosis import analyse
from svcdiag.diagnosis.reanalyse import read_findings
from svcdiag.models.findings import AnswersFile
from svcdiag.render.report_formats import BINARY_FORMATS, RenderOptions, ReportFormat, render
from svcdiag.source.yamlsource import load_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    loaded = load_questionnaire("diagnostic")
    answers = AnswersFile.model_validate(
        load_file(EXAMPLES / "answers-trained-demotivated.yaml").data
    ).answers
    findings = read_findings(EXAMPLES / "findings-trained-demotivated.yaml")
    ms = 1000 * median_time(
        lambda: analyse(loaded.questionnaire, loaded.catalogue, answers), args.repeat
    )
    rows: list[tuple[str, str]] = [("analyse (score, diagnose, recommend)", f"{ms:.2f} ms")]
    for fmt in ReportFormat:
        if fmt in BINARY_FORMATS:  # PDF: see bench_html.py
            continue
        ms = 1000 * median_time(
            lambda fmt=fmt: render(findings, fmt, RenderOptions(width=80)), args.repeat
        )
        rows.append((f"render {fmt.value}", f"{ms:.2f} ms"))
    command = [
        sys.executable,
        "-m",
        "svcdiag",
        "report",
        str(EXAMPLES / "findings-trained-demotivated.yaml"),
    ]
    for fmt in ("rich", "json"):
        ms = 1000 * median_time(
            lambda fmt=fmt: subprocess.run([*command, "-f", fmt], capture_output=True, check=False),
            max(3, args.repeat // 10),
        )
        rows.append((f"svcdiag report -f {fmt} (whole process)", f"{ms:.0f} ms"))

    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  median")
    print(f"{'-' * width}  ------")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()

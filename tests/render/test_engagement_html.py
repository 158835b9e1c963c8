"""``engagement report -f html|pdf``: the golden page, reading order, anonymity marks, escaping,
the command's files and refusals, and which modules it loads.

The page of the example engagement is also in the ``example_pages`` fixture,
so the self-containment, unique-id, HTML5-validator and real-browser tests
of ``tests/render`` check it with every other page.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import Respondents
from svcdiag.models.engagement import EngagementFile, EngagementQuestionnaire, Unit
from svcdiag.models.engagement_report import EngagementReport
from svcdiag.render import html_engagement
from svcdiag.render.engagement_formats import EngagementFormat, check_destination
from svcdiag.textsafe import for_terminal
from tests.engagement.conftest import SHIPPED_VERSION, make_people

from .conftest import ENGAGEMENT, MADE_ON, engagement_html, engagement_report, normalise
from .test_cli_html import HEAVY, _loaded_after, _run
from .test_html_report import CONTROLS, HOSTILE, Page, _order, check_golden

runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> EngagementReport:
    return engagement_report()


def test_example_matches_golden(example_pages: dict[str, str]) -> None:
    check_golden("engagement-report.html", normalise(example_pages["engagement-report"]))


def test_title_block_then_sections_in_reading_order(
    example_pages: dict[str, str], report: EngagementReport
) -> None:
    html = example_pages["engagement-report"]
    assert report.diagnosis is not None
    q = report.questionnaire
    markers = [
        "<h1>Brackenfield Home &amp; Garden Ltd</h1>",
        f"<dt>Date</dt><dd>{MADE_ON.isoformat()}</dd>",
        "<dt>Consultant</dt><dd>A. Consultant</dd>",
        f"<dt>Questionnaire</dt><dd>{q.title} ({q.id}, version {q.version})</dd>",
        f"<dt>Respondents</dt><dd>{report.respondents} ({report.interviews} interviews, "
        f"{report.survey_responses} survey responses)</dd>",
        f"<dt>Anonymity floor</dt><dd>{report.anonymity_floor} responses per group",
        f'<p class="sentence">{report.diagnosis.headline}</p>',
        'id="plan"',
        "<h3>First steps</h3>",
        "<h3>Next steps</h3>",
        'id="gaps"',
        'id="groups-heatmap"',
        'id="agreement"',
        'id="characteristics"',
        'id="data"',
        'id="participation"',
        'id="method"',
    ]
    found = _order(html, markers)
    assert found == sorted(found)
    text = Page(html).text
    # The largest gap in plain words, and the client data the engagement holds.
    largest = report.gaps[0].sentence
    assert " ".join(f"{largest[:1].upper()}{largest[1:]}.".split()) in text
    assert report.data_evidence and report.data_evidence[0] in text
    assert "LeBreton, J. M. and Senter, J. L. (2008)" in text


def test_the_example_shows_the_gap_and_a_system_verdict(report: EngagementReport) -> None:
    view = html_engagement.build_view(report)
    assert view["verdict"].css == "system"
    charts = view["gaps"]["charts"]
    assert [c["id"] for c in charts] == ["chart-gap-characteristic", "chart-gap-question"]
    for chart in charts:
        gaps = [float(row[3]) for row in chart["view"].rows]
        assert gaps == sorted(gaps, key=abs, reverse=True)  # largest first
        assert 0 < len(gaps) <= html_engagement.MAX_GAP_ROWS
    # leaders see the characteristics far better than the frontline does
    first = max(
        (g for g in report.gaps if g.kind == "characteristic"), key=lambda g: abs(g.difference)
    )
    row = charts[0]["view"].rows[0]
    assert row[:4] == (
        first.title,
        f"{first.leaders:.2f}",
        f"{first.frontline:.2f}",
        f"{first.difference:+.2f}",
    )
    assert first.difference > 0 and first.ci_low is not None and first.ci_low > 0


def test_heatmap_marks_suppressed_groups_and_missing_scores_apart(
    report: EngagementReport,
) -> None:
    shown = next(g for g in report.groups if g.dimension == "role" and not g.suppressed)
    first = report.characteristics[0].id
    assert shown.characteristics is not None
    missing = shown.model_copy(update={"characteristics": {**shown.characteristics, first: None}})
    groups = [missing if g.group == shown.group else g for g in report.groups]
    changed = report.model_copy(update={"groups": groups})
    heatmap = html_engagement.build_view(changed)["heatmap"]
    rows = {row[0]: row[1:] for row in heatmap.rows}
    for group in report.groups:
        if group.dimension not in ("all", "role", "unit"):
            continue
        cells = rows[html_engagement._short(group.label)]
        if group.suppressed:
            assert set(cells) == {"suppressed"}, group.group
        elif group.group == shown.group:
            assert cells[0] == "no data" and "suppressed" not in cells
        else:
            scores = group.characteristics or {}
            expected = [f"{scores[c.id]:.1f}" for c in report.characteristics]
            assert list(cells) == expected, group.group
    html = html_engagement.render_html(changed)
    assert '<g class="cell suppressed">' in html and '<g class="cell no_data">' in html


def test_agreement_lists_only_shown_groups_that_do_not_agree(report: EngagementReport) -> None:
    rows = html_engagement.build_view(report)["agreement"]
    labels = {g.label: g for g in report.groups}
    assert rows
    for label, _, rwg, band, _ in rows:
        assert not labels[label].suppressed
        assert float(rwg) < 0.70 and band


def empty_report() -> EngagementReport:
    """The report of an engagement nobody has answered yet."""
    engagement = EngagementFile(
        organisation="Nobody Yet Ltd",
        questionnaire=EngagementQuestionnaire(id="diagnostic", version=SHIPPED_VERSION),
    )
    return build_report(engagement, load_questionnaire("diagnostic"), Respondents(people=[]))


def test_an_engagement_without_respondents_says_so_without_charts() -> None:
    html = engagement_html(empty_report())
    text = Page(html).text
    assert "No verdict yet No respondents yet: nothing to diagnose." in text
    assert "no respondents yet: nothing to diagnose" in text  # the warning, in participation
    assert "<svg" not in html and 'id="plan"' not in html
    assert "must each reach the anonymity floor of 5 to be compared" in text


def _hostile_report() -> EngagementReport:
    engagement = EngagementFile(
        organisation=HOSTILE + CONTROLS,
        questionnaire=EngagementQuestionnaire(id="diagnostic", version=SHIPPED_VERSION),
        anonymity_floor=3,
        units=[Unit(id="a", name=HOSTILE + " A"), Unit(id="b", name=HOSTILE + " B")],
    )
    plan = [("frontline", "a", 4), ("frontline", "b", 4), ("manager", "a", 4), ("board", None, 1)]
    people = [
        replace(p, notes={"tools_work": HOSTILE + CONTROLS}) for p in make_people(plan, notes=True)
    ]
    return build_report(engagement, load_questionnaire("diagnostic"), Respondents(people=people))


def test_organisation_units_and_notes_full_of_markup_are_escaped() -> None:
    html = engagement_html(_hostile_report(), consultant=HOSTILE)
    page = Page(html)
    assert "script" not in page.tags
    assert all(not name.startswith("on") for _, name, _ in page.attributes)
    assert all("javascript:" not in value for _, _, value in page.attributes)
    assert "<script>" not in html and "&lt;script&gt;" in html
    # The hostile text reads back as text: title, consultant, units, notes.
    hostile = " ".join(HOSTILE.split())
    assert page.text.count(hostile) >= 6
    assert page.text.count(hostile + " A") >= 2  # unit in the tables
    assert "&amp;amp;" in html
    assert not any(c in html for c in "\x1b\x07\x00\x9b")


_REPORT = engagement_report()
_TAGS = sorted(Page(engagement_html(_REPORT)).tags)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_any_organisation_or_unit_name_stays_text(organisation: str, unit: str) -> None:
    groups = [
        g.model_copy(update={"label": unit}) if g.group == "unit:north" else g
        for g in _REPORT.groups
    ]
    changed = _REPORT.model_copy(update={"organisation": organisation, "groups": groups})
    html = engagement_html(changed)
    assert sorted(Page(html).tags) == _TAGS  # no element added, none broken
    heading = html[html.index("<h1>") + 4 : html.index("</h1>")]
    expected = " ".join(for_terminal(organisation).replace("\t", " ").split())
    assert Page(f"<p>{heading}</p>").text == expected


# The command: files, refusals, lazy imports.

FOLDER = str(ENGAGEMENT)


def test_html_to_stdout_and_to_a_file(tmp_path: Path, report: EngagementReport) -> None:
    assert report.diagnosis is not None
    shown = runner.invoke(app, ["engagement", "report", FOLDER, "-f", "html"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("<!DOCTYPE html>")
    assert report.diagnosis.headline in shown.stdout
    assert "<dt>Consultant</dt><dd>A. Consultant</dd>" in shown.stdout  # from engagement.yaml
    out = tmp_path / "report.html"
    written = runner.invoke(app, ["engagement", "report", FOLDER, "-f", "html", "-o", str(out)])
    assert written.exit_code == 0 and written.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert normalise(page) == normalise(shown.stdout)
    again = runner.invoke(app, ["engagement", "report", FOLDER, "-f", "html", "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert out.read_text(encoding="utf-8") == page


def test_pdf_without_weasyprint_says_what_to_install(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    code = (
        "import sys\nsys.modules['weasyprint'] = None\n"
        "from svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', 'engagement', 'report', {FOLDER!r}, '-f', 'pdf', "
        f"'-o', {str(out)!r}]\nmain()\n"
    )
    done = _run(code)
    assert done.returncode == 2, done.stderr
    assert "pip install 'svcdiag[pdf]'" in done.stderr and "Pango" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_pdf_is_never_printed_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from svcdiag.errors import UsageError

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(UsageError, match="binary file") as caught:
        check_destination(EngagementFormat.pdf, to_stdout=True)
    assert "--output" in (caught.value.hint or "")
    check_destination(EngagementFormat.html, to_stdout=True)  # text is fine on a terminal


@pytest.mark.parametrize("fmt", ["rich", "markdown", "json", "yaml"])
def test_other_formats_import_no_template_chart_or_pdf_code(fmt: str, tmp_path: Path) -> None:
    assert _loaded_after(["engagement", "report", FOLDER, "-f", fmt], tmp_path) == set()


def test_html_imports_jinja2_but_not_weasyprint(tmp_path: Path) -> None:
    loaded = _loaded_after(["engagement", "report", FOLDER, "-f", "html"], tmp_path)
    assert loaded == set(HEAVY) - {"weasyprint"}

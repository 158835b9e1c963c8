"""The engagement report as text (rich and markdown): the point first, units, marks, wording.

Each test reads what a user would read: the example engagement rendered at 80
columns, or the example's report with one thing changed.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.engagement.commands import report_of
from svcdiag.models.engagement_report import EngagementReport
from svcdiag.render import wording
from svcdiag.render.engagement_formats import EngagementFormat, render_engagement
from svcdiag.render.report_formats import RenderOptions
from tests.engagement.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "engagement"
runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> EngagementReport:
    return report_of(EXAMPLE)


@pytest.fixture(scope="module")
def rich(report: EngagementReport) -> str:
    return str(render_engagement(report, EngagementFormat.rich, RenderOptions(width=80)))


@pytest.fixture(scope="module")
def markdown(report: EngagementReport) -> str:
    return str(render_engagement(report, EngagementFormat.markdown))


def _section(text: str, title: str) -> str:
    """The lines of the rich section headed ``title``, up to the next heading rule."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title + " ─"))
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"^\S.* ─{3,}$", lines[i])),
        len(lines),
    )
    return "\n".join(lines[start + 1 : end])


def _headings(text: str) -> list[str]:
    return [line.split(" ─")[0] for line in text.splitlines() if re.match(r"^\S.* ─{3,}$", line)]


# --- 1. the point first ------------------------------------------------------------


def test_verdict_words_and_plan_come_before_the_tables(rich: str, markdown: str) -> None:
    heads = _headings(rich)
    assert heads[:5] == [
        "Engagement",
        "Verdict",
        "In the respondents' words",
        "The plan: first steps",
        "The plan: next steps",
    ]
    assert heads.index("Why this verdict") > heads.index("The plan: next steps")
    for later in ("Perception gaps: leaders against frontline and staff", "Groups"):
        assert heads.index(later) > heads.index("Why this verdict")
    md_heads = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert md_heads[:5] == heads[:5]


def test_the_verdict_is_one_sentence_with_its_confidence(
    rich: str, report: EngagementReport
) -> None:
    assert report.diagnosis is not None
    verdict = " ".join(_section(rich, "Verdict").split())
    assert verdict == (
        f"SYSTEM: {report.diagnosis.headline} "
        f"Confidence: {wording.confidence_text(report.diagnosis)}."
    )
    # the reasons are not on the first screen
    assert report.diagnosis.reasons[0][:30] not in rich.split("The plan: next steps")[0]


def test_each_plan_item_has_its_owner_why_and_the_answers_on_its_chief_causes(
    rich: str, markdown: str, report: EngagementReport
) -> None:
    first = " ".join(_section(rich, "The plan: first steps").split())
    following = " ".join(_section(rich, "The plan: next steps").split())
    assert wording.plan_intro(report.recommendations, report.diagnosis) in first
    titles = {f.id: f.title for f in report.factors}
    for rec in report.recommendations:
        where = first if rec.step.value == "first" else following
        assert f"{rec.rank}. {rec.title}" in where
        assert wording.owner_text(rec) in where
        assert " ".join(rec.rationale.split()) in where
        for trigger in rec.triggers:
            if trigger.factor in rec.chief_factors:
                assert f"{trigger.text} Answer: {trigger.answer_text}" in where
        if rec.triggers:
            chief = ", ".join(titles[f] for f in rec.chief_factors)
            assert f"Answers on its chief causes ({chief}):" in where
    item = next(r for r in report.recommendations if r.triggers)
    assert f"{item.rank}. **{item.title}**" in markdown
    assert f"   - {item.triggers[0].text}" in markdown


def test_the_first_screen_holds_the_first_steps(rich: str, report: EngagementReport) -> None:
    first = next(r for r in report.recommendations if r.step.value == "first")
    lines = rich.splitlines()
    at = next(i for i, line in enumerate(lines) if f"{first.rank}. {first.title}" in line)
    assert at < 50


def test_training_by_level_follows_the_plan_when_the_plan_holds_training(
    report: EngagementReport,
) -> None:
    assert not any(r.is_training for r in report.recommendations)
    assert "Training by level" not in str(render_engagement(report, EngagementFormat.rich))
    recs = list(report.recommendations)
    recs[-1] = recs[-1].model_copy(update={"is_training": True})
    trained = report.model_copy(update={"recommendations": recs})
    text = str(render_engagement(trained, EngagementFormat.rich, RenderOptions(width=80)))
    heads = _headings(text)
    assert heads.index("Training by level") == heads.index("The plan: next steps") + 1
    assert "From the top down" in _section(text, "Training by level")


# --- 2. perception gaps say their scale ---------------------------------------------


def test_gap_tables_are_grouped_by_scale_with_units_in_the_heads(rich: str, markdown: str) -> None:
    gaps = _section(rich, "Perception gaps: leaders against frontline and staff")
    assert "Yes/no questions: share answering yes" in gaps
    assert "Statements: mean answer, 1 (strongly disagree) to 5 (strongly agree)" in gaps
    assert "Factors and characteristics: score, 0 (a likely cause) to 100" in gaps
    assert "| item | leaders (% yes) | frontline (% yes) | difference (points) |" in markdown
    assert "| item | leaders (1-5) | frontline (1-5) | difference |" in markdown
    assert "| item | leaders (0-100) | frontline (0-100) | difference |" in markdown
    # a likert row sits under the likert heads, not under the yes/no ones
    statements = markdown.split("| item | leaders (1-5) |")[1].split("**")[0]
    assert "Sales or upselling targets" in statements and "Net Promoter" not in statements


def test_a_gap_without_variance_has_no_interval(rich: str, markdown: str) -> None:
    assert "+100.00 to +100.00" not in rich and "+100.00 to +100.00" not in markdown
    assert "no interval (no variance) |" in markdown
    assert "no interval (no" in rich


def test_every_json_gap_says_its_scale(report: EngagementReport) -> None:
    data = json.loads(str(render_engagement(report, EngagementFormat.json)))
    kinds = {g["kind"] for g in data["gaps"]}
    assert kinds == {"question", "characteristic", "factor"}
    expected = {"yes_share", "likert", "scale", "score"}
    assert all(g["scale"] in expected for g in data["gaps"])
    assert all(g["scale"] == "score" for g in data["gaps"] if g["kind"] != "question")


# --- 3 and 4. agreement: titles, one threshold, no mark without a score ------------------


def test_agreement_names_factors_by_title_and_wraps_between_words(
    rich: str, report: EngagementReport
) -> None:
    table = _section(rich, "Agreement within groups")
    assert "leadership_commitment" not in table and "leadership_commitme" not in table
    assert "Visible leadership" in table
    cells = [c.strip() for line in table.splitlines() for c in line.split("│")]
    words = {w for f in report.factors for w in f.title.split()}
    factor_column = [line.split("│")[1].strip() for line in table.splitlines() if "│" in line]
    for cell in factor_column:
        for word in cell.split():
            assert word in words, (word, cells)


def test_the_mark_and_the_band_tell_one_story(rich: str, report: EngagementReport) -> None:
    legend = " ".join(_section(rich, "Cause factors by group").split())
    assert "r_wg(J) below 0.70, the threshold for a shared view" in legend
    assert "moderate agreement" in legend
    intro = " ".join(_section(rich, "Agreement within groups").split())
    assert "at least 0.70" in intro and "moderate agreement" in intro
    # the example has a group at 0.67, "moderate", marked as not shared
    assert any(not a.shared and a.band == "moderate agreement" for a in report.agreement)


def test_a_cell_without_a_score_is_never_marked(rich: str, markdown: str) -> None:
    assert f"{wording.NO_SCORE}~" not in rich and f"{wording.NO_SCORE}~" not in markdown
    assert "~" in _section(rich, "Cause factors by group")


# --- 5. the groups that matter first ------------------------------------------------


def test_frontline_is_shown_and_the_groups_come_in_order(markdown: str) -> None:
    heads = [
        line
        for line in markdown.splitlines()
        if line.startswith(("| characteristic |", "| factor |")) and "(n=" in line
    ]
    # one table each: the units are suppressed in the example (the two leaders outside
    # retail would follow from leaders, retail and the workforce in retail)
    assert len(heads) == 2
    first = heads[0]
    order = [
        "Everyone (n=28)",
        "Leaders (board and managers) (n=8)",
        "Frontline and staff (n=20)",
        "Frontline (n=14)",
        "Staff (n=6)",
    ]
    positions = [first.index(label) for label in order]
    assert positions == sorted(positions)
    assert "Retail stores (n=" not in markdown and "North store (n=" not in markdown


def test_the_report_fits_80_columns(rich: str) -> None:
    assert max(len(line) for line in rich.splitlines()) <= 80


# --- 6. plan owners in words ----------------------------------------------------------


def test_no_raw_level_id_in_the_plan(rich: str, markdown: str) -> None:
    for text in (rich, markdown):
        assert "all_staff" not in text
    assert "Owner: managers, for all staff" in " ".join(rich.split())


# --- 7. Cronbach's alpha ----------------------------------------------------------------


def test_a_low_or_negative_alpha_is_explained(rich: str, report: EngagementReport) -> None:
    low = next(r for r in report.reliability if r.alpha is not None and r.alpha < 0)
    section = " ".join(_section(rich, "Questionnaire check: Cronbach's alpha").split())
    assert f"{low.alpha:.2f} (low)" in section
    assert (
        f"{low.title} (alpha {low.alpha:.2f}): the questions of this characteristic do not "
        "hang together for these respondents." in section
    )
    assert "A negative alpha means" in section
    good = next(r for r in report.reliability if r.alpha is not None and r.alpha >= 0.7)
    assert f"{good.title} (alpha" not in section


# --- 8. suppression in plain words ------------------------------------------------------


def test_suppressed_groups_name_the_group_they_count_in(markdown: str) -> None:
    assert "| Customer support | suppressed | suppressed: counted in Everyone |" in markdown
    assert "counted in all" not in markdown and "counted in leaders" not in markdown
    assert (
        "The shown ones are listed in the json and yaml output; suppressed groups carry "
        "no values anywhere." in markdown
    )


# --- 9. no trailing spaces when piped; the status table ----------------------------------


@pytest.mark.parametrize("command", ["report", "status"])
def test_piped_output_has_no_trailing_spaces(command: str) -> None:
    result = runner.invoke(app, ["engagement", command, str(EXAMPLE)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if line != line.rstrip()] == []


def test_status_heads_every_column_and_keeps_its_notes_whole() -> None:
    result = runner.invoke(app, ["engagement", "status", str(EXAMPLE)])
    head = next(line for line in result.stdout.splitlines() if line.startswith("role"))
    assert [c.strip() for c in head.split("┃")] == [
        "role",
        "unit",
        "answered",
        "headcount",
        "share",
        "note",
    ]
    assert "below the floor" in result.stdout
    assert all(not line.rstrip().endswith("below the") for line in result.stdout.splitlines())


# --- 10. a note quoted once --------------------------------------------------------------


def test_the_same_note_twice_is_quoted_once_with_a_count(report: EngagementReport) -> None:
    note = next(c for c in report.comments if c.kind == "note")
    twice = report.model_copy(update={"comments": [note, *report.comments]})
    for fmt in (EngagementFormat.rich, EngagementFormat.markdown):
        text = " ".join(str(render_engagement(twice, fmt, RenderOptions(width=200))).split())
        assert text.count(f'"{note.words}"') == 1
        assert f'"{note.words}" (2 respondents)' in text
    once = " ".join(str(render_engagement(report, EngagementFormat.markdown)).split())
    assert f'"{note.words}" (' not in once

"""The engagement report as one self-contained HTML page (``engagement report -f html``).

:func:`build_view` turns an :class:`~svcdiag.models.engagement_report.EngagementReport`
into plain values in the order a client reads them: the title block, the
verdict, the respondents' words, the plan, training by level, the perception
gaps between leaders and the frontline, a heatmap of groups by
characteristic, where groups do not agree, the ten characteristics for
everyone, cause factors, client data, participation and coverage, and the
method. ``templates/engagement.html.j2`` lays them out with the macros, CSS
and page frame of the findings report; the PDF format prints this page.

Anonymity holds here as in every format: a suppressed group appears only by
its name and the word "suppressed", never with a count or a score, and a
group nobody is in is not listed ("no data" in the heatmap is a score that
too few questions inform).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from svcdiag.diagnosis.training_plan import training_plan
from svcdiag.models.analysis import PlanStep
from svcdiag.models.engagement_report import EngagementReport, Gap, GroupResult
from svcdiag.render import engagement_sections, html_evidence, html_report, svg, wording
from svcdiag.render.html_templates import render_template

SUPPRESSED = "suppressed"
#: Largest gaps drawn in each gap chart, and gaps told in plain words.
MAX_GAP_ROWS = 10
MAX_GAP_WORDS = 5
MAX_COMMENTS = 20
#: The scale of each gap chart, its title and what its points are.
GAP_CHARTS = (
    ("score", "characteristic", "Benchmark characteristics: leaders versus frontline (0 to 100)"),
    ("likert", "question", "Statements: leaders versus frontline (answers 1 to 5)"),
)

METHOD = (
    "Every respondent answered the same questionnaire: interviews with the consultant and "
    "the staff survey. Their answers are pooled per group (a role, a unit, a role within a "
    "unit) and over everyone, and the one diagnosis and plan are made from the pooled "
    "scores by the same code that reads a single findings file.",
    "A perception gap is the leaders' mean (board and managers) minus the mean of the "
    "frontline and staff, with a 95 % interval by Welch's method, which does not assume the "
    "two groups vary alike. A gap whose interval excludes zero is called clear. A gap "
    "between leaders and the frontline is itself evidence about the system: how far leaders "
    "are from the work and how well they listen.",
    "Before a group's mean is read as a shared view, agreement within the group is checked "
    "with r_wg (one question) or r_wg(J) (several), against the spread that random answers "
    "would give, and read in LeBreton and Senter's bands. Below 0.70 the group does not "
    "agree, and its mean is reported as such. Cronbach's alpha checks, with ten or more "
    "respondents, that the questions behind a characteristic hang together.",
    "Anonymity is enforced, not advised: a group with fewer responses than the floor is "
    "suppressed (its people still count in the larger group above it), and more groups are "
    "suppressed until no set of fewer than the floor people can be worked out by adding and "
    "subtracting the groups shown, across roles, units and roles within units. The floor "
    "holds per question and per score too: a score or a gap that fewer than the floor of a "
    "group answered is suppressed. Free-text answers are quoted only for groups at or above "
    "the comment floor, and interview notes without names.",
)
REFERENCES = (
    "James, L. R., Demaree, R. G. and Wolf, G. (1984). Estimating within-group interrater "
    "reliability with and without response bias. Journal of Applied Psychology 69(1), 85-98.",
    "LeBreton, J. M. and Senter, J. L. (2008). Answers to 20 questions about interrater "
    "reliability and interrater agreement. Organizational Research Methods 11(4), 815-852.",
    'Welch, B. L. (1947). The generalization of "Student\'s" problem when several different '
    "population variances are involved. Biometrika 34(1-2), 28-35.",
    "Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. "
    "Psychometrika 16(3), 297-334.",
)


@dataclass(frozen=True)
class Options:
    """What is not in the report itself: the day the page is made and the consultant."""

    made_on: date = field(default_factory=date.today)
    consultant: str | None = None


def _meta(report: EngagementReport, options: Options) -> list[tuple[str, str]]:
    q = report.questionnaire
    rows = [("Date", options.made_on.isoformat())]
    if options.consultant:
        rows.append(("Consultant", options.consultant))
    rows += [
        ("Questionnaire", f"{q.title or q.id} ({q.id}, version {q.version})"),
        (
            "Respondents",
            f"{report.respondents} ({report.interviews} interviews, "
            f"{report.survey_responses} survey responses)",
        ),
        (
            "Anonymity floor",
            f"{report.anonymity_floor} responses per group shown (free text: "
            f"{report.comment_floor})",
        ),
    ]
    return rows


def _plan(report: EngagementReport) -> html_report.PlanView | None:
    if report.diagnosis is None:
        return None
    titles = {f.id: f.title for f in report.factors}
    items = report.recommendations
    summary = wording.training_summary(items)
    if not report.diagnosis.major_problem and items:
        summary += " None is urgent: they would strengthen what already works."
    return html_report.PlanView(
        summary=summary,
        first=[html_report.step_view(r, titles) for r in items if r.step is PlanStep.first],
        next=[html_report.step_view(r, titles) for r in items if r.step is PlanStep.next],
    )


def _gap_item(gap: Gap) -> svg.GapItem:
    return svg.GapItem(
        gap.title, gap.leaders, gap.frontline, gap.difference, gap.ci_low, gap.ci_high
    )


def _gaps(report: EngagementReport) -> dict[str, Any]:
    charts = []
    for scale, kind, title in GAP_CHARTS:
        items = [g for g in report.gaps if g.scale == scale and g.kind == kind]
        if items:
            largest = sorted(items, key=lambda g: -abs(g.difference))[:MAX_GAP_ROWS]
            view = html_evidence.gap_view([_gap_item(g) for g in largest], title=title)
            charts.append({"id": f"chart-gap-{kind}", "view": view})
    words = [g.sentence[:1].upper() + g.sentence[1:] + "." for g in report.gaps[:MAX_GAP_WORDS]]
    return {
        "charts": charts,
        "words": words,
        "compared": len(report.gaps),
        "suppressed": engagement_sections.suppressed_gaps_text(report),
    }


def _short(label: str) -> str:
    """A group's label without its explanation in brackets, to fit a heatmap row."""
    return label.split(" (", 1)[0] if not label.startswith("(") else label


def _heatmap(report: EngagementReport) -> html_evidence.ChartView | None:
    groups = [g for g in report.groups if g.dimension in ("all", "role", "unit")]
    if not groups or not report.characteristics:
        return None
    values = []
    for group in groups:
        scores = group.characteristics or {}
        row = []
        for item in report.characteristics:
            hidden = (group.suppressed_scores or {}).get("characteristics", [])
            if group.suppressed or item.id in hidden:
                row.append(svg.HeatInput(None, "suppressed"))
            elif scores.get(item.id) is None:
                row.append(svg.HeatInput(None, "no_data"))
            else:
                row.append(svg.HeatInput(scores[item.id]))
        values.append(row)
    return html_evidence.heatmap_view(
        [_short(g.label) for g in groups],
        [(str(c.number), c.title) for c in report.characteristics],
        values,
    )


def _status(group: GroupResult, labels: dict[str, str]) -> str:
    if not group.suppressed:
        return "shown"
    if group.merged_into:
        return f"{SUPPRESSED}: counted in {labels.get(group.merged_into, group.merged_into)}"
    return SUPPRESSED


def _groups(report: EngagementReport) -> dict[str, Any]:
    listed = [g for g in report.groups if g.dimension in ("all", "role", "unit")]
    cells = [g for g in report.groups if g.dimension == "role_unit"]
    hidden = sum(1 for g in cells if g.suppressed)
    labels = {g.group: g.label for g in report.groups}
    return {
        "rows": [
            (g.label, SUPPRESSED if g.suppressed else str(g.n), _status(g, labels)) for g in listed
        ],
        "cells": f"Role within unit: {len(cells) - hidden} groups shown, {hidden} suppressed."
        if cells
        else "",
    }


def _agreement(report: EngagementReport) -> list[tuple[str, ...]] | None:
    if report.diagnosis is None:
        return None
    shown = {
        g.group: g.label
        for g in report.groups
        if g.dimension in ("all", "role") and not g.suppressed
    }
    titles = {f.id: f.title for f in report.factors}
    return [
        (shown[a.group], titles.get(a.factor, a.factor), f"{a.rwg:.2f}", a.band, str(a.items))
        for a in report.agreement
        if a.group in shown and not a.shared
    ]


def build_view(report: EngagementReport, options: Options | None = None) -> dict[str, Any]:
    """The values ``engagement.html.j2`` lays out, in reading order."""
    options = options or Options()
    d = report.diagnosis
    steps = training_plan(report.recommendations, report.factors) if d is not None else []
    return {
        "page_title": f"Service diagnosis, engagement: {report.organisation}",
        "organisation": report.organisation,
        "meta": _meta(report, options),
        "verdict": html_report.verdict_view(d) if d is not None else None,
        "comments": [
            {"words": c.words, "text": c.text, "kind": c.kind}
            for c in report.comments[:MAX_COMMENTS]
        ],
        "comment_floor": report.comment_floor,
        "plan": _plan(report),
        "training": html_report.training_view(steps, report.recommendations),
        "gaps": _gaps(report),
        "anonymity_floor": report.anonymity_floor,
        "heatmap": _heatmap(report),
        "agreement": _agreement(report),
        "characteristics": html_report.characteristics_view(report.characteristics)
        if d is not None
        else None,
        "factors": html_report.factor_rows(report.factors) if d is not None else [],
        "data_intro": wording.DATA_INTRO,
        "evidence": list(report.data_evidence),
        "groups": _groups(report),
        "coverage": html_report.coverage_view(report.coverage) if report.coverage else None,
        "reliability": [
            (r.title, str(r.items), str(r.n), "—" if r.alpha is None else f"{r.alpha:.2f}")
            for r in report.reliability
        ],
        "warnings": list(report.warnings),
        "method": {
            "paragraphs": METHOD + html_report.METHOD,
            "references": REFERENCES + html_report.REFERENCES,
        },
        "footer_text": f"Questionnaire {report.questionnaire.id} "
        f"version {report.questionnaire.version}.",
        "made_on": options.made_on.isoformat(),
    }


def render_html(report: EngagementReport, options: Options | None = None) -> str:
    """Return the engagement report as one HTML document."""
    return render_template("engagement.html.j2", **build_view(report, options))

"""The findings report as one self-contained HTML file (``--format html``).

:func:`build_view` turns findings into plain values in the order a client
reads them (verdict, their own words, the plan, training by level, the ten
characteristics, Gilbert's cells, cause factors, data, coverage, method);
``templates/report.html.j2`` lays them out with inline CSS and SVG charts. The
page loads nothing, runs no script and prints with a page break before each
major section. The PDF format prints this same page.

Two slots wait for other results: ``engagement`` (an :class:`EngagementView`
with the leaders-versus-frontline gap chart and the heatmap of groups, built
with :mod:`.html_evidence`) and ``trends`` in the view (control charts over
time from an attached ``svcdiag trend`` result, built with :mod:`.html_trend`),
both drawn in the data section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from svcdiag.diagnosis.diagnose import HEALTHY_AT
from svcdiag.models.analysis import (
    CharacteristicScore,
    Coverage,
    Diagnosis,
    FactorScore,
    PlanStep,
    Quote,
    Recommendation,
    TrainingLevel,
    TrainingStep,
    Verdict,
)
from svcdiag.models.catalogue import ENVIRONMENT_CELLS, INDIVIDUAL_CELLS
from svcdiag.models.findings import DataEvidence, Findings
from svcdiag.render import html_evidence, html_trend, svg, wording
from svcdiag.render.html_templates import render_template

TRAINING_TITLES = {
    TrainingLevel.board: "Board",
    TrainingLevel.managers: "Managers",
    TrainingLevel.all_staff: "All staff",
    TrainingLevel.frontline: "Frontline",
    TrainingLevel.continuous_review: "Continuous review",
}

METHOD = (
    "Each answer is read as evidence, in both directions, about named cause factors and the "
    "ten benchmark characteristics. A score is the weighted mean of that evidence from 0 to "
    f'100; {HEALTHY_AT:.0f} or more counts as healthy. "Don\'t know" and skipped questions '
    "give no evidence at all and never count as zero.",
    "Every cause factor belongs to one of Gilbert's six cells. The verdict weighs the "
    "environment the organisation provides (information, instrumentation, incentives) "
    "against what individuals bring (knowledge, capacity, motives), and how far the problem "
    "reaches: a problem across the organisation is read as the system's, whatever the "
    "answers about attitude say; individual causes are found only when the problem is "
    "limited to a few people and the environment is healthy.",
    "Interventions are ranked by the evidence-weighted need they meet. Training keeps its "
    "place only where the answers show a real gap in skill or knowledge (Mager and Pipe); "
    "otherwise feedback, practice, clearer expectations, tools or consequences come first.",
    "Client data, where attached, weigh beside the answers: a funnel analysis tells one "
    "system's spread between units from units that differ beyond it, and NPS is given with "
    "its interval.",
)
REFERENCES = (
    "Gilbert, T. F. (1978). Human Competence: Engineering Worthy Performance. McGraw-Hill.",
    "Mager, R. F. and Pipe, P. (1997). Analyzing Performance Problems, 3rd edition. "
    "Center for Effective Performance.",
    "Deming, W. E. (1986). Out of the Crisis. MIT Center for Advanced Engineering Study.",
    "Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. "
    "Statistics in Medicine 24, 1185-1202.",
    "Rocks, B. (2016). Interval estimation for the Net Promoter Score. The American "
    "Statistician 70(4), 365-372.",
)


@dataclass(frozen=True)
class VerdictView:
    """The verdict in one sentence, with its meaning, confidence and reasons."""

    css: str
    label: str
    sentence: str
    meaning: str
    confidence: str
    reasons: list[str]


@dataclass(frozen=True)
class StepView:
    """One recommendation as a plan step."""

    rank: int
    title: str
    owner: str
    effort: str
    is_training: bool
    why: str
    chief: list[str]
    triggers: list[Any]


@dataclass(frozen=True)
class PlanView:
    """First steps, then next steps."""

    summary: str
    first: list[StepView]
    next: list[StepView]


@dataclass(frozen=True)
class EvidenceItem:
    """One attached data result."""

    kind: str
    source: str
    summary: str
    view: html_evidence.VariationView | html_evidence.NpsView | None


@dataclass(frozen=True)
class TrendEvidence:
    """An attached ``svcdiag trend`` result: a control chart per series."""

    source: str
    summary: str
    views: list[html_trend.TrendView]
    note: str = ""


@dataclass
class EngagementView:
    """The engagement charts, filled in by an engagement report."""

    gap: html_evidence.ChartView | None = None
    heatmap: html_evidence.ChartView | None = None


@dataclass(frozen=True)
class Options:
    """What varies between runs and is not in the findings: the day the file is made."""

    made_on: date = field(default_factory=date.today)


def verdict_label(verdict: Verdict) -> str:
    """The verdict's name for people (also for verdicts the wording module does not name)."""
    return wording.VERDICT_LABELS.get(verdict, verdict.value.replace("_", " ").capitalize())


def _verdict(diagnosis: Diagnosis) -> VerdictView:
    try:
        meaning = wording.verdict_meaning(diagnosis)
    except KeyError:
        meaning = diagnosis.verdict.value.replace("_", " ")
    return VerdictView(
        css=diagnosis.verdict.value,
        label=verdict_label(diagnosis.verdict),
        sentence=diagnosis.headline,
        meaning=meaning[:1].upper() + meaning[1:],
        confidence=wording.confidence_text(diagnosis),
        reasons=list(diagnosis.reasons),
    )


def _step(rec: Recommendation, titles: dict[str, str]) -> StepView:
    owner = rec.owner or rec.level
    return StepView(
        rank=rec.rank,
        title=rec.title,
        owner=wording.LEVEL_LABELS[owner].capitalize()
        + ("" if owner is rec.level else f", for {wording.LEVEL_WORDS_FOR[rec.level]}"),
        effort=rec.effort.value.capitalize(),
        is_training=rec.is_training,
        why=rec.rationale,
        chief=[titles.get(f, f) for f in rec.chief_factors],
        triggers=list(rec.triggers),
    )


def _plan(findings: Findings) -> PlanView | None:
    items = findings.recommendations
    if items is None:
        return None
    titles = {f.id: f.title for f in findings.factors or []}
    summary = wording.training_summary(items)
    diagnosis = findings.diagnosis
    if diagnosis is not None and not diagnosis.major_problem and items:
        summary += " None is urgent: they would strengthen what already works."
    return PlanView(
        summary=summary,
        first=[_step(r, titles) for r in items if r.step is PlanStep.first],
        next=[_step(r, titles) for r in items if r.step is PlanStep.next],
    )


def _quote_view(quote: Quote, findings: Findings) -> dict[str, str]:
    answer = ""
    if quote.kind == "note":
        for rec in findings.recommendations or []:
            for trigger in rec.triggers:
                if trigger.question == quote.question:
                    answer = trigger.answer_text
        if not answer and quote.question in findings.answers:
            value = findings.answers[quote.question]
            answer = ", ".join(value) if isinstance(value, list) else str(value)
    return {"words": quote.words, "text": quote.text, "kind": quote.kind, "answer": answer}


def _training(steps: list[TrainingStep], findings: Findings) -> list[dict[str, Any]]:
    return training_view(steps, findings.recommendations or [])


def training_view(
    steps: list[TrainingStep], recommendations: list[Recommendation]
) -> list[dict[str, Any]]:
    """The training plan by level, naming each step's interventions by title."""
    titles = {r.intervention: r.title for r in recommendations}
    return [
        {
            "title": step.title or TRAINING_TITLES[step.level],
            "key_issue": step.key_issue,
            "needed": step.needed,
            "interventions": [titles.get(i, i) for i in step.interventions],
            "reasons": list(step.reasons),
        }
        for step in steps
    ]


def _characteristics(findings: Findings) -> dict[str, Any] | None:
    return characteristics_view(findings.characteristics or [])


def characteristics_view(items: list[CharacteristicScore]) -> dict[str, Any] | None:
    """The bar chart of the ten characteristics, its accessible text and its table."""
    if not items:
        return None
    chart = svg.bar_chart(
        [(f"{c.number}. {c.title}", c.score) for c in items], healthy_at=HEALTHY_AT
    )
    weak = [c for c in items if c.score is not None and c.score < HEALTHY_AT]
    desc = (
        f"Horizontal bars, one per characteristic, from 0 to 100. {len(weak)} of {len(items)} "
        f"score below {HEALTHY_AT:.0f}"
        + (f"; the weakest is {min(weak, key=lambda c: c.score or 0).title}." if weak else ".")
    )
    rows = [
        (
            f"{c.number}. {c.title}",
            wording.score_text(c.score),
            svg.BAND_WORDS[svg.band(c.score, HEALTHY_AT)],
            str(c.answered),
        )
        for c in items
    ]
    return {
        "chart": chart,
        "title": "The ten benchmark characteristics, scored 0 to 100",
        "desc": desc,
        "rows": rows,
    }


def _gilbert(findings: Findings) -> list[dict[str, Any]]:
    if not findings.gilbert:
        return []
    by_cell = {g.cell: g for g in findings.gilbert}
    sides = []
    for label, note, cells in (
        ("Environment", "what the organisation provides", ENVIRONMENT_CELLS),
        ("Individual", "what people bring", INDIVIDUAL_CELLS),
    ):
        views = []
        for cell in cells:
            found = by_cell.get(cell)
            score = found.score if found else None
            which = svg.band(score, HEALTHY_AT)
            views.append(
                {
                    "label": wording.CELL_LABELS[cell],
                    "meaning": wording.CELL_MEANINGS[cell],
                    "score": wording.score_text(score),
                    "band": which,
                    "band_word": svg.BAND_WORDS[which].capitalize(),
                    "answers": wording.answers_text(found.answered if found else 0),
                }
            )
        sides.append({"label": label, "note": note, "cells": views})
    return sides


def _factors(findings: Findings) -> list[tuple[str, ...]]:
    return factor_rows(findings.factors or [])


def factor_rows(factors: list[FactorScore]) -> list[tuple[str, ...]]:
    """Cause factors, weakest first: title, Gilbert cell and kind, score in words."""
    return [
        (
            f.title,
            f"{wording.CELL_LABELS[f.gilbert]} ({f.kind.value})",
            f"{wording.score_text(f.score)} {svg.BAND_WORDS[svg.band(f.score, HEALTHY_AT)]} "
            f"({wording.answers_text(f.answered)})",
        )
        for f in wording.weakest_first(factors)
    ]


def _evidence(items: list[DataEvidence]) -> list[EvidenceItem]:
    views = []
    for item in items:
        if item.trend is not None:
            continue  # drawn by _trends
        view: html_evidence.VariationView | html_evidence.NpsView | None = None
        if item.variation is not None:
            view = html_evidence.variation_view(item.variation)
        elif item.nps is not None:
            view = html_evidence.nps_view(item.nps)
        views.append(EvidenceItem(item.kind, item.source, item.summary, view))
    return views


def _trends(items: list[DataEvidence]) -> list[TrendEvidence]:
    """Control charts of the attached trends, one per series."""
    trends = []
    for item in items:
        if item.trend is not None:
            views, note = html_trend.series_views(item.trend)
            trends.append(TrendEvidence(item.source, item.summary, views, note))
    return trends


def _coverage(coverage: Coverage) -> dict[str, Any]:
    rows = [
        (m.text, wording.MISSING_LABELS[m.reason] + (f": {m.detail}" if m.detail else ""))
        for m in coverage.missing
    ]
    return {"summary": wording.coverage_summary(coverage), "rows": rows}


def build_view(
    findings: Findings,
    options: Options | None = None,
    engagement: EngagementView | None = None,
) -> dict[str, Any]:
    """The values ``report.html.j2`` lays out, in reading order."""
    options = options or Options()
    triage = findings.triage
    return {
        "page_title": f"Service diagnosis: {findings.organisation}",
        "organisation": findings.organisation,
        "meta": [row for row in wording.header_rows(findings) if row[0] != "Organisation"],
        "verdict": _verdict(findings.diagnosis) if findings.diagnosis else None,
        "quotes": [_quote_view(q, findings) for q in findings.client_words or []],
        "triage": None
        if triage is None
        else {
            "title": triage.title,
            "reasons": triage.reasons,
            "rows": [(r.title, r.question, r.answer_text) for r in triage.routes]
            if len(triage.routes) > 1
            else [],
        },
        "plan": _plan(findings),
        "training": _training(findings.training_plan or [], findings),
        "characteristics": _characteristics(findings),
        "gilbert": _gilbert(findings),
        "factors": _factors(findings),
        "data_intro": wording.DATA_INTRO,
        "evidence": _evidence(findings.data_evidence or []),
        "trends": _trends(findings.data_evidence or []),
        "engagement": engagement,
        "coverage": _coverage(findings.coverage) if findings.coverage else None,
        "method": {"paragraphs": METHOD, "references": REFERENCES},
        "footer_text": f"Questionnaire {findings.questionnaire.id} "
        f"version {findings.questionnaire.version}.",
        "made_on": options.made_on.isoformat(),
    }


def render_html(
    findings: Findings,
    options: Options | None = None,
    engagement: EngagementView | None = None,
) -> str:
    """Return the report of ``findings`` as one HTML document."""
    return render_template("report.html.j2", **build_view(findings, options, engagement))


#: Parts of the page shared with the engagement report (:mod:`.html_engagement`).
verdict_view = _verdict
step_view = _step
coverage_view = _coverage

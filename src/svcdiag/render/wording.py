"""The words every report format shares: labels, headings, summaries, bars.

Keeping them here means the terminal report and the Markdown report say the
same thing in the same words; each renderer only decides the layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from svcdiag.models.findings import DataEvidence

from collections.abc import Sequence

from svcdiag.diagnosis.diagnose import HEALTHY_AT
from svcdiag.diagnosis.score import MIN_ANSWERS
from svcdiag.models.analysis import Coverage, Diagnosis, FactorScore, Recommendation, Verdict
from svcdiag.models.catalogue import GilbertCell, Level
from svcdiag.models.findings import Findings

#: Shown in place of a score that rests on too few answers.
NO_SCORE = "—"

VERDICT_LABELS = {
    Verdict.system: "System",
    Verdict.mixed: "Mixed",
    Verdict.individual: "Individual",
    Verdict.healthy: "Healthy",
    Verdict.undetermined: "Undetermined",
}

VERDICT_MEANINGS = {
    Verdict.system: "mostly organisation-wide causes (management, process, tools, measures, "
    "incentives)",
    Verdict.mixed: "both organisation-wide causes and causes in some individuals",
    Verdict.individual: "mostly causes in a few individuals (skill, fit, attitude)",
    Verdict.healthy: "no major service problem",
    Verdict.undetermined: "too little is known yet to tell system from individual causes",
}

OWNER_LABELS = {
    Level.board: "the board",
    Level.managers: "managers",
    Level.all_staff: "all staff",
    Level.frontline: "frontline staff",
    Level.individual: "the named individuals",
}

LEVEL_WORDS_FOR = {
    Level.board: "the board",
    Level.managers: "managers",
    Level.all_staff: "all staff",
    Level.frontline: "frontline staff",
    Level.individual: "the people concerned",
}

STEP_HEADINGS = {"first": "First steps", "next": "Next steps"}

LEVEL_LABELS = {
    Level.board: "board",
    Level.managers: "managers",
    Level.all_staff: "all staff",
    Level.frontline: "frontline",
    Level.individual: "individuals",
}

CELL_LABELS = {
    GilbertCell.information: "Information",
    GilbertCell.instrumentation: "Instrumentation",
    GilbertCell.incentives: "Incentives",
    GilbertCell.knowledge: "Knowledge",
    GilbertCell.capacity: "Capacity",
    GilbertCell.motives: "Motives",
}

CELL_MEANINGS = {
    GilbertCell.information: "expectations, guidance, feedback",
    GilbertCell.instrumentation: "tools, processes, resources",
    GilbertCell.incentives: "recognition, involvement, consequences",
    GilbertCell.knowledge: "skill and knowledge",
    GilbertCell.capacity: "fit to the role",
    GilbertCell.motives: "motivation and attitude",
}

HOW_TO_READ = (
    f"Scores run from 0 (a likely cause of poor service) to 100 (healthy); "
    f"{HEALTHY_AT:.0f} or more counts as healthy. A score needs answers to at least "
    f"{MIN_ANSWERS} questions; with fewer it is shown as {NO_SCORE}. Answers of "
    '"don\'t know" and skipped questions never count toward a score.'
)


def answers_text(count: int) -> str:
    """``1 answer``, ``3 answers``."""
    return f"{count} answer" if count == 1 else f"{count} answers"


def score_text(score: float | None) -> str:
    """A score to one decimal place, or the no-score mark."""
    return NO_SCORE if score is None else f"{score:.1f}"


def bar(score: float | None, width: int = 10) -> str:
    """A bar of ``width`` cells, filled in proportion to the score (empty if none)."""
    if score is None:
        return " " * width
    filled = round(score / 100 * width)
    return "█" * filled + "░" * (width - filled)


def confidence_text(diagnosis: Diagnosis) -> str:
    """The confidence as a word and a number, e.g. ``high (0.86)``."""
    return f"{diagnosis.confidence_level.value} ({diagnosis.confidence:.2f})"


def verdict_meaning(diagnosis: Diagnosis) -> str:
    """What the verdict means, in a few words."""
    return VERDICT_MEANINGS[diagnosis.verdict]


def verdict_sentence(diagnosis: Diagnosis) -> str:
    """The verdict in one sentence with its confidence, for the first line of a report."""
    return (
        f"{VERDICT_LABELS[diagnosis.verdict]}. {diagnosis.headline} "
        f"Confidence: {confidence_text(diagnosis)}"
    )


def plan_groups(
    recommendations: Sequence[Recommendation],
) -> list[tuple[str, list[Recommendation]]]:
    """The plan as (heading, items) pairs: first steps, then next steps, empty ones left out."""
    groups = []
    for step, heading in STEP_HEADINGS.items():
        items = [r for r in recommendations if r.step.value == step]
        if items:
            groups.append((heading, items))
    return groups


def owner_text(rec: Recommendation) -> str:
    """Who carries an item out and, when others, who it is for: ``Owner: managers, for ...``."""
    owner = rec.owner or rec.level
    text = f"Owner: {OWNER_LABELS[owner]}"
    if owner is not rec.level:
        text += f", for {LEVEL_WORDS_FOR[rec.level]}"
    return text


def plan_intro(recommendations: Sequence[Recommendation], diagnosis: Diagnosis | None) -> str:
    """One sentence above the plan."""
    if diagnosis is not None and diagnosis.verdict is Verdict.undetermined:
        return (
            "No plan yet: too little is known. Finish the interview, or interview someone "
            "who knows the area, before deciding what to change."
        )
    if not recommendations:
        return "No intervention is needed on this evidence."
    summary = training_summary(recommendations)
    if diagnosis is not None and not diagnosis.major_problem:
        summary += " It is not urgent: it would strengthen what already works."
    return summary


def header_rows(findings: Findings) -> list[tuple[str, str]]:
    """Label and value pairs for the report header."""
    respondent = findings.respondent
    who = respondent.role.value
    if respondent.name:
        who = f"{respondent.name} ({who})"
    when = findings.finished or findings.started
    questionnaire = findings.questionnaire
    rows = [("Organisation", findings.organisation), ("Respondent", who)]
    if findings.consultant:
        rows.append(("Consultant", findings.consultant))
    rows.append(("Date", when.date().isoformat()))
    title = questionnaire.title or questionnaire.id
    rows.append(("Questionnaire", f"{title} ({questionnaire.id}, version {questionnaire.version})"))
    return rows


def weakest_first(factors: Sequence[FactorScore]) -> list[FactorScore]:
    """Cause factors in report order: weakest first, those without a score last."""
    return sorted(factors, key=lambda f: (f.score is None, f.score or 0.0, f.id))


def training_summary(recommendations: Sequence[Recommendation]) -> str:
    """How many interventions are recommended and how many of them are training."""
    total = len(recommendations)
    if total == 0:
        return "No intervention is needed on this evidence."
    training = sum(1 for r in recommendations if r.is_training)
    noun = "intervention" if total == 1 else "interventions"
    return f"{total} {noun} recommended, {training} of them training."


def intervention_tags(rec: Recommendation) -> str:
    """How much effort, and whether it is training, e.g. ``low effort, training``."""
    tags = [f"{rec.effort.value} effort"]
    if rec.is_training:
        tags.append("training")
    return ", ".join(tags)


def coverage_summary(coverage: Coverage) -> str:
    """One sentence on how much of the questionnaire the analysis rests on.

    The one definition used everywhere: of the questions that carry evidence,
    *asked* are those whose condition held, and each asked question is
    *answered*, *don't know* or *skipped*; answers that no longer fit the
    questionnaire are *ignored*.
    """
    parts = [
        f"{coverage.questions} questions that carry evidence were asked "
        f"({coverage.not_asked} more {'was' if coverage.not_asked == 1 else 'were'} not: "
        "their condition did not hold)",
        f"{coverage.answered} answered, {coverage.unknown} don't know, {coverage.skipped} skipped",
    ]
    if coverage.ignored:
        parts.append(f"{coverage.ignored} ignored")
    return "; ".join(parts) + "."


MISSING_LABELS = {"unknown": "don't know", "skipped": "skipped", "ignored": "ignored"}


DATA_INTRO = (
    "What the client's own data show, beside the answers. A funnel analysis "
    "compares each unit with the limits one system would produce at its size."
)


def data_lines(item: DataEvidence) -> list[str]:
    """Plain sentences for one attached data result: its summary and the units it flags."""
    lines = [f"{item.source}: {item.summary}"]
    if item.variation is not None:
        flagged = [u for u in item.variation.units if u.status.value != "normal"]
        for unit in sorted(flagged, key=lambda u: -abs(u.z))[:10]:
            where = "above" if unit.status.value.endswith("high") else "below"
            limit = "99.8 %" if unit.status.is_alarm else "95 %"
            lines.append(
                f"{unit.unit}: {100 * unit.rate:.1f} % ({unit.events} of {unit.cases}), "
                f"{where} its {limit} limit"
            )
    return lines

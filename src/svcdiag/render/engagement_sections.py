"""The content of an engagement report, laid out by the rich and markdown renderers.

:func:`sections` turns an :class:`~svcdiag.models.engagement_report.EngagementReport`
into titled sections of paragraphs, bullet points, numbered items and tables
of plain strings, so that both layouts show the same things in the same
order. The point comes first, as in the findings report: the verdict in one
sentence, the respondents' words and the plan (first steps, then next steps,
each with its owner, why and the answers on its chief causes); then training
by level, the reasons for the verdict and the analytic tables. Text here is
raw: each renderer escapes it for where it goes.

Only groups that are shown carry numbers; a suppressed group is written as
:data:`SUPPRESSED` (with the shown group its people count in), never as a
score or a count, and a group nobody is in is not listed ("no data").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from svcdiag.diagnosis.training_plan import training_plan
from svcdiag.models.analysis import Quote, Recommendation
from svcdiag.models.engagement_report import EngagementReport, Gap, GroupResult, SuppressedGap
from svcdiag.models.figures import signed
from svcdiag.render import wording

SUPPRESSED = "suppressed"
NO_DATA = "no data"
NOT_SHARED = "~"
#: r_wg(J) at or above which a group's mean reads as a view its members share.
AGREEMENT_THRESHOLD = 0.70
#: Cronbach's alpha at or above which a characteristic's questions hang together.
ALPHA_THRESHOLD = 0.70
#: Largest gaps listed.
MAX_GAPS = 10
#: Most group columns in one score table (more groups go in a second table).
MAX_COLUMNS = 5
MAX_COMMENTS = 20
NOT_SHARED_LEGEND = (
    f"{NOT_SHARED} the group does not agree on this factor: r_wg(J) below "
    f"{AGREEMENT_THRESHOLD:.2f}, the threshold for a shared view (LeBreton & Senter's "
    "bands below it read lack of, weak or moderate agreement), so its mean is not a view "
    "its members share. A cell without a score carries no mark."
)
LOW_ALPHA = "the questions of this characteristic do not hang together for these respondents"
NEGATIVE_ALPHA = (
    "A negative alpha means the answers to its questions pull against each other: people "
    "who rate one of them high tend to rate another low, so the questions are measuring "
    "different things here, or one reads the other way round."
)
#: How each scale of a perception gap is read: a heading, and the unit of its columns.
GAP_SCALES = {
    "yes_share": ("Yes/no questions: share answering yes", "% yes", "points"),
    "likert": ("Statements: mean answer, 1 (strongly disagree) to 5 (strongly agree)", "1-5", ""),
    "scale": ("Questions on a 0 to 10 scale: mean answer", "0-10", ""),
    "score": ("Factors and characteristics: score, 0 (a likely cause) to 100", "0-100", ""),
}


@dataclass
class Table:
    """A table of plain strings; ``numeric`` columns are right-aligned."""

    head: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    caption: str | None = None


@dataclass
class Item:
    """One numbered entry (a plan item): a bold head, lines under it, and bullets under those."""

    number: str
    head: str
    lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A titled part of the report."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def _labels(report: EngagementReport) -> dict[str, str]:
    return {g.group: g.label for g in report.groups}


def _n(group: GroupResult) -> str:
    return SUPPRESSED if group.suppressed else str(group.n)


def _status(group: GroupResult, labels: dict[str, str]) -> str:
    if not group.suppressed:
        return "shown"
    if group.merged_into:
        return f"{SUPPRESSED}: counted in {labels.get(group.merged_into, group.merged_into)}"
    return SUPPRESSED


def _header(report: EngagementReport) -> Section:
    q = report.questionnaire
    return Section(
        "Engagement",
        bullets=[
            f"Organisation: {report.organisation}",
            f"Questionnaire: {q.title or q.id} ({q.id}, version {q.version})",
            f"Respondents: {report.respondents} ({report.interviews} interviews, "
            f"{report.survey_responses} survey responses); anonymity floor "
            f"{report.anonymity_floor} (free text: {report.comment_floor})",
        ],
    )


def _verdict(report: EngagementReport) -> Section:
    d = report.diagnosis
    if d is None:
        return Section("Verdict", paragraphs=["No respondents yet: nothing to diagnose."])
    return Section(
        "Verdict",
        paragraphs=[
            f"{wording.VERDICT_LABELS[d.verdict].upper()}: {d.headline} "
            f"Confidence: {wording.confidence_text(d)}."
        ],
    )


def _reasons(report: EngagementReport) -> Section | None:
    d = report.diagnosis
    if d is None or not d.reasons:
        return None
    return Section(
        "Why this verdict",
        paragraphs=[f"{wording.VERDICT_LABELS[d.verdict]}: {wording.verdict_meaning(d)}."],
        bullets=list(d.reasons),
    )


def _chief_answers(rec: Recommendation) -> list[str]:
    chief = set(rec.chief_factors)
    triggers = [t for t in rec.triggers if t.factor in chief] or list(rec.triggers)
    out = []
    for t in triggers:
        line = f"{t.text} Answer: {t.answer_text}"
        if t.note:
            line += f" (note: {t.note})"
        out.append(line)
    return out


def _item(rec: Recommendation, titles: dict[str, str]) -> Item:
    lines = [f"{wording.owner_text(rec)}; {wording.intervention_tags(rec)}", rec.rationale]
    answers = _chief_answers(rec)
    if answers:
        chief = ", ".join(titles.get(f, f) for f in rec.chief_factors)
        lines.append(f"Answers on its chief causes ({chief}):" if chief else "Answers behind it:")
    return Item(f"{rec.rank}.", rec.title, lines, answers)


def _plan(report: EngagementReport) -> list[Section]:
    items = report.recommendations
    titles = {f.id: f.title for f in report.factors}
    groups = wording.plan_groups(items)
    intro = wording.plan_intro(items, report.diagnosis)
    if not groups:
        return [Section("The plan", paragraphs=[intro])]
    out = []
    for index, (heading, chosen) in enumerate(groups):
        out.append(
            Section(
                f"The plan: {heading.lower()}",
                paragraphs=[intro] if index == 0 else [],
                items=[_item(r, titles) for r in chosen],
            )
        )
    return out


def _training(report: EngagementReport) -> Section | None:
    if report.diagnosis is None or not any(r.is_training for r in report.recommendations):
        return None
    titles = {r.intervention: r.title for r in report.recommendations}
    items = []
    for step in training_plan(report.recommendations, report.factors):
        lines = [step.key_issue, *step.reasons]
        if step.interventions:
            lines.append("In the plan: " + "; ".join(titles.get(i, i) for i in step.interventions))
        verdict = "needed" if step.needed else "not called for now"
        items.append(Item("•", f"{step.title}: {verdict}", lines))
    return Section(
        "Training by level",
        paragraphs=["From the top down: when the board or managers need it, they go first."],
        items=items,
    )


def _comment_bullets(comments: Sequence[Quote]) -> list[str]:
    """Each distinct comment once, in order, with how many respondents gave it."""
    counts: dict[tuple[str, str], int] = {}
    for c in comments:
        key = (c.text, " ".join(c.words.split()))
        counts[key] = counts.get(key, 0) + 1
    bullets = []
    for (text, words), count in counts.items():
        bullet = f'{text} "{words}"'
        if count > 1:
            bullet += f" ({count} respondents)"
        bullets.append(bullet)
    return bullets


def _comments(report: EngagementReport) -> Section | None:
    if not report.comments:
        return None
    bullets = _comment_bullets(report.comments)
    shown = bullets[:MAX_COMMENTS]
    more = len(bullets) - len(shown)
    return Section(
        "In the respondents' words",
        paragraphs=[
            "Interview notes without names, and survey comments of groups of at least "
            f"{report.comment_floor}:"
        ],
        bullets=shown,
        after=[f"and {more} more in the json output"] if more > 0 else [],
    )


def _not_shared(report: EngagementReport) -> set[tuple[str, str]]:
    return {(a.group, a.factor) for a in report.agreement if not a.shared}


def _score_table(report: EngagementReport, kind: str, columns: Sequence[GroupResult]) -> Table:
    catalogue = report.characteristics if kind == "characteristics" else report.factors
    loose = _not_shared(report)
    rows = []
    for item in catalogue:
        row = [item.title]
        for group in columns:
            scores = (group.characteristics if kind == "characteristics" else group.factors) or {}
            score = scores.get(item.id)
            text = wording.score_text(score)
            hidden = (group.suppressed_scores or {}).get(
                "characteristics" if kind == "characteristics" else "factors", []
            )
            if item.id in hidden:
                text = SUPPRESSED
            elif kind == "factors" and score is not None and (group.group, item.id) in loose:
                text += NOT_SHARED
            row.append(text)
        rows.append(row)
    head = ["characteristic" if kind == "characteristics" else "factor"]
    head.extend(f"{g.label} (n={g.n})" for g in columns)
    return Table(head, rows, [False] + [True] * len(columns))


_LEVEL_ORDER = {"all": 0, "leaders": 1, "workforce": 2, "frontline": 3}


def score_columns(report: EngagementReport) -> list[GroupResult]:
    """Shown groups in the order they matter.

    Everyone, leaders, frontline and staff and the frontline first (the two
    sides of the perception gap), then the other roles, then units.
    """
    shown = [
        g for g in report.groups if g.dimension in ("all", "role", "unit") and not g.suppressed
    ]

    def rank(g: GroupResult) -> int:
        return _LEVEL_ORDER.get(g.group, 5 if g.dimension == "unit" else 4)

    return sorted(shown, key=rank)  # stable: report order within a rank


def _chunks(columns: Sequence[GroupResult]) -> list[list[GroupResult]]:
    return [list(columns[i : i + MAX_COLUMNS]) for i in range(0, len(columns), MAX_COLUMNS)]


def _groups(report: EngagementReport) -> list[Section]:
    listed = [g for g in report.groups if g.dimension in ("all", "role", "unit")]
    if not listed:
        return []
    labels = _labels(report)
    table = Table(
        ["group", "respondents", "shown"],
        [[g.label, _n(g), _status(g, labels)] for g in listed],
        [False, True, False],
    )
    cells = [g for g in report.groups if g.dimension == "role_unit"]
    hidden = sum(1 for g in cells if g.suppressed)
    after = (
        [
            f"Role within unit: {len(cells) - hidden} groups shown, {hidden} suppressed. "
            "The shown ones are listed in the json and yaml output; suppressed groups carry "
            "no values anywhere."
        ]
        if cells
        else []
    )
    columns = score_columns(report)
    out = [Section("Groups", tables=[table], after=after)]
    if report.diagnosis is None or not columns:
        return out
    out.append(
        Section(
            "Benchmark characteristics by group",
            paragraphs=[wording.HOW_TO_READ],
            tables=[_score_table(report, "characteristics", c) for c in _chunks(columns)],
        )
    )
    out.append(
        Section(
            "Cause factors by group",
            tables=[_score_table(report, "factors", c) for c in _chunks(columns)],
            after=[NOT_SHARED_LEGEND],
        )
    )
    units = [g for g in report.groups if g.dimension == "unit"]
    if units:
        rows = []
        for g in units:
            if g.suppressed:
                rows.append([g.label, SUPPRESSED, SUPPRESSED, ""])
                continue
            scored = {k: v for k, v in (g.characteristics or {}).items() if v is not None}
            mean = sum(scored.values()) / len(scored) if scored else None
            weakest = min(scored, key=lambda k: scored[k]) if scored else None
            title = next((c.title for c in report.characteristics if c.id == weakest), "")
            weak_text = f"{title} ({scored[weakest]:.1f})" if weakest else NO_DATA
            rows.append([g.label, str(g.n), wording.score_text(mean), weak_text])
        out.append(
            Section(
                "Units",
                tables=[
                    Table(
                        ["unit", "respondents", "mean", "weakest characteristic"],
                        rows,
                        [False, True, True, False],
                    )
                ],
            )
        )
    return out


def interval_text(gap: Gap) -> str:
    """A gap's 95 % interval, or why it has none."""
    if gap.ci_low is None or gap.ci_high is None:
        return "no interval (one person)"
    if gap.ci_low == gap.ci_high:
        return "no interval (no variance)"
    return f"{signed(gap.ci_low, 2)} to {signed(gap.ci_high, 2)}"


def _gap_title(gap: Gap | SuppressedGap, report: EngagementReport) -> str:
    if gap.kind == "factor":
        return next((f.title for f in report.factors if f.id == gap.id), gap.title)
    if gap.kind == "characteristic":
        return next((c.title for c in report.characteristics if c.id == gap.id), gap.title)
    return gap.title


def _prose_title(gap: Gap | SuppressedGap, report: EngagementReport) -> str:
    """The item's title as a sentence names it: a question's words in quote marks."""
    title = _gap_title(gap, report)
    return f'"{title}"' if gap.kind == "question" else title


def _gap_tables(report: EngagementReport) -> list[Table]:
    largest = report.gaps[:MAX_GAPS]
    tables = []
    for scale, (heading, unit, points) in GAP_SCALES.items():
        rows = [
            [
                _gap_title(g, report),
                f"{g.leaders:.2f}",
                f"{g.frontline:.2f}",
                f"{signed(g.difference, 2)}",
                interval_text(g),
            ]
            for g in largest
            if g.scale == scale
        ]
        if rows:
            diff = f"difference ({points})" if points else "difference"
            tables.append(
                Table(
                    ["item", f"leaders ({unit})", f"frontline ({unit})", diff, "95 % interval"],
                    rows,
                    [False, True, True, True, False],
                    caption=heading,
                )
            )
    return tables


def suppressed_gaps_text(report: EngagementReport) -> str | None:
    """The items not compared because a side has too few answers on them, in words."""
    if not report.gaps_suppressed:
        return None
    sides = {"leaders": "leaders", "frontline": "frontline and staff"}
    items = "; ".join(
        f"{_prose_title(g, report)} ({' and '.join(sides[s] for s in g.suppressed)})"
        for g in report.gaps_suppressed[:MAX_GAPS]
    )
    count = len(report.gaps_suppressed)
    if count > MAX_GAPS:
        items += f"; and {count - MAX_GAPS} more (gaps_suppressed in the json output)"
    return (
        f"Suppressed: {count} item{'s' if count > 1 else ''} not compared, since fewer than "
        f"{report.anonymity_floor} people on the side named answered them (or their score "
        f"would follow from other groups'): {items}."
    )


def _gaps(report: EngagementReport) -> Section:
    withheld = suppressed_gaps_text(report)
    if not report.gaps:
        return Section(
            "Perception gaps",
            paragraphs=[
                withheld
                or "Not shown: leaders (board and managers) and frontline and staff must each "
                f"reach the anonymity floor of {report.anonymity_floor} to be compared."
            ],
        )
    largest = [g.sentence[:1].upper() + g.sentence[1:] + "." for g in report.gaps[:5]]
    return Section(
        "Perception gaps: leaders against frontline and staff",
        paragraphs=["The largest differences first (95 % Welch intervals), grouped by scale:"],
        bullets=largest,
        tables=_gap_tables(report),
        after=[
            f"{len(report.gaps)} items compared; all of them, with their scale, in the json "
            "output.",
            *([withheld] if withheld else []),
        ],
    )


def _agreement(report: EngagementReport) -> Section:
    shown = {g.group: g.label for g in report.groups if g.dimension in ("all", "role")}
    titles = {f.id: f.title for f in report.factors}
    rows = [
        [shown[a.group], titles.get(a.factor, a.factor), f"{a.rwg:.2f}", a.band, str(a.items)]
        for a in report.agreement
        if a.group in shown and not a.shared
    ]
    threshold = f"{AGREEMENT_THRESHOLD:.2f}"
    if not rows:
        return Section(
            "Agreement within groups",
            paragraphs=[
                f"Every shown group agrees (r_wg(J) at least {threshold}) on every factor."
            ],
        )
    return Section(
        "Agreement within groups",
        paragraphs=[
            f"A group shares a view when r_wg(J) is at least {threshold}. These fall below it "
            "(in LeBreton & Senter's bands: lack of, weak or moderate agreement), so their "
            f"means are not shared views and carry {NOT_SHARED} in the factor tables:"
        ],
        tables=[
            Table(
                ["group", "factor", "r_wg(J)", "band", "items"],
                rows,
                [False, False, True, False, True],
            )
        ],
    )


def alpha_text(alpha: float | None) -> str:
    """Alpha to two places, marked ``(low)`` below the threshold."""
    if alpha is None:
        return wording.NO_SCORE
    return f"{alpha:.2f}" + (" (low)" if alpha < ALPHA_THRESHOLD else "")


def _reliability(report: EngagementReport) -> Section | None:
    if not report.reliability:
        return None
    rows = [[r.title, str(r.items), str(r.n), alpha_text(r.alpha)] for r in report.reliability]
    after = [
        f"Alpha of {ALPHA_THRESHOLD:.2f} or more: the questions behind a characteristic hang "
        "together."
    ]
    low = [r for r in report.reliability if r.alpha is not None and r.alpha < ALPHA_THRESHOLD]
    after.extend(f"{r.title} (alpha {r.alpha:.2f}): {LOW_ALPHA}." for r in low)
    if any(r.alpha is not None and r.alpha < 0 for r in low):
        after.append(NEGATIVE_ALPHA)
    return Section(
        "Questionnaire check: Cronbach's alpha",
        tables=[
            Table(
                ["characteristic", "items", "respondents", "alpha"],
                rows,
                [False, True, True, True],
            )
        ],
        after=after,
    )


def sections(report: EngagementReport) -> list[Section]:
    """The report's sections, in order: the point first, then the analysis."""
    diagnosed = report.diagnosis is not None
    found: list[Section | None] = [
        _header(report),
        _verdict(report),
        _comments(report),
        *(_plan(report) if diagnosed else []),
        _training(report),
        _reasons(report),
        _gaps(report),
        *_groups(report),
        _agreement(report) if diagnosed else None,
        _reliability(report),
    ]
    if report.data_evidence:
        found.append(Section("Client data", bullets=list(report.data_evidence)))
    if report.warnings:
        found.append(Section("Warnings", bullets=list(report.warnings)))
    return [s for s in found if s is not None]

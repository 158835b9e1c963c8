"""The content of an engagement report, laid out by the rich and markdown renderers.

:func:`sections` turns an :class:`~svcdiag.models.engagement_report.EngagementReport`
into titled sections of paragraphs, bullet points and tables of plain
strings, so that both layouts show the same things in the same order. Text
here is raw: each renderer escapes it for where it goes.

Only groups that are shown carry numbers; a suppressed group is written as
:data:`SUPPRESSED` (with the shown group its people count in), never as a
score or a count, and a group nobody is in is not listed ("no data").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from svcdiag.models.engagement_report import EngagementReport, GroupResult
from svcdiag.render import wording

SUPPRESSED = "suppressed"
NO_DATA = "no data"
NOT_SHARED = "~"
#: Largest gaps listed.
MAX_GAPS = 10
#: Most group columns in a score table (the rest are in the json and yaml output).
MAX_COLUMNS = 4
MAX_COMMENTS = 20


@dataclass
class Table:
    """A table of plain strings; ``numeric`` columns are right-aligned."""

    head: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass
class Section:
    """A titled part of the report."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None
    after: list[str] = field(default_factory=list)


def _n(group: GroupResult) -> str:
    return SUPPRESSED if group.suppressed else str(group.n)


def _status(group: GroupResult) -> str:
    if not group.suppressed:
        return "shown"
    return f"{SUPPRESSED}: counted in {group.merged_into}" if group.merged_into else SUPPRESSED


def _header(report: EngagementReport) -> Section:
    q = report.questionnaire
    return Section(
        "Engagement",
        bullets=[
            f"Organisation: {report.organisation}",
            f"Questionnaire: {q.title or q.id} ({q.id}, version {q.version})",
            f"Respondents: {report.respondents} ({report.interviews} interviews, "
            f"{report.survey_responses} survey responses)",
            f"Anonymity floor: {report.anonymity_floor} (free text: {report.comment_floor}); "
            "smaller groups are suppressed, and so is a second group where one could be "
            "worked out by subtraction",
        ],
    )


def _verdict(report: EngagementReport) -> Section:
    d = report.diagnosis
    if d is None:
        return Section("Verdict", paragraphs=["No respondents yet: nothing to diagnose."])
    return Section(
        "Verdict",
        paragraphs=[
            f"{wording.VERDICT_LABELS[d.verdict].upper()}: {wording.verdict_meaning(d)}. "
            f"Confidence: {wording.confidence_text(d)}.",
            d.headline,
        ],
        bullets=list(d.reasons),
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
            text = wording.score_text(scores.get(item.id))
            if kind == "factors" and (group.group, item.id) in loose:
                text += NOT_SHARED
            row.append(text)
        rows.append(row)
    head = ["characteristic" if kind == "characteristics" else "factor"]
    head.extend(f"{g.label} (n={g.n})" for g in columns)
    return Table(head, rows, [False] + [True] * len(columns))


def _role_columns(report: EngagementReport) -> list[GroupResult]:
    shown = [g for g in report.groups if g.dimension in ("all", "role") and not g.suppressed]
    return shown[:MAX_COLUMNS]


def _groups(report: EngagementReport) -> list[Section]:
    listed = [g for g in report.groups if g.dimension in ("all", "role", "unit")]
    if not listed:
        return []
    table = Table(
        ["group", "respondents", "shown"],
        [[g.label, _n(g), _status(g)] for g in listed],
        [False, True, False],
    )
    cells = [g for g in report.groups if g.dimension == "role_unit"]
    hidden = sum(1 for g in cells if g.suppressed)
    after = (
        [
            f"Role within unit: {len(cells) - hidden} groups shown, {hidden} suppressed "
            "(all of them in the json and yaml output)."
        ]
        if cells
        else []
    )
    columns = _role_columns(report)
    out = [Section("Groups", table=table, after=after)]
    if report.diagnosis is None or not columns:
        return out
    more = [g.label for g in report.groups if g.dimension == "role" and not g.suppressed][
        MAX_COLUMNS - 1 :
    ]
    note = f"More groups in the json output: {', '.join(more)}." if more else None
    out.append(
        Section(
            "Benchmark characteristics by group",
            paragraphs=[wording.HOW_TO_READ],
            table=_score_table(report, "characteristics", columns),
            after=[note] if note else [],
        )
    )
    out.append(
        Section(
            "Cause factors by group",
            table=_score_table(report, "factors", columns),
            after=[
                f"{NOT_SHARED} the group does not agree on this factor (r_wg below 0.70): "
                "its mean is not a view its members share."
            ],
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
                table=Table(
                    ["unit", "respondents", "mean", "weakest characteristic"],
                    rows,
                    [False, True, True, False],
                ),
            )
        )
    return out


def _gaps(report: EngagementReport) -> Section:
    if not report.gaps:
        return Section(
            "Perception gaps",
            paragraphs=[
                "Not shown: leaders (board and managers) and frontline and staff must each "
                f"reach the anonymity floor of {report.anonymity_floor} to be compared."
            ],
        )
    rows = []
    for g in report.gaps[:MAX_GAPS]:
        ci = "" if g.ci_low is None else f"{g.ci_low:+.2f} to {g.ci_high:+.2f}"
        rows.append([g.title, f"{g.leaders:.2f}", f"{g.frontline:.2f}", f"{g.difference:+.2f}", ci])
    largest = [g.sentence[:1].upper() + g.sentence[1:] + "." for g in report.gaps[:5]]
    return Section(
        "Perception gaps: leaders against frontline and staff",
        paragraphs=["The largest differences first (95 % Welch intervals):"],
        bullets=largest,
        table=Table(
            ["item", "leaders", "frontline", "difference", "95 % interval"],
            rows,
            [False, True, True, True, True],
        ),
        after=[f"{len(report.gaps)} items compared; all of them in the json output."],
    )


def _agreement(report: EngagementReport) -> Section:
    shown = {g.group: g.label for g in report.groups if g.dimension in ("all", "role")}
    rows = [
        [shown[a.group], a.factor, f"{a.rwg:.2f}", a.band, str(a.items)]
        for a in report.agreement
        if a.group in shown and not a.shared
    ]
    if not rows:
        return Section(
            "Agreement within groups",
            paragraphs=["Every shown group agrees (r_wg(J) at least 0.70) on every factor."],
        )
    return Section(
        "Agreement within groups",
        paragraphs=[
            "Where a group does not agree (r_wg(J) below 0.70, LeBreton & Senter's bands), "
            "its mean is not a shared view:"
        ],
        table=Table(
            ["group", "factor", "r_wg(J)", "band", "items"], rows, [False, False, True, False, True]
        ),
    )


def _reliability(report: EngagementReport) -> Section | None:
    if not report.reliability:
        return None
    rows = [
        [r.title, str(r.items), str(r.n), "—" if r.alpha is None else f"{r.alpha:.2f}"]
        for r in report.reliability
    ]
    return Section(
        "Questionnaire check: Cronbach's alpha",
        table=Table(
            ["characteristic", "items", "respondents", "alpha"], rows, [False, True, True, True]
        ),
        after=["Alpha of 0.70 or more: the questions behind a characteristic hang together."],
    )


def _plan(report: EngagementReport) -> Section:
    rows = [[str(r.rank), r.title, r.level.value, r.rationale] for r in report.recommendations]
    return Section(
        "Plan",
        paragraphs=[wording.training_summary(report.recommendations)],
        table=Table(["#", "intervention", "for", "why"], rows, [True, False, False, False])
        if rows
        else None,
    )


def _comments(report: EngagementReport) -> Section | None:
    if not report.comments:
        return None
    bullets = [f'{c.text} "{c.words}"' for c in report.comments[:MAX_COMMENTS]]
    more = len(report.comments) - len(bullets)
    return Section(
        "In the respondents' words",
        paragraphs=[
            "Interview notes without names, and survey comments of groups of at least "
            f"{report.comment_floor}:"
        ],
        bullets=bullets,
        after=[f"and {more} more in the json output"] if more > 0 else [],
    )


def sections(report: EngagementReport) -> list[Section]:
    """The report's sections, in order."""
    found: list[Section | None] = [
        _header(report),
        _verdict(report),
        *_groups(report),
        _gaps(report),
        _agreement(report) if report.diagnosis is not None else None,
        _reliability(report),
        _plan(report) if report.diagnosis is not None else None,
        _comments(report),
    ]
    if report.data_evidence:
        found.append(Section("Client data", bullets=list(report.data_evidence)))
    if report.warnings:
        found.append(Section("Warnings", bullets=list(report.warnings)))
    return [s for s in found if s is not None]

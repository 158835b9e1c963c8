"""Build the combined report of an engagement from its respondents.

:func:`build_report` is the one function ``svcdiag engagement report`` calls:

1. :func:`~svcdiag.engagement.tally.tally` reads every respondent once;
2. :mod:`.anonymity` decides which groups may be shown;
3. every shown group gets its scores; the suppressed ones only their id;
4. leaders and the workforce are compared item by item (:mod:`.gaps`), and
   each shown group's agreement on each factor is measured (:mod:`.agreement`);
5. the pooled evidence goes through the same analysis as a single findings
   file (:func:`svcdiag.diagnosis.analyse_evidence`), and :mod:`.confidence`
   adds what several respondents change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Literal

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis import analyse_evidence
from svcdiag.diagnosis.score import MIN_ANSWERS, round_score
from svcdiag.engagement.agreement import SHARED_AT, band, cronbach_alpha, rwg_j_from_variances
from svcdiag.engagement.anonymity import (
    ALL,
    ROLE_PARENT,
    Group,
    UnitTree,
    cell_in_group,
    comment_cells,
    group_cells,
    group_counts,
    group_id,
    merged_into,
    protected_groups,
)
from svcdiag.engagement.confidence import adjust_diagnosis, gap_plan
from svcdiag.engagement.gaps import Moments, welch_moments
from svcdiag.engagement.item_floor import (
    question_floor,
    question_weights,
    short_sides,
    suppressed_scores,
)
from svcdiag.engagement.pooling import ScopeVote
from svcdiag.engagement.respondents import Respondents
from svcdiag.engagement.tally import (
    ITEM_SCALES,
    CellTally,
    Tally,
    TargetPool,
    likert_items,
    tally,
)
from svcdiag.models.analysis import Quote
from svcdiag.models.engagement import EngagementFile
from svcdiag.models.engagement_report import (
    AgreementResult,
    EngagementReport,
    Gap,
    GroupResult,
    Reliability,
    ReportQuestionnaire,
    SuppressedGap,
)
from svcdiag.models.questionnaire import Questionnaire, QuestionType

ROLE_LABELS = {
    "all": "Everyone",
    "leaders": "Leaders (board and managers)",
    "workforce": "Frontline and staff",
    "customer": "Customers",
    "board": "Board",
    "manager": "Managers",
    "staff": "Staff",
    "frontline": "Frontline",
}
#: The range of each gap scale, to rank gaps of different scales together.
SCALE_RANGE = {"likert": 4.0, "scale": 10.0, "yes_share": 100.0, "score": 100.0}
SCALE_WORDS = {
    "likert": "on the 1-5 scale",
    "scale": "on the 0-10 scale",
    "yes_share": "percentage points of 'yes'",
    "score": "points out of 100",
}
#: Respondents needed before Cronbach's alpha is given.
ALPHA_MIN_RESPONDENTS = 10
#: Most comments quoted in a report.
MAX_COMMENTS = 200
LEADERS: Group = ("leaders", ALL)
WORKFORCE: Group = ("workforce", ALL)


def _score(weight: float, weighted: float, questions: int) -> float | None:
    if questions < MIN_ANSWERS or weight <= 0:
        return None
    return round_score(100 * weighted / weight)


def _scores(
    pools: Mapping[tuple[str, str], TargetPool],
    target: str,
    ids: Iterable[str],
    hidden: Collection[tuple[str, str]] = (),
) -> dict[str, float | None]:
    result: dict[str, float | None] = {}
    for item in ids:
        pool = pools.get((target, item))
        result[item] = (
            None
            if pool is None or (target, item) in hidden
            else _score(pool.weight, pool.weighted_health, len(pool.questions))
        )
    return result


def _suppressed_scores(
    hidden: Collection[tuple[str, str]],
) -> dict[Literal["characteristics", "factors"], list[str]] | None:
    found: dict[Literal["characteristics", "factors"], list[str]] = {}
    for target, ident in sorted(hidden):
        key: Literal["characteristics", "factors"] = (
            "characteristics" if target == "characteristic" else "factors"
        )
        found.setdefault(key, []).append(ident)
    return found or None


def _label(group: Group, units: Mapping[str, str]) -> str:
    role, unit = group
    if unit == ALL:
        return ROLE_LABELS[role]
    name = units.get(unit, unit)
    return name if role == ALL else f"{ROLE_LABELS[role]} in {name}"


def _dimension(group: Group) -> str:
    role, unit = group
    if unit == ALL:
        return "all" if role == ALL else "role"
    return "unit" if role == ALL else "role_unit"


def _order(group: Group, tree: UnitTree) -> tuple[int, int, int]:
    roles = list(ROLE_PARENT)
    units = tree.nodes()
    dims = ["all", "role", "unit", "role_unit"]
    return (dims.index(_dimension(group)), units.index(group[1]), roles.index(group[0]))


def _gap_sentence(title: str, scale: str, difference: float) -> str:
    if abs(difference) < 0.05:
        return f"leaders and the frontline rate {title} alike"
    direction = "higher" if difference > 0 else "lower"
    if scale == "yes_share":
        more = "more" if difference > 0 else "less"
        return (
            f"leaders answer yes to {title} {abs(difference):.0f} percentage points {more} "
            "often than the frontline does"
        )
    amount = f"{abs(difference):.1f}" if scale in ("likert", "scale") else f"{abs(difference):.0f}"
    return f"leaders rate {title} {amount} {SCALE_WORDS[scale]} {direction} than the frontline does"


def _gap(kind: str, ident: str, title: str, scale: str, lead: Moments, front: Moments) -> Gap:
    diff = welch_moments(lead, front)

    def r(value: float | None, places: int = 2) -> float | None:
        return None if value is None else round(value, places)

    return Gap(
        kind=kind,  # type: ignore[arg-type]
        id=ident,
        title=title,
        scale=scale,  # type: ignore[arg-type]
        leaders=round(lead.mean, 2),
        frontline=round(front.mean, 2),
        n_leaders=lead.n,
        n_frontline=front.n,
        difference=round(diff.difference, 2),
        ci_low=r(diff.ci_low),
        ci_high=r(diff.ci_high),
        df=r(diff.df, 1),
        significant=diff.significant,
        # a question's words are quoted in prose; the title itself carries no quote marks
        sentence=_gap_sentence(
            f'"{title}"' if kind == "question" else title, scale, diff.difference
        ),
    )


def perception_gaps(
    questionnaire: Questionnaire,
    titles: Mapping[tuple[str, str], str],
    leaders: CellTally,
    workforce: CellTally,
    floor: int = 1,
    hidden: Mapping[str, Collection[tuple[str, str]]] | None = None,
) -> tuple[list[Gap], list[SuppressedGap]]:
    """Leaders against frontline and staff on every question, characteristic and factor.

    An item on which a side has fewer answers than ``floor``, or whose score
    is suppressed for a side (``hidden``, by side), is not compared: it is
    returned in the second list.
    """
    found = []
    short: list[SuppressedGap] = []
    hidden = hidden or {}

    def compare(
        kind: str, ident: str, title: str, scale: str, lead: Moments, front: Moments
    ) -> None:
        sides = short_sides(lead, front, floor)
        sides += [s for s in ("leaders", "frontline") if (kind, ident) in hidden.get(s, ())]
        if sides:
            short.append(
                SuppressedGap(
                    kind=kind,  # type: ignore[arg-type]
                    id=ident,
                    title=title,
                    scale=scale,  # type: ignore[arg-type]
                    suppressed=sorted(set(sides), key=("leaders", "frontline").index),  # type: ignore[arg-type]
                )
            )
        else:
            found.append(_gap(kind, ident, title, scale, lead, front))

    for question in questionnaire.questions():
        scale = ITEM_SCALES.get(question.type)
        lead, front = leaders.items.get(question.id), workforce.items.get(question.id)
        if scale is None or lead is None or front is None:
            continue
        compare("question", question.id, question.text, scale, lead, front)
    for (target, ident), title in titles.items():
        lead_score = leaders.scores.get((target, ident))
        front_score = workforce.scores.get((target, ident))
        if lead_score is not None and front_score is not None:
            compare(target, ident, title.lower(), "score", lead_score, front_score)
    ordered = sorted(found, key=lambda g: (-abs(g.difference) / SCALE_RANGE[g.scale], g.kind, g.id))
    return ordered, short


def _agreement(
    gid: str,
    group: CellTally,
    factor_items: Mapping[str, list[str]],
    floor: int = 1,
    hidden: Collection[tuple[str, str]] = (),
) -> list[AgreementResult]:
    """r_wg(J) per factor, over the questions at least ``floor`` of the group answered."""
    found = []
    for factor, questions in factor_items.items():
        if ("factor", factor) in hidden:
            continue
        variances = [
            v
            for q in questions
            if q in group.items
            and group.items[q].n >= floor
            and (v := group.items[q].variance) is not None
        ]
        value = rwg_j_from_variances(variances, 5)
        if value is None:
            continue
        found.append(
            AgreementResult(
                group=gid,
                factor=factor,
                items=len(variances),
                n=group.n,
                rwg=round(value, 3),
                band=band(value).value,
                shared=value >= SHARED_AT,
            )
        )
    return found


def _reliability(
    questionnaire: Questionnaire, t: Tally, titles: Mapping[str, str]
) -> list[Reliability]:
    found = []
    for characteristic, questions in likert_items(questionnaire, "characteristic").items():
        if len(questions) < 2 or characteristic not in titles:
            continue
        rows = t.alpha_rows.get(characteristic, [])
        alpha = cronbach_alpha(rows)
        found.append(
            Reliability(
                characteristic=characteristic,
                title=titles[characteristic],
                items=len(questions),
                n=len(rows),
                alpha=None if alpha is None else round(alpha, 3),
            )
        )
    return found


def scope_sentence(vote: ScopeVote) -> str | None:
    """The scope reason for many respondents: the most common answer and the others."""
    if vote.chosen is None:
        return None
    chosen = vote.chosen
    asked = chosen.question_text or chosen.question
    k = vote.votes[chosen.scope]
    others = [
        f'{n} "{vote.labels[s]}"'
        for s, n in sorted(vote.votes.items(), key=lambda kv: -kv[1])
        if s is not chosen.scope
    ]
    rest = f"; the others answered {', '.join(others)}" if others else ""
    return (
        f'Asked "{asked}", {k} of {vote.total} respondents answered "{chosen.answer_text}", '
        f"the most common answer{rest}."
    )


def _comments(
    questionnaire: Questionnaire,
    respondents: Respondents,
    allowed: set[tuple[str, str | None]],
) -> tuple[list[Quote], dict[str, str]]:
    by_id = {q.id: q for q in questionnaire.questions()}
    quotes: list[Quote] = []
    pooled: dict[str, list[str]] = {}
    for person in respondents.people:
        if person.kind == "survey" and (person.role, person.unit) not in allowed:
            continue
        for qid, note in person.notes.items():
            if qid in by_id and note.strip():
                quotes.append(Quote(question=qid, text=by_id[qid].text, words=note, kind="note"))
                pooled.setdefault(qid, []).append(note)
        for qid, value in person.answers.items():
            question = by_id.get(qid)
            is_text = question is not None and question.type is QuestionType.text
            if is_text and isinstance(value, str) and value.strip() and value != "unknown":
                assert question is not None
                quotes.append(Quote(question=qid, text=question.text, words=value))
    order = {q.id: i for i, q in enumerate(questionnaire.questions())}
    quotes.sort(key=lambda q: (order.get(q.question, 0), q.kind))
    notes = {qid: " / ".join(list(dict.fromkeys(items))[:3]) for qid, items in pooled.items()}
    return quotes[:MAX_COMMENTS], notes


def build_report(
    engagement: EngagementFile, loaded: Loaded, respondents: Respondents
) -> EngagementReport:
    """The combined diagnosis of an engagement (see the module docstring)."""
    questionnaire, catalogue = loaded.questionnaire, loaded.catalogue
    floor = engagement.anonymity_floor
    t = tally(questionnaire, respondents.people)
    tree = UnitTree.from_parents({u.id: u.parent for u in engagement.units})
    per_cell = {cell: ct.n for cell, ct in t.cells.items()}
    counts = group_counts(per_cell, tree)
    suppressed = protected_groups(per_cell, tree, floor)
    members = group_cells(per_cell, tree)
    shown = [g for g, n in counts.items() if n > 0 and g not in suppressed]
    floor_per_question = question_floor(
        t,
        members,
        shown,
        floor,
        suppressed_scores(t, members, shown, floor),
        [LEADERS, WORKFORCE] if LEADERS in shown and WORKFORCE in shown else [],
        question_weights(questionnaire),
    )
    withheld = floor_per_question.scores
    unit_names = {u.id: u.name for u in engagement.units}
    titles: dict[tuple[str, str], str] = {
        **{("characteristic", c.id): c.title for c in catalogue.characteristics.values()},
        **{("factor", f.id): f.title for f in catalogue.factors.values()},
    }
    factor_items = likert_items(questionnaire, "factor")
    groups: list[GroupResult] = []
    agreement: list[AgreementResult] = []
    tallies: dict[Group, CellTally] = {}
    everyone = (ALL, ALL)
    for group in sorted((g for g, n in counts.items() if n > 0), key=lambda g: _order(g, tree)):
        role, unit = group
        base = GroupResult(
            group=group_id(group),
            label=_label(group, unit_names),
            dimension=_dimension(group),  # type: ignore[arg-type]
            role=None if role == ALL else role,
            unit=None if unit == ALL else unit,
            suppressed=group in suppressed,
        )
        if group in suppressed:
            merged = group_id(merged_into(group, suppressed, tree))
            groups.append(base.model_copy(update={"merged_into": merged}))
            continue
        summed = t.group(c for c in t.cells if cell_in_group(c, group, tree))
        tallies[group] = summed
        pools = summed.pools()
        hidden = withheld.get(group, set())
        groups.append(
            base.model_copy(
                update={
                    "n": summed.n,
                    "characteristics": _scores(
                        pools, "characteristic", catalogue.characteristics, hidden
                    ),
                    "factors": _scores(pools, "factor", catalogue.factors, hidden),
                    "suppressed_scores": _suppressed_scores(hidden),
                }
            )
        )
        agreement.extend(_agreement(group_id(group), summed, factor_items, floor, hidden))
    gaps: list[Gap] = []
    gaps_suppressed: list[SuppressedGap] = []
    if LEADERS in tallies and WORKFORCE in tallies:
        gaps, gaps_suppressed = perception_gaps(
            questionnaire,
            titles,
            tallies[LEADERS],
            tallies[WORKFORCE],
            floor,
            {
                side: withheld.get(group, set()) | floor_per_question.gaps.get(group, set())
                for side, group in (("leaders", LEADERS), ("frontline", WORKFORCE))
            },
        )
    n = len(respondents.people)
    reliability = (
        _reliability(questionnaire, t, {c.id: c.title for c in catalogue.characteristics.values()})
        if n >= ALPHA_MIN_RESPONDENTS
        else []
    )
    allowed = comment_cells(per_cell, engagement.effective_comment_floor)
    comments, notes = _comments(questionnaire, respondents, allowed)
    report = EngagementReport(
        organisation=engagement.organisation,
        questionnaire=ReportQuestionnaire(
            id=questionnaire.id, version=questionnaire.version, title=questionnaire.title
        ),
        respondents=n,
        interviews=respondents.interviews,
        survey_responses=respondents.survey,
        anonymity_floor=floor,
        comment_floor=engagement.effective_comment_floor,
        groups=groups,
        gaps=gaps,
        gaps_suppressed=gaps_suppressed,
        agreement=agreement,
        reliability=reliability,
        comments=comments,
        data_evidence=[d.summary for d in respondents.data],
        warnings=list(respondents.warnings),
    )
    if n == 0:
        return report.model_copy(
            update={"warnings": [*report.warnings, "no respondents yet: nothing to diagnose"]}
        )
    pooled = t.pool.evidence(tallies[everyone].weights)
    analysis = analyse_evidence(
        questionnaire, catalogue, pooled, notes, data=respondents.data, respondents=n
    )
    vote = t.pool.scope_vote()
    agreement_values = [a.rwg for a in agreement if a.group == group_id(everyone)]
    parts = []
    if agreement_values:
        parts.append(sum(agreement_values) / len(agreement_values))
    if vote.total:
        parts.append(vote.share)
    agreed = sum(parts) / len(parts) if parts and n > 1 else 0.0
    diagnosis = analysis.diagnosis
    if diagnosis is not None:
        diagnosis = adjust_diagnosis(
            diagnosis,
            respondents=n,
            agreement=agreed,
            gaps=gaps,
            scope_reason=scope_sentence(vote) if n > 1 else None,
        )
    plan = gap_plan(analysis.recommendations, gaps, catalogue.interventions)
    return report.model_copy(
        update={
            "diagnosis": diagnosis,
            "recommendations": plan,
            "characteristics": analysis.characteristics,
            "factors": analysis.factors,
            "coverage": analysis.coverage,
        }
    )


def shown_groups(report: EngagementReport) -> Sequence[GroupResult]:
    """The groups of a report that carry values."""
    return [g for g in report.groups if not g.suppressed]

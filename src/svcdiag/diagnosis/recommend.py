"""Rank the interventions by the evidence, with training in its right place.

Each scored factor has a *need*: how far it falls short of :data:`GOOD_AT`,
as a fraction, times the strength of the evidence behind it::

    need = max(0, GOOD_AT - score) / GOOD_AT * weight / (weight + 1)

where ``weight`` is the total evidence weight behind the score (the strength
approaches 1 as evidence accumulates). Factors with too few answers have no
need: nothing is recommended on an anecdote.

When the diagnosis reads individual deficits as symptoms (a widespread
problem), each individual factor's need is moved, in equal shares, to the
system factors of the environment cell above it in Gilbert's grid (motives to
incentives, knowledge to information, capacity to instrumentation).

An intervention's priority is the sum of the needs of the factors it
addresses, with two rules that keep it aimed at the evidence:

* an intervention aimed at a group (any level but ``individual``) that
  addresses both system and individual factors, such as a course on the tills
  that also teaches skill, is recommended only when one of its system factors
  shows a need: an individual skill gap alone does not call for tools
  training;
* when the problem lies with a few individuals, a group-level intervention
  counts only :data:`GROUP_SHARE` of the need of the individual factors it
  addresses, so the same need met person by person (coaching, feedback and
  practice: Mager & Pipe) ranks first.

Ties go to the better aimed (more of its factors in need), then to
non-training, then to the lower effort. At most :data:`MAX_RECOMMENDATIONS`
are kept, and none below :data:`MIN_SHARE_OF_TOP` of the top priority.

Training (Mager & Pipe: train only those who genuinely cannot do the task)
is multiplied by :data:`TRAINING_PENALTY` unless the verdict is
individual or mixed, the scope is limited, and the knowledge cell shows a
real gap. Interventions with no need behind them are not recommended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from svcdiag.diagnosis.diagnose import HEALTHY_AT, PAIRED_ENVIRONMENT, SYMPTOM_OF
from svcdiag.diagnosis.evidence import Contribution
from svcdiag.models.analysis import (
    Diagnosis,
    FactorScore,
    GilbertScore,
    Recommendation,
    Trigger,
    Verdict,
)
from svcdiag.models.catalogue import FactorKind, GilbertCell, Intervention, Level
from svcdiag.models.questionnaire import Questionnaire, Scope

#: A factor scoring at least this needs nothing.
GOOD_AT = 75.0
#: Priority multiplier for training when the evidence does not call for it.
TRAINING_PENALTY = 0.25
#: Most interventions recommended: a plan a client can act on, not the whole catalogue.
MAX_RECOMMENDATIONS = 10
#: Interventions with less than this share of the top priority are left out.
MIN_SHARE_OF_TOP = 0.2
#: Most answers quoted behind one recommendation.
MAX_TRIGGERS = 3
#: Scopes limited enough for training to be the answer.
LIMITED_SCOPES = (Scope.few_individuals, Scope.some_teams)
#: When the gap is in a few people, training aimed at whole groups is out of proportion.
NARROW_LEVELS = (Level.individual, Level.frontline)
#: Share of an individual factor's need a group-level intervention counts when the
#: problem lies with a few individuals: help aimed at those people comes first.
GROUP_SHARE = 0.5

_EFFORT_ORDER = {"low": 0, "medium": 1, "high": 2}

LEVEL_WORDS = {
    Level.board: "the board",
    Level.managers: "managers",
    Level.all_staff: "all staff",
    Level.frontline: "the whole frontline",
    Level.individual: "individuals",
}


@dataclass
class Need:
    """How much one factor needs attention, and where that need came from."""

    amount: float = 0.0
    moved_from: list[str] = field(default_factory=list)


def factor_need(score: FactorScore) -> float:
    """The need of one factor, before any moving of symptoms."""
    if score.score is None:
        return 0.0
    shortfall = max(0.0, GOOD_AT - score.score) / GOOD_AT
    return shortfall * score.weight / (score.weight + 1)


def factor_needs(factors: Sequence[FactorScore], diagnosis: Diagnosis) -> dict[str, Need]:
    """Every factor's need, with individual needs moved to the system when symptoms."""
    needs = {f.id: Need(factor_need(f)) for f in factors}
    if not diagnosis.individual_as_symptom:
        return needs
    for item in factors:
        if item.kind is not FactorKind.individual or needs[item.id].amount <= 0:
            continue
        target_cell = PAIRED_ENVIRONMENT[item.gilbert]
        targets = [
            f.id for f in factors if f.kind is FactorKind.system and f.gilbert is target_cell
        ]
        if not targets:
            continue
        share = needs[item.id].amount / len(targets)
        needs[item.id].amount = 0.0
        for target in targets:
            needs[target].amount += share
            needs[target].moved_from.append(item.id)
    return needs


def training_fits(diagnosis: Diagnosis, cells: Sequence[GilbertScore]) -> tuple[bool, str]:
    """Whether training should keep its priority, and the reason in plain words."""
    knowledge = next((c for c in cells if c.cell is GilbertCell.knowledge), None)
    gap = knowledge is not None and knowledge.score is not None and knowledge.score < HEALTHY_AT
    if diagnosis.scope is Scope.widespread:
        return False, "the problem is widespread, and training cannot remove a system cause"
    if diagnosis.verdict is Verdict.system:
        return False, "the causes lie mostly in the system, which training does not change"
    if not gap:
        return False, "the answers show no real skill or knowledge gap"
    if diagnosis.scope not in LIMITED_SCOPES:
        return False, "it is not known that the problem is limited to some people"
    assert knowledge is not None and knowledge.score is not None
    where = "a few people" if diagnosis.scope is Scope.few_individuals else "some teams"
    return True, (
        f"the answers show a real skill or knowledge gap (knowledge {knowledge.score:.1f}), "
        f"limited to {where}"
    )


def training_fits_intervention(
    intervention: Intervention, diagnosis: Diagnosis, general: tuple[bool, str]
) -> tuple[bool, str]:
    """Whether this training intervention fits, given the general answer for training."""
    fits, why = general
    if (
        fits
        and diagnosis.scope is Scope.few_individuals
        and intervention.level not in (NARROW_LEVELS)
    ):
        return False, (
            f"it is aimed at {intervention.level.value.replace('_', ' ')}, while the gap is "
            "in a few people"
        )
    return fits, why


def aimed_at_need(
    intervention: Intervention, needs: Mapping[str, Need], kinds: Mapping[str, FactorKind]
) -> bool:
    """Whether a group-level intervention's system side shows a need, when it has both sides.

    Interventions aimed at individuals, and those that address only system or only
    individual factors, are always aimed at whatever need they meet.
    """
    if intervention.level is Level.individual:
        return True
    system = [f for f in intervention.factors if kinds.get(f) is FactorKind.system]
    individual = [f for f in intervention.factors if kinds.get(f) is FactorKind.individual]
    if not system or not individual:
        return True
    return any(needs[f].amount > 0 for f in system if f in needs)


def intervention_need(
    intervention: Intervention,
    needs: Mapping[str, Need],
    kinds: Mapping[str, FactorKind],
    diagnosis: Diagnosis,
) -> float:
    """The need an intervention meets, before any training penalty."""
    if not aimed_at_need(intervention, needs, kinds):
        return 0.0
    total = 0.0
    for factor in intervention.factors:
        amount = needs[factor].amount if factor in needs else 0.0
        if _counts_part(intervention, kinds.get(factor), diagnosis):
            amount *= GROUP_SHARE
        total += amount
    return total


def _counts_part(intervention: Intervention, kind: FactorKind | None, diagnosis: Diagnosis) -> bool:
    """Whether a group-level intervention meets an individual need of a few people."""
    return (
        diagnosis.scope is Scope.few_individuals
        and intervention.level is not Level.individual
        and kind is FactorKind.individual
    )


def _triggers(
    intervention: Intervention,
    needs: Mapping[str, Need],
    contributions: Sequence[Contribution],
    questionnaire: Questionnaire,
    notes: Mapping[str, str],
) -> list[Trigger]:
    counted = {f for f in intervention.factors if needs.get(f, Need()).amount > 0}
    sources = counted | {m for f in counted for m in needs[f].moved_from}
    bar = GOOD_AT / 100
    chosen = sorted(
        (
            c
            for c in contributions
            if c.target == "factor" and c.target_id in sources and c.health < bar
        ),
        key=lambda c: -c.weight * (bar - c.health),
    )
    result: list[Trigger] = []
    seen: set[str] = set()
    for item in chosen:
        if item.question in seen:
            continue
        seen.add(item.question)
        question = questionnaire.question(item.question)
        result.append(
            Trigger(
                question=item.question,
                text=question.text if question else item.question,
                answer=item.answer,
                answer_text=item.answer_text,
                factor=item.target_id,
                health=round(item.health, 3),
                note=notes.get(item.question),
            )
        )
        if len(result) == MAX_TRIGGERS:
            break
    return result


def _rationale(
    intervention: Intervention,
    needs: Mapping[str, Need],
    scores: Mapping[str, FactorScore],
    training: tuple[bool, str],
    diagnosis: Diagnosis,
) -> str:
    counted = [f for f in intervention.factors if needs.get(f, Need()).amount > 0]
    own = [scores[f] for f in counted if factor_need(scores[f]) > 0]
    parts = []
    if own:
        listed = ", ".join(f"{s.title} ({s.score or 0:.1f})" for s in own)
        parts.append(f"Addresses weak factors: {listed}.")
    moved = sorted({m for f in counted for m in needs[f].moved_from})
    for source in moved:
        cell = scores[source].gilbert
        parts.append(
            f"Also answers the low {scores[source].title.lower()} score, read as a symptom "
            f"of {SYMPTOM_OF[cell]}."
        )
    few = diagnosis.scope is Scope.few_individuals
    if few and any(scores[f].kind is FactorKind.individual for f in counted):
        if intervention.level is Level.individual:
            parts.append(
                "Aimed at the people concerned, so it comes before anything aimed at a whole group."
            )
        else:
            parts.append(
                f"Aimed at {LEVEL_WORDS[intervention.level]} while the gap is in a few "
                "people, so it comes after help for those people."
            )
    if intervention.is_training:
        fits, why = training
        parts.append(f"Training fits here: {why}." if fits else f"Training, ranked down: {why}.")
    return " ".join(parts)


def recommend(
    interventions: Mapping[str, Intervention],
    factors: Sequence[FactorScore],
    cells: Sequence[GilbertScore],
    diagnosis: Diagnosis,
    contributions: Sequence[Contribution],
    questionnaire: Questionnaire,
    notes: Mapping[str, str],
) -> list[Recommendation]:
    """Rank the interventions that meet a need shown by the evidence, best first."""
    needs = factor_needs(factors, diagnosis)
    scores = {f.id: f for f in factors}
    kinds = {f.id: f.kind for f in factors}
    training = training_fits(diagnosis, cells)
    ranked = []
    fits: dict[str, tuple[bool, str]] = {}
    for item in interventions.values():
        priority = intervention_need(item, needs, kinds, diagnosis)
        fits[item.id] = training_fits_intervention(item, diagnosis, training)
        if item.is_training and not fits[item.id][0]:
            priority *= TRAINING_PENALTY
        priority = round(priority, 4)
        if priority <= 0:
            continue
        ranked.append((priority, item))

    def focus(item: Intervention) -> float:
        """Share of the intervention's factors that are in need: the more, the better aimed."""
        return sum(1 for f in item.factors if needs.get(f, Need()).amount > 0) / len(item.factors)

    ranked.sort(
        key=lambda pair: (
            -pair[0],
            -focus(pair[1]),
            pair[1].is_training,
            _EFFORT_ORDER[pair[1].effort.value],
            pair[1].id,
        )
    )
    if ranked:
        floor = ranked[0][0] * MIN_SHARE_OF_TOP
        ranked = [pair for pair in ranked if pair[0] >= floor][:MAX_RECOMMENDATIONS]
    return [
        Recommendation(
            rank=rank,
            intervention=item.id,
            title=item.title,
            level=item.level,
            effort=item.effort,
            is_training=item.is_training,
            priority=priority,
            factors=[f for f in item.factors if needs.get(f, Need()).amount > 0],
            rationale=_rationale(item, needs, scores, fits[item.id], diagnosis),
            triggers=_triggers(item, needs, contributions, questionnaire, notes),
        )
        for rank, (priority, item) in enumerate(ranked, start=1)
    ]

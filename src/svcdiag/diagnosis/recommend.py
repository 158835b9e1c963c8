"""Build the plan: interventions aimed at the weakest, best-evidenced causes.

The rules, in the order they apply:

1. **Needs.** A scored factor is *weak* below :data:`WEAK_BELOW` (the one
   threshold of the diagnosis, the plan and the report legend). Its need is
   how far it falls short, times the strength of the evidence behind it::

       need = (WEAK_BELOW - score) / WEAK_BELOW * weight / (weight + 1)

   A factor with too few answers, or at or above the threshold, has no need:
   nothing is recommended on an anecdote or against a healthy score.
2. **Symptoms.** When the diagnosis reads individual deficits as symptoms of
   the system (a widespread problem), an individual factor's need moves to
   the system factors that cause it (:data:`SYMPTOM_TARGETS`): a can't-do
   shared by everyone means people were not equipped, widespread low
   motivation means incentives and involvement, poor fit across the board
   means the job and its tools. Each target takes the larger of its own need
   and the moved one, so that symptoms do not pile up. When a few particular
   people are *also* named (a second scope answer), the individual deficits
   are theirs: the needs stay with them, so the plan holds help for those
   people beside the system items that the system factors call for.
3. **Aim.** Every catalogue intervention names the causes it chiefly fixes
   (``factors``) and those it merely helps (``helps``). Its priority is the
   largest need among its chief causes; breadth never adds to it. Ties go to
   an intervention suited to the answered scope (``suits``), then to one that
   is not training (unless people genuinely cannot do the task), then to the
   one whose helped causes need more, then by Mager & Pipe's order (clear
   expectations, resources and feedback before consequences, skill last),
   then to lower effort.
4. **Already in place.** An intervention whose ``in_place_when`` condition
   holds on the answers is never recommended; the plan says it is in place.
5. **Few individuals.** When the problem lies with a few people, help aimed
   at a whole group counts only :data:`GROUP_SHARE` of an individual need, so
   the same need met person by person ranks first; an intervention suited
   only to other scopes is left out.
6. **Training** whose chief cause is individual skill fits only a genuine
   can't-do: the knowledge cell (individual skill) must be weak, and the need
   must stay with individuals. Training aimed at a system cause (managers'
   development, equipping people after a change, induction) ranks like any
   other intervention. Whenever the answers show a genuine can't-do, at any
   scope, the plan holds at least one training item: when it is everyone's,
   that is training that equips people (products, tools), not a course in
   attitude.
7. **Selection.** Interventions are taken best first, each only if it covers
   a weak chief cause that no item taken so far covers, so the plan has as
   many items as there are weak causes to fix, never padding; at most
   :data:`MAX_ITEMS`. A healthy organisation gets at most one item, an
   undetermined one none.
8. **Steps.** The :data:`FIRST_STEPS` highest priorities are the first
   steps, the rest next steps. Inside each group the environment comes first
   (Gilbert: items aimed at system causes before items aimed at individuals,
   unless the verdict is individual), then Mager & Pipe's order. Each item
   names its owner (board, managers, all staff, frontline, named
   individuals) and quotes only the answers that bear on its chief causes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from svcdiag.assess.conditions import evaluate
from svcdiag.diagnosis.diagnose import HEALTHY_AT, SYMPTOM_OF
from svcdiag.diagnosis.evidence import Contribution
from svcdiag.models.analysis import (
    AnswerValue,
    Diagnosis,
    FactorScore,
    GilbertScore,
    PlanStep,
    Recommendation,
    Trigger,
    Verdict,
)
from svcdiag.models.catalogue import STAGE_ORDER, FactorKind, GilbertCell, Intervention, Level
from svcdiag.models.questionnaire import Questionnaire, Scope

#: A factor scoring below this is weak: the same mark as the diagnosis and the legend.
WEAK_BELOW = HEALTHY_AT
#: Most items in a plan a client can act on.
MAX_ITEMS = 10
#: How many of the highest priorities are the first steps.
FIRST_STEPS = 3
#: Most answers quoted behind one recommendation.
MAX_TRIGGERS = 3
#: Share of an individual need a group-level intervention counts when the problem
#: lies with a few individuals: help aimed at those people comes first.
GROUP_SHARE = 0.5

#: Where an individual factor's need goes when it is a symptom of the system.
SYMPTOM_TARGETS = {
    "individual_skill": ("equipping",),
    "individual_attitude": ("recognition_consequences", "staff_involvement"),
    "individual_fit": ("work_processes", "tools_systems"),
}

_EFFORT_ORDER = {"low": 0, "medium": 1, "high": 2}

LEVEL_WORDS = {
    Level.board: "the board",
    Level.managers: "managers",
    Level.all_staff: "all staff",
    Level.frontline: "the frontline",
    Level.individual: "the individuals concerned",
}


@dataclass
class Need:
    """How much one factor needs attention, and where that need came from."""

    amount: float = 0.0
    moved_from: list[str] = field(default_factory=list)


def factor_need(score: FactorScore) -> float:
    """The need of one factor, before any moving of symptoms."""
    if score.score is None or score.score >= WEAK_BELOW:
        return 0.0
    shortfall = (WEAK_BELOW - score.score) / WEAK_BELOW
    return shortfall * score.weight / (score.weight + 1)


def factor_needs(
    factors: Sequence[FactorScore], diagnosis: Diagnosis, *, also_individuals: bool = False
) -> dict[str, Need]:
    """Every factor's need, with individual needs moved to their system causes when symptoms.

    With ``also_individuals`` (a few people named besides a wider problem) the
    individual needs stay where they are, for help aimed at those people.
    """
    needs = {f.id: Need(factor_need(f)) for f in factors}
    if not diagnosis.individual_as_symptom or also_individuals:
        return needs
    for item in factors:
        own = needs[item.id]
        if item.kind is not FactorKind.individual or own.amount <= 0:
            continue
        for target in SYMPTOM_TARGETS.get(item.id, ()):
            if target not in needs:
                continue
            needs[target].amount = max(needs[target].amount, own.amount)
            needs[target].moved_from.append(item.id)
        own.amount = 0.0
    return needs


def genuine_cant_do(cells: Sequence[GilbertScore]) -> bool:
    """Whether the answers show people who genuinely cannot do the task (a weak knowledge cell)."""
    knowledge = next((c for c in cells if c.cell is GilbertCell.knowledge), None)
    return knowledge is not None and knowledge.score is not None and knowledge.score < WEAK_BELOW


def in_place(intervention: Intervention, answers: Mapping[str, AnswerValue] | None) -> bool:
    """Whether the answers show the intervention is already in place and working."""
    if intervention.in_place_when is None or answers is None:
        return False
    return evaluate(intervention.in_place_when, answers)


@dataclass
class _Candidate:
    item: Intervention
    priority: float
    helped: float
    suited: bool
    chief: list[str]


def _individual_chief(item: Intervention, kinds: Mapping[str, FactorKind]) -> bool:
    return any(kinds.get(f) is FactorKind.individual for f in item.factors)


def _candidate(
    item: Intervention,
    needs: Mapping[str, Need],
    kinds: Mapping[str, FactorKind],
    scope: Scope | None,
    few: bool,
) -> _Candidate | None:
    if item.suits and scope not in item.suits:
        return None
    best = 0.0
    chief: list[str] = []
    for factor in item.factors:
        amount = needs[factor].amount if factor in needs else 0.0
        if (
            few
            and item.level is not Level.individual
            and kinds.get(factor) is FactorKind.individual
        ):
            amount *= GROUP_SHARE
        if amount > 0:
            chief.append(factor)
            best = max(best, amount)
    if not chief:
        return None
    helped = sum(needs[f].amount for f in item.helps if f in needs)
    return _Candidate(item, round(best, 4), round(helped, 4), bool(item.suits), chief)


def _sort_key(
    candidate: _Candidate, cant_do: bool = False
) -> tuple[float, int, bool, float, int, bool, int, str]:
    item = candidate.item
    return (
        -candidate.priority,
        -int(candidate.suited),
        item.is_training and not cant_do,
        -candidate.helped,
        STAGE_ORDER[item.stage],
        item.is_training,
        _EFFORT_ORDER[item.effort.value],
        item.id,
    )


def _triggers(
    candidate: _Candidate,
    needs: Mapping[str, Need],
    contributions: Sequence[Contribution],
    questionnaire: Questionnaire,
    notes: Mapping[str, str],
) -> list[Trigger]:
    """The answers that bear on the chief causes, worst first."""
    sources = set(candidate.chief) | {m for f in candidate.chief for m in needs[f].moved_from}
    bar = WEAK_BELOW / 100
    chosen = sorted(
        (
            c
            for c in contributions
            if c.target == "factor" and c.target_id in sources and c.health < bar
        ),
        key=lambda c: (-c.weight * (bar - c.health), c.question),
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
    candidate: _Candidate,
    needs: Mapping[str, Need],
    scores: Mapping[str, FactorScore],
    diagnosis: Diagnosis,
    cant_do: bool,
) -> str:
    item = candidate.item
    chief = [scores[f] for f in candidate.chief if f in scores]
    parts = []
    listed = ", ".join(
        s.title.lower() + (f" ({s.score:.0f}/100)" if s.score is not None else "") for s in chief
    )
    parts.append(f"Chiefly fixes {listed}.")
    for source in sorted({m for f in candidate.chief for m in needs[f].moved_from}):
        cell = scores[source].gilbert
        parts.append(
            f"The low {scores[source].title.lower()} score is shared widely, so it is read as "
            f"a symptom of {SYMPTOM_OF[cell]}."
        )
    helped = [scores[f] for f in item.helps if f in scores and needs[f].amount > 0]
    if helped:
        parts.append("Also helps " + ", ".join(s.title.lower() for s in helped) + ".")
    few = diagnosis.scope is Scope.few_individuals
    if few and any(f.kind is FactorKind.individual for f in chief):
        if item.level is Level.individual:
            parts.append("Aimed at the people concerned, so it comes before help for a group.")
        else:
            parts.append(
                f"Aimed at {LEVEL_WORDS[item.level]} while the gap is in a few people, so it "
                "comes after help for those people."
            )
    if item.suits and diagnosis.scope in item.suits:
        parts.append("Aimed at the teams where service is weaker.")
    if item.is_training:
        if cant_do:
            parts.append("Training fits: the answers show people who genuinely cannot do the task.")
        else:
            parts.append("Training aimed at a cause in the organisation, not at individual skill.")
    return " ".join(parts)


def recommend(
    interventions: Mapping[str, Intervention],
    factors: Sequence[FactorScore],
    cells: Sequence[GilbertScore],
    diagnosis: Diagnosis,
    contributions: Sequence[Contribution],
    questionnaire: Questionnaire,
    notes: Mapping[str, str],
    *,
    answers: Mapping[str, AnswerValue] | None = None,
    also_individuals: bool = False,
) -> list[Recommendation]:
    """Return the plan: first steps, then next steps, each aimed at a weak cause."""
    if diagnosis.verdict is Verdict.undetermined:
        return []
    needs = factor_needs(factors, diagnosis, also_individuals=also_individuals)
    scores = {f.id: f for f in factors}
    kinds = {f.id: f.kind for f in factors}
    cant_do = genuine_cant_do(cells)
    few = diagnosis.scope is Scope.few_individuals
    candidates: list[_Candidate] = []
    for item in interventions.values():
        if in_place(item, answers):
            continue
        candidate = _candidate(item, needs, kinds, diagnosis.scope, few)
        if candidate is None:
            continue
        if item.is_training and _individual_chief(item, kinds) and not cant_do:
            continue
        candidates.append(candidate)
    candidates.sort(key=lambda c: _sort_key(c, cant_do))

    limit = 1 if diagnosis.verdict is Verdict.healthy else MAX_ITEMS
    chosen: list[_Candidate] = []
    covered: set[str] = set()
    for candidate in candidates:
        if len(chosen) == limit:
            break
        if set(candidate.chief) - covered:
            chosen.append(candidate)
            covered.update(candidate.chief)
    if cant_do and limit > 1 and not any(c.item.is_training for c in chosen):
        training = [
            c
            for c in candidates
            if c.item.is_training
            and "individual_skill" in (*c.item.factors, *c.item.helps)
            and c not in chosen
        ]
        if training:
            chosen = [*chosen[: limit - 1], training[0]]

    ordered = sorted(chosen, key=lambda c: _sort_key(c, cant_do))
    first = ordered[:FIRST_STEPS]
    rest = ordered[FIRST_STEPS:]

    individual_first = diagnosis.verdict is Verdict.individual

    def by_stage(group: list[_Candidate]) -> list[_Candidate]:
        def side(c: _Candidate) -> int:
            personal = all(kinds.get(f) is FactorKind.individual for f in c.chief)
            return 0 if personal == individual_first else 1

        return sorted(group, key=lambda c: (side(c), STAGE_ORDER[c.item.stage], _sort_key(c)))

    plan = [(PlanStep.first, c) for c in by_stage(first)] + [
        (PlanStep.next, c) for c in by_stage(rest)
    ]
    return [
        Recommendation(
            rank=rank,
            intervention=c.item.id,
            title=c.item.title,
            level=c.item.level,
            effort=c.item.effort,
            is_training=c.item.is_training,
            priority=c.priority,
            factors=list(c.chief),
            chief_factors=list(c.chief),
            rationale=_rationale(c, needs, scores, diagnosis, cant_do),
            triggers=_triggers(c, needs, contributions, questionnaire, notes),
            step=step,
            owner=c.item.owner or c.item.level,
        )
        for rank, (step, c) in enumerate(plan, start=1)
    ]


def already_in_place(
    interventions: Mapping[str, Intervention], answers: Mapping[str, AnswerValue]
) -> list[str]:
    """Titles of the interventions the answers show are already in place and working."""
    return [item.title for item in interventions.values() if in_place(item, answers)]

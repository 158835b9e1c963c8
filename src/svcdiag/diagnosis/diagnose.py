"""The diagnosis rules: system, mixed or individual, and why (METHODS §4).

Three facts decide the verdict:

* the **scope** of the problem, from the chosen option that carries a
  ``scope`` (widespread, some teams, a few individuals, none, or not known);
  when several scope answers disagree the widest is used;
* the **environment**: ``weak`` when any scored environment cell of Gilbert's
  model (information, instrumentation, incentives), or any scored system
  factor, is below :data:`HEALTHY_AT`, ``healthy`` when all scored ones are
  at or above it, ``unknown`` when no cell has enough answers;
* an **individual deficit**: any scored individual cell (knowledge,
  capacity, motives) below :data:`HEALTHY_AT`.

:data:`RULES` is read top to bottom and the first matching row decides. Its
principles: a widespread problem is a system problem whatever the attitude
answers say; individual causes only when the scope is limited to a few people
and the environment is healthy; a few people struggling in a weak environment
while the individual cells are healthy is a system problem, since nothing
points to them; low motivation or skill across the board (``as_symptom``) is
read as a symptom of the matching environment cell, not as a fault in people.
When nothing is wrong the verdict is ``healthy`` (no major service problem),
never ``system``; when too little is known to say, it is ``undetermined``.
Both have ``major_problem`` false. ``undetermined`` also wins whatever the
rule when fewer than :data:`MIN_ANSWERED_SHARE` of the questions that carry
evidence have a real answer.

A factor or cell is *weak* below :data:`HEALTHY_AT`, one mark used by the
diagnosis, the plan (:mod:`.recommend`) and the report legend.

The confidence is the rule's base confidence scaled by how much of the
questionnaire was really answered: ``base * (0.6 + 0.4 * answered/asked)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from svcdiag.diagnosis.evidence import ScopeAnswer
from svcdiag.models.analysis import (
    ConfidenceLevel,
    Coverage,
    Diagnosis,
    FactorScore,
    GilbertScore,
    Verdict,
)
from svcdiag.models.catalogue import FactorKind, GilbertCell
from svcdiag.models.questionnaire import Scope

#: A cell or factor scoring at least this is healthy; below it, weak.
HEALTHY_AT = 60.0
#: Below this share of evidence-carrying questions answered, the verdict is undetermined.
MIN_ANSWERED_SHARE = 0.25
#: The highest confidence one respondent's opinion can earn without client data.
SINGLE_VIEW_CAP = 0.74

#: Widest first: when scope answers disagree, the earliest in this list wins.
SCOPE_ORDER = (Scope.widespread, Scope.some_teams, Scope.few_individuals, Scope.none)

#: Gilbert's columns: each individual cell sits under the environment cell that shapes it.
PAIRED_ENVIRONMENT = {
    GilbertCell.knowledge: GilbertCell.information,
    GilbertCell.capacity: GilbertCell.instrumentation,
    GilbertCell.motives: GilbertCell.incentives,
}

#: How a symptom in an individual cell is explained to the client.
SYMPTOM_OF = {
    GilbertCell.knowledge: "unclear expectations, guidance and feedback",
    GilbertCell.capacity: "tools, processes and the design of the job",
    GilbertCell.motives: "incentives, involvement and management",
}

ScopeKey = Literal["widespread", "some_teams", "few_individuals", "none", "unknown"]
EnvState = Literal["weak", "healthy", "unknown"]
PeopleState = Literal["deficit", "none"]

_SCOPE_WORDS: dict[ScopeKey, str] = {
    "widespread": "the problem is widespread",
    "some_teams": "the problem is limited to some teams",
    "few_individuals": "the problem is limited to a few individuals",
    "none": "there is no real service problem at present",
    "unknown": "the reach of the problem is not known",
}


@dataclass(frozen=True)
class Rule:
    """One row of the rules table; None matches anything."""

    id: str
    scope: ScopeKey | None
    environment: EnvState | None
    people: PeopleState | None
    verdict: Verdict
    confidence: float
    major_problem: bool
    as_symptom: bool

    def matches(self, scope: ScopeKey, environment: EnvState, people: PeopleState) -> bool:
        """Whether this row applies."""
        return (
            self.scope in (None, scope)
            and self.environment in (None, environment)
            and self.people in (None, people)
        )

    @property
    def headline(self) -> str:
        """The verdict in one sentence for the client."""
        return _HEADLINES[self.verdict]

    @property
    def explanation(self) -> str:
        """Why this rule decides as it does, in plain words."""
        return _EXPLANATIONS[self.id]


_HEADLINES = {
    Verdict.system: "The causes lie mostly in the system: how the organisation leads, "
    "organises, equips and rewards its people.",
    Verdict.mixed: "Both the system and some individuals contribute; fix the environment first.",
    Verdict.individual: "The causes lie mainly with a few individuals in a healthy environment.",
    Verdict.healthy: "No major service problem found: the organisation supports good service.",
    Verdict.undetermined: "Too little is known yet to say where the causes lie.",
}

_S, _M, _I = Verdict.system, Verdict.mixed, Verdict.individual
_H, _U = Verdict.healthy, Verdict.undetermined

#: The rules, first match wins; the last row matches everything. Every
#: (scope, environment, people) combination has a row whose verdict and explanation
#: agree (tests/diagnosis/test_diagnose.py checks each combination).
# fmt: off
RULES: tuple[Rule, ...] = tuple(Rule(*row) for row in (
    # id                        scope              env        people     verd conf  major  symptom
    ("widespread_weak_env",      "widespread",      "weak",    None,      _S, 0.95, True,  True),
    ("widespread_unknown_env",   "widespread",      "unknown", None,      _S, 0.60, True,  True),
    ("widespread",               "widespread",      "healthy", None,      _S, 0.70, True,  True),
    ("teams_weak_env",           "some_teams",      "weak",    None,      _S, 0.85, True,  True),
    ("teams_people",             "some_teams",      "healthy", "deficit", _M, 0.60, True,  False),
    ("teams",                    "some_teams",      "healthy", "none",    _S, 0.50, True,  True),
    ("teams_unknown_env",        "some_teams",      "unknown", "deficit", _M, 0.40, True,  False),
    ("teams_unknown_env_no_gap", "some_teams",      "unknown", "none",    _S, 0.40, True,  False),
    ("few_people",               "few_individuals", "healthy", "deficit", _I, 0.90, True,  False),
    ("few_people_no_gap",        "few_individuals", "healthy", "none",    _I, 0.60, True,  False),
    ("few_weak_env",             "few_individuals", "weak",    "deficit", _M, 0.70, True,  False),
    ("few_weak_env_no_gap",      "few_individuals", "weak",    "none",    _S, 0.65, True,  True),
    ("few_unknown_env",          "few_individuals", "unknown", "deficit", _M, 0.40, True,  False),
    ("few_unknown_env_no_gap",   "few_individuals", "unknown", "none",    _U, 0.30, False, False),
    ("none_healthy",             "none",            "healthy", "none",    _H, 0.80, False, False),
    ("none_healthy_people",      "none",            "healthy", "deficit", _H, 0.60, False, False),
    ("none_weak_env",            "none",            "weak",    None,      _S, 0.60, True,  True),
    ("none_unknown_env",         "none",            "unknown", None,      _U, 0.20, False, False),
    ("unknown_weak_env",         "unknown",         "weak",    None,      _S, 0.60, True,  True),
    ("unknown_people",           "unknown",         "healthy", "deficit", _M, 0.45, True,  False),
    ("unknown_healthy",          "unknown",         "healthy", "none",    _H, 0.60, False, False),
    ("too_little_evidence",      None,              None,      None,      _U, 0.20, False, False),
))
# fmt: on

_EXPLANATIONS = {
    "widespread_weak_env": "A widespread problem with a weak environment is a system problem: "
    "it is management's to fix, whatever the attitude answers say.",
    "widespread_unknown_env": "A widespread problem is a system problem whatever the attitude "
    "answers say, although too few answers describe the environment to show where in the "
    "system to start.",
    "widespread": "A widespread problem is a system problem whatever the attitude answers "
    "say, although the environment answers look better than the scope suggests.",
    "teams_weak_env": "A problem confined to some teams, with a weak environment, points to "
    "how those teams are managed, equipped and measured.",
    "teams_people": "The environment is healthy overall but some teams struggle and "
    "individual cells are weak: check the teams' local management before the people.",
    "teams": "The problem is confined to some teams and no individual gap shows: look at how "
    "those teams are run.",
    "teams_unknown_env": "The problem is confined to some teams and individual cells are "
    "weak, but too few answers describe the environment to tell system from individual "
    "causes.",
    "teams_unknown_env_no_gap": "The problem is confined to some teams and no individual gap "
    "shows, although too few answers describe the environment: look first at how those "
    "teams are run.",
    "few_people": "The problem is limited to a few people, the environment is healthy and the "
    "individual cells show a gap: an individual cause is likely.",
    "few_people_no_gap": "The problem is limited to a few people and the environment is "
    "healthy, but the answers show no specific gap: look at those people's situation one by "
    "one.",
    "few_weak_env": "The problem is said to be limited to a few people, but the environment "
    "is weak and the individual cells show a gap too: both play a part, so fix the "
    "environment before judging the individuals.",
    "few_weak_env_no_gap": "The problem is said to be limited to a few people, but nothing "
    "points to an individual cause: the individual cells are healthy and the environment is "
    "weak, so those people are most likely struggling with the environment.",
    "few_unknown_env": "The problem is said to be limited to a few people and the individual "
    "cells show a gap, but too few answers describe the environment to rule out a system "
    "cause.",
    "few_unknown_env_no_gap": "The problem is said to be limited to a few people, but too few "
    "answers describe the environment and the individual cells show no gap: there is too "
    "little evidence to tell a system cause from an individual one.",
    "none_healthy": "No problem is reported and the environment is healthy: there is no "
    "major service problem to fix.",
    "none_healthy_people": "No problem is reported and the environment is healthy; the low "
    "individual scores point to no service problem, but are worth checking with the people "
    "concerned.",
    "none_weak_env": "No problem is reported, yet the environment is weak: the answers point "
    "to system causes that may not yet show to customers.",
    "none_unknown_env": "No problem is reported, and too few answers describe the environment "
    "to say more.",
    "unknown_weak_env": "The reach of the problem is not known, but the environment is weak: "
    "start with the system.",
    "unknown_people": "The reach of the problem is not known; the environment is healthy but "
    "individual cells are weak: find out whether few or many people are affected.",
    "unknown_healthy": "The environment and the individual cells are healthy: there is no "
    "major service problem to fix.",
    "too_little_evidence": "Neither the reach of the problem nor the environment is known well "
    "enough to reach a verdict.",
    "too_little_answered": "Too few questions have a real answer to reach a verdict: finish the "
    "interview, or interview someone who knows the area.",
}

#: Used instead of the table when too little of the questionnaire was answered.
TOO_LITTLE_ANSWERED = Rule("too_little_answered", None, None, None, _U, 0.15, False, False)


def choose_rule(scope: ScopeKey, environment: EnvState, people: PeopleState) -> Rule:
    """Return the first rule that matches the three facts."""
    for rule in RULES:
        if rule.matches(scope, environment, people):
            return rule
    raise AssertionError("the last rule matches everything")  # pragma: no cover


def widest_scope(scopes: Sequence[ScopeAnswer]) -> Scope | None:
    """The widest scope answered, or None when none was."""
    found = {s.scope for s in scopes}
    return next((s for s in SCOPE_ORDER if s in found), None)


def environment_state(
    cells: Sequence[GilbertScore], factors: Sequence[FactorScore] = ()
) -> EnvState:
    """Weak, healthy or unknown, from the scored environment cells and system factors.

    Weak when any scored environment cell, or any scored system factor, is
    below :data:`HEALTHY_AT`: one broken cause (tools at 10/100) is not hidden
    by healthy neighbours in its cell.
    """
    scored = [c.score for c in cells if c.side == "environment" and c.score is not None]
    if not scored:
        return "unknown"
    weak_factor = any(
        f.kind is FactorKind.system and f.score is not None and f.score < HEALTHY_AT
        for f in factors
    )
    return "weak" if weak_factor or min(scored) < HEALTHY_AT else "healthy"


def people_state(cells: Sequence[GilbertScore]) -> PeopleState:
    """Whether any scored individual cell is below the healthy mark."""
    weak = [
        c for c in cells if c.side == "individual" and c.score is not None and c.score < HEALTHY_AT
    ]
    return "deficit" if weak else "none"


def confidence_level(confidence: float) -> ConfidenceLevel:
    """A word for a confidence between 0 and 1."""
    if confidence >= 0.75:
        return ConfidenceLevel.high
    if confidence >= 0.5:
        return ConfidenceLevel.medium
    return ConfidenceLevel.low


def _fmt(score: float | None) -> str:
    return "too few answers" if score is None else f"{score:.1f}"


def _cell_text(cell: GilbertScore) -> str:
    if cell.score is None:
        return f"{cell.cell.value}: too few answers"
    return f"{cell.cell.value} {cell.score:.1f}"


def _answers(count: int) -> str:
    return f"{count} answer" if count == 1 else f"{count} answers"


def _cells_sentence(cells: Sequence[GilbertScore], side: str) -> str:
    parts = [_cell_text(c) for c in cells if c.side == side]
    what = "what the organisation provides" if side == "environment" else "what people bring"
    return f"Gilbert's {side} cells ({what}): {'; '.join(parts)}."


def _asked(answer: ScopeAnswer) -> str:
    """The question as the respondent heard it (its id only when no text is known)."""
    return answer.question_text or answer.question


def _scope_reasons(scopes: Sequence[ScopeAnswer], scope: Scope | None) -> list[str]:
    if scope is None:
        return [
            "No answer says how far the problem reaches, so the verdict rests on the scores alone."
        ]
    first = next(s for s in scopes if s.scope is scope)
    reasons = [
        f'Asked "{_asked(first)}", the respondent answered "{first.answer_text}": '
        f"{_SCOPE_WORDS[scope.value]}."
    ]
    others = {s.scope for s in scopes} - {scope}
    if others == {Scope.few_individuals} and scope in (Scope.widespread, Scope.some_teams):
        named = next(s for s in scopes if s.scope is Scope.few_individuals)
        reasons.append(
            f'Asked "{_asked(named)}", the respondent answered "{named.answer_text}": a few '
            "particular people are named as well, so the plan holds help aimed at them beside "
            "the changes to the system."
        )
    elif others:
        listed = "; ".join(f'"{_asked(s)}": {s.answer_text}' for s in scopes)
        reasons.append(f"The scope answers disagree ({listed}); the widest is used.")
    return reasons


def _weak_factors_sentence(factors: Sequence[FactorScore]) -> str | None:
    weak = sorted(
        (
            f
            for f in factors
            if f.kind is FactorKind.system and f.score is not None and f.score < HEALTHY_AT
        ),
        key=lambda f: (f.score, f.id),
    )[:3]
    if not weak:
        return None
    parts = [f"{f.title} ({_fmt(f.score)}, {_answers(f.answered)})" for f in weak]
    return "The weakest system factors are " + "; ".join(parts) + "."


def _symptom_sentences(
    cells: Sequence[GilbertScore], factors: Sequence[FactorScore], scope: ScopeKey
) -> list[str]:
    sentences = []
    for cell in cells:
        if cell.side != "individual" or cell.score is None or cell.score >= HEALTHY_AT:
            continue
        questions = sorted({q for f in factors if f.gilbert is cell.cell for q in f.questions})
        sentences.append(
            f"The low {cell.cell.value} score ({_fmt(cell.score)}, from "
            f"{', '.join(questions)}) is read as a symptom of {SYMPTOM_OF[cell.cell]}, not "
            f"as a fault in individuals, because {_symptom_why(scope)}."
        )
    if not sentences:
        sentences.append(
            f"Because {_symptom_why(scope)}, answers about motivation or skill are not read "
            f"as faults in individuals: they are symptoms of "
            f"{SYMPTOM_OF[GilbertCell.motives]}."
        )
    return sentences


def _symptom_why(scope: ScopeKey) -> str:
    return "the problem is widespread" if scope == "widespread" else "the environment is weak"


def _coverage_sentence(coverage: Coverage) -> str | None:
    if coverage.questions and coverage.answered == coverage.questions:
        return None
    return (
        f"{coverage.answered} of {coverage.questions} questions that carry evidence have a "
        f"real answer ({coverage.unknown} don't know, {coverage.skipped} skipped, "
        f"{coverage.ignored} ignored); the confidence is lowered to match."
    )


def diagnose(
    scopes: Sequence[ScopeAnswer],
    cells: Sequence[GilbertScore],
    factors: Sequence[FactorScore],
    coverage: Coverage,
    *,
    respondents: int = 1,
    with_data: bool = False,
) -> Diagnosis:
    """Reach the verdict from the scope answers, Gilbert's cells and the factor scores.

    One respondent without client data (``with_data``) never earns more than
    :data:`SINGLE_VIEW_CAP`, a medium confidence.
    """
    scope = widest_scope(scopes)
    scope_key: ScopeKey = scope.value if scope is not None else "unknown"
    env = environment_state(cells, factors)
    people = people_state(cells)
    rule = choose_rule(scope_key, env, people)
    if coverage.questions and coverage.answered < MIN_ANSWERED_SHARE * coverage.questions:
        rule = TOO_LITTLE_ANSWERED

    reasons = _scope_reasons(scopes, scope)
    reasons.append(_cells_sentence(cells, "environment"))
    weak = _weak_factors_sentence(factors)
    if weak:
        reasons.append(weak)
    reasons.append(_cells_sentence(cells, "individual"))
    symptoms = _symptom_sentences(cells, factors, scope_key) if rule.as_symptom else []
    reasons.extend(symptoms)
    reasons.append(rule.explanation)
    covered = coverage.answered / coverage.questions if coverage.questions else 0.0
    thin = _coverage_sentence(coverage)
    if thin:
        reasons.append(thin)
    confidence = round(rule.confidence * (0.6 + 0.4 * covered), 2)
    if respondents == 1 and not with_data and confidence > SINGLE_VIEW_CAP:
        confidence = SINGLE_VIEW_CAP
        reasons.append(
            "This rests on one respondent's view, with no client data attached, so the "
            "confidence is at most medium: interview others or attach the client's data "
            "(svcdiag nps, svcdiag variation) to firm it up."
        )
    return Diagnosis(
        verdict=rule.verdict,
        confidence=confidence,
        confidence_level=confidence_level(confidence),
        major_problem=rule.major_problem,
        scope=scope,
        rule=rule.id,
        individual_as_symptom=rule.as_symptom,
        headline=rule.headline,
        reasons=reasons,
    )

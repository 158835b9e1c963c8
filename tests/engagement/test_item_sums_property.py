"""No answer of fewer than the floor follows from any combination of the figures shown.

An independent check of the floor question by question: it does not use the
report's own model (cells, patterns, :mod:`svcdiag.engagement.differencing`).
Its unknowns are each person's answer to each question. Every figure the
report shows that is a sum of answers becomes a vector over those unknowns:

* a shown group's score (a group's, or everyone's in the diagnosis): each
  answer weighted by its weight toward the score (its weight sum is taken as
  known, so the score gives the weighted sum);
* one side of a question's gap: the side's sum of answers (mean times n);
* one side of a score's gap: each person's own score, that is each of their
  answers weighted by its weight over the person's own total weight.

A reader can make any linear combination of those vectors. The check asks,
for every question and every set of fewer than the floor of the people who
answered it (and every such set's weighted sum on every score, and the sum
of their own scores), whether that vector lies in the span of the shown
ones, by projecting it on an orthonormal basis of the span (numpy's SVD). The
organisation's own sets are exempt, as in the report.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.diagnosis.evidence import collect_evidence
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import Person, Respondents
from svcdiag.models.engagement_report import EngagementReport
from tests.engagement.conftest import engagement_file, make_people

ROLES = {
    "all": {"board", "manager", "staff", "frontline", "customer"},
    "leaders": {"board", "manager"},
    "workforce": {"staff", "frontline"},
    **{r: {r} for r in ("board", "manager", "staff", "frontline", "customer")},
}
#: Questions people may skip: those of the leaders' commitment, "Driven from the top",
#: customer insight and staff care.
SKIPPABLE = [
    "board_vision",
    "leaders_visible",
    "leaders_listen",
    "staff_cared_for",
    "vision_in_own_words",
    "customer_research",
    "nps_measured",
    "recognition",
]
#: An unknown: a person's answer to a question with a scale, (person, question); or, for
#: a chosen option, what it gives one score, (person, question, score).
Unknown = tuple[Any, ...]
Target = tuple[str, str]
Weights = Sequence[Mapping[str, Mapping[Target, float]]]


def _contributions(people: Sequence[Person]) -> tuple[list[dict[str, dict[Target, float]]], set]:
    """Per person, per question, the weight of the answer toward each score; scaled questions."""
    diagnostic = load_questionnaire("diagnostic").questionnaire
    scaled = {q.id for q in diagnostic.questions() if q.type.value in ("likert", "scale", "yes_no")}
    found = []
    for person in people:
        mine: dict[str, dict[Target, float]] = {}
        for item in collect_evidence(diagnostic, person.answers).contributions:
            aims = mine.setdefault(item.question, {})
            aim = (item.target, item.target_id)
            aims[aim] = aims.get(aim, 0.0) + item.weight
        found.append(mine)
    return found, scaled


def _members(group: str, people: Sequence[Person]) -> list[int]:
    role, _, unit = group.partition("@unit:")
    if group.startswith("unit:"):
        role, unit = "all", group.removeprefix("unit:")
    return [
        i for i, p in enumerate(people) if p.role in ROLES[role] and (not unit or p.unit == unit)
    ]


def _unknown(i: int, q: str, target: Target, scaled: set) -> Unknown:
    return (i, q) if q in scaled else (i, q, target)


def _part(i: int, target: Target, weights: Weights, scaled: set, own: bool) -> dict:
    """Person i's weighted answers toward ``target`` (over their own total weight: ``own``)."""
    part = {
        _unknown(i, q, target, scaled): aims[target]
        for q, aims in weights[i].items()
        if aims.get(target, 0) > 0
    }
    total = sum(part.values())
    return {u: x / total for u, x in part.items()} if own else part


def _figures(
    report: EngagementReport, people: Sequence[Person], weights: Weights, scaled: set
) -> list[dict[Unknown, float]]:
    """Every figure of the report that is a linear sum of answers, as a vector."""
    figures: list[dict[Unknown, float]] = []

    def combined(who: Sequence[int], target: Target, own: bool) -> dict[Unknown, float]:
        return {u: x for i in who for u, x in _part(i, target, weights, scaled, own).items()}

    for group in report.groups:
        if group.suppressed:
            continue
        who = _members(group.group, people)
        for kind, scores in (("characteristic", group.characteristics), ("factor", group.factors)):
            for ident, score in (scores or {}).items():
                if score is not None:
                    figures.append(combined(who, (kind, ident), own=False))
    sides = [_members("leaders", people), _members("workforce", people)]
    for gap in report.gaps:
        for who in sides:
            if gap.kind == "question":
                figures.append({(i, gap.id): 1.0 for i in who if gap.id in weights[i]})
            else:
                figures.append(combined(who, (gap.kind, gap.id), own=True))
    return [f for f in figures if f]


def _leaks(weights: Weights, scaled: set, figures: list[dict], floor: int) -> list[str]:
    """Every small set whose answers, weighted sum or own scores lie in the figures' span."""
    unknowns = sorted({u for f in figures for u in f}, key=str)
    if not unknowns:
        return []
    column = {u: j for j, u in enumerate(unknowns)}
    matrix = np.zeros((len(figures), len(unknowns)))
    for i, figure in enumerate(figures):
        for u, v in figure.items():
            matrix[i, column[u]] = v
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[: int(np.sum(singular > 1e-9 * singular.max()))]

    def projected(vector: Mapping[Unknown, float]) -> tuple[np.ndarray, float] | None:
        """The vector's coordinates on the basis, and its squared length (None: in no figure)."""
        if not vector or any(u not in column for u in vector):
            return None
        cols = [column[u] for u in vector]
        values = np.array(list(vector.values()))
        return basis[:, cols] @ values, float(values @ values)

    def small_sets(parts: Sequence[tuple[np.ndarray, float] | None], label: str) -> list[str]:
        """The sets of fewer than ``floor`` of ``parts`` (people) whose sum is in the span.

        The people's parts have disjoint unknowns, so a sum's squared length is the sum
        of theirs; it is in the span when its projection keeps all of it.
        """
        found = []
        known = [k for k, p in enumerate(parts) if p is not None]
        for size in range(1, floor):
            if size >= len(parts):
                break  # everyone's: the organisation's own
            for chosen in itertools.combinations(known, size):
                coords = sum(parts[k][0] for k in chosen)  # type: ignore[index]
                length = sum(parts[k][1] for k in chosen)  # type: ignore[index]
                if length - float(coords @ coords) < 1e-9 * length:
                    found.append(f"{label}: people {chosen}")
        return found

    found = []
    for q in sorted(scaled & {q for mine in weights for q in mine}):
        answered = [i for i, mine in enumerate(weights) if q in mine]
        found += small_sets([projected({(i, q): 1.0}) for i in answered], q)
    targets = sorted({t for mine in weights for aims in mine.values() for t in aims})
    for target in targets:
        scored = [i for i, mine in enumerate(weights) if any(target in a for a in mine.values())]
        for own in (False, True):
            parts = [projected(_part(i, target, weights, scaled, own)) for i in scored]
            found += small_sets(parts, f"{target[1]}{' (own)' if own else ''}")
    return found


@st.composite
def engagements(draw: st.DrawFn) -> tuple[list[tuple[str, str | None, int]], list[list[str]]]:
    """Up to a dozen people in two units and five roles; each skips some questions."""
    plan = [
        (role, unit, draw(st.sampled_from([0, 0, 1, 2, 3])))
        for role in ("board", "manager", "frontline", "staff", "customer")
        for unit in ("a", "b")
    ]
    total = sum(n for *_, n in plan)
    skips = draw(
        st.lists(
            st.lists(st.sampled_from(SKIPPABLE), max_size=3, unique=True),
            min_size=total,
            max_size=total,
        )
    )
    return plan, skips


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(engagements(), st.integers(3, 4))
def test_no_combination_of_shown_figures_gives_fewer_than_the_floor(layout, floor: int) -> None:
    plan, skips = layout
    people = [
        Person(**{**p.__dict__, "answers": {k: v for k, v in p.answers.items() if k not in s}})
        for p, s in zip(make_people(plan, seed=len(skips)), skips, strict=True)
    ]
    report = build_report(
        engagement_file([("a", None), ("b", None)], floor=floor),
        load_questionnaire("diagnostic"),
        Respondents(people=people),
    )
    weights, scaled = _contributions(people)
    assert _leaks(weights, scaled, _figures(report, people, weights, scaled), floor) == []


def test_the_checker_finds_the_leak_of_a_score_less_its_other_questions() -> None:
    # the check itself can fail: four leaders, the managers skipped leaders_visible;
    # the leaders' commitment score and their gaps on its three other questions
    people = [
        Person(
            **{
                **p.__dict__,
                "answers": {
                    k: v
                    for k, v in p.answers.items()
                    if not (p.role == "manager" and k == "leaders_visible")
                },
            }
        )
        for p in make_people([("board", None, 1), ("manager", None, 3), ("frontline", None, 4)])
    ]
    weights, scaled = _contributions(people)
    leaders = [0, 1, 2, 3]
    commitment = ("factor", "leadership_commitment")
    figures = [
        {(i, q): a[commitment] for i in leaders for q, a in weights[i].items() if commitment in a}
    ]
    figures += [
        {(i, q): 1.0 for i in leaders if q in weights[i]}
        for q in ("board_vision", "leaders_listen", "staff_cared_for")
    ]
    assert "leaders_visible: people (0,)" in _leaks(weights, scaled, figures, 3)

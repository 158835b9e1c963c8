"""Pool evidence into 0-100 scores for factors, characteristics and Gilbert's cells.

A score is the weighted mean health of the contributions behind it, times 100,
rounded to one decimal place (halves up)::

    score = round(100 * sum(weight_i * health_i) / sum(weight_i), 1)

It counts the distinct questions behind it (``answered``). With fewer than
:data:`MIN_ANSWERS` questions the status is ``insufficient`` and the score is
None: one answer is an anecdote, not a measurement.

A Gilbert cell pools the contributions of all the factors that sit in it (so a
factor with many answers counts for more than one with few), and follows the
same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from svcdiag.diagnosis.evidence import Contribution
from svcdiag.models.analysis import CharacteristicScore, FactorScore, GilbertScore, Status
from svcdiag.models.catalogue import (
    ENVIRONMENT_CELLS,
    INDIVIDUAL_CELLS,
    Characteristic,
    Factor,
)

#: Fewest questions behind a score before it is shown.
MIN_ANSWERS = 2


def round_score(value: float) -> float:
    """Round to one decimal place, halves up, as a person working by hand would.

    The value is first rounded to nine places, so that float noise such as
    ``63.74999999`` for 63.75 does not decide the last digit.
    """
    exact = Decimal(repr(round(value, 9)))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class Pool:
    """Running weighted sum of the health of some contributions."""

    def __init__(self, contributions: Iterable[Contribution] = ()) -> None:
        self.weight = 0.0
        self.weighted_health = 0.0
        self.questions: list[str] = []
        for item in contributions:
            self.add(item)

    def add(self, item: Contribution) -> None:
        """Count one more contribution."""
        self.weight += item.weight
        self.weighted_health += item.weight * item.health
        if item.question not in self.questions:
            self.questions.append(item.question)

    @property
    def answered(self) -> int:
        """Distinct questions behind the pool."""
        return len(self.questions)

    @property
    def status(self) -> Status:
        """Whether there are enough questions to show a score."""
        return Status.ok if self.answered >= MIN_ANSWERS else Status.insufficient

    @property
    def score(self) -> float | None:
        """The 0-100 score, or None when the evidence is insufficient."""
        if self.status is Status.insufficient or self.weight <= 0:
            return None
        return round_score(100 * self.weighted_health / self.weight)

    def fields(self) -> dict[str, Any]:
        """The score fields every scored item (factor, characteristic) carries."""
        return {
            "score": self.score,
            "answered": self.answered,
            "weight": round(self.weight, 3),
            "status": self.status,
            "questions": self.questions,
        }


def _by_target(contributions: Iterable[Contribution], target: str) -> dict[str, Pool]:
    pools: dict[str, Pool] = {}
    for item in contributions:
        if item.target == target:
            pools.setdefault(item.target_id, Pool()).add(item)
    return pools


def score_factors(
    factors: Mapping[str, Factor], contributions: Iterable[Contribution]
) -> list[FactorScore]:
    """Score every factor in the catalogue (those without evidence are insufficient)."""
    pools = _by_target(contributions, "factor")
    result = []
    for factor in factors.values():
        pool = pools.get(factor.id, Pool())
        result.append(
            FactorScore(
                id=factor.id,
                title=factor.title,
                kind=factor.kind,
                gilbert=factor.gilbert,
                **pool.fields(),
            )
        )
    return result


def score_characteristics(
    characteristics: Mapping[str, Characteristic], contributions: Iterable[Contribution]
) -> list[CharacteristicScore]:
    """Score every benchmark characteristic, in their catalogue number order."""
    pools = _by_target(contributions, "characteristic")
    result = []
    for item in sorted(characteristics.values(), key=lambda c: c.number):
        pool = pools.get(item.id, Pool())
        result.append(
            CharacteristicScore(
                id=item.id,
                number=item.number,
                title=item.title,
                **pool.fields(),
            )
        )
    return result


def score_gilbert(
    factors: Mapping[str, Factor], contributions: Iterable[Contribution]
) -> list[GilbertScore]:
    """Score Gilbert's six cells, environment first, each pooling its factors' evidence."""
    items = list(contributions)
    result = []
    for side, cells in (("environment", ENVIRONMENT_CELLS), ("individual", INDIVIDUAL_CELLS)):
        for cell in cells:
            members = [f.id for f in factors.values() if f.gilbert is cell]
            pool = Pool(c for c in items if c.target == "factor" and c.target_id in members)
            result.append(
                GilbertScore(
                    cell=cell,
                    side="environment" if side == "environment" else "individual",
                    score=pool.score,
                    answered=pool.answered,
                    weight=round(pool.weight, 3),
                    status=pool.status,
                    factors=members,
                )
            )
    return result

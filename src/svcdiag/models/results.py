"""Results of ``svcdiag nps`` and ``svcdiag variation``, as saved and exported.

The exported keys are fixed (README, "Evidence from client data"): a result
saved with ``--output`` is read back by :func:`svcdiag.stats.evidence.load_evidence`.
A few fields only help the terminal view (per-group counts, which limit
method each unit used); they are excluded from JSON, YAML and CSV output and
are ``None`` in a result read back from a file.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from svcdiag.models.located import PartError
from svcdiag.models.trusted import all_fields, trusted

#: Tolerance for checks on numbers read back from a saved result.
_SLACK = 1e-6


class Flag(str, Enum):
    """Where a group's NPS interval lies relative to the overall NPS."""

    above = "above"
    below = "below"
    within = "within"


class Status(str, Enum):
    """Where a unit's rate lies relative to its funnel limits."""

    normal = "normal"
    alert_high = "alert_high"
    alarm_high = "alarm_high"
    alert_low = "alert_low"
    alarm_low = "alarm_low"

    @property
    def is_alarm(self) -> bool:
        """Beyond the 99.8 % limits."""
        return self in (Status.alarm_high, Status.alarm_low)


class Verdict(str, Enum):
    """Whether the spread between units is one system's noise or not."""

    common_cause = "common_cause"
    special_cause = "special_cause"


#: The verdict in plain words, as the terminal view and reports say it.
VERDICT_TEXT = {
    Verdict.common_cause: (
        "common cause: the spread between units is what one system produces, look at the system"
    ),
    Verdict.special_cause: ("special cause: these units differ beyond what the system explains"),
}


def _check_interval(low: float, high: float) -> None:
    # The adjusted-Wald interval is centred on a shrunken estimate, so for very
    # small n it need not contain the NPS itself; only its order is checked.
    if low > high + _SLACK:
        raise ValueError(f"ci_low ({low}) is above ci_high ({high})")


class NpsGroup(BaseModel):
    """NPS of one group (``--by``).

    The three counts are optional so that a result saved before they were
    written (it holds only ``group``, ``n``, ``nps``, the interval and the
    flag) still loads as evidence; a group gives all three or none, and when
    given they must add up to ``n`` and give its ``nps``.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, defer_build=True)

    group: str
    n: int = Field(ge=1)
    promoters: int | None = Field(
        None, ge=0, description="Answers of 9 or 10 (absent in results of older versions)."
    )
    passives: int | None = Field(
        None, ge=0, description="Answers of 7 or 8 (absent in results of older versions)."
    )
    detractors: int | None = Field(
        None, ge=0, description="Answers of 0 to 6 (absent in results of older versions)."
    )
    nps: float = Field(ge=-100, le=100)
    ci_low: float = Field(ge=-100, le=100)
    ci_high: float = Field(ge=-100, le=100)
    flag: Flag

    @model_validator(mode="after")
    def _consistent(self) -> NpsGroup:
        counts = (self.promoters, self.passives, self.detractors)
        given = [c for c in counts if c is not None]
        if given and len(given) < len(counts):
            raise ValueError("give all three of promoters, passives and detractors, or none")
        if self.promoters is not None and self.detractors is not None:
            total = sum(given)
            if total != self.n:
                raise ValueError(f"promoters + passives + detractors = {total}, but n = {self.n}")
            expected = 100.0 * (self.promoters - self.detractors) / self.n
            if not math.isclose(self.nps, expected, abs_tol=1e-4):
                raise ValueError(f"nps is {self.nps}, but the counts give {expected:.4f}")
        _check_interval(self.ci_low, self.ci_high)
        return self


class NpsResult(BaseModel):
    """Counts, NPS and its interval, overall and per group."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, defer_build=True)

    n: int = Field(ge=1, description="Valid answers counted.")
    promoters: int = Field(ge=0, description="Answers of 9 or 10.")
    passives: int = Field(ge=0, description="Answers of 7 or 8.")
    detractors: int = Field(ge=0, description="Answers of 0 to 6.")
    nps: float = Field(ge=-100, le=100, description="100 x (share promoters - share detractors).")
    ci_low: float = Field(ge=-100, le=100)
    ci_high: float = Field(ge=-100, le=100)
    confidence: float = Field(gt=0, lt=1, description="Coverage of the interval, e.g. 0.95.")
    skipped: int = Field(0, ge=0, description="Invalid rows skipped (--skip-invalid).")
    groups: list[NpsGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> NpsResult:
        total = self.promoters + self.passives + self.detractors
        if total != self.n:
            raise ValueError(f"promoters + passives + detractors = {total}, but n = {self.n}")
        expected = 100.0 * (self.promoters - self.detractors) / self.n
        if not math.isclose(self.nps, expected, abs_tol=1e-4):
            raise ValueError(f"nps is {self.nps}, but the counts give {expected:.4f}")
        _check_interval(self.ci_low, self.ci_high)
        in_groups = sum(group.n for group in self.groups)
        if self.groups and in_groups != self.n:
            raise ValueError(f"the groups hold {in_groups} answers, but n = {self.n}")
        return self

    def share(self, count: int) -> float:
        """Return ``count`` as a share (0..1) of all answers."""
        return count / self.n


class UnitResult(BaseModel):
    """One unit (agent, team, branch) in the funnel analysis."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, defer_build=True)

    unit: str
    events: int = Field(ge=0)
    cases: int = Field(ge=1)
    rate: float = Field(ge=0, le=1)
    z: float
    lower95: float = Field(ge=0, le=1)
    upper95: float = Field(ge=0, le=1)
    lower998: float = Field(ge=0, le=1)
    upper998: float = Field(ge=0, le=1)
    status: Status
    method: Literal["exact", "normal"] | None = Field(None, exclude=True)

    @classmethod
    def computed(cls, values: dict[str, Any], unit: str) -> UnitResult:
        """Build a unit from values computed (so already checked) by the funnel analysis.

        ``values`` holds every field in the order of the model (its ``unit``
        is replaced by ``unit``) and may be shared between units: it is
        copied. This skips validation like
        :meth:`~pydantic.BaseModel.model_construct`, which sets the same
        attributes, at a fraction of the cost: a million units take about a
        second instead of several (a test checks that both give equal models).
        All units share one "fields set": it holds every field already, so
        nothing done to a unit adds to it, and a copy per unit would cost
        some 700 bytes each (700 MB for a million units). Values prepared by
        :meth:`shared_fields` make smaller, quicker copies.
        """
        fields = values.copy()
        fields["unit"] = unit
        return trusted(cls, fields, _UNIT_FIELDS)

    @staticmethod
    def shared_fields(values: dict[str, Any]) -> dict[str, Any]:
        """Return ``values`` (every field) as a dict whose copies share its keys.

        The dict is an instance dictionary, in the order of the model's fields,
        so CPython keeps its keys once for all such dicts and a copy holds only
        the values: about 170 bytes less per unit, and a tenth quicker to make,
        than a copy of an ordinary dict. It is an ordinary dict in every other
        way (on interpreters without key sharing, simply a copy).
        """
        holder = _FieldHolder()
        for name in UnitResult.model_fields:
            setattr(holder, name, values[name])
        return holder.__dict__

    def problem(self) -> str | None:
        """Say what is inconsistent in this unit (events, rate, limits), if anything."""
        if self.events > self.cases:
            return f"events ({self.events}) exceed cases ({self.cases})"
        if abs(self.rate - self.events / self.cases) > 1e-9:
            return f"rate is {self.rate}, but events / cases = {self.events / self.cases}"
        if not (
            self.lower998 <= self.lower95 + _SLACK
            and self.lower95 <= self.upper95 + _SLACK
            and self.upper95 <= self.upper998 + _SLACK
        ):
            return "limits out of order: lower998 <= lower95 <= upper95 <= upper998"
        return None


class _FieldHolder:
    """Holds a unit's fields as attributes, always in the model's order (see shared_fields)."""


_UNIT_FIELDS = all_fields(UnitResult)


#: What became of the overdispersion adjustment of a funnel analysis.
Adjustment = Literal["applied", "not_needed", "few_units", "turned_off"]


class VariationResult(BaseModel):
    """Funnel analysis of a rate across units, with the common/special-cause verdict."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, defer_build=True)

    target: float = Field(ge=0, le=1, description="The rate every unit is compared with.")
    phi: float = Field(ge=0, description="Overdispersion: mean squared winsorised z-score.")
    tau2: float = Field(ge=0, description="Added between-unit variance; 0 when not applied.")
    verdict: Verdict
    units: list[UnitResult] = Field(min_length=1)
    target_source: Literal["pooled", "given"] | None = Field(None, exclude=True)
    adjustment: Adjustment | None = Field(
        None,
        description="What became of the overdispersion adjustment: applied; not_needed "
        "(phi shows no overdispersion); few_units (overdispersed, but too few units to "
        "estimate tau squared, so left out); turned_off (--no-overdispersion).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> VariationResult:
        # Units are checked here, in one loop, rather than by a validator on
        # UnitResult: pydantic would run that again for every unit put in a list.
        for index, unit in enumerate(self.units):
            problem = unit.problem()
            if problem is not None:
                raise PartError(("units", index), f" ({unit.unit!r}): {problem}")
        alarms = any(unit.status.is_alarm for unit in self.units)
        expected = Verdict.special_cause if alarms else Verdict.common_cause
        if self.verdict is not expected:
            raise ValueError(
                f"verdict is {self.verdict.value}, but the unit statuses give {expected.value}"
            )
        return self

    @property
    def overdispersed(self) -> bool:
        """Whether phi says the units vary more than chance (I * phi > I - 1)."""
        count = len(self.units)
        return count * self.phi > count - 1

    @property
    def adjusted(self) -> bool:
        """Whether the limits were widened by tau squared."""
        return self.tau2 > 0

    @property
    def cases(self) -> int:
        """All cases across units."""
        return sum(unit.cases for unit in self.units)

    @property
    def events(self) -> int:
        """All events across units."""
        return sum(unit.events for unit in self.units)


StatsResult = NpsResult | VariationResult

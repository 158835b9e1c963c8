"""Perception gaps: the difference of two groups' means with Welch's interval.

For groups L (leaders) and S (frontline and staff) with means m, sample
variances s**2 and sizes n::

    d  = m_L - m_S
    se = sqrt(s_L**2 / n_L + s_S**2 / n_S)
    df = se**4 / ((s_L**2 / n_L)**2 / (n_L - 1) + (s_S**2 / n_S)**2 / (n_S - 1))
    CI = d +/- t(0.975, df) * se

A group of one has no variance: the difference is given without an interval.
When neither group varies (se = 0) the interval is the difference itself.
:class:`Moments` keeps the running count, sum and sum of squares that a group's
mean and variance come from, so groups can be added together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from svcdiag.engagement.student_t import t_quantile


@dataclass
class Moments:
    """Count, sum and sum of squares of some values (addable)."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, value: float) -> None:
        """Count one more value."""
        self.n += 1
        self.total += value
        self.squares += value * value

    def merge(self, other: Moments) -> None:
        """Add another set of values to this one."""
        self.n += other.n
        self.total += other.total
        self.squares += other.squares

    @property
    def mean(self) -> float:
        """The mean (0 without values)."""
        return self.total / self.n if self.n else 0.0

    @property
    def variance(self) -> float | None:
        """The sample variance (divisor n - 1), None for fewer than two values."""
        if self.n < 2:
            return None
        value = (self.squares - self.total * self.total / self.n) / (self.n - 1)
        return max(0.0, value)


@dataclass(frozen=True)
class Difference:
    """A difference of means, with its 95 % Welch interval when both groups vary."""

    difference: float
    ci_low: float | None
    ci_high: float | None
    df: float | None

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 0 (False without an interval)."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0


def welch(
    mean_a: float,
    var_a: float | None,
    n_a: int,
    mean_b: float,
    var_b: float | None,
    n_b: int,
    *,
    coverage: float = 0.95,
) -> Difference:
    """The difference ``mean_a - mean_b`` with Welch's interval at ``coverage``."""
    difference = mean_a - mean_b
    if n_a < 2 or n_b < 2 or var_a is None or var_b is None:
        return Difference(difference, None, None, None)
    part_a, part_b = var_a / n_a, var_b / n_b
    se = math.sqrt(part_a + part_b)
    if se == 0:
        return Difference(difference, difference, difference, None)
    df = se**4 / (part_a**2 / (n_a - 1) + part_b**2 / (n_b - 1))
    half = t_quantile(0.5 + coverage / 2.0, df) * se
    return Difference(difference, difference - half, difference + half, df)


def welch_moments(a: Moments, b: Moments, *, coverage: float = 0.95) -> Difference:
    """Welch's difference of two groups given as :class:`Moments`."""
    return welch(a.mean, a.variance, a.n, b.mean, b.variance, b.n, coverage=coverage)

"""Agreement before aggregation: r_wg, r_wg(J), their bands, and Cronbach's alpha.

Within-group agreement (James, Demaree & Wolf 1984) compares the variance of
a group's answers with the variance expected if everyone answered at random
on a scale of ``A`` options, ``sigma2_EU = (A**2 - 1) / 12`` (2 for a
five-point scale)::

    r_wg    = 1 - s**2 / sigma2_EU                      (one item)
    r_wg(J) = J * (1 - m) / (J * (1 - m) + m)           (J items, m = mean(s_j**2) / sigma2_EU)

Variances are sample variances (divisor n - 1). Both are truncated to
[0, 1]: when the observed variance exceeds the random one there is no
agreement at all (0). Bands follow LeBreton & Senter (2008). A group mean is
reported as shared only at :data:`SHARED_AT` or more.

Cronbach's alpha, for k items answered by the same respondents::

    alpha = k / (k - 1) * (1 - sum(var(item_i)) / var(sum of items))
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

#: The customary threshold for reading a group mean as a shared view.
SHARED_AT = 0.7
#: Conventional threshold of an acceptable alpha.
ALPHA_ACCEPTABLE = 0.7


class AgreementBand(str, Enum):
    """LeBreton & Senter's (2008) bands of within-group agreement."""

    lack = "lack of agreement"
    weak = "weak agreement"
    moderate = "moderate agreement"
    strong = "strong agreement"
    very_strong = "very strong agreement"


def random_variance(options: int) -> float:
    """The variance of answers given uniformly at random over ``options`` choices."""
    if options < 2:
        raise ValueError(f"a scale needs at least 2 options, not {options}")
    return (options * options - 1) / 12.0


def sample_variance(values: Sequence[float]) -> float:
    """The sample variance (divisor n - 1) of at least two values."""
    n = len(values)
    if n < 2:
        raise ValueError("a sample variance needs at least two values")
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / (n - 1)


def rwg_from_variance(variance: float, options: int) -> float:
    """r_wg of one item from its observed sample variance, truncated to [0, 1]."""
    return min(1.0, max(0.0, 1.0 - variance / random_variance(options)))


def rwg(values: Sequence[float], options: int = 5) -> float | None:
    """r_wg of one item answered by a group (None for fewer than two answers)."""
    if len(values) < 2:
        return None
    return rwg_from_variance(sample_variance(values), options)


def rwg_j_from_variances(variances: Sequence[float], options: int) -> float | None:
    """r_wg(J) from the observed variances of J items (None without items)."""
    if not variances:
        return None
    items = len(variances)
    ratio = (sum(variances) / items) / random_variance(options)
    if ratio >= 1.0:
        return 0.0
    agreement = items * (1.0 - ratio)
    return min(1.0, agreement / (agreement + ratio))


def rwg_j(items: Sequence[Sequence[float]], options: int = 5) -> float | None:
    """r_wg(J) of a group over J items, each the group's answers to one item.

    Items with fewer than two answers are left out; None when none is left.
    """
    variances = [sample_variance(values) for values in items if len(values) >= 2]
    return rwg_j_from_variances(variances, options)


def band(value: float) -> AgreementBand:
    """The LeBreton & Senter band of an agreement value between 0 and 1."""
    if value <= 0.30:
        return AgreementBand.lack
    if value <= 0.50:
        return AgreementBand.weak
    if value <= 0.70:
        return AgreementBand.moderate
    if value <= 0.90:
        return AgreementBand.strong
    return AgreementBand.very_strong


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a scale: each row one respondent's answers to the same k items.

    None when there are fewer than two items or two rows, or when the totals
    do not vary (alpha is undefined).

    Raises:
        ValueError: The rows do not all have the same number of items.
    """
    if len(rows) < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every respondent must answer the same items")
    if k < 2:
        return None
    item_variances = [sample_variance([row[i] for row in rows]) for i in range(k)]
    total_variance = sample_variance([sum(row) for row in rows])
    if total_variance <= 0:
        return None
    return k / (k - 1) * (1.0 - sum(item_variances) / total_variance)

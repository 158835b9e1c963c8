"""Normal and binomial distribution functions, from the standard library alone.

* :func:`normal_quantile` uses :class:`statistics.NormalDist` (Wichura's
  AS 241, accurate to about 1e-15).
* :func:`binomial_cdf` evaluates the regularised incomplete beta function
  with a continued fraction (modified Lentz), so its cost grows with the
  spread of the distribution, not with ``n``.
* :func:`interpolated_binomial_quantile` is the continuous binomial quantile
  of Spiegelhalter (2005, appendix A.1.1) used for exact funnel limits.
"""

from __future__ import annotations

import math
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()
_TINY = 1e-300
_EPSILON = 1e-15
_MAX_ITERATIONS = 10_000


def normal_quantile(probability: float) -> float:
    """Return ``z`` with P(Z <= z) = ``probability`` for a standard normal Z."""
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability must lie strictly between 0 and 1, not {probability}")
    return _STANDARD_NORMAL.inv_cdf(probability)


def two_sided_z(coverage: float) -> float:
    """Return the normal multiplier of a two-sided interval (0.95 gives 1.959964)."""
    if not 0.0 < coverage < 1.0:
        raise ValueError(f"coverage must lie strictly between 0 and 1, not {coverage}")
    return normal_quantile(0.5 + coverage / 2.0)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_ITERATIONS + 1):
        even = m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m))
        d = 1.0 + even * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + even / c
        c = c if abs(c) > _TINY else _TINY
        result *= d * c
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0))
        d = 1.0 + odd * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + odd / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        result *= step
        if abs(step - 1.0) < _EPSILON:
            return result
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def regularized_beta(x: float, a: float, b: float) -> float:
    """Return the regularised incomplete beta function I_x(a, b) for a, b > 0."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def binomial_pmf(k: int, n: int, p: float) -> float:
    """Return P(R = k) for R ~ Binomial(n, p)."""
    if k < 0 or k > n:
        return 0.0
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    log_pmf = (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    return math.exp(log_pmf)


def binomial_cdf(k: int, n: int, p: float) -> float:
    """Return P(R <= k) for R ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    # P(R <= k) = I_{1-p}(n - k, k + 1)
    return regularized_beta(1.0 - p, n - k, k + 1)


def binomial_quantile(probability: float, n: int, p: float) -> int:
    """Return the smallest ``r`` with P(R <= r) >= ``probability``, R ~ Binomial(n, p)."""
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability must lie strictly between 0 and 1, not {probability}")
    spread = math.sqrt(n * p * (1.0 - p))
    guess = round(n * p + normal_quantile(probability) * spread)
    r = min(max(guess, 0), n)
    if binomial_cdf(r, n, p) >= probability:
        while r > 0 and binomial_cdf(r - 1, n, p) >= probability:
            r -= 1
    else:
        while r < n and binomial_cdf(r, n, p) < probability:
            r += 1
    return r


def interpolated_binomial_quantile(probability: float, n: int, p: float) -> float:
    """Return Spiegelhalter's continuous binomial quantile, on the count scale.

    With ``r`` the ordinary quantile (smallest r with F(r) >= probability),
    alpha = (F(r) - probability) / (F(r) - F(r - 1)) and the result is
    ``r - alpha``. It moves smoothly with ``n``, so funnel limits drawn from it
    are smooth curves rather than steps. Divide by ``n`` for a proportion.
    """
    r = binomial_quantile(probability, n, p)
    at_r = binomial_cdf(r, n, p)
    mass = binomial_pmf(r, n, p)
    if mass <= 0.0:
        return float(r)
    alpha = (at_r - probability) / mass
    return r - min(max(alpha, 0.0), 1.0)

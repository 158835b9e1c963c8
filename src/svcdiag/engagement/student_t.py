"""Student's t distribution from the standard library (for Welch's interval).

The distribution function uses the regularised incomplete beta function of
:mod:`svcdiag.stats.distributions`::

    P(T <= t) = 1 - I_x(df/2, 1/2) / 2   with x = df / (df + t**2), for t >= 0

(near 0, where that loses digits, the equal form ``1/2 + I_y(1/2, df/2) / 2``
with ``y = t**2 / (df + t**2)``) and is symmetric about 0. The quantile is
found by bisection on it, which always converges and needs no derivative;
``df`` may be any positive real number (Welch's degrees of freedom are rarely
whole).
"""

from __future__ import annotations

import math

from svcdiag.stats.distributions import normal_quantile, regularized_beta

_ITERATIONS = 200
#: Beyond this many degrees of freedom the normal quantile is used (error < 1e-9).
_NORMAL_DF = 1e7


def t_cdf(t: float, df: float) -> float:
    """Return P(T <= t) for Student's t with ``df`` degrees of freedom."""
    if df <= 0 or math.isnan(df):
        raise ValueError(f"degrees of freedom must be positive, not {df}")
    if t == 0:
        return 0.5
    square = t * t
    if square < df:
        # near the centre: P(|T| <= |t|) = I_y(1/2, df/2), y = t**2 / (df + t**2), accurate at 0
        half = 0.5 * regularized_beta(square / (df + square), 0.5, df / 2.0)
        return 0.5 + half if t > 0 else 0.5 - half
    tail = 0.5 * regularized_beta(df / (df + square), df / 2.0, 0.5)
    return 1.0 - tail if t > 0 else tail


def t_quantile(probability: float, df: float) -> float:
    """Return ``t`` with P(T <= t) = ``probability`` for Student's t with ``df``.

    Raises:
        ValueError: ``probability`` is not strictly between 0 and 1, or ``df`` <= 0.
    """
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability must lie strictly between 0 and 1, not {probability}")
    if df <= 0 or math.isnan(df):
        raise ValueError(f"degrees of freedom must be positive, not {df}")
    if probability == 0.5:
        return 0.0
    if df >= _NORMAL_DF:
        return normal_quantile(probability)
    if probability < 0.5:
        return -t_quantile(1.0 - probability, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < probability:
        low, high = high, high * 2.0
    for _ in range(_ITERATIONS):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0

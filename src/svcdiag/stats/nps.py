"""Net Promoter Score with its adjusted-Wald interval, overall and per group.

Answers are 0 to 10: promoters 9-10, passives 7-8, detractors 0-6, and
NPS = 100 x (share of promoters - share of detractors).

The interval is the adjusted Wald interval (Rocks, The American Statistician,
2016), the best of the six methods compared there: add 3 answers (0.75
promoters, 0.75 detractors, 1.5 passives) and use the variance of a
difference of two multinomial shares::

    n' = n + 3,  p' = (P + 0.75) / n',  d' = (D + 0.75) / n'
    CI = 100 x [(p' - d') +/- z x sqrt((p' + d' - (p' - d')^2) / n')]

Ends beyond +/-100 are clipped to the scale (possible with a few answers all
in one category).

The added answers pull the interval towards 0, so the interval of a group of
a few answers need not contain the group's own NPS: one promoter scores +100
with the interval -48.5 to +98.5. A group is therefore compared with the
overall NPS on both its interval and its estimate (see :func:`flag_for`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from svcdiag.errors import UsageError
from svcdiag.models.results import Flag, NpsGroup, NpsResult
from svcdiag.stats.distributions import two_sided_z

#: Accepted ``--confidence`` range (inclusive).
MIN_CONFIDENCE = 0.5
MAX_CONFIDENCE = 0.999
#: Lowest answer counted as a promoter, and the lowest passive.
PROMOTER_FROM = 9
PASSIVE_FROM = 7


@dataclass
class NpsCounts:
    """Answers tallied into the three NPS categories."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def n(self) -> int:
        """All answers."""
        return self.promoters + self.passives + self.detractors

    def add(self, score: int, times: int = 1) -> None:
        """Count ``times`` answers of ``score`` (0..10)."""
        if score >= PROMOTER_FROM:
            self.promoters += times
        elif score >= PASSIVE_FROM:
            self.passives += times
        else:
            self.detractors += times

    def score(self) -> float:
        """Return the NPS, -100 to 100."""
        return 100.0 * (self.promoters - self.detractors) / self.n


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` if it is a usable interval coverage, else raise UsageError."""
    if not MIN_CONFIDENCE <= confidence <= MAX_CONFIDENCE:
        hint = f"give a proportion from {MIN_CONFIDENCE} to {MAX_CONFIDENCE}, e.g. 0.90 or 0.95"
        as_share = round(confidence / 100, 12)  # 99.9 / 100 is 0.9990000000000001
        if MIN_CONFIDENCE <= as_share <= MAX_CONFIDENCE:
            hint = f"give a proportion, not a percentage: {as_share:g}"
        raise UsageError(
            f"--confidence must be between {MIN_CONFIDENCE} and {MAX_CONFIDENCE}, "
            f"not {confidence:g}",
            hint=hint,
        )
    return confidence


def adjusted_wald(counts: NpsCounts, confidence: float = 0.95) -> tuple[float, float]:
    """Return the adjusted-Wald interval of the NPS, on the -100..100 scale."""
    if counts.n == 0:
        raise ValueError("no answers to compute an interval from")
    z = two_sided_z(confidence)
    n_adj = counts.n + 3
    p_adj = (counts.promoters + 0.75) / n_adj
    d_adj = (counts.detractors + 0.75) / n_adj
    centre = p_adj - d_adj
    half_width = z * math.sqrt((p_adj + d_adj - centre**2) / n_adj)
    low = max(-100.0, 100.0 * (centre - half_width))
    high = min(100.0, 100.0 * (centre + half_width))
    return low, high


def flag_for(low: float, high: float, overall: float, *, estimate: float) -> Flag:
    """Say whether a group lies beyond chance above or below ``overall``.

    The rule: ``above`` when the whole interval ``low``..``high`` *and* the
    group's own NPS ``estimate`` are strictly above ``overall``; ``below``
    when both are strictly below it; ``within`` otherwise. Testing the
    interval alone would flag a group on the side opposite to its estimate
    when the pseudo-counts pull a tiny group's interval past it (one
    promoter, NPS +100, interval -48.5 to +98.5, is not "below" an overall
    +99.5). So a flag always agrees with the sign of ``estimate - overall``,
    and a group equal to the overall NPS is never flagged.
    """
    if low > overall and estimate > overall:
        return Flag.above
    if high < overall and estimate < overall:
        return Flag.below
    return Flag.within


def nps_result(
    overall: NpsCounts,
    groups: Iterable[tuple[str, NpsCounts]] = (),
    *,
    confidence: float = 0.95,
    skipped: int = 0,
) -> NpsResult:
    """Summarise tallied answers: NPS, interval, and per-group NPS with flags."""
    check_confidence(confidence)
    low, high = adjusted_wald(overall, confidence)
    score = overall.score()
    group_results = []
    for name, counts in groups:
        g_low, g_high = adjusted_wald(counts, confidence)
        g_score = counts.score()
        group_results.append(
            NpsGroup(
                group=name,
                n=counts.n,
                nps=g_score,
                ci_low=g_low,
                ci_high=g_high,
                flag=flag_for(g_low, g_high, score, estimate=g_score),
                promoters=counts.promoters,
                passives=counts.passives,
                detractors=counts.detractors,
            )
        )
    return NpsResult(
        n=overall.n,
        promoters=overall.promoters,
        passives=overall.passives,
        detractors=overall.detractors,
        nps=score,
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        skipped=skipped,
        groups=group_results,
    )

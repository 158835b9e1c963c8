"""Pool every respondent's evidence into one set, for the one diagnosis.

* **Contributions** are concatenated. Identical ones (same question, target,
  health and answer) are merged into one whose weight is the sum, which
  leaves every weighted mean, and so every score, exactly as it was, while
  ten thousand respondents give a few hundred contributions, not a million.
* **Scope**: each respondent gives one vote, the widest scope they chose.
  The scope most respondents chose is the engagement's (a tie goes to the
  wider one), so that one respondent's "widespread" cannot outvote nine who
  say "a few individuals", as the widest-wins rule for one respondent would.
* **Coverage** counts are summed over respondents; what is missing is
  listed once per question and reason, with how many respondents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from svcdiag.diagnosis.evidence import Contribution, Evidence, ScopeAnswer
from svcdiag.models.analysis import Coverage, SkippedQuestion
from svcdiag.models.questionnaire import Scope

#: Widest first.
SCOPE_ORDER = (Scope.widespread, Scope.some_teams, Scope.few_individuals, Scope.none)
_COUNTS = ("questions", "answered", "unknown", "skipped", "ignored", "not_asked")


@dataclass(frozen=True)
class ScopeVote:
    """How the respondents answered the question of how far the problem reaches."""

    chosen: ScopeAnswer | None
    votes: dict[Scope, int]
    labels: dict[Scope, str]

    @property
    def total(self) -> int:
        """Respondents who answered it."""
        return sum(self.votes.values())

    @property
    def share(self) -> float:
        """The share of those respondents who chose the engagement's scope (0 without votes)."""
        if self.chosen is None or not self.total:
            return 0.0
        return self.votes[self.chosen.scope] / self.total


@dataclass
class EvidencePool:
    """Scope votes and coverage of many respondents; their contributions are summed elsewhere.

    :mod:`.tally` sums the weight of identical contributions per cell (``Key``)
    and keeps one example of each in :attr:`examples_of`; :meth:`evidence`
    turns the sums back into contributions.
    """

    examples_of: dict[tuple[str, str, str, float, str], Contribution] = field(default_factory=dict)
    votes: Counter[Scope] = field(default_factory=Counter)
    examples: dict[Scope, ScopeAnswer] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    missing: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    respondents: int = 0

    def add(self, evidence: Evidence) -> None:
        """Add one respondent's scope answer and coverage."""
        self.respondents += 1
        if evidence.scopes:
            widest = min(evidence.scopes, key=lambda s: SCOPE_ORDER.index(s.scope))
            self.votes[widest.scope] += 1
            self.examples.setdefault(widest.scope, widest)
        coverage = evidence.coverage
        for name in _COUNTS:
            self.counts[name] += getattr(coverage, name)
        for gap in coverage.missing:
            self.missing[(gap.question, gap.text, gap.reason)] += 1

    def scope_vote(self) -> ScopeVote:
        """The engagement's scope: the most chosen, the wider on a tie."""
        labels = {s: a.answer_text for s, a in self.examples.items()}
        if not self.votes:
            return ScopeVote(None, {}, labels)
        best = max(self.votes.values())
        chosen = next(s for s in SCOPE_ORDER if self.votes.get(s) == best)
        return ScopeVote(self.examples[chosen], dict(self.votes), labels)

    def evidence(self, weights: Mapping[tuple[str, str, str, float, str], float]) -> Evidence:
        """The pooled evidence (``weights`` summed over everyone), with the engagement's scope."""
        vote = self.scope_vote()
        missing = [
            SkippedQuestion(
                question=question,
                text=text,
                reason=reason,  # type: ignore[arg-type]
                detail=f"{n} respondent{'s' if n != 1 else ''}",
            )
            for (question, text, reason), n in sorted(self.missing.items())
        ]
        coverage = Coverage(**{k: self.counts[k] for k in _COUNTS}, missing=missing)
        return Evidence(
            contributions=[
                replace(self.examples_of[key], weight=weight) for key, weight in weights.items()
            ],
            scopes=[vote.chosen] if vote.chosen is not None else [],
            coverage=coverage,
        )

"""Who has answered so far, against the headcounts, and what a sound diagnosis still lacks.

Participation per role and unit is the number of respondents over the
headcount given in ``engagement.yaml``; a group under :data:`LOW_PARTICIPATION`
is flagged. These are counts of people, never their answers; groups below the
anonymity floor are marked, since the report will suppress or merge them.
More respondents than a group's headcount (a headcount out of date, or
someone counted twice) is a warning, and the share is then not given as a
figure above 100 %.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from svcdiag.engagement.respondents import Respondents
from svcdiag.models.engagement import EngagementFile

#: Participation below this share of the headcount is flagged.
LOW_PARTICIPATION = 0.6
#: Interviews or responses from leaders and from the workforce needed for a gap.
LEADER_ROLES = ("board", "manager")
WORKFORCE_ROLES = ("staff", "frontline")


@dataclass(frozen=True)
class StatusRow:
    """One role (and unit) of the engagement."""

    role: str
    unit: str | None
    answered: int
    headcount: int | None
    below_floor: bool

    @property
    def participation(self) -> float | None:
        """The share of the headcount who answered (None without a headcount)."""
        if not self.headcount:
            return None
        return self.answered / self.headcount

    @property
    def over(self) -> bool:
        """Whether more people answered than the headcount says there are."""
        return self.headcount is not None and self.answered > self.headcount

    @property
    def low(self) -> bool:
        """Whether participation is under :data:`LOW_PARTICIPATION`."""
        share = self.participation
        return share is not None and share < LOW_PARTICIPATION


@dataclass
class EngagementStatus:
    """The state of an engagement folder."""

    organisation: str
    questionnaire: str
    anonymity_floor: int
    interviews: int
    survey_responses: int
    evidence: int
    rows: list[StatusRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def engagement_status(engagement: EngagementFile, respondents: Respondents) -> EngagementStatus:
    """Count respondents per role and unit, and list what the diagnosis still lacks."""
    floor = engagement.anonymity_floor
    answered = Counter((p.role, p.unit) for p in respondents.people)
    by_role = Counter(p.role for p in respondents.people)
    heads = {(h.role.value, h.unit): h.count for h in engagement.headcounts}
    keys = sorted(
        set(answered) | set(heads),
        key=lambda k: (k[0], "" if k[1] is None else k[1]),
    )
    rows = [
        StatusRow(
            role=role,
            unit=unit,
            answered=answered.get((role, unit), 0),
            headcount=heads.get((role, unit)),
            below_floor=0 < answered.get((role, unit), 0) < floor,
        )
        for role, unit in keys
    ]
    for role in sorted(by_role):
        if (role, None) not in heads and any(k[0] == role and k[1] for k in heads):
            total = sum(c for (r, u), c in heads.items() if r == role and u)
            rows.append(StatusRow(role, None, by_role[role], total, by_role[role] < floor))
    missing = []
    leaders = sum(by_role.get(r, 0) for r in LEADER_ROLES)
    workforce = sum(by_role.get(r, 0) for r in WORKFORCE_ROLES)
    if not respondents.people:
        missing.append("no respondents yet: add interviews with svcdiag assess --engagement DIR")
    if leaders < floor:
        missing.append(
            f"{leaders} leader{'' if leaders == 1 else 's'} (board and managers) answered; "
            f"{floor} are needed to compare them with the frontline"
        )
    if workforce < floor:
        missing.append(
            f"{workforce} frontline and staff answered; {floor} are needed to compare them "
            "with the leaders"
        )
    if len(respondents.people) == 1:
        missing.append("one respondent: the diagnosis rests on one opinion (never high)")
    if not respondents.data:
        missing.append(
            "no client data in evidence/: svcdiag variation ... -o FILE, then "
            "svcdiag engagement add DIR FILE"
        )
    low = [r for r in rows if r.low]
    if low:
        missing.append(
            f"{len(low)} group{'s' if len(low) > 1 else ''} under "
            f"{LOW_PARTICIPATION:.0%} participation"
        )
    warnings = [_over_headcount(row) for row in rows if row.over]
    return EngagementStatus(
        organisation=engagement.organisation,
        questionnaire=f"{engagement.questionnaire.id} {engagement.questionnaire.version}",
        anonymity_floor=floor,
        interviews=respondents.interviews,
        survey_responses=respondents.survey,
        evidence=len(respondents.data),
        rows=rows,
        missing=missing,
        warnings=[*warnings, *respondents.warnings],
    )


def _over_headcount(row: StatusRow) -> str:
    where = f"{row.role} in {row.unit}" if row.unit else f"{row.role} (whole organisation)"
    people = "person answered" if row.answered == 1 else "people answered"
    return (
        f"{where}: {row.answered} {people}, but the headcount in engagement.yaml is "
        f"{row.headcount}; correct the headcount, or look for someone counted twice"
    )

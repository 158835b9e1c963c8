"""The participation of an engagement (``svcdiag engagement status``) for a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from svcdiag.engagement.status import LOW_PARTICIPATION, EngagementStatus
from svcdiag.textsafe import for_terminal


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _share(share: float | None) -> str:
    """The participation as a percentage; never above 100 % (the row is flagged instead)."""
    if share is None:
        return "—"
    return "over 100%" if share > 1 else f"{share:.0%}"


def print_status(status: EngagementStatus, console: Console) -> None:
    """Print who has answered, per role and unit, and what is still missing."""
    console.print(Text(for_terminal(f"Engagement: {status.organisation}"), style="bold"))
    console.print(
        Text(
            f"Questionnaire {for_terminal(status.questionnaire)}; anonymity floor "
            f"{status.anonymity_floor}; {_count(status.interviews, 'interview')}, "
            f"{_count(status.survey_responses, 'survey response')}, "
            f"{_count(status.evidence, 'data file')}."
        )
    )
    table = Table(show_edge=False, pad_edge=False)
    for name, right in (
        ("role", False),
        ("unit", False),
        ("answered", True),
        ("headcount", True),
        ("share", True),
        ("note", False),
    ):
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    table.columns[-1].no_wrap = True
    for row in status.rows:
        share = row.participation
        flags = []
        if row.low:
            flags.append(f"under {LOW_PARTICIPATION:.0%}")
        if row.below_floor:
            flags.append("below the floor")
        if row.over:
            flags.append("more than the headcount")
        table.add_row(
            row.role,
            Text(for_terminal(row.unit or "(whole organisation)")),
            str(row.answered),
            "—" if row.headcount is None else str(row.headcount),
            _share(share),
            "\n".join(flags),
            style="yellow" if row.low else None,
        )
    console.print(table)
    if status.missing:
        console.print(Text("Still missing for a sound diagnosis:", style="bold"))
        for line in status.missing:
            console.print(Text("• " + for_terminal(line)))
    else:
        console.print(Text("Nothing missing: enough respondents on both sides, and client data."))
    for line in status.warnings:
        console.print(Text("warning: " + for_terminal(line), style="yellow"))

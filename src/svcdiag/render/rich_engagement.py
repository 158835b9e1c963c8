"""The engagement report laid out for a terminal with Rich.

Every string from a client file goes through :func:`svcdiag.textsafe.for_terminal`
and is passed as :class:`~rich.text.Text`, never as markup. Tables fold their
text to fit the width.
"""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from svcdiag.models.engagement_report import EngagementReport
from svcdiag.render.engagement_sections import Section, sections
from svcdiag.textsafe import for_terminal


def _section(section: Section, console: Console) -> None:
    console.print(Rule(Text(for_terminal(section.title), style="bold"), align="left", style="dim"))
    for paragraph in section.paragraphs:
        console.print(Text(for_terminal(paragraph)))
    for bullet in section.bullets:
        console.print(Text("• " + for_terminal(bullet)))
    if section.table is not None:
        table = Table(show_edge=False, pad_edge=False, expand=False)
        for head, numeric in zip(section.table.head, section.table.numeric, strict=True):
            table.add_column(
                Text(for_terminal(head)), justify="right" if numeric else "left", overflow="fold"
            )
        for row in section.table.rows:
            table.add_row(*(Text(for_terminal(cell)) for cell in row))
        console.print(table)
    for line in section.after:
        console.print(Text(for_terminal(line), style="dim"))
    console.print()


def print_engagement(report: EngagementReport, console: Console) -> None:
    """Print the whole engagement report on ``console``."""
    for section in sections(report):
        _section(section, console)

"""The engagement report laid out for a terminal with Rich.

It leads with the point, as the findings report does: the verdict, the
respondents' words and the plan fill the first screen; the reasons and the
analytic tables follow (see :mod:`.engagement_sections`). Every string from a
client file goes through :func:`svcdiag.textsafe.for_terminal` and is passed
as :class:`~rich.text.Text`, never as markup. Tables wrap their text between
words to fit the width; bullets and plan items indent their wrapped lines.
"""

from __future__ import annotations

import textwrap

from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from svcdiag.models.engagement_report import EngagementReport
from svcdiag.render.engagement_sections import Item, Section, sections
from svcdiag.render.engagement_sections import Table as Rows
from svcdiag.textsafe import for_terminal


def _bullets(lines: list[str], mark: str = "•") -> Table:
    """A bulleted list whose wrapped lines indent under the text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for line in lines:
        grid.add_row(mark, Text(for_terminal(line)))
    return grid


def _item(item: Item) -> Table:
    head = Text(for_terminal(item.head), style="bold")
    for line in item.lines:
        head.append("\n" + for_terminal(line))
    body = Group(head, _bullets(item.bullets, "-")) if item.bullets else head
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, width=3)
    grid.add_column(overflow="fold")
    grid.add_row(Text(for_terminal(item.number), style="bold"), body)
    return grid


#: Width a number column's head is wrapped to, between words, so numbers get narrow columns.
HEAD_WIDTH = 10


def _head(text: str, numeric: bool) -> Text:
    if numeric:
        text = "\n".join(textwrap.wrap(text, HEAD_WIDTH, break_long_words=False)) or text
    return Text(for_terminal(text))


def _table(rows: Rows, console: Console) -> None:
    if rows.caption:
        console.print(Text(for_terminal(rows.caption), style="bold"))
    table = Table(show_edge=False, pad_edge=False, expand=False)
    for head, numeric in zip(rows.head, rows.numeric, strict=True):
        table.add_column(
            _head(head, numeric), justify="right" if numeric else "left", overflow="fold"
        )
    for row in rows.rows:
        table.add_row(*(Text(for_terminal(cell)) for cell in row))
    console.print(table)


def _section(section: Section, console: Console) -> None:
    console.print(Rule(Text(for_terminal(section.title), style="bold"), align="left", style="dim"))
    for paragraph in section.paragraphs:
        console.print(Text(for_terminal(paragraph)))
    if section.bullets:
        console.print(_bullets(section.bullets))
    for item in section.items:
        console.print(_item(item))
    for rows in section.tables:
        _table(rows, console)
    for line in section.after:
        console.print(Text(for_terminal(line), style="dim"))
    console.print()


def print_engagement(report: EngagementReport, console: Console) -> None:
    """Print the whole engagement report on ``console``, the point first."""
    for section in sections(report):
        _section(section, console)

"""The engagement report as Markdown, fit to paste into a client document.

The sections and their order are those of :mod:`.engagement_sections`: the
point first. Every string from a client file goes through
:func:`svcdiag.textsafe.for_markdown`, so none can start a heading, a list or
an HTML block, or break a table; a table cell, read as inline text only, gets
:func:`~svcdiag.textsafe.for_markdown_cell`, so its numbers stay as written.
"""

from __future__ import annotations

from svcdiag.models.engagement_report import EngagementReport
from svcdiag.render.engagement_sections import Item, Section, Table, sections
from svcdiag.textsafe import for_markdown, for_markdown_cell


def _table(table: Table) -> str:
    head = "| " + " | ".join(for_markdown_cell(h) for h in table.head) + " |"
    align = "|" + "|".join("---:" if n else "---" for n in table.numeric) + "|"
    rows = ["| " + " | ".join(for_markdown_cell(c) for c in row) + " |" for row in table.rows]
    lines = [head, align, *rows]
    if table.caption:
        lines = [f"**{for_markdown(table.caption)}**", "", *lines]
    return "\n".join(lines)


def _item(item: Item) -> str:
    """A list item whose lines are paragraphs inside it, and its bullets a nested list."""
    number = item.number if item.number.endswith(".") else "-"
    parts = [f"{number} **{for_markdown(item.head)}**"]
    parts.extend(f"   {for_markdown(line)}" for line in item.lines)
    if item.bullets:
        parts.append("\n".join(f"   - {for_markdown(b)}" for b in item.bullets))
    return "\n\n".join(parts)


def _section(section: Section, level: str) -> str:
    parts = [f"{level} {for_markdown(section.title)}"]
    parts.extend(for_markdown(p) for p in section.paragraphs)
    if section.bullets:
        parts.append("\n".join(f"- {for_markdown(b)}" for b in section.bullets))
    parts.extend(_item(item) for item in section.items)
    parts.extend(_table(t) for t in section.tables)
    parts.extend(f"*{for_markdown(line)}*" for line in section.after)
    return "\n\n".join(parts)


def render_markdown_engagement(report: EngagementReport) -> str:
    """The whole engagement report as Markdown text."""
    found = sections(report)
    title = f"# Service diagnosis of an engagement: {for_markdown(report.organisation)}"
    body = [_section(s, "##") for s in found]
    return "\n\n".join([title, *body]) + "\n"

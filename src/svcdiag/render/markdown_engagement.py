"""The engagement report as Markdown, fit to paste into a client document.

Every string from a client file goes through :func:`svcdiag.textsafe.for_markdown`,
so none can start a heading, a list or an HTML block, or break a table.
"""

from __future__ import annotations

from svcdiag.models.engagement_report import EngagementReport
from svcdiag.render.engagement_sections import Section, sections
from svcdiag.textsafe import for_markdown


def _table(section: Section) -> str:
    assert section.table is not None
    table = section.table
    head = "| " + " | ".join(for_markdown(h) for h in table.head) + " |"
    align = "|" + "|".join("---:" if n else "---" for n in table.numeric) + "|"
    rows = ["| " + " | ".join(for_markdown(c) for c in row) + " |" for row in table.rows]
    return "\n".join([head, align, *rows])


def _section(section: Section, level: str) -> str:
    parts = [f"{level} {for_markdown(section.title)}"]
    parts.extend(for_markdown(p) for p in section.paragraphs)
    if section.bullets:
        parts.append("\n".join(f"- {for_markdown(b)}" for b in section.bullets))
    if section.table is not None:
        parts.append(_table(section))
    parts.extend(f"*{for_markdown(line)}*" for line in section.after)
    return "\n\n".join(parts)


def render_markdown_engagement(report: EngagementReport) -> str:
    """The whole engagement report as Markdown text."""
    found = sections(report)
    title = f"# Service diagnosis of an engagement: {for_markdown(report.organisation)}"
    body = [_section(s, "##") for s in found]
    return "\n\n".join([title, *body]) + "\n"

"""One renderer per engagement report format, chosen by :class:`EngagementFormat`.

``rich`` is the terminal layout, ``markdown`` is for client documents, and
``yaml`` and ``json`` hold the full report through :mod:`svcdiag.serialise`,
``html`` is a self-contained page with charts and ``pdf`` (bytes) prints that
page; only those two import jinja2, the chart code and WeasyPrint. A test
checks that every format has a renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from svcdiag.render.report_formats import RenderOptions

if TYPE_CHECKING:
    from svcdiag.engagement.status import EngagementStatus
    from svcdiag.models.engagement_report import EngagementReport


class EngagementFormat(str, Enum):
    """The formats ``svcdiag engagement report --format`` accepts."""

    rich = "rich"
    markdown = "markdown"
    yaml = "yaml"
    json = "json"
    html = "html"
    pdf = "pdf"


@dataclass(frozen=True)
class PageOptions:
    """What the html and pdf pages show besides the report: the consultant and the day."""

    consultant: str | None = None
    made_on: date | None = None


Renderer = Callable[["EngagementReport", RenderOptions, PageOptions], "str | bytes"]

#: Formats whose renderer returns bytes (a file to write, not text to print).
BINARY_FORMATS = frozenset({EngagementFormat.pdf})
#: Formats that lay out a page, and show what :class:`PageOptions` holds.
PAGE_FORMATS = frozenset({EngagementFormat.html, EngagementFormat.pdf})


def _rich(report: EngagementReport, options: RenderOptions, page: PageOptions) -> str:
    from svcdiag.console import strip_trailing_spaces, text_console
    from svcdiag.render.rich_engagement import print_engagement

    console = text_console(width=options.width, color=options.color)
    print_engagement(report, console)
    written = str(console.file.getvalue())  # type: ignore[attr-defined]
    return written if options.color else strip_trailing_spaces(written)


def _markdown(report: EngagementReport, options: RenderOptions, page: PageOptions) -> str:
    from svcdiag.render.markdown_engagement import render_markdown_engagement

    return render_markdown_engagement(report)


def _yaml(report: EngagementReport, options: RenderOptions, page: PageOptions) -> str:
    from svcdiag.serialise import to_yaml

    return to_yaml(report)


def _json(report: EngagementReport, options: RenderOptions, page: PageOptions) -> str:
    from svcdiag.serialise import to_json

    return to_json(report)


def _html(report: EngagementReport, options: RenderOptions, page: PageOptions) -> str:
    from svcdiag.render.html_engagement import Options, render_html

    return render_html(report, Options(page.made_on or date.today(), page.consultant))


def _pdf(report: EngagementReport, options: RenderOptions, page: PageOptions) -> bytes:
    from svcdiag.render.pdf import html_to_pdf

    return html_to_pdf(_html(report, options, page))


#: The renderer of each format.
RENDERERS: dict[EngagementFormat, Renderer] = {
    EngagementFormat.rich: _rich,
    EngagementFormat.markdown: _markdown,
    EngagementFormat.yaml: _yaml,
    EngagementFormat.json: _json,
    EngagementFormat.html: _html,
    EngagementFormat.pdf: _pdf,
}


def render_engagement(
    report: EngagementReport,
    fmt: EngagementFormat,
    options: RenderOptions | None = None,
    page: PageOptions | None = None,
) -> str | bytes:
    """Render ``report`` in ``fmt`` and return the text (bytes for a binary format)."""
    return RENDERERS[fmt](report, options or RenderOptions(), page or PageOptions())


def check_destination(fmt: EngagementFormat, to_stdout: bool) -> None:
    """Fail before any work if ``fmt`` cannot be written where it is going.

    The same checks as the findings report's: a PDF is never printed on a
    terminal, and it needs WeasyPrint.

    Raises:
        UsageError: a PDF bound for a terminal, or WeasyPrint missing.
    """
    if fmt in BINARY_FORMATS:
        from svcdiag.render import report_formats

        report_formats.check_destination(report_formats.ReportFormat(fmt.value), to_stdout)


def render_status(status: EngagementStatus, options: RenderOptions | None = None) -> str:
    """The participation table of ``engagement status``, for a terminal."""
    from svcdiag.console import strip_trailing_spaces, text_console
    from svcdiag.render.rich_engagement_status import print_status

    opts = options or RenderOptions()
    console = text_console(width=opts.width, color=opts.color)
    print_status(status, console)
    written = str(console.file.getvalue())  # type: ignore[attr-defined]
    return written if opts.color else strip_trailing_spaces(written)


#: The format each file name suffix names; a report of another format is not
#: written under it.
SUFFIX_FORMATS = {
    ".md": EngagementFormat.markdown,
    ".markdown": EngagementFormat.markdown,
    ".yaml": EngagementFormat.yaml,
    ".yml": EngagementFormat.yaml,
    ".json": EngagementFormat.json,
    ".html": EngagementFormat.html,
    ".htm": EngagementFormat.html,
    ".pdf": EngagementFormat.pdf,
}
#: Suffixes that choose a format when none is given, but hold any text.
_TEXT_SUFFIXES = {".txt": EngagementFormat.rich}


def format_for(chosen: EngagementFormat | None, output: Path | None) -> EngagementFormat:
    """The format to render, by :func:`svcdiag.source.output_names.format_for`'s rule.

    As ``svcdiag report`` does, ``-o report.pdf`` alone writes a PDF.

    Raises:
        UsageError: The format cannot be told from ``output``'s name, or contradicts it.
    """
    from svcdiag.source import output_names

    return output_names.format_for(
        chosen,
        output,
        suffixes=SUFFIX_FORMATS,
        default=EngagementFormat.rich,
        any_text=_TEXT_SUFFIXES,
    )

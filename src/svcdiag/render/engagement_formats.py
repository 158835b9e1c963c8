"""One renderer per engagement report format, chosen by :class:`EngagementFormat`.

``rich`` is the terminal layout, ``markdown`` is for client documents, and
``yaml`` and ``json`` hold the full report through :mod:`svcdiag.serialise`.
A test checks that every format has a renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
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


Renderer = Callable[["EngagementReport", RenderOptions], str]


def _rich(report: EngagementReport, options: RenderOptions) -> str:
    from svcdiag.console import text_console
    from svcdiag.render.rich_engagement import print_engagement

    console = text_console(width=options.width, color=options.color)
    print_engagement(report, console)
    return str(console.file.getvalue())  # type: ignore[attr-defined]


def _markdown(report: EngagementReport, options: RenderOptions) -> str:
    from svcdiag.render.markdown_engagement import render_markdown_engagement

    return render_markdown_engagement(report)


def _yaml(report: EngagementReport, options: RenderOptions) -> str:
    from svcdiag.serialise import to_yaml

    return to_yaml(report)


def _json(report: EngagementReport, options: RenderOptions) -> str:
    from svcdiag.serialise import to_json

    return to_json(report)


#: The renderer of each format.
RENDERERS: dict[EngagementFormat, Renderer] = {
    EngagementFormat.rich: _rich,
    EngagementFormat.markdown: _markdown,
    EngagementFormat.yaml: _yaml,
    EngagementFormat.json: _json,
}


def render_engagement(
    report: EngagementReport, fmt: EngagementFormat, options: RenderOptions | None = None
) -> str:
    """Render ``report`` in ``fmt`` and return the text."""
    return RENDERERS[fmt](report, options or RenderOptions())


def render_status(status: EngagementStatus, options: RenderOptions | None = None) -> str:
    """The participation table of ``engagement status``, for a terminal."""
    from svcdiag.console import text_console
    from svcdiag.render.rich_engagement_status import print_status

    opts = options or RenderOptions()
    console = text_console(width=opts.width, color=opts.color)
    print_status(status, console)
    return str(console.file.getvalue())  # type: ignore[attr-defined]

"""One renderer per report format, chosen by :class:`ReportFormat`.

Every renderer takes the findings (with their analysis) and the rendering
options and returns the report as text; the caller decides where it goes.
``yaml`` and ``json`` hold the full findings, ``markdown`` is for client
documents, ``rich`` is the terminal layout, ``html`` is a self-contained page
with charts and ``pdf`` (bytes, see :data:`BINARY_FORMATS`) prints that page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep ``svcdiag --help`` from importing pydantic models
    from svcdiag.models.findings import Findings


class ReportFormat(str, Enum):
    """The formats ``--format`` accepts."""

    rich = "rich"
    markdown = "markdown"
    yaml = "yaml"
    json = "json"
    html = "html"
    pdf = "pdf"


@dataclass(frozen=True)
class RenderOptions:
    """How to lay the report out: terminal width and whether to use colour."""

    width: int = 80
    color: bool = False


Renderer = Callable[["Findings", RenderOptions], "str | bytes"]

#: Formats whose renderer returns bytes (a file to write, not text to print).
BINARY_FORMATS = frozenset({ReportFormat.pdf})


def _rich(findings: Findings, options: RenderOptions) -> str:
    from svcdiag.console import strip_trailing_spaces, text_console
    from svcdiag.render.rich_report import print_report
    from svcdiag.textsafe import terminal_safe

    console = text_console(width=options.width, color=options.color)
    print_report(terminal_safe(findings), console)  # no escape sequence from a file
    written = str(console.file.getvalue())  # type: ignore[attr-defined]
    return written if options.color else strip_trailing_spaces(written)


def _markdown(findings: Findings, options: RenderOptions) -> str:
    from svcdiag.render.markdown_report import render_markdown
    from svcdiag.textsafe import for_terminal

    return for_terminal(render_markdown(findings))  # Markdown has no use for control codes


def _yaml(findings: Findings, options: RenderOptions) -> str:
    from svcdiag.serialise import to_yaml

    return to_yaml(findings)


def _json(findings: Findings, options: RenderOptions) -> str:
    from svcdiag.serialise import to_json

    return to_json(findings)


def _html(findings: Findings, options: RenderOptions) -> str:
    from svcdiag.render.html_report import render_html

    return render_html(findings)


def _pdf(findings: Findings, options: RenderOptions) -> bytes:
    from svcdiag.render.html_report import render_html
    from svcdiag.render.pdf import html_to_pdf

    return html_to_pdf(render_html(findings))


#: The renderer of each format (a test checks that every format has one).
RENDERERS: dict[ReportFormat, Renderer] = {
    ReportFormat.rich: _rich,
    ReportFormat.markdown: _markdown,
    ReportFormat.yaml: _yaml,
    ReportFormat.json: _json,
    ReportFormat.html: _html,
    ReportFormat.pdf: _pdf,
}


def check_destination(fmt: ReportFormat, to_stdout: bool) -> None:
    """Fail before any work if ``fmt`` cannot be written where it is going.

    A binary format is never printed on a terminal, and PDF needs WeasyPrint:
    both are checked up front, so that an assessment or a long recompute is
    not run only to fail at the end.

    Raises:
        UsageError: a PDF bound for a terminal, or WeasyPrint missing.
    """
    if fmt not in BINARY_FORMATS:
        return
    import sys

    from svcdiag.errors import UsageError

    if to_stdout and sys.stdout.isatty():
        raise UsageError(
            f"a {fmt.value.upper()} is a binary file and is not printed to a terminal",
            hint="pass --output FILE, or redirect standard output to a file",
        )
    from svcdiag.render.pdf import weasyprint_module

    weasyprint_module()


def render(
    findings: Findings, fmt: ReportFormat, options: RenderOptions | None = None
) -> str | bytes:
    """Render ``findings`` in ``fmt`` and return the text (bytes for a binary format)."""
    return RENDERERS[fmt](findings, options or RenderOptions())


#: The format a report file is written in when ``--format`` is not given, by suffix.
SUFFIX_FORMATS = {
    ".md": ReportFormat.markdown,
    ".markdown": ReportFormat.markdown,
    ".yaml": ReportFormat.yaml,
    ".yml": ReportFormat.yaml,
    ".json": ReportFormat.json,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
    ".pdf": ReportFormat.pdf,
}


#: Suffixes that name no format: the file takes the one asked for (rich without one).
TEXT_SUFFIXES = {".txt": ReportFormat.rich}


def format_for(chosen: ReportFormat | None, output: Path | None) -> ReportFormat:
    """The format to render, by :func:`svcdiag.source.output_names.format_for`'s rule.

    Raises:
        UsageError: The format cannot be told from ``output``'s name, or contradicts it.
    """
    from svcdiag.source import output_names

    return output_names.format_for(
        chosen, output, suffixes=SUFFIX_FORMATS, default=ReportFormat.rich, any_text=TEXT_SUFFIXES
    )

"""Output formats of ``svcdiag trend``: the same formats as the other data commands.

``html`` and ``pdf`` write one self-contained page (:mod:`.html_trend`); they
alone load Jinja2, the chart code and WeasyPrint.

``--format`` takes :class:`~svcdiag.render.stats_formats.OutputFormat`;
:data:`RENDERERS` maps every member to a function writing a
:class:`~svcdiag.models.trend.TrendResult`. Renderer modules are imported only
when used.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from svcdiag.render.batched import write_whole
from svcdiag.render.stats_formats import BINARY_FORMATS, OutputFormat, file_format, write_pdf

if TYPE_CHECKING:
    from svcdiag.models.trend import TrendResult

TrendRenderer = Callable[["TrendResult", IO[str]], None]


def _rich(result: TrendResult, out: IO[str]) -> None:
    from svcdiag.render import rich_trend

    rich_trend.write(result, out)


def _json(result: TrendResult, out: IO[str]) -> None:
    from svcdiag.serialise import to_json

    write_whole(to_json(result), out)


def _yaml(result: TrendResult, out: IO[str]) -> None:
    from svcdiag.serialise import to_yaml

    write_whole(to_yaml(result), out)


def _csv(result: TrendResult, out: IO[str]) -> None:
    from svcdiag.render import csv_trend

    csv_trend.write(result, out)


def _html(result: TrendResult, out: IO[str]) -> None:
    from svcdiag.render import html_trend

    html_trend.write(result, out)


def pdf_bytes(result: TrendResult) -> bytes:
    """The HTML page of ``result``, printed to PDF."""
    from svcdiag.render import html_trend
    from svcdiag.render.pdf import html_to_pdf

    return html_to_pdf(html_trend.render_html(result))


def _pdf(result: TrendResult, out: IO[str]) -> None:
    write_pdf(lambda: pdf_bytes(result), out)


RENDERERS: dict[OutputFormat, TrendRenderer] = {
    OutputFormat.rich: _rich,
    OutputFormat.json: _json,
    OutputFormat.yaml: _yaml,
    OutputFormat.csv: _csv,
    OutputFormat.html: _html,
    OutputFormat.pdf: _pdf,
}


def emit(
    result: TrendResult,
    chosen: OutputFormat,
    out: IO[str],
    *,
    output: Path | None = None,
    force: bool = False,
) -> None:
    """Write ``result`` to ``out``, or to the file ``output`` (and the rich view to ``out``)."""
    renderer = RENDERERS.get(chosen)
    if renderer is None:
        from svcdiag.errors import UsageError

        raise UsageError(f"svcdiag trend does not write --format {chosen.value}")
    if output is None:
        renderer(result, out)
        return
    from svcdiag.atomicio import write_new

    fmt = file_format(chosen, output)
    in_file = RENDERERS.get(fmt)
    if in_file is None:
        from svcdiag.errors import UsageError

        raise UsageError(f"svcdiag trend does not write {output.suffix} files")
    if fmt in BINARY_FORMATS:
        write_new(output, pdf_bytes(result), force=force)
    else:
        buffer = io.StringIO()
        in_file(result, buffer)
        write_new(output, buffer.getvalue(), force=force)
    if chosen is OutputFormat.rich:
        renderer(result, out)

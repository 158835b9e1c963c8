"""Output formats of ``svcdiag nps`` and ``svcdiag variation``: one renderer each.

``--format`` is backed by :class:`OutputFormat`; :data:`RENDERERS` maps every
member to a function that writes a result to a text stream. JSON and YAML go
through :mod:`svcdiag.serialise`, so a saved result reads back as evidence.
Renderer modules are imported only when used, to keep start-up fast.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from svcdiag.errors import UsageError
from svcdiag.render.batched import batched, write_whole

if TYPE_CHECKING:
    from svcdiag.models.results import StatsResult


class OutputFormat(str, Enum):
    """How a result is written."""

    rich = "rich"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    html = "html"
    pdf = "pdf"


Renderer = Callable[["StatsResult", IO[str]], None]

#: Formats a file can be written in, by file name suffix.
SUFFIX_FORMATS = {
    ".json": OutputFormat.json,
    ".yaml": OutputFormat.yaml,
    ".yml": OutputFormat.yaml,
    ".csv": OutputFormat.csv,
    ".html": OutputFormat.html,
    ".htm": OutputFormat.html,
    ".pdf": OutputFormat.pdf,
}

#: Formats written as bytes: to a file, or to standard output only when redirected.
BINARY_FORMATS = frozenset({OutputFormat.pdf})


def _rich(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.render import rich_stats as render_rich

    render_rich.write(result, out)


def _json(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.serialise import to_json

    write_whole(to_json(result), out)


def _yaml(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.serialise import to_yaml

    write_whole(to_yaml(result), out)


def _csv(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.render import csv_stats as render_csv

    render_csv.write(result, out)


def _html(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.render import html_stats

    html_stats.write(result, out)


def pdf_bytes(result: StatsResult) -> bytes:
    """The HTML page of ``result``, printed to PDF."""
    from svcdiag.render import html_stats
    from svcdiag.render.pdf import html_to_pdf

    return html_to_pdf(html_stats.render_html(result))


def _pdf(result: StatsResult, out: IO[str]) -> None:
    write_pdf(lambda: pdf_bytes(result), out)


def write_pdf(make: Callable[[], bytes], out: IO[str]) -> None:
    """Write the PDF ``make()`` returns to the binary side of ``out``; never to a terminal."""
    binary = getattr(out, "buffer", None)
    if binary is None or out.isatty():
        raise UsageError(
            "a PDF is a binary file and is not printed to a terminal",
            hint="pass --output FILE.pdf, or redirect standard output to a file",
        )
    data = make()
    out.flush()
    binary.write(data)
    binary.flush()


RENDERERS: dict[OutputFormat, Renderer] = {
    OutputFormat.rich: _rich,
    OutputFormat.json: _json,
    OutputFormat.yaml: _yaml,
    OutputFormat.csv: _csv,
    OutputFormat.html: _html,
    OutputFormat.pdf: _pdf,
}


def file_format(chosen: OutputFormat, output: Path) -> OutputFormat:
    """Return the format to write ``output`` in: ``chosen``, or its suffix's for rich.

    ``rich``, the default, stands for no ``--format``: the file's suffix then
    names the format. Any other format must not contradict the suffix
    (:func:`svcdiag.source.output_names.format_for`).
    """
    from svcdiag.source import output_names

    asked = None if chosen is OutputFormat.rich else chosen
    return output_names.format_for(asked, output, suffixes=SUFFIX_FORMATS, default=chosen)


def emit(
    result: StatsResult,
    chosen: OutputFormat,
    out: IO[str],
    *,
    output: Path | None = None,
    force: bool = False,
) -> None:
    """Write ``result`` to ``out``, or to the file ``output`` (and the rich view to ``out``).

    With ``output`` the file is written in ``chosen`` (or, for the default
    rich format, the format its suffix names), refusing to replace an
    existing file unless ``force``; the rich view still goes to ``out``.
    """
    if output is None:
        RENDERERS[chosen](result, out)
        return
    from svcdiag.atomicio import write_new

    fmt = file_format(chosen, output)
    if fmt in BINARY_FORMATS:
        write_new(output, pdf_bytes(result), force=force)
    else:
        buffer = io.StringIO()
        RENDERERS[fmt](result, buffer)
        write_new(output, buffer.getvalue(), force=force)
    if chosen is OutputFormat.rich:
        RENDERERS[chosen](result, out)


def emit_text(
    chunks: Iterable[str], out: IO[str], *, output: Path | None = None, force: bool = False
) -> None:
    """Write text made a chunk at a time to ``out``, or to the file ``output`` (as :func:`emit`)."""
    if output is None:
        with batched(out) as gathered:  # few, large writes (see :mod:`.batched`)
            for chunk in chunks:
                gathered.write(chunk)
        return
    from svcdiag.atomicio import write_new

    write_new(output, chunks, force=force)

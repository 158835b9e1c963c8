"""Output formats of ``svcdiag nps`` and ``svcdiag variation``: one renderer each.

``--format`` is backed by :class:`OutputFormat`; :data:`RENDERERS` maps every
member to a function that writes a result to a text stream. JSON and YAML go
through :mod:`svcdiag.serialise`, so a saved result reads back as evidence.
Renderer modules are imported only when used, to keep start-up fast.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING

from svcdiag.errors import UsageError

if TYPE_CHECKING:
    from svcdiag.models.results import StatsResult


class OutputFormat(str, Enum):
    """How a result is written."""

    rich = "rich"
    json = "json"
    yaml = "yaml"
    csv = "csv"


Renderer = Callable[["StatsResult", IO[str]], None]

#: Formats a file can be written in, by file name suffix.
SUFFIX_FORMATS = {
    ".json": OutputFormat.json,
    ".yaml": OutputFormat.yaml,
    ".yml": OutputFormat.yaml,
    ".csv": OutputFormat.csv,
}


def _rich(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.render import rich_stats as render_rich

    render_rich.write(result, out)


def _json(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.serialise import to_json

    out.write(to_json(result))


def _yaml(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.serialise import to_yaml

    out.write(to_yaml(result))


def _csv(result: StatsResult, out: IO[str]) -> None:
    from svcdiag.render import csv_stats as render_csv

    render_csv.write(result, out)


RENDERERS: dict[OutputFormat, Renderer] = {
    OutputFormat.rich: _rich,
    OutputFormat.json: _json,
    OutputFormat.yaml: _yaml,
    OutputFormat.csv: _csv,
}


def file_format(chosen: OutputFormat, output: Path) -> OutputFormat:
    """Return the format to write ``output`` in: ``chosen``, or its suffix's for rich."""
    if chosen is not OutputFormat.rich:
        return chosen
    by_suffix = SUFFIX_FORMATS.get(output.suffix.lower())
    if by_suffix is None:
        raise UsageError(
            f"cannot tell the format of {output} from its name",
            hint="end it in .yaml, .json or .csv, or pass --format yaml|json|csv",
        )
    return by_suffix


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

    buffer = io.StringIO()
    RENDERERS[file_format(chosen, output)](result, buffer)
    write_new(output, buffer.getvalue(), force=force)
    if chosen is OutputFormat.rich:
        RENDERERS[chosen](result, out)

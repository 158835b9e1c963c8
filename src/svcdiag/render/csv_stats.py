"""CSV output: one table per result, columns named as in the JSON keys.

* NPS: a row with ``scope`` ``overall``, then one ``group`` row per ``--by``
  group, with its counts (empty only for a result saved by an older
  version, which did not keep them).
* Variation: one row per unit. Target, phi, tau2 and the verdict are not
  per unit; use ``--format yaml`` or ``json`` for the whole result.

Unit and group names come from a client's file: one that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is written with a leading single quote (OWASP's advice), so it shows
as text.
"""

from __future__ import annotations

import io
import re
from operator import attrgetter
from typing import IO, Any

from svcdiag.models.results import NpsResult, StatsResult, VariationResult
from svcdiag.render.batched import batched
from svcdiag.textsafe import CsvWriter, for_csv

NPS_COLUMNS = (
    "scope",
    "group",
    "n",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "ci_low",
    "ci_high",
    "confidence",
    "flag",
)
UNIT_COLUMNS = (
    "unit",
    "events",
    "cases",
    "rate",
    "z",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "status",
)


def _cell(value: object) -> object:
    return "" if value is None else value


def _write_nps(result: NpsResult, writer: CsvWriter) -> None:
    overall = result.model_dump(mode="json", include=set(NPS_COLUMNS))
    first: dict[str, object] = {"scope": "overall", "group": "", "flag": "", **overall}
    writer.writerow(_cell(first.get(name)) for name in NPS_COLUMNS)
    for group in result.groups:
        row = {name: _cell(getattr(group, name, None)) for name in NPS_COLUMNS[1:]}
        row["group"] = for_csv(group.group)
        row.update(scope="group", confidence=result.confidence, flag=group.flag.value)
        writer.writerow(row[name] for name in NPS_COLUMNS)


#: Characters that make csv.writer quote a unit name (or might, in some version).
QUOTED_CHARACTERS = ',"\r\n'
_QUOTED = re.compile(f"[{re.escape(QUOTED_CHARACTERS)}]")
#: Units written per call of ``out.write``.
_CHUNK = 4096

CellValues = tuple[Any, ...]
#: The cells of a unit after its name, read in one call.
_CELLS = attrgetter(*UNIT_COLUMNS[1:])


def _write_units(result: VariationResult, out: IO[str]) -> None:
    CsvWriter(out).writerow(UNIT_COLUMNS)
    # Units with the same counts share their rate, z, limits and status, and
    # turning floats into text is most of the cost: the cells after the name
    # are formatted once per distinct set of values (a million units often
    # hold a few thousand). The text is exactly what csv.writer writes: repr
    # of a float, str of an int, no quoting needed. A name that csv.writer
    # would quote goes through csv.writer.
    tails: dict[CellValues, str] = {}
    parts: list[str] = []
    cells = _CELLS
    for index, unit in enumerate(result.units, start=1):
        values = cells(unit)
        tail = tails.get(values)
        if tail is None:
            tail = tails[values] = unit_tail(values)
        name = for_csv(unit.unit)
        if _QUOTED.search(name) is None:
            parts += (name, tail)
        else:
            parts.append(_row_text((name, *tail[1:-1].split(","))))
        if index % _CHUNK == 0:
            out.write("".join(parts))
            parts.clear()
    out.write("".join(parts))


def unit_tail(values: CellValues) -> str:
    """The text of a unit's line after its name: cells from ``events`` to ``status``."""
    return "".join(f",{v!r}" for v in values[:-1]) + f",{values[-1].value}\n"


def _row_text(row: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    CsvWriter(buffer).writerow(row)
    return buffer.getvalue()


def write(result: StatsResult, out: IO[str]) -> None:
    """Write ``result`` as CSV to ``out``: in one write when short (see :mod:`.batched`)."""
    with batched(out) as gathered:
        if isinstance(result, NpsResult):
            writer = CsvWriter(gathered)
            writer.writerow(NPS_COLUMNS)
            _write_nps(result, writer)
        else:
            _write_units(result, gathered)

"""CSV output: one table per result, columns named as in the JSON keys.

* NPS: a row with ``scope`` ``overall``, then one ``group`` row per ``--by``
  group. Per-group counts are empty for a result read back from a file.
* Variation: one row per unit. Target, phi, tau2 and the verdict are not
  per unit; use ``--format yaml`` or ``json`` for the whole result.
"""

from __future__ import annotations

import csv
from typing import IO

from svcdiag.stats.results import NpsResult, StatsResult, VariationResult

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


def _write_nps(result: NpsResult, writer: csv.DictWriter[str]) -> None:
    overall = result.model_dump(mode="json", include=set(NPS_COLUMNS))
    writer.writerow({"scope": "overall", "group": "", "flag": "", **overall})
    for group in result.groups:
        row = {name: _cell(getattr(group, name, None)) for name in NPS_COLUMNS[1:]}
        row.update(scope="group", confidence=result.confidence, flag=group.flag.value)
        writer.writerow(row)


def _write_units(result: VariationResult, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(UNIT_COLUMNS)
    # Attribute tuples rather than model dumps: a million units take a second, not ten.
    writer.writerows(
        (
            u.unit,
            u.events,
            u.cases,
            u.rate,
            u.z,
            u.lower95,
            u.upper95,
            u.lower998,
            u.upper998,
            u.status.value,
        )
        for u in result.units
    )


def write(result: StatsResult, out: IO[str]) -> None:
    """Write ``result`` as CSV to ``out``."""
    if isinstance(result, NpsResult):
        writer = csv.DictWriter(out, fieldnames=NPS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        _write_nps(result, writer)
    else:
        _write_units(result, out)

"""Engagement folders written to disk for the anonymity scenarios, from the shipped example.

Each respondent is a copy of one entry of the example's staff survey, with
its role and unit set, under a fresh id, so the scenarios read as the
report reads any folder.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from tests.engagement.conftest import EXAMPLES

SURVEY = EXAMPLES / "engagement" / "responses" / "staff-survey.yaml"


def _survey() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SURVEY.read_text(encoding="utf-8"))
    return data


def responses(
    plan: Sequence[tuple[str, str | None, int]],
    edit: Callable[[str, str | None, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """A responses document: ``count`` copies per (role, unit), like the example's entries.

    Leaders copy the example's managers, everyone else its frontline; ``edit``
    may change each copy's answers (given its role and unit).
    """
    data = _survey()
    managers = [r for r in data["responses"] if r["role"] == "manager"]
    others = [r for r in data["responses"] if r["role"] == "frontline"]
    out = []
    for role, unit, count in plan:
        pool = managers if role in ("board", "manager") else others
        for i in range(count):
            entry = copy.deepcopy(pool[i % len(pool)])
            entry["id"] = f"{role}-{unit or 'none'}-{i}"
            entry["role"] = role
            if unit is None:
                entry.pop("unit", None)
            else:
                entry["unit"] = unit
            if edit is not None:
                edit(role, unit, entry["answers"])
            out.append(entry)
    data["responses"] = out
    return data


def write_engagement(
    folder: Path,
    *,
    floor: int,
    units: Sequence[tuple[str, str | None]],
    survey: dict[str, Any] | None = None,
) -> Path:
    """An engagement folder with the example's questionnaire, ``units`` and one survey file."""
    example = yaml.safe_load((EXAMPLES / "engagement" / "engagement.yaml").read_text("utf-8"))
    engagement = {
        "format": "svcdiag-engagement/1",
        "organisation": "Scenario Ltd",
        "questionnaire": example["questionnaire"],
        "anonymity_floor": floor,
        "units": [{"id": u, "name": f"Unit {u}", **({"parent": p} if p else {})} for u, p in units],
    }
    folder.mkdir(parents=True)
    for sub in ("interviews", "responses", "evidence"):
        (folder / sub).mkdir()
    (folder / "engagement.yaml").write_text(yaml.safe_dump(engagement), encoding="utf-8")
    if survey is not None:
        (folder / "responses" / "survey.yaml").write_text(
            yaml.safe_dump(survey, sort_keys=False), encoding="utf-8"
        )
    return folder

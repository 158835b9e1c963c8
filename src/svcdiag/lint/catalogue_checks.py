"""Checks on catalogue files (factors, characteristics, interventions).

Also gathers the ids a catalogue defines, tolerantly, so that questionnaires
beside a catalogue with an error can still be checked against the ids it does
define.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from svcdiag.errors import InputFileError
from svcdiag.lint.reporter import Reporter
from svcdiag.lint.schema_errors import report_validation_error
from svcdiag.models.catalogue import (
    CharacteristicCatalogue,
    FactorCatalogue,
    InterventionCatalogue,
)
from svcdiag.source.resources import CHARACTERISTICS_FILE, FACTORS_FILE, INTERVENTIONS_FILE
from svcdiag.source.yamlsource import load_file

#: Catalogue file name -> (model, top-level list key).
CATALOGUE_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    FACTORS_FILE: (FactorCatalogue, "factors"),
    CHARACTERISTICS_FILE: (CharacteristicCatalogue, "characteristics"),
    INTERVENTIONS_FILE: (InterventionCatalogue, "interventions"),
}


@dataclass(frozen=True)
class CatalogueIds:
    """The ids a catalogue defines; ``None`` where the file is absent."""

    factors: set[str] | None
    characteristics: set[str] | None


def _ids(data: Any, key: str) -> set[str] | None:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return None
    return {e["id"] for e in data[key] if isinstance(e, dict) and isinstance(e.get("id"), str)}


def read_ids(directory: Path) -> CatalogueIds | None:
    """Read the factor and characteristic ids defined beside ``directory``'s questionnaires."""
    found: dict[str, set[str] | None] = {}
    for name, (_, key) in CATALOGUE_MODELS.items():
        if name == INTERVENTIONS_FILE:
            continue
        path = directory / name
        try:
            found[key] = _ids(load_file(path).data, key) if path.is_file() else None
        except InputFileError:
            found[key] = None
    if all(v is None for v in found.values()):
        return None
    return CatalogueIds(found["factors"], found["characteristics"])


def check_catalogue(reporter: Reporter, name: str, catalogue: CatalogueIds | None) -> None:
    """Report every problem of the catalogue document held by ``reporter``."""
    model, key = CATALOGUE_MODELS[name]
    data = reporter.doc.data
    if not isinstance(data, dict):
        reporter.value((), "SD103", f"{name} must be a mapping with a '{key}' list")
        return
    try:
        model.model_validate(data)
    except ValidationError as err:
        report_validation_error(err, data, reporter, model)
    entries = data.get(key)
    if not isinstance(entries, list):
        return
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        eid = entry.get("id")
        if isinstance(eid, str):
            if eid in seen:
                first = reporter.doc.locate((key, seen[eid], "id"))
                reporter.value(
                    (key, i, "id"),
                    "SD303",
                    f"duplicate id '{eid}' in {name} (first used on line {first.line})",
                )
            else:
                seen[eid] = i
        if name == INTERVENTIONS_FILE and catalogue is not None:
            _check_refs(reporter, (key, i), entry, catalogue)


def _check_refs(
    reporter: Reporter, path: tuple[str | int, ...], entry: dict[str, Any], ids: CatalogueIds
) -> None:
    for field, known, kind in (
        ("factors", ids.factors, "cause factor"),
        ("helps", ids.factors, "cause factor"),
        ("characteristics", ids.characteristics, "benchmark characteristic"),
    ):
        refs = entry.get(field)
        if known is None or not isinstance(refs, list):
            continue
        for j, ref in enumerate(refs):
            if isinstance(ref, str) and ref not in known:
                reporter.value(
                    (*path, field, j),
                    "SD332",
                    f"intervention '{entry.get('id')}' names unknown {kind} '{ref}'",
                )

"""Load a questionnaire and its catalogue, refusing definitions that do not lint.

A questionnaire is named by a shipped id (``diagnostic``) or a path (see
:func:`resolve` for which wins). Its
catalogue (factors, characteristics, interventions) is read from the files
beside it, each falling back to the shipped one when absent. Anything with a
lint error raises :class:`~svcdiag.errors.DefinitionError` listing the first
problems and the ``svcdiag lint`` command that shows them all.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from svcdiag.errors import DefinitionError, UsageError
from svcdiag.lint.catalogue_checks import CatalogueIds
from svcdiag.lint.problems import Problem, Severity
from svcdiag.lint.runner import lint_file
from svcdiag.models.catalogue import (
    Characteristic,
    CharacteristicCatalogue,
    Factor,
    FactorCatalogue,
    Intervention,
    InterventionCatalogue,
)
from svcdiag.models.questionnaire import Questionnaire
from svcdiag.source.files import check_regular
from svcdiag.source.resources import (
    CHARACTERISTICS_FILE,
    FACTORS_FILE,
    INTERVENTIONS_FILE,
    questionnaire_files,
    shipped_dir,
    shipped_questionnaire,
)
from svcdiag.source.yamlsource import load_file, read_bytes

_SHOWN = 5


@dataclass(frozen=True)
class Catalogue:
    """Factors, characteristics and interventions, each by id, in file order."""

    factors: dict[str, Factor]
    characteristics: dict[str, Characteristic]
    interventions: dict[str, Intervention]

    def ids(self) -> CatalogueIds:
        """The ids questions may name."""
        return CatalogueIds(set(self.factors), set(self.characteristics))


@dataclass(frozen=True)
class Loaded:
    """A valid questionnaire with its catalogue, file and content hash."""

    questionnaire: Questionnaire
    catalogue: Catalogue
    path: Path
    sha256: str
    shipped: bool


def looks_like_path(ref: str) -> bool:
    """Whether ``ref`` is written as a path: a folder separator, or a YAML file name."""
    separators = {"/", os.sep, *([os.altsep] if os.altsep else [])}
    return any(sep in ref for sep in separators) or ref.endswith((".yaml", ".yml"))


def resolve(ref: str, *, id_only: bool = False) -> tuple[Path, bool]:
    """Return the file named by ``ref`` (a shipped id or a path) and whether it is shipped.

    ``ref`` is a path when it looks like one (:func:`looks_like_path`);
    otherwise a shipped id wins, so a file called ``diagnostic`` in the
    current folder never replaces the shipped questionnaire; only when no
    shipped id matches is a plain name tried as a file. With ``id_only``
    (an id read from a file someone sent) it is never a path.
    """
    known = ", ".join(p.stem for p in questionnaire_files(shipped_dir()))
    as_path = looks_like_path(ref)
    if not as_path:
        shipped = shipped_questionnaire(ref)
        if shipped is not None:
            return shipped, True
    if id_only:
        raise UsageError(
            f"no questionnaire '{ref}': it is not a shipped questionnaire",
            hint=f"shipped questionnaires: {known}; give the definition with --questionnaire FILE",
        )
    candidate = Path(ref)
    if candidate.is_dir():
        raise UsageError(
            f"{ref} is a folder; a questionnaire is one YAML file",
            hint=f"give the path of a questionnaire file in it, or a shipped id: {known}",
        )
    if candidate.exists() or os.path.islink(candidate):
        check_regular(candidate)  # a pipe or a device is refused by name
        return candidate, False
    raise UsageError(
        f"no questionnaire '{ref}': not a file, nor a shipped questionnaire",
        hint=f"shipped questionnaires: {known}; or give the path to a YAML file",
    )


def _refuse(problems: list[Problem], what: str, path: Path) -> None:
    errors = [p for p in problems if p.severity is Severity.error]
    if not errors:
        return
    shown = "\n".join(f"  {p.path}:{p.line}:{p.col}: {p.code} {p.message}" for p in errors[:_SHOWN])
    more = f"\n  ... and {len(errors) - _SHOWN} more" if len(errors) > _SHOWN else ""
    raise DefinitionError(
        f"the {what} {path} is not valid:\n{shown}{more}",
        hint=f"run 'svcdiag lint {path}' to see every problem",
    )


def _catalogue_file(directory: Path, name: str) -> Path:
    """The catalogue file ``name`` beside ``directory``'s questionnaires, or the shipped one."""
    local = directory / name
    return local if local.is_file() else shipped_dir() / name


def definition_files(loaded: Loaded) -> list[Path]:
    """The files ``loaded`` was read from: its questionnaire and the three catalogue files.

    A command's ``--output`` must never be one of them, even with ``--force``
    (:func:`svcdiag.atomicio.check_not_input`).
    """
    directory = loaded.path.parent.resolve()
    catalogue = (FACTORS_FILE, CHARACTERISTICS_FILE, INTERVENTIONS_FILE)
    return [loaded.path, *(_catalogue_file(directory, name) for name in catalogue)]


@lru_cache(maxsize=8)
def load_catalogue(directory: Path) -> Catalogue:
    """Load the catalogue beside ``directory``'s questionnaires (shipped files as fallback)."""

    def pick(name: str) -> Path:
        return _catalogue_file(directory, name)

    ids: CatalogueIds | None = None
    parts: dict[str, dict[str, Any]] = {}
    for name, model in (
        (FACTORS_FILE, FactorCatalogue),
        (CHARACTERISTICS_FILE, CharacteristicCatalogue),
        (INTERVENTIONS_FILE, InterventionCatalogue),
    ):
        path = pick(name)
        if name == INTERVENTIONS_FILE:
            ids = CatalogueIds(set(parts[FACTORS_FILE]), set(parts[CHARACTERISTICS_FILE]))
        _refuse(lint_file(path, ids), "catalogue", path)
        data = load_file(path).data
        entries = getattr(model.model_validate(data), name.removesuffix(".yaml"))
        parts[name] = {e.id: e for e in entries}
    return Catalogue(
        factors=parts[FACTORS_FILE],
        characteristics=parts[CHARACTERISTICS_FILE],
        interventions=parts[INTERVENTIONS_FILE],
    )


def load_questionnaire(ref: str, *, id_only: bool = False) -> Loaded:
    """Load and check the questionnaire named by ``ref`` (a shipped id or a path).

    With ``id_only``, ``ref`` is a shipped id and never a path (see :func:`resolve`).
    """
    path, shipped = resolve(ref, id_only=id_only)
    catalogue = load_catalogue(path.parent.resolve())
    _refuse(lint_file(path, catalogue.ids()), "questionnaire", path)
    raw = read_bytes(path)
    questionnaire = Questionnaire.model_validate(load_file(path).data)
    return Loaded(
        questionnaire=questionnaire,
        catalogue=catalogue,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        shipped=shipped,
    )

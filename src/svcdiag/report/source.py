"""Read a saved findings file and recompute its analysis from the answers.

``svcdiag report`` never trusts the analysis stored in a findings file: it
loads the questionnaire the findings name, recomputes everything from the
answers, and warns when the definition has changed since (its sha256 differs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from svcdiag.diagnosis import with_analysis
from svcdiag.errors import DefinitionError, InputFileError, UsageError
from svcdiag.models.catalogue import (
    Characteristic,
    CharacteristicCatalogue,
    Factor,
    FactorCatalogue,
    Intervention,
    InterventionCatalogue,
)
from svcdiag.models.findings import Findings
from svcdiag.models.questionnaire import Questionnaire
from svcdiag.resources import (
    CHARACTERISTICS_FILE,
    FACTORS_FILE,
    INTERVENTIONS_FILE,
    shipped_dir,
    shipped_questionnaire,
)
from svcdiag.yamlsource import YamlDocument, load_file


@dataclass
class Recomputed:
    """Findings with a fresh analysis, and what the user should be told about them."""

    findings: Findings
    warnings: list[str] = field(default_factory=list)


def _validation_error(doc: YamlDocument, err: ValidationError, what: str) -> InputFileError:
    problems = err.errors()
    first = problems[0]
    pos = doc.locate(tuple(first["loc"]))
    listed = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in problems[:5]
    )
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return InputFileError(
        doc.path, f"not a valid {what}: {listed}{more}", line=pos.line, col=pos.col
    )


def read_findings(path: Path) -> Findings:
    """Read and validate a findings file, with file:line errors."""
    doc = load_file(path)
    if doc.duplicates:
        dup = doc.duplicates[0]
        raise InputFileError(
            doc.path,
            f"key {dup.key!r} given twice (first at line {dup.first.line})",
            line=dup.at.line,
            col=dup.at.col,
        )
    if not isinstance(doc.data, dict):
        raise InputFileError(doc.path, "a findings file is a mapping of keys", line=1, col=1)
    try:
        return Findings.model_validate(doc.data)
    except ValidationError as err:
        raise _validation_error(doc, err, "findings file") from None


# --- Stand-in definition loader --------------------------------------------------
# Replaced by svcdiag.loading.load_questionnaire once it is available.


@dataclass
class Catalogue:
    """Catalogue entries by id."""

    factors: dict[str, Factor]
    characteristics: dict[str, Characteristic]
    interventions: dict[str, Intervention]


@dataclass
class Definition:
    """A loaded questionnaire with its catalogue, where it came from and its hash."""

    questionnaire: Questionnaire
    catalogue: Catalogue
    path: Path
    sha256: str


def _catalogue_file(directory: Path, name: str) -> Path:
    local = directory / name
    return local if local.is_file() else shipped_dir() / name


def load_definition(ref: str) -> Definition:
    """Load a questionnaire (shipped id or path) and the catalogue beside it."""
    path = shipped_questionnaire(ref) if "/" not in ref and not ref.endswith(".yaml") else None
    path = path or Path(ref)
    if not path.is_file():
        raise UsageError(
            f"no questionnaire {ref!r}", hint="name a shipped questionnaire or a file path"
        )
    raw = path.read_bytes()
    doc = load_file(path)
    try:
        questionnaire = Questionnaire.model_validate(doc.data)
        factors = FactorCatalogue.model_validate(
            load_file(_catalogue_file(path.parent, FACTORS_FILE)).data
        )
        characteristics = CharacteristicCatalogue.model_validate(
            load_file(_catalogue_file(path.parent, CHARACTERISTICS_FILE)).data
        )
        interventions = InterventionCatalogue.model_validate(
            load_file(_catalogue_file(path.parent, INTERVENTIONS_FILE)).data
        )
    except ValidationError as err:
        raise DefinitionError(
            f"{path}: invalid definition: {err.errors()[0]['msg']}",
            hint=f"run: svcdiag lint {path.parent}",
        ) from None
    return Definition(
        questionnaire=questionnaire,
        catalogue=Catalogue(
            factors={f.id: f for f in factors.factors},
            characteristics={c.id: c for c in characteristics.characteristics},
            interventions={i.id: i for i in interventions.interventions},
        ),
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


# --- End of stand-in -------------------------------------------------------------


def recompute(path: Path, questionnaire: str | None = None) -> Recomputed:
    """Read the findings at ``path`` and recompute their analysis from the answers.

    Args:
        path: the findings file.
        questionnaire: a shipped id or a path; by default the one the findings name.
    """
    findings = read_findings(path)
    ref = questionnaire or findings.questionnaire.path or findings.questionnaire.id
    definition = load_definition(ref)
    warnings = []
    if definition.questionnaire.id != findings.questionnaire.id:
        warnings.append(
            f"the findings were made with questionnaire {findings.questionnaire.id!r}, "
            f"not {definition.questionnaire.id!r}"
        )
    if definition.sha256 != findings.questionnaire.sha256:
        warnings.append(
            f"questionnaire {definition.questionnaire.id!r} has changed since these findings "
            f"were made (version {findings.questionnaire.version} then, "
            f"{definition.questionnaire.version} now); the analysis uses the current "
            "definition"
        )
    fresh = with_analysis(findings, definition.questionnaire, definition.catalogue)
    coverage = fresh.coverage
    if coverage is not None and coverage.ignored:
        ignored = [m.question for m in coverage.missing if m.reason == "ignored"]
        warnings.append(
            f"{coverage.ignored} answer(s) no longer fit the questionnaire and were left "
            f"out: {', '.join(ignored)}"
        )
    return Recomputed(findings=fresh, warnings=warnings)

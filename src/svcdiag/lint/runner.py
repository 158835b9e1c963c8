"""Find the files to lint, read each one, and run the checks that fit it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from svcdiag.errors import InputFileError, UsageError
from svcdiag.lint.catalogue_checks import CATALOGUE_MODELS, CatalogueIds, check_catalogue, read_ids
from svcdiag.lint.problems import Problem, Severity, quoted
from svcdiag.lint.questionnaire_checks import check_questionnaire
from svcdiag.lint.reporter import Reporter
from svcdiag.source.files import not_regular
from svcdiag.source.resources import is_catalogue, shipped_dir
from svcdiag.source.yamlsource import YamlFileError, load_file

_REASON_CODES = {
    "encoding": "SD100",
    "syntax": "SD101",
    "empty": "SD103",
    "unsupported": "SD104",
    "value": "SD202",
}


@dataclass
class LintReport:
    """The outcome of one lint run."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Files a folder search left out, each with the reason (for a note on stderr).
    skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity is Severity.error for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity is Severity.warning for p in self.problems)

    def failed(self, strict: bool = False) -> bool:
        """Whether the run fails: any error, or any warning when ``strict``."""
        return self.errors > 0 or (strict and self.warnings > 0)


def discover(paths: list[Path], skipped: list[str] | None = None) -> list[Path]:
    """Expand directories to the YAML files below them; reject unreadable paths.

    In a folder, files ending in ``.yaml`` or ``.yml`` (in any case) are
    taken, and only regular ones (a named pipe called ``x.yaml``
    would block the run forever), and a symbolic link that resolves outside
    the folder is left out, with a note appended to ``skipped``: linting a
    folder never reads, or quotes, a file elsewhere on the machine. A linked
    folder inside it is not searched, and is noted too. A path
    named directly is read wherever it points; one that is a pipe, a device
    or a socket is refused, saying what it is.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_search(path, skipped if skipped is not None else []))
        elif path.is_file():
            if not os.access(path, os.R_OK):
                raise InputFileError(path, "permission denied")
            found.append(path)
        elif path.exists():
            raise not_regular(path, path.stat().st_mode)
        else:
            raise UsageError(
                f"{path}: no such file or directory", hint="give questionnaire files or folders"
            )
    return found


def _search(folder: Path, skipped: list[str]) -> list[Path]:
    """The regular YAML files below ``folder`` that are inside it once links are resolved."""
    base = folder.resolve()
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        linked = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).is_symlink())
        skipped.extend(
            f"{Path(root) / d}: skipped, a link to a folder (name it on the command line to "
            "check it)"
            for d in linked
        )  # os.walk does not follow them
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in sorted(names):
            candidate = Path(root) / name
            if not name.lower().endswith((".yaml", ".yml")) or not candidate.is_file():
                continue
            if candidate.is_symlink() and not candidate.resolve().is_relative_to(base):
                skipped.append(
                    f"{candidate}: skipped, a link to a file outside {folder} "
                    "(name it on the command line to check it)"
                )
                continue
            found.append(candidate)
    return found


def lint_file(path: Path, ids: CatalogueIds | None, display: str | None = None) -> list[Problem]:
    """Lint one file; ``ids`` are the catalogue ids its questions may name."""
    name = display or str(path)
    try:
        doc = load_file(path, name)
    except YamlFileError as err:
        code = _REASON_CODES[err.reason]
        return [Problem(name, err.line or 1, err.col or 1, code, err.detail, err.hint)]
    reporter = Reporter(doc)
    for dup in doc.duplicates:
        reporter.problems.append(
            Problem(
                name,
                dup.at.line,
                dup.at.col,
                "SD102",
                f"duplicate key {quoted(dup.key)} (first on line {dup.first.line}); "
                "YAML would silently keep only one of them",
                "remove or rename one of the two",
            )
        )
    if is_catalogue(path):
        check_catalogue(reporter, path.name, ids)
    else:
        check_questionnaire(reporter, ids)
    return sorted(reporter.problems, key=Problem.sort_key)


def lint_paths(paths: list[Path] | None = None) -> LintReport:
    """Lint ``paths`` (files or folders); none given: the shipped questionnaires."""
    report = LintReport()
    targets = discover(paths or [shipped_dir()], report.skipped)
    cache: dict[Path, CatalogueIds | None] = {}
    shipped = shipped_dir()
    for path in targets:
        directory = path.parent.resolve()
        if directory not in cache:
            cache[directory] = read_ids(directory)
        ids = cache[directory]
        if ids is None:
            if shipped not in cache:
                cache[shipped] = read_ids(shipped)
            ids = cache[shipped]
        report.files.append(str(path))
        report.problems.extend(lint_file(path, ids))
    report.problems.sort(key=Problem.sort_key)
    return report


__all__ = ["CATALOGUE_MODELS", "LintReport", "discover", "lint_file", "lint_paths"]

"""An engagement folder on disk: create it, read its ``engagement.yaml``, add files.

Nothing in a folder is ever replaced or deleted here. ``new`` writes only
``engagement.yaml`` (refusing when one exists) and creates the sub-folders
that are missing, so running it on a half-made folder keeps every file
already there. ``add`` checks every file first and writes nothing if one is
wrong; it then copies each into its sub-folder under a name not yet taken
(``name-2.yaml``, ...), atomically. A file whose bytes, or whose interview,
are already in the folder is skipped. Hidden files and the temporary files
of an interrupted write (``.name.*.tmp``) are never read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from svcdiag.atomicio import write_new
from svcdiag.errors import InputFileError, UsageError
from svcdiag.models.engagement import (
    ENGAGEMENT_FILE,
    EVIDENCE_DIR,
    INTERVIEWS_DIR,
    MIN_ANONYMITY_FLOOR,
    RESPONSES_DIR,
    EngagementFile,
    EngagementQuestionnaire,
)
from svcdiag.serialise import to_yaml
from svcdiag.slugs import slugify
from svcdiag.source.yamlsource import YamlDocument, load_file

#: Files of a sub-folder that are read.
SUFFIXES = (".yaml", ".yml", ".json")
#: Client answers: readable by their owner only (as findings files).
PRIVATE_MODE = 0o600
FileKind = Literal["interview", "responses", "evidence"]
SUBFOLDER: dict[FileKind, str] = {
    "interview": INTERVIEWS_DIR,
    "responses": RESPONSES_DIR,
    "evidence": EVIDENCE_DIR,
}
_NEW_HINT = "create one with: svcdiag engagement new DIR --organisation NAME"


def model_error(doc: YamlDocument, err: ValidationError, what: str) -> InputFileError:
    """One error for a file that does not validate: the first problem located, the rest listed."""
    problems = err.errors(include_url=False)
    first = problems[0]
    pos = doc.locate(tuple(first["loc"]))

    def text(item: Any) -> str:
        where = ".".join(str(p) for p in item["loc"]) or "(the whole file)"
        return f"{where}: {str(item['msg']).removeprefix('Value error, ')}"

    listed = "; ".join(text(p) for p in problems[:5])
    more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
    return InputFileError(
        doc.path, f"not a valid {what}: {listed}{more}", line=pos.line, col=pos.col
    )


def validate(doc: YamlDocument, model: type[BaseModel], what: str) -> Any:
    """Validate ``doc`` against ``model``, with a located error."""
    doc.refuse_duplicates()
    if not isinstance(doc.data, dict):
        raise InputFileError(doc.path, f"a {what} is a mapping of keys", line=1, col=1)
    try:
        return model.model_validate(doc.data)
    except ValidationError as err:
        raise model_error(doc, err, what) from None


def read_engagement(folder: Path) -> EngagementFile:
    """Read and check ``folder/engagement.yaml``.

    Raises:
        UsageError: ``folder`` is not a folder, or has no engagement.yaml.
        InputFileError: engagement.yaml is not valid (file, line and column).
    """
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder", hint=_NEW_HINT)
    path = folder / ENGAGEMENT_FILE
    if not path.is_file():
        raise UsageError(
            f"{folder} is not an engagement folder: it has no {ENGAGEMENT_FILE}",
            hint=_NEW_HINT + " (files already in the folder are kept)",
        )
    result: EngagementFile = validate(load_file(path), EngagementFile, "engagement.yaml")
    return result


def create_engagement(
    folder: Path,
    *,
    organisation: str,
    questionnaire_id: str,
    questionnaire_version: str,
    anonymity_floor: int,
    comment_floor: int | None = None,
    consultant: str | None = None,
) -> EngagementFile:
    """Create an engagement folder (or complete a half-made one) and return its file.

    Raises:
        UsageError: The floor is below the minimum, or the organisation is empty.
        OverwriteError: ``folder`` already has an engagement.yaml.
    """
    if anonymity_floor < MIN_ANONYMITY_FLOOR:
        raise UsageError(
            f"--anonymity-floor {anonymity_floor} is too low: groups of fewer than "
            f"{MIN_ANONYMITY_FLOOR} can be recognised",
            hint=f"use {MIN_ANONYMITY_FLOOR} or more (the default is 5)",
        )
    if comment_floor is not None and comment_floor < anonymity_floor:
        raise UsageError(
            f"--comment-floor {comment_floor} is below the anonymity floor {anonymity_floor}",
            hint="free text identifies people more easily: use at least the anonymity floor",
        )
    if not organisation.strip():
        raise UsageError("--organisation is empty", hint="give the client's name")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    engagement = EngagementFile(
        organisation=organisation.strip(),
        questionnaire=EngagementQuestionnaire(id=questionnaire_id, version=questionnaire_version),
        anonymity_floor=anonymity_floor,
        comment_floor=comment_floor,
        consultant=consultant,
    )
    target = folder / ENGAGEMENT_FILE
    header = (
        "# An svcdiag engagement: add units (id, name, parent) and headcounts (role, unit,\n"
        "# count) here; `svcdiag schema engagement` prints every key.\n"
    )
    write_new(target, header + to_yaml(engagement))
    for sub in SUBFOLDER.values():
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return engagement


def folder_files(folder: Path, sub: str) -> list[Path]:
    """The files of a sub-folder that are read, by name (hidden and temporary ones left out)."""
    directory = folder / sub
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
    )


def free_name(directory: Path, stem: str, suffix: str) -> Path:
    """``directory/stem+suffix``, or ``stem-2``, ``stem-3``... when taken."""
    candidate = directory / f"{stem}{suffix}"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = directory / f"{stem}-{counter}{suffix}"
    return candidate


def interview_path(folder: Path, organisation: str, day: date, role: str | None = None) -> Path:
    """A name not yet taken in ``folder/interviews`` for a new interview's findings."""
    parts = [slugify(organisation, fallback="organisation"), day.isoformat()]
    if role:
        parts.append(role)
    return free_name(folder / INTERVIEWS_DIR, "-".join(parts), ".findings.yaml")


@dataclass(frozen=True)
class Incoming:
    """A file checked and ready to be added."""

    source: Path
    kind: FileKind
    text: str
    identity: str | None = None  # an interview's identity (see respondents.interview_key)


@dataclass
class AddResult:
    """What ``engagement add`` did with each file."""

    added: list[tuple[Path, Path, FileKind]] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_files(
    folder: Path, incoming: Sequence[Incoming], known_interviews: Iterable[str]
) -> AddResult:
    """Copy checked files into their sub-folders; skip those already there.

    ``known_interviews`` are the identities of the interviews already in the
    folder. Every file is written with :func:`~svcdiag.atomicio.write_new`
    under a free name, so nothing is ever replaced.
    """
    result = AddResult()
    identities = set(known_interviews)
    digests: dict[str, set[str]] = {}
    for item in incoming:
        sub = SUBFOLDER[item.kind]
        if sub not in digests:
            digests[sub] = {
                _digest(p.read_text(encoding="utf-8", errors="replace"))
                for p in folder_files(folder, sub)
            }
        digest = _digest(item.text)
        if digest in digests[sub]:
            result.skipped.append((item.source, f"already in {sub}/ (same content)"))
            continue
        if item.identity is not None and item.identity in identities:
            result.skipped.append((item.source, f"the same interview is already in {sub}/"))
            continue
        suffix = item.source.suffix.lower() if item.source.suffix.lower() in SUFFIXES else ".yaml"
        name = (
            item.source.name[: -len(item.source.suffix)] if item.source.suffix else item.source.name
        )
        target = free_name(folder / sub, name or "file", suffix)
        write_new(target, item.text, mode=PRIVATE_MODE)
        digests[sub].add(digest)
        if item.identity is not None:
            identities.add(item.identity)
        result.added.append((item.source, target, item.kind))
    return result

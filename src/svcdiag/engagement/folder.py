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
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from svcdiag.atomicio import write_new
from svcdiag.errors import InputFileError, OverwriteError, UsageError
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
from svcdiag.source.files import open_regular
from svcdiag.source.links import refuse_link
from svcdiag.source.nofollow import inside
from svcdiag.source.nofollow import write_new as write_inside
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
    refuse_links(folder)
    path = inside(folder, ENGAGEMENT_FILE, hint=_LINK_HINT)
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
    refuse_links(folder)
    engagement = EngagementFile(
        organisation=organisation.strip(),
        questionnaire=EngagementQuestionnaire(id=questionnaire_id, version=questionnaire_version),
        anonymity_floor=anonymity_floor,
        comment_floor=comment_floor,
        consultant=consultant.strip() or None if consultant is not None else None,  # as assess
    )
    target = folder / ENGAGEMENT_FILE
    if os.path.lexists(target):
        raise _existing(target)
    header = (
        "# An svcdiag engagement: add units (id, name, parent) and headcounts (role, unit,\n"
        "# count) here; `svcdiag schema engagement` prints every key.\n"
    )
    try:
        write_new(target, header + to_yaml(engagement))
    except OverwriteError:
        raise _existing(target) from None
    for sub in SUBFOLDER.values():
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return engagement


_LINK_HINT = (
    "replace the link by the folder or file itself; to bring in files from elsewhere, "
    "copy them with: svcdiag engagement add DIR FILE"
)


def refuse_links(folder: Path) -> None:
    """Refuse an engagement folder whose engagement.yaml or sub-folders are symbolic links.

    Raises:
        InputFileError: one of them is a link (named).
    """
    refuse_link(folder / ENGAGEMENT_FILE, f"{ENGAGEMENT_FILE} must be a real file", hint=_LINK_HINT)
    for sub in SUBFOLDER.values():
        refuse_link(folder / sub, f"{sub}/ must be a real folder", hint=_LINK_HINT)


def _existing(target: Path) -> OverwriteError:
    return OverwriteError(
        f"{target} already exists: that folder is an engagement already; nothing was written",
        hint="an engagement is never replaced: give another folder for a new one, or edit "
        f"{target} by hand to change this one",
    )


def folder_files(folder: Path, sub: str) -> list[Path]:
    """The files of a sub-folder that are read, by name (hidden and temporary ones left out).

    Raises:
        InputFileError: the sub-folder, or a file in it, is a symbolic link.
    """
    directory = folder / sub
    refuse_link(directory, f"{sub}/ must be a real folder", hint=_LINK_HINT)
    if not directory.is_dir():
        return []
    found = sorted(
        p
        for p in directory.iterdir()
        if not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
    )
    for path in found:
        refuse_link(path, f"each file in {sub}/ must be a real file", hint=_LINK_HINT)
    return [inside(folder, sub, p.name, hint=_LINK_HINT) for p in found if p.is_file()]


def check_report_target(folder: Path, output: Path) -> None:
    """Refuse to write a report where the engagement keeps its inputs.

    Every file in ``interviews/``, ``responses/`` and ``evidence/`` is read
    by ``status`` and ``report``; a report there would break them all, and
    one written over ``engagement.yaml`` would lose the engagement.

    Raises:
        UsageError: ``output`` is ``engagement.yaml`` or lies in a sub-folder.
    """
    target = output.resolve()
    home = folder.resolve()
    hint = (
        f"write it at the top of the folder, for example -o "
        f"{folder / ('report' + output.suffix)}, or outside the engagement folder"
    )
    if target == home / ENGAGEMENT_FILE:
        raise UsageError(
            f"{output} is the engagement's {ENGAGEMENT_FILE}: a report over it would lose "
            "the engagement",
            hint=hint,
        )
    for sub in SUBFOLDER.values():
        if target.is_relative_to(home / sub):
            raise UsageError(
                f"a report is not written into {sub}/: that folder holds the engagement's "
                f"own {'inputs' if sub != INTERVIEWS_DIR else 'interviews'}, and every "
                "status and report reads each file in it",
                hint=hint,
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
    """What ``engagement add`` did with each file.

    ``renamed`` holds the sources whose stored name had control characters
    replaced.
    """

    added: list[tuple[Path, Path, FileKind]] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    renamed: set[Path] = field(default_factory=set)


def stored_stem(source: Path) -> str:
    """The name (without suffix) a copy of ``source`` gets: every control character ``_``.

    A name is shown whenever the folder is listed; one carrying an escape
    sequence or a bidirectional override could colour, hide or reorder what
    a terminal shows. Other characters (accents, spaces) are kept.
    """
    name = source.name[: -len(source.suffix)] if source.suffix else source.name
    return "".join(ch if ch.isprintable() else "_" for ch in name) or "file"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text_of(path: Path) -> str:
    with open_regular(path) as handle:
        return handle.read().decode("utf-8", errors="replace")


def plan_adds(
    folder: Path, incoming: Sequence[Incoming], known_interviews: Iterable[str]
) -> tuple[list[Incoming], list[tuple[Path, str]]]:
    """Split checked files into those to copy and those already in the folder (with why).

    ``known_interviews`` are the identities of the interviews already in the
    folder. A file is skipped when a file of its sub-folder has the same
    bytes, or (an interview) when the same interview is there; a file given
    twice is copied once.
    """
    identities = set(known_interviews)
    digests: dict[str, set[str]] = {}
    fresh: list[Incoming] = []
    skipped: list[tuple[Path, str]] = []
    for item in incoming:
        sub = SUBFOLDER[item.kind]
        if sub not in digests:
            digests[sub] = {_digest(_text_of(p)) for p in folder_files(folder, sub)}
        digest = _digest(item.text)
        if digest in digests[sub]:
            skipped.append((item.source, f"already in {sub}/ (same content)"))
            continue
        if item.identity is not None and item.identity in identities:
            skipped.append((item.source, f"the same interview is already in {sub}/"))
            continue
        digests[sub].add(digest)
        if item.identity is not None:
            identities.add(item.identity)
        fresh.append(item)
    return fresh, skipped


def add_files(
    folder: Path, incoming: Sequence[Incoming], known_interviews: Iterable[str]
) -> AddResult:
    """Copy checked files into their sub-folders; skip those already there.

    Every file is written as :func:`~svcdiag.atomicio.write_new` writes it,
    under a free name (:func:`stored_stem`), so nothing is ever replaced;
    through the folder's descriptor, so a link swapped in for a sub-folder
    is refused, never written through
    (:func:`~svcdiag.source.nofollow.write_new`).
    """
    fresh, skipped = plan_adds(folder, incoming, known_interviews)
    result = AddResult(skipped=skipped)
    for item in fresh:
        suffix = item.source.suffix.lower() if item.source.suffix.lower() in SUFFIXES else ".yaml"
        stem = stored_stem(item.source)
        if stem != item.source.name[: len(item.source.name) - len(item.source.suffix)]:
            result.renamed.add(item.source)
        target = free_name(folder / SUBFOLDER[item.kind], stem, suffix)
        target = inside(folder, SUBFOLDER[item.kind], target.name, hint=_LINK_HINT)
        write_inside(target, item.text, mode=PRIVATE_MODE)
        result.added.append((item.source, target, item.kind))
    return result

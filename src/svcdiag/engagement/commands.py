"""The core of each ``svcdiag engagement`` command: one function each, no terminal.

Each opens the folder, does its one job and returns a result the command
hands to a renderer; every error is an :class:`~svcdiag.errors.SvcdiagError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from svcdiag.assess.answers_file import read_answers_file
from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.engagement.folder import (
    AddResult,
    Incoming,
    add_files,
    create_engagement,
    folder_files,
    interview_path,
    plan_adds,
)
from svcdiag.engagement.folder import read_engagement as read_engagement
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import (
    classify,
    interview_key,
    load_respondents,
    read_interview,
)
from svcdiag.engagement.status import EngagementStatus, engagement_status
from svcdiag.errors import DefinitionError, InputFileError, UsageError
from svcdiag.models.engagement import INTERVIEWS_DIR, EngagementFile
from svcdiag.models.engagement_report import EngagementReport


def engagement_definition(engagement: EngagementFile, questionnaire: str | None = None) -> Loaded:
    """Load the engagement's questionnaire (or ``questionnaire``) and check id and version.

    Raises:
        UsageError: The questionnaire is not found, or its id or version differ.
    """
    ref = questionnaire or engagement.questionnaire.id
    # the id in engagement.yaml names a shipped questionnaire, never a file
    loaded = load_questionnaire(ref, id_only=questionnaire is None)
    want = engagement.questionnaire
    got = loaded.questionnaire
    if got.id != want.id or got.version != want.version:
        raise UsageError(
            f"the engagement uses questionnaire '{want.id}' version {want.version}, but "
            f"{ref} is '{got.id}' version {got.version}",
            hint="give the definition the engagement was made with: --questionnaire FILE",
        )
    if got.kind != "diagnostic":
        raise DefinitionError(
            f"questionnaire '{got.id}' is a {got.kind} questionnaire; an engagement combines "
            "diagnostic ones"
        )
    return loaded


def new_engagement(
    folder: Path,
    *,
    organisation: str,
    questionnaire: str,
    anonymity_floor: int,
    comment_floor: int | None = None,
    consultant: str | None = None,
) -> EngagementFile:
    """Create an engagement folder for ``questionnaire`` (a shipped id or a path)."""
    loaded = load_questionnaire(questionnaire)
    if loaded.questionnaire.kind != "diagnostic":
        raise UsageError(
            f"questionnaire '{loaded.questionnaire.id}' is a {loaded.questionnaire.kind} "
            "questionnaire; an engagement combines diagnostic ones",
            hint="use --questionnaire diagnostic (the default)",
        )
    return create_engagement(
        folder,
        organisation=organisation,
        questionnaire_id=loaded.questionnaire.id,
        questionnaire_version=loaded.questionnaire.version,
        anonymity_floor=anonymity_floor,
        comment_floor=comment_floor,
        consultant=consultant,
    )


def add_to_engagement(folder: Path, files: Sequence[Path], *, force: bool = False) -> AddResult:
    """Check every file, then copy each into its sub-folder (nothing written if one is bad).

    An interview that names another organisation than the engagement's is
    refused (it would mix two clients' answers) unless ``force``; then it is
    added with a warning. A file already in the folder is skipped, whoever
    it names.

    Raises:
        InputFileError: a file is unreadable, of no known kind, or of another questionnaire.
        UsageError: an interview is at another organisation, without ``force``.
    """
    engagement = read_engagement(folder)
    incoming = [classify(path, engagement) for path in files]
    known = [
        interview_key(read_interview(p, engagement)) for p in folder_files(folder, INTERVIEWS_DIR)
    ]
    fresh, _ = plan_adds(folder, incoming, known)
    elsewhere = _other_organisations(engagement, fresh)
    warnings = one_client(elsewhere, force=force, act="add", done="added")
    result = add_files(folder, incoming, known)
    result.warnings.extend(warnings)
    return result


def same_organisation(one: str, other: str) -> bool:
    """Whether two organisation names are the same, whatever their case and spacing."""

    def plain(name: str) -> str:
        return " ".join(name.casefold().split())

    return plain(one) == plain(other)


def other_client(engagement: EngagementFile, source: Path | str, named: str | None) -> str | None:
    """Say so when the interview ``source``, at ``named``, is not at the engagement's client."""
    if named is None or same_organisation(named, engagement.organisation):
        return None
    return f"{source} is an interview at '{named}', not '{engagement.organisation}'"


def one_client(elsewhere: Sequence[str], *, force: bool, act: str, done: str) -> list[str]:
    """Refuse interviews at another client (``elsewhere``, see :func:`other_client`).

    They would mix two clients' answers; with ``force`` (a client renamed,
    or spelt otherwise) they are let through, and the warnings returned say so.

    Args:
        elsewhere: One line per interview at another client.
        force: Let them through.
        act: What the command does with an interview ("add").
        done: The same, done ("added").

    Raises:
        UsageError: ``elsewhere`` is not empty and ``force`` is false.
    """
    if elsewhere and not force:
        raise UsageError(
            "; ".join(elsewhere) + f"; nothing was {done}",
            hint=f"{act} only this client's interviews; if these are this client's (a new "
            f"name, another spelling), pass --force to {act} them all the same",
        )
    return [f"{line}; {done} all the same (--force)" for line in elsewhere]


def same_interviews(folder: Path, path: Path) -> list[str]:
    """A warning for each other interview of ``folder`` that is the same interview as ``path``.

    The same respondent, questionnaire and answers, whatever the times (see
    :func:`~svcdiag.engagement.respondents.interview_key`). Interviews that
    cannot be read are left to ``engagement report`` to name.
    """
    engagement = read_engagement(folder)
    key = interview_key(read_interview(path, engagement))
    found = []
    for other in folder_files(folder, INTERVIEWS_DIR):
        if other.resolve() == path.resolve():
            continue
        try:
            same = interview_key(read_interview(other, engagement)) == key
        except InputFileError:
            continue
        if same:
            found.append(
                f"{path} is the same interview as {other} (the same respondent, questionnaire "
                "and answers); both files are kept, and engagement report counts it once"
            )
    return found


def _other_organisations(engagement: EngagementFile, incoming: Sequence[Incoming]) -> list[str]:
    """A line for each interview that names another organisation than the engagement's."""
    found = []
    for item in incoming:
        if item.kind != "interview":
            continue
        line = other_client(
            engagement, item.source, read_interview(item.source, engagement).organisation
        )
        if line is not None:
            found.append(line)
    return found


def status_of(folder: Path) -> EngagementStatus:
    """The participation and gaps of an engagement folder."""
    engagement = read_engagement(folder)
    return engagement_status(engagement, load_respondents(folder, engagement))


def report_of(folder: Path, questionnaire: str | None = None) -> EngagementReport:
    """The combined report of an engagement folder."""
    engagement = read_engagement(folder)
    loaded = engagement_definition(engagement, questionnaire)
    return build_report(engagement, loaded, load_respondents(folder, engagement))


@dataclass(frozen=True)
class InterviewSetup:
    """What ``svcdiag assess --engagement DIR`` takes from the engagement."""

    questionnaire: str
    organisation: str
    output: Path
    units: dict[str, str]
    #: Answers at another client filed all the same (``--force``), one line each.
    warnings: tuple[str, ...] = ()


def check_unit(engagement: EngagementFile, unit: str | None) -> None:
    """Refuse a unit that ``engagement.yaml`` does not define.

    Raises:
        UsageError: The unit is unknown.
    """
    known = [u.id for u in engagement.units]
    if unit is None or unit in known:
        return
    listed = ", ".join(known) if known else "none yet: add units: to engagement.yaml"
    raise UsageError(f"--unit {unit!r} is not a unit of this engagement", hint=f"units: {listed}")


def interview_setup(
    folder: Path,
    *,
    questionnaire: str | None,
    organisation: str | None,
    output: Path | None,
    unit: str | None,
    day: date,
    answers: Path | None = None,
    force: bool = False,
) -> InterviewSetup:
    """Check an interview's options against the engagement; choose its findings file.

    The findings go to a new file in ``folder/interviews/`` (never one that
    exists); the questionnaire and organisation are the engagement's. An
    ``answers`` file naming another organisation is refused as ``engagement
    add`` refuses one, unless ``force`` (see :func:`one_client`).

    Raises:
        UsageError: Another questionnaire or organisation, ``--output``, an
            unknown unit, or answers at another client without ``force``.
    """
    engagement = read_engagement(folder)
    engagement_definition(engagement, questionnaire)
    if organisation is not None and not same_organisation(organisation, engagement.organisation):
        raise UsageError(
            f"--organisation {organisation!r} differs from the engagement's "
            f"{engagement.organisation!r}",
            hint="leave out --organisation: an engagement is about one client",
        )
    if output is not None:
        raise UsageError(
            "--output cannot be combined with --engagement: the findings go into "
            f"{folder / INTERVIEWS_DIR} under a new name",
            hint="leave out --output, or leave out --engagement and add the file later with "
            "svcdiag engagement add",
        )
    check_unit(engagement, unit)
    named = read_answers_file(answers).organisation if answers is not None else None
    elsewhere = [line for line in [other_client(engagement, answers or "", named)] if line]
    return InterviewSetup(
        questionnaire=questionnaire or engagement.questionnaire.id,
        organisation=engagement.organisation,
        output=interview_path(folder, engagement.organisation, day),
        units={u.id: u.name for u in engagement.units},
        warnings=tuple(one_client(elsewhere, force=force, act="file", done="written")),
    )

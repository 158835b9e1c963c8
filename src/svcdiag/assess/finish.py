"""Finish an assessment: build the findings, write them safely, count what was answered.

:func:`finish` is the last step of ``svcdiag assess``: it turns a completed
session into :class:`~svcdiag.models.findings.Findings`, lets a later stage
add to them (``enrich``: scores, diagnosis), writes the file atomically
without ever replacing an existing one unless forced, and only then deletes
the session. If writing fails the session stays, so nothing is lost.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from svcdiag import __version__
from svcdiag.assess.flow import Flow
from svcdiag.assess.sessions import Session, SessionChanged, SessionStore
from svcdiag.atomicio import write_new
from svcdiag.models.engagement import INTERVIEWS_DIR
from svcdiag.models.findings import Findings, QuestionnaireRef, Respondent, Role
from svcdiag.serialise import to_yaml
from svcdiag.slugs import slugify
from svcdiag.source import nofollow

#: Findings hold clients' answers: readable by their owner only.
FINDINGS_MODE = 0o600
FINDINGS_SUFFIX = ".findings.yaml"
#: What ``assess`` does with the findings when ``--output`` is left out.
DEFAULT_FINDINGS = (
    "leave --output out to write the findings to ORGANISATION-DATE.findings.yaml in the "
    "current folder"
)


def default_findings_path(organisation: str, day: date, directory: Path = Path(".")) -> Path:
    """``<organisation-slug>-<date>.findings.yaml`` in ``directory``; -2, -3... if taken."""
    stem = f"{slugify(organisation, fallback='organisation')}-{day.isoformat()}"
    candidate = directory / f"{stem}{FINDINGS_SUFFIX}"
    counter = 1
    while os.path.lexists(candidate):  # a dangling link counts as taken
        counter += 1
        candidate = directory / f"{stem}-{counter}{FINDINGS_SUFFIX}"
    return candidate


def findings_target(session: Session, output: Path | None, *, force: bool, day: date) -> Path:
    """Where the findings go: ``output``, else the session's, else the default name.

    With ``force`` the default name is used even if taken (it is then replaced).
    """
    if output is not None:
        return output
    if session.output:
        return Path(session.output)
    if force:
        stem = f"{slugify(session.organisation or '', fallback='organisation')}-{day.isoformat()}"
        return Path(f"{stem}{FINDINGS_SUFFIX}")
    return default_findings_path(session.organisation or "", day)


def build_findings(session: Session, flow: Flow, *, finished: datetime) -> Findings:
    """The findings of a completed session, answers and notes in questionnaire order."""
    ref = session.questionnaire
    return Findings(
        svcdiag_version=__version__,
        questionnaire=QuestionnaireRef(
            id=ref.id,
            version=ref.version,
            sha256=ref.sha256,
            title=ref.title,
            # a questionnaire read from a file is found again by its path, not its id
            path=ref.ref if Path(ref.ref).is_absolute() else None,
        ),
        organisation=session.organisation or "",
        respondent=session.respondent or Respondent(role=Role.staff),
        consultant=session.consultant,
        started=session.started,
        finished=finished,
        answers=flow.ordered(session.answers),
        notes=flow.ordered(session.notes),
    )


#: What to do when a folder on the way to an engagement's interviews/ is a link.
ENGAGEMENT_LINK_HINT = (
    "replace the link by the folder itself: an engagement's interviews are written into its "
    "own interviews/ folder"
)


def in_engagement(path: Path, folder: Path | None) -> Path:
    """``path``, to be written following no link below ``folder`` if it is in its interviews/.

    An interview of an engagement (``assess --engagement``) goes into the
    engagement's ``interviews/``; like ``engagement add``, it is written
    through the folder's descriptor (:mod:`svcdiag.source.nofollow`), so a
    link put there after the folder was checked is refused, never followed.
    Any other findings file is written by name, as before.
    """
    if folder is None or path.parent != folder / INTERVIEWS_DIR:
        return path
    return nofollow.inside(folder, INTERVIEWS_DIR, path.name, hint=ENGAGEMENT_LINK_HINT)


def finish(
    session: Session,
    flow: Flow,
    store: SessionStore | None,
    *,
    path: Path,
    force: bool = False,
    finished: datetime,
    enrich: Callable[[Findings], Findings] | None = None,
) -> Findings:
    """Write the findings of ``session`` to ``path``; delete the session after.

    Args:
        session: A completed session (saved in ``store``, or None for a run
            from an answers file that has no session).
        flow: The flow of its questionnaire.
        store: Where the session is saved.
        path: The findings file (see :func:`findings_target`).
        force: Replace ``path`` if it exists.
        finished: The finishing time recorded.
        enrich: Adds analysis to the findings before they are written.

    Returns:
        The findings as written.

    Raises:
        OverwriteError: ``path`` exists and ``force`` is false (session kept).
        InputFileError: ``path`` cannot be written (session kept).
    """
    findings = build_findings(session, flow, finished=finished)
    if enrich is not None:
        findings = enrich(findings)
    text = to_yaml(findings)
    if nofollow.guarded(path):  # into an engagement's interviews/: no link followed
        nofollow.write_new(path, text, force=force, mode=FINDINGS_MODE)
    else:
        write_new(path, text, force=force, mode=FINDINGS_MODE, without_output=DEFAULT_FINDINGS)
    if store is not None and session.id in store.ids():
        _forget(store, session.id)
    return findings


def _forget(store: SessionStore, session_id: str) -> None:
    """Delete the finished session, unless another run changed its file meanwhile.

    That run's answers are kept (``svcdiag sessions`` lists them); these are
    in the findings just written.
    """
    with contextlib.suppress(SessionChanged):
        store.delete(session_id)

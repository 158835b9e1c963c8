"""Say what a file is when it sits in the wrong place of an engagement folder.

Each sub-folder holds one kind of file: findings in ``interviews/``, survey
responses in ``responses/``, saved nps, variation and trend results in
``evidence/``. A file of another kind there (a report written into
``responses/``, a findings file copied into ``evidence/``, the
``engagement.yaml`` given to ``engagement add``) would otherwise fail with
the validation problems of the kind expected, which say nothing useful.
:func:`misplaced` recognises the file by its keys and names what it is and
where it belongs instead. It is called only once a file has failed to read
as the kind expected, so a good folder is never read twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svcdiag.errors import InputFileError
from svcdiag.models.engagement import ENGAGEMENT_FILE, EVIDENCE_DIR, INTERVIEWS_DIR, RESPONSES_DIR

#: What each kind of file is called, and where it belongs.
_KINDS: dict[str, tuple[str, str]] = {
    "engagement": (
        f"an engagement's {ENGAGEMENT_FILE}",
        f"it belongs at the top of an engagement folder, as {ENGAGEMENT_FILE}, never among "
        "the interviews, responses or evidence",
    ),
    "report": (
        "an engagement report (svcdiag engagement report)",
        "a report is an output: keep it outside interviews/, responses/ and evidence/ "
        "(for example beside engagement.yaml)",
    ),
    "interview": ("a findings file (an interview)", f"it belongs in {INTERVIEWS_DIR}/"),
    "responses": ("a survey responses file", f"it belongs in {RESPONSES_DIR}/"),
    "evidence": ("a saved nps, variation or trend result", f"it belongs in {EVIDENCE_DIR}/"),
    "questionnaire": (
        "a questionnaire definition",
        "a questionnaire is run, not added: svcdiag assess FILE, or check it with "
        "svcdiag lint FILE",
    ),
    "answers": (
        "an answers file (no questionnaire, so no findings yet)",
        "turn it into findings with svcdiag assess QUESTIONNAIRE --answers FILE -o "
        "FILE.findings.yaml, then add that file",
    ),
}


def kind_of(data: Any) -> str | None:
    """The kind of svcdiag file ``data`` (a parsed YAML or JSON document) is, if known.

    One of ``engagement``, ``report``, ``responses``, ``interview`` (findings),
    ``questionnaire``, ``answers`` or ``evidence``; None for anything else.
    Every command that names a file given in the wrong place asks this.
    """
    if not isinstance(data, dict):
        return None
    shape = data.get("format")
    if shape == "svcdiag-engagement/1":
        return "engagement"
    if shape == "svcdiag-engagement-report/1":
        return "report"
    if shape == "svcdiag-responses/1":
        return "responses"
    if "answers" in data and ("svcdiag_version" in data or "questionnaire" in data):
        return "interview"
    if "sections" in data:
        return "questionnaire"
    from svcdiag.diagnosis.findings_errors import is_answers_file

    if is_answers_file(data):
        return "answers"
    from svcdiag.stats.evidence import evidence_kind

    return "evidence" if evidence_kind(data) is not None else None


def misplaced(path: Path, expected: str) -> InputFileError | None:
    """An error naming what ``path`` is, when it is a known kind other than ``expected``.

    ``expected`` is a key of the kinds above (``interview``, ``responses`` or
    ``evidence``). Returns ``None`` when the file is of the kind expected, or
    of no kind known: then the reader's own error says best what is wrong.
    """
    from svcdiag.source.yamlsource import load_file

    try:
        data = load_file(path).data
    except InputFileError:
        return None
    kind = kind_of(data)
    if kind is None or kind == expected:
        return None
    what, where = _KINDS[kind]
    wanted = _KINDS[expected][0]
    return InputFileError(path, f"this is {what}, not {wanted}", line=1, hint=where)


def refuse_misplaced(path: Path, expected: str, error: InputFileError) -> InputFileError:
    """The error to raise for ``path``: :func:`misplaced`'s when it has one, else ``error``."""
    return misplaced(path, expected) or error


def not_addable(path: Path, data: Any) -> InputFileError | None:
    """The error for a file ``engagement add`` never takes (an engagement.yaml, a report)."""
    kind = kind_of(data)
    if kind not in ("engagement", "report"):
        return None
    what, where = _KINDS[kind]
    return InputFileError(
        path,
        f"this is {what}; engagement add takes findings files, survey responses files "
        "and saved nps, variation or trend results",
        line=1,
        hint=where,
    )

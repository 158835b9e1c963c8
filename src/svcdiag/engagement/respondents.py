"""Read every respondent of an engagement: interviews and survey responses.

Interviews are findings files in ``interviews/``; survey responses are
``responses/*.yaml`` files (one per import). Both must have been made with
the engagement's questionnaire, id and version: a file of another one is an
error naming the file and the line, since its answers would be read against
the wrong questions. A respondent counted twice would weigh twice, so:

* an interview is identified by its questionnaire, respondent (role, unit,
  name), answers and notes, not by its times or file name
  (:func:`interview_key`): the same interview in two files, say run twice
  from one answers file, counts once;
* a survey response is identified by its ``id``: the same id in two files
  (or twice in one) counts once, with the answers read first; the warning
  says whether the answers differ, and on how many questions.

Each duplicate is reported as a warning. Units not defined in
``engagement.yaml`` are reported and read as "no unit".

Survey files are written by svcdiag itself and can hold thousands of
responses, so they are parsed with :mod:`.fastyaml` (or, for a
``responses/*.json`` file, the JSON parser, several times faster still);
only a file that cannot be read so, or that fails validation, is parsed
again with positions, for its error message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from svcdiag.diagnosis.reanalyse import read_data_evidence, read_findings
from svcdiag.engagement.fastyaml import Unsupported, load_plain
from svcdiag.engagement.folder import Incoming, folder_files, validate
from svcdiag.engagement.kinds import not_addable, refuse_misplaced
from svcdiag.errors import InputFileError
from svcdiag.models.engagement import EVIDENCE_DIR, INTERVIEWS_DIR, RESPONSES_DIR, EngagementFile
from svcdiag.models.findings import AnswerValue, DataEvidence, Findings
from svcdiag.models.responses import Response, ResponsesFile
from svcdiag.source.files import open_regular
from svcdiag.source.yamlsource import load_file, read_bytes


@dataclass(frozen=True)
class Person:
    """One respondent: where the answers came from, role, unit, answers and notes."""

    source: str
    kind: Literal["interview", "survey"]
    role: str
    unit: str | None
    answers: Mapping[str, AnswerValue]
    notes: Mapping[str, str]


@dataclass
class Respondents:
    """Everyone who answered, the client data, and what the reader had to say."""

    people: list[Person] = field(default_factory=list)
    data: list[DataEvidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def interviews(self) -> int:
        """How many respondents were interviewed."""
        return sum(1 for p in self.people if p.kind == "interview")

    @property
    def survey(self) -> int:
        """How many respondents answered a survey."""
        return sum(1 for p in self.people if p.kind == "survey")


def interview_key(findings: Findings) -> str:
    """What makes an interview the same interview, whatever file it is in or when it ran.

    The questionnaire (id and version), the respondent (role, unit, name),
    the answers and the notes; not the start and finish times, nor anything
    computed from the answers.
    """
    ident = {
        "questionnaire": [findings.questionnaire.id, findings.questionnaire.version],
        "respondent": findings.respondent.model_dump(mode="json"),
        "answers": findings.answers,
        "notes": findings.notes,
    }
    return hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()


def _wrong_questionnaire(
    path: Path, doc_line: int | None, qid: str, version: str, engagement: EngagementFile
) -> InputFileError | None:
    want = engagement.questionnaire
    if qid == want.id and version == want.version:
        return None
    if qid != want.id:
        what = f"questionnaire '{qid}'"
    else:
        what = f"version {version} of questionnaire '{qid}'"
    return InputFileError(
        path,
        f"made with {what}, but this engagement uses '{want.id}' version {want.version}; "
        "its answers cannot be combined with the others",
        line=doc_line,
        hint="re-run the interview with the engagement's questionnaire, or start another "
        "engagement for this questionnaire (there is no migration between versions)",
    )


def read_interview(path: Path, engagement: EngagementFile) -> Findings:
    """Read one findings file and check that it belongs to ``engagement``.

    Raises:
        InputFileError: The file is invalid, or of another questionnaire or version.
    """
    try:
        findings = read_findings(path)
    except InputFileError as err:
        raise refuse_misplaced(path, "interview", err) from None
    ref = findings.questionnaire
    line = load_file(path).value_position(("questionnaire", "id")).line
    wrong = _wrong_questionnaire(path, line, ref.id, ref.version, engagement)
    if wrong is not None:
        raise wrong
    return findings


#: Survey files are machine-written and can be large; other YAML keeps its own limit.
MAX_RESPONSES_BYTES = 512 * 1024 * 1024


def _fast_yaml(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_RESPONSES_BYTES:
            raise InputFileError(
                path, f"file is too large ({size} bytes; the limit is {MAX_RESPONSES_BYTES})"
            )
        with open_regular(path) as handle:  # no link followed (see source.nofollow)
            raw = handle.read()
    except OSError as err:
        raise InputFileError(path, f"cannot read: {err.strerror or err}") from None
    text = raw.decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise Unsupported(str(err)) from None
        except RecursionError:  # read again with positions, which names the depth
            raise Unsupported("nested too deep") from None
    return load_plain(text)


def read_responses(path: Path, engagement: EngagementFile) -> ResponsesFile:
    """Read one survey responses file and check that it belongs to ``engagement``.

    Raises:
        InputFileError: The file is invalid, or of another questionnaire or version.
    """
    try:
        data = _fast_yaml(path)
        result = ResponsesFile.model_validate(data)
    except (yaml.YAMLError, UnicodeDecodeError, ValidationError, Unsupported) as err:
        # parse again with positions: the slow reader names the line
        try:
            doc = load_file(path)
        except InputFileError:
            if not isinstance(err, ValidationError):
                raise
            first = err.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputFileError(
                path, f"not a valid survey responses file: {where}: {first['msg']}"
            ) from None
        try:
            result = validate(doc, ResponsesFile, "survey responses file")
        except InputFileError as invalid:
            raise refuse_misplaced(path, "responses", invalid) from None
    ref = result.questionnaire
    if ref.id != engagement.questionnaire.id or ref.version != engagement.questionnaire.version:
        line = load_file(path).value_position(("questionnaire", "id")).line
        wrong = _wrong_questionnaire(path, line, ref.id, ref.version, engagement)
        assert wrong is not None
        raise wrong
    return result


def load_respondents(folder: Path, engagement: EngagementFile) -> Respondents:
    """Read every interview, survey response and evidence file of an engagement."""
    found = Respondents()
    units = {u.id for u in engagement.units}
    seen_interviews: dict[str, str] = {}
    for path in folder_files(folder, INTERVIEWS_DIR):
        findings = read_interview(path, engagement)
        key = interview_key(findings)
        if key in seen_interviews:
            found.warnings.append(
                f"{path} is the same interview as {seen_interviews[key]} (the same respondent, "
                "questionnaire and answers; only the times or the file name differ); counted once"
            )
            continue
        seen_interviews[key] = str(path)
        unit = _unit(findings.respondent.unit, units, str(path), found.warnings)
        found.people.append(
            Person(
                str(path),
                "interview",
                findings.respondent.role.value,
                unit,
                findings.answers,
                findings.notes,
            )
        )
    seen_responses: dict[str, tuple[str, Response]] = {}
    for path in folder_files(folder, RESPONSES_DIR):
        responses = read_responses(path, engagement)
        same: dict[str, int] = {}
        differ: dict[str, list[int]] = {}
        for response in responses.responses:
            if response.id in seen_responses:
                first, kept = seen_responses[response.id]
                changed = _differences(kept, response)
                if changed:
                    differ.setdefault(first, []).append(changed)
                else:
                    same[first] = same.get(first, 0) + 1
                continue
            seen_responses[response.id] = (str(path), response)
            unit = _unit(response.unit, units, f"{path} ({response.id})", found.warnings)
            found.people.append(
                Person(
                    f"{path}#{response.id}",
                    "survey",
                    response.role.value,
                    unit,
                    response.answers,
                    response.notes,
                )
            )
        found.warnings.extend(_duplicate_warnings(path, same, differ))
    # named within the engagement (evidence/NAME), wherever the folder lies
    found.data = [
        item.model_copy(update={"source": f"{EVIDENCE_DIR}/{Path(item.source).name}"})
        for item in _read_evidence(folder_files(folder, EVIDENCE_DIR))
    ]
    return found


def _read_evidence(paths: list[Path]) -> list[DataEvidence]:
    """The saved results in ``evidence/``; a file of another kind there is named as such."""
    try:
        return read_data_evidence(paths)
    except InputFileError as err:
        raise refuse_misplaced(Path(err.path), "evidence", err) from None


def _differences(kept: Response, again: Response) -> int:
    """On how many points two responses of one id differ: questions, notes, role, unit."""
    points = 0
    for mine, theirs in ((kept.answers, again.answers), (kept.notes, again.notes)):
        points += sum(1 for q in mine.keys() | theirs.keys() if mine.get(q) != theirs.get(q))
    points += (kept.role != again.role) + (kept.unit != again.unit)
    return points


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _duplicate_warnings(
    path: Path, same: Mapping[str, int], differ: Mapping[str, list[int]]
) -> list[str]:
    """One warning per earlier file: responses of ids already read, the same or not."""
    found = [
        f"{path}: {_plural(n, 'response')} already read from {first} (same id, same answers); "
        "counted once"
        for first, n in same.items()
    ]
    for first, changed in differ.items():
        fewest, most = min(changed), max(changed)
        span = str(fewest) if fewest == most else f"{fewest} to {most}"
        what = (
            "1 answer, note, role or unit differs"
            if most == 1
            else f"{span} answers, notes, role or unit differ"
        )
        found.append(
            f"{path}: {_plural(len(changed), 'response')} with the id of one already read from "
            f"{first} but different answers ({what} in each); "
            f"each is counted once, with the answers from {first}; this file's are ignored"
        )
    return found


def _unit(unit: str | None, known: set[str], where: str, warnings: list[str]) -> str | None:
    if unit is None or unit in known:
        return unit
    warnings.append(
        f"{where}: unit '{unit}' is not in engagement.yaml; counted without a unit "
        "(add it under units: to break results down by it)"
    )
    return None


def classify(path: Path, engagement: EngagementFile) -> Incoming:
    """Check one file given to ``engagement add`` and say where it belongs.

    A findings file goes to ``interviews/``, a survey responses file to
    ``responses/``, a saved nps or variation result to ``evidence/``.

    Raises:
        InputFileError: The file is unreadable, of no known kind, invalid, or of
            another questionnaire.
    """
    doc = load_file(path)
    data = doc.data
    text = read_bytes(path).decode("utf-8-sig")
    if isinstance(data, dict) and data.get("format") == "svcdiag-responses/1":
        read_responses(path, engagement)
        return Incoming(path, "responses", text)
    if isinstance(data, dict) and "respondent" in data and "questionnaire" in data:
        findings = read_interview(path, engagement)
        return Incoming(path, "interview", text, interview_key(findings))
    if isinstance(data, dict) and "respondent" in data:
        raise InputFileError(
            path,
            "this is an answers file, not findings: it has no questionnaire",
            line=1,
            hint=f"turn it into findings first: svcdiag assess {engagement.questionnaire.id} "
            f"--answers {path} -o FILE.findings.yaml, then add that file",
        )
    refused = not_addable(path, data)
    if refused is not None:
        raise refused
    read_data_evidence([path])  # raises a clear error when it is no result either
    return Incoming(path, "evidence", text)

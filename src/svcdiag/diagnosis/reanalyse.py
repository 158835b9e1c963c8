"""Read a saved findings file and recompute its analysis from the answers.

``svcdiag report`` never trusts the analysis stored in a findings file: it
loads the questionnaire the findings name, recomputes everything from the
answers, and warns when the definition has changed since (its sha256 differs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from svcdiag.definitions.loading import Loaded, definition_files, load_questionnaire
from svcdiag.diagnosis import with_analysis
from svcdiag.diagnosis.findings_errors import answers_file_error, findings_error, is_answers_file
from svcdiag.errors import InputFileError, UsageError
from svcdiag.models.findings import DataEvidence, Findings
from svcdiag.source.resources import questionnaire_files, shipped_dir
from svcdiag.source.yamlsource import YamlDocument, load_file
from svcdiag.textsafe import path_text


@dataclass
class Recomputed:
    """Findings with a fresh analysis, and what the user should be told about them."""

    findings: Findings
    warnings: list[str] = field(default_factory=list)
    #: The questionnaire and catalogue files the analysis was read from.
    definitions: list[Path] = field(default_factory=list)


def _read(path: Path) -> tuple[Findings, YamlDocument]:
    doc = load_file(path)
    doc.refuse_duplicates()
    if not isinstance(doc.data, dict):
        raise InputFileError(doc.path, "a findings file is a mapping of keys", line=1, col=1)
    if is_answers_file(doc.data):
        raise answers_file_error(doc)
    _refuse_evidence(doc)
    try:
        return Findings.model_validate(doc.data), doc
    except ValidationError as err:
        raise findings_error(doc, err) from None


def _refuse_evidence(doc: YamlDocument) -> None:
    """A saved NPS or variation result is evidence to attach, not findings to re-render."""
    from svcdiag.stats.evidence import evidence_kind

    if "answers" in doc.data or "questionnaire" in doc.data:
        return
    kind = evidence_kind(doc.data)
    if kind is None:
        return
    name = "an NPS result" if kind == "nps" else "a variation result"
    raise InputFileError(
        doc.path,
        f"this is {name} saved by 'svcdiag {kind}', not a findings file: it is evidence",
        line=1,
        col=1,
        hint=f"attach it to findings: svcdiag report FINDINGS.yaml --evidence {doc.path}",
    )


def read_findings(path: Path) -> Findings:
    """Read and validate a findings file, with file:line errors."""
    return _read(path)[0]


def definition_for(
    findings: Findings, questionnaire: str | None = None, *, sent_from: Path | None = None
) -> Loaded:
    """Load the questionnaire ``findings`` were made with (or ``questionnaire`` if given).

    Args:
        findings: the findings to recompute.
        questionnaire: a shipped id or a path the user gave (``--questionnaire``).
        sent_from: the folder of the findings file when it was read from one.
            A file someone sends must not choose what gets read: the path it
            records is used only when it lies under this folder; otherwise
            its questionnaire id is looked up among the shipped ones, and an
            id is never a path. ``None`` (findings just made by ``assess``)
            trusts the recorded path.

    Raises:
        UsageError: ``questionnaire`` has another id than the one the findings were made with.
    """
    recorded = findings.questionnaire.path
    if questionnaire is not None:
        definition = load_questionnaire(questionnaire)
        ref = questionnaire
    elif recorded and (sent_from is None or _under(Path(recorded), sent_from)):
        definition = load_questionnaire(recorded)
        ref = recorded
    else:
        ref = findings.questionnaire.id
        definition = load_questionnaire(ref, id_only=True)
    made_with = findings.questionnaire.id
    if definition.questionnaire.id != made_with:
        option = f" (given with --questionnaire {ref})" if questionnaire else f" ({ref})"
        raise UsageError(
            f"these findings were made with questionnaire '{made_with}', not "
            f"'{definition.questionnaire.id}'{option}",
            hint=f"leave out --questionnaire, or give a file that defines '{made_with}'",
        )
    return definition


def _under(path: Path, folder: Path) -> bool:
    """Whether ``path`` (relative paths read from ``folder``) lies under ``folder``."""
    base = folder.resolve()
    target = (base / path).resolve()
    return target.is_relative_to(base)


def definition_note(
    findings: Findings, definition: Loaded, sent_from: Path, questionnaire: str | None
) -> str | None:
    """Say which definition is used when the user chose a file, or the recorded one was not read.

    Args:
        findings: the findings recomputed.
        definition: the definition used.
        sent_from: the folder of the findings file.
        questionnaire: what ``--questionnaire`` gave, if anything.
    """
    recorded = findings.questionnaire.path
    if questionnaire is not None:
        return None if definition.shipped else f"using the questionnaire file {definition.path}"
    if recorded and not _under(Path(recorded), sent_from):
        return (
            f"these findings name the questionnaire file {recorded}, outside their own "
            f"folder; it was not read, and the shipped questionnaire "
            f"'{definition.questionnaire.id}' is used instead (to use that file, give "
            "--questionnaire FILE)"
        )
    return None


def _definition_named_in(doc: YamlDocument, findings: Findings) -> Loaded:
    """The definition the findings name, with an error naming the findings file if it is gone."""
    try:
        return definition_for(findings, sent_from=Path(doc.path).parent)
    except UsageError as err:
        if not err.message.startswith("no questionnaire"):
            raise
        sent_from = Path(doc.path).parent
        recorded = findings.questionnaire.path
        usable = recorded and _under(Path(recorded), sent_from)
        named = recorded if usable else findings.questionnaire.id
        key = "path" if usable else "id"
        pos = doc.value_position(("questionnaire", key))
        what = "a file" if usable else "a shipped questionnaire"
        raise InputFileError(
            doc.path,
            f"these findings name questionnaire '{named}', which is not {what}",
            line=pos.line,
            col=pos.col,
            hint="give the definition they were made with: --questionnaire FILE (shipped: "
            f"{', '.join(p.stem for p in questionnaire_files(shipped_dir()))})",
        ) from None


def analysed(findings: Findings) -> Findings:
    """Return ``findings`` with their analysis, computed with the questionnaire they name.

    This is the hook ``svcdiag assess`` calls before writing the findings.
    """
    definition = definition_for(findings)
    return with_analysis(findings, definition.questionnaire, definition.catalogue)


def read_data_evidence(paths: Sequence[Path]) -> list[DataEvidence]:
    """Read saved ``svcdiag nps``/``variation`` results, each checked, for ``--evidence``."""
    from svcdiag.models.results import NpsResult
    from svcdiag.models.trend import TrendResult
    from svcdiag.stats.evidence import load_evidence, summary

    found = []
    for path in paths:
        result = load_evidence(path)
        source = path_text(path)
        if isinstance(result, TrendResult):
            found.append(
                DataEvidence(source=source, kind="trend", summary=result.summary, trend=result)
            )
        elif isinstance(result, NpsResult):
            found.append(
                DataEvidence(source=source, kind="nps", summary=summary(result), nps=result)
            )
        else:
            found.append(
                DataEvidence(
                    source=source, kind="variation", summary=summary(result), variation=result
                )
            )
    return found


def attach(findings: Findings, data: Sequence[DataEvidence]) -> Findings:
    """Return ``findings`` with ``data`` attached; a result from the same file replaces the old."""
    if not data:
        return findings
    new = {item.source for item in data}
    kept = [item for item in findings.data_evidence or () if item.source not in new]
    return findings.model_copy(update={"data_evidence": [*kept, *data]})


def recompute(
    path: Path, questionnaire: str | None = None, data: Sequence[DataEvidence] = ()
) -> Recomputed:
    """Read the findings at ``path`` and recompute their analysis from the answers.

    Args:
        path: the findings file.
        questionnaire: a shipped id or a path; by default the one the findings name.
        data: client data to attach (from :func:`read_data_evidence`) before recomputing.
    """
    found, doc = _read(path)
    findings = attach(found, data)
    if questionnaire is None:
        definition = _definition_named_in(doc, findings)
    else:
        definition = definition_for(findings, questionnaire)
    warnings = []
    note = definition_note(findings, definition, path.parent, questionnaire)
    if note:
        warnings.append(note)
    changed = changed_warning(findings, definition)
    if changed:
        warnings.append(changed)
    relabelled = version_warning(findings, definition)
    if relabelled:
        warnings.append(relabelled)
        ref = findings.questionnaire.model_copy(
            update={"version": definition.questionnaire.version}
        )
        findings = findings.model_copy(update={"questionnaire": ref})
    fresh = with_analysis(findings, definition.questionnaire, definition.catalogue)
    misfits = misfit_warning(fresh)
    if misfits:
        warnings.append(misfits)
    refused = refused_warning(doc, fresh, definition)
    if refused:
        warnings.append(refused)
    return Recomputed(findings=fresh, warnings=warnings, definitions=definition_files(definition))


def refused_warning(doc: YamlDocument, findings: Findings, definition: Loaded) -> str | None:
    """A warning listing the answers the prompt would refuse, beyond those already left out.

    A findings file may have been edited by hand: a number beyond its
    question's range, ``unknown`` where the question does not allow it. The
    analysis leaves out what it cannot read; this names the rest, with the
    line of each, using the same rule set as the prompts and answers files.
    """
    from svcdiag.assess.answers import problem_with

    coverage = findings.coverage
    left_out = (
        {m.question for m in coverage.missing if m.reason == "ignored"} if coverage else set()
    )
    known = {q.id: q for q in definition.questionnaire.questions()}
    lines = []
    for question_id, value in findings.answers.items():
        question = known.get(question_id)
        if question is None or question_id in left_out:
            continue
        problem = problem_with(question, value)
        if problem is not None:
            line = doc.locate(("answers", question_id)).line
            lines.append(f"  line {line}: {question_id}: {problem}")
    if not lines:
        return None
    count = len(lines)
    head = (
        f"{count} answer{'s' if count > 1 else ''} would be refused by the questionnaire "
        "(edited by hand?); correct {0} in the file:".format("them" if count > 1 else "it")
    )
    return "\n".join([head, *lines])


def changed_warning(findings: Findings, definition: Loaded) -> str | None:
    """A warning when the definition differs from the one the findings were made with."""
    if definition.sha256 == findings.questionnaire.sha256:
        return None
    name = definition.questionnaire.id
    then, now = findings.questionnaire.version, definition.questionnaire.version
    if then == now:
        what = (
            f"questionnaire '{name}' (version {now}) has been edited since these findings "
            "were made, without a new version number"
        )
    else:
        what = (
            f"questionnaire '{name}' has changed since these findings were made (version "
            f"{then} then, {now} now)"
        )
    return f"{what}; the analysis uses the current definition"


def version_warning(findings: Findings, definition: Loaded) -> str | None:
    """A warning when the findings name another version of the very definition they were made with.

    The sha256 recorded in the findings is that of the definition read, so the
    answers were made with it; only the version number was changed (by hand,
    most likely). The report then shows the version the analysis used, and
    this warning names both.
    """
    then, now = findings.questionnaire.version, definition.questionnaire.version
    if definition.sha256 != findings.questionnaire.sha256 or then == now:
        return None
    return (
        f"these findings name version {then} of questionnaire "
        f"'{definition.questionnaire.id}', but their sha256 is that of version {now}, "
        f"which the analysis uses and the report shows (was the version edited by hand?)"
    )


def misfit_warning(findings: Findings) -> str | None:
    """A warning listing, one per line, the answers that no longer fit and why."""
    coverage = findings.coverage
    if coverage is None or not coverage.ignored:
        return None
    ignored = [m for m in coverage.missing if m.reason == "ignored"]
    if len(ignored) == 1:
        lines = ["1 answer no longer fits the questionnaire and was left out:"]
    else:
        lines = [f"{len(ignored)} answers no longer fit the questionnaire and were left out:"]
    lines.extend(f"  {m.question}: {m.detail or 'does not fit'}" for m in ignored)
    return "\n".join(lines)

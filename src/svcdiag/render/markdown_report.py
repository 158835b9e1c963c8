"""The report as Markdown, fit to paste into a client document.

Pure string building: headings, short paragraphs, pipe tables and lists, no
HTML and no colour. Question ids are shown as code so that underscores stay
literal. What the client or the consultant wrote (organisation, names, notes,
text answers, data file and unit names) goes through
:func:`svcdiag.textsafe.for_markdown`, so it can never start a heading or
carry HTML or a link.
"""

from __future__ import annotations

from collections.abc import Sequence

from svcdiag.models.analysis import (
    CharacteristicScore,
    Coverage,
    Diagnosis,
    FactorScore,
    GilbertScore,
    Recommendation,
    Triage,
)
from svcdiag.models.catalogue import ENVIRONMENT_CELLS, INDIVIDUAL_CELLS
from svcdiag.models.findings import Findings
from svcdiag.render import wording
from svcdiag.textsafe import for_markdown


def _cell(text: str) -> str:
    """Make ``text`` safe inside a pipe-table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def _header(findings: Findings) -> str:
    rows = "\n".join(
        f"- **{label}:** {for_markdown(value)}" for label, value in wording.header_rows(findings)
    )
    return f"# Service diagnosis: {for_markdown(findings.organisation)}\n\n{rows}"


def _diagnosis(diagnosis: Diagnosis) -> str:
    label = wording.VERDICT_LABELS[diagnosis.verdict]
    meaning = wording.verdict_meaning(diagnosis)
    reasons = "\n".join(f"- {r}" for r in diagnosis.reasons)
    return (
        f"## Verdict\n\n**{label}**: {meaning}. Confidence: "
        f"{wording.confidence_text(diagnosis)}.\n\n{diagnosis.headline}\n\n"
        f"Why:\n\n{reasons}"
    )


def _characteristics(items: Sequence[CharacteristicScore]) -> str:
    rows = [
        (
            str(c.number),
            c.title,
            wording.score_text(c.score),
            wording.bar(c.score).rstrip() or " ",
            str(c.answered),
        )
        for c in items
    ]
    table = _table(
        ("#", "Characteristic", "Score", "Out of 100", "Answers"),
        ("--:", "---", "--:", "---", "--:"),
        rows,
    )
    return f"## Benchmark characteristics\n\n{table}"


def _gilbert(cells: Sequence[GilbertScore]) -> str:
    by_cell = {c.cell: c for c in cells}
    head = [
        "Side",
        *(
            f"{wording.CELL_LABELS[e]} / {wording.CELL_LABELS[i]}"
            for e, i in zip(ENVIRONMENT_CELLS, INDIVIDUAL_CELLS, strict=True)
        ),
    ]
    rows = []
    for label, group in (("Environment", ENVIRONMENT_CELLS), ("Individual", INDIVIDUAL_CELLS)):
        row = [f"**{label}**"]
        for cell in group:
            found = by_cell.get(cell)
            score = found.score if found else None
            answered = found.answered if found else 0
            row.append(f"{wording.score_text(score)} ({wording.answers_text(answered)})")
        rows.append(row)
    table = _table(head, ("---", "--:", "--:", "--:"), rows)
    return (
        "## Gilbert's Behavior Engineering Model\n\n"
        "The environment row is what the organisation provides; the individual row is what "
        "people bring. Fix the environment first: it is cheaper and it shapes the row "
        f"below.\n\n{table}"
    )


def _factors(items: Sequence[FactorScore]) -> str:
    rows = [
        (
            f.title,
            f.kind.value,
            wording.CELL_LABELS[f.gilbert],
            wording.score_text(f.score),
            str(f.answered),
        )
        for f in wording.weakest_first(items)
    ]
    table = _table(
        ("Cause factor", "Kind", "Gilbert cell", "Score", "Answers"),
        ("---", "---", "---", "--:", "--:"),
        rows,
    )
    return f"## Cause factors, weakest first\n\n{table}"


def _recommendation(rec: Recommendation) -> str:
    lines = [
        f"### {rec.rank}. {rec.title}",
        "",
        f"*{wording.intervention_tags(rec)}*",
        "",
        rec.rationale,
    ]
    if rec.triggers:
        lines += ["", "Answers behind it:", ""]
        for t in rec.triggers:
            note = f" Note: {for_markdown(t.note)}" if t.note else ""
            answer = for_markdown(t.answer_text)
            lines.append(f"- `{t.question}` {t.text} Answer: **{answer}**.{note}")
    return "\n".join(lines)


def _recommendations(items: Sequence[Recommendation], diagnosis: Diagnosis | None) -> str:
    intro = wording.training_summary(items)
    if diagnosis is not None and not diagnosis.major_problem and items:
        intro += " None is urgent: they would strengthen what already works."
    parts = ["## Recommended interventions", intro, *(_recommendation(r) for r in items)]
    return "\n\n".join(parts)


def _triage(triage: Triage) -> str:
    reasons = "\n".join(f"- {r}" for r in triage.reasons)
    text = f"## Triage: {triage.title}\n\n{reasons}"
    if len(triage.routes) > 1:
        rows = [(r.title, f"`{r.question}`", r.answer_text) for r in triage.routes]
        text += "\n\n" + _table(("Route", "Question", "Answer"), ("---", "---", "---"), rows)
    return text


def _coverage(coverage: Coverage) -> str:
    text = f"## Coverage\n\n{wording.coverage_summary(coverage)}"
    if coverage.missing:
        rows = [
            (
                f"`{m.question}`",
                m.text,
                wording.MISSING_LABELS[m.reason]
                + (f": {for_markdown(m.detail)}" if m.detail else ""),
            )
            for m in coverage.missing
        ]
        text += "\n\n" + _table(("Id", "Question", "Status"), ("---", "---", "---"), rows)
    return text


def _data(findings: Findings) -> str:
    items = findings.data_evidence or []
    bullets = []
    for item in items:
        first, *rest = wording.data_lines(item)
        bullets.append(
            f"- {for_markdown(first)}" + "".join(f"\n  - {for_markdown(line)}" for line in rest)
        )
    return "## Evidence from client data\n\n" + wording.DATA_INTRO + "\n\n" + "\n".join(bullets)


def render_markdown(findings: Findings) -> str:
    """Return the whole report as Markdown text ending with one newline."""
    parts = [_header(findings)]
    if findings.diagnosis is not None:
        parts.append(_diagnosis(findings.diagnosis))
    if findings.data_evidence:
        parts.append(_data(findings))
    if findings.characteristics:
        parts.append(_characteristics(findings.characteristics))
    if findings.gilbert:
        parts.append(_gilbert(findings.gilbert))
    if findings.factors:
        parts.append(_factors(findings.factors))
    if findings.recommendations is not None:
        parts.append(_recommendations(findings.recommendations, findings.diagnosis))
    if findings.triage is not None:
        parts.append(_triage(findings.triage))
    if findings.coverage is not None:
        parts.append(_coverage(findings.coverage))
    if findings.characteristics or findings.gilbert:
        parts.append(f"## How to read this report\n\n{wording.HOW_TO_READ}")
    return "\n\n".join(parts) + "\n"

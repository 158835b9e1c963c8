"""The report as Markdown, fit to paste into a client document.

Pure string building: headings, short paragraphs, pipe tables and lists, no
HTML and no colour. It leads with the point: the verdict in one sentence, the
client's own words, then the plan (first steps, next steps, training by
level); the analysis follows. Question ids are shown as code so that
underscores stay literal. Every value that came from a user or a client file
goes through :func:`svcdiag.textsafe.for_markdown`, so it can never start a
heading, open an HTML tag or make a link.
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
    TrainingStep,
    Triage,
)
from svcdiag.models.catalogue import ENVIRONMENT_CELLS, INDIVIDUAL_CELLS
from svcdiag.models.findings import Findings
from svcdiag.render import wording
from svcdiag.textsafe import for_markdown as md


def _cell(text: str) -> str:
    """Keep ``text`` inside its pipe-table cell (user text is escaped where it is built)."""
    return text.replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def _header(findings: Findings) -> str:
    rows = "\n".join(
        f"- **{label}:** {md(value)}" for label, value in wording.header_rows(findings)
    )
    return f"# Service diagnosis: {md(findings.organisation)}\n\n{rows}"


def _verdict(diagnosis: Diagnosis) -> str:
    label = wording.VERDICT_LABELS[diagnosis.verdict]
    meaning = wording.verdict_meaning(diagnosis)
    return (
        f"## Verdict\n\n**{label}** ({meaning}): {diagnosis.headline} Confidence: "
        f"{wording.confidence_text(diagnosis)}."
    )


def _reasons(diagnosis: Diagnosis) -> str:
    reasons = "\n".join(f"- {md(r)}" for r in diagnosis.reasons)
    return f"## Why this verdict\n\n{reasons}"


def _client_words(findings: Findings) -> str:
    said = [q for q in findings.client_words or [] if q.kind == "answer"]
    lines = [f"> {md(q.words)}" for q in said]
    return "## In the client's words\n\n" + "\n>\n".join(lines)


def _plan(findings: Findings) -> str:
    items = findings.recommendations or []
    parts = ["## The plan", wording.plan_intro(items, findings.diagnosis)]
    if findings.already_in_place:
        parts.append(
            "Already in place and working: "
            + "; ".join(md(t) for t in findings.already_in_place)
            + "."
        )
    for heading, group in wording.plan_groups(items):
        parts.append(f"### {heading}")
        parts.extend(_recommendation(r) for r in group)
    return "\n\n".join(parts)


def _training(steps: Sequence[TrainingStep], titles: dict[str, str]) -> str:
    lines = [
        "## Training by level",
        "",
        "From the top down: when the board or managers need it, they go first.",
        "",
    ]
    for step in steps:
        state = "needed" if step.needed else "not called for now"
        lines.append(f"- **{step.title}** ({state}): {step.key_issue}")
        lines.extend(f"  - {md(reason)}" for reason in step.reasons)
        if step.interventions:
            listed = "; ".join(md(titles.get(i, i)) for i in step.interventions)
            lines.append(f"  - In the plan: {listed}")
    return "\n".join(lines)


def _notes(findings: Findings) -> str:
    lines = ["## Notes from the interview", ""]
    for quote in findings.client_words or []:
        if quote.kind != "note":
            continue
        shown = f" Answer: **{md(quote.answer_text)}**." if quote.answer_text else ""
        lines.append(f"- `{quote.question}` {md(quote.text)}{shown} Note: *{md(quote.words)}*")
    return "\n".join(lines)


def _characteristics(items: Sequence[CharacteristicScore]) -> str:
    rows = [
        (
            str(c.number),
            md(c.title),
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
            md(f.title),
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
        f"**{rec.rank}. {md(rec.title)}**",
        "",
        f"*{wording.owner_text(rec)}; {wording.intervention_tags(rec)}*",
        "",
        md(rec.rationale),
    ]
    if rec.triggers:
        lines += ["", "Answers behind it:", ""]
        for t in rec.triggers:
            note = f" Note: *{md(t.note)}*" if t.note else ""
            lines.append(f"- `{t.question}` {md(t.text)} Answer: **{md(t.answer_text)}**.{note}")
    return "\n".join(lines)


def _triage(triage: Triage) -> str:
    reasons = "\n".join(f"- {md(r)}" for r in triage.reasons)
    text = f"## Triage: {md(triage.title)}\n\n{reasons}"
    if len(triage.routes) > 1:
        rows = [(md(r.title), f"`{r.question}`", md(r.answer_text)) for r in triage.routes]
        text += "\n\n" + _table(("Route", "Question", "Answer"), ("---", "---", "---"), rows)
    return text


def _coverage(coverage: Coverage) -> str:
    text = f"## Coverage\n\n{wording.coverage_summary(coverage)}"
    if coverage.missing:
        rows = [
            (
                f"`{m.question}`",
                md(m.text),
                wording.MISSING_LABELS[m.reason] + (f": {md(m.detail)}" if m.detail else ""),
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
        bullets.append(f"- {md(first)}" + "".join(f"\n  - {md(line)}" for line in rest))
    return "## Evidence from client data\n\n" + wording.DATA_INTRO + "\n\n" + "\n".join(bullets)


def render_markdown(findings: Findings) -> str:
    """Return the whole report as Markdown text ending with one newline."""
    parts = [_header(findings)]
    if findings.diagnosis is not None:
        parts.append(_verdict(findings.diagnosis))
    quotes = findings.client_words or []
    if any(q.kind == "answer" for q in quotes):
        parts.append(_client_words(findings))
    if findings.recommendations is not None:
        parts.append(_plan(findings))
    if findings.training_plan:
        titles = {r.intervention: r.title for r in findings.recommendations or []}
        parts.append(_training(findings.training_plan, titles))
    if findings.diagnosis is not None:
        parts.append(_reasons(findings.diagnosis))
    if findings.data_evidence:
        parts.append(_data(findings))
    if findings.characteristics:
        parts.append(_characteristics(findings.characteristics))
    if findings.gilbert:
        parts.append(_gilbert(findings.gilbert))
    if findings.factors:
        parts.append(_factors(findings.factors))
    if any(q.kind == "note" for q in quotes):
        parts.append(_notes(findings))
    if findings.triage is not None:
        parts.append(_triage(findings.triage))
    if findings.coverage is not None:
        parts.append(_coverage(findings.coverage))
    if findings.characteristics or findings.gilbert:
        parts.append(f"## How to read this report\n\n{wording.HOW_TO_READ}")
    return "\n\n".join(parts) + "\n"

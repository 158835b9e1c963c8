"""The report laid out for a terminal with Rich.

It leads with the point: the verdict, the client's own words and the first
steps of the plan fill the first screen. Then the next steps, the training
plan by level, why the verdict, the client's data, the characteristics,
Gilbert's grid, cause factors, the interview notes beside their answers,
triage and coverage. Every table folds its text so that the whole report fits an
80-column terminal; user text is passed as :class:`~rich.text.Text`, never as
markup, so brackets in an organisation's name print as they are. A free-text
answer, a note or a header value longer than :data:`MAX_SHOWN` characters is
cut there, saying how much more there is: Rich takes time that grows with the
square of a text's length to fold it, so a few megabytes pasted into an
answer would hold the terminal for minutes. The findings file, and every
other format, keep the whole text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from svcdiag.diagnosis.diagnose import HEALTHY_AT
from svcdiag.models.analysis import (
    CharacteristicScore,
    Coverage,
    Diagnosis,
    FactorScore,
    GilbertScore,
    Quote,
    Recommendation,
    TrainingStep,
    Triage,
    Trigger,
    Verdict,
)
from svcdiag.models.catalogue import ENVIRONMENT_CELLS, INDIVIDUAL_CELLS
from svcdiag.models.findings import Findings
from svcdiag.render import wording

#: Most characters of one answer, note or header value the terminal view shows.
MAX_SHOWN = 2_000


def _shown(text: str) -> str:
    """``text``, or its first :data:`MAX_SHOWN` characters and how many more there are."""
    if len(text) <= MAX_SHOWN:
        return text
    more = len(text) - MAX_SHOWN
    return f"{text[:MAX_SHOWN]}… ({more:,} more characters; -f markdown shows them all)"


_VERDICT_STYLE = {
    Verdict.system: "bold cyan",
    Verdict.mixed: "bold yellow",
    Verdict.individual: "bold magenta",
    Verdict.healthy: "bold green",
    Verdict.undetermined: "bold white",
}


def _score_style(score: float | None) -> str:
    """Red when weak (below the one healthy mark), green otherwise: the legend's rule."""
    if score is None:
        return "dim"
    return "red" if score < HEALTHY_AT else "green"


def _score(score: float | None, bar_width: int = 0) -> Text:
    text = Text(wording.score_text(score).rjust(5), style=_score_style(score))
    if bar_width:
        text.append(" ")
        text.append(wording.bar(score, bar_width), style=_score_style(score))
    return text


def _heading(title: str) -> Rule:
    return Rule(Text(title, style="bold"), align="left", style="dim")


def _header(findings: Findings) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in wording.header_rows(findings):
        grid.add_row(label, Text(_shown(value)))
    return Panel(grid, title=Text("Service diagnosis", style="bold"), title_align="left")


def _verdict(diagnosis: Diagnosis) -> RenderableType:
    style = _VERDICT_STYLE[diagnosis.verdict]
    lines = Text()
    lines.append(wording.VERDICT_LABELS[diagnosis.verdict].upper(), style=style)
    lines.append(f": {wording.verdict_meaning(diagnosis)}\n")
    lines.append(diagnosis.headline, style="bold")
    lines.append("\nConfidence: ", style="bold")
    lines.append(wording.confidence_text(diagnosis))
    return Panel(
        lines,
        title=Text("Verdict", style="bold"),
        title_align="left",
        border_style=style.replace("bold ", ""),
    )


def _reasons(diagnosis: Diagnosis) -> RenderableType:
    return Group(
        _heading("Why this verdict"), _bullets([Text(reason) for reason in diagnosis.reasons])
    )


def _client_words(quotes: Sequence[Quote]) -> RenderableType:
    said = [q for q in quotes if q.kind == "answer"]
    items = [Text(f"\u201c{_shown(' '.join(q.words.split()))}\u201d") for q in said]
    return Group(_heading("In the client's words"), _bullets(items))


def _characteristics(items: Sequence[CharacteristicScore]) -> RenderableType:
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Characteristic", overflow="fold", ratio=1)
    table.add_column("Score", no_wrap=True)
    table.add_column("Answers", justify="right", no_wrap=True)
    for c in items:
        table.add_row(str(c.number), Text(c.title), _score(c.score, 20), str(c.answered))
    return Group(_heading("Benchmark characteristics"), table)


def _gilbert_cell(cell: GilbertScore | None, label: str, meaning: str) -> Text:
    text = Text(label, style="bold")
    text.append(f"\n{meaning}\n", style="dim")
    score = cell.score if cell else None
    text.append_text(_score(score, 10))
    answered = cell.answered if cell else 0
    text.append(f"\n{wording.answers_text(answered)}", style="dim")
    return text


def _gilbert(cells: Sequence[GilbertScore]) -> RenderableType:
    by_cell = {c.cell: c for c in cells}
    table = Table(show_header=False, expand=False, padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    for _ in ENVIRONMENT_CELLS:
        table.add_column(overflow="fold")
    for label, group in (("Environment", ENVIRONMENT_CELLS), ("Individual", INDIVIDUAL_CELLS)):
        table.add_row(
            label,
            *(
                _gilbert_cell(by_cell.get(c), wording.CELL_LABELS[c], wording.CELL_MEANINGS[c])
                for c in group
            ),
            end_section=True,
        )
    note = Text(
        "Environment: what the organisation provides. Individual: what people bring. "
        "Fix the environment first.",
        style="dim",
    )
    return Group(_heading("Gilbert's Behavior Engineering Model"), table, note)


def _factors(items: Sequence[FactorScore]) -> RenderableType:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Cause factor", overflow="fold", ratio=1)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Score", no_wrap=True)
    table.add_column("Answers", justify="right", no_wrap=True)
    for f in wording.weakest_first(items):
        table.add_row(Text(f.title), f.kind.value, _score(f.score, 10), str(f.answered))
    return Group(_heading("Cause factors, weakest first"), table)


def _bullets(items: Sequence[Text]) -> Table:
    """A bulleted list whose wrapped lines indent under the text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row("•", item)
    return grid


def _trigger(trigger: Trigger) -> Text:
    text = Text()
    text.append(trigger.question, style="cyan")
    text.append(f" {trigger.text} Answer: ")
    text.append(_shown(trigger.answer_text), style="bold")
    if trigger.note:
        text.append(f" (note: {_shown(trigger.note)})", style="italic")
    return text


def _recommendation(rec: Recommendation) -> RenderableType:
    head = Text()
    head.append(rec.title, style="bold")
    head.append(f"\n{wording.owner_text(rec)}; {wording.intervention_tags(rec)}", style="dim")
    head.append(f"\n{rec.rationale}")
    body: list[RenderableType] = [head]
    if rec.triggers:
        body.append(_bullets([_trigger(t) for t in rec.triggers]))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, width=3)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"{rec.rank}.", style="bold"), Group(*body))
    return grid


def _plan(
    items: Sequence[Recommendation],
    diagnosis: Diagnosis | None,
    in_place: Sequence[str],
    *,
    step: str,
) -> RenderableType | None:
    """One group of the plan (``first`` or ``next``); the first group carries the intro."""
    groups = dict(wording.plan_groups(items))
    heading = wording.STEP_HEADINGS[step]
    chosen = groups.get(heading, [])
    parts: list[RenderableType] = []
    if step == "first":
        parts += [
            _heading("The plan: " + heading.lower()),
            Text(wording.plan_intro(items, diagnosis)),
        ]
        if in_place:
            parts.append(
                Text("Already in place and working: " + "; ".join(in_place) + ".", style="dim")
            )
    elif chosen:
        parts.append(_heading("The plan: " + heading.lower()))
    else:
        return None
    for rec in chosen:
        parts += [Text(""), _recommendation(rec)]
    return Group(*parts)


def _training(steps: Sequence[TrainingStep], titles: dict[str, str]) -> RenderableType:
    rows: list[Text] = []
    for step in steps:
        text = Text()
        text.append(step.title, style="bold")
        text.append(
            ": needed" if step.needed else ": not called for now",
            style="bold" if step.needed else "dim",
        )
        text.append(f"\n{step.key_issue}")
        for reason in step.reasons:
            text.append(f"\n{reason}", style="dim")
        if step.interventions:
            text.append("\nIn the plan: " + "; ".join(titles.get(i, i) for i in step.interventions))
        rows.append(text)
    intro = Text(
        "From the top down: when the board or managers need it, they go first.", style="dim"
    )
    return Group(_heading("Training by level"), intro, _bullets(rows))


def _notes(findings: Findings) -> RenderableType:
    rows = []
    for quote in findings.client_words or []:
        if quote.kind != "note":
            continue
        text = Text()
        text.append(quote.text, style="bold")
        if quote.answer_text is not None:
            text.append(f"\nAnswer: {_shown(quote.answer_text)}")
        text.append(f"\nNote: {_shown(quote.words)}", style="italic")
        rows.append(text)
    return Group(_heading("Notes from the interview"), _bullets(rows))


def _triage(triage: Triage) -> RenderableType:
    grid = _bullets([Text(reason) for reason in triage.reasons])
    return Group(_heading(f"Triage: {triage.title}"), grid)


def _coverage(coverage: Coverage) -> RenderableType:
    parts: list[RenderableType] = [_heading("Coverage"), Text(wording.coverage_summary(coverage))]
    if coverage.missing:
        table = Table(box=None, pad_edge=False, header_style="bold")
        table.add_column("Question", style="cyan", overflow="fold")
        table.add_column("Status", no_wrap=True)
        table.add_column("", overflow="fold", ratio=1)
        for m in coverage.missing:
            text = m.text + (f" ({m.detail})" if m.detail else "")
            table.add_row(Text(m.question), wording.MISSING_LABELS[m.reason], Text(text))
        parts.append(table)
    return Group(*parts)


def _data(findings: Findings) -> RenderableType:
    parts: list[RenderableType] = [
        _heading("Evidence from client data"),
        Text(wording.DATA_INTRO, style="dim"),
    ]
    for item in findings.data_evidence or []:
        first, *rest = wording.data_lines(item)
        parts.append(_bullets([Text(first)]))
        if rest:
            parts.append(Padding(_bullets([Text(line) for line in rest]), (0, 0, 0, 2)))
    return Group(*parts)


def print_report(findings: Findings, console: Console) -> None:
    """Print the whole report on ``console``, the point first."""
    console.print(_header(findings))
    if findings.diagnosis is not None:
        console.print(_verdict(findings.diagnosis))
    quotes = findings.client_words or []
    if any(q.kind == "answer" for q in quotes):
        console.print()
        console.print(_client_words(quotes))
    plan = findings.recommendations
    if plan is not None:
        in_place = findings.already_in_place or []
        for step in ("first", "next"):
            group = _plan(plan, findings.diagnosis, in_place, step=step)
            if group is not None:
                console.print()
                console.print(group)
    if findings.training_plan:
        titles = {r.intervention: r.title for r in plan or []}
        console.print()
        console.print(_training(findings.training_plan, titles))
    if findings.diagnosis is not None:
        console.print()
        console.print(_reasons(findings.diagnosis))
    if findings.data_evidence:
        console.print()
        console.print(_data(findings))
    if findings.characteristics:
        console.print()
        console.print(_characteristics(findings.characteristics))
    if findings.gilbert:
        console.print()
        console.print(_gilbert(findings.gilbert))
    if findings.factors:
        console.print()
        console.print(_factors(findings.factors))
    if any(q.kind == "note" for q in quotes):
        console.print()
        console.print(_notes(findings))
    if findings.triage is not None:
        console.print()
        console.print(_triage(findings.triage))
    if findings.coverage is not None:
        console.print()
        console.print(_coverage(findings.coverage))
    if findings.characteristics or findings.gilbert:
        console.print()
        console.print(Text(wording.HOW_TO_READ, style="dim"))

"""The report laid out for a terminal with Rich.

Header, verdict panel, characteristics with bars, Gilbert's grid, cause
factors, ranked interventions with the answers behind them, triage and
coverage. Every table folds its text so that the whole report fits an
80-column terminal; user text is passed as :class:`~rich.text.Text`, never as
markup, so brackets in an organisation's name print as they are.
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
from svcdiag.diagnosis.recommend import GOOD_AT
from svcdiag.models.analysis import (
    CharacteristicScore,
    Coverage,
    Diagnosis,
    FactorScore,
    GilbertScore,
    Recommendation,
    Triage,
    Trigger,
    Verdict,
)
from svcdiag.models.catalogue import ENVIRONMENT_CELLS, INDIVIDUAL_CELLS
from svcdiag.models.findings import Findings
from svcdiag.render import wording

_VERDICT_STYLE = {
    Verdict.system: "bold cyan",
    Verdict.mixed: "bold yellow",
    Verdict.individual: "bold magenta",
}


def _score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    if score < HEALTHY_AT:
        return "red"
    return "yellow" if score < GOOD_AT else "green"


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
        grid.add_row(label, Text(value))
    return Panel(grid, title=Text("Service diagnosis", style="bold"), title_align="left")


def _diagnosis(diagnosis: Diagnosis) -> RenderableType:
    style = _VERDICT_STYLE[diagnosis.verdict]
    lines = Text()
    lines.append(wording.VERDICT_LABELS[diagnosis.verdict].upper(), style=style)
    lines.append(f": {wording.verdict_meaning(diagnosis)}\n")
    lines.append("Confidence: ", style="bold")
    lines.append(wording.confidence_text(diagnosis) + "\n\n")
    lines.append(diagnosis.headline, style="bold")
    reasons = _bullets([Text(reason) for reason in diagnosis.reasons])
    return Panel(
        Group(lines, Text(""), reasons),
        title=Text("Verdict", style="bold"),
        title_align="left",
        border_style=style.replace("bold ", ""),
    )


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
    text.append(trigger.answer_text, style="bold")
    if trigger.note:
        text.append(f" (note: {trigger.note})", style="italic")
    return text


def _recommendation(rec: Recommendation) -> RenderableType:
    head = Text()
    head.append(rec.title, style="bold")
    head.append(f"\n{wording.intervention_tags(rec)}", style="dim")
    head.append(f"\n{rec.rationale}")
    body: list[RenderableType] = [head]
    if rec.triggers:
        body.append(_bullets([_trigger(t) for t in rec.triggers]))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, width=3)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"{rec.rank}.", style="bold"), Group(*body))
    return grid


def _recommendations(items: Sequence[Recommendation], diagnosis: Diagnosis | None) -> Group:
    intro = wording.training_summary(items)
    if diagnosis is not None and not diagnosis.major_problem and items:
        intro += " None is urgent: they would strengthen what already works."
    parts: list[RenderableType] = [_heading("Recommended interventions"), Text(intro)]
    for rec in items:
        parts += [Text(""), _recommendation(rec)]
    return Group(*parts)


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
    """Print the whole report on ``console``."""
    console.print(_header(findings))
    if findings.diagnosis is not None:
        console.print(_diagnosis(findings.diagnosis))
    if findings.data_evidence:
        console.print(_data(findings))
    if findings.characteristics:
        console.print(_characteristics(findings.characteristics))
    if findings.gilbert:
        console.print()
        console.print(_gilbert(findings.gilbert))
    if findings.factors:
        console.print()
        console.print(_factors(findings.factors))
    if findings.recommendations is not None:
        console.print()
        console.print(_recommendations(findings.recommendations, findings.diagnosis))
    if findings.triage is not None:
        console.print()
        console.print(_triage(findings.triage))
    if findings.coverage is not None:
        console.print()
        console.print(_coverage(findings.coverage))
    if findings.characteristics or findings.gilbert:
        console.print()
        console.print(Text(wording.HOW_TO_READ, style="dim"))

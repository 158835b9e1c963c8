"""The closing message of ``svcdiag assess``: the verdict, the first steps, the counts.

Printed on stderr after the report, so that a consultant ending a call sees
at once what was found and what to do first. The counts are the report's own
coverage (:func:`svcdiag.render.wording.coverage_summary`): one definition of
asked, answered, don't know and skipped everywhere.
"""

from __future__ import annotations

from pathlib import Path

from svcdiag.models.analysis import PlanStep
from svcdiag.models.findings import Findings
from svcdiag.render import wording
from svcdiag.textsafe import for_shell


def closing_lines(findings: Findings, path: Path) -> list[str]:
    """The lines to print once the findings are written to ``path``."""
    lines = []
    if findings.triage is not None:
        lines.append(f"Route: {findings.triage.title}.")
    if findings.diagnosis is not None:
        lines.append("Verdict: " + wording.verdict_sentence(findings.diagnosis) + ".")
    first = [r for r in findings.recommendations or [] if r.step is PlanStep.first]
    if first:
        lines.append("First steps:")
        lines.extend(f"  {r.rank}. {r.title} ({wording.owner_text(r).lower()})" for r in first)
    elif findings.recommendations is not None and findings.diagnosis is not None:
        lines.append(wording.plan_intro([], findings.diagnosis))
    counts = wording.coverage_summary(findings.coverage) if findings.coverage else ""
    notes = len(findings.notes)
    noted = f"{notes} note{'s' if notes != 1 else ''}."
    lines.append(f"{counts} {noted}".strip())
    lines.append(f"wrote {path}")
    lines.append(f"See the report with: svcdiag report {for_shell(str(path))}")
    return lines

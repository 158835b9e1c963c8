"""The report in every format: golden Markdown, Rich at 80 columns, full YAML and JSON.

Golden files live in tests/diagnosis/golden/. After an intended change to the
report, regenerate them with ``SVCDIAG_UPDATE_GOLDEN=1 python -m pytest
tests/diagnosis`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis import with_analysis
from svcdiag.models.findings import Findings
from svcdiag.render.report_formats import RENDERERS, RenderOptions, ReportFormat, render

from .conftest import FIXTURES, findings_from_file, make_findings

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = ["widespread", "few-individuals", "trained-demotivated", "healthy"]


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with the golden file ``name``, or rewrite it when asked to."""
    path = GOLDEN / name
    if os.environ.get("SVCDIAG_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {name}: run with SVCDIAG_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs: if the change is intended, run SVCDIAG_UPDATE_GOLDEN=1 pytest"
    )


def test_every_format_has_a_renderer() -> None:
    assert set(RENDERERS) == set(ReportFormat)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_markdown_matches_golden(mini: Loaded, scenario: str) -> None:
    findings = findings_from_file(mini, FIXTURES / f"answers-{scenario}.yaml")
    check_golden(f"mini-{scenario}.md", render(findings, ReportFormat.markdown))


def test_markdown_triage_matches_golden(mini_triage: Loaded) -> None:
    findings = make_findings(
        mini_triage,
        {"worth_it": "yes", "expectations": "unclear", "resources": "missing", "knows_how": "no"},
    )
    check_golden("mini-triage.md", render(findings, ReportFormat.markdown))


def test_markdown_escapes_pipes_in_table_cells(mini: Loaded) -> None:
    findings = make_findings(mini, {"scope": "everywhere", "a|b": 3}, organisation="A | B")
    text = render(findings, ReportFormat.markdown)
    assert "- **Organisation:** A \\| B\n" in text  # a list item, not a table
    assert "| `a\\|b` | (not in this questionnaire) | ignored: no such question" in text


def _tables(text: str) -> list[list[list[str]]]:
    """Every pipe table in ``text``, as rows of cells (the header row first)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif current:
            tables.append([row for row in current if not set("".join(row)) <= set("-:")])
            current = []
    return tables


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_markdown_tables_have_no_empty_header_cells(mini: Loaded, scenario: str) -> None:
    findings = findings_from_file(mini, FIXTURES / f"answers-{scenario}.yaml")
    findings = findings.model_copy(update={"answers": {**findings.answers, "gone": 1}})
    findings = with_analysis(findings, mini.questionnaire, mini.catalogue)
    tables = _tables(render(findings, ReportFormat.markdown))
    assert len(tables) == 4  # characteristics, Gilbert, cause factors, coverage
    for table in tables:
        assert all(table[0]), table[0]


def test_markdown_and_rich_list_cause_factors_weakest_first(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    factors = findings.factors or []
    expected = [
        f.title for f in sorted(factors, key=lambda f: (f.score is None, f.score or 0, f.id))
    ]
    assert expected != [f.title for f in factors]  # the order really changes
    markdown = render(findings, ReportFormat.markdown)
    section = markdown.split("## Cause factors, weakest first")[1].split("\n## ")[0]
    assert [row[0] for row in _tables(section)[0][1:]] == expected
    rich = _rich(findings)
    section = rich.split("Cause factors, weakest first")[1].split("Recommended")[0]
    assert sorted(expected, key=section.index) == expected


def test_rich_bullets_wrap_under_their_text(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    lines = _rich(findings, width=60).splitlines()
    start = next(i for i, line in enumerate(lines) if "Recommended interventions" in line)
    checked = 0
    for before, line in zip(lines[start:], lines[start + 1 :], strict=False):
        bullet = before.find("• ")
        if bullet < 0 or not line.strip() or "•" in line or line.lstrip()[:2].rstrip(".").isdigit():
            continue
        assert len(line) - len(line.lstrip()) == bullet + 2, (before, line)
        checked += 1
    assert checked >= 2


def _rich(findings: Findings, width: int = 80) -> str:
    return render(findings, ReportFormat.rich, RenderOptions(width=width, color=False))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_rich_report_fits_80_columns(mini: Loaded, scenario: str) -> None:
    findings = findings_from_file(mini, FIXTURES / f"answers-{scenario}.yaml")
    text = _rich(findings)
    too_wide = [line for line in text.splitlines() if len(line) > 80]
    assert not too_wide, too_wide
    assert "\x1b[" not in text


def test_rich_report_shows_every_section(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    text = _rich(findings)
    flat = " ".join(text.split())
    for expected in [
        "Service diagnosis",
        "Organisation Widespread Ltd",
        "Date 2025-03-01",
        "Questionnaire Mini diagnostic (mini, version 1)",
        "SYSTEM: mostly organisation-wide causes",
        "Confidence: high (0.95)",
        "Benchmark characteristics",
        "Driven from the top",
        "Gilbert's Behavior Engineering Model",
        "Information",
        "Motives",
        "Recommended interventions",
        "3 interventions recommended, 0 of them training.",
        "1. Agree goals and share results",
        "tools_work How well do the tools support the job? Answer: 3/10",
        "(note: The till crashes twice a day.)",
        "Coverage",
        "18 of 18 questions that carry evidence were answered",
    ]:
        assert expected in flat, expected
    # the ten characteristics table lists the catalogue's three, in number order
    assert (
        flat.index("Driven from the top")
        < flat.index("Not optional")
        < flat.index("Continuous improvement")
    )


def test_rich_report_colours_only_when_asked(mini: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-widespread.yaml")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = render(findings, ReportFormat.rich, RenderOptions(width=80, color=True))
    assert "\x1b[" in coloured
    assert "\x1b[31m" in coloured or "\x1b[91m" in coloured  # red for weak scores
    monkeypatch.setenv("NO_COLOR", "1")
    no_colour = render(findings, ReportFormat.rich, RenderOptions(width=80, color=True))
    for code in ("\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m"):
        assert code not in no_colour


def test_rich_report_keeps_brackets_in_user_text(mini: Loaded) -> None:
    findings = make_findings(mini, {}, organisation="Acme [bold]Ltd[/bold]")
    assert "Acme [bold]Ltd[/bold]" in _rich(findings)


def test_yaml_and_json_hold_the_full_findings(mini: Loaded) -> None:
    findings = findings_from_file(mini, FIXTURES / "answers-trained-demotivated.yaml")
    for fmt, parse in ((ReportFormat.yaml, yaml.safe_load), (ReportFormat.json, json.loads)):
        data = parse(render(findings, fmt))
        assert Findings.model_validate(data) == findings
        assert set(data["diagnosis"]) >= {"verdict", "confidence", "reasons"}
        assert [c["id"] for c in data["characteristics"]] == [
            "top_level_impetus",
            "non_optional",
            "continuous_improvement",
        ]
        assert set(data["characteristics"][0]) >= {"id", "title", "score", "answered"}
        assert set(data["recommendations"][0]) >= {
            "rank",
            "intervention",
            "title",
            "level",
            "is_training",
            "rationale",
        }
        assert data["factors"][0]["id"] == "goal_clarity"

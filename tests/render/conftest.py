"""Fixtures for the HTML and PDF reports: example pages, findings with every section filled.

Tools a developer may lack (Chromium, poppler, Java, WeasyPrint's libraries)
make their tests skip with a reason, except under CI (``CI`` set), where
``.ci/run`` installs them and a missing tool is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from svcdiag.diagnosis.reanalyse import read_data_evidence, recompute
from svcdiag.models.analysis import (
    Diagnosis,
    PlanStep,
    Quote,
    TrainingLevel,
    TrainingStep,
)
from svcdiag.models.catalogue import Level
from svcdiag.models.engagement_report import EngagementReport
from svcdiag.models.findings import Findings
from svcdiag.models.trend import TrendResult
from svcdiag.render import html_evidence, html_report, html_stats, html_trend, svg
from svcdiag.stats.analysis import nps_from_file, variation_from_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ["widespread", "few-individuals", "trained-demotivated", "healthy", "triage-feedback"]
MADE_ON = date(2026, 1, 15)


def need(tool: str, found: object) -> None:
    """Skip when ``tool`` is missing, or fail under CI, which installs it."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing, but CI installs it (.ci/run)")
    pytest.skip(f"{tool} is not installed", allow_module_level=True)


def need_program(name: str) -> str:
    """The path of the program ``name``, or skip (fail under CI)."""
    path = shutil.which(name)
    need(name, path)
    assert path is not None
    return path


def normalise(html: str) -> str:
    """Replace what changes between runs and releases: the day made, the version, the checkout.

    The checkout's folder is cut from paths (a data file the engagement cites),
    so that the golden page is the same wherever the tests run.
    """
    html = html.replace(str(EXAMPLES.parent) + "/", "")
    html = re.sub(r"svcdiag \d+\.\d+\.\d+\S*?(?=[\s\"<])", "svcdiag VERSION", html)
    return re.sub(r"\bon \d{4}-\d{2}-\d{2}\.", "on DATE.", html)


def example(name: str) -> Findings:
    """The example findings, recomputed as ``svcdiag report`` does."""
    return recompute(EXAMPLES / f"findings-{name}.yaml", None, []).findings


def example_html(name: str) -> str:
    """The HTML report of an example."""
    return html_report.render_html(example(name), html_report.Options(made_on=MADE_ON))


def with_evidence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Findings:
    """The few-individuals example with the complaints funnel and the NPS attached."""
    from svcdiag.serialise import to_yaml

    monkeypatch.chdir(tmp_path)
    variation = variation_from_file(
        EXAMPLES / "complaints_by_agent.csv", unit="agent", events="complaints", cases="contacts"
    ).result
    nps = nps_from_file(EXAMPLES / "nps_survey.csv", by="branch").result
    Path("complaints.yaml").write_text(to_yaml(variation), encoding="utf-8")
    Path("nps.yaml").write_text(to_yaml(nps), encoding="utf-8")
    evidence = read_data_evidence([Path("complaints.yaml"), Path("nps.yaml")])
    return recompute(EXAMPLES / "findings-few-individuals.yaml", None, evidence).findings


def stats_pages() -> dict[str, str]:
    """The HTML pages of the example data files, by name."""
    results = {
        "nps-by-branch": nps_from_file(EXAMPLES / "nps_survey.csv", by="branch").result,
        "variation-complaints": variation_from_file(
            EXAMPLES / "complaints_by_agent.csv",
            unit="agent",
            events="complaints",
            cases="contacts",
        ).result,
        "variation-repeat-contacts": variation_from_file(
            EXAMPLES / "contacts_by_case.csv", unit="agent", outcome="repeat_contact"
        ).result,
    }
    pages = {name: html_stats.render_html(r, MADE_ON) for name, r in results.items()}
    pages["trend-complaints"] = html_trend.render_html(trend_example(), MADE_ON)
    return pages


#: The README's trend example: complaints per month, a chart per team, a known change.
TREND_CHANGE = "2024-09-01=new CRM"


def trend_example() -> TrendResult:
    """The trend of the example complaints per month, by team, with the known change."""
    from svcdiag.stats.trend_analysis import Measure, trend_from_file

    return trend_from_file(
        EXAMPLES / "complaints_by_month.csv",
        time="month",
        measure=Measure(events="complaints", cases="contacts"),
        period="month",
        by="team",
        changes=[TREND_CHANGE],
    ).result


def with_trend(folder: Path) -> Findings:
    """The widespread example with the example trend attached as evidence (saved in ``folder``)."""
    from svcdiag.serialise import to_yaml

    (folder / "trend.yaml").write_text(to_yaml(trend_example()), encoding="utf-8")
    before = Path.cwd()
    os.chdir(folder)
    try:
        evidence = read_data_evidence([Path("trend.yaml")])
    finally:
        os.chdir(before)
    return recompute(EXAMPLES / "findings-widespread.yaml", None, evidence).findings


def full_findings() -> Findings:
    """The widespread example with every newer section filled in: plan steps and owners,
    training by level, the client's own words, and a healthy verdict."""
    base = example("widespread")
    assert base.recommendations and base.factors and base.diagnosis
    recs = []
    for index, rec in enumerate(base.recommendations):
        recs.append(
            rec.model_copy(
                update={
                    "step": PlanStep.first if index < 3 else PlanStep.next,
                    "owner": Level.board if index == 0 else Level.managers,
                    "chief_factors": [base.factors[index].id],
                }
            )
        )
    training = [
        TrainingStep(
            level=TrainingLevel.board,
            title="Board",
            key_issue="Why visible commitment matters, and how to cascade the vision.",
            needed=True,
            interventions=[recs[0].intervention],
            reasons=["Vision and values reach every level scores 6.3."],
        ),
        TrainingStep(
            level=TrainingLevel.frontline,
            title="Frontline",
            key_issue="Handling complaints and working with internal providers.",
            needed=False,
            reasons=["Skill and knowledge are healthy (82.5)."],
        ),
    ]
    quotes = [
        Quote(
            question="biggest_issue",
            text="What is the biggest obstacle to good service?",
            words="Nobody upstairs ever asks us what goes wrong.",
        ),
        Quote(
            question="priorities_conflict",
            text="Staff are often pulled between priorities.",
            words="Store bonuses depend only on store-card sign-ups.",
            kind="note",
        ),
    ]
    diagnosis = Diagnosis.model_validate(
        {**base.diagnosis.model_dump(), "verdict": "healthy", "headline": "No major problem."}
    )
    return base.model_copy(
        update={
            "recommendations": recs,
            "training_plan": training,
            "client_words": quotes,
            "diagnosis": diagnosis,
        }
    )


@pytest.fixture(scope="session")
def example_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every example report and stats page, by name."""
    pages = {name: example_html(name) for name in NAMES}
    pages.update(stats_pages())
    pages["full"] = html_report.render_html(full_findings(), html_report.Options(MADE_ON))
    pages["engagement"] = html_report.render_html(
        example("healthy"), html_report.Options(MADE_ON), engagement=engagement_charts()
    )
    pages["engagement-report"] = engagement_html(engagement_report())
    pages["trend-evidence"] = html_report.render_html(
        with_trend(tmp_path_factory.mktemp("trend")), html_report.Options(MADE_ON)
    )
    return pages


ENGAGEMENT = EXAMPLES / "engagement"


def engagement_report() -> EngagementReport:
    """The report of the example engagement, as ``svcdiag engagement report`` makes it."""
    from svcdiag.engagement.commands import report_of

    return report_of(ENGAGEMENT)


def engagement_html(report: EngagementReport, consultant: str | None = "A. Consultant") -> str:
    """The HTML page of an engagement report, made on the fixed day."""
    from svcdiag.render import html_engagement

    return html_engagement.render_html(report, html_engagement.Options(MADE_ON, consultant))


def engagement_charts() -> html_report.EngagementView:
    """Synthetic engagement charts: a leaders-versus-frontline gap chart and a heatmap."""
    gaps = [
        svg.GapItem("The vision is clear to me", 4.6, 2.9, 1.7, 1.0, 2.4),
        svg.GapItem("My tools let me serve customers well", 3.8, 2.4, 1.4, 0.5, 2.3),
        svg.GapItem("Managers act on what we tell them", 3.1, 3.3, -0.2, -0.9, 0.5),
        svg.GapItem("We are recognised for good service", 2.2, 3.4, -1.2, -2.0, -0.4),
        svg.GapItem("One leader only answered this", 5.0, 3.1, 1.9),
    ]
    groups = ["Head office", "North stores", "South stores", "Call centre"]
    columns = [(str(n), f"Characteristic {n}") for n in range(1, 11)]
    values = [
        [
            svg.HeatInput(None, "suppressed")
            if (g == 2 and c in (3, 7))
            else svg.HeatInput(None, "no_data")
            if (g == 3 and c == 9)
            else svg.HeatInput((g * 23 + c * 11) % 101)
            for c in range(10)
        ]
        for g in range(len(groups))
    ]
    return html_report.EngagementView(
        gap=html_evidence.gap_view(gaps),
        heatmap=html_evidence.heatmap_view(groups, columns, values),
    )

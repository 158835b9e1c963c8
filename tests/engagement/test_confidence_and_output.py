"""Engagement confidence, the gap rule, renderers, escaping and start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from svcdiag.diagnosis.diagnose import confidence_level
from svcdiag.engagement.confidence import adjust_diagnosis, engagement_confidence, gap_plan
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import Respondents
from svcdiag.models.analysis import ConfidenceLevel, Diagnosis, Verdict
from svcdiag.models.engagement_report import Gap
from svcdiag.render.engagement_formats import RENDERERS, EngagementFormat, render_engagement
from tests.engagement.conftest import engagement_file, make_people


@given(st.floats(0, 1), st.floats(0, 1))
def test_one_respondent_is_never_high(base: float, agreement: float) -> None:
    value = engagement_confidence(base, 1, agreement)
    assert confidence_level(value) is not ConfidenceLevel.high
    assert value <= round(base, 2)


@given(st.floats(0.01, 1), st.floats(0.01, 1), st.integers(1, 50))
def test_confidence_grows_with_respondents_and_agreement(
    base: float, agreement: float, n: int
) -> None:
    assert engagement_confidence(base, n + 1, agreement) >= engagement_confidence(
        base, n, agreement
    )
    assert engagement_confidence(base, n, agreement) >= engagement_confidence(
        base, n, agreement / 2
    )
    assert engagement_confidence(base, n, agreement) <= round(base, 2)


def test_many_agreeing_respondents_reach_the_base() -> None:
    assert engagement_confidence(0.9, 8, 1.0) == 0.9
    assert engagement_confidence(0.9, 1, 1.0) == 0.63  # 0.9 * 0.7


def _gap(difference: float, significant: bool = True) -> Gap:
    return Gap(
        kind="factor",
        id="management_proximity",
        title="managers close to customers",
        scale="score",
        leaders=80.0,
        frontline=80.0 - difference,
        n_leaders=6,
        n_frontline=9,
        difference=difference,
        ci_low=difference - 5 if significant else -1.0,
        ci_high=difference + 5,
        significant=significant,
        sentence=f"leaders rate managers close to customers {difference:.0f} points higher",
    )


def _diagnosis(verdict: Verdict) -> Diagnosis:
    return Diagnosis(
        verdict=verdict,
        confidence=0.9,
        confidence_level=ConfidenceLevel.high,
        major_problem=True,
        rule="few_people",
        headline="...",
        reasons=["Asked something, the respondent answered something.", "Other reason."],
    )


def test_a_gap_turns_an_individual_verdict_into_mixed() -> None:
    result = adjust_diagnosis(
        _diagnosis(Verdict.individual),
        respondents=12,
        agreement=1.0,
        gaps=[_gap(30)],
        scope_reason="Asked it, 9 of 12 respondents answered so.",
    )
    assert result.verdict is Verdict.mixed
    assert result.rule == "few_people+perception_gap"
    assert result.reasons[0] == "Asked it, 9 of 12 respondents answered so."
    assert any("evidence of system causes" in r for r in result.reasons)


def test_a_gap_strengthens_a_system_verdict_and_small_or_unsure_gaps_do_nothing() -> None:
    plain = adjust_diagnosis(
        _diagnosis(Verdict.system), respondents=12, agreement=1.0, gaps=[], scope_reason=None
    )
    gapped = adjust_diagnosis(
        _diagnosis(Verdict.system),
        respondents=12,
        agreement=1.0,
        gaps=[_gap(30)],
        scope_reason=None,
    )
    assert gapped.confidence == round(plain.confidence + 0.05, 2)
    for gaps in ([_gap(5)], [_gap(30, significant=False)]):
        same = adjust_diagnosis(
            _diagnosis(Verdict.individual),
            respondents=12,
            agreement=1.0,
            gaps=gaps,
            scope_reason=None,
        )
        assert same.verdict is Verdict.individual


def test_the_gap_puts_managers_with_customers_first(diagnostic) -> None:
    plan = gap_plan([], [_gap(30)], diagnostic.catalogue.interventions)
    assert [r.intervention for r in plan] == ["managers_on_front_line"]
    assert plan[0].rank == 1 and "see the service differently" in plan[0].rationale
    assert gap_plan([], [_gap(5)], diagnostic.catalogue.interventions) == []


def test_every_format_has_a_renderer() -> None:
    assert set(RENDERERS) == set(EngagementFormat)


def test_client_text_is_escaped_in_every_format(diagnostic) -> None:
    engagement = engagement_file(floor=3).model_copy(
        update={"organisation": "Evil \x1b]52;c;aGk=\x07 <script># Ltd"}
    )
    people = make_people([("frontline", None, 4)], notes=False)
    noted = [
        p.__class__(**{**p.__dict__, "notes": {"tools_work": "\x1b[31mred\x1b[0m | # head"}})
        for p in people
    ]
    report = build_report(engagement, diagnostic, Respondents(people=noted))
    rich = render_engagement(report, EngagementFormat.rich)
    assert "\x1b" not in rich and "\x07" not in rich
    markdown = render_engagement(report, EngagementFormat.markdown)
    assert "\x1b" not in markdown
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "\n#" not in markdown.replace("\n# Service", "").replace("\n## ", "")
    # json and yaml keep the text as it is, escaped by their syntax
    assert json.loads(render_engagement(report, EngagementFormat.json))["organisation"] == (
        engagement.organisation
    )


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\nfrom svcdiag.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.splitlines()[-1].split())


def test_engagement_help_stays_light() -> None:
    # (typer itself loads pydantic to show a sub-command's help; our modules stay out)
    modules = _modules_after(["engagement", "--help"])
    assert "svcdiag.cli.engagement" in modules
    heavy = {"yaml", "questionary", "svcdiag.engagement.report", "svcdiag.models.engagement"}
    assert not heavy & modules

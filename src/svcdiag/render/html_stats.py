"""The result of ``svcdiag nps`` or ``svcdiag variation`` as a self-contained HTML page.

The same figures as the findings report's data section (see
:mod:`.html_evidence`), on a page of their own with the verdict first.
"""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from svcdiag.models.figures import signed
from svcdiag.models.results import NpsResult, StatsResult, Verdict
from svcdiag.render import html_evidence
from svcdiag.render.html_templates import render_template

VARIATION_METHOD = (
    "A funnel plot compares units of different sizes fairly: a small unit's rate wanders "
    "further by chance than a large one's, so its limits are wider. The limits are set at "
    "95 % and 99.8 % around the target rate (exact binomial limits for small counts, the "
    "normal approximation otherwise; Spiegelhalter 2005).",
    "When every unit lies inside its 99.8 % limits, the spread between them is what one "
    "system produces: improving it means changing the system, which is management's to do. "
    "A unit beyond those limits is a special cause: ask what differs for it (its work, its "
    "cases, its tools) before judging the people in it.",
)
NPS_METHOD = (
    "Answers of 9 or 10 are promoters, 7 or 8 passives and 0 to 6 detractors; the NPS is "
    "the share of promoters minus the share of detractors, from -100 to +100.",
    "The interval is the adjusted-Wald interval (Rocks 2016). A group is flagged only when "
    "its whole interval and its own score lie above (or below) the overall score: smaller "
    "differences may be chance. The interval of a group of a few answers is drawn towards "
    "0 and may miss its own score; such a group is not flagged against its score.",
)


def build_view(result: StatsResult, made_on: date | None = None) -> dict[str, Any]:
    """The values ``stats.html.j2`` lays out."""
    common = {"meta": [], "made_on": (made_on or date.today()).isoformat()}
    if isinstance(result, NpsResult):
        view = html_evidence.nps_view(result)
        return {
            **common,
            "kind": "nps",
            "page_title": "Net Promoter Score",
            "kicker": "Evidence from client data",
            "heading": "Net Promoter Score",
            "verdict_class": "mixed",
            "verdict_label": f"NPS {signed(result.nps)}",
            "verdict_sentence": view.headline,
            "view": view,
            "method": NPS_METHOD,
            "footer_text": "Computed by svcdiag nps.",
        }
    variation = html_evidence.variation_view(result)
    common_cause = result.verdict is Verdict.common_cause
    return {
        **common,
        "kind": "variation",
        "page_title": "Variation between units",
        "kicker": "Evidence from client data",
        "heading": "Variation between units",
        "verdict_class": "system" if common_cause else "individual",
        "verdict_label": "Common cause" if common_cause else "Special cause",
        "verdict_sentence": variation.verdict[:1].upper() + variation.verdict[1:] + ".",
        "view": variation,
        "method": VARIATION_METHOD,
        "footer_text": "Computed by svcdiag variation.",
    }


def render_html(result: StatsResult, made_on: date | None = None) -> str:
    """Return the page of ``result`` as one HTML document."""
    return render_template("stats.html.j2", **build_view(result, made_on))


def write(result: StatsResult, out: IO[str]) -> None:
    """Write the page of ``result`` to ``out``."""
    out.write(render_html(result))

"""The floor question by question: no answer follows from scores and gaps put together.

A reader of the report knows the questionnaire: which questions feed which
score, with what weight, and how an answer turns into a health (likert
``(v - 1) / 4``). A score of a group is then a weighted sum of the group's
answers question by question, and a gap shows the sum of one side's answers
to one question (its mean times its n). Each test here plays such a reader
on the report's json output: before the floor held question by question,
each derivation gave one person's answer exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import Respondents
from tests.engagement.conftest import engagement_file, make_people
from tests.engagement.scenarios import responses, write_engagement
from tests.engagement.test_item_floor import _engagement
from tests.engagement.test_item_sums_property import _contributions, _figures, _leaks

runner = CliRunner()
#: The weights of the factor "Visible leadership commitment to service".
COMMITMENT = {"board_vision": 2, "leaders_visible": 1, "leaders_listen": 1, "staff_cared_for": 1}


def _json(folder: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["engagement", "report", str(folder), "-f", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _health_sum(gap: dict[str, Any], side: str) -> float:
    """A side's summed likert health on one question: n * (mean - 1) / 4."""
    n = gap["n_leaders" if side == "leaders" else "n_frontline"]
    return float(n * (gap["leaders" if side == "leaders" else "frontline"] - 1) / 4)


def _answer(health: float) -> int:
    return round(4 * health + 1)


def _leaders_visible_of_the_board(data: dict[str, Any]) -> int | None:
    """The leaders' commitment score less their three other questions' gaps, or None."""
    leaders = next(g for g in data["groups"] if g["group"] == "leaders")
    score = (leaders["factors"] or {}).get("leadership_commitment")
    gaps = {g["id"]: g for g in data["gaps"]}
    others = [q for q in COMMITMENT if q != "leaders_visible"]
    if score is None or not all(q in gaps for q in others):
        return None
    n = leaders["n"]
    # everyone of the four leaders answered the three others, one answered leaders_visible
    weight = sum(COMMITMENT[q] * n for q in others) + COMMITMENT["leaders_visible"] * 1
    known = sum(COMMITMENT[q] * _health_sum(gaps[q], "leaders") for q in others)
    return _answer(score / 100 * weight - known)


def test_a_score_less_the_gaps_of_its_other_questions_does_not_give_one_answer(
    tmp_path: Path,
) -> None:
    # four leaders, floor 3: the three managers skipped leaders_visible, the board member
    # answered 3; the leaders' commitment score pools it with three questions all four
    # answered, whose gaps were shown
    folder = _engagement(tmp_path, {"manager": ["leaders_visible"]})
    survey = (folder / "responses" / "survey.yaml").read_text(encoding="utf-8")
    assert "leaders_visible: 3" in survey.split("id: board-none-0")[1].split("- id:")[0]
    data = _json(folder)
    assert _leaders_visible_of_the_board(data) is None
    leaders = next(g for g in data["groups"] if g["group"] == "leaders")
    assert leaders["n"] == 4 and leaders["factors"]["leadership_commitment"] is None
    assert "leadership_commitment" in leaders["suppressed_scores"]["factors"]
    # the gaps of the three others stay: only the score that pools the skipped one goes
    assert {"board_vision", "leaders_listen", "staff_cared_for"} <= {g["id"] for g in data["gaps"]}
    assert ("factor", "leadership_commitment") in {
        (g["kind"], g["id"]) for g in data["gaps_suppressed"]
    }


def _customers(tmp_path: Path) -> Path:
    """Three managers, three frontline, three customers, floor 3; one customer was asked.

    Everyone but two customers says the organisation measures its NPS and is asked
    whether it acts on it; the one customer asked answers 5.
    """
    seen: dict[str, int] = {}

    def edit(role: str, unit: str | None, answers: dict[str, Any]) -> None:
        seen[role] = seen.get(role, 0) + 1
        if role == "customer" and seen[role] > 1:
            answers["nps_measured"] = False
            answers.pop("nps_acted_on", None)
            answers.pop("nps_latest", None)
            return
        answers["nps_measured"] = True
        answers["nps_latest"] = 10
        answers["nps_acted_on"] = {"manager": answers.get("nps_acted_on", 4), "customer": 5}.get(
            role, 2
        )

    plan = [("manager", None, 3), ("frontline", None, 3), ("customer", None, 3)]
    return write_engagement(tmp_path / "eng", floor=3, units=[], survey=responses(plan, edit))


def _nps_acted_on_of_the_customer(data: dict[str, Any]) -> int | None:
    """Everyone's answers to nps_acted_on less the two sides' gap, or None.

    "Customer insight" (a factor) and "Real knowledge of customers" (a
    characteristic) pool the same questions with the same weights, but for
    nps_acted_on (weight 1): everyone's weighted sums differ by everyone's sum
    on it.
    """
    factor = next(f for f in data["factors"] if f["id"] == "customer_insight")
    characteristic = next(c for c in data["characteristics"] if c["id"] == "customer_knowledge")
    gap = next((g for g in data["gaps"] if g["id"] == "nps_acted_on"), None)
    if gap is None or factor["score"] is None or characteristic["score"] is None:
        return None
    everyone = (
        factor["score"] * factor["weight"] - characteristic["score"] * characteristic["weight"]
    ) / 100
    return _answer(everyone - _health_sum(gap, "leaders") - _health_sum(gap, "frontline"))


def test_everyone_less_both_sides_of_a_gap_does_not_give_the_one_customer(
    tmp_path: Path,
) -> None:
    data = _json(_customers(tmp_path))
    groups = {g["group"]: g for g in data["groups"]}
    assert {k: g["n"] for k, g in groups.items() if not g["suppressed"]}["customer"] == 3
    # everyone's figures are the diagnosis and stay; the gap on the question goes
    assert next(f for f in data["factors"] if f["id"] == "customer_insight")["score"] is not None
    assert _nps_acted_on_of_the_customer(data) is None
    withheld = [g for g in data["gaps_suppressed"] if g["id"] == "nps_acted_on"]
    assert withheld and withheld[0]["kind"] == "question"
    # the customers' own score on it rests on one answer to the question
    assert "customer_insight" in groups["customer"]["suppressed_scores"]["factors"]


def _unit_north(data: dict[str, Any]) -> dict[str, Any]:
    return next(g for g in data["groups"] if g["group"] == "unit:north")


def _nps_acted_on_of_the_board(data: dict[str, Any]) -> int | None:
    """Everyone's answers to nps_acted_on less unit north's, from four scores, or None.

    Only the leaders are asked it (the frontline do not measure the NPS): the
    board member and the three managers, all three in north.
    """
    north = _unit_north(data)
    insight = (north["factors"] or {}).get("customer_insight")
    knowledge = (north["characteristics"] or {}).get("customer_knowledge")
    factor = next(f for f in data["factors"] if f["id"] == "customer_insight")
    characteristic = next(c for c in data["characteristics"] if c["id"] == "customer_knowledge")
    if insight is None or knowledge is None:
        return None
    everyone = (
        factor["score"] * factor["weight"] - characteristic["score"] * characteristic["weight"]
    ) / 100
    # north: seven people answered each of the four shared questions, three nps_acted_on
    shared = 2 * 7 + 7 + 7 + 7
    in_north = (insight * (shared + 3) - knowledge * shared) / 100
    return _answer(everyone - in_north)


def test_a_conditional_question_does_not_give_the_board_member_away(tmp_path: Path) -> None:
    # nobody skipped anything: the board member and the managers in north were asked
    # nps_acted_on because they measure the NPS; the unit's two scores that differ by
    # that question, against everyone's, gave the board member's answer
    folder = _engagement(tmp_path, {})
    survey = (folder / "responses" / "survey.yaml").read_text(encoding="utf-8")
    board = survey.split("id: board-none-0")[1].split("- id:")[0]
    assert "nps_acted_on: 5" in board
    data = _json(folder)
    assert _nps_acted_on_of_the_board(data) is None
    north = _unit_north(data)
    assert north["n"] == 7 and north["factors"]["customer_insight"] is None
    assert "customer_insight" in north["suppressed_scores"]["factors"]
    # its score that does not pool the question stays
    assert north["characteristics"]["customer_knowledge"] is not None


def test_a_score_gap_and_the_score_do_not_separate_one_leader(tmp_path: Path) -> None:
    # the board member skipped staff_cared_for, so their own commitment score weighs
    # their answers by 1/4 and each manager's by 1/5; the leaders' score weighs every
    # answer alike, and the gap shows the mean of their own scores: two sums that,
    # side by side, gave the board member's own score
    def edit(role: str, unit: str | None, answers: dict[str, Any]) -> None:
        if role == "board":
            answers.pop("staff_cared_for")

    folder = write_engagement(
        tmp_path / "eng",
        floor=3,
        units=[("north", None), ("south", None), ("support", None)],
        survey=responses(
            [
                ("board", None, 1),
                ("manager", "north", 3),
                ("frontline", "north", 4),
                ("frontline", "south", 2),
                ("staff", "support", 3),
            ],
            edit,
        ),
    )
    data = _json(folder)
    leaders = next(g for g in data["groups"] if g["group"] == "leaders")
    score = leaders["factors"]["leadership_commitment"]
    gap = next((g for g in data["gaps"] if g["id"] == "leadership_commitment"), None)
    if gap is not None:
        pooled = score / 100 * (3 * 5 + 4)  # three managers weigh 5, the board member 4
        own_sum = 4 * gap["leaders"] / 100  # managers' sums / 5 + the board member's / 4
        board = 20 * (own_sum - pooled / 5)  # the board member's weighted sum
        # their own score, on its grid of 100 / 16 (health in quarters, weight 4)
        assert round(100 * board / 4 / 6.25) * 6.25 != 68.75  # fails when it follows
    assert gap is None
    withheld = [
        g["suppressed"] for g in data["gaps_suppressed"] if g["id"] == "leadership_commitment"
    ]
    assert withheld == [["leaders"]]
    # the leaders' score itself rests on four people and stays, as do the question gaps
    assert score is not None and leaders.get("suppressed_scores") is None
    assert "staff_cared_for" in {g["id"] for g in data["gaps"]}


def test_everyone_less_one_side_with_no_third_role_hides_nothing() -> None:
    # leaders and frontline and staff only, nobody skipped anything: everyone's figures
    # less one side's are the other side's, which is shown itself; the board's options
    # weigh their own scores apart from the managers', but three of each is the floor
    people = make_people(
        [("board", None, 3), ("manager", None, 3), ("frontline", None, 4), ("staff", None, 3)]
    )
    report = build_report(
        engagement_file(floor=3), load_questionnaire("diagnostic"), Respondents(people=people)
    )
    assert report.gaps_suppressed == []
    assert all(g.suppressed_scores is None for g in report.groups if not g.suppressed)
    assert {"leaders", "workforce"} <= {g.group for g in report.groups if not g.suppressed}
    weights, scaled = _contributions(people)
    assert _leaks(weights, scaled, _figures(report, people, weights, scaled), 3) == []


def test_spread_is_shown_only_where_the_sums_are(tmp_path: Path) -> None:
    # the managers skipped four questions: where a group's sums on them are withheld,
    # so are its agreement on the factors they feed and the intervals of their gaps
    folder = _engagement(tmp_path, {"manager": ["leaders_visible", "leaders_listen"]})
    data = _json(folder)
    withheld = {
        g["group"]: set((g.get("suppressed_scores") or {}).get("factors", []))
        for g in data["groups"]
        if not g["suppressed"]
    }
    assert withheld["leaders"] >= {"leadership_commitment", "staff_involvement"}
    shown = {(a["group"], a["factor"]) for a in data["agreement"]}
    assert shown, "agreement is shown where it may be"
    assert not {(g, f) for g, fs in withheld.items() for f in fs} & shown
    gaps = {g["id"] for g in data["gaps"]}
    assert not {"leaders_visible", "leaders_listen"} & gaps


def _one_cell_weighing(*totals: float) -> tuple[Any, Any, Any]:
    """A tally of one cell whose people's total weights toward a factor are ``totals``."""
    from svcdiag.engagement.tally import CellTally, Tally

    target = ("factor", "f")
    cell = CellTally(n=len(totals))
    cell.patterns["q"] = {((target, total),): 1 for total in totals}
    tally = Tally()
    tally.cells[("board", None)] = cell
    return tally, ("board", None), target


def test_a_tiny_total_weight_toward_a_score_is_weighed_not_a_crash() -> None:
    # a weight may be any number above 0 (up to 10): one of 0.0004 once divided by zero
    from svcdiag.engagement.item_floor import _own_score_row

    tally, cell, target = _one_cell_weighing(0.0004, 1.0)
    row = _own_score_row(tally, [cell], "q", target)
    shares = {pattern[0][1]: share for (_, pattern), share in row.items()}
    assert shares[0.0004] == 2500 * shares[1.0]  # one over each total, in integers


def test_totals_that_differ_by_little_still_weigh_apart() -> None:
    # 2.0004 and 2 are two weightings: the score gap beside the score separates them
    from svcdiag.engagement.item_floor import _own_score_row

    tally, cell, target = _one_cell_weighing(2.0004, 2.0, 0.3)
    row = _own_score_row(tally, [cell], "q", target)
    shares = {pattern[0][1]: share for (_, pattern), share in row.items()}
    assert len(set(shares.values())) == 3
    assert abs(shares[2.0] / shares[2.0004] - 1.0002) < 1e-12
    assert shares[0.3] * 3 == shares[2.0] * 20  # 0.3 read as the 3/10 it was written as

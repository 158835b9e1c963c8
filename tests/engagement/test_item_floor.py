"""The floor per question and per score: skipped answers must not expose one person.

The scenarios are the hostile ones of the sweep: 13 survey responses, floor
3 (board 1, managers in north 3, frontline in north 4 and south 2, support
staff 3), where the managers (or all but one of the frontline) left a
question out, so one side of a perception gap rests on one person. Each is
run through the command and checked in every text format; the property
test draws random skips and checks what the report shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.engagement.anonymity import UnitTree, group_cells
from svcdiag.engagement.report import build_report
from svcdiag.engagement.respondents import Respondents
from svcdiag.engagement.tally import likert_items, tally
from tests.engagement.conftest import engagement_file, make_people
from tests.engagement.scenarios import responses, write_engagement
from tests.engagement.test_differencing import _brute_force_leaks

runner = CliRunner()
PLAN = [
    ("board", None, 1),
    ("manager", "north", 3),
    ("frontline", "north", 4),
    ("frontline", "south", 2),
    ("staff", "support", 3),
]
UNITS = [("north", None), ("south", None), ("support", None)]
QUESTION = "leaders_visible"
TEXT = "Staff regularly see senior leaders doing things that show service matters"
#: The questions behind "Driven from the top" (top_level_impetus).
TOP_LEVEL = ["board_vision", "leaders_visible", "vision_in_own_words", "training_attended"]


def _engagement(tmp_path: Path, drop: dict[str, list[str]], keep_one: bool = False) -> Path:
    """The sweep's 13 responses; each role in ``drop`` leaves those questions out.

    With ``keep_one`` the first respondent of each dropping role keeps them.
    """
    seen: dict[str, int] = {}

    def edit(role: str, unit: str | None, answers: dict[str, Any]) -> None:
        seen[role] = seen.get(role, 0) + 1
        if role in drop and not (keep_one and seen[role] == 1):
            for question in drop[role]:
                answers.pop(question, None)

    return write_engagement(tmp_path / "eng", floor=3, units=UNITS, survey=responses(PLAN, edit))


def _report(folder: Path, fmt: str) -> str:
    result = runner.invoke(app, ["engagement", "report", str(folder), "-f", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_leaders_resting_on_the_board_member_alone_are_not_compared(tmp_path: Path) -> None:
    folder = _engagement(tmp_path, {"manager": [QUESTION]})
    data = json.loads(_report(folder, "json"))
    assert QUESTION not in {g["id"] for g in data["gaps"]}
    withheld = [g for g in data["gaps_suppressed"] if g["id"] == QUESTION]
    assert withheld == [
        {
            "kind": "question",
            "id": QUESTION,
            "title": withheld[0]["title"],
            "scale": "likert",
            # the workforce's sums on it are everyone's minus the board member's: withheld too
            "suppressed": ["leaders", "frontline"],
        }
    ]
    assert TEXT in withheld[0]["title"]
    assert yaml.safe_load(_report(folder, "yaml"))["gaps_suppressed"] == data["gaps_suppressed"]
    for fmt in ("markdown", "rich", "html"):
        text = " ".join(_report(folder, fmt).replace("&#34;", '"').split())
        # no row, no sentence, no summary bullet gives the board member's answer
        assert f'rate "{TEXT}' not in text, fmt
        # the question, and the three scores that pool it (the board member's answer follows
        # from a score less the other questions' gaps)
        assert "Suppressed: 4 items not compared, since fewer than 3 people on the side" in text
        assert 'matters to them, not just saying so." (leaders and frontline and staff);' in text, (
            fmt
        )
    markdown = _report(folder, "markdown")
    row = next((line for line in markdown.splitlines() if line.startswith(f"| {TEXT}")), None)
    assert row is None  # not in the gap table either ("no interval (one person)" before)


def test_the_frontline_resting_on_one_person_is_not_compared(tmp_path: Path) -> None:
    folder = _engagement(tmp_path, {"frontline": [QUESTION], "staff": [QUESTION]}, keep_one=True)
    data = json.loads(_report(folder, "json"))
    assert QUESTION not in {g["id"] for g in data["gaps"]}
    # one frontline and one staff answer: two, under the floor of 3; the leaders' sums on
    # it would give those two as everyone's minus the leaders'
    assert [g["suppressed"] for g in data["gaps_suppressed"] if g["id"] == QUESTION] == [
        ["leaders", "frontline"]
    ]
    assert all(g["n_leaders"] >= 3 and g["n_frontline"] >= 3 for g in data["gaps"])
    markdown = " ".join(_report(folder, "markdown").split())
    assert "(leaders and frontline and staff)." in markdown


def test_a_characteristic_one_leader_answered_is_suppressed_for_the_leaders(
    tmp_path: Path,
) -> None:
    folder = _engagement(tmp_path, {"manager": TOP_LEVEL})
    data = json.loads(_report(folder, "json"))
    groups = {g["group"]: g for g in data["groups"]}
    leaders = groups["leaders"]
    assert leaders["suppressed"] is False and leaders["n"] == 4
    assert leaders["characteristics"]["top_level_impetus"] is None
    # "Part of the culture" pools two of those questions, which only the board member answered
    assert leaders["suppressed_scores"]["characteristics"] == [
        "service_culture",
        "top_level_impetus",
    ]
    # everyone minus the workforce would give the board member: the workforce's goes too
    assert "top_level_impetus" in groups["workforce"]["suppressed_scores"]["characteristics"]
    # everyone's score stays: it is the diagnosis of the whole organisation
    assert isinstance(groups["all"]["characteristics"]["top_level_impetus"], float)
    assert "top_level_impetus" in {
        g["id"] for g in data["gaps_suppressed"] if g["kind"] == "characteristic"
    }
    markdown = _report(folder, "markdown")
    row = next(line for line in markdown.splitlines() if line.startswith("| Driven from the top"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2] == "suppressed" and cells[3] == "suppressed", row  # leaders, workforce


def test_agreement_leaves_out_a_question_too_few_answered(tmp_path: Path) -> None:
    folder = _engagement(tmp_path, {"manager": [QUESTION]})
    data = json.loads(_report(folder, "json"))
    diagnostic = load_questionnaire("diagnostic").questionnaire
    items = likert_items(diagnostic, "factor")
    factor = next(f for f, qs in items.items() if QUESTION in qs)
    leaders = [a for a in data["agreement"] if a["group"] == "leaders" and a["factor"] == factor]
    everyone = [a for a in data["agreement"] if a["group"] == "all" and a["factor"] == factor]
    assert [a["items"] for a in everyone] == [len(items[factor])]
    assert all(a["items"] == len(items[factor]) - 1 for a in leaders)


ROLES = ["board", "manager", "frontline", "staff"]


@st.composite
def skipping(draw: st.DrawFn) -> tuple[list[tuple[str, str | None, int]], list[int]]:
    plan = [
        (role, unit, draw(st.sampled_from([0, 1, 2, 3, 4])))
        for role in ROLES
        for unit in (None, "a", "b")
    ]
    total = sum(n for *_, n in plan)
    skips = draw(st.lists(st.integers(0, 3), min_size=total, max_size=total))
    return plan, skips


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(skipping(), st.integers(3, 4))
def test_no_figure_of_a_group_rests_on_fewer_than_the_floor(layout, floor: int) -> None:
    plan, skips = layout
    diagnostic = load_questionnaire("diagnostic")
    people = make_people(plan, seed=len(skips))
    # each person leaves out some of the questions of "Driven from the top"
    edited = []
    for person, skip in zip(people, skips, strict=True):
        answers = {k: v for k, v in person.answers.items() if k not in TOP_LEVEL[:skip]}
        edited.append(type(person)(**{**person.__dict__, "answers": answers}))
    engagement = engagement_file([("a", None), ("b", None)], floor=floor)
    report = build_report(engagement, diagnostic, Respondents(people=edited))
    t = tally(diagnostic.questionnaire, edited)
    per_cell = {cell: sums.n for cell, sums in t.cells.items()}
    tree = UnitTree.from_parents({"a": None, "b": None})
    members = group_cells(per_cell, tree)
    by_id = {
        ("all" if g.role is None else g.role, "all" if g.unit is None else g.unit): g
        for g in report.groups
    }
    for key, group in by_id.items():
        if group.suppressed or group.group == "all":
            continue
        for target, scores in (
            ("characteristic", group.characteristics),
            ("factor", group.factors),
        ):
            for ident, score in (scores or {}).items():
                if score is None:
                    continue
                answered = sum(
                    t.cells[c].scores[(target, ident)].n
                    for c in members[key]
                    if (target, ident) in t.cells[c].scores
                )
                assert answered >= floor, (group.group, ident, answered)
    for gap in report.gaps:
        assert gap.n_leaders >= floor and gap.n_frontline >= floor, gap.id
    # and no small set follows from the shown scores of the characteristic people skipped
    target = ("characteristic", "top_level_impetus")
    sizes = {c: s.scores[target].n for c, s in t.cells.items() if target in s.scores}
    shown = list(
        dict.fromkeys(
            frozenset(members[key])
            for key, g in by_id.items()
            if not g.suppressed and (g.characteristics or {}).get("top_level_impetus") is not None
        )
    )
    everyone = frozenset(c for c, n in sizes.items() if n > 0)
    assume(len(shown) <= 11)
    assert _brute_force_leaks(sizes, shown, floor, everyone) == []


def test_the_new_keys_are_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "`gaps_suppressed`" in readme and "`suppressed_scores`" in readme


@pytest.mark.slow
def test_the_pdf_says_the_gap_is_suppressed_and_not_its_value(tmp_path: Path) -> None:
    from tests.render.conftest import need
    from tests.render.test_pdf import _text

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as err:
        need(f"WeasyPrint and its libraries ({err})", None)
    folder = _engagement(tmp_path, {"manager": [QUESTION]})
    pdf = tmp_path / "report.pdf"
    result = runner.invoke(app, ["engagement", "report", str(folder), "-f", "pdf", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    text = _text(pdf)
    assert "Suppressed: 4 items not compared, since fewer than 3 people on the side" in text
    assert f"rate “{TEXT}" not in text and f'rate "{TEXT}' not in text


def test_a_long_list_of_suppressed_gaps_is_cut_with_the_rest_counted() -> None:
    from svcdiag.models.engagement_report import SuppressedGap
    from svcdiag.render.engagement_sections import MAX_GAPS, suppressed_gaps_text

    diagnostic = load_questionnaire("diagnostic")
    report = build_report(
        engagement_file(floor=3),
        diagnostic,
        Respondents(people=make_people([("manager", None, 3), ("frontline", None, 3)])),
    )
    withheld = [
        SuppressedGap(
            kind="question", id=f"q{i}", title=f"Q{i}", scale="likert", suppressed=["leaders"]
        )
        for i in range(MAX_GAPS + 3)
    ]
    text = suppressed_gaps_text(report.model_copy(update={"gaps_suppressed": withheld}))
    assert text is not None
    assert text.startswith(f"Suppressed: {MAX_GAPS + 3} items not compared")
    assert f'"Q{MAX_GAPS - 1}" (leaders); and 3 more (gaps_suppressed in the json output).' in text
    assert f"Q{MAX_GAPS} (" not in text

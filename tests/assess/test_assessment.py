"""The interactive loop with a scripted prompter: back, notes, skips, drops, interrupts."""

from __future__ import annotations

import json
import signal
from datetime import datetime, timezone

import pytest

from svcdiag.assess.flow import Flow
from svcdiag.assess.interactive import Assessment, Nav, run_interactive
from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.assess.signals import Terminated
from svcdiag.errors import Interrupted
from svcdiag.models.findings import Respondent, Role

from .fake_prompter import FakePrompter

T0 = datetime(2026, 11, 22, 9, 0, 0, tzinfo=timezone.utc)


def new_assessment(flow: Flow, store: SessionStore, **fields: object) -> Assessment:
    session = Session(
        questionnaire=SessionQuestionnaire(ref="mini", id="mini", version="1", sha256="0" * 64),
        started=T0,
        updated=T0,
        **fields,  # type: ignore[arg-type]
    )
    return Assessment(session, flow, store, clock=lambda: T0)


def saved(store: SessionStore) -> dict:
    (path,) = store.directory.glob("*.json")
    return json.loads(path.read_text())


DETAILS = [("organisation", "Acme Ltd"), ("role", Role.manager), ("consultant", "Jo")]
REST = [
    ("nps_recommend", "7"),
    ("channels", ["phone"]),
    ("staff_count", "40"),
    ("trial_agreed", Nav.SKIP),
    ("biggest_issue", "Callbacks"),
    ("board_vision", 4),
]


def test_full_run_with_back_change_and_note(flow: Flow, store: SessionStore):
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "some_teams"),
            ("has_crm", True),
            ("crm_rating", 2),
            ("crm_fix", Nav.BACK),  # back to crm_rating ...
            ("crm_rating", Nav.BACK),  # ... and further back to has_crm
            ("has_crm", Nav.NOTE),
            ("note:has_crm", "Bought in 2019, nobody trained"),
            ("has_crm", False),  # crm_rating no longer applies: dropped
            *REST,
        ]
    )
    assessment = new_assessment(flow, store)
    session = run_interactive(assessment, prompter)
    assert prompter.script == []
    assert session.answers == {
        "problem_scope": "some_teams",
        "has_crm": False,
        "nps_recommend": 7,
        "channels": ["phone"],
        "staff_count": 40,
        "biggest_issue": "Callbacks",
        "board_vision": 4,
    }
    assert session.notes == {"has_crm": "Bought in 2019, nobody trained"}
    assert session.set_aside == {"crm_rating": 2}
    assert session.skipped == ["trial_agreed"]
    assert session.complete and session.organisation == "Acme Ltd"
    assert prompter.said == ["1 earlier answer no longer applies and was set aside: crm_rating"]
    # going back pre-selects the earlier answer, and shows the note once taken
    assert prompter.asked[4] == ("crm_rating", 2, None, 3, 10)
    assert prompter.asked[5][:3] == ("has_crm", True, None)
    assert prompter.asked[6][:3] == ("has_crm", True, "Bought in 2019, nobody trained")
    assert prompter.sections == ["basics", "customers"]
    assert saved(store)["complete"] is True


def test_back_after_change_returns_to_where_you_were(flow: Flow, store: SessionStore):
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "none"),
            ("has_crm", False),
            ("nps_recommend", 3),
            ("channels", Nav.BACK),
            ("nps_recommend", Nav.BACK),
            ("has_crm", Nav.BACK),
            ("problem_scope", "widespread"),  # changed; jump forward to the first open question
            ("channels", ["chat"]),
            *REST[2:],
        ]
    )
    session = run_interactive(new_assessment(flow, store), prompter)
    assert session.answers["problem_scope"] == "widespread"
    assert session.answers["nps_recommend"] == 3


def test_back_from_first_question_reopens_details(flow: Flow, store: SessionStore):
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", Nav.BACK),
            ("organisation", "Acme Limited"),
            ("role", Nav.BACK),
            ("organisation", "Acme Ltd"),
            ("role", Role.board),
            ("consultant", None),
            ("problem_scope", "none"),
            ("has_crm", "unknown"),
            *REST,
        ]
    )
    session = run_interactive(new_assessment(flow, store), prompter)
    assert (session.organisation, session.respondent.role, session.consultant) == (
        "Acme Ltd",
        Role.board,
        None,
    )
    assert session.answers["has_crm"] == "unknown"


def test_details_given_on_the_command_line_are_not_asked(flow: Flow, store: SessionStore):
    prompter = FakePrompter(
        [
            ("consultant", None),
            ("problem_scope", Nav.BACK),
            ("consultant", "Jo"),
            ("problem_scope", "none"),
            ("has_crm", False),
            *REST,
        ]
    )
    assessment = new_assessment(
        flow, store, organisation="Acme", respondent=Respondent(role=Role.staff)
    )
    run_interactive(assessment, prompter, fixed=frozenset({"organisation", "role"}))
    assert assessment.session.consultant == "Jo"


def test_required_question_cannot_be_skipped_and_bad_values_are_refused(
    flow: Flow, store: SessionStore
):
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", Nav.SKIP),
            ("problem_scope", "everywhere"),
            ("problem_scope", "none"),
            ("has_crm", False),
            *REST,
        ]
    )
    run_interactive(new_assessment(flow, store), prompter)
    assert prompter.said[:2] == [
        "This question needs an answer.",
        "'everywhere' is not an option; allowed: one of widespread, some_teams, "
        "few_individuals, none",
    ]


def test_defaults_are_taken_without_asking(flow: Flow, store: SessionStore):
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "none"),
            ("has_crm", False),
            ("nps_recommend", 1),
            ("trial_agreed", "later"),
            ("biggest_issue", "x"),
            ("board_vision", 2),
        ]
    )
    session = run_interactive(new_assessment(flow, store, use_defaults=True), prompter)
    assert session.answers["channels"] == ["phone"] and session.answers["staff_count"] == 10


@pytest.mark.parametrize(
    "interrupt",
    [KeyboardInterrupt(), EOFError(), Terminated(signal.SIGTERM), Terminated(signal.SIGHUP)],
)
def test_interrupt_saves_everything_and_says_how_to_resume(
    flow: Flow, store: SessionStore, interrupt: BaseException
):
    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "none"),
            ("has_crm", Nav.NOTE),
            ("note:has_crm", "unsure"),
            ("has_crm", interrupt),
        ]
    )
    assessment = new_assessment(flow, store)
    with pytest.raises(Interrupted) as caught:
        run_interactive(assessment, prompter)
    err = caught.value
    sid = assessment.session.id
    cause = f" by {interrupt.name}" if isinstance(interrupt, Terminated) else ""
    assert err.exit_code == 130
    assert err.message == f"interrupted{cause}; nothing is lost: 1 answer saved in session {sid}"
    assert err.hint == f"resume with:\n  svcdiag assess --resume {sid}"
    data = saved(store)
    assert data["answers"] == {"problem_scope": "none"}
    assert data["notes"] == {"has_crm": "unsure"}
    assert data["cursor"] == "has_crm" and data["complete"] is False
    # resuming carries on at the first unanswered question, details not asked again
    resumed = Assessment(store.load(sid), flow, store)
    more = FakePrompter([("has_crm", True), ("crm_rating", 5), *REST])
    session = run_interactive(resumed, more)
    assert session.answers["problem_scope"] == "none" and session.answers["crm_rating"] == 5


def test_interrupt_before_organisation_saves_nothing(flow: Flow, store: SessionStore):
    prompter = FakePrompter([("organisation", KeyboardInterrupt())])
    with pytest.raises(Interrupted) as caught:
        run_interactive(new_assessment(flow, store), prompter)
    assert caught.value.message == "interrupted before the first answer; nothing to save"
    assert caught.value.hint is None
    assert store.ids() == []


def test_every_answer_is_saved_before_the_next_question(flow: Flow, store: SessionStore):
    seen: list[dict] = []

    def snapshot(value: object):
        return lambda: (seen.append(saved(store)["answers"]), value)[1]

    prompter = FakePrompter(
        [
            *DETAILS,
            ("problem_scope", "none"),
            ("has_crm", snapshot(True)),
            ("crm_rating", KeyboardInterrupt()),
        ]
    )
    with pytest.raises(Interrupted):
        run_interactive(new_assessment(flow, store), prompter)
    assert seen == [{"problem_scope": "none"}]
    assert saved(store)["answers"] == {"problem_scope": "none", "has_crm": True}

"""Triage: the Mager & Pipe route the answers reach, and why."""

from __future__ import annotations

from svcdiag.definitions.loading import Loaded
from svcdiag.diagnosis import analyse
from svcdiag.diagnosis.triage import ROUTES, triage
from svcdiag.models.questionnaire import Route


def test_every_route_has_a_title_and_advice() -> None:
    assert set(ROUTES) == set(Route)
    for title, advice in ROUTES.values():
        assert title and advice.endswith(".")


def test_first_route_in_question_order_is_the_main_one(mini_triage: Loaded) -> None:
    answers = {"worth_it": "yes", "expectations": "unclear", "resources": "missing"}
    result = triage(mini_triage.questionnaire, answers)
    assert result is not None
    assert result.route is Route.clarify_expectations
    assert [r.route for r in result.routes] == [
        Route.clarify_expectations,
        Route.provide_resources,
    ]
    assert result.reasons == [
        "The answer to expectations ('Not really') leads to: Make expectations clear. People "
        "are not sure what is expected of them; say it plainly and show what good looks like.",
        "Also indicated by resources ('Something is missing'): Provide the resources.",
    ]


def test_not_worth_pursuing_ends_the_analysis(mini_triage: Loaded) -> None:
    answers = {"worth_it": "no", "expectations": "unclear"}
    result = triage(mini_triage.questionnaire, answers)
    assert result is not None
    assert result.route is Route.not_worth_pursuing
    assert "listed for the record only" in result.reasons[-1]


def test_training_after_faster_fixes(mini_triage: Loaded) -> None:
    answers = {"worth_it": "yes", "expectations": "unclear", "knows_how": "no"}
    result = triage(mini_triage.questionnaire, answers)
    assert result is not None
    assert result.route is Route.clarify_expectations
    assert result.reasons[-1] == (
        "Training is indicated too, but only after the fixes above: they may remove the need "
        "for it."
    )


def test_training_as_the_route(mini_triage: Loaded) -> None:
    answers = {
        "worth_it": "yes",
        "expectations": "clear",
        "resources": "present",
        "knows_how": "no",
    }
    result = triage(mini_triage.questionnaire, answers)
    assert result is not None
    assert result.route is Route.train
    assert result.reasons[-1].startswith("Training is the route because the earlier answers")


def test_no_route_reached(mini_triage: Loaded) -> None:
    result = triage(mini_triage.questionnaire, {"worth_it": "yes"})
    assert result is not None
    assert (result.route, result.title) == (None, "No route reached")


def test_diagnostic_questionnaire_without_routes_has_no_triage(mini: Loaded) -> None:
    assert triage(mini.questionnaire, {}) is None


def test_analysis_of_a_triage_questionnaire_has_no_scores(mini_triage: Loaded) -> None:
    result = analyse(mini_triage.questionnaire, mini_triage.catalogue, {"knows_how": "yes"})
    assert result.diagnosis is None
    assert result.factors == []
    assert result.triage is not None
    assert result.triage.route is Route.give_feedback
    assert result.coverage.answered == 1

"""The diagnosis rules, one by one, and the reasons they give."""

from __future__ import annotations

import itertools

import pytest

from svcdiag.diagnosis.diagnose import (
    RULES,
    EnvState,
    PeopleState,
    ScopeKey,
    choose_rule,
    confidence_level,
    diagnose,
    environment_state,
    people_state,
    widest_scope,
)
from svcdiag.diagnosis.evidence import ScopeAnswer
from svcdiag.models.analysis import (
    ConfidenceLevel,
    Coverage,
    FactorScore,
    GilbertScore,
    Status,
    Verdict,
)
from svcdiag.models.catalogue import (
    ENVIRONMENT_CELLS,
    INDIVIDUAL_CELLS,
    FactorKind,
    GilbertCell,
)
from svcdiag.models.questionnaire import Scope

S, M, IND = Verdict.system, Verdict.mixed, Verdict.individual
H, U = Verdict.healthy, Verdict.undetermined

# (scope, environment, people) -> (rule, verdict, base confidence, major problem):
# every one of the 30 combinations, so that each verdict is decided on purpose.
TABLE: list[tuple[ScopeKey, EnvState, PeopleState, str, Verdict, float, bool]] = [
    ("widespread", "weak", "deficit", "widespread_weak_env", S, 0.95, True),
    ("widespread", "weak", "none", "widespread_weak_env", S, 0.95, True),
    ("widespread", "healthy", "deficit", "widespread", S, 0.70, True),
    ("widespread", "healthy", "none", "widespread", S, 0.70, True),
    ("widespread", "unknown", "deficit", "widespread_unknown_env", S, 0.60, True),
    ("widespread", "unknown", "none", "widespread_unknown_env", S, 0.60, True),
    ("some_teams", "weak", "deficit", "teams_weak_env", S, 0.85, True),
    ("some_teams", "weak", "none", "teams_weak_env", S, 0.85, True),
    ("some_teams", "healthy", "deficit", "teams_people", M, 0.60, True),
    ("some_teams", "healthy", "none", "teams", S, 0.50, True),
    ("some_teams", "unknown", "deficit", "teams_unknown_env", M, 0.40, True),
    ("some_teams", "unknown", "none", "teams_unknown_env_no_gap", S, 0.40, True),
    ("few_individuals", "weak", "deficit", "few_weak_env", M, 0.70, True),
    ("few_individuals", "weak", "none", "few_weak_env_no_gap", S, 0.65, True),
    ("few_individuals", "healthy", "deficit", "few_people", IND, 0.90, True),
    ("few_individuals", "healthy", "none", "few_people_no_gap", IND, 0.60, True),
    ("few_individuals", "unknown", "deficit", "few_unknown_env", M, 0.40, True),
    ("few_individuals", "unknown", "none", "few_unknown_env_no_gap", U, 0.30, False),
    ("none", "weak", "deficit", "none_weak_env", S, 0.60, True),
    ("none", "weak", "none", "none_weak_env", S, 0.60, True),
    ("none", "healthy", "deficit", "none_healthy_people", H, 0.60, False),
    ("none", "healthy", "none", "none_healthy", H, 0.80, False),
    ("none", "unknown", "deficit", "none_unknown_env", U, 0.20, False),
    ("none", "unknown", "none", "none_unknown_env", U, 0.20, False),
    ("unknown", "weak", "deficit", "unknown_weak_env", S, 0.60, True),
    ("unknown", "weak", "none", "unknown_weak_env", S, 0.60, True),
    ("unknown", "healthy", "deficit", "unknown_people", M, 0.45, True),
    ("unknown", "healthy", "none", "unknown_healthy", H, 0.60, False),
    ("unknown", "unknown", "deficit", "too_little_evidence", U, 0.20, False),
    ("unknown", "unknown", "none", "too_little_evidence", U, 0.20, False),
]
SCOPES: list[ScopeKey] = ["widespread", "some_teams", "few_individuals", "none", "unknown"]
ENVS: list[EnvState] = ["weak", "healthy", "unknown"]
PEOPLES: list[PeopleState] = ["deficit", "none"]


def test_the_table_covers_every_combination() -> None:
    assert sorted(r[:3] for r in TABLE) == sorted(itertools.product(SCOPES, ENVS, PEOPLES))


@pytest.mark.parametrize(
    ("scope", "env", "people", "rule_id", "verdict", "confidence", "major"),
    TABLE,
    ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in TABLE],
)
def test_rule_table(
    scope: ScopeKey,
    env: EnvState,
    people: PeopleState,
    rule_id: str,
    verdict: Verdict,
    confidence: float,
    major: bool,
) -> None:
    rule = choose_rule(scope, env, people)
    assert (rule.id, rule.verdict, rule.confidence, rule.major_problem) == (
        rule_id,
        verdict,
        confidence,
        major,
    )


def test_every_rule_is_reachable_and_has_an_explanation() -> None:
    used = {choose_rule(*combo).id for combo in itertools.product(SCOPES, ENVS, PEOPLES)}
    assert used == {rule.id for rule in RULES}
    for rule in RULES:
        assert rule.explanation.endswith(".")
        assert rule.headline


def test_widespread_is_system_whatever_the_individual_cells_say() -> None:
    for env, people in itertools.product(("weak", "healthy", "unknown"), ("deficit", "none")):
        rule = choose_rule("widespread", env, people)  # type: ignore[arg-type]
        assert rule.verdict is Verdict.system
        assert rule.as_symptom


def test_individual_only_with_limited_scope_and_healthy_environment() -> None:
    for rule in RULES:
        if rule.verdict is Verdict.individual:
            assert (rule.scope, rule.environment) == ("few_individuals", "healthy")


def _cells(env: float | None, individual: dict[GilbertCell, float | None]) -> list[GilbertScore]:
    cells = [
        GilbertScore(
            cell=c,
            side="environment",
            score=env,
            answered=4 if env is not None else 1,
            weight=4,
            status=Status.ok if env is not None else Status.insufficient,
        )
        for c in ENVIRONMENT_CELLS
    ]
    for c in INDIVIDUAL_CELLS:
        score = individual.get(c)
        cells.append(
            GilbertScore(
                cell=c,
                side="individual",
                score=score,
                answered=2 if score is not None else 0,
                weight=2,
                status=Status.ok if score is not None else Status.insufficient,
            )
        )
    return cells


def test_environment_and_people_states() -> None:
    assert environment_state(_cells(59.9, {})) == "weak"
    assert environment_state(_cells(60.0, {})) == "healthy"
    assert environment_state(_cells(None, {})) == "unknown"
    assert people_state(_cells(80, {GilbertCell.motives: 59.9})) == "deficit"
    assert people_state(_cells(80, {GilbertCell.motives: 60.0})) == "none"
    assert people_state(_cells(80, {})) == "none"


def test_widest_scope_wins() -> None:
    answers = [
        ScopeAnswer("q1", Scope.few_individuals, "A few"),
        ScopeAnswer("q2", Scope.widespread, "Everywhere"),
    ]
    assert widest_scope(answers) is Scope.widespread
    assert widest_scope([]) is None


FULL = Coverage(questions=10, answered=10, unknown=0, skipped=0)
MOTIVES = FactorScore(
    id="individual_attitude",
    title="Attitude",
    kind=FactorKind.individual,
    gilbert=GilbertCell.motives,
    score=20.0,
    answered=2,
    weight=2,
    status=Status.ok,
    questions=["keen", "effort"],
)


def test_widespread_low_motivation_is_read_as_a_symptom() -> None:
    result = diagnose(
        [ScopeAnswer("scope", Scope.widespread, "Everywhere", "Where does it show?")],
        _cells(40.0, {GilbertCell.motives: 20.0}),
        [MOTIVES],
        FULL,
        with_data=True,
    )
    assert result.verdict is Verdict.system
    assert result.rule == "widespread_weak_env"
    assert result.individual_as_symptom
    assert result.confidence == 0.95
    assert result.confidence_level is ConfidenceLevel.high
    assert result.reasons[0] == (
        'Asked "Where does it show?", the respondent answered "Everywhere": the problem is '
        "widespread."
    )
    assert result.reasons[2] == (
        "Gilbert's individual cells (what people bring): knowledge: too few answers; "
        "capacity: too few answers; motives 20.0."
    )
    assert (
        "The low motives score (20.0, from effort, keen) is read as a symptom of incentives, "
        "involvement and management, not as a fault in individuals, because the problem is "
        "widespread." in result.reasons
    )


def test_few_individuals_with_healthy_environment_is_individual() -> None:
    result = diagnose(
        [ScopeAnswer("scope", Scope.few_individuals, "A few people")],
        _cells(80.0, {GilbertCell.knowledge: 30.0}),
        [],
        FULL,
    )
    assert (result.verdict, result.rule, result.individual_as_symptom) == (
        Verdict.individual,
        "few_people",
        False,
    )
    assert not any("symptom" in r for r in result.reasons)


def test_healthy_organisation_is_never_labelled_system() -> None:
    result = diagnose([ScopeAnswer("scope", Scope.none, "No problem")], _cells(85.0, {}), [], FULL)
    assert result.verdict is Verdict.healthy
    assert result.major_problem is False
    assert result.headline == (
        "No major service problem found: the organisation supports good service."
    )
    # one respondent, no data: 0.80 is capped at medium, and the reasons say why
    assert result.confidence == 0.74
    assert result.confidence_level is ConfidenceLevel.medium
    assert "one respondent's view, with no client data attached" in result.reasons[-1]


def test_one_broken_system_factor_makes_the_environment_weak() -> None:
    tools = FactorScore(
        id="tools_systems",
        title="Tools",
        kind=FactorKind.system,
        gilbert=GilbertCell.instrumentation,
        score=17.0,
        answered=2,
        weight=3,
        status=Status.ok,
    )
    assert environment_state(_cells(70.0, {}), [tools]) == "weak"
    assert environment_state(_cells(70.0, {}), [tools.model_copy(update={"score": 60.0})]) == (
        "healthy"
    )


def test_too_little_answered_is_undetermined_whatever_the_rule() -> None:
    thin = Coverage(questions=20, answered=4, unknown=10, skipped=6)
    result = diagnose(
        [ScopeAnswer("scope", Scope.widespread, "Everywhere")], _cells(40.0, {}), [], thin
    )
    assert (result.verdict, result.rule, result.major_problem) == (
        Verdict.undetermined,
        "too_little_answered",
        False,
    )
    assert result.headline == "Too little is known yet to say where the causes lie."


def test_several_respondents_or_data_lift_the_single_view_cap() -> None:
    scope = [ScopeAnswer("scope", Scope.widespread, "Everywhere")]
    assert diagnose(scope, _cells(40.0, {}), [], FULL).confidence == 0.74
    assert diagnose(scope, _cells(40.0, {}), [], FULL, respondents=3).confidence == 0.95
    assert diagnose(scope, _cells(40.0, {}), [], FULL, with_data=True).confidence == 0.95


def test_confidence_falls_with_coverage() -> None:
    half = Coverage(questions=10, answered=5, unknown=3, skipped=2)
    result = diagnose(
        [ScopeAnswer("scope", Scope.widespread, "Everywhere")],
        _cells(40.0, {}),
        [],
        half,
        with_data=True,
    )
    assert result.confidence == round(0.95 * (0.6 + 0.4 * 0.5), 2) == 0.76
    assert result.reasons[-1] == (
        "5 of 10 questions that carry evidence have a real answer (3 don't know, 2 skipped, "
        "0 ignored); the confidence is lowered to match."
    )


def test_disagreeing_scope_answers_are_reported() -> None:
    result = diagnose(
        [
            ScopeAnswer("q1", Scope.none, "None", "Who is affected?"),
            ScopeAnswer("q2", Scope.some_teams, "Some teams"),
        ],
        _cells(40.0, {}),
        [],
        FULL,
    )
    assert result.scope is Scope.some_teams
    # a question without text falls back to its id
    assert result.reasons[0] == (
        'Asked "q2", the respondent answered "Some teams": the problem is limited to some teams.'
    )
    assert (
        'The scope answers disagree ("Who is affected?": None; "q2": Some teams); the widest '
        "is used." in result.reasons
    )


def test_a_few_people_named_as_well_is_a_second_place_not_a_disagreement() -> None:
    result = diagnose(
        [
            ScopeAnswer("where", Scope.widespread, "Everywhere", "Where?"),
            ScopeAnswer("also", Scope.few_individuals, "Yes, two people", "Anyone else?"),
        ],
        _cells(40.0, {}),
        [],
        FULL,
    )
    assert result.scope is Scope.widespread
    assert not any("disagree" in r for r in result.reasons)
    assert result.reasons[1] == (
        'Asked "Anyone else?", the respondent answered "Yes, two people": a few particular '
        "people are named as well, so the plan holds help aimed at them beside the changes "
        "to the system."
    )


def test_few_people_in_a_weak_environment_with_healthy_cells_is_a_system_problem() -> None:
    cells = _cells(40.0, {})
    scores = {GilbertCell.knowledge: 95.0, GilbertCell.capacity: 100.0, GilbertCell.motives: 66.7}
    cells = [c.model_copy(update={"score": scores.get(c.cell, c.score)}) for c in cells]
    result = diagnose(
        [ScopeAnswer("scope", Scope.few_individuals, "One or two people", "Where?")],
        cells,
        [],
        FULL,
    )
    assert (result.verdict, result.rule, result.major_problem) == (
        Verdict.system,
        "few_weak_env_no_gap",
        True,
    )
    assert result.confidence == 0.65
    assert result.confidence_level is ConfidenceLevel.medium
    assert result.headline.startswith("The causes lie mostly in the system")
    assert result.reasons[-1] == (
        "The problem is said to be limited to a few people, but nothing points to an "
        "individual cause: the individual cells are healthy and the environment is weak, so "
        "those people are most likely struggling with the environment."
    )
    assert not any("judging the individuals" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("value", "level"),
    [(0.75, ConfidenceLevel.high), (0.74, ConfidenceLevel.medium), (0.49, ConfidenceLevel.low)],
)
def test_confidence_levels(value: float, level: ConfidenceLevel) -> None:
    assert confidence_level(value) is level

"""Coverage rules for the shipped questionnaires, catalogue and examples."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from pydantic import BaseModel

from svcdiag.models.catalogue import (
    CharacteristicCatalogue,
    FactorCatalogue,
    FactorKind,
    InterventionCatalogue,
)
from svcdiag.models.findings import UNKNOWN, AnswersFile
from svcdiag.models.questionnaire import (
    Condition,
    Question,
    Questionnaire,
    QuestionType,
    Route,
    Scope,
)
from svcdiag.source.yamlsource import load_file

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "questionnaires"
EXAMPLES = ROOT / "examples"

QUESTIONNAIRE_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/questionnaire.schema.json"
INTERVENTIONS_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/interventions.schema.json"

#: The intervention themes the catalogue must offer, by id.
REQUIRED_INTERVENTIONS = {
    "board_service_vision",
    "cascade_vision_values",
    "work_system_review",
    "clarify_goals_priorities",
    "voice_of_customer",
    "touchpoint_workshop",
    "staff_designed_standards",
    "internal_customer_forum",
    "fix_tools_systems",
    "frontline_metrics_feedback",
    "non_monetary_recognition",
    "empowerment_policy",
    "continuous_review_cycle",
    "individual_coaching",
    "frontline_skills_training",
    "manager_service_training",
    "induction_training",
}

#: The only interventions that are genuine training courses.
TRAINING_INTERVENTIONS = {
    "systems_hands_on_training",
    "frontline_skills_training",
    "all_staff_service_awareness",
    "manager_service_training",
    "induction_training",
}

DIAGNOSTIC_EXAMPLES = {
    "answers-widespread.yaml": Scope.widespread,
    "answers-few-individuals.yaml": Scope.few_individuals,
    "answers-trained-demotivated.yaml": Scope.widespread,
    "answers-healthy.yaml": Scope.none,
}

M = TypeVar("M", bound=BaseModel)


# --- loading: the one place that turns files into models --------------------------------


def _load(path: Path, model: type[M]) -> M:
    document = load_file(path)
    assert document.duplicates == [], f"{path.name}: duplicate keys {document.duplicates}"
    return model.model_validate(document.data)


@pytest.fixture(scope="module")
def diagnostic() -> Questionnaire:
    return _load(SHIPPED / "diagnostic.yaml", Questionnaire)


@pytest.fixture(scope="module")
def triage() -> Questionnaire:
    return _load(SHIPPED / "triage.yaml", Questionnaire)


@pytest.fixture(scope="module")
def interventions() -> InterventionCatalogue:
    return _load(SHIPPED / "interventions.yaml", InterventionCatalogue)


@pytest.fixture(scope="module")
def factors() -> FactorCatalogue:
    return _load(SHIPPED / "factors.yaml", FactorCatalogue)


@pytest.fixture(scope="module")
def characteristics() -> CharacteristicCatalogue:
    return _load(SHIPPED / "characteristics.yaml", CharacteristicCatalogue)


# --- helpers -----------------------------------------------------------------------------


def _evidence_targets(question: Question) -> Iterator[tuple[str, str]]:
    """Yield ("factor" | "characteristic", id) for every evidence on the question."""
    items: list[Any] = list(question.evidence)
    for option in question.options or ():
        items.extend(option.evidence)
    for item in items:
        if item.factor is not None:
            yield "factor", item.factor
        else:
            yield "characteristic", item.characteristic


def _questions_per_target(questionnaire: Questionnaire, kind: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for question in questionnaire.questions():
        for target_kind, target in _evidence_targets(question):
            if target_kind == kind:
                found[target].add(question.id)
    return found


def _condition_refs(condition: Condition) -> Iterator[Condition]:
    """Yield every leaf comparison inside ``condition``."""
    if condition.question is not None:
        yield condition
    for child in [*(condition.all or ()), *(condition.any or ())]:
        yield from _condition_refs(child)
    if condition.not_ is not None:
        yield from _condition_refs(condition.not_)


def _holds(condition: Condition, answers: dict[str, Any]) -> bool:
    """Evaluate a condition on answers (an independent reading of the format)."""
    if condition.all is not None:
        return all(_holds(c, answers) for c in condition.all)
    if condition.any is not None:
        return any(_holds(c, answers) for c in condition.any)
    if condition.not_ is not None:
        return not _holds(condition.not_, answers)
    assert condition.question is not None
    value = answers.get(condition.question)
    if condition.answered is not None:
        return (value is not None and value != UNKNOWN) == condition.answered
    if condition.unknown is not None:
        return (value == UNKNOWN) == condition.unknown
    if value is None or value == UNKNOWN:
        return False
    if condition.equals is not None:
        return bool(value == condition.equals and type(value) is type(condition.equals))
    if condition.one_of is not None:
        return value in condition.one_of
    low = condition.at_least if condition.at_least is not None else float("-inf")
    high = condition.at_most if condition.at_most is not None else float("inf")
    return bool(low <= value <= high)


def _is_asked(question: Question, answers: dict[str, Any]) -> bool:
    return question.when is None or _holds(question.when, answers)


def _valid_value(question: Question, value: Any) -> bool:
    if value == UNKNOWN:
        return question.allow_unknown
    kind = question.type
    option_ids = {o.id for o in question.options or ()}
    if kind is QuestionType.likert:
        return type(value) is int and 1 <= value <= 5
    if kind is QuestionType.scale:
        return type(value) is int and 0 <= value <= 10
    if kind is QuestionType.yes_no:
        return type(value) is bool
    if kind is QuestionType.choice:
        return value in option_ids
    if kind is QuestionType.multi_choice:
        return isinstance(value, list) and bool(value) and set(value) <= option_ids
    if kind is QuestionType.number:
        low = question.min if question.min is not None else float("-inf")
        high = question.max if question.max is not None else float("inf")
        return type(value) in (int, float) and low <= value <= high
    return isinstance(value, str) and bool(value.strip())


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text.strip()))


# --- all shipped files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_line"),
    [
        ("diagnostic.yaml", QUESTIONNAIRE_SCHEMA_LINE),
        ("triage.yaml", QUESTIONNAIRE_SCHEMA_LINE),
        ("interventions.yaml", INTERVENTIONS_SCHEMA_LINE),
    ],
)
def test_file_is_clean_yaml_with_schema_line(name: str, first_line: str) -> None:
    text = (SHIPPED / name).read_text(encoding="utf-8")
    assert text.splitlines()[0] == first_line
    assert "\t" not in text
    events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    assert not any(isinstance(e, yaml.AliasEvent) for e in events)
    assert not any(getattr(e, "anchor", None) for e in events)


@pytest.mark.parametrize("name", ["diagnostic.yaml", "triage.yaml"])
def test_ids_unique_and_conditions_look_backwards(name: str) -> None:
    questionnaire = _load(SHIPPED / name, Questionnaire)
    section_ids = [s.id for s in questionnaire.sections]
    assert len(section_ids) == len(set(section_ids))
    seen: dict[str, Question] = {}
    for question in questionnaire.questions():
        assert question.id not in seen, f"duplicate question id {question.id}"
        option_ids = [o.id for o in question.options or ()]
        assert len(option_ids) == len(set(option_ids)), question.id
        assert question.help, f"{question.id} has no help text"
        if question.when is not None:
            for leaf in _condition_refs(question.when):
                assert leaf.question in seen, f"{question.id}: 'when' names a later question"
                earlier = seen[leaf.question]
                values = [
                    *([leaf.equals] if leaf.equals is not None else []),
                    *(leaf.one_of or []),
                ]
                for value in values:
                    # on a multi_choice question a condition names one option ticked
                    shown = [value] if earlier.type is QuestionType.multi_choice else value
                    assert _valid_value(earlier, shown), f"{question.id}: {value!r} impossible"
        seen[question.id] = question


@pytest.mark.parametrize("name", ["diagnostic.yaml", "triage.yaml"])
def test_evidence_names_known_ids(
    name: str, factors: FactorCatalogue, characteristics: CharacteristicCatalogue
) -> None:
    known = {
        "factor": {f.id for f in factors.factors},
        "characteristic": {c.id for c in characteristics.characteristics},
    }
    questionnaire = _load(SHIPPED / name, Questionnaire)
    for question in questionnaire.questions():
        for kind, target in _evidence_targets(question):
            assert target in known[kind], f"{question.id}: unknown {kind} {target}"


# --- diagnostic questionnaire ---------------------------------------------------------------


def test_diagnostic_header_and_size(diagnostic: Questionnaire) -> None:
    assert (diagnostic.id, diagnostic.kind, diagnostic.version) == (
        "diagnostic",
        "diagnostic",
        "1.1",
    )
    assert 7 <= len(diagnostic.sections) <= 9
    questions = diagnostic.questions()
    assert 40 <= len(questions) <= 75
    types = [q.type for q in questions]
    assert types.count(QuestionType.likert) > len(questions) / 2
    assert 1 <= types.count(QuestionType.text) <= 2
    assert sum(q.when is not None for q in questions) >= 3


def test_every_characteristic_has_two_questions(
    diagnostic: Questionnaire, characteristics: CharacteristicCatalogue
) -> None:
    covered = _questions_per_target(diagnostic, "characteristic")
    for characteristic in characteristics.characteristics:
        assert len(covered[characteristic.id]) >= 2, characteristic.id
    well_covered = [c for c in characteristics.characteristics if len(covered[c.id]) >= 3]
    assert len(well_covered) >= 8


def test_every_factor_has_evidence_both_ways(
    diagnostic: Questionnaire, factors: FactorCatalogue
) -> None:
    """Each factor can be shown healthy as well as unhealthy."""
    for factor in factors.factors:
        can_be_good = can_be_bad = False
        for question in diagnostic.questions():
            if any(e.factor == factor.id for e in question.evidence):
                can_be_good = can_be_bad = True
            for option in question.options or ():
                for item in option.evidence:
                    if item.factor == factor.id:
                        can_be_good |= item.value > 0.5
                        can_be_bad |= item.value < 0.5
        assert can_be_good and can_be_bad, factor.id


def test_individual_evidence_is_about_particular_people(
    diagnostic: Questionnaire, factors: FactorCatalogue
) -> None:
    """Agreeing that staff in general struggle must not read as an individual cause."""
    individual = {f.id for f in factors.factors if f.kind is FactorKind.individual}
    for question in diagnostic.questions():
        for item in question.evidence:
            if item.factor not in individual:
                continue
            if question.type is QuestionType.likert:
                assert "particular" in question.text, question.id
                assert item.direction == "higher_is_worse", question.id
            else:
                assert question.when is not None, question.id


def test_problem_scope_offers_every_scope(diagnostic: Questionnaire) -> None:
    question = diagnostic.question("problem_scope")
    assert question is not None and question.type is QuestionType.choice
    assert {o.scope for o in question.options or ()} == set(Scope)
    assert diagnostic.questions()[:3] == [
        diagnostic.question("staff_count"),
        diagnostic.question("biggest_problem"),
        question,
    ]


def test_nps_follow_up_is_a_bounded_number(diagnostic: Questionnaire) -> None:
    measured = diagnostic.question("nps_measured")
    latest = diagnostic.question("nps_latest")
    assert measured is not None and measured.type is QuestionType.yes_no
    assert latest is not None and latest.type is QuestionType.number
    assert (latest.min, latest.max) == (-100, 100)
    assert latest.when == Condition(question="nps_measured", equals=True)


def test_separating_questions_present(diagnostic: Questionnaire) -> None:
    expected = {
        "goals_clear": QuestionType.likert,
        "sales_vs_service": QuestionType.likert,
        "backoffice_time": QuestionType.likert,
        "tools_work": QuestionType.likert,
        "tools_skill": QuestionType.likert,
        "process_obstacles": QuestionType.likert,
        "staff_metrics": QuestionType.likert,
        "staff_know_engagement": QuestionType.likert,
        "recognition": QuestionType.likert,
        "managers_near_customers": QuestionType.likert,
        "could_if_life_depended": QuestionType.choice,
        "few_unwilling": QuestionType.likert,
        "motivation_widespread": QuestionType.likert,
        "training_tried": QuestionType.yes_no,
        "training_effect": QuestionType.choice,
        "performance_pay_possible": QuestionType.yes_no,
        "service_approach": QuestionType.choice,
        "staff_count": QuestionType.number,
    }
    for question_id, kind in expected.items():
        question = diagnostic.question(question_id)
        assert question is not None, question_id
        assert question.type is kind, question_id
    effect = diagnostic.question("training_effect")
    assert effect is not None
    assert effect.when == Condition(question="training_tried", equals=True)


def test_weights_are_one_or_two(diagnostic: Questionnaire) -> None:
    weights = set()
    for question in diagnostic.questions():
        weights |= {e.weight for e in question.evidence}
    assert weights <= {0.5, 1.0, 2.0}
    assert 2.0 in weights


# --- interventions -------------------------------------------------------------------------


def test_interventions_cover_themes_and_factors(
    interventions: InterventionCatalogue,
    factors: FactorCatalogue,
    characteristics: CharacteristicCatalogue,
) -> None:
    ids = [i.id for i in interventions.interventions]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 17
    assert set(ids) >= REQUIRED_INTERVENTIONS
    factor_ids = {f.id for f in factors.factors}
    characteristic_ids = {c.id for c in characteristics.characteristics}
    addressed: set[str] = set()
    for intervention in interventions.interventions:
        assert set(intervention.factors) <= factor_ids, intervention.id
        assert set(intervention.characteristics) <= characteristic_ids, intervention.id
        assert 2 <= _sentences(intervention.description) <= 4, intervention.id
        addressed |= set(intervention.factors)
    assert addressed == factor_ids
    strengthened = {c for i in interventions.interventions for c in i.characteristics}
    assert strengthened == characteristic_ids


def test_only_courses_are_training(interventions: InterventionCatalogue) -> None:
    training = {i.id for i in interventions.interventions if i.is_training}
    assert training == TRAINING_INTERVENTIONS


# --- triage -----------------------------------------------------------------------------------


def _triage_paths(triage: Questionnaire) -> Iterator[dict[str, Any]]:
    """Every complete way through the triage, as an answers dict."""

    def walk(index: int, answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
        questions = triage.questions()
        if index == len(questions):
            yield answers
            return
        question = questions[index]
        if not _is_asked(question, answers):
            yield from walk(index + 1, answers)
        elif question.type is QuestionType.choice:
            for option in question.options or ():
                yield from walk(index + 1, {**answers, question.id: option.id})
        else:
            yield from walk(index + 1, {**answers, question.id: "described"})

    return walk(0, {})


def _routes(triage: Questionnaire, answers: dict[str, Any]) -> list[Route]:
    routes = []
    for question in triage.questions():
        option = question.option(str(answers.get(question.id)))
        if option is not None and option.route is not None:
            routes.append(option.route)
    return routes


def test_triage_shape(triage: Questionnaire) -> None:
    assert (triage.id, triage.kind) == ("triage", "triage")
    questions = triage.questions()
    assert questions[0].type is QuestionType.text
    for question in questions:
        if question.type is QuestionType.choice:
            assert {o.id for o in question.options or ()} == {"yes", "no"}, question.id


def test_triage_walks_mager_and_pipe_order(triage: Questionnaire) -> None:
    order = [q.id for q in triage.questions() if q.type is QuestionType.choice]
    assert order == [
        "worth_pursuing",
        "expectations_clear",
        "resources_adequate",
        "performance_visible",
        "desired_punished",
        "poor_rewarded",
        "consequences_used",
        "could_do_if_life_depended",
        "used_to_do_it",
        "done_often",
        "can_simplify",
        "other_obstacles",
        "has_potential",
    ]


def test_every_triage_path_ends_in_exactly_one_route(triage: Questionnaire) -> None:
    paths = list(_triage_paths(triage))
    reached: set[Route] = set()
    for answers in paths:
        routes = _routes(triage, answers)
        assert len(routes) == 1, answers
        reached |= set(routes)
        # Nothing but free text is asked after the route has been found.
        route_step = next(
            i
            for i, q in enumerate(triage.questions())
            if (o := q.option(str(answers.get(q.id)))) is not None and o.route is not None
        )
        for question in triage.questions()[route_step + 1 :]:
            if question.id in answers:
                assert question.type is QuestionType.text, (question.id, answers)
    assert reached == set(Route)
    assert len(paths) == 14


# --- examples -----------------------------------------------------------------------------------


def _check_answers_match(questionnaire: Questionnaire, answers_file: AnswersFile) -> None:
    answers = answers_file.answers
    asked: dict[str, Any] = {}
    for question in questionnaire.questions():
        if _is_asked(question, asked):
            if question.required:
                assert question.id in answers, f"missing answer to {question.id}"
            if question.id in answers:
                assert _valid_value(question, answers[question.id]), question.id
                asked[question.id] = answers[question.id]
        else:
            assert question.id not in answers, f"{question.id} would not be asked"
    assert set(answers) == set(asked)
    assert set(answers_file.notes) <= set(asked)


@pytest.mark.parametrize(("name", "scope"), sorted(DIAGNOSTIC_EXAMPLES.items()))
def test_diagnostic_examples_answer_what_is_asked(
    name: str, scope: Scope, diagnostic: Questionnaire
) -> None:
    answers_file = _load(EXAMPLES / name, AnswersFile)
    assert answers_file.organisation
    assert answers_file.respondent is not None
    _check_answers_match(diagnostic, answers_file)
    assert answers_file.answers["problem_scope"] == scope.value


def test_trained_demotivated_example_tells_its_story() -> None:
    answers = _load(EXAMPLES / "answers-trained-demotivated.yaml", AnswersFile).answers
    assert answers["training_tried"] is True
    assert answers["training_effect"] == "no_change"
    assert answers["performance_pay_possible"] is False
    assert answers["goals_clear"] == 4
    assert answers["motivation_widespread"] == 5
    assert answers["few_unwilling"] in (1, 2)


def test_triage_example_routes_to_feedback(triage: Questionnaire) -> None:
    answers_file = _load(EXAMPLES / "answers-triage-feedback.yaml", AnswersFile)
    _check_answers_match(triage, answers_file)
    assert _routes(triage, answers_file.answers) == [Route.give_feedback]

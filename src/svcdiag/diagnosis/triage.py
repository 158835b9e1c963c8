"""Read a triage questionnaire (Mager & Pipe's flow) to the route it reaches.

Options of a triage questionnaire carry a ``route``. The routes chosen, in the
order the questions are asked, are the fixes the flow points to; the first one
is the main route, except that "not worth pursuing" ends the analysis whatever
else was answered. Training, when reached alongside faster fixes, comes after
them: they may remove the need for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from svcdiag.diagnosis.evidence import UNKNOWN
from svcdiag.models.analysis import AnswerValue, RouteFinding, Triage
from svcdiag.models.questionnaire import OPTION_TYPES, Questionnaire, Route

#: Each route's title and what it asks the organisation to do.
ROUTES: dict[Route, tuple[str, str]] = {
    Route.not_worth_pursuing: (
        "Not worth pursuing",
        "Closing the gap would cost more than the gap itself; record the decision and "
        "look again if things change.",
    ),
    Route.clarify_expectations: (
        "Make expectations clear",
        "People are not sure what is expected of them; say it plainly and show what good "
        "looks like.",
    ),
    Route.give_feedback: (
        "Give feedback",
        "People cannot see how well they are doing; give them regular, specific "
        "feedback on their results.",
    ),
    Route.provide_resources: (
        "Provide the resources",
        "Tools, time, information or authority are missing; supply them before asking "
        "for better performance.",
    ),
    Route.fix_consequences: (
        "Fix the consequences",
        "Doing the job well goes unnoticed or is penalised, or poor work is rewarded; "
        "change what follows good and poor performance.",
    ),
    Route.remove_obstacles: (
        "Remove the obstacles",
        "Something in the way of the work blocks good performance; find it and take it away.",
    ),
    Route.arrange_practice: (
        "Arrange practice",
        "The person knew how but the skill has faded through lack of use; arrange "
        "regular practice with feedback, not a course.",
    ),
    Route.train: (
        "Train",
        "The person genuinely does not know how, and no simpler fix will do; train them "
        "in exactly the missing skill.",
    ),
    Route.redesign_job: (
        "Simplify the task",
        "The task is harder than it needs to be; simplify it or redesign the job before "
        "anything else.",
    ),
    Route.reconsider_selection: (
        "Reconsider the placement",
        "The person may not have the potential for this job; consider a role that fits "
        "them better.",
    ),
}


def has_routes(questionnaire: Questionnaire) -> bool:
    """Whether any option of the questionnaire points to a route."""
    return any(opt.route for q in questionnaire.questions() for opt in q.options or ())


def route_findings(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> list[RouteFinding]:
    """Every route the answers reach, in the order the questions are asked."""
    found: list[RouteFinding] = []
    for question in questionnaire.questions():
        value = answers.get(question.id)
        if question.type not in OPTION_TYPES or value is None or value == UNKNOWN:
            continue
        chosen = value if isinstance(value, list) else [value]
        for option_id in chosen:
            opt = question.option(str(option_id))
            if opt is None or opt.route is None:
                continue
            title, advice = ROUTES[opt.route]
            found.append(
                RouteFinding(
                    route=opt.route,
                    title=title,
                    advice=advice,
                    question=question.id,
                    answer_text=opt.label,
                )
            )
    return found


def triage(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> Triage | None:
    """The route a triage questionnaire's answers reach, and why; None without routes."""
    if not has_routes(questionnaire):
        return None
    found = route_findings(questionnaire, answers)
    if not found:
        return Triage(
            route=None,
            title="No route reached",
            reasons=[
                "None of the answers leads to a route of the performance analysis; answer "
                "the remaining questions, or check that the gap has been described."
            ],
        )
    stop = next((f for f in found if f.route is Route.not_worth_pursuing), None)
    main = stop or found[0]
    reasons = [
        f"The answer to {main.question} ('{main.answer_text}') leads to: {main.title}. "
        f"{main.advice}"
    ]
    others = [f for f in found if f is not main]
    if stop is not None and others:
        reasons.append(
            "Because the gap is not worth pursuing, the other routes reached are listed for "
            "the record only."
        )
    else:
        reasons.extend(
            f"Also indicated by {f.question} ('{f.answer_text}'): {f.title}." for f in others
        )
        if main.route is Route.train:
            reasons.append(
                "Training is the route because the earlier answers rule out the faster "
                "fixes: expectations, feedback, resources and consequences."
            )
        elif any(f.route is Route.train for f in others):
            reasons.append(
                "Training is indicated too, but only after the fixes above: they may remove "
                "the need for it."
            )
    return Triage(route=main.route, title=main.title, reasons=reasons, routes=found)

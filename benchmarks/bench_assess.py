"""Benchmark: the overhead of one answer in ``svcdiag assess`` at 200 questions.

Per answer the assessment validates the value, sets it, re-evaluates every
``when`` condition (dropping answers that no longer apply), finds the next
open question and its progress, and saves the session atomically (temporary
file, fsync, rename). This script answers a generated 200-question
questionnaire (a third of its questions conditional, some in chains) and
times each step. Target: under 10 ms per answer.

Prints a table; asserts nothing. Run: python benchmarks/bench_assess.py [--questions N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from svcdiag.assess.answers import validate_answer
from svcdiag.assess.flow import Flow
from svcdiag.assess.interactive import Assessment
from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.models.findings import AnswerValue
from svcdiag.models.questionnaire import Question, Questionnaire

TYPES = ["likert", "scale", "yes_no", "choice", "multi_choice", "number", "text"]


def _question(i: int) -> dict[str, Any]:
    kind = TYPES[i % len(TYPES)]
    q: dict[str, Any] = {"id": f"q{i:03d}", "text": f"Question {i}?", "type": kind}
    if kind in ("choice", "multi_choice"):
        q["options"] = [{"id": f"o{k}", "label": f"Option {k}"} for k in range(5)]
    if kind == "number":
        q |= {"min": 0, "max": 1000}
    if i % 3 == 2 and i >= 7:
        # conditional on an earlier likert or scale question; every ninth is a chain
        target = i - 7 if i % 9 == 8 else (i // 7) * 7
        q["when"] = {
            "any": [
                {"question": f"q{target:03d}", "at_least": 2},
                {"not": {"question": f"q{max(i - 2, 0):03d}", "answered": True}},
            ]
        }
    return q


def generate(count: int) -> Questionnaire:
    sections = [
        {
            "id": f"s{s}",
            "title": f"Section {s}",
            "questions": [_question(i) for i in range(s * 20, min((s + 1) * 20, count))],
        }
        for s in range((count + 19) // 20)
    ]
    return Questionnaire.model_validate(
        {"schema_version": 1, "id": "bench", "version": "1", "title": "Bench", "sections": sections}
    )


def _value(question: Question) -> object:
    return {
        "likert": "4",
        "scale": "7",
        "yes_no": True,
        "choice": "o2",
        "multi_choice": ["o1", "o3"],
        "number": "250",
        "text": "A few words the client said about this question, as typed by the consultant.",
    }[question.type.value]


def run(count: int, home: Path) -> dict[str, list[float]]:
    questionnaire = generate(count)
    flow = Flow(questionnaire)
    store = SessionStore(home)
    now = datetime.now(timezone.utc)
    session = Session(
        id="bench-session",
        questionnaire=SessionQuestionnaire(ref="bench", id="bench", version="1", sha256="0" * 64),
        organisation="Bench Ltd",
        started=now,
        updated=now,
    )
    assessment = Assessment(session, flow, store)
    times: dict[str, list[float]] = {"total": [], "conditions": [], "save": []}
    question = assessment.next_open()
    while question is not None:
        start = time.perf_counter()
        value: AnswerValue = validate_answer(question, _value(question))
        assessment.answer(question.id, value)  # set, prune by conditions, save
        following = assessment.next_open(after=question.id)
        if following is not None:
            flow.progress(following.id, session.answers)
        times["total"].append((time.perf_counter() - start) * 1000)
        # the two parts again, separately, on the same state
        start = time.perf_counter()
        flow.set_answer(session.answers, question.id, value)
        flow.applicable(session.answers)
        times["conditions"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.save(session)
        times["save"].append((time.perf_counter() - start) * 1000)
        question = following
    return times


def _row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"| {name:<40} | {len(values):>7} | {statistics.fmean(values):>7.3f} | "
        f"{statistics.median(values):>7.3f} | {p95:>7.3f} | {max(values):>7.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        times = run(args.questions, Path(home))
    print(f"Per-answer overhead, {args.questions}-question questionnaire (ms)")
    print(f"| {'step':<40} | {'answers':>7} | {'mean':>7} | {'p50':>7} | {'p95':>7} | {'max':>7} |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    print(_row("conditions: set, prune, applicable", times["conditions"]))
    print(_row("autosave: atomic write, fsync, rename", times["save"]))
    print(_row("whole answer (validate to next question)", times["total"]))


if __name__ == "__main__":
    main()

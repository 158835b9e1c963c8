"""The client's own words: free-text answers and the consultant's notes.

The report leads with them, beside the verdict, because how a client
describes the problem often shows whether they already see it as a people
problem or a system problem.
"""

from __future__ import annotations

from collections.abc import Mapping

from svcdiag.diagnosis.evidence import describe_answer
from svcdiag.models.analysis import AnswerValue, Quote
from svcdiag.models.questionnaire import Questionnaire, QuestionType


def client_words(
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerValue],
    notes: Mapping[str, str],
) -> list[Quote]:
    """Every free-text answer, then every note, in questionnaire order."""
    quotes: list[Quote] = []
    noted: list[Quote] = []
    for section in questionnaire.sections:
        for question in section.questions:
            value = answers.get(question.id)
            if (
                question.type is QuestionType.text
                and isinstance(value, str)
                and value.strip()
                and value != "unknown"
            ):
                quotes.append(Quote(question=question.id, text=question.text, words=value))
            note = notes.get(question.id)
            if note and note.strip():
                shown = describe_answer(question, value) if value is not None else None
                noted.append(
                    Quote(
                        question=question.id,
                        text=question.text,
                        words=note,
                        kind="note",
                        answer_text=shown,
                    )
                )
    known = {q.id for s in questionnaire.sections for q in s.questions}
    noted.extend(
        Quote(question=qid, text=qid, words=note, kind="note")
        for qid, note in notes.items()
        if qid not in known and note.strip()
    )
    return quotes + noted

"""A scripted prompter: each step names what must be asked and what to reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from svcdiag.assess.flow import Progress
from svcdiag.assess.interactive import Nav
from svcdiag.models.findings import AnswerValue, Role
from svcdiag.models.questionnaire import Question

Reply = Any  # a value, a Nav, or a callable raising an exception


@dataclass
class FakePrompter:
    script: list[tuple[str, Reply]]
    said: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    asked: list[tuple[str, AnswerValue | None, str | None, int, int]] = field(default_factory=list)

    def _next(self, what: str) -> Reply:
        assert self.script, f"nothing scripted for {what}"
        expected, reply = self.script.pop(0)
        assert expected == what, f"asked {what}, script expected {expected}"
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, Callable):  # type: ignore[arg-type]
            return reply()
        return reply

    def ask_organisation(self, default: str | None) -> str | Nav:
        return self._next("organisation")

    def ask_role(self, default: Role | None) -> Role | Nav:
        return self._next("role")

    def ask_consultant(self, default: str | None) -> str | Nav | None:
        return self._next("consultant")

    def show_section(self, progress: Progress) -> None:
        self.sections.append(progress.section.id)

    def ask(
        self, question: Question, progress: Progress, current: AnswerValue | None, note: str | None
    ) -> AnswerValue | Nav:
        self.asked.append((question.id, current, note, progress.number, progress.total))
        return self._next(question.id)

    def ask_note(self, question: Question, current: str | None) -> str | None:
        return self._next(f"note:{question.id}")

    def say(self, message: str) -> None:
        self.said.append(message)

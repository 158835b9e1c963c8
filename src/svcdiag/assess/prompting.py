"""The terminal prompts of ``svcdiag assess``: the only module that imports questionary.

:class:`QuestionaryPrompter` implements :class:`svcdiag.assess.interactive.Prompter`.
Each question type gets the prompt that is quickest to answer during a call:

* likert: a list of the five agreement labels; keys 1-5 jump to a label;
* yes_no: Yes / No (keys y and n); choice: a list of the option labels;
* multi_choice: a checklist (space ticks, enter confirms); an exclusive
  option cannot be ticked with others;
* scale (0-10), number and text: typed, checked as you type.

``allow_unknown`` adds "Don't know / not applicable" (type ``?`` at a typed
prompt); an optional question can be skipped ("Skip", or an empty answer).
Every prompt takes Ctrl-B (back to the previous question) and Ctrl-N (add or
change a note); lists also offer "« Back" and "✎ Note" entries. The current
answer, or the default, is pre-selected. After a note the question comes back
as it was left: typed text still in the input, the same option pointed at,
the same boxes ticked. Typed answers are checked with
:func:`svcdiag.assess.answers.validate_answer`, the function that checks answers files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from svcdiag.assess.answers import problem_with
from svcdiag.assess.interactive import Nav
from svcdiag.assess.prompt_text import (
    TYPED_UNKNOWN,
    as_text,
    prompt_problem,
    ticked_text,
    typed_hint,
    wrap_prompt,
)
from svcdiag.models.findings import UNKNOWN, AnswerValue, Role
from svcdiag.models.questionnaire import LIKERT_LABELS, Question, QuestionType

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from rich.console import Console

    from svcdiag.assess.flow import Progress

KEYS = "Ctrl-B back · Ctrl-N note"
UNKNOWN_LABEL = "Don't know / not applicable"
SKIP_LABEL = "Skip (leave unanswered)"
BACK_LABEL = "« Back"
NOTE_LABEL = "✎ Note"
#: Options beyond this get no key: questionary's keys would reach j and k (up/down).
_MAX_SHORTCUTS = 19


@dataclass(frozen=True)
class _Draft:
    """What a prompt held when Ctrl-N left it: typed text, or pointer and ticks."""

    text: str = ""
    pointed: Any = None
    ticked: list[Any] = field(default_factory=list)
    is_list: bool = False


class QuestionaryPrompter:
    """Ask questions in a terminal with questionary (prompt_toolkit underneath).

    Args:
        input: A prompt_toolkit input (tests pass a pipe input).
        output: A prompt_toolkit output (tests pass a DummyOutput).
        echo: Prints a line of talk (section titles, help, progress);
            by default to stderr through Rich.
    """

    def __init__(
        self,
        *,
        input: Input | None = None,
        output: Output | None = None,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output
        self._echo = echo or _stderr_echo()
        self._left: _Draft | None = None  # captured by Ctrl-N, kept for the question
        self._drafts: dict[str, _Draft] = {}

    @classmethod
    def on_terminal(cls) -> QuestionaryPrompter:
        """A prompter that draws on the terminal, keeping stdout clean when it is not one.

        When stdout is piped or redirected (``svcdiag assess -f json > out.json``)
        the prompts are drawn on stderr, so that stdout holds nothing but the
        report; when stderr is redirected instead, the talk goes to stdout.
        """
        import sys

        if sys.stdout.isatty():
            echo = None if sys.stderr.isatty() else _console_echo(sys.stdout)
            return cls(echo=echo)
        from prompt_toolkit.output import create_output

        return cls(output=create_output(stdout=sys.stderr))

    # -- details -----------------------------------------------------------

    def ask_organisation(self, default: str | None) -> str | Nav:
        """Ask for the client organisation (required)."""
        import questionary

        def check(text: str) -> bool | str:
            return bool(text.strip()) or "the organisation is needed for the findings"

        question = questionary.text(
            "Organisation:", default=default or "", validate=check, **self._io
        )
        reply = self._run(question, note=False)
        return reply if isinstance(reply, Nav) else str(reply).strip()

    def ask_role(self, default: Role | None) -> Role | Nav:
        """Ask for the respondent's role."""
        import questionary

        choices = [questionary.Choice(role.value.capitalize(), role) for role in Role]
        question = questionary.select(
            "Respondent's role:",
            choices=[*choices, *self._nav_choices()],
            default=default,
            instruction="(arrows, Enter · Ctrl-B back)",
            use_emacs_keys=False,
            **self._io,
        )
        reply = self._run(question, note=False)
        return reply if isinstance(reply, (Nav, Role)) else Role(reply)

    def ask_consultant(self, default: str | None) -> str | Nav | None:
        """Ask for the consultant's name (optional)."""
        import questionary

        question = questionary.text(
            "Consultant (optional):", default=default or "", instruction="", **self._io
        )
        reply = self._run(question, note=False)
        if isinstance(reply, Nav):
            return reply
        return str(reply).strip() or None

    # -- questions ---------------------------------------------------------

    def show_section(self, progress: Progress) -> None:
        """Print the section title and description as the section starts."""
        section = progress.section
        self._echo(
            f"\n[bold]Section {progress.section_number} of {progress.section_count}: "
            f"{_escape(section.title)}[/]"
        )
        if section.description:
            self._echo(f"[dim]{_escape(section.description.strip())}[/]")

    def ask(
        self,
        question: Question,
        progress: Progress,
        current: AnswerValue | None,
        note: str | None,
    ) -> AnswerValue | Nav:
        """Ask ``question``; return the raw answer or BACK, NOTE or SKIP."""
        self._echo(
            f"\n[dim]{_escape(progress.section.title)} · question {progress.number} "
            f"of {progress.total} · {question.id}[/]"
        )
        if question.help:
            self._echo(f"[italic]{_escape(question.help.strip())}[/]")
        if note:
            self._echo(f"[dim]✎ note: {_escape(note)}[/]")
        if current is not None and problem_with(question, current) is not None:
            current = None
        builder = {
            QuestionType.likert: self._likert,
            QuestionType.yes_no: self._yes_no,
            QuestionType.choice: self._choice,
            QuestionType.multi_choice: self._multi,
        }.get(question.type, self._typed)
        draft = self._drafts.pop(question.id, None)
        self._drafts.clear()
        self._left = None
        reply = builder(question, current, draft)
        if reply is Nav.NOTE and self._left is not None:
            self._drafts[question.id] = self._left
        return reply

    def ask_note(self, question: Question, current: str | None) -> str | None:
        """Ask for a note; an empty note removes it, Ctrl-B keeps the old one."""
        import questionary

        message, hint = self._layout(
            f"Note on {question.id}:", "(what the client said; empty removes it; Ctrl-B cancels)"
        )
        prompt = questionary.text(
            message,
            default=current or "",
            instruction=hint,
            **self._io,
        )
        reply = self._run(prompt, note=False)
        if isinstance(reply, Nav):
            return current
        return str(reply).strip() or None

    def say(self, message: str) -> None:
        """Print a message to the consultant."""
        self._echo(f"[yellow]{_escape(message)}[/]")

    # -- prompt builders ---------------------------------------------------

    def _likert(
        self, question: Question, current: AnswerValue | None, draft: _Draft | None
    ) -> AnswerValue | Nav:
        import questionary

        choices = [
            questionary.Choice(label, value, shortcut_key=str(value))
            for value, label in enumerate(LIKERT_LABELS, start=1)
        ]
        return self._select(question, choices, current, "1-5", draft)

    def _yes_no(
        self, question: Question, current: AnswerValue | None, draft: _Draft | None
    ) -> AnswerValue | Nav:
        import questionary

        choices = [
            questionary.Choice("Yes", True, shortcut_key="y"),
            questionary.Choice("No", False, shortcut_key="n"),
        ]
        return self._select(question, choices, current, "y/n", draft)

    def _choice(
        self, question: Question, current: AnswerValue | None, draft: _Draft | None
    ) -> AnswerValue | Nav:
        import questionary

        options = question.options or []
        shortcuts = len(options) <= _MAX_SHORTCUTS
        choices = [
            questionary.Choice(
                opt.label, opt.id, description=opt.help, shortcut_key=shortcuts or False
            )
            for opt in options
        ]
        keys = f"1-{len(options)}" if len(options) <= 9 else "1-9, a, b..."
        return self._select(question, choices, current, keys if shortcuts else "", draft)

    def _select(
        self,
        question: Question,
        choices: list[Any],
        current: AnswerValue | None,
        keys: str,
        draft: _Draft | None,
    ) -> AnswerValue | Nav:
        import questionary

        extra = []
        if question.allow_unknown:
            extra.append(questionary.Choice(UNKNOWN_LABEL, UNKNOWN, shortcut_key=False))
        if not question.required:
            extra.append(questionary.Choice(SKIP_LABEL, Nav.SKIP, shortcut_key=False))
        hint = f"({keys} or arrows, Enter · {KEYS})" if keys else f"(arrows, Enter · {KEYS})"
        every = [*choices, *extra, *self._nav_choices(note=True)]
        pointed = None if isinstance(current, list) else current
        if draft is not None and draft.is_list:
            pointed = draft.pointed
        message, hint = self._layout(question.text, hint)
        prompt = questionary.select(
            message,
            choices=every,
            default=pointed,  # type: ignore[arg-type]
            instruction=hint,
            use_shortcuts=bool(keys),
            use_emacs_keys=False,
            **self._io,
        )
        reply: AnswerValue | Nav = self._run(prompt)
        return reply

    def _multi(
        self, question: Question, current: AnswerValue | None, draft: _Draft | None
    ) -> AnswerValue | Nav:
        import questionary

        chosen = set(current) if isinstance(current, list) else set()
        if current == UNKNOWN:
            chosen = {UNKNOWN}
        if draft is not None and draft.is_list:
            chosen = set(draft.ticked)
        choices = [
            questionary.Choice(
                opt.label + (" (only on its own)" if opt.exclusive else ""),
                opt.id,
                checked=opt.id in chosen,
                description=opt.help,
            )
            for opt in question.options or []
        ]
        if question.allow_unknown:
            choices.append(questionary.Choice(UNKNOWN_LABEL, UNKNOWN, checked=UNKNOWN in chosen))

        def check(selected: list[str]) -> bool | str:
            if UNKNOWN in selected:
                return len(selected) == 1 or f"{UNKNOWN_LABEL} goes on its own"
            problem = problem_with(question, selected)
            return True if problem is None else prompt_problem(question, problem, self._columns())

        message, hint = self._layout(question.text, f"(space ticks, enter confirms · {KEYS})")
        prompt = questionary.checkbox(
            message,
            choices=choices,
            validate=check,
            initial_choice=draft.pointed if draft is not None and draft.is_list else None,
            instruction=hint,
            use_emacs_keys=False,
            **self._io,
        )
        reply = self._run(prompt)
        if isinstance(reply, list) and reply == [UNKNOWN]:
            return UNKNOWN
        if isinstance(reply, list):  # questionary says only "done (3 selections)"
            self._echo(f"[dim]  {_escape(ticked_text(question, reply))}[/]")
        return reply  # type: ignore[no-any-return]

    def _typed(
        self, question: Question, current: AnswerValue | None, draft: _Draft | None
    ) -> AnswerValue | Nav:
        """Typed answers: text is pre-filled for editing; numbers are kept by Enter."""
        import questionary

        editable = question.type is QuestionType.text and current not in (None, UNKNOWN)
        kept = None if editable or current is None else as_text(current)

        def interpret(text: str) -> AnswerValue | Nav:
            stripped = text.strip()
            if not stripped and kept is not None:
                stripped = kept
            if question.allow_unknown and stripped == TYPED_UNKNOWN:
                return UNKNOWN
            if not stripped and not question.required:
                return Nav.SKIP
            return stripped

        def check(text: str) -> bool | str:
            value = interpret(text)
            if isinstance(value, Nav) or value == UNKNOWN:
                return True
            if not value:
                return "an answer is needed"
            problem = problem_with(question, value)
            return True if problem is None else prompt_problem(question, problem, self._columns())

        prefilled = as_text(current) if editable and current is not None else ""
        if draft is not None and draft.text:
            prefilled = draft.text
        message, hint = self._layout(question.text, f"{typed_hint(question, kept)}({KEYS})")
        prompt = questionary.text(
            message,
            default=prefilled,
            validate=check,
            instruction=hint,
            **self._io,
        )
        reply = self._run(prompt)
        return reply if isinstance(reply, Nav) else interpret(str(reply))

    # -- plumbing ----------------------------------------------------------

    def _columns(self) -> int:
        output = self._io.get("output")
        if output is not None:
            return int(output.get_size().columns)
        import shutil

        return shutil.get_terminal_size().columns

    def _layout(self, text: str, hint: str) -> tuple[str, str]:
        """The question wrapped between words to the terminal, and the hint below it."""
        return wrap_prompt(text, hint, self._columns())

    def _nav_choices(self, *, note: bool = False) -> list[Any]:
        import questionary

        entries = [
            questionary.Separator(" "),
            questionary.Choice(BACK_LABEL, Nav.BACK, shortcut_key=False),
        ]
        if note:
            entries.append(questionary.Choice(NOTE_LABEL, Nav.NOTE, shortcut_key=False))
        return entries

    def _run(self, prompt: Any, *, note: bool = True) -> Any:
        """Run a questionary prompt with Ctrl-B (and Ctrl-N) bound; raise on Ctrl-C."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        bindings = KeyBindings()

        @bindings.add("c-b", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=Nav.BACK)

        if note:

            @bindings.add("c-n", eager=True)
            def _note(event: Any) -> None:
                self._left = _capture(event.app)
                event.app.exit(result=Nav.NOTE)

        app = prompt.application
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
        reply = prompt.unsafe_ask()
        if reply is Nav.BACK:
            self._echo("[dim]« back[/]")
        return reply


def _capture(app: Any) -> _Draft:
    """What the prompt of ``app`` holds: the pointed and ticked entries, or the text."""
    from questionary.prompts.common import InquirerControl

    for control in app.layout.find_all_controls():
        if isinstance(control, InquirerControl):
            pointed = control.get_pointed_at()
            return _Draft(
                pointed=pointed.value if pointed is not None else None,
                ticked=list(control.selected_options),
                is_list=True,
            )
    return _Draft(text=app.current_buffer.text)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _stderr_echo() -> Callable[[str], None]:
    from svcdiag.console import stderr_console

    return _echo_on(stderr_console())


def _console_echo(stream: TextIO) -> Callable[[str], None]:
    from svcdiag.console import stdout_console

    return _echo_on(stdout_console(file=stream))


def _echo_on(console: Console) -> Callable[[str], None]:
    def echo(line: str) -> None:
        console.print(line, soft_wrap=False)  # wrap help text at word boundaries

    return echo

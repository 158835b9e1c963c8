"""The questionary prompts, driven through prompt_toolkit's pipe input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from svcdiag.assess.flow import Flow
from svcdiag.assess.interactive import Nav
from svcdiag.assess.prompting import QuestionaryPrompter
from svcdiag.models.findings import UNKNOWN, Role

ENTER, DOWN, UP, CTRL_B, CTRL_N = "\r", "\x1b[B", "\x1b[A", "\x02", "\x0e"


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


class Harness:
    def __init__(self, pipe: PipeInput, flow: Flow) -> None:
        self.pipe = pipe
        self.flow = flow
        self.lines: list[str] = []
        self.prompter = QuestionaryPrompter(
            input=pipe, output=DummyOutput(), echo=self.lines.append
        )

    def ask(
        self,
        qid: str,
        keys: str,
        current: object = None,
        note: str | None = None,
        answers: dict | None = None,
    ):
        self.pipe.send_text(keys)
        question = self.flow.question(qid)
        progress = self.flow.progress(qid, answers or {})
        return self.prompter.ask(question, progress, current, note)  # type: ignore[arg-type]


@pytest.fixture
def h(pipe: PipeInput, flow: Flow) -> Harness:
    return Harness(pipe, flow)


@pytest.mark.parametrize(
    ("qid", "keys", "current", "expected"),
    [
        ("crm_rating", "4" + ENTER, None, 4),
        ("crm_rating", DOWN + DOWN + ENTER, None, 3),
        ("crm_rating", ENTER, 5, 5),  # the current answer is pre-selected
        ("board_vision", DOWN * 5 + ENTER, None, UNKNOWN),  # the sixth entry: don't know
        ("has_crm", "n" + ENTER, None, False),
        ("has_crm", ENTER, None, True),
        ("has_crm", ENTER, False, False),
        ("has_crm", DOWN * 2 + ENTER, None, UNKNOWN),
        ("problem_scope", "3" + ENTER, None, "few_individuals"),
        ("problem_scope", ENTER, "none", "none"),
        ("trial_agreed", DOWN * 3 + ENTER, None, Nav.SKIP),  # optional: skip entry after options
        ("problem_scope", DOWN * 4 + ENTER, None, Nav.BACK),  # the « Back entry
        ("problem_scope", DOWN * 5 + ENTER, None, Nav.NOTE),  # the ✎ Note entry
        ("channels", " " + DOWN + " " + ENTER, None, ["phone", "email"]),
        ("channels", ENTER, ["chat"], ["chat"]),
        ("nps_recommend", "8" + ENTER, None, "8"),
        ("nps_recommend", "?" + ENTER, None, UNKNOWN),
        ("nps_recommend", ENTER, 6, "6"),  # Enter keeps the current number
        ("nps_recommend", "7" + ENTER, 6, "7"),  # typing replaces it
        ("nps_recommend", ENTER, UNKNOWN, UNKNOWN),
        ("staff_count", ENTER, 10, "10"),
        ("biggest_issue", "!" + ENTER, "Queues", "Queues!"),  # text is pre-filled to edit
        ("staff_count", "1,200" + ENTER, None, "1,200"),
        ("crm_fix", ENTER, None, Nav.SKIP),  # optional text: empty skips
        ("biggest_issue", "Callbacks" + ENTER, None, "Callbacks"),
    ],
)
def test_each_type_returns_its_raw_answer(
    h: Harness, qid: str, keys: str, current: object, expected: object
):
    assert h.ask(qid, keys, current) == expected


@pytest.mark.parametrize(
    "qid",
    [
        "crm_rating",
        "has_crm",
        "problem_scope",
        "channels",
        "nps_recommend",
        "staff_count",
        "biggest_issue",
    ],
)
def test_ctrl_b_and_ctrl_n_work_on_every_prompt(h: Harness, qid: str):
    assert h.ask(qid, CTRL_B) is Nav.BACK
    assert h.ask(qid, CTRL_N) is Nav.NOTE


def test_typed_answers_are_checked_at_the_prompt(h: Harness):
    # 11 is refused (the prompt stays open), then 9 is accepted
    assert h.ask("nps_recommend", "11" + ENTER + "\x7f\x7f9" + ENTER) == "9"
    assert h.ask("staff_count", "0" + ENTER + "\x7f5" + ENTER) == "5"
    assert h.ask("biggest_issue", ENTER + "x" + ENTER) == "x"  # required: empty refused


def test_exclusive_option_refused_with_others(h: Harness):
    # tick phone and "none of these": refused; untick phone: accepted
    keys = " " + DOWN * 3 + " " + ENTER + UP * 3 + " " + ENTER
    assert h.ask("channels", keys) == ["no_channel"]


def test_help_progress_and_note_are_shown(h: Harness):
    h.ask("crm_rating", ENTER, note="said with a sigh", answers={"has_crm": True})
    assert h.lines == [
        "\n[dim]Basics · question 3 of 10 · crm_rating[/]",
        "[italic]1 strongly disagree, 5 strongly agree.[/]",
        "[dim]✎ note: said with a sigh[/]",
    ]
    h.lines.clear()
    h.prompter.show_section(h.flow.progress("problem_scope", {}))
    assert h.lines == ["\n[bold]Section 1 of 2: Basics[/]", "[dim]Where the problem sits.[/]"]


def test_invalid_current_value_is_not_preselected(h: Harness):
    assert h.ask("crm_rating", ENTER, current=9) == 1


def test_details_prompts(h: Harness, pipe: PipeInput):
    pipe.send_text(ENTER + "Acme Ltd" + ENTER)
    assert h.prompter.ask_organisation(None) == "Acme Ltd"  # empty refused first
    pipe.send_text(DOWN + DOWN + ENTER)
    assert h.prompter.ask_role(None) is Role.staff
    pipe.send_text(ENTER)
    assert h.prompter.ask_role(Role.customer) is Role.customer
    pipe.send_text(ENTER)
    assert h.prompter.ask_consultant(None) is None
    pipe.send_text(CTRL_B)
    assert h.prompter.ask_consultant("Jo") is Nav.BACK


def test_note_prompt(h: Harness, pipe: PipeInput):
    question = h.flow.question("has_crm")
    pipe.send_text(" They said yes, but " + ENTER)
    assert h.prompter.ask_note(question, None) == "They said yes, but"
    pipe.send_text(CTRL_B)
    assert h.prompter.ask_note(question, "kept") == "kept"
    pipe.send_text("\x7f" * 4 + ENTER)
    assert h.prompter.ask_note(question, "gone") is None


def test_ctrl_c_raises_keyboard_interrupt(h: Harness):
    with pytest.raises(KeyboardInterrupt):
        h.ask("crm_rating", "\x03")
    with pytest.raises(KeyboardInterrupt):
        h.ask("biggest_issue", "\x03")


def test_note_keeps_typed_text_for_the_question(h: Harness, pipe: PipeInput):
    # the order of the assessment loop: Ctrl-N, the note, the same question again
    assert h.ask("biggest_issue", "Nobody" + CTRL_N) is Nav.NOTE
    pipe.send_text("said twice" + ENTER)
    assert h.prompter.ask_note(h.flow.question("biggest_issue"), None) == "said twice"
    assert h.ask("biggest_issue", " calls back" + ENTER) == "Nobody calls back"
    # a number typed before Ctrl-N stays too, in place of the current answer
    assert h.ask("nps_recommend", "1" + CTRL_N, current=6) is Nav.NOTE
    assert h.ask("nps_recommend", "0" + ENTER, current=6) == "10"


def test_note_keeps_the_pointer_and_the_ticks(h: Harness):
    assert h.ask("problem_scope", DOWN + DOWN + CTRL_N) is Nav.NOTE
    assert h.ask("problem_scope", ENTER) == "few_individuals"
    # phone and email ticked, pointer on email; after the note: down to chat, tick it
    assert h.ask("channels", " " + DOWN + " " + CTRL_N) is Nav.NOTE
    assert h.ask("channels", DOWN + " " + ENTER) == ["phone", "email", "chat"]


def test_draft_is_only_for_the_question_it_was_typed_at(h: Harness):
    assert h.ask("biggest_issue", "Queues" + CTRL_N) is Nav.NOTE
    assert h.ask("crm_fix", ENTER) is Nav.SKIP  # another question: nothing pre-filled
    assert h.ask("biggest_issue", "x" + ENTER) == "x"  # and the draft is gone


def test_questions_wrap_between_words_with_the_keys_below(pipe: PipeInput):
    # an 80-column terminal breaks long lines mid-word; the prompts wrap first
    import io

    from prompt_toolkit.output.plain_text import PlainTextOutput

    from svcdiag.definitions.loading import load_questionnaire

    flow = Flow(load_questionnaire("diagnostic").questionnaire)
    screen = io.StringIO()
    output = PlainTextOutput(screen)
    assert output.get_size().columns == 80
    prompter = QuestionaryPrompter(input=pipe, output=output, echo=lambda line: None)
    long = [q for q in flow.questions if len(q.text) > 77][:6]
    assert len(long) == 6
    for question in long:
        screen.seek(0)
        screen.truncate()
        pipe.send_text(CTRL_B)
        prompter.ask(question, flow.progress(question.id, {}), None, None)
        lines = screen.getvalue().split("\r\n")
        keys = next(i for i, line in enumerate(lines) if line.endswith("Ctrl-N note)"))
        assert lines[0].startswith("? ")
        assert all(line.startswith("  ") for line in lines[1 : keys + 1])
        assert max(len(line) for line in lines[: keys + 1]) <= 80
        shown = " ".join(line[2:].strip() for line in lines[:keys])
        assert shown == " ".join(question.text.split()), question.id
        assert lines[keys].lstrip().startswith("(")


def test_a_multi_choice_answer_is_echoed_with_the_labels_ticked(h: Harness) -> None:
    # questionary alone says only "done (2 selections)"
    assert h.ask("channels", " " + DOWN + " " + ENTER) == ["phone", "email"]
    labels = [opt.label for opt in h.flow.question("channels").options or ()][:2]
    assert any(line.endswith(f"ticked: {'; '.join(labels)}[/]") for line in h.lines), h.lines

"""Prompt text layout: words are never split and lines fit the terminal."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.assess.prompt_text import INDENT, wrap_prompt

words = st.lists(st.from_regex(r"[A-Za-z',()-]{1,12}", fullmatch=True), min_size=1, max_size=40)


@given(words, words, st.integers(40, 200))
@settings(max_examples=200, deadline=None)
def test_wrapped_prompt_keeps_every_word_and_fits(
    question: list[str], hint: list[str], columns: int
) -> None:
    text, below = wrap_prompt(" ".join(question), " ".join(hint), columns)
    assert text.split() == question  # same words, none split or lost
    assert below.split() == hint
    assert below.startswith("\n" + INDENT)
    for line in text.split("\n")[1:] + below.split("\n")[1:]:
        assert line.startswith(INDENT)
    for line in (text + below).split("\n"):
        assert len(line) <= columns - 1


def test_short_prompt_stays_on_one_line() -> None:
    assert wrap_prompt("Ready?", "Ctrl-B back", 80) == ("Ready?", "\n  Ctrl-B back")

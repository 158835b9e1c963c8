from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from svcdiag.textsafe import for_csv, for_markdown, for_terminal, visible


def test_terminal_drops_escape_sequences_but_keeps_lines() -> None:
    hostile = "Acme\x1b]0;pwned\x07 Ltd\x1b]52;c;ZXZpbA==\x07\n\tok\x9b31m"
    assert for_terminal(hostile) == "Acme]0;pwned Ltd]52;c;ZXZpbA==\n\tok31m"


@given(st.text())
def test_terminal_output_has_no_control_characters(text: str) -> None:
    cleaned = for_terminal(text)
    assert all(ch in "\n\t" or not (ord(ch) < 32 or 127 <= ord(ch) <= 159) for ch in cleaned)


def test_markdown_cannot_start_a_heading_or_inject_html() -> None:
    hostile = "fine\n# Heading\n<script>alert(1)</script> [x](javascript:alert(1))"
    assert for_markdown(hostile) == (
        r"fine \# Heading \<script\>alert(1)\</script\> \[x\](javascript:alert(1))"
    )


@given(st.text())
def test_markdown_is_one_line_with_no_raw_angle_brackets(text: str) -> None:
    out = for_markdown(text)
    assert "\n" not in out
    assert all(out[i - 1] == "\\" for i, ch in enumerate(out) if ch in "<>[]#`|")


def test_csv_neutralises_formulas_only() -> None:
    assert for_csv("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert for_csv("+1") == "'+1"
    assert for_csv("-1") == "'-1"
    assert for_csv("@SUM(A1)") == "'@SUM(A1)"
    assert for_csv("North branch") == "North branch"


def test_markdown_escapes_a_leading_block_marker_only() -> None:
    assert for_markdown("- item") == r"\- item"
    assert for_markdown("1. first") == r"1\. first"
    assert for_markdown("> quote") == r"\> quote"
    assert for_markdown("score 62.5 - fine") == "score 62.5 - fine"


def test_some_names_names_a_few_and_counts_the_rest() -> None:
    from svcdiag.textsafe import some_names

    assert some_names([]) == ""
    assert some_names(["A", "B"]) == "A, B"
    names = [f"U{i}" for i in range(2_013)]
    assert some_names(names, most=3) == "U0, U1, U2 and 2,010 more"
    assert some_names(names[:10]) == ", ".join(names[:10])
    assert some_names(names[:11]) == ", ".join(names[:10]) + " and 1 more"
    assert some_names(names[:3], 3, total=50) == "U0, U1, U2 and 47 more"


#: Format characters that shape what is drawn, and so are left in names.
SHAPING = {0x200C, 0x200D, *range(0x600, 0x606), 0x6DD, 0x70F, 0x890, 0x891, 0x8E2}
SHAPING |= {0x110BD, 0x110CD, *range(0x13430, 0x13439), *range(0xE0020, 0xE0080)}


@given(st.text())
def test_visible_leaves_nothing_a_terminal_draws_as_nothing(text: str) -> None:
    """No control, line separator or invisible format character is left in a name shown."""
    shown = visible(text)
    for ch in shown:
        category = unicodedata.category(ch)
        assert category not in {"Cc", "Zl", "Zp"}, repr(ch)
        assert category != "Cf" or ord(ch) in SHAPING, repr(ch)


def test_visible_escapes_invisible_characters_and_keeps_joiners() -> None:
    assert visible("\ufeffNorth\u200b") == "\\ufeffNorth\\u200b"
    assert visible("n\xadorth\U000e0001") == "n\\xadorth\\U000e0001"
    assert visible("\u0646\u200c\u0645") == "\u0646\u200c\u0645"  # ZWNJ kept

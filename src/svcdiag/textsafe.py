"""Make text from users and client files safe for where it is written.

Every value that came from a findings file, an answers file, a questionnaire
or a client's data passes through one of these before it is printed or
written:

* :func:`for_terminal`: drops every C0 and C1 control character except
  newline and tab, so escape sequences (colours, OSC window titles, OSC 52
  clipboard writes) never reach the terminal;
* :func:`for_markdown`: the same, then escapes the characters that Markdown
  or raw HTML would read as syntax, and folds newlines so that a value can
  never start a heading, a list or an HTML block;
* :func:`for_csv`: neutralises spreadsheet formulas (OWASP: a cell starting
  with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
  single quote).
"""

from __future__ import annotations

import re

#: C0 controls except tab and newline, DEL, and the C1 range.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters Markdown (CommonMark, GitHub) reads as syntax anywhere in running text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
#: What opens a block (list item, quote, numbered item) at the start of a value.
_MARKDOWN_BLOCK_START = re.compile(r"^([-+>]|\d+[.)])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str) -> str:
    """Return ``text`` without control characters other than newline and tab."""
    return _CONTROL.sub("", text)


def for_markdown(text: str) -> str:
    """Return ``text`` as inert Markdown: on one line, every syntax character escaped."""
    flat = " ".join(for_terminal(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    return _MARKDOWN_BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def for_csv(text: str) -> str:
    """Return ``text`` so that a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text

"""How a signed figure (an NPS, a z-score, a difference) is written for people to read."""

from __future__ import annotations


def signed(value: float, digits: int = 1) -> str:
    """``value`` with its sign and ``digits`` decimals; one that rounds to zero is ``+0.0``.

    Python writes -0.04 to one decimal as ``-0.0``, which reads as a fall
    that is not there. (Python 3.11's ``z`` format option does this, but
    3.10 is still supported.)
    """
    text = f"{value:+.{digits}f}"
    return "+" + text[1:] if text.startswith("-") and float(text) == 0 else text

"""A check of a whole saved result that fails at one part of it, and says which.

A result's own validator checks its units or points in one loop (a
validator on each would run again for every item put in a list), so
pydantic reports the failure at the whole result, line 1 of the file. The
check raises :class:`PartError` instead, which keeps the part's path, so
that the reader of the file can name the part's own line.
"""

from __future__ import annotations


class PartError(ValueError):
    """A part of a result that contradicts itself: ``units.3 ('AG04'): ...``.

    Attributes:
        loc: The part's path in the result, as pydantic gives a field's
            (``("series", 0, "points", 2)``).
    """

    def __init__(self, loc: tuple[str | int, ...], detail: str) -> None:
        """Name the part at ``loc``; ``detail`` follows its dotted path."""
        super().__init__(".".join(str(part) for part in loc) + detail)
        self.loc = loc

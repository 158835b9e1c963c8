"""Which format a file is written in: the one asked for, or the one its name says.

One rule for every command that writes a file (``report``, ``engagement
report``, ``nps``, ``variation``, ``trend``, ``survey export``):

* without ``--format``, the file's suffix names the format (``-o out.pdf``
  writes a PDF); a suffix that names none is refused, since a consultant
  would otherwise send a client terminal text called ``out.csv``;
* a ``--format`` that contradicts the suffix (Markdown into ``out.pdf``) is
  refused, since the file would not open as what its name says;
* a suffix that names no format (``.txt``, or one of ``any_text``) takes the
  format asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import TypeVar

from svcdiag.errors import UsageError

Format = TypeVar("Format", bound=Enum)


def format_for(
    chosen: Format | None,
    output: Path | None,
    *,
    suffixes: Mapping[str, Format],
    default: Format,
    any_text: Mapping[str, Format] | None = None,
) -> Format:
    """The format to write: ``chosen``, else the one ``output``'s suffix names, else ``default``.

    Args:
        chosen: The ``--format`` given, or None.
        output: The file written, or None for standard output.
        suffixes: The format each suffix (lower case, with its dot) names.
        default: The format without ``--format`` or a file.
        any_text: Suffixes that name a format only when none is chosen
            (``.txt`` for the terminal layout) and take any format asked for.

    Raises:
        UsageError: The format cannot be told from the name, or contradicts it.
    """
    if output is None:
        return chosen or default
    texts = any_text or {}
    suffix = output.suffix.lower()
    named = suffixes.get(suffix)
    if chosen is None:
        inferred = named or texts.get(suffix)
        if inferred is None:
            *most, last = dict.fromkeys([*suffixes, *texts])
            ends = f"{', '.join(most)} or {last}" if most else last
            formats = "|".join(str(f.value) for f in dict.fromkeys(suffixes.values()))
            raise UsageError(
                f"cannot tell the format of {output} from its name",
                hint=f"end it in {ends}, or pass --format {formats}",
            )
        return inferred
    if named is not None and named is not chosen:
        own = next((s for s, f in {**suffixes, **texts}.items() if f is chosen), None)
        rename = f"name the file {output.with_suffix(own)}" if own else "name the file for it"
        raise UsageError(
            f"--format {chosen.value} contradicts the name {output}, which ends in "
            f"{output.suffix} ({named.value}); nothing was written",
            hint=f"leave --format out to write {named.value}, or {rename}",
        )
    return chosen

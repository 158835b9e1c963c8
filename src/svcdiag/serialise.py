"""Serialise plain data (or pydantic models) as YAML or JSON text.

Every YAML and JSON output of svcdiag goes through here, so files written by
one command read back identically in another.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import to_json as to_json_bytes

if TYPE_CHECKING:
    import yaml


def plain(data: Any) -> Any:
    """Return ``data`` as plain JSON-compatible values (models dumped by alias)."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


#: Line breaks to YAML 1.1 (and so to PyYAML) beyond CR and LF: written as they
#: are, in plain, quoted or block text, they read back as folded line breaks.
_YAML_BREAKS = "\x85\u2028\u2029"


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """Block-style YAML that keeps key order and indents lists under keys.

    Built on first use: the JSON outputs never load the YAML library.
    """
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def present_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        if any(char in value for char in _YAML_BREAKS):
            style: str | None = '"'  # escaped as \N, \L, \P: read back unchanged
        else:
            style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, present_str)
    return Dumper


def to_yaml(data: Any) -> str:
    """Serialise ``data`` as block-style UTF-8 YAML, keys in their given order.

    Written byte for byte as PyYAML's emitter would, at a fraction of its
    cost: a long list of flat records (the units of a large funnel) by
    :func:`_records_yaml`; other mappings, lists and plain scalars (the
    points of a trend) by :class:`_Writer`, which leaves to PyYAML only the
    scalars it would quote or fold, and the shapes it does not write. Data
    holding a mapping or list twice (PyYAML names it once and refers to it
    after: an anchor) is left to PyYAML whole.
    """
    data = plain(data)
    if data.__class__ is not dict or not data or _shares(data):
        return _dump(data)
    writer = _Writer()
    pieces = []
    for key, value in data.items():
        fast = _records_yaml(key, value) if key.__class__ is str and _plain_key(key) else None
        pieces.append(fast or writer.entry(key, value) or _dump({key: value}))
    return _joined(pieces)


def _shares(data: dict[Any, Any] | list[Any]) -> bool:
    """Whether a mapping or list (an empty one too) appears twice in ``data``, itself included."""
    seen: set[int] = set()
    waiting: list[Any] = [data]
    while waiting:
        container = waiting.pop()
        if id(container) in seen:
            return True
        seen.add(id(container))
        values = container.values() if isinstance(container, dict) else container
        waiting.extend(value for value in values if isinstance(value, dict | list))
    return False


class _Writer:
    """Block YAML of mappings, lists and scalars as :func:`_dump` writes them, or None.

    PyYAML indents a mapping in a mapping by 2, a list under its key by 2
    (``increase_indent``), and starts a mapping in a list on its ``- ``.
    A scalar it would write as it is (:func:`_plain_scalar`) is written here;
    any other is written by PyYAML at the same indent (:func:`_entry_at`,
    :func:`_item_at`), where it folds and quotes it as it would in place.
    A key that is not a plain word, a list in a list, or a value of another
    type than these exactly (a subclass, which PyYAML's safe writer refuses)
    gives None. The data holds no object twice (:func:`_shares`).
    """

    def __init__(self) -> None:
        #: Text PyYAML wrote, by indent, key and text: a trend's periods recur in every series.
        self._written: dict[tuple[int, str, str], str] = {}

    def entry(self, key: Any, value: Any, indent: int = 0) -> str | None:
        """``key: value`` in a mapping at ``indent``."""
        if not (key.__class__ is str and _plain_key(key)):
            return None
        head = " " * indent + key + ":"
        kind = value.__class__
        if kind is dict or kind is list:
            if not value:
                return head + (" {}\n" if kind is dict else " []\n")
            inner = self._mapping(value, indent + 2) if kind is dict else None
            if kind is list:
                inner = self._sequence(value, indent + 2)
            return None if inner is None else head + "\n" + inner
        if kind not in _SCALARS:
            return None
        cell = _plain_scalar(value, indent + len(key) + 2)
        if cell is not None:
            return f"{head} {cell}\n"
        if kind is not str:
            return _entry_at(indent, key, value)
        known = self._written.get((indent, key, value))
        if known is None:
            known = self._written[indent, key, value] = _entry_at(indent, key, value)
        return known

    def _mapping(self, data: dict[Any, Any], indent: int) -> str | None:
        lines = []
        for key, value in data.items():
            text = self.entry(key, value, indent)
            if text is None:
                return None
            lines.append(text)
        return _joined(lines)  # the document may end with its last text

    def _sequence(self, items: list[Any], indent: int) -> str | None:
        dash = " " * indent + "- "
        lines = []
        for item in items:
            kind = item.__class__
            if kind is dict and item:
                text = self._mapping(item, indent + 2)
                text = None if text is None else dash + text[indent + 2 :]
            elif kind is dict:
                text = dash + "{}\n"
            elif kind not in _SCALARS:
                return None  # a list in a list, or a type PyYAML refuses: left to it
            else:
                cell = _plain_scalar(item, indent + 2)
                text = dash + cell + "\n" if cell is not None else _item_at(indent, item)
            if text is None:
                return None
            lines.append(text)
        return _joined(lines)


def _entry_at(indent: int, key: str, value: Any) -> str:
    """``key: value`` as PyYAML writes it in a mapping at ``indent`` (even): every line of it."""
    nested: Any = {key: value}
    for _ in range(indent // 2):
        nested = {"a": nested}
    return _dump(nested).split("\n", indent // 2)[-1]


def _item_at(indent: int, value: Any) -> str:
    """``- value`` as PyYAML writes it in a list at ``indent`` (even, 2 or more): all its lines."""
    nested: Any = {"a": [value]}
    for _ in range(indent // 2 - 1):
        nested = {"a": nested}
    return _dump(nested).split("\n", indent // 2)[-1]


#: PyYAML's end of a document: written at the end of the stream when the last
#: text was kept with its final line breaks (``|+``), and only there.
_END = "...\n"


def _joined(pieces: list[str]) -> str:
    """Pieces of one document, each written alone by PyYAML, as it writes them together."""
    return "".join([_not_ended(piece) for piece in pieces[:-1]] + pieces[-1:])


def _not_ended(text: str) -> str:
    """``text`` without the end of the document PyYAML wrote on its last line, if any."""
    return text[: -len(_END)] if text.endswith("\n" + _END) else text


def _dump(data: Any) -> str:
    import yaml

    return yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=_WIDTH)


#: Records from which a list is written by :func:`_records_yaml`.
FAST_RECORDS = 1000
#: Text PyYAML writes as it is: a word its resolver reads as text again.
_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
#: Words of these characters, one space apart, PyYAML writes as they are too
#: (a name such as ``North West 2``): starting with a letter, no resolver
#: reads them as anything but text unless they are one of the words below.
#: Only written where they fit the line: PyYAML folds a longer one at a space.
_PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9_.'-]*(?: [A-Za-z0-9_.'-]+)*\Z")
#: The line width YAML is written to (PyYAML's ``width``).
_WIDTH = 88
#: Where a field of a record in a list starts: after ``  - `` or four spaces.
_RECORD_INDENT = 4
_RESOLVED_WORDS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False"}
    | {"FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"}
)
#: The longest key PyYAML writes as ``key: value``: a longer one (with its
#: ``!!str`` tag, 128 characters or more) is written as ``? key`` then ``: value``.
_SIMPLE_KEY = 122


def _plain_key(name: str) -> bool:
    """Whether PyYAML writes ``name`` as a key as it is: a plain word, not too long."""
    if len(name) > _SIMPLE_KEY or name in _RESOLVED_WORDS:
        return False
    return bool(_PLAIN_WORD.match(name))


#: A field's line in :func:`_records_yaml` when PyYAML must write its record.
_BY_PYYAML = ""
#: Types of the values a record may hold: exactly these (a str enum, say, is
#: left to PyYAML, which refuses it as anywhere else).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _records_yaml(key: str, records: Any) -> str | None:
    """``{key: records}`` as :func:`_dump` writes it, or None unless a long list of flat records.

    A flat record maps plain-word keys to scalars. Each distinct field (key,
    type and value) is formatted once: a million units hold a few thousand
    distinct values. A record holding text that is not a plain word (quotes,
    spaces, a number as text) is left to PyYAML, with its key so that it is
    indented (and folded) as it would be in place.
    """
    if not (isinstance(records, list) and len(records) >= FAST_RECORDS):
        return None
    lines_of: dict[tuple[Any, type, Any], str] = {}
    parts = [f"{key}:\n"]
    for record in records:
        if not isinstance(record, dict) or not record:
            return None
        lines = []
        for name, value in record.items():
            kind = value.__class__
            if kind not in _SCALARS:
                return None
            # 0.0 and -0.0 are equal keys, and so are 1, 1.0 and True without their type
            field = (name, kind, value if value or kind is not float else repr(value))
            line = lines_of.get(field)
            if line is None:
                if not (name.__class__ is str and _plain_key(name)):
                    return None
                cell = _plain_scalar(value, _RECORD_INDENT + len(name) + 2)
                line = _BY_PYYAML if cell is None else f"{name}: {cell}"
                if kind is not str:  # names are mostly distinct: not kept
                    lines_of[field] = line
            lines.append(line)
        if _BY_PYYAML in lines:
            parts.append(_dump({key: [record]}).split("\n", 1)[1])
        else:
            parts.append("  - " + "\n    ".join(lines) + "\n")
    return _joined(parts)


def first_field_yaml(key: str, field: str, value: str) -> str:
    """What :func:`to_yaml` writes after ``field: `` for the text ``value``, first in a record.

    The record is one of the long list ``key`` (both plain words); the text
    runs to the end of the value's last line. Nothing before a field changes
    how PyYAML writes it, so this is the text the whole record would hold.
    """
    cell = _plain_scalar(value, _RECORD_INDENT + len(field) + 2)
    if cell is not None:
        return cell + "\n"
    alone = _not_ended(_dump({key: [{field: value}]}))  # other fields follow
    return alone.removeprefix(f"{key}:\n  - {field}: ")


def _plain_scalar(value: Any, column: int) -> str | None:
    """``value`` as PyYAML writes it from ``column``, or None for text it would quote."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (math.inf, -math.inf):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value).lower()
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    if _PLAIN_WORD.match(value):
        return None if value in _RESOLVED_WORDS else str(value)
    if column + len(value) <= _WIDTH and _PLAIN_WORDS.match(value):
        return str(value)
    return None


def to_json(data: Any) -> str:
    """Serialise ``data`` as indented UTF-8 JSON with a final newline.

    pydantic-core's serialiser is used rather than :func:`json.dumps`, whose
    indented output falls back to a pure-Python encoder (about 30 times slower
    on a million-unit result). The text is always strict JSON: the readers and
    models refuse infinities and NaN, and should one slip through it is
    written as ``null``, never as the non-JSON ``NaN`` or ``Infinity``.
    """
    if isinstance(data, BaseModel):
        # Straight from the model: the same text as dumping it first (a test
        # checks), without a million intermediate dicts for a large result.
        text = data.model_dump_json(indent=2, by_alias=True, exclude_none=True)
        return text + "\n"
    return to_json_bytes(data, indent=2, inf_nan_mode="null").decode("utf-8") + "\n"

"""Read YAML safely and remember where every key and value stands.

PyYAML's ``safe_load`` silently keeps the last of two equal keys, expands
aliases without limit and forgets line numbers. Here we compose the node
graph ourselves, so that:

* every mapping key and value has its line and column (1-based), looked up by
  its path (``("sections", 0, "questions", 2, "type")``);
* duplicate keys are reported, not dropped;
* alias expansion is bounded (a "billion laughs" file is an error, not a hang);
* only the YAML core types are built (no Python objects, no custom tags).

Errors are :class:`~svcdiag.errors.InputFileError` with file, line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from svcdiag.errors import InputFileError
from svcdiag.source.files import TooLarge, other_unicode, read_limited


class YamlFileError(InputFileError):
    """A file could be read but is not usable YAML; ``reason`` says which way.

    Reasons: ``encoding`` (binary or not UTF-8), ``syntax``, ``empty``,
    ``unsupported`` (custom tags, merge keys, alias bombs, size), ``value`` (a
    number svcdiag refuses: too long, not finite, or in a YAML 1.1 notation
    such as base 60, hex or a leading-zero octal).
    """

    def __init__(
        self,
        path: str,
        message: str,
        *,
        reason: str,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(path, message, line=line, col=col, hint=hint)
        self.reason = reason


Path_ = tuple[str | int, ...]

#: Largest file read, in bytes. Questionnaires and answer files are far smaller.
MAX_BYTES = 8 * 1024 * 1024
#: Most nodes built from one document, counting each alias expansion again.
MAX_NODES = 200_000

#: libyaml's parser when PyYAML was built with it (much faster), else pure Python.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
#: Tags of keys kept as written (a key is a name, whatever it looks like).
_PLAIN_KEY_TAGS = frozenset(
    {_INT_TAG, _FLOAT_TAG, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
)
_QUOTE_HINT = "quote the value to keep it as text"
#: Most digits in a number: Python refuses to convert longer ones (CVE-2020-10735).
MAX_DIGITS = 4300
#: YAML 1.1 integer notations that read as something other than what they show.
_SURPRISING_INT = re.compile(r"^[-+]?(0[xob]|0[0-7_]+$)", re.IGNORECASE)
_COLLECTION_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class Position(NamedTuple):
    """A place in a file: 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True)
class DuplicateKey:
    """A mapping key given twice; ``first`` is where it stood before."""

    path: Path_
    key: str
    at: Position
    first: Position


@dataclass
class YamlDocument:
    """A parsed document: plain data plus the positions of its parts."""

    path: str
    data: Any
    keys: dict[Path_, Position] = field(default_factory=dict)
    values: dict[Path_, Position] = field(default_factory=dict)
    duplicates: list[DuplicateKey] = field(default_factory=list)

    def locate(self, path: Path_) -> Position:
        """Return the best position for ``path``: its key, its value, or an ancestor's."""
        probe = tuple(path)
        while probe:
            if probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))

    def refuse_duplicates(self) -> None:
        """Raise an error at the first key given twice (readers that are not linters)."""
        if self.duplicates:
            dup = self.duplicates[0]
            raise InputFileError(
                self.path,
                f"key {dup.key!r} is given twice (first on line {dup.first.line})",
                line=dup.at.line,
                col=dup.at.col,
                hint="remove one of the two; YAML would otherwise keep only one silently",
            )

    def value_position(self, path: Path_) -> Position:
        """Return where the value at ``path`` starts (or the best fallback)."""
        if tuple(path) in self.values:
            return self.values[tuple(path)]
        return self.locate(path)


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)  # yaml marks count from 0


class _Builder:
    """Turn a composed node graph into plain data, recording positions."""

    def __init__(self, doc: YamlDocument, loader: Any) -> None:
        self.doc = doc
        self.loader = loader
        self.count = 0
        self.active: set[int] = set()
        #: Nodes built once already: meeting one again is an alias expanded.
        self.built: set[int] = set()
        self.aliased = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if id(node) in self.built:
            self.aliased += 1
        else:
            self.built.add(id(node))
        if self.count > MAX_NODES:
            raise self._too_large(node)
        self.doc.values.setdefault(path, _pos(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if id(node) in self.active:
            pos = _pos(node.start_mark)
            raise YamlFileError(
                self.doc.path, "recursive alias", reason="unsupported", line=pos.line, col=pos.col
            )
        if node.tag not in _COLLECTION_TAGS:
            pos = _pos(node.start_mark)
            raise YamlFileError(
                self.doc.path,
                f"unsupported YAML tag {node.tag!r}",
                reason="unsupported",
                line=pos.line,
                col=pos.col,
                hint="use plain mappings, lists and scalars",
            )
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _too_large(self, node: yaml.Node) -> YamlFileError:
        """The error for a document past :data:`MAX_NODES`, blaming aliases only if they did it."""
        pos = _pos(node.start_mark)
        if self.aliased:
            return YamlFileError(
                self.doc.path,
                reason="unsupported",
                message=f"document expands to more than {MAX_NODES:,} values "
                f"({self.aliased:,} of them repeated by aliases)",
                line=pos.line,
                col=pos.col,
                hint="write the content out instead of repeating anchors and aliases",
            )
        return YamlFileError(
            self.doc.path,
            reason="unsupported",
            message=f"the document is too large: it holds more than {MAX_NODES:,} values "
            f"(keys, list items and mappings), and {MAX_NODES:,} is the most svcdiag reads",
            line=pos.line,
            col=pos.col,
            hint="no questionnaire or answers file needs this many; "
            "check it is the right file, or split it",
        )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            return node.value  # the common case, without the constructor's bookkeeping
        if node.tag in (_INT_TAG, _FLOAT_TAG):
            self._check_number(node)
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            pos = _pos(node.start_mark)
            problem = getattr(err, "problem", None) or str(err)
            raise YamlFileError(
                self.doc.path, problem, reason="unsupported", line=pos.line, col=pos.col
            ) from None
        except (ValueError, OverflowError) as err:  # a date like 2026-13-45, say
            self._refuse_number(node, f"{node.value!r} is not a valid value: {err}", _QUOTE_HINT)
        if isinstance(value, float) and not math.isfinite(value):
            self._refuse_number(
                node,
                f"{node.value!r} is not a finite number",
                "give an ordinary number; infinity and not-a-number are never valid here",
            )
        return value

    def _check_number(self, node: yaml.ScalarNode) -> None:
        """Refuse numbers that cannot be converted, or that YAML 1.1 reads surprisingly."""
        text = node.value
        if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
            self._refuse_number(
                node,
                f"number too large ({len(text)} characters; at most {MAX_DIGITS} digits)",
                "no answer or setting needs a number this long; is the file damaged?",
            )
        if ":" in text:
            self._refuse_number(
                node,
                f"{text!r} is a YAML 1.1 base-60 number (it would read as "
                f"{self._sexagesimal(text)})",
                f"write the number itself, or quote it as text: '{text}'",
            )
        if node.tag == _INT_TAG and _SURPRISING_INT.match(text.replace("_", "")):
            self._refuse_number(
                node,
                f"{text!r} is a YAML 1.1 hexadecimal, binary or octal number",
                f"write the number in decimal without a leading zero, or quote it: '{text}'",
            )

    @staticmethod
    def _sexagesimal(text: str) -> str:
        total = 0.0
        try:
            for part in text.lstrip("+-").split(":"):
                total = total * 60 + float(part.replace("_", ""))
        except ValueError:
            return "a number"
        shown = f"{total:g}" if not total.is_integer() else str(int(total))
        return f"-{shown}" if text.startswith("-") else shown

    def _refuse_number(self, node: yaml.ScalarNode, message: str, hint: str) -> None:
        pos = _pos(node.start_mark)
        raise YamlFileError(
            self.doc.path, message, reason="value", line=pos.line, col=pos.col, hint=hint
        )

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                pos = _pos(key_node.start_mark)
                raise YamlFileError(
                    self.doc.path,
                    "merge keys ('<<') are not supported",
                    reason="unsupported",
                    line=pos.line,
                    col=pos.col,
                    hint="write the keys out in full",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                pos = _pos(key_node.start_mark)
                raise YamlFileError(
                    self.doc.path,
                    "a mapping key must be a plain value, not a list or mapping",
                    reason="syntax",
                    line=pos.line,
                    col=pos.col,
                )
            # a key is a name: 0x1F or 4:00 stay as written
            plain = key_node.tag in _PLAIN_KEY_TAGS
            key = key_node.value if plain else self._scalar(key_node)
            key_pos = _pos(key_node.start_mark)
            child: Path_ = (*path, key)
            if key in first_seen:
                self.doc.duplicates.append(DuplicateKey(path, str(key), key_pos, first_seen[key]))
                # keep the first, so what is reported matches what the reader sees first
                continue
            first_seen[key] = key_pos
            self.doc.keys[child] = key_pos
            result[key] = self.build(value_node, child)
        return result


def _decode(path: str, raw: bytes) -> str:
    encoding = other_unicode(raw[:64])
    if encoding is not None:
        raise YamlFileError(
            path,
            f"the file is {encoding} text, not UTF-8",
            reason="encoding",
            line=1,
            col=1,
            hint=f"save it as UTF-8, or convert it with iconv -f {encoding} -t UTF-8",
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlFileError(
            path, "this is a binary file, not YAML text", reason="encoding", line=line, col=1
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise YamlFileError(
            path,
            f"not UTF-8 text (byte 0x{raw[err.start]:02x})",
            reason="encoding",
            line=line,
            col=col,
            hint="save the file as UTF-8",
        ) from None
    return text


def parse_text(text: str, path: str = "<string>") -> YamlDocument:
    """Parse one YAML document from ``text``; ``path`` is used in messages."""
    doc = YamlDocument(path=path, data=None)
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlFileError(path, "the file is empty", reason="empty", line=1, col=1)
        doc.data = _Builder(doc, loader).build(node, ())
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = err.problem or err.context or "invalid YAML"
        raise YamlFileError(
            path, f"invalid YAML: {problem}", reason="syntax", line=line, col=col
        ) from None
    except yaml.YAMLError as err:
        raise YamlFileError(path, f"invalid YAML: {err}", reason="syntax") from None
    except RecursionError:
        raise YamlFileError(
            path,
            "the document is nested too deeply",
            reason="unsupported",
            hint="flatten the structure",
        ) from None
    finally:
        loader.dispose()
    return doc


def read_bytes(path: Path) -> bytes:
    """Read a file given by the user, with a clear error when that fails.

    Only regular files are read, and never more than :data:`MAX_BYTES`
    (:mod:`svcdiag.source.files`): a pipe or a device is refused by name.
    """
    try:
        return read_limited(path, MAX_BYTES)
    except TooLarge:
        raise YamlFileError(
            str(path),
            f"file is too large (more than {MAX_BYTES} bytes)",
            reason="unsupported",
        ) from None


def load_file(path: Path, display: str | None = None) -> YamlDocument:
    """Read and parse the YAML file at ``path``."""
    name = display or str(path)
    return parse_text(_decode(name, read_bytes(path)), name)


def walk_paths(data: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Yield the path of every node in ``data`` (for tests and tools)."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_paths(value, (*prefix, i))

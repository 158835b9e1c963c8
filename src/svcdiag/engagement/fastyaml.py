"""Read large machine-written YAML (survey responses) quickly.

A survey of ten thousand respondents is a YAML file of about a million
scalars. PyYAML's C parser builds the node graph fast, but then resolves and
constructs every scalar in Python: most of the time goes there, on values
that repeat endlessly (``4``, ``true``, ``frontline``). This loader keeps the
C parser and:

* caches the resolution of a scalar's tag by its text;
* constructs plain documents (mappings, sequences, strings, numbers,
  booleans, null, timestamps) in one small recursive function, caching each
  scalar's value by tag and text.

Anything else (anchors and aliases, merge keys, custom tags, duplicate keys)
raises :class:`Unsupported`, and the caller reads the file with the careful
reader of :mod:`svcdiag.source.yamlsource`, which reports such things with
their line.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class Unsupported(ValueError):
    """The document uses YAML this loader does not handle (the careful reader will)."""


_RESOLVER = yaml.resolver.Resolver()


@lru_cache(maxsize=65536)
def _resolve(kind: type, value: str | None, implicit: bool | tuple[bool, bool]) -> str:
    return str(_RESOLVER.resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


class _Loader(_Base):  # type: ignore[misc]
    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        if not isinstance(implicit, bool):
            implicit = tuple(implicit)
        return _resolve(kind, value, implicit)


def _build(loader: Any, node: Any, scalars: dict[tuple[str, str], Any], seen: set[int]) -> Any:
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        key = (tag, node.value)
        if key in scalars:
            return scalars[key]
        if tag not in _PLAIN_TAGS:
            raise Unsupported(f"tag {tag}")
        value = loader.construct_object(node, deep=True)
        scalars[key] = value
        return value
    if id(node) in seen:  # an alias: the same node twice
        raise Unsupported("anchors and aliases")
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        if tag != _SEQ:
            raise Unsupported(f"tag {tag}")
        return [_build(loader, item, scalars, seen) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        if tag != _MAP:
            raise Unsupported(f"tag {tag}")
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, scalars, seen)
            if not isinstance(key, (str, int, float, bool)) or key in result:
                raise Unsupported("a duplicate or complex key")
            result[key] = _build(loader, value_node, scalars, seen)
        return result
    raise Unsupported("an unknown node")  # pragma: no cover


def load_plain(text: str) -> Any:
    """Parse one plain YAML document (raises :class:`Unsupported` or ``yaml.YAMLError``)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _build(loader, node, {}, set())
    finally:
        loader.dispose()

"""Load large YAML files from the parser's event stream, without building a node graph.

PyYAML's loaders compose every node of a document before constructing
anything: a responses file of 50,000 respondents (millions of scalars) takes
40 seconds and gigabytes that way. :func:`load_events` builds the same plain
data straight from libyaml's events, resolving each distinct plain scalar
once (a survey repeats the same few values), in a few seconds.

Anything beyond plain mappings, lists and scalars (aliases, explicit tags,
keys that are themselves collections, a second document) makes it fall back to the standard
safe loader, so the result is always what ``yaml.safe_load`` gives.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTOR: Any = yaml.constructor.SafeConstructor()
_NO_KEY = object()
#: Plain scalars whose value is kept (ids and free numbers make the set unbounded).
_MEMO_LIMIT = 100_000


class _Unsupported(Exception):
    """The document uses something only the full loader handles."""


def _plain(value: str, memo: dict[str, Any]) -> Any:
    found = memo.get(value, _NO_KEY)
    if found is not _NO_KEY:
        return found
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    construct = _CONSTRUCTOR.yaml_constructors.get(tag)
    if construct is None:  # '<<' (merge) and '=' (value) need the full loader
        raise _Unsupported
    result = construct(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    if len(memo) < _MEMO_LIMIT:
        memo[value] = result
    return result


def _build(events: Any) -> Any:
    root: Any = None
    stack: list[list[Any]] = []  # [container, pending key]
    memo: dict[str, Any] = {}
    documents = 0
    for event in events:
        kind = type(event)
        value: Any
        if kind is yaml.ScalarEvent:
            if event.tag is not None and event.tag != "!":
                raise _Unsupported
            value = _plain(event.value, memo) if event.implicit[0] else event.value
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag is not None:
                raise _Unsupported
            stack.append([{} if kind is yaml.MappingStartEvent else [], _NO_KEY])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is yaml.AliasEvent:
            raise _Unsupported
        elif kind is yaml.DocumentStartEvent and documents:
            raise _Unsupported  # a second document: the safe loader refuses it
        else:
            documents += kind is yaml.DocumentStartEvent
            continue  # stream and document starts and ends
        if not stack:
            root = value
            continue
        top = stack[-1]
        container = top[0]
        if isinstance(container, list):
            container.append(value)
        elif top[1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Unsupported
            top[1] = value
        else:
            container[top[1]] = value
            top[1] = _NO_KEY
    return root


def load_events(handle: IO[str]) -> Any:
    """Load the one YAML document in ``handle`` as plain data (what ``safe_load`` gives).

    Raises:
        yaml.YAMLError: The text is not valid YAML.
    """
    start = handle.tell()
    try:
        return _build(yaml.parse(handle, Loader=_PARSER))
    except _Unsupported:
        handle.seek(start)
        return yaml.load(handle, Loader=_PARSER)

"""Serialise plain data (or pydantic models) as YAML or JSON text.

Every YAML and JSON output of svcdiag goes through here, so files written by
one command read back identically in another.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import to_json as to_json_bytes


def plain(data: Any) -> Any:
    """Return ``data`` as plain JSON-compatible values (models dumped by alias)."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order and indents lists under keys."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def to_yaml(data: Any) -> str:
    """Serialise ``data`` as block-style UTF-8 YAML, keys in their given order."""
    return yaml.dump(plain(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def to_json(data: Any) -> str:
    """Serialise ``data`` as indented UTF-8 JSON with a final newline.

    pydantic-core's serialiser is used rather than :func:`json.dumps`, whose
    indented output falls back to a pure-Python encoder (about 30 times slower
    on a million-unit result). The text is always strict JSON: the readers and
    models refuse infinities and NaN, and should one slip through it is
    written as ``null``, never as the non-JSON ``NaN`` or ``Infinity``.
    """
    return to_json_bytes(plain(data), indent=2, inf_nan_mode="null").decode("utf-8") + "\n"

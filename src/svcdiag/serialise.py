"""Serialise plain data (or pydantic models) as YAML or JSON text.

Every YAML and JSON output of svcdiag goes through here, so files written by
one command read back identically in another.
"""

from __future__ import annotations

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
    """Serialise ``data`` as block-style UTF-8 YAML, keys in their given order."""
    import yaml

    return yaml.dump(plain(data), Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=88)


def to_json(data: Any) -> str:
    """Serialise ``data`` as indented UTF-8 JSON with a final newline.

    pydantic-core's serialiser is used rather than :func:`json.dumps`, whose
    indented output falls back to a pure-Python encoder (about 30 times slower
    on a million-unit result). The text is always strict JSON: the readers and
    models refuse infinities and NaN, and should one slip through it is
    written as ``null``, never as the non-JSON ``NaN`` or ``Infinity``.
    """
    return to_json_bytes(plain(data), indent=2, inf_nan_mode="null").decode("utf-8") + "\n"

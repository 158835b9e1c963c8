"""Turn pydantic validation errors into located lint problems.

Pydantic reports every error of a document at once, each with a ``loc``
path; we map that path back to the YAML key or value it names and phrase the
message in the questionnaire author's terms.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from svcdiag.lint.problems import quoted
from svcdiag.lint.reporter import Reporter
from svcdiag.source.yamlsource import Path_


def _all_field_names(models: Iterable[type[BaseModel]]) -> set[str]:
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    pending = list(models)
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            pending.extend(_models_in(info.annotation))
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    return found


def _context(data: Any, path: Path_) -> str:
    """Describe where ``path`` is, e.g. "in question 'board_vision'"."""
    node = data
    label = ""
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str) and i < len(path) - 1:
            kind = path[i - 1] if i >= 1 and isinstance(path[i - 1], str) else "entry"
            label = f" in {str(kind).rstrip('s')} '{node['id']}'"
    return label


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Path_:
    """Drop pydantic's union-member labels (``'list[str]'``) that are not in the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and len(path) == len(loc) - 1:
            path.append(part)  # a missing or unknown key at the end
        else:
            continue
    return tuple(path)


def report_validation_error(
    err: ValidationError, data: Any, reporter: Reporter, model: type[BaseModel]
) -> None:
    """Report every error in ``err`` (raised validating ``data`` as ``model``)."""
    known = _all_field_names([model])
    seen: set[tuple[Path_, str]] = set()
    for item in err.errors(include_url=False):
        loc = _clean_loc(tuple(item["loc"]), data)
        kind = item["type"]
        where = _context(data, loc)
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else "?"
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it or check its spelling"
            if (loc, "SD200") not in seen:
                seen.add((loc, "SD200"))
                reporter.key(loc, "SD200", f"unknown key {quoted(key)}{where}", hint)
        elif kind == "missing":
            key = str(loc[-1]) if loc else "?"
            parent = loc[:-1]
            if (loc, "SD201") not in seen:
                seen.add((loc, "SD201"))
                reporter.value(parent, "SD201", f"missing required key {quoted(key)}{where}")
        else:
            if (loc, "SD202") in seen:
                continue  # one message per place (unions report once per member)
            seen.add((loc, "SD202"))
            message = str(item["msg"])
            message = message.removeprefix("Value error, ")
            name = f"'{loc[-1]}'" if loc and isinstance(loc[-1], str) else "value"
            if not loc or not isinstance(loc[-1], str):
                name = "value"
            reporter.value(loc, "SD202", f"{name}{where}: {message}")

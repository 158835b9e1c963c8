"""Explain why a file is not a valid findings file, in the user's terms.

Pydantic reports every problem with a path (``loc``) and a message written
for programmers. Here each problem becomes one line naming the file, line
and column, what is wrong in words a consultant uses, and, where there is
one, a hint on how to put it right. An answers file given where findings are
expected is recognised as such and the user is told how to make findings
from it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from svcdiag.errors import InputFileError
from svcdiag.models.findings import AnswersFile, Findings
from svcdiag.source.yamlsource import Path_, YamlDocument

#: Keys a findings file has and an answers file does not.
FINDINGS_ONLY = ("svcdiag_version", "questionnaire", "started")

#: Most problems listed in one error; the rest are counted.
MAX_SHOWN = 5

_DATETIME_FIELDS = ("started", "finished")
_SCHEMA_HINT = "'svcdiag schema findings' lists the keys a findings file may hold"


def is_answers_file(data: object) -> bool:
    """Whether ``data`` looks like an answers file: no findings-only key, only answers keys."""
    if not isinstance(data, dict) or any(key in data for key in FINDINGS_ONLY):
        return False
    return set(data) <= set(AnswersFile.model_fields)


def answers_file_error(doc: YamlDocument) -> InputFileError:
    """The error for an answers file given where findings are expected."""
    return InputFileError(
        doc.path,
        "this is an answers file, not findings: run "
        f"'svcdiag assess QUESTIONNAIRE --answers {doc.path}' to make findings",
        line=1,
        hint="QUESTIONNAIRE is a shipped id such as 'diagnostic' ('svcdiag list' shows them) "
        "or a questionnaire file",
    )


def _clean(loc: Sequence[Any], data: Any, *, on_key: bool = False) -> Path_:
    """Keep the parts of pydantic's ``loc`` that are in the data (not union member labels).

    ``on_key``: the problem is a missing key, the last part of ``loc``. Any
    other last part that is not in the data is a union member's label (an
    answer given as a mapping is reported once per member: ``bool``, ``int``...).
    """
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif on_key and isinstance(node, dict) and isinstance(part, str) and i == len(loc) - 1:
            path.append(part)  # a missing key
    return tuple(path)


def _model_at(path: Path_) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``path`` (for spelling suggestions)."""
    model: type[BaseModel] = Findings
    for part in path:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        found = [a for a in (annotation, *getattr(annotation, "__args__", ())) if _is_model(a)]
        if not found:
            return None
        model = found[0]
    return model


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _value_at(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        node = node[part]
    return node


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "(top)"


def _explain(item: Any, path: Path_, data: Any) -> tuple[str, str | None]:
    """One problem as a message and an optional hint."""
    kind = str(item["type"])
    name = _dotted(path)
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        parent = path[:-1]
        where = f" in '{_dotted(parent)}'" if parent else ""
        model = _model_at(parent)
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"remove it; {_SCHEMA_HINT}"
        return f"unknown key '{key}'{where}", hint
    if kind == "missing":
        return f"missing required key '{name}'", (
            "findings files are written by 'svcdiag assess'; " + _SCHEMA_HINT
        )
    try:
        value = _value_at(data, path)
    except (KeyError, IndexError, TypeError):
        value = None
    if path == ("schema_version",):
        return (
            f"'schema_version' is {value!r}: this svcdiag reads findings files of format 1",
            "a newer svcdiag may have written this file; upgrade svcdiag to read it",
        )
    if kind == "model_type":
        return f"'{name}' is {value!r}: expected a mapping of keys", _SCHEMA_HINT
    if path and path[-1] in _DATETIME_FIELDS and len(path) == 1:
        return (
            f"'{name}' is {value!r}: expected a date and time like 2026-05-01T10:00:00Z",
            "write it as year-month-dayThour:minute:second with Z (UTC) or an offset "
            "such as +01:00",
        )
    if path == ("questionnaire", "sha256"):
        return (
            f"'questionnaire.sha256' is {value!r}: expected the 64 hexadecimal characters "
            "(0-9, a-f) of the questionnaire's sha256",
            "restore the value 'svcdiag assess' wrote; if the questionnaire has changed "
            "since, report says so and uses the current one",
        )
    if path[:1] == ("answers",) and len(path) == 2:
        return (
            f"the answer to '{path[1]}' is {value!r}: expected a number, yes/no, text, "
            "'unknown' or a list of option ids",
            None,
        )
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"'{name}' is {value!r}: {message[:1].lower()}{message[1:]}", None


def findings_error(doc: YamlDocument, err: ValidationError) -> InputFileError:
    """One error for every problem in ``err``, the first located, the rest listed below it."""
    lines: list[tuple[int, int, str, str | None]] = []
    seen: set[Path_] = set()
    for item in err.errors(include_url=False):
        on_key = item["type"] in ("extra_forbidden", "missing")
        path = _clean(tuple(item["loc"]), doc.data, on_key=on_key)
        if path in seen:
            continue  # unions report once per member
        seen.add(path)
        message, item_hint = _explain(item, path, doc.data)
        pos = doc.locate(path) if on_key else doc.value_position(path)
        lines.append((pos.line, pos.col, message, item_hint))
    lines.sort(key=lambda entry: entry[:3])
    line, col, first, hint = lines[0]
    rest = [f"\n  {doc.path}:{ln}:{c}: {msg}" for ln, c, msg, _ in lines[1:MAX_SHOWN]]
    if len(lines) > MAX_SHOWN:
        rest.append(f"\n  ... and {len(lines) - MAX_SHOWN} more")
    return InputFileError(doc.path, first + "".join(rest), line=line, col=col, hint=hint)

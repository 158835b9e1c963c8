"""Write and read the responses files of an engagement (``responses/*.json``).

Imports write JSON (:func:`responses_json`); YAML responses files, as earlier
imports wrote them, are still read.

The format is :class:`~svcdiag.models.responses.ResponsesFile` (``svcdiag schema
responses``). An import of 50,000 respondents gives millions of answers, more
than a general YAML serialiser writes in seconds, so :func:`responses_yaml`
writes the list of responses itself: block style, one answer per line,
strings in double quotes with JSON's escapes (a subset of YAML's), which any
YAML reader loads back to the same values (a test checks it on arbitrary
text). The header (questionnaire, source) goes through
:func:`svcdiag.serialise.to_yaml` like every other file.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from svcdiag.errors import InputFileError
from svcdiag.models.findings import AnswerValue
from svcdiag.models.responses import ResponsesFile
from svcdiag.serialise import to_yaml
from svcdiag.source.files import open_regular
from svcdiag.source.nofollow import inside
from svcdiag.survey.engagement_dir import LINK_HINT
from svcdiag.survey.yamlstream import load_events

#: A string YAML reads back as itself without quotes.
_PLAIN = re.compile(r"[a-z][a-z0-9_]*\Z")  # \Z: "$" would also match before a final newline
#: Plain words that YAML 1.1 would read as booleans or null.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
#: Characters a JSON string may hold raw that a YAML reader refuses or folds.
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def quote(text: str) -> str:
    """``text`` as a YAML scalar that reads back as exactly that string."""
    if _PLAIN.fullmatch(text) and text not in _YAML_WORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _float(value: float) -> str:
    """``value`` as YAML 1.1 reads a float: a dot in the mantissa, a sign in the exponent."""
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    if "." not in mantissa:
        mantissa += ".0"
    if exponent[0] not in "+-":
        exponent = "+" + exponent
    return f"{mantissa}e{exponent}"


def _value(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list):
        return "[" + ", ".join(quote(item) for item in value) + "]"
    return quote(value)


class _Writer:
    """Text of the responses, with the text of repeated keys and answers kept."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.values: dict[tuple[type, AnswerValue], str] = {}

    def key(self, name: str) -> str:
        text = self.keys.get(name)
        if text is None:
            text = self.keys[name] = quote(name)
        return text

    def value(self, answer: AnswerValue) -> str:
        if isinstance(answer, list):
            return _value(answer)
        key = (type(answer), answer)  # True and 1 are equal keys, but not equal answers
        text = self.values.get(key)
        if text is None:
            text = _value(answer)
            if len(self.values) < 100_000:
                self.values[key] = text
        return text

    def lines(self, response: dict[str, Any], out: list[str]) -> None:
        out.append(f"  - id: {quote(response['id'])}\n    role: {self.key(response['role'])}\n")
        out.extend(
            f"    {name}: {quote(str(response[name]))}\n"
            for name in ("unit", "submitted")
            if response.get(name) is not None
        )
        answers: dict[str, AnswerValue] = response.get("answers", {})
        if not answers:
            out.append("    answers: {}\n")
            return
        out.append("    answers:\n")
        key, value = self.key, self.value
        out.extend(f"      {key(q)}: {value(a)}\n" for q, a in answers.items())


def responses_yaml(header: ResponsesFile, responses: list[dict[str, Any]]) -> str:
    """The text of a responses file: ``header``'s fields, then ``responses``.

    Args:
        header: The file without responses (format, questionnaire, source).
        responses: Each a dict with ``id``, ``role``, optional ``unit`` and
            ``submitted`` (ISO text), and ``answers`` already validated.
    """
    text = to_yaml(header.model_copy(update={"responses": []}))
    text = text.replace("responses: []\n", "")
    if not responses:
        return text + "responses: []\n"
    parts = [text, "responses:\n"]
    writer = _Writer()
    for response in responses:
        writer.lines(response, parts)
    return "".join(parts)


def responses_json(header: ResponsesFile, responses: list[dict[str, Any]]) -> str:
    """The text of a responses file as JSON: ``header``'s fields, then one response a line.

    JSON is what an import writes: a survey of tens of thousands of rows reads
    back in a fraction of a second, where the same data as YAML takes many
    seconds to parse. The layout (one response a line) keeps diffs readable
    for a folder under version control.
    """
    fields = header.model_dump(mode="json", exclude_none=True)
    fields.pop("responses", None)
    lines = ["{"]
    lines.extend(
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, allow_nan=False)},"
        for key, value in fields.items()
    )
    body = [
        "    " + json.dumps(response, ensure_ascii=False, allow_nan=False, default=str)
        for response in responses
    ]
    lines.append('  "responses": [' if body else '  "responses": []')
    if body:
        lines.append(",\n".join(body))
        lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: A JSON file nested deeper than Python's parser goes (svcdiag writes two levels).
_TOO_DEEP = "invalid JSON: lists or mappings nested too deep to read"


def read_responses(path: Path) -> ResponsesFile:
    """Read and validate one responses file (JSON, or YAML as older imports wrote).

    Raises:
        InputFileError: The file cannot be read, is not JSON or YAML, or does
            not fit the format (the first problem named).
    """
    try:
        with _open_text(path) as handle:
            if path.suffix.lower() == ".json":
                try:
                    data = json.load(handle)
                except json.JSONDecodeError as err:
                    raise InputFileError(
                        path, f"invalid JSON: {err.msg}", line=err.lineno
                    ) from None
                except RecursionError:
                    raise InputFileError(path, _TOO_DEEP) from None
            else:
                data = load_events(handle)
    except (OSError, UnicodeDecodeError) as err:
        raise InputFileError(path, f"cannot read: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputFileError(
            path,
            f"invalid YAML: {getattr(err, 'problem', err)}",
            line=mark.line + 1 if mark else None,
        ) from None
    try:
        return ResponsesFile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputFileError(
            path,
            f"not a responses file: {where}: {first['msg']}",
            hint="see 'svcdiag schema responses' for the format",
        ) from None


def _open_text(path: Path) -> io.TextIOWrapper:
    """Open a regular file as UTF-8 text (inside an engagement, following no link)."""
    return io.TextIOWrapper(open_regular(path), encoding="utf-8")


def responses_files(folder: Path) -> list[Path]:
    """The responses files in ``folder`` (an engagement's ``responses/``), by name.

    Each is opened without following a link below the engagement folder
    (:func:`svcdiag.source.nofollow.inside`).
    """
    if not folder.is_dir():
        return []
    return [
        inside(folder.parent, folder.name, p.name, hint=LINK_HINT)
        for p in sorted(folder.iterdir())
        if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
    ]


def existing_ids(folder: Path) -> set[str]:
    """The ids of every response already imported into ``folder``.

    The files are scanned as a stream of YAML events, never built into
    objects: reading the ids of 50,000 responses costs seconds, not minutes.
    """
    found: set[str] = set()
    for path in responses_files(folder):
        found.update(_ids_in(path))
    return found


def _ids_in(path: Path) -> list[str]:
    """The ``id`` of each entry of the top-level ``responses`` list of ``path``."""
    if path.suffix.lower() == ".json":
        return [str(r.get("id")) for r in read_json_responses(path) if isinstance(r, dict)]
    ids: list[str] = []
    # One frame per open collection: [is a mapping, waiting for a key, current key].
    stack: list[list[Any]] = []
    try:
        with _open_text(path) as handle:
            for event in yaml.parse(handle, Loader=_LOADER):
                kind = type(event)
                if isinstance(event, yaml.ScalarEvent):
                    top = stack[-1] if stack else None
                    if top is not None and top[0] and top[1]:
                        top[1], top[2] = False, event.value
                        continue
                    if (
                        len(stack) == 3
                        and stack[2][2] == "id"
                        and stack[0][2] == "responses"
                        and not stack[1][0]
                    ):
                        ids.append(event.value)
                    _value_done(top)
                elif kind is yaml.MappingStartEvent:
                    stack.append([True, True, None])
                elif kind is yaml.SequenceStartEvent:
                    stack.append([False, False, None])
                elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                    stack.pop()
                    _value_done(stack[-1] if stack else None)
                elif kind is yaml.AliasEvent:
                    _value_done(stack[-1] if stack else None)
    except (OSError, UnicodeDecodeError) as err:
        raise InputFileError(path, f"cannot read: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputFileError(
            path,
            f"invalid YAML: {getattr(err, 'problem', err)}",
            line=mark.line + 1 if mark else None,
        ) from None
    return ids


def _value_done(frame: list[Any] | None) -> None:
    """A value of ``frame`` is complete: a mapping waits for its next key."""
    if frame is not None and frame[0]:
        frame[1] = True


def read_json_responses(path: Path) -> list[Any]:
    """The raw ``responses`` list of a JSON responses file (for scanning ids).

    Raises:
        InputFileError: The file cannot be read or is not JSON.
    """
    try:
        with _open_text(path) as handle:
            data = json.loads(handle.read())
    except (OSError, UnicodeDecodeError) as err:
        raise InputFileError(path, f"cannot read: {err}") from None
    except json.JSONDecodeError as err:
        raise InputFileError(path, f"invalid JSON: {err.msg}", line=err.lineno) from None
    except RecursionError:
        raise InputFileError(path, _TOO_DEEP) from None
    found = data.get("responses") if isinstance(data, dict) else None
    return found if isinstance(found, list) else []

"""A tiny evaluator of the XPath subset the XLSForm export emits (for tests only).

It follows XPath 1.0 where the export relies on it: ``=`` between a string and
a number compares numbers, ``>=`` and ``<=`` always compare numbers, and
``number('')`` is NaN, so that an empty field never equals or exceeds a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

_TOKEN = re.compile(
    r"\s*(?:(\$\{[a-z0-9_]+\})|('[^']*'|\"[^\"]*\")|(-?\d+(?:\.\d+)?)|"
    r"(!=|>=|<=|=|\(|\)|,|\.)|([a-z][a-z-]*\(?))"
)

Value = str | float | bool


def _tokens(text: str) -> list[str]:
    found: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip():
                raise ValueError(f"cannot read {text[position:]!r}")
            break
        found.append(match.group().strip())
        position = match.end()
    return [token for token in found if token]


def _number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value) if value.strip() else math.nan
    except ValueError:
        return math.nan


def _string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value


def _boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return bool(value)


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, str], context: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.fields = fields
        self.context = context

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.at]
        if expected is not None and token != expected:
            raise ValueError(f"expected {expected!r}, found {token!r}")
        self.at += 1
        return token

    def parse(self) -> Value:
        value = self.or_expr()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek()!r}")
        return value

    def or_expr(self) -> Value:
        value = self.and_expr()
        while self.peek() == "or":
            self.take()
            right = self.and_expr()
            value = _boolean(value) or _boolean(right)
        return value

    def and_expr(self) -> Value:
        value = self.comparison()
        while self.peek() == "and":
            self.take()
            right = self.comparison()
            value = _boolean(value) and _boolean(right)
        return value

    def comparison(self) -> Value:
        left = self.primary()
        operator = self.peek()
        if operator not in ("=", "!=", ">=", "<="):
            return left
        self.take()
        right = self.primary()
        if operator in (">=", "<="):
            a, b = _number(left), _number(right)
            return a >= b if operator == ">=" else a <= b
        if isinstance(left, float) or isinstance(right, float):
            same = _number(left) == _number(right)
        else:
            same = _string(left) == _string(right)
        return same if operator == "=" else not same

    def arguments(self) -> list[Value]:
        if self.peek() == ")":
            self.take()
            return []
        values = [self.or_expr()]
        while self.peek() == ",":
            self.take()
            values.append(self.or_expr())
        self.take(")")
        return values

    def primary(self) -> Value:
        token = self.take()
        if token == "(":
            value = self.or_expr()
            self.take(")")
            return value
        if token.startswith("${"):
            return self.fields.get(token[2:-1], "")
        if token[0] in "'\"":
            return token[1:-1]
        if token == ".":
            return self.context
        if re.fullmatch(r"-?\d+(\.\d+)?", token):
            return float(token)
        if token.endswith("("):
            name = token[:-1]
            args = self.arguments()
            if name == "not":
                return not _boolean(args[0])
            if name == "true":
                return True
            if name == "false":
                return False
            if name == "selected":
                return _string(args[1]) in _string(args[0]).split()
            if name == "count-selected":
                return float(len(_string(args[0]).split()))
            if name == "translate":
                table = str.maketrans(_string(args[1]), _string(args[2]))
                return _string(args[0]).translate(table)
            if name == "concat":
                return "".join(_string(arg) for arg in args)
        raise ValueError(f"unknown token {token!r}")


def evaluate(expression: str, fields: Mapping[str, str], context: str = "") -> bool:
    """Evaluate ``expression`` with ``fields`` (name -> stored text) as a boolean."""
    return _boolean(_Parser(expression, fields, context).parse())

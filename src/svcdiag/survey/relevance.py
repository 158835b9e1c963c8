"""Turn a structured ``when`` condition into an equivalent XLSForm ``relevant`` expression.

The expression holds for the values a form stores exactly when
:func:`svcdiag.assess.conditions.evaluate` holds for the answers those values
stand for (see :mod:`svcdiag.survey.fields` for the encoding). A form stores
an empty string for a question not answered, or not asked.

* ``equals`` / ``one_of``: ``${q} = 'x'`` on a select_one, ``selected(${q}, 'x')``
  on a select_multiple, ``${q} = 3`` on a number; a comparison that can never
  hold for the question's type (a number against an option id, say) becomes
  ``false()``, as it is false in the interview too.
* ``at_least`` / ``at_most``: ``${q} >= n`` on likert, scale and number
  questions (an empty or ``unknown`` value is not a number, so never matches);
  ``false()`` on other types.
* ``answered``: the value is neither empty nor ``unknown``; ``unknown``: the
  value (or the companion field) is ``unknown``.
* ``all`` / ``any`` / ``not``: ``and``, ``or``, ``not(...)``.
"""

from __future__ import annotations

from decimal import Decimal

from svcdiag.assess.conditions import YAML_FALSE_WORDS, YAML_TRUE_WORDS
from svcdiag.models.findings import UNKNOWN
from svcdiag.models.questionnaire import Condition, ConditionValue, Question, QuestionType
from svcdiag.survey.fields import companion_name, has_companion, is_select

FALSE = "false()"
_NUMERIC = (QuestionType.likert, QuestionType.scale, QuestionType.number)
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"


def ref(name: str) -> str:
    """An XLSForm reference to the field ``name``."""
    return "${" + name + "}"


def literal(text: str) -> str:
    """``text`` as an XPath string literal (XPath 1.0 has no escapes)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    quote = ', "\'", '
    return "concat(" + quote.join(f"'{part}'" for part in text.split("'")) + ")"


def number(value: float) -> str:
    """``value`` as an XPath number (never in exponent notation)."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def _join(parts: list[str], operator: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return f" {operator} ".join(f"({part})" for part in parts)


def _option_matches(question: Question, expected: ConditionValue) -> list[str]:
    """The option ids of ``question`` that an answer equal to ``expected`` may be."""
    ids = [opt.id for opt in question.options or ()]
    if isinstance(expected, bool):
        words = YAML_TRUE_WORDS if expected else YAML_FALSE_WORDS
        return [option_id for option_id in ids if option_id.lower() in words]
    if isinstance(expected, str) and expected in ids:
        return [expected]
    return []


def _equals(question: Question, expected: ConditionValue) -> str:
    field = ref(question.id)
    kind = question.type
    if isinstance(expected, str) and expected == UNKNOWN:
        return FALSE  # "unknown" is never a real answer
    if kind is QuestionType.yes_no:
        if not isinstance(expected, bool):
            return FALSE
        return f"{field} = {literal('yes' if expected else 'no')}"
    if kind in (QuestionType.likert, QuestionType.scale, QuestionType.number):
        if isinstance(expected, bool) or not isinstance(expected, (int, float)):
            return FALSE
        if is_select(question):
            if not float(expected).is_integer():
                return FALSE
            return f"{field} = {literal(number(expected))}"
        return f"{field} = {number(expected)}"
    if kind is QuestionType.choice:
        matches = [
            f"{field} = {literal(option_id)}" for option_id in _option_matches(question, expected)
        ]
        return _join(matches, "or") if matches else FALSE
    if kind is QuestionType.multi_choice:
        matches = [
            f"selected({field}, {literal(option_id)})"
            for option_id in _option_matches(question, expected)
        ]
        return _join(matches, "or") if matches else FALSE
    # text
    if isinstance(expected, bool):
        words = sorted(YAML_TRUE_WORDS if expected else YAML_FALSE_WORDS)
        lowered = _LOWER.format(field)
        return _join([f"{lowered} = {literal(word)}" for word in words], "or")
    if isinstance(expected, str):
        return f"{field} = {literal(expected)}"
    return FALSE


def _answered(question: Question) -> str:
    field = ref(question.id)
    if question.type is QuestionType.multi_choice:
        return f"{field} != '' and not(selected({field}, {literal(UNKNOWN)}))"
    if has_companion(question) or not question.allow_unknown:
        return f"{field} != ''"
    return f"{field} != '' and {field} != {literal(UNKNOWN)}"


def _is_unknown(question: Question) -> str:
    if not question.allow_unknown:
        return FALSE
    if has_companion(question):
        return f"{ref(companion_name(question))} = {literal(UNKNOWN)}"
    if question.type is QuestionType.multi_choice:
        return f"selected({ref(question.id)}, {literal(UNKNOWN)})"
    return f"{ref(question.id)} = {literal(UNKNOWN)}"


def _range(question: Question, condition: Condition) -> str:
    if question.type not in _NUMERIC:
        return FALSE
    field = ref(question.id)
    parts = []
    if condition.at_least is not None:
        parts.append(f"{field} >= {number(condition.at_least)}")
    if condition.at_most is not None:
        parts.append(f"{field} <= {number(condition.at_most)}")
    return " and ".join(parts)


def _test(condition: Condition, question: Question) -> str:
    if condition.answered is not None:
        test = _answered(question)
        return test if condition.answered else f"not({test})"
    if condition.unknown is not None:
        test = _is_unknown(question)
        return test if condition.unknown else f"not({test})"
    if condition.equals is not None:
        return _equals(question, condition.equals)
    if condition.one_of is not None:
        parts = [_equals(question, value) for value in condition.one_of]
        useful = [part for part in parts if part != FALSE]
        return _join(useful, "or") if useful else FALSE
    return _range(question, condition)


def relevant(condition: Condition, questions: dict[str, Question]) -> str:
    """Return the XLSForm ``relevant`` expression equivalent to ``condition``.

    Args:
        condition: A validated condition.
        questions: Every question of the questionnaire, by id (a condition
            names only questions the linter found).
    """
    if condition.all is not None:
        return _join([relevant(part, questions) for part in condition.all], "and")
    if condition.any is not None:
        return _join([relevant(part, questions) for part in condition.any], "or")
    if condition.not_ is not None:
        return f"not({relevant(condition.not_, questions)})"
    assert condition.question is not None  # the model guarantees one form
    return _test(condition, questions[condition.question])

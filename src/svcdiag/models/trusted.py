"""Models built from values already checked, without validation's cost in time and memory.

A result of a million small models (a unit per agent, a point per team and
month) spends most of its time and memory in validation, which checks
values that the analysis has just computed and knows to be valid, and gives
each model its own set of the fields given (some 700 bytes for ten fields).
:func:`trusted` sets the same attributes as
:meth:`~pydantic.BaseModel.model_construct`, at a fraction of the cost, with
one "fields set" shared by every model of the class: it holds every field
already, so nothing done to a model adds to it. Callers pass every field,
each of the exact type validation would give it; their tests check that the
models equal validated ones, field types included.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set_attribute = object.__setattr__


def all_fields(cls: type[BaseModel]) -> set[str]:
    """The "fields set" to share between models of ``cls`` given every field."""
    return set(cls.model_fields)


def trusted(cls: type[M], fields: dict[str, Any], fields_set: set[str]) -> M:
    """Return a ``cls`` holding ``fields`` (every field, in the model's order), unvalidated.

    Args:
        cls: The model class (no extra fields, no private attributes).
        fields: Its values, keyed and ordered as the model's fields; the dict
            becomes the model's own, so it must not be shared.
        fields_set: :func:`all_fields` of ``cls``, made once and shared.
    """
    made = cls.__new__(cls)
    _set_attribute(made, "__dict__", fields)
    _set_attribute(made, "__pydantic_fields_set__", fields_set)
    _set_attribute(made, "__pydantic_extra__", None)
    _set_attribute(made, "__pydantic_private__", None)
    return made

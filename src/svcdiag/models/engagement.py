"""An engagement: everything about one client, kept in one folder.

Layout of an engagement folder (``svcdiag engagement new DIR``)::

    DIR/
      engagement.yaml   EngagementFile: organisation, questionnaire, floor, units
      interviews/       findings files, one per interview (svcdiag assess --engagement)
      responses/        ResponsesFile files, one per survey import (svcdiag survey import)
      evidence/         saved nps, variation and trend results

The folder is meant to be kept under version control: every file in it is
plain YAML, written atomically, and nothing in it is rewritten in place
except ``engagement.yaml``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from svcdiag.models.findings import Role
from svcdiag.models.questionnaire import Identifier

#: The default and the lowest anonymity floor (employee-survey practice).
DEFAULT_ANONYMITY_FLOOR = 5
MIN_ANONYMITY_FLOOR = 3
#: What a questionnaire id looks like (the rule of ``models.questionnaire.Identifier``).
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,63}")

#: The sub-folders of an engagement folder.
INTERVIEWS_DIR = "interviews"
RESPONSES_DIR = "responses"
EVIDENCE_DIR = "evidence"
ENGAGEMENT_FILE = "engagement.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class EngagementQuestionnaire(_Model):
    """Which questionnaire every interview and survey of the engagement uses."""

    id: Identifier
    version: str

    @field_validator("id", mode="before")
    @classmethod
    def _an_id_not_a_path(cls, value: Any) -> Any:
        if isinstance(value, str) and not _IDENTIFIER.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a questionnaire id: an id is lower-case letters, digits and "
                "underscores, starting with a letter, and never a path (the questionnaire is "
                "a shipped one, or the file ID.yaml in the engagement folder)"
            )
        return value


class Unit(_Model):
    """A part of the client: a team, branch or department."""

    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    parent: str | None = Field(
        None, description="The unit this one belongs to; small groups are merged into it."
    )


class Headcount(_Model):
    """How many people of one role work in one unit (for participation rates)."""

    role: Role
    unit: str | None = Field(None, description="A unit id; omitted for the whole organisation.")
    count: int = Field(..., ge=0)


class EngagementFile(_Model):
    """The ``engagement.yaml`` file at the root of an engagement folder."""

    format: Literal["svcdiag-engagement/1"] = "svcdiag-engagement/1"
    organisation: str
    questionnaire: EngagementQuestionnaire
    anonymity_floor: int = Field(DEFAULT_ANONYMITY_FLOOR, ge=MIN_ANONYMITY_FLOOR)
    comment_floor: int | None = Field(
        None, description="Floor for free text and notes; at least the anonymity floor."
    )
    consultant: str | None = None
    units: list[Unit] = Field(default_factory=list)
    headcounts: list[Headcount] = Field(default_factory=list)

    @field_validator("anonymity_floor", mode="before")
    @classmethod
    def _floor_at_least_the_minimum(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and value < MIN_ANONYMITY_FLOOR:
            raise ValueError(
                f"the anonymity floor is {value}; it must be at least {MIN_ANONYMITY_FLOOR}. It "
                "is the fewest responses a group needs to be shown: a smaller group's answers "
                f"could be traced to the people in it (use {MIN_ANONYMITY_FLOOR} or more; "
                f"the default is {DEFAULT_ANONYMITY_FLOOR})"
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> EngagementFile:
        problem = _unit_problem(self.units)
        if problem is not None:
            raise problem
        known = {unit.id for unit in self.units}
        for i, headcount in enumerate(self.headcounts):
            if headcount.unit is not None and headcount.unit not in known:
                raise _located(
                    ("headcounts", i, "unit"),
                    f"a headcount names an unknown unit {headcount.unit!r}; "
                    "add it under units: or correct the id",
                    headcount.unit,
                )
        if self.comment_floor is not None and self.comment_floor < self.anonymity_floor:
            raise _located(
                ("comment_floor",),
                f"comment_floor {self.comment_floor} is below anonymity_floor "
                f"{self.anonymity_floor}: free text identifies people more easily, so its "
                "floor must be at least the anonymity floor",
                self.comment_floor,
            )
        return self

    @property
    def effective_comment_floor(self) -> int:
        """The floor for free text: its own, or the anonymity floor."""
        return self.comment_floor if self.comment_floor is not None else self.anonymity_floor


def _located(loc: tuple[str | int, ...], message: str, value: object) -> ValidationError:
    """A validation error at ``loc``, so that a reader can name the line it is on."""
    error = PydanticCustomError("engagement", "{message}", {"message": message})
    return ValidationError.from_exception_data(
        "EngagementFile", [InitErrorDetails(type=error, loc=loc, input=value)]
    )


def _unit_problem(units: list[Unit]) -> ValidationError | None:
    """The first problem of the unit tree: a repeated id, an unknown parent, or a cycle."""
    first: dict[str, int] = {}
    for i, unit in enumerate(units):
        if unit.id in first:
            return _located(
                ("units", i, "id"),
                f"unit id {unit.id!r} is used twice (units {first[unit.id] + 1} and {i + 1}); "
                "unit ids must be unique",
                unit.id,
            )
        first[unit.id] = i
    parents = {unit.id: unit.parent for unit in units}
    for i, unit in enumerate(units):
        if unit.parent is not None and unit.parent not in parents:
            return _located(
                ("units", i, "parent"),
                f"unit {unit.id!r} names an unknown parent {unit.parent!r}",
                unit.parent,
            )
    cyclic = _on_cycles(parents)
    for i, unit in enumerate(units):
        if unit.id in cyclic:
            chain = [unit.id]
            parent = parents[unit.id]
            while parent is not None and parent != unit.id:
                chain.append(parent)
                parent = parents[parent]
            shown = chain if len(chain) <= _MOST_IN_CYCLE else [*chain[:_MOST_IN_CYCLE], "…"]
            cycle = " -> ".join([*shown, unit.id])
            if len(chain) > _MOST_IN_CYCLE:
                cycle += f"; {len(chain):,} units"
            return _located(
                ("units", i, "parent"),
                f"units form a cycle ({cycle}): a unit cannot be within itself; "
                "give the top unit of the tree no parent",
                unit.parent,
            )
    return None


#: Most units of a cycle its message names.
_MOST_IN_CYCLE = 6


def _on_cycles(parents: dict[str, str | None]) -> set[str]:
    """The units on a cycle of ``parents``, each unit walked over once.

    Every walk up from a unit stops at a root or at a unit walked before; it
    is a cycle when that unit belongs to the walk itself.
    """
    state: dict[str, bool] = {}  # False: on the walk going on; True: walked before it
    cyclic: set[str] = set()
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = False
            path.append(node)
            node = parents[node]
        if node is not None and not state[node]:  # back on this walk: a cycle
            cyclic.update(path[path.index(node) :])
        for walked in path:
            state[walked] = True
    return cyclic

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

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from svcdiag.models.findings import Role

#: The default and the lowest anonymity floor (employee-survey practice).
DEFAULT_ANONYMITY_FLOOR = 5
MIN_ANONYMITY_FLOOR = 3

#: The sub-folders of an engagement folder.
INTERVIEWS_DIR = "interviews"
RESPONSES_DIR = "responses"
EVIDENCE_DIR = "evidence"
ENGAGEMENT_FILE = "engagement.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class EngagementQuestionnaire(_Model):
    """Which questionnaire every interview and survey of the engagement uses."""

    id: str
    version: str


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

    @model_validator(mode="after")
    def _check(self) -> EngagementFile:
        ids = [unit.id for unit in self.units]
        if len(ids) != len(set(ids)):
            raise ValueError("unit ids must be unique")
        known = set(ids)
        for unit in self.units:
            if unit.parent is not None and unit.parent not in known:
                raise ValueError(f"unit {unit.id!r} names an unknown parent {unit.parent!r}")
        for headcount in self.headcounts:
            if headcount.unit is not None and headcount.unit not in known:
                raise ValueError(f"a headcount names an unknown unit {headcount.unit!r}")
        if self.comment_floor is not None and self.comment_floor < self.anonymity_floor:
            raise ValueError("comment_floor must be at least anonymity_floor")
        return self

    @property
    def effective_comment_floor(self) -> int:
        """The floor for free text: its own, or the anonymity floor."""
        return self.comment_floor if self.comment_floor is not None else self.anonymity_floor

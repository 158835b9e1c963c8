"""Survey responses imported into an engagement (``responses/*.json``; YAML also read).

One file per import (``svcdiag survey import``). Survey respondents are
anonymous by design: a response holds a role, a unit, answers and free-text
notes, never a name or an e-mail address, even where the platform exported
one. Each response carries a stable ``id`` (the platform's submission id, or
a hash of the row) so that importing the same export twice adds nothing.

Answer values have the same types and checks as in an answers file
(:mod:`svcdiag.models.findings`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from svcdiag.models.findings import AnswerValue, Role


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ResponsesQuestionnaire(_Model):
    """The questionnaire the survey was exported from."""

    id: str
    version: str
    sha256: str = Field(..., pattern=r"^[0-9a-f]{64}$")


class ResponsesSource(_Model):
    """Where the responses came from."""

    platform: Literal["kobo", "odk", "qualtrics", "google", "csv"]
    file: str = Field(..., description="The export's file name, as given (no folder).")
    imported: datetime
    sha256: str = Field(..., pattern=r"^[0-9a-f]{64}$", description="Of the export file.")
    rows_read: int | None = Field(None, ge=0, description="Data rows in the export.")
    rows_rejected: int | None = Field(
        None, ge=0, description="Rows kept out for invalid answers (see the rejects file)."
    )
    rows_duplicate: int | None = Field(
        None, ge=0, description="Rows already imported, or given twice in the export."
    )
    dropped_columns: list[str] = Field(
        default_factory=list,
        description="Columns that could identify a respondent (e-mail, user name), never read.",
    )


class Response(_Model):
    """One anonymous survey respondent."""

    id: str = Field(..., min_length=1, description="Submission id, or sha256 of the row.")
    role: Role
    unit: str | None = None
    submitted: datetime | None = None
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)


class ResponsesFile(_Model):
    """A ``responses/*.json`` (or ``.yaml``) file of an engagement."""

    format: Literal["svcdiag-responses/1"] = "svcdiag-responses/1"
    questionnaire: ResponsesQuestionnaire
    source: ResponsesSource
    responses: list[Response] = Field(default_factory=list)

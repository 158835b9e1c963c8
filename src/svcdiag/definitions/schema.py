"""JSON Schemas of svcdiag's file formats, generated from the pydantic models.

Editors use them for completion (``# yaml-language-server: $schema=...``);
committed copies live in ``schema/`` and a test keeps them current.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel


class SchemaKind(str, Enum):
    """Which file format's schema to print."""

    questionnaire = "questionnaire"
    findings = "findings"
    answers = "answers"
    factors = "factors"
    characteristics = "characteristics"
    interventions = "interventions"
    engagement = "engagement"
    responses = "responses"


def _model(kind: SchemaKind) -> type[BaseModel]:
    from svcdiag.models import catalogue, engagement, findings, questionnaire, responses

    models: dict[SchemaKind, type[BaseModel]] = {
        SchemaKind.questionnaire: questionnaire.Questionnaire,
        SchemaKind.findings: findings.Findings,
        SchemaKind.answers: findings.AnswersFile,
        SchemaKind.factors: catalogue.FactorCatalogue,
        SchemaKind.characteristics: catalogue.CharacteristicCatalogue,
        SchemaKind.interventions: catalogue.InterventionCatalogue,
        SchemaKind.engagement: engagement.EngagementFile,
        SchemaKind.responses: responses.ResponsesFile,
    }
    return models[kind]


def json_schema(kind: SchemaKind) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the ``kind`` file format."""
    schema = _model(kind).model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def committed_name(kind: SchemaKind) -> str:
    """File name of the committed copy in ``schema/``."""
    return f"{kind.value}.schema.json"

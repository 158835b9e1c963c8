"""Read an engagement folder's ``engagement.yaml``, with errors that name the line.

This is the one place the survey commands read an engagement; it can be
pointed at the engagement package's own loader once that exists.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from svcdiag.errors import InputFileError, UsageError
from svcdiag.models.engagement import ENGAGEMENT_FILE, RESPONSES_DIR, EngagementFile
from svcdiag.source.links import refuse_link
from svcdiag.source.nofollow import inside
from svcdiag.source.yamlsource import load_file

LINK_HINT = "replace the link by the file or folder itself"


def load_engagement(directory: Path) -> EngagementFile:
    """Read and validate ``directory/engagement.yaml``.

    Raises:
        UsageError: ``directory`` is not an engagement folder.
        InputFileError: The file is not valid YAML, or does not fit the model
            (the first problem, with its line); it or ``responses/`` is a symbolic link.
    """
    path = inside(directory, ENGAGEMENT_FILE, hint=LINK_HINT)
    refuse_link(path, f"{ENGAGEMENT_FILE} must be a real file", hint=LINK_HINT)
    refuse_link(
        directory / RESPONSES_DIR, f"{RESPONSES_DIR}/ must be a real folder", hint=LINK_HINT
    )
    if not path.is_file():
        raise UsageError(
            f"{directory} is not an engagement folder (it has no {ENGAGEMENT_FILE})",
            hint="create one with 'svcdiag engagement new DIR', or name the folder that "
            f"holds {ENGAGEMENT_FILE}",
        )
    doc = load_file(path)
    doc.refuse_duplicates()
    try:
        return EngagementFile.model_validate(doc.data)
    except ValidationError as err:
        first = err.errors()[0]
        location = tuple(first["loc"])
        position = doc.locate(location)
        where = ".".join(str(part) for part in location)
        message = first["msg"].removeprefix("Value error, ")
        count = err.error_count()
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise InputFileError(
            path,
            f"{where + ': ' if where else ''}{message}{more}",
            line=position.line,
            col=position.col,
            hint="see 'svcdiag schema engagement' for the format",
        ) from None


def questionnaire_ref(directory: Path, engagement: EngagementFile) -> str:
    """The questionnaire of ``engagement`` to load: ``DIR/<id>.yaml`` or the shipped one.

    A client's own questionnaire is kept in the engagement folder under its id;
    otherwise the id names a shipped questionnaire.
    """
    own = directory / f"{engagement.questionnaire.id}.yaml"
    return str(own) if own.is_file() else engagement.questionnaire.id

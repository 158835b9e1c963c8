"""Load questionnaire definitions: validated, linted models, listings, schemas.

:mod:`.loading` turns a shipped id or a path into a questionnaire with its
catalogues, refusing any definition that does not lint; :mod:`.listing`
summarises what is available; :mod:`.schema` generates the JSON Schemas of
every file format from the models.

May import: :mod:`svcdiag.models`, :mod:`svcdiag.source`, :mod:`svcdiag.lint`
and the root utilities.
"""

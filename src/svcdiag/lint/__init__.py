"""``svcdiag lint``: check questionnaire and catalogue files like a code linter.

Kept import-free so that the CLI can load :mod:`svcdiag.lint.formats` cheaply;
the engine is :mod:`svcdiag.lint.runner`.
"""

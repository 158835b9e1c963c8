"""Command-line interface: one thin function per command.

Each command parses its options, calls one core function, hands the result to
a renderer and lets :func:`~svcdiag.cli.app.handled` turn a
:class:`~svcdiag.errors.SvcdiagError` into a message and an exit code. Heavy
modules are imported inside the commands so that ``svcdiag --help`` and
``svcdiag lint`` start fast. The command modules register on import.
"""

# Registration order is the order of --help: the main job first.
from svcdiag.cli import assessing, reporting  # isort: skip
from svcdiag.cli import data, definitions  # isort: skip
from svcdiag.cli import engagement, survey  # isort: skip
from svcdiag.cli.app import app, main

__all__ = [
    "app",
    "assessing",
    "data",
    "definitions",
    "engagement",
    "main",
    "reporting",
    "survey",
]

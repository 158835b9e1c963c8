"""The Jinja2 environment of the HTML reports, loading the templates shipped in the package.

Templates live in ``svcdiag/render/templates/`` and are read through
:class:`jinja2.PackageLoader`, so they work from a wheel as well as from a
source tree. Autoescaping is on for every template: any value from a
findings file, an answers file or client data is escaped where it lands, in
text and in attributes alike. Undefined names are errors, not empty strings,
so a misspelt field fails the tests instead of vanishing from the report.
Control characters in text are dropped before escaping (HTML forbids them).

This module imports jinja2, so only the ``html`` and ``pdf`` formats import it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
import markupsafe

from svcdiag import __version__
from svcdiag.render import svg
from svcdiag.textsafe import for_terminal


def _finalize(value: Any) -> Any:
    """Drop control characters from plain text (HTML forbids most of them)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return for_terminal(value).replace("\t", " ")
    return value


@cache
def environment() -> jinja2.Environment:
    """The one environment, built on first use."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("svcdiag.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.globals.update(
        svcdiag_version=__version__,
        palette=svg.PALETTE,
        svg_styles=svg.STYLES,
        heat_fills=svg.HEAT_FILLS,
        text_on=svg.text_on,
    )
    return env


def render_template(name: str, **context: Any) -> str:
    """Render the template ``name`` with ``context`` and return the HTML text."""
    return environment().get_template(name).render(**context)

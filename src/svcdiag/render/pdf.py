"""PDF output: the HTML report printed to PDF by WeasyPrint, an optional extra.

WeasyPrint and its system libraries (Pango, HarfBuzz) are not needed for
anything else, so they are imported only here, and only for ``--format pdf``.
Without them the user is told what to install (exit status 2). The HTML has
no external resources; the URL fetcher refuses any request all the same, so a
PDF can never reach the network.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from svcdiag.errors import UsageError

#: What to install, as the error message says it.
INSTALL_HINT = (
    "install the PDF extra: pip install 'svcdiag[pdf]'; WeasyPrint also needs the Pango "
    "libraries (Debian and Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0; macOS: brew install pango)"
)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"svcdiag reports load nothing from outside the file: {url}")


def weasyprint_module() -> Any:
    """Import WeasyPrint, or raise a :class:`UsageError` saying what to install."""
    try:
        import weasyprint
    except ImportError as err:
        raise UsageError(
            f"PDF output needs WeasyPrint, which is not installed ({err.name or err})",
            hint=INSTALL_HINT,
        ) from None
    except OSError as err:  # WeasyPrint is there but Pango or HarfBuzz is not.
        raise UsageError(
            f"PDF output needs WeasyPrint's system libraries: {err}", hint=INSTALL_HINT
        ) from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of the self-contained HTML document ``html``.

    WeasyPrint logs what it ignores in a stylesheet; the report's stylesheet
    is written for it (a test checks that it logs nothing), so its log is
    kept off the user's terminal below errors.
    """
    weasyprint = weasyprint_module()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetch)
    pdf = document.write_pdf()
    assert isinstance(pdf, bytes)
    return pdf

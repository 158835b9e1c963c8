"""Turn names (an organisation, say) into safe file-name parts."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, fallback: str = "assessment", max_length: int = 40) -> str:
    """Return ``text`` as lower-case ASCII words joined by hyphens.

    ``"Acme Ltd."`` becomes ``"acme-ltd"``, ``"Café Zürich"`` ``"cafe-zurich"``.
    Text with no letters or digits gives ``fallback``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or fallback

"""Allow ``python -m svcdiag``."""

from svcdiag.cli import main

main()

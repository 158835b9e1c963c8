"""The ``svcdiag`` console script, and ``python -m svcdiag``.

Loading the command line takes a few tenths of a second. Ctrl-C in that time
is reported as any other interruption (exit 130), not as a traceback.
"""

import sys


def main() -> None:
    """Load the command line and run it."""
    try:
        from svcdiag.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None  # errors.EXIT_INTERRUPTED, not yet loaded
    run()


if __name__ == "__main__":
    main()

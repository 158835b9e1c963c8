"""Turn SIGTERM and SIGHUP into an exception, like Ctrl-C, during an assessment.

By default SIGTERM and SIGHUP (a closed terminal) end Python at once, so the
code that saves the session and prints the resume command never runs. Inside
:func:`interrupts_raised` they raise :class:`Terminated`, a
:class:`KeyboardInterrupt`, and the assessment loop handles all three alike.

Inside :func:`deferred` (used around each save) these signals, and Ctrl-C,
wait until the block ends, so that a save is never cut short.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: The signals handled, where the platform has them.
HANDLED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

_state: dict[str, Any] = {"depth": 0, "pending": None}


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM or SIGHUP."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)


def _interrupt_for(signum: int) -> KeyboardInterrupt:
    if signum == signal.SIGINT:
        return KeyboardInterrupt()
    return Terminated(signum)


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state["depth"] > 0:
        if _state["pending"] is None:
            _state["pending"] = signum
        return
    raise _interrupt_for(signum)


@contextmanager
def interrupts_raised() -> Iterator[None]:
    """Raise :class:`Terminated` on SIGTERM and SIGHUP while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _handler) for signum in HANDLED}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends, then raise."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old_int = signal.signal(signal.SIGINT, _handler)
    _state["depth"] += 1
    try:
        yield
    finally:
        _state["depth"] -= 1
        signal.signal(signal.SIGINT, old_int)
        pending = _state["pending"]
        if _state["depth"] == 0 and pending is not None:
            _state["pending"] = None
            raise _interrupt_for(pending)

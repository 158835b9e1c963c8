"""Text written to a stream in few, large writes: whole when short, in chunks when long.

A reader that stops early (``svcdiag ... | head -1``) closes the pipe, and a
write after that fails: the command then exits 141. An output written a row
at a time loses that race now and then, however short it is. Gathered and
written in one call, a short output lands whole in the pipe before the
reader can stop, and the command exits 0. A long one goes out in chunks of
:data:`WHOLE_WRITE` characters, so memory stays bounded however many
rows there are (and a reader that stops early still ends it with 141).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

#: Text up to this many characters leaves in one write. A pipe on Linux (and
#: on macOS, once it has grown) holds 64 KiB, so a write of at most that many
#: bytes lands whole even when the reader stops after its first line; a
#: character is at least a byte, so text of at most 64 Ki characters is never
#: split when its bytes fit. Longer text goes out in writes of this size, each
#: small enough for a reader that stops to end the command with 141 at the next.
WHOLE_WRITE = 64 * 1024


class Batched(io.StringIO):
    """A text stream that passes what it is given on to ``out`` in writes of ``size``.

    At most ``size`` characters are held. Every write to ``out`` but the last
    is of exactly ``size`` characters; the last, when the text ends
    (:meth:`pass_on`), is of what is left.
    """

    def __init__(self, out: IO[str], size: int = WHOLE_WRITE) -> None:
        """Gather text for ``out``, to pass it on ``size`` characters at a time."""
        super().__init__()
        self._out = out
        self._size = size

    def write(self, text: str, /) -> int:
        """Hold ``text``; pass on ``size`` characters at a time while more are held."""
        size = self._size
        room = size - self.tell()
        if len(text) <= room:
            return super().write(text)
        self._out.write(self._take() + text[:room])
        start = room
        while len(text) - start > size:  # a long text is cut, never copied whole
            self._out.write(text[start : start + size])
            start += size
        super().write(text[start:])
        return len(text)

    def pass_on(self) -> None:
        """Write what is held to ``out``, in one call (nothing if nothing is held)."""
        text = self._take()
        if text:
            self._out.write(text)

    def _take(self) -> str:
        """What is held, no longer held."""
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


@contextmanager
def batched(out: IO[str], size: int = WHOLE_WRITE) -> Iterator[IO[str]]:
    """A stream for text meant for ``out``: written whole at the end if it is short.

    Text of at most ``size`` characters reaches ``out`` in one write when the
    block ends; longer text in writes of ``size`` characters (the last of what
    is left), as it comes: a long text is never held whole. If
    the block fails, what is still held is dropped: a short output is then
    not written at all, rather than in part.
    """
    buffer = Batched(out, size)
    yield buffer
    buffer.pass_on()


def write_whole(text: str, out: IO[str], size: int = WHOLE_WRITE) -> None:
    """Write ``text`` to ``out`` in one write if it is short, else ``size`` characters a time."""
    with batched(out, size) as gathered:
        gathered.write(text)

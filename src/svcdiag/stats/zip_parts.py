"""Read a workbook's zip member as far as it can be read, as python-calamine does.

:mod:`zipfile` raises on a member whose CRC-32 does not match, or whose
compressed data is cut short or broken, and the bytes of the read that
raises are lost with it. python-calamine reads a sheet's part on the fly
and stops at the end of the sheet's data: damage after it (or a CRC-32 it
never gets to check) goes unseen, and the sheet is loaded as its bytes say.
The checks made before python-calamine opens a file (:mod:`.sheet_bounds`)
must see those same bytes, so :func:`open_part` gives a member's data up to
the first byte that cannot be inflated, and the CRC-32 is not checked.
"""

from __future__ import annotations

import contextlib
import copy
import io
import zipfile
import zlib
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

#: Compressed bytes inflated at a time, and most bytes one inflating gives.
_COMPRESSED = 1 << 16
_INFLATED = 1 << 20


def open_part(book: zipfile.ZipFile, part: str) -> IO[bytes]:
    """Open the member ``part`` of ``book`` to read its data as far as it goes.

    A stored or deflated member is read here (every member of the workbooks
    python-calamine reads is one or the other); a member compressed
    otherwise is opened by :mod:`zipfile`, which may raise.

    Raises:
        KeyError: no such member.
        RuntimeError: the member is encrypted.
    """
    info = book.getinfo(part)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return book.open(info)
    raw = copy.copy(info)
    raw.compress_type, raw.file_size = zipfile.ZIP_STORED, info.compress_size
    raw.CRC = None  # type: ignore[assignment]  # zipfile then checks none
    member = book.open(raw)
    if info.compress_type == zipfile.ZIP_STORED:
        return member
    return io.BufferedReader(_Inflated(member), _INFLATED)


class _Inflated(io.RawIOBase):
    """The data of a deflated member, up to the first byte that cannot be inflated."""

    def __init__(self, compressed: IO[bytes]) -> None:
        super().__init__()
        self._compressed = compressed
        self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        self._pending = b""  # inflated, read up to _at
        self._at = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        while self._at == len(self._pending) and not self._ended:
            self._pending, self._at = self._more(), 0
        count = min(len(view), len(self._pending) - self._at)
        # Read in small pieces (readall asks for 8 KiB at a time), a megabyte
        # inflated is passed on from where the last read ended, never copied again.
        view[:count] = memoryview(self._pending)[self._at : self._at + count]
        self._at += count
        return count

    def close(self) -> None:
        self._compressed.close()
        super().close()

    def _more(self) -> bytes:
        """Inflate the next piece; at the end of the data, or at damage, end."""
        if self._inflate.eof:
            self._ended = True
            return b""
        piece = self._inflate.unconsumed_tail or self._compressed.read(_COMPRESSED)
        if not piece:  # cut short: what zlib holds is the last of it
            self._ended = True
            try:
                return self._inflate.flush()
            except zlib.error:
                return b""
        before = self._inflate.copy()
        try:
            return self._inflate.decompress(piece, _INFLATED)
        except zlib.error:
            self._ended = True
            return _before_damage(before, piece)


def _before_damage(inflate: zlib._Decompress, piece: bytes) -> bytes:
    """What ``inflate`` gives of ``piece``, a byte at a time, up to the byte it cannot take."""
    given = bytearray()
    with contextlib.suppress(zlib.error):  # raised at the damage
        for at in range(len(piece)):
            given += inflate.decompress(piece[at : at + 1])
    return bytes(given)

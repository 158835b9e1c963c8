"""Open the files a user names: regular files only, and never read without a bound.

Every file svcdiag reads on a user's behalf (questionnaires, answers,
findings, evidence, CSV data) is opened here. A named pipe, a device
(``/dev/zero``, ``/dev/urandom``), a socket or a folder is refused with a
message that says what it is, before anything is read: such a "file" can
block forever or never end, and its reported size (0) says nothing. The
check is made on the open descriptor as well (``fstat``), so a file swapped
for a pipe between the check and the open is refused too; the open itself
never blocks (``O_NONBLOCK``). A path inside an engagement folder
(:func:`svcdiag.source.nofollow.inside`) is opened without following a link
at any step.

:func:`read_limited` also stops reading one byte past its limit, so even a
regular file that grows while it is read cannot exhaust memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from svcdiag.errors import InputFileError
from svcdiag.source.nofollow import open_descriptor

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def kind_of(mode: int) -> str:
    """Name the kind of file a ``st_mode`` describes, as a message says it."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(path: Path | str, mode: int) -> InputFileError:
    """The error for a path that exists but is not a regular file."""
    kind = kind_of(mode)
    if stat.S_ISDIR(mode):
        return InputFileError(path, "is a directory, not a file", hint="name a file in it")
    return InputFileError(
        path,
        f"is {kind}, not a regular file; svcdiag reads only regular files",
        hint="save the data to a file first and give its name",
    )


def check_regular(path: Path) -> os.stat_result:
    """Return ``path``'s status if it is a regular file (symlinks followed), else raise.

    Raises:
        InputFileError: missing (or a symlink to nothing), not permitted, or
            not a regular file.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputFileError(path, "is a symbolic link to a file that does not exist") from None
        raise missing(path) from None
    except PermissionError:
        raise InputFileError(path, "permission denied") from None
    except OSError as err:
        raise InputFileError(path, f"cannot read: {err.strerror or err}") from None
    if not stat.S_ISREG(status.st_mode):
        raise not_regular(path, status.st_mode)
    return status


def missing(path: Path) -> InputFileError:
    """The error for a path that names no file; ``-`` and a URL are told as what they are.

    Neither is read: ``-`` (standard input, to many tools) and a URL are
    named as such, the URL as it was typed (see :func:`typed_url`).
    """
    if str(path) == "-":
        return InputFileError(
            "-",
            "standard input is not read; name a file",
            hint="save the data to a file first and give its name",
        )
    url = typed_url(path)
    if url is not None:
        where = url.removeprefix("file://")
        return InputFileError(
            url,
            "is a URL; svcdiag reads only files",
            hint=f"give the file's path: {where}"
            if url.startswith("file:")
            else "download the file first and give its name",
        )
    return InputFileError(path, "no such file")


#: A URL's scheme (``https:``, ``s3:``) as the first part of a path: two
#: characters or more, so that a Windows drive (``C:``) is not one.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def typed_url(path: Path) -> str | None:
    """The URL ``path`` was typed as, or None if it does not look like one.

    A path joins the slashes of ``https://host/x.csv`` into one
    (``https:/host/x.csv``); the URL is given back with two (three for
    ``file:``, whose host is usually empty).
    """
    parts = Path(path).parts
    if len(parts) < 2 or not _SCHEME.fullmatch(parts[0]):
        return None
    slashes = "///" if parts[0].lower() == "file:" else "//"
    return parts[0] + slashes + "/".join(parts[1:])


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for binary reading, refusing anything but a regular file.

    Raises:
        InputFileError: the path is missing, not readable or not a regular file.
    """
    fd = open_descriptor(path)  # a path inside an engagement folder: no link followed
    if fd is None:
        fd = _open_by_name(path)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise not_regular(path, mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _open_by_name(path: Path) -> int:
    check_regular(path)
    try:
        return os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except OSError as err:
        raise InputFileError.from_os_error(path, err) from None


class TooLarge(InputFileError):
    """A file is larger than the reader's limit; ``limit`` says how large it may be."""

    def __init__(self, path: Path | str, limit: int) -> None:
        super().__init__(
            path,
            f"file is too large (more than {limit} bytes)",
            hint="svcdiag's YAML files are far smaller; is this the right file?",
        )
        self.limit = limit


def read_limited(path: Path, limit: int) -> bytes:
    """Read the regular file ``path`` whole, refusing one longer than ``limit`` bytes.

    Raises:
        InputFileError: as :func:`open_regular`, or a read fails.
        TooLarge: the file holds more than ``limit`` bytes.
    """
    with open_regular(path) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as err:
            raise InputFileError(path, f"cannot read: {err.strerror or err}") from None
    if len(data) > limit:
        raise TooLarge(path, limit)
    return data


#: Byte-order marks of the other Unicode encodings, as iconv names them
#: (UTF-32 first: its little-endian mark starts with UTF-16's).
UNICODE_MARKS = (
    ("UTF-32", (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")),
    ("UTF-16", (b"\xff\xfe", b"\xfe\xff")),
)


def other_unicode(start: bytes) -> str | None:
    """Name the Unicode encoding (other than UTF-8) that the first bytes of a file show.

    A byte-order mark names it; without one, text that is mostly ASCII saved
    as UTF-16 has a zero byte at every other place (``iconv -t UTF-16LE``).

    Args:
        start: The first bytes of the file (64 are plenty).

    Returns:
        ``"UTF-32"``, ``"UTF-16"`` or ``None`` when the bytes show neither.
    """
    for encoding, marks in UNICODE_MARKS:
        if start.startswith(marks):
            return encoding
    pairs = start[: len(start) // 2 * 2]
    if len(pairs) >= 4:
        even, odd = pairs[0::2], pairs[1::2]
        if (even.count(0) == 0 and odd.count(0) == len(odd)) or (
            odd.count(0) == 0 and even.count(0) == len(even)
        ):
            return "UTF-16"
    return None

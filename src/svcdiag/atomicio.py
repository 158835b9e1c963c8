"""Write files so that nothing is lost or half-written.

:func:`write_atomic` writes to a temporary file in the same directory, flushes
and fsyncs it, sets its mode, then renames it over the target with
:func:`os.replace`. A crash leaves either the old file or the new one, never a
mixture. :func:`write_new` refuses to replace an existing file unless told to.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from svcdiag.errors import InputFileError, OverwriteError


def write_atomic(path: Path, text: str | bytes, *, mode: int = 0o644) -> None:
    """Atomically replace ``path`` with ``text`` (UTF-8; bytes as they are), with file ``mode``."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise InputFileError(path, f"cannot write: {err.strerror or err}") from None
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise InputFileError(path, f"cannot write: {err.strerror or err}") from None
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_new(path: Path, text: str | bytes, *, force: bool = False, mode: int = 0o644) -> None:
    """Write ``path`` atomically, refusing to overwrite it unless ``force``.

    An existing folder is never a valid target, ``--force`` or not.
    """
    if path.is_dir():
        raise OverwriteError(
            f"{path} is a folder; nothing was written",
            hint=f"name a file, for example {path / 'findings.yaml'}",
        )
    if path.exists() and not force:
        raise OverwriteError(
            f"{path} already exists; nothing was written",
            hint="choose another name with --output, or pass --force to replace it",
        )
    write_atomic(path, text, mode=mode)

"""Write files so that nothing is lost or half-written.

:func:`write_atomic` writes to a temporary file in the same directory, flushes
and fsyncs it, sets its mode, then renames it over the target with
:func:`os.replace`. A crash leaves either the old file or the new one, never a
mixture. :func:`write_new` refuses to replace an existing file unless told to, and
never replaces what is not a regular file (a device, a pipe, a folder).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from svcdiag.errors import InputFileError, OverwriteError
from svcdiag.source.files import kind_of

#: What a file is written from: text (written as UTF-8), bytes, or text made a
#: piece at a time (never held whole).
Content = str | bytes | Iterable[str]


def write_atomic(path: Path, text: Content, *, mode: int = 0o644, replace: bool = True) -> None:
    """Atomically replace ``path`` with ``text`` (UTF-8, or bytes as given), with file ``mode``.

    Text given in pieces is written as it comes; should making a piece fail
    (or be interrupted), the temporary file is removed and ``path`` is left
    as it was.

    With ``replace`` false the file is published with a hard link, which
    fails if ``path`` appeared meanwhile (another run writing the same name):
    an :class:`~svcdiag.errors.OverwriteError`, never a silent overwrite.
    Where hard links are not supported it falls back to the rename.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise InputFileError(path, f"cannot write: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            for piece in _pieces(text):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        if replace or not _linked(tmp, path):
            os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, FileExistsError):
            raise OverwriteError(
                f"{path} was created by something else while this was written; nothing "
                "was replaced",
                hint="choose another name with --output, or pass --force to replace it",
            ) from None
        if isinstance(err, OSError):
            raise InputFileError(path, f"cannot write: {err.strerror or err}") from None
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _pieces(text: Content) -> Iterator[bytes]:
    if isinstance(text, bytes):
        yield text
    elif isinstance(text, str):
        yield text.encode("utf-8")
    else:
        for piece in text:
            yield piece.encode("utf-8")


def _linked(tmp: str, path: Path) -> bool:
    """Publish ``tmp`` as ``path`` only if ``path`` does not exist; False if links are unsupported.

    Raises:
        FileExistsError: ``path`` exists.
    """
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        return False  # a file system without hard links
    os.unlink(tmp)
    return True


#: What a command that prints its result does without ``--output``.
TO_STDOUT = "leave --output out to use stdout"


def write_new(
    path: Path,
    text: Content,
    *,
    force: bool = False,
    mode: int = 0o644,
    without_output: str = TO_STDOUT,
) -> None:
    """Write ``path`` atomically, refusing to overwrite it unless ``force``.

    Never valid targets, ``--force`` or not: a folder, and anything else that
    is not a regular file or a symbolic link to one (a device such as
    ``/dev/full``, a named pipe, a socket), which replacing would destroy. A
    symbolic link to nothing counts as an existing file: it is replaced only
    with ``force``. ``without_output`` ends the hint for a device: what the
    command does when ``--output`` is left out.
    """
    check_target(path, force=force, without_output=without_output)
    write_atomic(path, text, mode=mode, replace=force)


def check_target(path: Path, *, force: bool = False, without_output: str = TO_STDOUT) -> None:
    """Raise unless ``path`` may be written: absent, or a regular file and ``force``.

    ``without_output`` ends the hint for a device or a pipe: what the command
    does when ``--output`` is left out (by default, it prints to stdout).

    Raises:
        OverwriteError: ``path`` is a folder or not a regular file, or exists
            (a dangling link included) and ``force`` is false.
    """
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as err:
        raise InputFileError(path, f"cannot write: {err.strerror or err}") from None
    try:
        target: os.stat_result | None = os.stat(path)
    except OSError:
        target = None  # a symbolic link to nothing (or to where we may not look)
    if target is not None and stat.S_ISDIR(target.st_mode):
        raise OverwriteError(
            f"{path} is a folder; nothing was written",
            hint=f"name a file to write instead, inside {path.name or path}/ or elsewhere",
        )
    if target is not None and not stat.S_ISREG(target.st_mode):
        raise OverwriteError(
            f"{path} is {kind_of(target.st_mode)}, not a regular file; nothing was written "
            "(--force never replaces one)",
            hint=f"choose a file name with --output, or {without_output}",
        )
    if force:
        return
    if target is None and stat.S_ISLNK(link.st_mode):
        raise OverwriteError(
            f"{path} is a symbolic link to a file that does not exist; nothing was written",
            hint="choose another name with --output, or pass --force to replace the link",
        )
    raise OverwriteError(
        f"{path} already exists; nothing was written",
        hint="choose another name with --output, or pass --force to replace it",
    )


def check_not_input(output: Path, inputs: Sequence[Path]) -> None:
    """Raise unless ``output`` is another file than each of ``inputs``, by any name.

    ``--force`` lets a result replace an older one, never the data it was
    read from: ``-o data.csv --force`` on ``data.csv`` would leave the result
    where the client's export was.

    Raises:
        OverwriteError: ``output`` is one of ``inputs`` (or a link to one).
    """
    for given in inputs:
        try:
            same = os.path.samefile(output, given)
        except OSError:
            continue  # either one does not exist (yet): nothing to destroy
        if same:
            named = "" if Path(output) == Path(given) else f" {given}, by another name"
            raise OverwriteError(
                f"the output {output} is the input file{named}: writing the result there "
                "would replace the data it comes from",
                hint="write the result to another file",
            )

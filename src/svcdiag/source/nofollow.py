"""Open, read and write files inside a folder without following a link at any step.

Checking a path with ``is_symlink()`` and then opening it by name leaves a
gap: a link put there in between (a synced or shared folder, another
program) is followed by the open. Here the folder is opened once, each
sub-folder below it is opened relative to its parent's descriptor with
``O_DIRECTORY | O_NOFOLLOW``, and the file relative to the last one with
``O_NOFOLLOW``; so a link at any of those steps fails the open itself, and
is reported as :func:`~svcdiag.source.links.refuse_link` reports it.

Reads: :func:`inside` gives a path that remembers the folder it lies in
and the steps below it; :func:`~svcdiag.source.files.open_regular` (and
every reader built on it) opens such a path step by step. Any other use of
it (its name, its suffix, ``str()``) is that of an ordinary path.

Writes: :func:`write_new` keeps every promise of
:func:`svcdiag.atomicio.write_new` (a temporary file, fsynced, given its
mode, then published by a hard link that refuses an existing name, or
renamed over it with ``force``), all relative to the folder's descriptor.

The folder named first may itself be reached through a link. Where the
system lacks ``O_NOFOLLOW`` or descriptor-relative calls (Windows), paths
are plain and writes go through :mod:`svcdiag.atomicio`, as before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PosixPath

from svcdiag.errors import InputFileError, OverwriteError
from svcdiag.source.links import link_refused

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
#: Whether this system can open step by step (not on Windows).
SUPPORTED = (
    bool(_NOFOLLOW and _DIRECTORY)
    and {
        os.open,
        os.stat,
        os.mkdir,
        os.link,
        os.rename,
        os.unlink,
    }
    <= os.supports_dir_fd
)
#: What a failed open says when the thing opened is a link (FreeBSD says EMLINK).
_LINK_ERRNOS = {errno.ELOOP, errno.EMLINK, errno.ENOTDIR}


class InsidePath(PosixPath):
    """A path below ``base`` whose every step is opened without following a link.

    Only :func:`inside` sets the steps; a path derived from this one
    (``.parent``, ``/``) is an ordinary path.
    """

    nofollow_base: Path | None = None
    nofollow_steps: tuple[str, ...] = ()
    nofollow_hint: str = ""


def inside(base: Path, *steps: str, hint: str) -> Path:
    """``base / steps...``, to be opened without following a link below ``base``.

    Args:
        base: the folder (it may itself be reached through a link).
        steps: the sub-folders and file name below it, one name each.
        hint: the hint of the error when a step is a link.
    """
    plain = base.joinpath(*steps)
    if not SUPPORTED or not steps:
        return plain
    path = InsidePath(plain)
    path.nofollow_base = base
    path.nofollow_steps = tuple(steps)
    path.nofollow_hint = hint
    return path


def guarded(path: Path) -> bool:
    """Whether ``path`` came from :func:`inside`: opened and written step by step."""
    return isinstance(path, InsidePath) and path.nofollow_base is not None


def what_step(steps: Sequence[str], index: int) -> str:
    """What the step ``steps[index]`` must be, as :func:`~.links.refuse_link` says it."""
    name = steps[index]
    if index < len(steps) - 1:
        return f"{name}/ must be a real folder"
    if index == 0:
        return f"{name} must be a real file"
    return f"each file in {steps[index - 1]}/ must be a real file"


def open_descriptor(path: Path) -> int | None:
    """Open ``path`` for reading step by step if it came from :func:`inside`, else None.

    The descriptor is opened without blocking (``O_NONBLOCK``); the caller
    checks that it is a regular file and closes it.

    Raises:
        InputFileError: a step is a link (as :func:`~.links.refuse_link`
            says it), or the file cannot be opened.
    """
    if not isinstance(path, InsidePath) or path.nofollow_base is None:
        return None
    base, steps = path.nofollow_base, path.nofollow_steps
    with _folder(base, steps, path.nofollow_hint, create=False) as fd:
        return _open_step(
            fd,
            base,
            steps,
            len(steps) - 1,
            os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC,
            path.nofollow_hint,
            writing=False,
        )


def _is_link(fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _open_step(
    fd: int,
    base: Path,
    steps: Sequence[str],
    index: int,
    flags: int,
    hint: str,
    *,
    writing: bool,
    mode: int = 0o777,
) -> int:
    """Open ``steps[index]`` relative to ``fd`` (the folder of the step before)."""
    name = steps[index]
    try:
        return os.open(name, flags, mode, dir_fd=fd)
    except OSError as err:
        shown = base.joinpath(*steps[: index + 1])
        if err.errno in _LINK_ERRNOS and _is_link(fd, name):
            raise link_refused(shown, what_step(steps, index), hint=hint) from None
        raise InputFileError.from_os_error(shown, err, writing=writing) from None


@contextlib.contextmanager
def _folder(base: Path, steps: Sequence[str], hint: str, *, create: bool) -> Iterator[int]:
    """A descriptor of the folder of ``base / steps...``, each step opened following no link.

    With ``create``, a missing sub-folder is made (as ``mkdir -p`` would).
    """
    flags = os.O_RDONLY | _DIRECTORY | _CLOEXEC
    try:
        fd = os.open(base, flags)
    except OSError as err:
        raise InputFileError.from_os_error(base, err, writing=create) from None
    try:
        for index, name in enumerate(steps[:-1]):
            if create:
                try:
                    os.mkdir(name, 0o777, dir_fd=fd)
                except FileExistsError:
                    pass  # made already (or a link, which the open below refuses)
                except OSError as err:
                    made = base.joinpath(*steps[: index + 1])
                    raise InputFileError.from_os_error(made, err, writing=True) from None
            inner = _open_step(fd, base, steps, index, flags | _NOFOLLOW, hint, writing=create)
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def write_new(path: Path, text: str | bytes, *, force: bool = False, mode: int = 0o644) -> None:
    """Write ``path`` as :func:`svcdiag.atomicio.write_new` does; from :func:`inside`, step by step.

    A path from :func:`inside` is written through the descriptor of its
    folder, following no link below ``base``; any other path is handed to
    :func:`svcdiag.atomicio.write_new`. Either way an existing file is never
    replaced unless ``force`` (a folder, or anything else that is not a
    regular file, never); a file that appears while this is written is not
    replaced either; the file gets ``mode`` and is fsynced, then its folder.

    Raises:
        InputFileError: a sub-folder is a symbolic link (named), or the
            file cannot be written.
        OverwriteError: the file exists (without ``force``), or is not a
            regular file.
    """
    if not isinstance(path, InsidePath) or path.nofollow_base is None:
        from svcdiag.atomicio import write_new as write_by_name  # atomicio imports source

        write_by_name(path, text, force=force, mode=mode)
        return
    base, steps, hint = path.nofollow_base, path.nofollow_steps, path.nofollow_hint
    data = text.encode("utf-8") if isinstance(text, str) else text
    name = steps[-1]
    with _folder(base, steps, hint, create=True) as fd:
        _check_target(fd, name, path, force=force)
        tmp, handle = _temporary(fd, name, path)
        try:
            _fill(handle, data, mode)
            if not force and _linked(fd, tmp, name):
                os.unlink(tmp, dir_fd=fd)
            else:
                os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException as err:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            if isinstance(err, FileExistsError):
                raise OverwriteError(
                    f"{path} was created by something else while this was written; nothing "
                    "was replaced",
                    hint="run the command again: a new name is chosen",
                ) from None
            if isinstance(err, OSError):
                raise InputFileError.from_os_error(path, err, writing=True) from None
            raise
        with contextlib.suppress(OSError):
            os.fsync(fd)


def _check_target(fd: int, name: str, path: Path, *, force: bool) -> None:
    """Refuse ``name`` in the folder ``fd`` as :func:`svcdiag.atomicio.check_target` does."""
    try:
        status = os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    except OSError as err:
        raise InputFileError.from_os_error(path, err, writing=True) from None
    if stat.S_ISDIR(status.st_mode):
        raise OverwriteError(f"{path} is a folder; nothing was written", hint="choose another name")
    if not stat.S_ISREG(status.st_mode) and not stat.S_ISLNK(status.st_mode):
        raise OverwriteError(
            f"{path} is not a regular file; nothing was written (--force never replaces one)",
            hint="move it away, then run the command again",
        )
    if not force:
        raise OverwriteError(
            f"{path} already exists; nothing was written",
            hint="choose another name, or pass --force to replace it",
        )


def _temporary(fd: int, name: str, path: Path) -> tuple[str, int]:
    """Create a new temporary file beside ``name`` (``.name.*.tmp``, never read); open it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(100):
        tmp = f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            return tmp, os.open(tmp, flags, 0o600, dir_fd=fd)
        except FileExistsError:
            continue
        except OSError as err:
            raise InputFileError.from_os_error(path, err, writing=True) from None
    raise InputFileError(path, "cannot write: no free temporary name beside it")


def _fill(handle: int, data: bytes, mode: int) -> None:
    """Write ``data`` into the temporary file ``handle``, give it ``mode``, fsync and close it."""
    with os.fdopen(handle, "wb") as out:
        os.fchmod(out.fileno(), mode)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _linked(fd: int, tmp: str, name: str) -> bool:
    """Publish ``tmp`` as ``name`` only if ``name`` does not exist; False without hard links.

    Raises:
        FileExistsError: ``name`` exists.
    """
    try:
        os.link(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    except FileExistsError:
        raise
    except OSError:
        return False  # a file system without hard links
    return True

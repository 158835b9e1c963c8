"""Unfinished assessments, saved after every answer so that none is ever lost.

A :class:`Session` holds everything needed to carry on: which questionnaire
(and the sha256 of its definition), who is answering, the answers and notes
so far. :class:`SessionStore` keeps one JSON file per session in
``<data dir>/sessions/``, where the data directory is ``$SVCDIAG_HOME`` when
set and otherwise the user data directory of the platform (platformdirs).

Answers are clients' confidential words: the sessions directory has mode 0700
and every session file mode 0600. Each save is atomic (temporary file, fsync,
rename), so a crash or a kill leaves the previous save or the new one.

A session file changed by something else since this run last read or wrote
it (the same session resumed in a second terminal, a file restored from a
backup) is never overwritten: this run's answers go to a new session, and
:attr:`SessionStore.notify` says which.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from svcdiag import atomicio
from svcdiag.errors import InputFileError, UsageError
from svcdiag.models.findings import AnswerValue, Respondent
from svcdiag.serialise import to_json
from svcdiag.slugs import slugify
from svcdiag.source.files import read_limited
from svcdiag.textsafe import for_shell

#: Environment variable naming svcdiag's data directory (sessions live in it).
HOME_VARIABLE = "SVCDIAG_HOME"
SESSION_MODE = 0o600
DIRECTORY_MODE = 0o700
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,80}\Z")  # \Z, not $: no final newline
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
#: Largest session file read (one assessment's answers and notes are far smaller).
MAX_SESSION_BYTES = 16 * 1024 * 1024
#: What identifies one version of a file: its inode, modification time (ns) and size.
Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp | None:
    """The version of the file at ``path`` now, or None when there is none."""
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


def _private_directory(path: Path, *, chmod_existing: bool) -> None:
    """Make ``path`` a folder only its owner may enter (0700), never through a link.

    Missing parents are created 0700 too, whatever the umask. An existing
    folder is set to 0700 when ``chmod_existing`` (the sessions folder), never
    through a symbolic link: a link there is refused, since following it
    would put clients' answers, and our permission change, somewhere else.
    """
    created = False
    if not os.path.lexists(path):
        if not os.path.lexists(path.parent) and path.parent != path:
            _private_directory(path.parent, chmod_existing=False)
        try:
            os.mkdir(path, DIRECTORY_MODE)
            created = True
        except FileExistsError:
            pass
    if chmod_existing or created:
        _refuse_link(path)
    fd = _open_folder(path, follow=not chmod_existing)
    try:
        if created or chmod_existing:
            os.fchmod(fd, DIRECTORY_MODE)
    finally:
        os.close(fd)


def _refuse_link(path: Path) -> None:
    """Refuse a sessions folder that is a symbolic link: sessions live only in a real one."""
    if stat.S_ISLNK(os.lstat(path).st_mode):
        raise InputFileError(
            path,
            "is a symbolic link; svcdiag keeps sessions only in a real folder",
            hint=f"remove the link, or set {HOME_VARIABLE} to the folder it points to",
        )


def _open_folder(path: Path, *, follow: bool) -> int:
    """Open the folder ``path`` for reading (not following a final link unless ``follow``)."""
    fd = os.open(path, os.O_RDONLY | _DIRECTORY | (0 if follow else _NOFOLLOW))
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            raise InputFileError(path, "is not a folder", hint=f"set {HOME_VARIABLE} to a folder")
    except BaseException:
        os.close(fd)
        raise
    return fd


class SessionChanged(InputFileError):
    """A session file was changed by something else after this run read or wrote it."""


_NOT_OURS_HINT = "svcdiag deletes only its own; move it out of the sessions folder yourself"


def _not_ours(status: os.stat_result, readable: bool) -> str | None:
    """Why the file of ``status`` is not a session file svcdiag wrote, or None if it is one.

    svcdiag writes each session as a regular file of the user's, mode 0600.
    One that reads as a session (``readable``) may have lost that mode (a
    copy, a restored backup); a damaged one must still carry it.
    """
    if stat.S_ISLNK(status.st_mode):
        return "a symbolic link"
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file"
    getuid = getattr(os, "getuid", None)
    if getuid is not None and status.st_uid != getuid():
        return "owned by another user"
    mode = stat.S_IMODE(status.st_mode)
    if not readable and mode != SESSION_MODE:
        return f"mode {mode:04o}, not the {SESSION_MODE:04o} of a session, and not readable as one"
    return None


def _check_deletable(
    path: Path, status: os.stat_result, read_as: Stamp | None, readable: bool
) -> None:
    """Refuse to delete ``path`` (now ``status``) unless it is svcdiag's and as it was read.

    Raises:
        InputFileError: not a session file svcdiag wrote (see :func:`_not_ours`).
        SessionChanged: not the version read as ``read_as``.
    """
    reason = _not_ours(status, readable)
    if reason is not None:
        raise InputFileError(
            path, f"is not a session file svcdiag wrote ({reason})", hint=_NOT_OURS_HINT
        )
    if (status.st_ino, status.st_mtime_ns, status.st_size) != read_as:
        raise SessionChanged(
            path,
            "changed since it was read, so was not deleted",
            hint="run the command again to see what it holds now",
        )


def _not_a_number(name: str) -> float:
    """Refuse JSON's ``NaN`` and ``Infinity``, which svcdiag never writes."""
    raise ValueError(f"{name} is not a number an answer can hold")


class SessionQuestionnaire(BaseModel):
    """Which questionnaire a session answers, and how to load it again."""

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(..., description="A shipped questionnaire id or an absolute path.")
    id: str
    version: str
    sha256: str
    title: str | None = None


class Session(BaseModel):
    """An assessment in progress."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    schema_version: Literal[1] = 1
    id: str = Field("", description="Empty until the first save.")
    questionnaire: SessionQuestionnaire
    organisation: str | None = None
    respondent: Respondent | None = None
    consultant: str | None = None
    started: datetime
    updated: datetime
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    skipped: list[str] = Field(
        default_factory=list, description="Optional questions left without an answer."
    )
    set_aside: dict[str, AnswerValue] = Field(
        default_factory=dict,
        description="Answers dropped because their condition stopped holding; offered "
        "again as the default if the question applies again.",
    )
    cursor: str | None = Field(None, description="The question being asked at the last save.")
    total: int = Field(0, description="Applicable questions at the last save.")
    use_defaults: bool = Field(False, description="Answer questions that have a default.")
    output: str | None = Field(None, description="Where the findings file is to be written.")
    engagement: str | None = Field(
        None,
        description="The engagement folder (assess --engagement) whose interviews/ the findings "
        "go into, written following no link below it.",
    )
    details_complete: bool = Field(
        False, description="Organisation, role and consultant have been asked."
    )
    complete: bool = Field(False, description="Every question is answered or skipped.")


def data_home(environ: dict[str, str] | None = None) -> tuple[Path, bool]:
    """Return svcdiag's data directory and whether ``$SVCDIAG_HOME`` chose it."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_VARIABLE)
    if home:
        return Path(home).expanduser(), True
    import platformdirs

    return Path(platformdirs.user_data_dir("svcdiag", appauthor=False)), False


class SessionStore:
    """The unfinished sessions in one data directory."""

    def __init__(self, root: Path, *, from_environment: bool = False) -> None:
        self.root = root
        self.directory = root / "sessions"
        self.from_environment = from_environment
        self._directory_checked = False
        #: Ids whose file this store created or read: saved in place from then on.
        self._claimed: set[str] = set()
        #: The version of each claimed file as this store last read or wrote it.
        self._stamps: dict[str, Stamp | None] = {}
        #: Each file this store read: its version then, and whether it read as a session.
        self._read: dict[str, tuple[Stamp | None, bool]] = {}
        #: Told when a session moves to a new id because its file changed meanwhile.
        self.notify: Callable[[str], None] | None = None

    @classmethod
    def default(cls, environ: dict[str, str] | None = None) -> SessionStore:
        """The store in ``$SVCDIAG_HOME`` or the platform's user data directory."""
        root, from_env = data_home(environ)
        return cls(root, from_environment=from_env)

    def path(self, session_id: str) -> Path:
        """The file of session ``session_id``."""
        if not _ID.match(session_id):
            raise UsageError(
                f"{session_id!r} is not a session id",
                hint="`svcdiag sessions` lists the unfinished sessions and their ids",
            )
        return self.directory / f"{session_id}.json"

    def new_id(self, organisation: str | None, now: datetime) -> str:
        """A readable id, organisation slug and start time, not yet taken here.

        Two assessments started in the same second may still get the same
        id from this; the first :meth:`save` claims it (or the next free
        suffix) by creating the file exclusively, so neither overwrites the other.
        """
        base = f"{slugify(organisation or '', fallback='session')}-{now:%Y%m%d-%H%M%S}"
        return self._free_id(base)

    def _free_id(self, base: str, start: int = 1) -> str:
        candidate, counter = base if start == 1 else f"{base}-{start}", start
        while os.path.lexists(self.directory / f"{candidate}.json"):
            counter += 1
            candidate = f"{base}-{counter}"
        return candidate

    def _ensure_directory(self) -> None:
        if self._directory_checked:
            return
        try:
            _private_directory(self.root, chmod_existing=False)
            _private_directory(self.directory, chmod_existing=True)
        except InputFileError:
            raise
        except OSError as err:
            raise InputFileError(
                self.directory,
                f"cannot create the sessions directory: {err.strerror or err}",
                hint=f"set {HOME_VARIABLE} to a directory you can write to",
            ) from None
        self._directory_checked = True

    def save(self, session: Session) -> Path:
        """Write ``session`` atomically with mode 0600; return its path.

        The first save of a new session creates its file exclusively: if
        another assessment took the id meanwhile, this one gets the next
        suffix (``-2``, ``-3``...) and ``session.id`` is updated.
        """
        self._ensure_directory()
        if session.id not in self._claimed:
            return self._claim(session)
        path = self.path(session.id)
        now = _stamp(path)
        if now is not None and now != self._stamps.get(session.id):
            return self._move(session, path)
        atomicio.write_atomic(path, to_json(session), mode=SESSION_MODE)
        self._wrote(session.id, path)
        return path

    def _move(self, session: Session, path: Path) -> Path:
        """Save ``session`` under a new id: its file was changed by something else."""
        old = session.id
        session.id = self._free_id(old, 2)
        saved = self._claim(session)
        if self.notify is not None:
            self.notify(
                f"{path} was changed by something else (the same session resumed in another "
                f"terminal?) and was left as it is; this assessment carries on as session "
                f"{session.id}"
            )
        return saved

    def _claim(self, session: Session) -> Path:
        """Write a new session's first save into a file created exclusively."""
        base, counter = session.id, 1
        while True:
            path = self.path(session.id)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, SESSION_MODE)
            except FileExistsError:
                counter += 1
                session.id = self._free_id(base, counter)
                continue
            except OSError as err:
                raise InputFileError(path, f"cannot write: {err.strerror or err}") from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(to_json(session))
                handle.flush()
                os.fsync(handle.fileno())
            self._claimed.add(session.id)
            self._wrote(session.id, path)
            return path

    def _wrote(self, session_id: str, path: Path) -> None:
        """Remember the version of ``path`` this store just wrote."""
        stamp = _stamp(path)
        self._stamps[session_id] = stamp
        self._read[session_id] = (stamp, True)

    def ids(self) -> list[str]:
        """The ids of every saved session, sorted.

        The sessions folder is read only if it is a real folder, never through
        a link (the check :meth:`save` makes), so every read, list and delete
        refuses a linked one.
        """
        fd = self._open_directory()
        if fd is None:
            return []
        try:
            names = os.listdir(fd) if os.listdir in os.supports_fd else os.listdir(self.directory)
        finally:
            os.close(fd)
        return sorted(
            name[: -len(".json")]
            for name in names
            if name.endswith(".json") and _ID.match(name[: -len(".json")])
        )

    def _open_directory(self) -> int | None:
        """The sessions folder opened for reading, or None when there is none yet.

        Raises:
            InputFileError: it is a symbolic link, or not a folder.
        """
        if not os.path.lexists(self.directory):
            return None
        _refuse_link(self.directory)
        try:
            return _open_folder(self.directory, follow=False)
        except NotADirectoryError:
            raise InputFileError(
                self.directory, "is not a folder", hint=f"set {HOME_VARIABLE} to a folder"
            ) from None
        except OSError as err:
            raise InputFileError.from_os_error(self.directory, err) from None

    def resolve(self, wanted: str) -> str:
        """Return the session id ``wanted`` names: exactly, or as a unique prefix."""
        ids = self.ids()
        if wanted in ids:
            return wanted
        matches = [i for i in ids if i.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UsageError(
                f"{wanted!r} matches {len(matches)} sessions: {', '.join(matches)}",
                hint="give more of the session id",
            )
        raise UsageError(
            f"no unfinished session {wanted!r}",
            hint="`svcdiag sessions` lists the unfinished sessions and their ids",
        )

    def load(self, session_id: str) -> Session:
        """Read session ``session_id`` (an id or a unique prefix of one)."""
        resolved = self.resolve(session_id)
        path = self.path(resolved)
        stamp = _stamp(path)
        self._read[resolved] = (stamp, False)  # until it reads as a session
        try:
            text = read_limited(path, MAX_SESSION_BYTES).decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        try:
            session = Session.model_validate(json.loads(text, parse_constant=_not_a_number))
            # The file is the session: a copy saved under another name carries on
            # as itself, never writing to (or deleting) the file its content names.
            session.id = resolved
            self._claimed.add(session.id)
            self._stamps[session.id] = stamp
            self._read[resolved] = (stamp, True)
            return session
        except RecursionError:
            raise InputFileError(
                path,
                "this session file is damaged: it nests lists or mappings too deep to read",
                hint=self._removal(path),
            ) from None
        except (ValueError, ValidationError) as err:
            first = str(err).splitlines()[0]
            raise InputFileError(
                path,
                f"this session file is damaged: {first}",
                hint=self._removal(
                    path,
                    "it was not written by this version of svcdiag, or was edited by hand; ",
                ),
            ) from None

    def sessions(self) -> tuple[list[Session], list[InputFileError]]:
        """Every readable session (most recently changed first), and the unreadable."""
        found: list[Session] = []
        damaged: list[InputFileError] = []
        for session_id in self.ids():
            loaded = self._load_or_error(session_id)
            if isinstance(loaded, Session):
                found.append(loaded)
            else:
                damaged.append(loaded)
        found.sort(key=lambda s: s.updated, reverse=True)
        return found, damaged

    def _load_or_error(self, session_id: str) -> Session | InputFileError:
        try:
            return self.load(session_id)
        except InputFileError as err:
            return err

    def latest(self) -> Session:
        """The most recently changed session."""
        found, _ = self.sessions()
        if not found:
            raise UsageError(
                "there is no unfinished session to resume",
                hint="start one with `svcdiag assess`",
            )
        return found[0]

    def find(self, wanted: str) -> tuple[str, Session | InputFileError]:
        """The session ``wanted`` names (an id or a unique prefix), or why it cannot be read.

        ``svcdiag sessions --delete`` uses it: a damaged session file can be
        deleted by its id like any other, so it does not linger in every listing.
        """
        session_id = self.resolve(wanted)
        return session_id, self._load_or_error(session_id)

    def delete(self, session_id: str) -> Path:
        """Remove session ``session_id``; return the path removed.

        Only a session file svcdiag wrote is removed (see :func:`_not_ours`),
        and only the version this store read: one changed since (another file
        put in its place) is kept. The file is removed from the sessions
        folder as opened, never through a link.

        Raises:
            InputFileError: the folder is a link, or the file is not a session
                file svcdiag wrote, or changed since it was read.
        """
        resolved = self.resolve(session_id)
        path = self.path(resolved)
        if resolved not in self._read:
            self._load_or_error(resolved)
        read_as, readable = self._read.get(resolved, (None, False))
        fd = self._open_directory()
        if fd is None:
            return path
        try:
            self._unlink_checked(fd, path, read_as, readable)
        finally:
            os.close(fd)
        return path

    def _unlink_checked(self, fd: int, path: Path, read_as: Stamp | None, readable: bool) -> None:
        """Remove ``path`` (in the folder open as ``fd``) if it is still the session read."""
        by_fd = os.unlink in os.supports_dir_fd and os.stat in os.supports_dir_fd
        name, folder = (path.name, fd) if by_fd else (str(path), None)
        try:
            status = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            return
        except OSError as err:
            raise InputFileError(path, f"cannot delete: {err.strerror or err}") from None
        _check_deletable(path, status, read_as, readable)
        try:
            os.unlink(name, dir_fd=folder)
        except FileNotFoundError:
            pass
        except OSError as err:
            raise InputFileError(path, f"cannot delete: {err.strerror or err}") from None

    def check_deletable(self, session_id: str) -> None:
        """Refuse now what :meth:`delete` would refuse, before anyone is asked to confirm."""
        resolved = self.resolve(session_id)
        path = self.path(resolved)
        read_as, readable = self._read.get(resolved, (None, False))
        try:
            status = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return
        except OSError as err:
            raise InputFileError(path, f"cannot delete: {err.strerror or err}") from None
        _check_deletable(path, status, read_as, readable)

    def _removal(self, path: Path, why: str = "") -> str:
        """How to remove the damaged file ``path``: --delete (after ``why``) if svcdiag wrote it."""
        try:
            reason = _not_ours(os.stat(path, follow_symlinks=False), readable=False)
        except OSError:
            reason = None
        if reason is None:
            return f"{why}to remove it: svcdiag sessions --delete {path.stem}"
        return f"it is not a session file svcdiag wrote ({reason}); {_NOT_OURS_HINT}"

    def resume_command(self, session_id: str) -> str:
        """The exact shell command that carries on with ``session_id``."""
        command = f"svcdiag assess --resume {for_shell(session_id)}"
        if self.from_environment:
            command = f"{HOME_VARIABLE}={for_shell(str(self.root))} {command}"
        return command

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
    if stat.S_ISLNK(os.lstat(path).st_mode) and (chmod_existing or created):
        raise InputFileError(
            path,
            "is a symbolic link; svcdiag keeps sessions only in a real folder",
            hint=f"remove the link, or set {HOME_VARIABLE} to the folder it points to",
        )
    fd = os.open(path, os.O_RDONLY | _DIRECTORY | (_NOFOLLOW if chmod_existing else 0))
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            raise InputFileError(path, "is not a folder", hint=f"set {HOME_VARIABLE} to a folder")
        if created or chmod_existing:
            os.fchmod(fd, DIRECTORY_MODE)
    finally:
        os.close(fd)


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
        self._stamps[session.id] = _stamp(path)
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
            self._stamps[session.id] = _stamp(path)
            return path

    def ids(self) -> list[str]:
        """The ids of every saved session, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json") if _ID.match(p.stem))

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
            return session
        except RecursionError:
            raise InputFileError(
                path,
                "this session file is damaged: it nests lists or mappings too deep to read",
                hint=f"to remove it: svcdiag sessions --delete {path.stem}",
            ) from None
        except (ValueError, ValidationError) as err:
            first = str(err).splitlines()[0]
            raise InputFileError(
                path,
                f"this session file is damaged: {first}",
                hint="it was not written by this version of svcdiag, or was edited by hand; "
                f"to remove it: svcdiag sessions --delete {path.stem}",
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
        """Remove session ``session_id``; return the path removed."""
        path = self.path(self.resolve(session_id))
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as err:
            raise InputFileError(path, f"cannot delete: {err.strerror or err}") from None
        return path

    def resume_command(self, session_id: str) -> str:
        """The exact shell command that carries on with ``session_id``."""
        command = f"svcdiag assess --resume {for_shell(session_id)}"
        if self.from_environment:
            command = f"{HOME_VARIABLE}={for_shell(str(self.root))} {command}"
        return command

"""The DuckDB engine behind the data commands: one configured, short-lived connection.

DuckDB is imported here, and only when a data command runs (``svcdiag --help``,
``lint`` and ``assess`` never load it). Each command opens one in-memory
connection, runs its aggregation query and closes it.

Settings, chosen so that a laptop stays usable while a large export is read:

* ``threads``: the machine's cores, at most :data:`MAX_THREADS`
  (``SVCDIAG_THREADS`` overrides).
* ``memory_limit``: :data:`DEFAULT_MEMORY_LIMIT` (``SVCDIAG_MEMORY_LIMIT``
  overrides, in DuckDB's notation such as ``2GB``). Beyond it DuckDB spills to
  a private temporary folder, removed afterwards, instead of failing.
* ``preserve_insertion_order`` stays on: rows are numbered in file order, so
  units can be listed in the order they first appear (see :mod:`.appearance`).
* No extension is installed or loaded automatically: nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svcdiag.errors import UsageError

if TYPE_CHECKING:
    import duckdb

#: Most worker threads DuckDB is given by default.
MAX_THREADS = 8
#: DuckDB's memory budget by default; aggregation spills to disk beyond it.
DEFAULT_MEMORY_LIMIT = "384MB"
THREADS_VARIABLE = "SVCDIAG_THREADS"
MEMORY_VARIABLE = "SVCDIAG_MEMORY_LIMIT"


def thread_count() -> int:
    """Return the number of threads DuckDB is given."""
    given = os.environ.get(THREADS_VARIABLE)
    if given:
        if not given.isascii() or not given.isdigit() or int(given) < 1:
            raise UsageError(
                f"{THREADS_VARIABLE} must be a whole number of at least 1, not {given!r}"
            )
        return int(given)
    return max(1, min(os.cpu_count() or 1, MAX_THREADS))


def memory_limit() -> str:
    """Return DuckDB's memory limit, e.g. ``384MB``."""
    return os.environ.get(MEMORY_VARIABLE) or DEFAULT_MEMORY_LIMIT


def sql_string(text: str) -> str:
    """Return ``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_name(name: str) -> str:
    """Return ``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Engine:
    """An open DuckDB connection and a private folder for its temporary files."""

    con: duckdb.DuckDBPyConnection
    folder: Path
    #: Temporary tables named so far (see :meth:`fresh_name`).
    tables: int = 0

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        """Run ``query`` and return all its rows.

        Raises:
            KeyboardInterrupt: the query was interrupted (see :func:`interruptions`).
        """
        with interruptions():
            return self.con.execute(query).fetchall()

    def run(self, statement: str, parameters: list[Any] | None = None) -> None:
        """Run ``statement`` for its effect (a temporary table, say); see :meth:`rows`."""
        with interruptions():
            self.con.execute(statement, parameters)

    def batches(self, query: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """Yield the rows of ``query``, ``size`` at a time; see :meth:`rows`."""
        with interruptions():
            cursor = self.con.execute(query)
            while found := cursor.fetchmany(size):
                yield found

    def fresh_name(self, stem: str) -> str:
        """Return a name for a temporary table no other one on this connection has."""
        self.tables += 1
        return f"{stem}_{self.tables}"

    def safe_path(self, path: Path) -> Path:
        """Return a path DuckDB reads as exactly this file, never as a glob pattern.

        DuckDB expands ``*``, ``?`` and ``[`` in file names; a file whose name
        holds one is reached through a link in the private folder instead.
        """
        resolved = path.resolve()
        if not any(char in str(resolved) for char in "*?[]{}"):
            return resolved
        return self.link_to(resolved, resolved.suffix)

    def link_to(self, path: Path, suffix: str) -> Path:
        """Return a new link to ``path`` in the private folder, its name ending in ``suffix``."""
        link = self.folder / f"input{len(list(self.folder.iterdir()))}{suffix}"
        link.symlink_to(path.resolve())
        return link


@contextmanager
def interruptions() -> Iterator[None]:
    """Turn DuckDB's ways of saying that a query was interrupted into KeyboardInterrupt.

    Ctrl-C comes as DuckDB's ``InterruptException``. SIGTERM and SIGHUP, which
    the command line turns into an interruption too, come as a
    ``RuntimeError`` ("Query interrupted"): DuckDB swallows the exception their
    handler raises while it checks for signals. The command line then reports
    either as every other interruption, once the engine's folder is removed.
    """
    import duckdb

    try:
        yield
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except RuntimeError as err:
        if "interrupted" in str(err).lower():
            raise KeyboardInterrupt from None
        raise


def load_duckdb() -> None:
    """Import DuckDB, holding Ctrl-C, SIGTERM and SIGHUP until it is loaded.

    A signal that lands while DuckDB's native module sets itself up either
    aborts the process (its bindings cannot take a Python exception half
    way) or leaves the module half made, so that the import fails. Held, it
    is raised once the import is done, and reported as any interruption.
    Call this before the first ``import duckdb`` of a command.
    """
    from svcdiag.assess.signals import deferred

    with deferred():
        import duckdb  # noqa: F401


@contextmanager
def open_engine() -> Iterator[Engine]:
    """Open a configured in-memory DuckDB connection, and close it afterwards."""
    load_duckdb()
    import duckdb

    threads = thread_count()
    folder = Path(tempfile.mkdtemp(prefix="svcdiag-"))
    try:
        try:
            con = duckdb.connect(
                ":memory:",
                config={
                    "threads": threads,
                    "memory_limit": memory_limit(),
                    "temp_directory": str(folder / "spill"),
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                },
            )
        except duckdb.Error as err:
            raise UsageError(
                f"cannot start the data engine: {err}",
                hint=f"check {MEMORY_VARIABLE} (e.g. 2GB) and {THREADS_VARIABLE}",
            ) from None
        try:
            yield Engine(con, folder)
        finally:
            con.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

"""One error hierarchy for everything svcdiag reports to its users.

Every error a user can cause derives from :class:`SvcdiagError`. The CLI has a
single handler that prints ``message`` (and ``hint``) to stderr and exits with
``exit_code``. Nothing else in the package decides exit codes.

Exit codes (documented in the README):

* 0: success.
* 1: the input was read and problems were found in it (lint problems,
  invalid rows in a data file).
* 2: usage error: a bad option, a missing or unreadable file, an invalid or
  incomplete answers file, no terminal for an interactive run, a refusal to
  overwrite a file.
* 3: a questionnaire or catalogue definition is invalid (``svcdiag lint``
  says where).
* 130: interrupted (Ctrl-C, SIGTERM, SIGHUP); answers so far are saved.
* 141: the output's reader stopped before all of it was written
  (``svcdiag variation F -f csv | head``, thousands of units).
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_DEFINITION = 3
EXIT_INTERRUPTED = 130
#: The output's reader stopped reading (``| head``): 128 + SIGPIPE, as a
#: program killed by the signal reports it; nothing is wrong with the input.
EXIT_BROKEN_PIPE = 141


class SvcdiagError(Exception):
    """Root of every error svcdiag reports to its user."""

    exit_code: int = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(SvcdiagError):
    """The command line asks for something that cannot be done."""

    exit_code = EXIT_USAGE


class FileLocationError(SvcdiagError):
    """A problem at a place in a file the user gave."""

    exit_code = EXIT_USAGE

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.col = col
        where = self.path
        if line is not None:
            where += f":{line}"
            if col is not None:
                where += f":{col}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.detail = message


class InputFileError(FileLocationError):
    """A file the user gave cannot be read or parsed (missing, binary, bad YAML)."""

    @classmethod
    def from_os_error(cls, path: Path, err: OSError, *, writing: bool = False) -> InputFileError:
        """The error for ``err``, raised opening ``path``: no such file, permission denied...

        Written, a missing folder or a refused permission is said in the
        system's words (``cannot write: ...``), as any other failure.
        """
        if not writing and isinstance(err, FileNotFoundError):
            return cls(path, "no such file")
        if not writing and isinstance(err, PermissionError):
            return cls(path, "permission denied")
        return cls(path, f"cannot {'write' if writing else 'read'}: {err.strerror or err}")


class AnswerError(FileLocationError):
    """Answers (typed or from a file) do not fit the questionnaire."""


class DataError(FileLocationError):
    """A data file (CSV) holds values that cannot be analysed."""

    exit_code = EXIT_PROBLEMS


class DefinitionError(SvcdiagError):
    """A questionnaire or catalogue definition is invalid."""

    exit_code = EXIT_DEFINITION


class OverwriteError(SvcdiagError):
    """Refusing to overwrite an existing file without ``--force``."""

    exit_code = EXIT_USAGE


class Interrupted(SvcdiagError):
    """The user (or the system) interrupted an interactive run."""

    exit_code = EXIT_INTERRUPTED

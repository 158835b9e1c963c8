"""Refuse symbolic links where a folder must hold its own files.

An engagement folder's ``engagement.yaml``, ``interviews/``, ``responses/``
and ``evidence/`` are read as that client's data, and interviews and survey
imports are written into them. A symbolic link there would count another
folder's files as this client's, or write this client's answers into another
folder, without a word: so a link is refused, by name, before anything is
read or written. (The engagement folder itself may be reached through a
link: what it holds is then still one folder's own files.)

The check by name is not the only guard: a link put in place after it (by a
synced or shared folder, or another program) would otherwise be followed by
the open that comes next. So those files are also opened, read and written
through :mod:`svcdiag.source.nofollow`, one step at a time from the
engagement folder, following no link at any step (``O_NOFOLLOW``): a link
found there fails the open with the same message as :func:`refuse_link`, and
nothing of another folder is read or written. Where the system has no
``O_NOFOLLOW`` (Windows), the check by name is the guard.
"""

from __future__ import annotations

from pathlib import Path

from svcdiag.errors import InputFileError


def link_refused(path: Path | str, what: str, *, hint: str) -> InputFileError:
    """The error for a symbolic link at ``path`` where ``what`` must be.

    Args:
        path: the link.
        what: what ``path`` must be instead ("interviews/ must be a real folder").
        hint: how to put things right.
    """
    return InputFileError(
        path,
        f"is a symbolic link; {what} in the engagement folder, so that what is read "
        "there is this client's own and what is written stays there",
        hint=hint,
    )


def refuse_link(path: Path, what: str, *, hint: str) -> None:
    """Raise if ``path`` is a symbolic link (a missing path is no link).

    Args:
        path: the file or folder to check.
        what: what ``path`` must be instead, as the message says it
            ("interviews/ must be a real folder").
        hint: how to put things right.

    Raises:
        InputFileError: ``path`` is a symbolic link.
    """
    if path.is_symlink():
        raise link_refused(path, what, hint=hint)

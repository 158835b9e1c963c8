"""Tell a reader's crash on a damaged file from an interrupt.

python-calamine is written in Rust; on some damaged workbooks (an ``.xls``
cut short inside its ``Workbook`` stream) it panics, and the panic reaches
Python as ``pyo3_runtime.PanicException``, which derives from
``BaseException``, not ``Exception``. ``except Exception`` then lets it
escape as a traceback. A reader catches ``BaseException`` and asks
:func:`is_reader_failure` whether what it caught is the file's fault.
"""

from __future__ import annotations

from pathlib import Path

from svcdiag.errors import InputFileError

#: What a damaged workbook makes python-calamine say, in place of its panic's text.
DAMAGED = "it is damaged or cut short"


def is_reader_failure(err: BaseException) -> bool:
    """Say whether ``err`` is a reader's failure on a file (not Ctrl-C or an exit).

    Args:
        err: what reading the file raised.

    Returns:
        ``True`` for an ``Exception`` or a Rust panic, ``False`` for
        ``KeyboardInterrupt``, ``SystemExit`` and ``GeneratorExit``, which the
        caller must raise again.
    """
    return isinstance(err, Exception) or is_panic(err)


def is_panic(err: BaseException) -> bool:
    """Say whether ``err`` is a Rust panic raised through pyo3."""
    return type(err).__name__ == "PanicException" and not isinstance(err, Exception)


def unreadable_workbook(
    path: Path, err: BaseException, *, hint: str, sheet: str | None = None
) -> InputFileError:
    """The error to raise for a workbook python-calamine failed on, caught as ``err``.

    A panic is worded as :data:`DAMAGED`; another failure by the first line
    of its message; a password-protected workbook gets the hint to remove
    the password, any other ``hint``. Ctrl-C and exits are raised again.
    ``sheet`` names the sheet that could not be loaded, if the workbook opened.

    Raises:
        BaseException: ``err`` itself, when it is not the file's fault.
    """
    if not is_reader_failure(err):
        raise err
    if type(err).__name__ == "PasswordError":
        hint = "open it in its spreadsheet program, remove the password and save it again"
    text = str(err).strip()
    detail = DAMAGED if is_panic(err) else text.splitlines()[0] if text else type(err).__name__
    what = "this workbook" if sheet is None else f"sheet {sheet!r} of this workbook"
    return InputFileError(path, f"cannot read {what}: {detail}", hint=hint)

"""Tell a reader's crash on a damaged file from an interrupt.

python-calamine is written in Rust; on some damaged workbooks (an ``.xls``
cut short inside its ``Workbook`` stream) it panics, and the panic reaches
Python as ``pyo3_runtime.PanicException``, which derives from
``BaseException``, not ``Exception``. ``except Exception`` then lets it
escape as a traceback. A reader catches ``BaseException`` and asks
:func:`is_reader_failure` whether what it caught is the file's fault.
"""

from __future__ import annotations

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

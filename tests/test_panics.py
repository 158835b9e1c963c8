"""A reader's Rust panic counts as the file's failure; Ctrl-C and exits never do."""

from __future__ import annotations

import pytest

from svcdiag.source.panics import is_panic, is_reader_failure


class PanicException(BaseException):  # the shape pyo3 gives a Rust panic
    pass


def test_a_panic_and_an_exception_are_failures_of_the_file() -> None:
    assert is_reader_failure(PanicException("range end index 64 out of range"))
    assert is_panic(PanicException("x"))
    assert is_reader_failure(ValueError("bad"))
    assert not is_panic(ValueError("PanicException"))


@pytest.mark.parametrize("err", [KeyboardInterrupt(), SystemExit(1), GeneratorExit()])
def test_an_interrupt_or_exit_is_raised_again(err: BaseException) -> None:
    assert not is_reader_failure(err)
    assert not is_panic(err)


def test_a_workbook_failure_is_worded_and_an_interrupt_raised_again() -> None:
    from pathlib import Path

    import pytest

    from svcdiag.source.panics import unreadable_workbook

    class PasswordError(Exception):
        pass

    where = Path("book.xls")
    locked = unreadable_workbook(where, PasswordError("Workbook is password protected"), hint="h")
    assert locked.detail == "cannot read this workbook: Workbook is password protected"
    assert locked.hint is not None and "remove the password" in locked.hint
    other = unreadable_workbook(where, ValueError("bad zip\nmore text"), hint="save it again")
    assert (other.detail, other.hint) == ("cannot read this workbook: bad zip", "save it again")
    with pytest.raises(KeyboardInterrupt):
        unreadable_workbook(where, KeyboardInterrupt(), hint="h")

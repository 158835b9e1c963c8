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

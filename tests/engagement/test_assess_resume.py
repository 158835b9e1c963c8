"""An engagement interview in a terminal: interrupted, resumed, written into interviews/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from svcdiag.assess.run import AssessRequest, run_assess
from svcdiag.assess.sessions import SessionStore
from svcdiag.engagement.commands import interview_setup, new_engagement
from svcdiag.errors import Interrupted
from svcdiag.models.findings import Role
from tests.assess.fake_prompter import FakePrompter


def _answering(name: str) -> FakePrompter:
    """A prompter that answers every question as the example answers file ``name`` does."""
    answers = yaml.safe_load((Path(__file__).resolve().parents[2] / "examples" / name).read_text())[
        "answers"
    ]
    prompter = FakePrompter([])
    prompter.ask = lambda question, progress, current, note: answers.get(  # type: ignore[method-assign]
        question.id, "unknown" if question.allow_unknown else None
    )
    return prompter


def _interrupted(folder: Path, store: SessionStore, *, unit: str | None = None) -> Path:
    """Start an interview for ``folder``, Ctrl-C at its second question; return its findings' path.

    With ``unit`` the interview is for that unit; without, it is given the
    engagement folder itself (``assess --engagement``).
    """
    setup = interview_setup(
        folder, questionnaire=None, organisation=None, output=None, unit=unit, day=date.today()
    )
    request = AssessRequest(
        questionnaire=setup.questionnaire,
        organisation=setup.organisation,
        output=setup.output,
        role=Role.frontline,
        unit=unit,
        engagement=None if unit is not None else folder,
    )
    first = FakePrompter([("consultant", None), ("staff_count", KeyboardInterrupt())])
    with pytest.raises(Interrupted):
        run_assess(request, store=store, interactive=True, make_prompter=lambda: first, warn=print)
    assert setup.output is not None
    return setup.output


def _resumed(store: SessionStore, name: str) -> Path:
    """Resume the latest session, answering as the example answers file ``name``."""
    second = _answering(name)
    outcome = run_assess(
        AssessRequest(resume=True),
        store=store,
        interactive=True,
        make_prompter=lambda: second,
        warn=print,
    )
    assert outcome.path is not None
    return outcome.path


def test_an_interrupted_interview_resumes_into_the_engagement(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    new_engagement(folder, organisation="Acme Ltd", questionnaire="diagnostic", anonymity_floor=5)
    data = yaml.safe_load((folder / "engagement.yaml").read_text())
    data["units"] = [{"id": "north", "name": "North"}]
    (folder / "engagement.yaml").write_text(yaml.safe_dump(data))
    store = SessionStore(tmp_path / "home")
    output = _interrupted(folder, store, unit="north")
    (session,) = store.sessions()[0]
    assert session.respondent is not None and session.respondent.unit == "north"
    # resumed without --engagement or --unit: the session knows where the findings go
    written = _resumed(store, "answers-healthy.yaml")
    assert written == output
    assert written.parent == folder / "interviews"
    data = yaml.safe_load(written.read_text())
    assert data["respondent"] == {"role": "frontline", "unit": "north"}
    assert data["organisation"] == "Acme Ltd"


def test_a_resumed_interview_follows_no_link_into_another_folder(tmp_path: Path) -> None:
    from svcdiag.errors import InputFileError

    folder = tmp_path / "acme"
    new_engagement(folder, organisation="Acme Ltd", questionnaire="diagnostic", anonymity_floor=5)
    store = SessionStore(tmp_path / "home")
    _interrupted(folder, store)
    (session,) = store.sessions()[0]
    assert session.engagement == str(folder)  # saved: a resume knows the folder too
    # meanwhile interviews/ becomes a link to another client's folder
    other = tmp_path / "other-client"
    other.mkdir()
    (folder / "interviews").rename(tmp_path / "aside")
    (folder / "interviews").symlink_to(other, target_is_directory=True)
    with pytest.raises(InputFileError) as refused:
        _resumed(store, "answers-healthy.yaml")
    assert "is a symbolic link; interviews/ must be a real folder" in str(refused.value)
    assert f"your answers are safe in session {session.id}" in str(refused.value)
    assert list(other.iterdir()) == []  # nothing written into the other folder
    assert [s.id for s in store.sessions()[0]] == [session.id]  # the answers are kept

"""A status set by hand never claims what the workspace does not hold.

"Letter issued" was reachable by "Advance status" (and the status dialog) with no letter issued, and the
register, the reports and the next step then told the partnership a letter had gone out; "Interviewed"
set by hand let a letter be issued thanking an agency for an interview never held. Each status that
claims a record is reached only when that record exists; a refusal names the agency and what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.section11 import cycles, interview, letters, moderation
from app.section11 import status as st
from app.store.workspace import Workspace
from tests.helpers.section11 import assessed_police_cycle, chair_workspace


@pytest.fixture
def booked(tmp_path: Path) -> Iterator[tuple[Workspace, str, list[str], str]]:
    """The Police self-assessed on every standard with an interview booked (not held): (workspace, Police
    participant, standards, interview)."""
    workspace = chair_workspace(tmp_path / "ws", "Chair", [])
    with workspace.unit_of_work() as uow:
        _cycle, police, standards, booking = assessed_police_cycle(uow)
    yield workspace, police, standards, booking
    workspace.lock()


def _status(workspace: Workspace, police: str) -> str:
    with workspace.reading() as session:
        return cycles.get_participant(session, police).status


def _refused(workspace: Workspace, police: str, status: str) -> str:
    before = _status(workspace, police)
    with pytest.raises(InvalidInput) as refused, workspace.unit_of_work() as uow:
        cycles.set_status(uow, police, status)
    assert _status(workspace, police) == before  # nothing written
    message = refused.value.message
    assert message.startswith(f"Northbridge Police cannot be set to {st.label(status)}: ")
    return message


def test_letter_issued_needs_an_issued_letter(booked: tuple[Workspace, str, list[str], str]) -> None:
    workspace, police, standards, booking = booked
    with workspace.unit_of_work() as uow:
        interview.mark_held(uow, booking, today=date(2026, 5, 12))
    assert _status(workspace, police) == st.INTERVIEWED
    assert "no feedback letter has been issued" in _refused(workspace, police, st.LETTER_ISSUED)
    with workspace.unit_of_work() as uow:
        draft = letters.draft_letter(uow, police)
    assert "no feedback letter has been issued" in _refused(workspace, police, st.LETTER_ISSUED)  # a draft is not
    assert "no feedback letter has been issued" in _refused(workspace, police, st.ACTIONS_AGREED)
    with workspace.unit_of_work() as uow:
        letters.issue_letter(uow, draft.uuid, today=date(2026, 5, 20))
    assert _status(workspace, police) == st.LETTER_ISSUED
    assert "no action has been agreed" in _refused(workspace, police, st.ACTIONS_AGREED)
    with workspace.unit_of_work() as uow:  # back and forth by hand, once the letter is there
        cycles.set_status(uow, police, st.INTERVIEWED)
        cycles.set_status(uow, police, st.LETTER_ISSUED)
    assert _status(workspace, police) == st.LETTER_ISSUED


def test_interviewed_moderated_and_returned_need_their_records(
    booked: tuple[Workspace, str, list[str], str],
) -> None:
    workspace, police, standards, booking = booked
    assert _status(workspace, police) == st.INTERVIEW_BOOKED
    assert "not recorded as held" in _refused(workspace, police, st.INTERVIEWED)
    with workspace.unit_of_work() as uow:  # a letter cannot be issued on a status set by hand either
        draft = letters.draft_letter(uow, police)
    with pytest.raises(InvalidInput, match="has not been interviewed"), workspace.unit_of_work() as uow:
        letters.issue_letter(uow, draft.uuid)
    moderated = _refused(workspace, police, st.MODERATED)
    assert "8 standards have no moderated score (S1, S2, S3, S4, S5, S6, S7, S8)" in moderated
    with workspace.unit_of_work() as uow:
        for uuid in standards[:7]:
            moderation.moderate(uow, police, uuid, 3)
    assert "1 standard has no moderated score (S8)" in _refused(workspace, police, st.MODERATED)
    with workspace.unit_of_work() as uow:
        moderation.moderate(uow, police, standards[7], 3)
        cycles.set_status(uow, police, st.MODERATED)  # every standard moderated: true, so allowed
        cycles.set_status(uow, police, st.RETURNED)  # self-assessed: returned is true
        cycles.set_status(uow, police, st.INTERVIEW_BOOKED)  # booked: true
    assert _status(workspace, police) == st.INTERVIEW_BOOKED


def test_returned_needs_a_return_and_closed_or_sent_need_nothing(tmp_path: Path) -> None:
    workspace = chair_workspace(tmp_path / "ws", "Chair", [])
    try:
        with workspace.unit_of_work() as uow:
            _cycle, police, _standards, _booking = assessed_police_cycle(uow)
            other = cycles.add_cycle(
                uow,
                name="S11 2027",
                period_start=date(2027, 1, 1),
                period_end=date(2027, 12, 31),
                framework="classic",
                scale_key="score-0-3",
                agencies=["Police"],
            )
            fresh = cycles.find_participant(uow.session, other.uuid, "Police").uuid
        assert "no return has been imported or typed in" in _refused(workspace, fresh, st.RETURNED)
        assert "no interview is booked" in _refused(workspace, fresh, st.INTERVIEW_BOOKED)
        with workspace.unit_of_work() as uow:
            cycles.set_status(uow, fresh, st.SENT)
            cycles.set_status(uow, fresh, st.CLOSED)
            cycles.set_status(uow, fresh, st.NOT_SENT)
        assert _status(workspace, fresh) == st.NOT_SENT
    finally:
        workspace.lock()


def test_a_letter_is_issued_only_after_the_interview_was_held_whatever_the_status(
    booked: tuple[Workspace, str, list[str], str],
) -> None:
    """The letter looked at the status alone: an agency closed by hand (it withdrew) before its interview was
    held, ranking after 'interviewed', had its letter issued, thanking it for an interview that never took place."""
    workspace, police, _standards, booking = booked
    with workspace.unit_of_work() as uow:
        draft = letters.draft_letter(uow, police)
        cycles.set_status(uow, police, st.CLOSED)
    with pytest.raises(InvalidInput, match="has not been interviewed yet"), workspace.unit_of_work() as uow:
        letters.issue_letter(uow, draft.uuid)
    with workspace.reading() as session:
        assert [v.state for v in letters.letters_of(session, police)] == [letters.DRAFT]
    with workspace.unit_of_work() as uow:
        interview.mark_held(uow, booking, today=date(2026, 5, 12))
        letters.issue_letter(uow, draft.uuid, today=date(2026, 5, 20))
    with workspace.reading() as session:
        assert [v.state for v in letters.letters_of(session, police)] == [letters.ISSUED]

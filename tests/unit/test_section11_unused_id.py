"""A record deleted under its derived id keeps that id as its tombstone: booking again makes a new one."""

from __future__ import annotations

from datetime import date

from app.agencies import add_agency
from app.section11 import interview
from app.section11.ids import interview_id
from app.store.workspace import Workspace
from db.models.section11 import S11Interview
from tests.helpers.section11 import police_cycle


def test_an_interview_booked_after_one_was_deleted_gets_a_new_id(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        _cycle, police = police_cycle(uow, scale_key="met-words")
        first = interview.book_interview(uow, police, on=date(2026, 5, 12))
        assert first.uuid == interview_id(police)
        uow.delete(first, summary="Deleted a Section 11 interview")
    with workspace.unit_of_work() as uow:
        again = interview.book_interview(uow, police, on=date(2026, 5, 19), place="HQ")
        again_uuid = again.uuid
    with workspace.reading() as session:
        assert again_uuid != interview_id(police)
        assert session.get(S11Interview, interview_id(police)).is_deleted  # the tombstone stays
        found = interview.interview_for(session, police)
        assert found is not None and found.uuid == again_uuid and found.scheduled_on == date(2026, 5, 19)

"""An interview is recorded as held on a day that has come: marking a booked interview held before
its booked day (it was brought forward) recorded the booked day, still weeks away."""

from __future__ import annotations

from datetime import date

import pytest

from app.agencies import add_agency
from app.errors import InvalidInput
from app.section11 import interview
from app.store.workspace import Workspace
from tests.helpers.section11 import police_cycle


def booked_interview(workspace: Workspace) -> dict[str, str]:
    """The police's interview, booked for 12/05/2026."""
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        _cycle, police = police_cycle(uow, scale_key="met-words")
        booked = interview.book_interview(uow, police, on=date(2026, 5, 12), start_time="10:30", place="HQ")
        return {"interview": booked.uuid}


def _held_on(workspace: Workspace, uuid: str) -> date | None:
    with workspace.reading() as session:
        return interview.get_interview(session, uuid).held_on


def test_held_before_the_booked_day_is_held_today(workspace: Workspace) -> None:
    ids = booked_interview(workspace)  # booked for 12/05/2026
    with workspace.unit_of_work() as uow:
        interview.mark_held(uow, ids["interview"], today=date(2026, 5, 2))
    assert _held_on(workspace, ids["interview"]) == date(2026, 5, 2)


def test_held_on_or_after_the_booked_day_keeps_the_booked_day(workspace: Workspace) -> None:
    ids = booked_interview(workspace)
    with workspace.unit_of_work() as uow:
        interview.mark_held(uow, ids["interview"], today=date(2026, 5, 20))
    assert _held_on(workspace, ids["interview"]) == date(2026, 5, 12)


def test_a_day_still_to_come_is_refused_and_nothing_is_written(workspace: Workspace) -> None:
    ids = booked_interview(workspace)
    with pytest.raises(InvalidInput, match="a day still to come"), workspace.unit_of_work() as uow:
        interview.mark_held(uow, ids["interview"], held_on=date(2026, 6, 1), today=date(2026, 5, 20))
    assert _held_on(workspace, ids["interview"]) is None

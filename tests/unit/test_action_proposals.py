"""Issue 10.6: an action made from a recommendation starts from its words, the agency it names and a due date."""

from __future__ import annotations

from datetime import date

import pytest

from app.actions.proposals import propose_action, proposed_due
from app.agencies import add_agency
from app.errors import InvalidInput
from app.store.workspace import Workspace
from ui.kit.dates import day_from_text


def test_proposed_due_is_the_end_of_the_month_about_three_months_on() -> None:
    assert proposed_due(date(2026, 12, 2)) == date(2027, 3, 31)
    assert proposed_due(date(2027, 11, 30)) == date(2028, 2, 29)


def test_proposal_names_the_agency_the_text_names(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police", "#dddddd")
        add_agency(uow, "Northbridge Children's Social Care", "CSC", "Local authority", "#dddddd")
    with workspace.reading() as session:
        proposal = propose_action(session, "  Northbridge Police should  review strategy meetings. ", date(2026, 12, 2))
        assert proposal.title == "Northbridge Police should review strategy meetings."
        assert proposal.owner_short == "Police" and proposal.due == date(2027, 3, 31)
        assert propose_action(session, "CSC to audit supervision", date(2026, 12, 2)).owner_short == "CSC"
        assert propose_action(session, "The partnership should publish", date(2026, 12, 2)).owner_short is None


@pytest.mark.parametrize("text", ["31/03/2027", "31.03.27", "31-Mar-27", "31 March 2027"])
def test_a_typed_day_is_read_whole(text: str) -> None:
    assert day_from_text(text, "due date") == date(2027, 3, 31)


def test_a_month_alone_is_not_a_due_date() -> None:
    with pytest.raises(InvalidInput, match="needs a day"):
        day_from_text("March 2027", "due date")

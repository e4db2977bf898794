"""A reference two members both used (seen after a merge) is refused, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from app.actions.service import add_action, get_action
from app.agencies import add_agency
from app.errors import InvalidInput
from app.store.workspace import Workspace


def test_duplicate_action_reference_is_refused_with_ids(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        first = add_action(uow, title="One", owner="Police", due=date(2030, 1, 1))
        second = add_action(uow, title="Two", owner="Police", due=date(2030, 1, 1))
        uow.update(second, reference=first.reference)  # as if another member had numbered it so
        ids = {first.uuid, second.uuid}
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="2 actions have the reference") as refused:
            get_action(session, first.reference)
        assert all(i in refused.value.message for i in ids)
        assert get_action(session, second.uuid).title == "Two"

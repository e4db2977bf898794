"""A disk that refuses a write (full, read-only) reaches the user as one clear message, and nothing is half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.agencies import add_agency
from app.errors import StorageFailure
from app.store.workspace import Workspace
from db.models.core import Agency, AuditEntry
from tests.helpers.workspaces import refuse_writes


def _agencies(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(Agency)) or 0


def _audit_entries(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_a_full_disk_is_named_and_the_unit_of_work_writes_nothing(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        pages = uow.session.execute(text("PRAGMA page_count")).scalar_one()
        # the database may not grow: as if the disk were full (the limit is per connection)
        uow.session.execute(text(f"PRAGMA max_page_count = {pages}"))
    before = _agencies(workspace)
    with pytest.raises(StorageFailure) as refused:
        with workspace.unit_of_work() as uow:
            for number in range(400):
                add_agency(uow, f"Agency {number} " + "x" * 150, f"A{number}")
    message = refused.value.message
    assert "the disk is full" in message and "Nothing was written" in message
    assert "\n" not in message and "sqlite" not in message.lower()
    assert _agencies(workspace) == before  # rolled back whole


def test_a_read_only_database_is_named_and_the_unit_of_work_writes_nothing(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
    before = (_agencies(workspace), _audit_entries(workspace))
    refuse_writes(workspace)  # as if the file, its folder or its disk had become read-only
    with pytest.raises(StorageFailure) as refused:
        with workspace.unit_of_work() as uow:
            add_agency(uow, "Northbridge Housing", "Housing")
    message = refused.value.message
    assert "read-only" in message and "Nothing was written" in message
    assert "\n" not in message and "sqlite" not in message.lower() and "readonly database" not in message

    refuse_writes(workspace, False)  # writable again (a read-only database refuses reading transactions too)
    assert (_agencies(workspace), _audit_entries(workspace)) == before  # no record, no audit entry
    with workspace.unit_of_work() as uow:  # and the same write now goes through
        add_agency(uow, "Northbridge Housing", "Housing")
    assert _agencies(workspace) == before[0] + 1


def test_a_read_only_database_refuses_reading_too_with_the_same_clear_message(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
    refuse_writes(workspace)  # SQLite begins even a reading transaction with a write lock on the disk
    with pytest.raises(StorageFailure) as refused:
        _agencies(workspace)
    message = refused.value.message
    assert message.startswith("Could not read the workspace: the workspace folder or its disk is read-only.")
    assert "Nothing was written" in message and "sqlite" not in message.lower()
    refuse_writes(workspace, False)
    assert _agencies(workspace) == 1

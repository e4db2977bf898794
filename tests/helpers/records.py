"""Records for tombstone and purge tests: a review with an entry and a person, rows read back whole."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from app.agencies import add_agency
from app.chronology import service as chronology
from app.chronology.people import add_person
from app.reviews.register import add_review
from app.store.workspace import Workspace
from db.models.core import AuditEntry

SECRET = "Mother said the child was hit with a belt"


def review_with_entry(ws: Workspace, *, title: str = "Review of Child A") -> tuple[str, str, str]:
    with ws.unit_of_work() as uow:
        police = add_agency(uow, "Northbridge Police", "Police")
        review = add_review(uow, kind="lcspr", title=title, subject_pseudonym="Child A")
        entry = chronology.add_entry(
            uow, review.uuid, start_date="22/05/2016", agency=police.uuid, source="PNC", event=SECRET
        )
        person = add_person(uow, review.uuid, "Sarah Turner", "Mother", role="mother")
        return review.uuid, entry.uuid, person.uuid


def row_of(ws: Workspace, model: Any, uuid: str) -> dict[str, Any]:
    with ws.reading() as session:
        return dict(session.execute(select(model.__table__).where(model.uuid == uuid)).one()._mapping)


def audit_entries(ws: Workspace) -> list[SimpleNamespace]:
    with ws.reading() as session:
        return [
            SimpleNamespace(action=e.action, record_id=e.record_id, summary=e.summary, changes=e.changes)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]

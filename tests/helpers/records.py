"""Records for tombstone and purge tests: a review with an entry and a person, rows read back whole."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from app.agencies import add_agency
from app.chronology import service as chronology
from app.chronology.people import add_person
from app.records.hlc import Stamp
from app.reviews.register import add_review, update_review
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from db.models.reviews import Review

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


def values_in_database(ws: Workspace) -> list[tuple[str, str, str]]:
    """(table, column, text) of every value of every table, read raw through the workspace's own
    (decrypting) connection: what anyone holding the passphrase could read, the audit log included."""
    found: list[tuple[str, str, str]] = []
    with ws.reading() as session:
        connection = session.connection()
        tables = [r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            result = connection.exec_driver_sql(f'SELECT * FROM "{table}"')
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if value is not None:
                        found.append((table, column, str(value)))
    return found


def closed_long_ago(ws: Workspace, review_uuid: str, closed: date) -> None:
    """Close a review as if its status had been set to closed on `closed` (stamps are the only record of when)."""
    with ws.unit_of_work() as uow:
        update_review(uow, review_uuid, status="closed")
    status_set_on(ws, Review, review_uuid, closed)


def status_set_on(ws: Workspace, model: Any, uuid: str, day: date) -> None:
    """Date a record's status as set on `day`: its field stamp, which retention reads for the closure day."""
    with ws.unit_of_work() as uow:
        record = uow.session.get(model, uuid)
        wall = int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp() * 1000)
        record.field_stamps = {**record.field_stamps, "status": str(Stamp(wall, 0, uow.member_id))}

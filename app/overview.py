"""Read models for the workspace overview: recent audit entries."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: str
    member_name: str
    action: str
    table_name: str
    summary: str


def recent_audit(session: Session, limit: int = 1000) -> list[AuditRow]:
    """Newest first. Columns only (no ORM objects): the log can be long."""
    query = (select(AuditEntry.id, AuditEntry.at, AuditEntry.member_name, AuditEntry.action,
                    AuditEntry.table_name, AuditEntry.summary)
             .order_by(AuditEntry.id.desc()).limit(limit))
    return [AuditRow(*row) for row in session.execute(query)]

"""Exceptions of a quarter as the source of actions (registered in `app.performance.contributions`).

On the command line: ``data:PERIOD/CODE/AGENCY`` (``data:2026Q3/REF-REPEAT/CSC``), or
``data:PERIOD/return/AGENCY`` for a missing return.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import SourceLocation, SourceRef
from app.errors import InvalidInput
from app.records.live import live_or_none
from db.models.performance import ExceptionNote


def resolve(session: Session, text: str) -> SourceRef:
    from app.performance.exceptions import SOURCE_KIND, find_exception

    parts = [p.strip() for p in text.split("/")]
    if len(parts) != 3 or not all(parts):
        raise InvalidInput(
            f"{text!r}: write a data exception as data:PERIOD/CODE/AGENCY, e.g. data:2026Q3/REF-REPEAT/CSC."
        )
    row = find_exception(session, parts[0], parts[1], parts[2])
    return SourceRef(SOURCE_KIND, row.source_label[:300], row.uuid)


def locate(session: Session, exception_uuid: str) -> SourceLocation | None:
    note = live_or_none(session, ExceptionNote, exception_uuid)
    if note is None:
        return None
    return SourceLocation("performance", note.uuid, f"{note.period}: {note.detail[:120]}")

"""Units of work: one service call, one transaction, one change set.

Every change to an exchangeable record goes through `UnitOfWork.create`,
`update` or `delete`, which stamp the changed fields with the member's hybrid
logical clock, turn deletions into content-less tombstones and append to the audit log. The
returned `ChangeSet` tells views what to refresh (as Anki's operations do).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

# Imported for its flush listener: every local edit records what it overwrote (app/records/knowledge.py).
import app.records.knowledge  # noqa: F401
from app.records.audit import AuditLog
from app.records.hlc import HybridLogicalClock
from app.text import noun_for
from db.base import Exchangeable, new_uuid
from db.models.exchange import ConflictEntry

R = TypeVar("R", bound=Exchangeable)

#: conflict-log field of edits that raced a deletion: its losing value lists the field names only
DELETED_FIELD = "__deleted__"


@dataclass
class ChangeSet:
    """What a unit of work changed, by table: views decide from it whether to refresh."""

    created: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    updated: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    deleted: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def tables(self) -> set[str]:
        return set(self.created) | set(self.updated) | set(self.deleted)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables() & set(tables))

    def __bool__(self) -> bool:
        return bool(self.tables())

    def merge(self, other: ChangeSet) -> None:
        for mine, theirs in (
            (self.created, other.created),
            (self.updated, other.updated),
            (self.deleted, other.deleted),
        ):
            for table, ids in theirs.items():
                mine[table] |= ids


def _auditable(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


class UnitOfWork:
    def __init__(self, session: Session, clock: HybridLogicalClock, audit: AuditLog) -> None:
        self.session = session
        self.clock = clock
        self.audit = audit
        self.changes = ChangeSet()

    @property
    def member_id(self) -> str:
        return self.clock.member

    def create(self, model: type[R], *, summary: str = "", audit: bool = True, **fields: Any) -> R:
        """Insert a new record with every given field stamped now."""
        _refuse_unknown_fields(model, set(fields) - {"uuid"})
        stamp = str(self.clock.tick())
        fields.setdefault("uuid", new_uuid())  # known at once, no flush needed
        record = model(**fields)
        record.origin_member = self.member_id
        record.field_stamps = {name: stamp for name in model.content_fields()}
        record.updated_stamp = stamp
        self.session.add(record)
        self.changes.created[model.__tablename__].add(record.uuid)
        if audit:
            self._audit("create", record, summary, {k: _auditable(v) for k, v in fields.items() if k != "uuid"})
        return record

    def update(self, record: Exchangeable, *, summary: str = "", audit: bool = True, **changes: Any) -> bool:
        """Change fields; only those whose value really changes get a new stamp."""
        _refuse_unknown_fields(type(record), set(changes))
        if record.is_deleted:
            raise ValueError("a deleted record cannot be edited")
        diff = {k: (getattr(record, k), v) for k, v in changes.items() if getattr(record, k) != v}
        if not diff:
            return False
        stamp = str(self.clock.tick())
        stamps = dict(record.field_stamps)
        for name, (_old, new) in diff.items():
            setattr(record, name, new)
            stamps[name] = stamp
        record.field_stamps = stamps
        record.updated_stamp = stamp
        self.changes.updated[type(record).__tablename__].add(record.uuid)
        if audit:
            self._audit("update", record, summary, {k: [_auditable(o), _auditable(n)] for k, (o, n) in diff.items()})
        return True

    def delete(
        self, record: Exchangeable, *, summary: str = "", audit: bool = True, forget_conflicts: bool = True
    ) -> None:
        """Turn the record into a stamped, content-less tombstone (docs/merge.md, "Tombstones and purge").

        Every field but the links to other records is emptied and loses its stamp, and
        the conflict log forgets the record's values: a deletion is where a member says
        the content must go, so it is not kept here nor sent to anyone. `summary` is
        audit text and must not quote content (name the kind and a reference).
        `forget_conflicts=False` is for callers deleting many records, who call
        `forget_conflict_values` once for them all in the same unit of work.
        """
        if record.is_deleted:
            return
        stamp = str(self.clock.tick())
        clear_tombstone(record)
        record.deleted_stamp = stamp
        record.updated_stamp = stamp
        table = type(record).__tablename__
        if forget_conflicts:
            forget_conflict_values(self.session, table, [record.uuid])
        self.changes.deleted[table].add(record.uuid)
        if audit:
            self._audit("delete", record, summary)

    def _audit(self, action: str, record: Exchangeable, summary: str, changes: dict[str, Any] | None = None) -> None:
        """Log a change; without a summary, say what was done to which kind of record ("Edited finding")."""
        table = type(record).__tablename__
        self.audit.append(action, table, record.uuid, summary or f"{_DONE[action]} {_kind(table)}", changes)


#: the default audit summary's verb for each action
_DONE = {"create": "Created", "update": "Edited", "delete": "Deleted"}


def _refuse_unknown_fields(model: type[Exchangeable], names: set[str]) -> None:
    """A service asked to set fields the record does not have: a programming error, said by name."""
    unknown = names - set(model.content_fields())
    if unknown:
        raise TypeError(f"{model.__name__} has no {noun_for(len(unknown), 'field')} {', '.join(sorted(unknown))}")


def clear_tombstone(record: Exchangeable) -> None:
    """Empty a record's content fields and drop their stamps; its links (foreign keys) stay."""
    cleared = type(record).empty_content()
    for name, value in cleared.items():
        setattr(record, name, value)
    record.field_stamps = {name: s for name, s in (record.field_stamps or {}).items() if name not in cleared}


def forget_conflict_values(session: Session, table: str, uuids: Iterable[str]) -> None:
    """Drop the logged values of deleted records (a deletion's own entries name fields only)."""
    ids = list(uuids)
    for start in range(0, len(ids), 900):
        session.execute(
            update(ConflictEntry)
            .where(
                ConflictEntry.table_name == table,
                ConflictEntry.record_uuid.in_(ids[start : start + 900]),
                ConflictEntry.field != DELETED_FIELD,
            )
            .values(losing_value=None, winning_value=None)
            .execution_options(synchronize_session=False)
        )


def _kind(table: str) -> str:
    """A record's kind in users' words for default audit summaries ("Created chronology entry")."""
    from app.records.naming import naming_for  # areas register their names late; import at use

    return naming_for(table).kind.lower()

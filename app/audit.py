"""The hash-chained audit log: who changed which record, what, and when.

Each entry's hash covers its content and the previous entry's hash, so editing
or deleting any past entry breaks the chain from that point on. (Cutting off
the newest entries leaves a valid shorter chain; `check` reports the count so a
reader can compare it with an earlier one.)
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core import AuditEntry

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _entry_hash(prev_hash: str, fields: dict[str, str]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, str]:
    return {
        "at": entry.at, "member_id": entry.member_id, "member_name": entry.member_name,
        "action": entry.action, "table_name": entry.table_name, "record_id": entry.record_id,
        "summary": entry.summary, "changes": entry.changes,
    }


class AuditLog:
    """Appends entries within the caller's transaction, keeping the chain head in memory."""

    def __init__(self, session: Session, member_id: str, member_name: str) -> None:
        self._session = session
        self._member_id = member_id
        self._member_name = member_name
        self._head: str | None = None

    def _current_head(self) -> str:
        if self._head is None:
            last = self._session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
            self._head = last or GENESIS_HASH
        return self._head

    def append(self, action: str, table_name: str, record_id: str, summary: str,
               changes: dict[str, Any] | None = None) -> AuditEntry:
        entry = AuditEntry(
            at=utc_now_iso(), member_id=self._member_id, member_name=self._member_name,
            action=action, table_name=table_name, record_id=record_id, summary=summary,
            changes=canonical_json(changes or {}), prev_hash=self._current_head(),
        )
        entry.entry_hash = _entry_hash(entry.prev_hash, _hashed_fields(entry))
        self._head = entry.entry_hash
        self._session.add(entry)
        return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session) -> ChainReport:
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if entry.prev_hash != expected_prev:
            problems.append(f"audit entry {entry.id}: does not follow the previous entry "
                            "(an entry before it was changed or removed)")
        if _entry_hash(entry.prev_hash, _hashed_fields(entry)) != entry.entry_hash:
            problems.append(f"audit entry {entry.id}: its content was changed after it was written")
        expected_prev = entry.entry_hash
        if len(problems) >= 20:
            problems.append("further problems not listed")
            break
    return ChainReport(count, problems)

"""The hash-chained audit log: who changed which record, what, and when.

Each entry's hash covers its content and the previous entry's hash, so editing
or deleting any past entry breaks the chain from that point on. Cutting off the
newest entries would leave a valid shorter chain, so the head (entry count and
newest hash) is also recorded in `workspace_meta`, in the same transaction as
every entry, and `check` compares the two.

The first entry chains from a genesis bound to the workspace (its id and
creation time), not from a constant, so a log cannot be emptied and restarted,
nor carried over from another workspace, and still look whole. Workspaces made
before that chain from zeros, accepted as the legacy genesis. Every workspace's
log starts with the entry recording its creation, so an empty log, a missing
head, or records that no audited change accounts for all fail `check`.

What the chain does not do: anyone holding the passphrase can open the database
and rewrite the log, the head and the genesis consistently; the chain catches
careless or partial tampering, not a determined holder of the key (see
docs/architecture.md, "The audit log").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import utc_timestamp
from app.text import count_of
from db.base import exchangeable_models
from db.models.core import AuditEntry, WorkspaceMeta

#: The genesis of logs written before it was bound to the workspace (still accepted).
LEGACY_GENESIS_HASH = "0" * 64
HEAD_KEY = "audit_head"
#: workspace_meta keys the genesis is bound to; both are written when the workspace is created
GENESIS_KEYS = ("workspace_id", "created")
#: audit entries about the workspace itself (creation, passphrase change), not about any record
WORKSPACE_TABLE = "workspace"


def genesis_hash(workspace_id: str, created: str) -> str:
    """The hash the first entry of a workspace's log follows: fixed by the workspace's identity."""
    material = canonical_json(
        {"chain": "safeguarding-workbench-audit", "workspace_id": workspace_id, "created": created}
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def workspace_genesis(session: Session) -> str | None:
    """This workspace's genesis, or None when its identity is not recorded (a damaged or foreign store)."""
    rows = dict(
        session.execute(select(WorkspaceMeta.key, WorkspaceMeta.value).where(WorkspaceMeta.key.in_(GENESIS_KEYS))).all()
    )
    if not all(rows.get(key) for key in GENESIS_KEYS):
        return None
    return genesis_hash(rows["workspace_id"], rows["created"])


def head_value(count: int, entry_hash: str) -> str:
    return f"{count}:{entry_hash}"


def _parse_head(value: str) -> tuple[int, str]:
    count, _, entry_hash = value.partition(":")
    return (int(count), entry_hash) if count.isdigit() else (-1, "")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _entry_hash(prev_hash: str, fields: dict[str, str]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, str]:
    return {
        "at": entry.at,
        "member_id": entry.member_id,
        "member_name": entry.member_name,
        "action": entry.action,
        "table_name": entry.table_name,
        "record_id": entry.record_id,
        "summary": entry.summary,
        "changes": entry.changes,
    }


class AuditLog:
    """Appends entries within the caller's transaction, keeping the chain head in memory."""

    def __init__(self, session: Session, member_id: str, member_name: str) -> None:
        self._session = session
        self._member_id = member_id
        self._member_name = member_name
        self._head: str | None = None
        self._count = 0
        self._recorded: WorkspaceMeta | None = None

    def _current_head(self) -> str:
        if self._head is None:
            last = self._session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
            self._head = last or workspace_genesis(self._session) or LEGACY_GENESIS_HASH
            self._count = self._session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        return self._head

    def append(
        self, action: str, table_name: str, record_id: str, summary: str, changes: dict[str, Any] | None = None
    ) -> AuditEntry:
        entry = AuditEntry(
            at=utc_timestamp("milliseconds"),
            member_id=self._member_id,
            member_name=self._member_name,
            action=action,
            table_name=table_name,
            record_id=record_id,
            summary=summary,
            changes=canonical_json(changes or {}),
            prev_hash=self._current_head(),
        )
        entry.entry_hash = _entry_hash(entry.prev_hash, _hashed_fields(entry))
        self._head = entry.entry_hash
        self._count += 1
        self._session.add(entry)
        self._record_head()
        return entry

    def _record_head(self) -> None:
        value = head_value(self._count, self._current_head())
        if self._recorded is None:
            self._recorded = self._session.get(WorkspaceMeta, HEAD_KEY)
            if self._recorded is None:
                self._recorded = WorkspaceMeta(key=HEAD_KEY, value=value)
                self._session.add(self._recorded)
        self._recorded.value = value


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session) -> ChainReport:
    problems: list[str] = []
    genesis = workspace_genesis(session)
    expected_prev = ""
    count = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if count == 1:
            if entry.prev_hash not in (genesis, LEGACY_GENESIS_HASH):
                problems.append(
                    f"audit entry {entry.id}: the audit log does not start at this workspace's creation "
                    "(its first entries were removed, or it was taken from another workspace)"
                )
        elif entry.prev_hash != expected_prev:
            problems.append(
                f"audit entry {entry.id}: does not follow the previous entry "
                "(an entry before it was changed or removed)"
            )
        if _entry_hash(entry.prev_hash, _hashed_fields(entry)) != entry.entry_hash:
            problems.append(f"audit entry {entry.id}: its content was changed after it was written")
        expected_prev = entry.entry_hash
        if len(problems) >= 20:
            problems.append("further problems not listed")
            return ChainReport(count, problems)
    if count == 0:
        problems.append(
            "the audit log is empty: even the entry recording the workspace's creation is gone (it was emptied)"
        )
    problems.extend(_head_problems(session, count, expected_prev))
    problems.extend(_record_problems(session))
    return ChainReport(count, problems)


def _head_problems(session: Session, count: int, newest_hash: str) -> list[str]:
    """The newest entries removed leave a valid chain: only the recorded head shows it."""
    recorded = session.get(WorkspaceMeta, HEAD_KEY)
    if recorded is None:
        return ["the audit log's recorded head is missing (it was removed)"]
    recorded_count, recorded_hash = _parse_head(recorded.value)
    if recorded_count != count:
        return [
            f"the audit log holds {count} entries but {recorded_count} were recorded "
            "(the newest entries were removed or added outside the application)"
        ]
    if recorded_hash != newest_hash:
        return ["the newest audit entry is not the one recorded (it was replaced)"]
    return []


def _record_problems(session: Session) -> list[str]:
    """Records carry change stamps, and every change that made them was audited (directly or in the
    summary entry of an import, a merge or a demo): records with no audited change at all mean the
    log's entries about them were removed, even if the chain and head were rebuilt to match."""
    stamped = sum(
        session.scalar(select(func.count()).select_from(model).where(model.updated_stamp.is_not(None))) or 0
        for model in exchangeable_models()  # every record type registered by now (the areas' models)
    )
    if not stamped:
        return []
    audited = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name != WORKSPACE_TABLE)
    )
    if audited:
        return []
    return [
        f"the workspace holds {count_of(stamped, 'record')} with change stamps but its audit log records no change "
        "to any record (the entries about them were removed)"
    ]


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One line of the audit log as the overview lists it."""

    id: int
    at: str
    member_name: str
    action: str
    table_name: str
    summary: str


def recent_audit(session: Session, limit: int = 1000) -> list[AuditRow]:
    """Newest first. Columns only (no ORM objects): the log can be long."""
    query = (
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.member_name,
            AuditEntry.action,
            AuditEntry.table_name,
            AuditEntry.summary,
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [AuditRow(*row) for row in session.execute(query)]

"""foundation: the audit chain covers a digest of each entry's content, so a purge can empty it

Revision ID: 0012_audit_content_digest
Revises: 0011_contentless_tombstones (the foundation branch, where the audit log lives)

Until now each entry's hash covered its summary and changes themselves, so a purge could
not remove what the log held about purged records without breaking the chain. From this
revision the hash covers `content_digest`, the sha256 of the canonical JSON of
{summary, changes}; a purge may then empty the content and mark the entry `redacted_by`
its own entry (app/records/audit.py, docs/architecture.md "The audit log").

The existing log is verified first, by the old formula, exactly as `check` did: the
genesis (this workspace's, or the legacy zeros), every link, every hash, and the recorded
head. Only a log that verifies is re-chained under the new formula, in this migration's
transaction; `workspace_meta` then records `audit_upgrade` with the old head (count and
newest hash), so the upgrade itself is on record. A log that does NOT verify is left as
it is, entry for entry (its `content_digest` stays ""): `check` keeps verifying those
entries by the old formula and so keeps reporting the same damage. Re-chaining it would
launder the damage into a valid chain, and re-chaining only the good part would still
move the evidence; so it is kept, new entries are appended in the digest form after it,
and a purge cannot empty its old entries (it says how many it kept). `audit_upgrade`
then records why nothing was re-chained.

Self-contained: it does not import the application, so it means the same whenever it runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012_audit_content_digest"
down_revision: str | Sequence[str] | None = "0011_contentless_tombstones"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY_GENESIS_HASH = "0" * 64  # as app.records.audit
HEAD_KEY = "audit_head"
UPGRADE_KEY = "audit_upgrade"
IDENTITY = ("at", "member_id", "member_name", "action", "table_name", "record_id")
_BATCH = 5000


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _genesis(connection: sa.Connection) -> str | None:
    meta: dict[str, str] = dict(connection.execute(sa.text("SELECT key, value FROM workspace_meta")).all())
    if not (meta.get("workspace_id") and meta.get("created")):
        return None
    return _sha(
        canonical_json(
            {"chain": "safeguarding-workbench-audit", "workspace_id": meta["workspace_id"], "created": meta["created"]}
        )
    )


def _rows(connection: sa.Connection, *extra: str) -> Iterator[sa.Row[Any]]:
    """Every entry in id order, a batch at a time (the log can be long)."""
    columns = ", ".join(("id", *IDENTITY, "summary", "changes", "prev_hash", "entry_hash", *extra))
    last = -1
    while True:
        batch = connection.execute(
            sa.text(f"SELECT {columns} FROM audit_log WHERE id > :last ORDER BY id LIMIT {_BATCH}"), {"last": last}
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def old_hash(prev: str, row: Any) -> str:
    fields = {name: getattr(row, name) for name in (*IDENTITY, "summary", "changes")}
    return _sha(prev + canonical_json(fields))


def new_hash(prev: str, row: Any, digest: str) -> str:
    fields = {name: getattr(row, name) for name in IDENTITY}
    fields["content_digest"] = digest
    return _sha(prev + canonical_json(fields))


def content_digest(summary: str, changes: str) -> str:
    return _sha(canonical_json({"summary": summary, "changes": changes}))


def _recorded_head(connection: sa.Connection) -> str | None:
    return connection.execute(sa.text("SELECT value FROM workspace_meta WHERE key = :key"), {"key": HEAD_KEY}).scalar()


def old_chain_fault(connection: sa.Connection) -> str | None:
    """Why the log does not verify by the old formula (what `check` reported), or None if it does."""
    genesis = _genesis(connection)
    prev: str | None = None
    count = 0
    for row in _rows(connection):
        count += 1
        if prev is None and row.prev_hash not in (genesis, LEGACY_GENESIS_HASH):
            return f"entry {row.id} does not start at the workspace's genesis"
        if prev is not None and row.prev_hash != prev:
            return f"entry {row.id} does not follow the previous entry"
        if old_hash(row.prev_hash, row) != row.entry_hash:
            return f"entry {row.id} was changed after it was written"
        prev = row.entry_hash
    if count == 0:
        return None  # nothing to re-chain (a new workspace; an emptied log stays reported by `check`)
    if _recorded_head(connection) != f"{count}:{prev}":
        return "the recorded head does not match the newest entry"
    return None


def _record_upgrade(connection: sa.Connection, value: dict[str, Any]) -> None:
    connection.execute(
        sa.text("INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (:key, :value)"),
        {"key": UPGRADE_KEY, "value": canonical_json(value)},
    )


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("content_digest", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("audit_log", sa.Column("redacted_by", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_audit_log_record_id"), "audit_log", ["record_id"], unique=False)
    connection = op.get_bind()
    old_head = _recorded_head(connection)
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    fault = old_chain_fault(connection)
    if fault is not None:
        _record_upgrade(
            connection,
            {"upgraded": False, "at": at, "old_head": old_head, "reason": f"the old chain did not verify: {fault}"},
        )
        return
    # entry_hash is unique: clear the old hashes first, so no new hash meets an old one (the new
    # chain is computed from each entry's content and the new hash before it, never the old hash)
    connection.execute(sa.text("UPDATE audit_log SET entry_hash = 'old:' || id"))
    statement = sa.text(
        "UPDATE audit_log SET content_digest = :digest, prev_hash = :prev, entry_hash = :hash WHERE id = :id"
    )
    prev: str | None = None
    count = 0
    updates: list[dict[str, Any]] = []
    for row in _rows(connection):  # a batch is read whole before any of it is written
        prev = row.prev_hash if prev is None else prev  # the first entry keeps its genesis
        digest = content_digest(row.summary, row.changes)
        entry_hash = new_hash(prev, row, digest)
        updates.append({"id": row.id, "digest": digest, "prev": prev, "hash": entry_hash})
        prev = entry_hash
        count += 1
        if len(updates) == _BATCH:
            connection.execute(statement, updates)
            updates.clear()
    if updates:
        connection.execute(statement, updates)
    if not count:
        return  # a new workspace: its first entry is written in the digest form
    connection.execute(
        sa.text("UPDATE workspace_meta SET value = :value WHERE key = :key"),
        {"key": HEAD_KEY, "value": f"{count}:{prev}"},
    )
    _record_upgrade(connection, {"upgraded": True, "at": at, "old_head": old_head, "entries": count})


def downgrade() -> None:
    """Back to the old formula, only while nothing was emptied: emptied content cannot be hashed again."""
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT count(*) FROM audit_log WHERE redacted_by IS NOT NULL")).scalar():
        raise RuntimeError("the audit log holds entries emptied by a purge: it cannot go back to the old formula")
    prev: str | None = None
    count = 0
    updates: list[dict[str, Any]] = []
    for row in _rows(connection, "content_digest"):
        if not row.content_digest:  # a log kept in the old form: nothing to undo for this entry
            prev = row.entry_hash
            updates.append({"id": row.id, "prev": row.prev_hash, "hash": row.entry_hash})
        else:
            if content_digest(row.summary, row.changes) != row.content_digest:
                raise RuntimeError(f"audit entry {row.id} was changed after it was written: not re-chained")
            prev = row.prev_hash if prev is None else prev
            entry_hash = old_hash(prev, row)
            updates.append({"id": row.id, "prev": prev, "hash": entry_hash})
            prev = entry_hash
        count += 1
    connection.execute(sa.text("UPDATE audit_log SET entry_hash = 'new:' || id"))
    statement = sa.text("UPDATE audit_log SET prev_hash = :prev, entry_hash = :hash WHERE id = :id")
    for start in range(0, len(updates), _BATCH):
        connection.execute(statement, updates[start : start + _BATCH])
    if count:
        connection.execute(
            sa.text("UPDATE workspace_meta SET value = :value WHERE key = :key"),
            {"key": HEAD_KEY, "value": f"{count}:{prev}"},
        )
    connection.execute(sa.text("DELETE FROM workspace_meta WHERE key = :key"), {"key": UPGRADE_KEY})
    op.drop_index(op.f("ix_audit_log_record_id"), table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("redacted_by")
        batch.drop_column("content_digest")

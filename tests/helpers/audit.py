"""Rewriting an audit log's hashes consistently, as someone holding the key could (for tamper and migration tests)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from app.records.audit import HEAD_KEY, canonical_json


def rechain(execute: Callable[..., Any], fields: Sequence[str], genesis: str | None = None) -> None:
    """Recompute every entry's hash over `fields` from `genesis` (default: the first entry's own) and record
    the matching head. `execute`: a raw connection's execute (sqlite3, or SQLAlchemy's exec_driver_sql)."""
    rows = execute(f"SELECT id, prev_hash, {', '.join(fields)} FROM audit_log ORDER BY id").fetchall()
    prev = genesis or rows[0][1]
    execute("UPDATE audit_log SET entry_hash = 'rechaining:' || id")  # hashes are unique: no new one meets an old one
    for row in rows:
        entry_hash = hashlib.sha256(
            (prev + canonical_json(dict(zip(fields, row[2:], strict=True)))).encode()
        ).hexdigest()
        execute("UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE id = ?", (prev, entry_hash, row[0]))
        prev = entry_hash
    execute("INSERT OR REPLACE INTO workspace_meta (key, value) VALUES (?, ?)", (HEAD_KEY, f"{len(rows)}:{prev}"))


#: what an entry's hash covered before migration 0012 (its content itself, not a digest of it)
OLD_FIELDS = ("at", "member_id", "member_name", "action", "table_name", "record_id", "summary", "changes")


def to_old_form(execute: Callable[..., Any], genesis: str | None = None) -> None:
    """The audit log as builds before migration 0012 kept it: no digest or redaction columns,
    each hash over the content itself (the old formula, written out here rather than imported)."""
    execute("DROP INDEX ix_audit_log_record_id")
    execute("ALTER TABLE audit_log DROP COLUMN redacted_by")
    execute("ALTER TABLE audit_log DROP COLUMN content_digest")
    rechain(execute, OLD_FIELDS, genesis)


def without_purge_notices(execute: Callable[..., Any]) -> None:
    """The schema as builds before migration 0013 left it (no purge notices), for tests that take a
    workspace back further: the foundation branch's head is then 0012 again."""
    execute("DROP TABLE purge_notice")
    execute(
        "UPDATE alembic_version SET version_num = '0012_audit_content_digest' WHERE version_num = '0013_purge_notice'"
    )

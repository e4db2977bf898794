"""Tables every workspace has: metadata, the member's identity, the audit log, agencies."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable


class WorkspaceMeta(Base):
    """Small key/value facts about the workspace (id, clock, creation time)."""

    __tablename__ = "workspace_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class MemberIdentity(Base):
    """The one member who owns this workspace. Private keys are stored wrapped."""

    __tablename__ = "member_identity"
    member_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))
    x25519_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    ed25519_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    x25519_private_wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    ed25519_private_wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    """One change, chained to the previous entry by hash so edits are detected.

    The hash covers `content_digest` (a digest of `summary` and `changes`), not the content
    itself, so a purge can blank the content of entries about purged records and mark them
    `redacted_by` its own entry while the chain still verifies (app/records/audit.py). Entries
    written before the digest (`content_digest` "") are hashed over their content directly.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str] = mapped_column(String(32))
    member_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: sha256 of the canonical JSON of {summary, changes}; "" in a log kept in the old form
    content_digest: Mapped[str] = mapped_column(String(64), server_default="")
    #: the id of the purge entry that blanked this entry's content (None: not redacted)
    redacted_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Agency(Exchangeable, Base):
    """A partner agency; chronology entries and actions name one."""

    __tablename__ = "agency"
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str] = mapped_column(String(80), default="")
    colour: Mapped[str] = mapped_column(String(7), default="#dddddd")


class PurgeNotice(Exchangeable, Base):
    """That a member purged records under a retention rule: which records, by table, and on which day.

    Written by the purge (app/records/purge.py) next to its tombstones and exchanged like any
    record, so every member who imports them (directly or through a coordinator) empties its own
    audit entries about those records as the purge emptied the purging member's (docs/merge.md,
    "Tombstones and purge"). Record ids, a rule key and a date: never content. One notice names
    at most `app.records.purge.NOTICE_CHUNK` records of one table.
    """

    __tablename__ = "purge_notice"
    #: the retention rule's key (`app.records.purge.RETENTION_RULES`)
    rule: Mapped[str] = mapped_column(String(40))
    #: the day the purging member purged them (the emptied entries say "on" this day)
    purged_on: Mapped[date] = mapped_column(Date)
    #: the exchangeable table the records belong to
    table_name: Mapped[str] = mapped_column(String(64))
    #: the purged records' uuids
    records: Mapped[list[Any]] = mapped_column(JSON, default=list)

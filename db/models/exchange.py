"""Local bookkeeping of the exchange: contacts, conflicts, bundle history.

None of these tables is exchangeable: they describe this member's view of the
partnership (whom they trust, what they sent and received, which concurrent
edits lost) and never travel in bundles.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Contact(Base):
    """A member whose identity card was imported; trusted only after fingerprint comparison."""

    __tablename__ = "contact"
    #: key id of the contact's key pair (app.exchange.keys.key_id_for)
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: the contact's member id, learned from their first bundle (stamps name it)
    member_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    x25519_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    ed25519_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    added_at: Mapped[str] = mapped_column(String(40))
    trusted_at: Mapped[str | None] = mapped_column(String(40), default=None)
    revoked_at: Mapped[str | None] = mapped_column(String(40), default=None)


class ConflictEntry(Base):
    """The losing value of a concurrent edit, kept so nobody's work vanishes silently."""

    __tablename__ = "conflict_log"
    __table_args__ = (
        UniqueConstraint("table_name", "record_uuid", "field", "losing_stamp", name="uq_conflict_log_losing_value"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    #: a content field, or "__deleted__" when a deletion raced edits
    field: Mapped[str] = mapped_column(String(64))
    #: the losing value in its bundle encoding (dates as ISO text, bytes as base64)
    losing_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    losing_stamp: Mapped[str] = mapped_column(String(60))
    winning_stamp: Mapped[str] = mapped_column(String(60))
    #: the winning value in its bundle encoding, for side-by-side comparison
    winning_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    bundle_id: Mapped[str] = mapped_column(String(36))
    recorded_at: Mapped[str] = mapped_column(String(40))
    resolved_at: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    #: "restored" (the losing value was written back) or "kept" (the winner stays)
    resolution: Mapped[str | None] = mapped_column(String(20), default=None)


class BundleLog(Base):
    """One bundle sent or received: its id makes re-import a no-op."""

    __tablename__ = "bundle_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    direction: Mapped[str] = mapped_column(String(8))  # "sent" | "received"
    peer_names: Mapped[str] = mapped_column(Text)
    created: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(200), default="")
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frontier: Mapped[str] = mapped_column(Text, default="")


class SentFrontier(Base):
    """Per recipient set: our clock when we last sent to it, for --since-last."""

    __tablename__ = "sent_frontier"
    #: sorted key ids of the recipients, joined by ","
    recipients: Mapped[str] = mapped_column(String(4000), primary_key=True)
    clock_stamp: Mapped[str] = mapped_column(String(60))
    bundle_id: Mapped[str] = mapped_column(String(36))
    sent_at: Mapped[str] = mapped_column(String(40))


class ReceivedChange(Base):
    """Records an import changed, stamped with our clock at import time.

    Imported stamps can be older than our last send, so "changed since the
    last bundle" also asks this table, whose stamps only grow.
    """

    __tablename__ = "received_change"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    import_stamp: Mapped[str] = mapped_column(String(60), index=True)


class SeenFrontier(Base):
    """Highest stamp received from each member: tells a conflict from a later edit."""

    __tablename__ = "seen_frontier"
    member_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(60))


class FieldKnowledge(Base):
    """What the writer of a field's value had seen of that field: one stamp per member.

    A value's knowledge is the highest stamp of each member's earlier values
    of the same field that its writer had seen when writing (the value it
    overwrote, and what that value's writer had seen, transitively). A losing
    value is logged as a conflict exactly when the winner's knowledge does not
    cover it. Stored only when it says more than the value's own stamp; a row
    whose `stamp` is not the field's current stamp is stale and ignored.
    """

    __tablename__ = "field_knowledge"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the value's own stamp
    stamp: Mapped[str] = mapped_column(String(60))
    #: stamps of other values (one per member, the highest) the writer had seen
    seen: Mapped[list[str]] = mapped_column(JSON, default=list)

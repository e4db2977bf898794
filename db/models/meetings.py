"""Meetings of the partnership's board and subgroups, their agendas, papers and issued packs.

Every table is exchangeable: the coordinator's agenda and pack and the Chair's
notes travel between members as bundles and merge field by field. Attached
papers and issued packs are stored inside the (SQLCipher-encrypted) workspace,
never as loose files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable

#: per attached paper; declared on the column so bundles are held to it too
MAX_PAPER_BYTES = 25 * 1024 * 1024
#: per issued pack (the master PDF and the copy without restricted papers)
MAX_PACK_BYTES = 200 * 1024 * 1024


class MeetingBody(Exchangeable, Base):
    """The board or a subgroup (a list users can edit)."""

    __tablename__ = "meeting_body"
    name: Mapped[str] = mapped_column(String(200))
    #: short code used in meeting references, e.g. "QA"
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Meeting(Exchangeable, Base):
    __tablename__ = "meeting"
    #: approval is one unit: a status of "minutes approved" is only true with the hash, the day,
    #: the approving meeting and the approved minutes it was set with (docs/merge.md, merge groups)
    __merge_groups__ = (("status", "minutes_hash", "minutes_approved_on", "minutes_approved_at", "approved_minutes"),)
    body_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("meeting_body.uuid"), index=True)
    #: e.g. "QA-2026-03-12" (body code and date), unique per live meeting
    reference: Mapped[str] = mapped_column(String(40), index=True)
    meets_on: Mapped[date] = mapped_column(Date)
    #: "HH:MM" or ""
    start_time: Mapped[str] = mapped_column(String(5), default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    chair: Mapped[str] = mapped_column(String(200), default="")
    #: planned / pack_issued / held / minutes_approved (app.meetings.status)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    #: SHA-256 of the minutes' text when approved (also in the audit log); frozen afterwards
    minutes_hash: Mapped[str] = mapped_column(String(64), default="")
    minutes_approved_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: the meeting at which these minutes were approved (its reference)
    minutes_approved_at: Mapped[str] = mapped_column(String(40), default="")
    #: the minutes as approved (app.meetings.minutes.snapshot): exported as they were approved, however
    #: the actions raised later move on; {} until approved (or approved before this was kept)
    approved_minutes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MeetingMember(Exchangeable, Base):
    """A person invited to a meeting, their attendance and whether they may see restricted papers."""

    __tablename__ = "meeting_member"
    meeting_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("meeting.uuid"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    #: invited / present / apologies / absent
    attendance: Mapped[str] = mapped_column(String(12), default="invited")
    cleared_restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the exchange contact their sealed copy goes to (display name), "" if none
    contact_name: Mapped[str] = mapped_column(String(200), default="")


class AgendaItem(Exchangeable, Base):
    __tablename__ = "agenda_item"
    meeting_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("meeting.uuid"), index=True)
    #: order on the agenda; item numbers follow it (1, 2, 3...)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    #: decision / discussion / information
    purpose: Mapped[str] = mapped_column(String(12), default="discussion")
    minutes_allowed: Mapped[int] = mapped_column(Integer, default=10)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: typed in the meeting
    notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")


class MeetingPaper(Exchangeable, Base):
    """A paper for an agenda item: an attached PDF or a report generated from live data at build time."""

    __tablename__ = "meeting_paper"
    item_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("agenda_item.uuid"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    #: "file" or "report"
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[bytes | None] = mapped_column(LargeBinary(MAX_PAPER_BYTES), default=None)  # type: ignore[assignment]  # file bytes shadow Exchangeable.content(), unused on files
    sha256: Mapped[str] = mapped_column(String(64), default="")
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    #: app.contributions.PACK_REPORTS key and its filters
    report_key: Mapped[str] = mapped_column(String(40), default="")
    report_filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    added_on: Mapped[date] = mapped_column(Date)


class MeetingPack(Exchangeable, Base):
    """One issued version of a meeting's pack, kept so earlier versions stay retrievable."""

    __tablename__ = "meeting_pack"
    meeting_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("meeting.uuid"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    #: e.g. "QA-2026-03-12-v2"
    pack_id: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date] = mapped_column(Date)
    #: what the pack was made of (items, papers and their hashes): version 2's change list compares these
    manifest: Mapped[dict] = mapped_column(JSON, default=dict)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    page_count: Mapped[int] = mapped_column(Integer)
    #: every item's papers (members cleared for restricted items)
    content: Mapped[bytes] = mapped_column(LargeBinary(MAX_PACK_BYTES))  # type: ignore[assignment]  # file bytes shadow Exchangeable.content(), unused on files
    #: restricted items' papers left out; None when the meeting has no restricted papers
    open_content: Mapped[bytes | None] = mapped_column(LargeBinary(MAX_PACK_BYTES), default=None)
    sha256: Mapped[str] = mapped_column(String(64))

"""The action tracker: actions from recommendations, their progress and evidence of impact.

Progress updates and evidence files are records of their own so that they
merge between members as separate, append-only facts. Evidence files live
inside the (SQLCipher-encrypted) workspace, never as loose files on disk.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable


class Action(Exchangeable, Base):
    """One action of an action plan, followed until its impact is evidenced."""

    __tablename__ = "action"
    #: a status is only true with its evidence and closure approval; an override with its reason
    __merge_groups__ = (
        ("status", "impact_evidence", "closure_reason", "approved_by", "approved_at_meeting", "approved_on"),
        ("rag_override", "rag_override_reason"),
        ("source_kind", "source_uuid", "source_label"),
    )
    reference: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text)
    #: review_recommendation / audit / inspection / section11 / none (app.actions.sources)
    source_kind: Mapped[str] = mapped_column(String(30), default="none")
    #: the source record (e.g. a recommendation); no foreign key: some source areas come later
    source_uuid: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    #: readable name of the source, e.g. "Ofsted ILACS 2025" or "LCSPR-2026-01 rec 3"
    source_label: Mapped[str] = mapped_column(String(300), default="")
    #: the review a recommendation belongs to, so the tracker can filter by review
    review_uuid: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    owner_agency_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("agency.uuid"), index=True)
    lead_officer: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date] = mapped_column(Date)
    success_measure: Mapped[str] = mapped_column(Text, default="")
    #: app.actions.status keys
    status: Mapped[str] = mapped_column(String(40), default="not_started")
    #: the owner's flag: on_track / at_risk / off_track
    track: Mapped[str] = mapped_column(String(20), default="on_track")
    #: manual RAG override (red/amber/green/blue) and why; None when computed
    rag_override: Mapped[str | None] = mapped_column(String(10), default=None)
    rag_override_reason: Mapped[str] = mapped_column(Text, default="")
    impact_evidence: Mapped[str] = mapped_column(Text, default="")
    #: why an action closed as not achieved or superseded
    closure_reason: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at_meeting: Mapped[str] = mapped_column(String(300), default="")
    approved_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_on: Mapped[date] = mapped_column(Date)


class ProgressUpdate(Exchangeable, Base):
    """A dated progress note on an action. Append-only: no service edits or deletes one."""

    __tablename__ = "progress_update"
    action_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("action.uuid"), index=True)
    written_on: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


#: per stored evidence file; declared on the column so bundles are held to it too
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class EvidenceFile(Exchangeable, Base):
    """A file evidencing an action's impact, stored inside the encrypted workspace."""

    __tablename__ = "action_evidence_file"
    #: a file's name, size and bytes are one file
    __merge_groups__ = (("filename", "size", "content"),)
    action_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("action.uuid"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary(MAX_EVIDENCE_BYTES))  # type: ignore[assignment]  # the file bytes shadow Exchangeable.content(), never called on this model: bundles encode columns
    added_on: Mapped[date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(200))

"""Section 11 audits: frameworks of standards, cycles, agency returns, moderation,
lines of enquiry, the Chair's challenge interview, feedback letters.

Every table but the autosave drafts is exchangeable: records travel in bundles and
merge field by field. Records that two members could create independently for the
same thing (an agency in a cycle, its assessment of a standard, a suggested line of
enquiry, the interview) get a UUID derived from what they stand for
(`app.section11.ids`), so the two copies merge into one instead of doubling.

Scores are stored as the scale's whole-number value (0 to 3 for both shipped
scales); the cycle's scale (`app.section11.scales`) gives the label, word and RAG.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable

#: per stored evidence file or issued letter
MAX_S11_FILE_BYTES = 10 * 1024 * 1024


class S11Framework(Exchangeable, Base):
    """A versioned set of standards (e.g. the classic eight, or the schools s175/s157 audit)."""

    __tablename__ = "s11_framework"
    name: Mapped[str] = mapped_column(String(200))
    version_label: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: classic / schools / custom
    kind: Mapped[str] = mapped_column(String(30), default="custom")
    #: the framework this one was copied from (copy forward into a new cycle)
    based_on_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class S11Standard(Exchangeable, Base):
    """One standard of a framework: what good looks like, questions, evidence prompts."""

    __tablename__ = "s11_standard"
    #: what good looks like is written for the standard's title (like a finding's title and text)
    __merge_groups__ = (("title", "good_practice"),)
    framework_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_framework.uuid"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    good_practice: Mapped[str] = mapped_column(Text, default="")
    #: list of question / sub-standard texts
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: list of evidence prompt texts
    evidence_prompts: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the same standard across framework versions: last cycle's answers carry forward by it
    lineage: Mapped[str] = mapped_column(String(60), index=True)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class S11Cycle(Exchangeable, Base):
    """One audit round: its framework, scale, agencies and deadlines."""

    __tablename__ = "s11_cycle"
    #: a period's two ends; the interview window's two ends
    __merge_groups__ = (("period_start", "period_end"), ("interview_from", "interview_to"))
    name: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    framework_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_framework.uuid"), index=True)
    #: app.section11.scales key
    scale_key: Mapped[str] = mapped_column(String(40))
    return_due: Mapped[date | None] = mapped_column(Date, default=None)
    panel_date: Mapped[date | None] = mapped_column(Date, default=None)
    interview_from: Mapped[date | None] = mapped_column(Date, default=None)
    interview_to: Mapped[date | None] = mapped_column(Date, default=None)
    #: the cycle before it (carry-forward and year-on-year); None for the first
    previous_cycle_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class S11Participant(Exchangeable, Base):
    """An agency taking part in a cycle, and where it is in the cycle."""

    __tablename__ = "s11_participant"
    #: a status is true from the day it was set; the last return imported is one file (when, which, its hash)
    __merge_groups__ = (("status", "status_changed_on"), ("returned_on", "return_version", "return_sha256"))
    cycle_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_cycle.uuid"), index=True)
    agency_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("agency.uuid"), index=True)
    #: the agency's sector for this cycle (local authority, health, police, education...)
    sector: Mapped[str] = mapped_column(String(80), default="")
    #: app.section11.status keys
    status: Mapped[str] = mapped_column(String(30), default="not_sent")
    status_changed_on: Mapped[date | None] = mapped_column(Date, default=None)
    sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    returned_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: how many times a return was imported, and the hash of the last one
    return_version: Mapped[int] = mapped_column(Integer, default=0)
    return_sha256: Mapped[str] = mapped_column(String(64), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")


class S11Assessment(Exchangeable, Base):
    """An agency's self-assessment of one standard and the panel's moderation of it."""

    __tablename__ = "s11_assessment"
    #: the agency's answer is one return: its score stands on the evidence it was given with; the panel's
    #: score stands on its rationale, who moderated and when (docs/merge.md, "Merge groups")
    __merge_groups__ = (
        ("self_score", "evidence", "impact", "improvement", "target_date", "carried_forward"),
        ("moderated_score", "rationale", "moderated_by", "moderated_on"),
    )
    participant_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_participant.uuid"), index=True)
    standard_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_standard.uuid"), index=True)
    self_score: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    improvement: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date, default=None)
    #: the answers were carried forward from last cycle and the agency has not changed them
    carried_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    moderated_score: Mapped[int | None] = mapped_column(Integer, default=None)
    rationale: Mapped[str] = mapped_column(Text, default="")
    moderated_by: Mapped[str] = mapped_column(String(200), default="")
    moderated_on: Mapped[date | None] = mapped_column(Date, default=None)


class S11Enquiry(Exchangeable, Base):
    """A line of enquiry for the interview, and what was asked, answered, promised and judged."""

    __tablename__ = "s11_enquiry"
    #: an answer belongs to the question asked; a promise to its due date; a judgement to its comment
    __merge_groups__ = (
        ("question_asked", "answer"),
        ("evidence_promised", "evidence_due"),
        ("judgement", "judgement_note"),
    )
    participant_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_participant.uuid"), index=True)
    #: the standard it is about (None: a general line, e.g. an open action)
    standard_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    #: over_rated / bottom_of_scale / not_met_last_cycle / open_action / chair
    reason: Mapped[str] = mapped_column(String(30), default="chair")
    #: why it was suggested, in words (e.g. "Self 3, moderated 1")
    reason_text: Mapped[str] = mapped_column(Text, default="")
    #: the suggested question
    prompt: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[float] = mapped_column(Float, default=0.0)
    question_asked: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    evidence_promised: Mapped[str] = mapped_column(Text, default="")
    evidence_due: Mapped[date | None] = mapped_column(Date, default=None)
    #: the panel's judgement on the scale of the cycle, and a comment
    judgement: Mapped[int | None] = mapped_column(Integer, default=None)
    judgement_note: Mapped[str] = mapped_column(Text, default="")


class S11Interview(Exchangeable, Base):
    """The Chair's support-and-challenge interview with one agency."""

    __tablename__ = "s11_interview"
    #: a time belongs to its day; held with the day it was held
    __merge_groups__ = (("scheduled_on", "start_time"), ("state", "held_on"))
    participant_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_participant.uuid"), index=True)
    scheduled_on: Mapped[date | None] = mapped_column(Date, default=None)
    start_time: Mapped[str] = mapped_column(String(5), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    #: [{"name": ..., "role": ..., "kind": "agency" | "chair" | "panel"}]
    attendees: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    #: booked / held
    state: Mapped[str] = mapped_column(String(20), default="booked")
    held_on: Mapped[date | None] = mapped_column(Date, default=None)


class S11Letter(Exchangeable, Base):
    """A version of the feedback letter: editable text while a draft, frozen once issued."""

    __tablename__ = "s11_letter"
    #: an issued letter is frozen: its state, text, issue and files are one unit, so a merge never puts
    #: one member's draft text under another's issued PDF and hash
    __merge_groups__ = (("state", "sections", "issued_on", "issued_by", "sha256", "pdf", "docx"),)
    participant_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_participant.uuid"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: draft / issued
    state: Mapped[str] = mapped_column(String(20), default="draft")
    #: the editable text: {"salutation": ..., "opening": ..., "strengths": ..., ...}
    sections: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    issued_on: Mapped[date | None] = mapped_column(Date, default=None)
    issued_by: Mapped[str] = mapped_column(String(200), default="")
    #: SHA-256 of the issued PDF (also in the audit log)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary(MAX_S11_FILE_BYTES), default=None)
    docx: Mapped[bytes | None] = mapped_column(LargeBinary(MAX_S11_FILE_BYTES), default=None)


class S11EvidenceFile(Exchangeable, Base):
    """A file an agency's return names as evidence, stored inside the encrypted workspace."""

    __tablename__ = "s11_evidence_file"
    #: one file
    __merge_groups__ = (("filename", "size", "content"),)
    participant_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("s11_participant.uuid"), index=True)
    standard_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary(MAX_S11_FILE_BYTES))  # type: ignore[assignment]  # file bytes shadow Exchangeable.content(), unused on files
    added_on: Mapped[date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(200), default="")


class S11Settings(Exchangeable, Base):
    """The partnership's letterhead and the letter's signatory (one record, fixed identity)."""

    __tablename__ = "s11_settings"
    #: one signatory
    __merge_groups__ = (("signatory_name", "signatory_role"),)
    partnership_name: Mapped[str] = mapped_column(String(200), default="")
    letterhead: Mapped[str] = mapped_column(Text, default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")


class S11Draft(Base):
    """Unsaved interview typing, kept keystroke by keystroke (this member's only; never exchanged).

    One row per field being edited; `app.section11.interview.save_draft` overwrites it
    on every change and `commit_drafts` folds it into the records (stamped, audited).
    """

    __tablename__ = "s11_draft"
    #: "<table>:<record uuid>:<field>"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    interview_uuid: Mapped[str] = mapped_column(String(36), index=True)
    value: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[str] = mapped_column(String(40))

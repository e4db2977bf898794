"""Case reviews and their integrated multi-agency chronologies.

Every table is exchangeable, so panel members' edits merge field by field.
Link tables (entry to episode, duplicate pairs) use deterministic UUIDs
(``link_uuid``) so that two members linking the same pair produce one record,
and unlinking is a tombstone that reaches everyone.

Dates of chronology entries may be uncertain ("May 2016", "c. 2015"): the
text form is ``FuzzyDate.to_storage()`` and ``date_key`` is an integer that
sorts exactly like ``FuzzyDate.sort_key()`` so SQL can order and filter.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable

_LINK_NAMESPACE = uuid_module.UUID("6f1d3c52-3b1e-4c55-9a53-2a0f8f1f0b7e")


def link_uuid(kind: str, first: str, second: str) -> str:
    """The same UUID on every member's laptop for the same link, so links merge."""
    return str(uuid_module.uuid5(_LINK_NAMESPACE, f"{kind}:{first}:{second}"))


class Review(Exchangeable, Base):
    """One case review (rapid review, LCSPR, management review, audit ...)."""

    __tablename__ = "review"
    #: a period's two ends; the dates the statutory clocks count from
    __merge_groups__ = (("scope_from", "scope_to"), ("incident_known_on", "notified_on"))
    reference: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    subject_pseudonym: Mapped[str] = mapped_column(String(120))
    subject_dob: Mapped[date | None] = mapped_column(Date, default=None)
    scope_from: Mapped[date | None] = mapped_column(Date, default=None)
    scope_to: Mapped[date | None] = mapped_column(Date, default=None)
    method: Mapped[str] = mapped_column(String(40), default="other")
    lead_reviewers: Mapped[str] = mapped_column(Text, default="")
    #: agency uuids, in the order the reviewer listed them
    participating_agencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(30), default="open")
    #: date the serious incident became known to the partnership
    incident_known_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: date of the serious incident notification (starts the rapid review clock)
    notified_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: other key dates: list of {"name": str, "due": "YYYY-MM-DD", "done": "YYYY-MM-DD" | None}
    milestones: Mapped[list[dict[str, str | None]]] = mapped_column(JSON, default=list)


class ChronologyEntry(Exchangeable, Base):
    """One event or contact recorded by one agency in a review's chronology."""

    __tablename__ = "chronology_entry"
    #: a date with its precision (sort key) and time; whether the child was seen with what they said
    __merge_groups__ = (
        ("start_date", "date_key", "start_time"),
        ("end_date", "end_time"),
        ("child_seen", "child_voice", "child_voice_note"),
    )
    __table_args__ = (Index("ix_chronology_entry_review_order", "review_uuid", "date_key", "start_time", "sequence"),)
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"))
    #: tie-breaker among events of one day with no time; also the reviewer's running number
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: the agency's own reference for the entry, as written in its return
    reference: Mapped[str] = mapped_column(String(60), default="")
    start_date: Mapped[str] = mapped_column(String(16))  # FuzzyDate.to_storage()
    #: FuzzyDate sort key packed into one integer (see app.chronology.service.date_key)
    date_key: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[str | None] = mapped_column(String(8), default=None)  # "HH:MM" or "HH:MM:SS"
    end_date: Mapped[str | None] = mapped_column(String(16), default=None)
    end_time: Mapped[str | None] = mapped_column(String(8), default=None)
    agency_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("agency.uuid"))
    source: Mapped[str] = mapped_column(Text, default="")
    event: Mapped[str] = mapped_column(Text, default="")
    child_seen: Mapped[bool | None] = mapped_column(Boolean, default=None)
    #: whether the child's voice (wishes, feelings, words) was recorded
    child_voice: Mapped[bool | None] = mapped_column(Boolean, default=None)
    #: what the child said, when the agency wrote it in the voice column
    child_voice_note: Mapped[str] = mapped_column(Text, default="")
    action_outcome: Mapped[str] = mapped_column(Text, default="")
    agency_analysis: Mapped[str] = mapped_column(Text, default="")
    reviewer_comment: Mapped[str] = mapped_column(Text, default="")
    significant: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String(200), default="")
    #: file and row the entry was imported from ("" when typed in)
    imported_from: Mapped[str] = mapped_column(String(300), default="")


class KeyPracticeEpisode(Exchangeable, Base):
    """A period of practice the review looks at closely (Learning Together)."""

    __tablename__ = "key_practice_episode"
    #: a period's two ends
    __merge_groups__ = (("period_from", "period_to"),)
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    period_from: Mapped[date | None] = mapped_column(Date, default=None)
    period_to: Mapped[date | None] = mapped_column(Date, default=None)
    #: the episode's summary (named so because ``summary`` is the audit text of uow.create)
    description: Mapped[str] = mapped_column(Text, default="")


class EntryEpisodeLink(Exchangeable, Base):
    """Links a chronology entry to a key practice episode (uuid from ``link_uuid``)."""

    __tablename__ = "entry_episode_link"
    entry_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("chronology_entry.uuid"), index=True)
    episode_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("key_practice_episode.uuid"), index=True)


class Finding(Exchangeable, Base):
    """What the review learned."""

    __tablename__ = "finding"
    #: a finding's heading says what its text says
    __merge_groups__ = (("title", "text"),)
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    episode_uuid: Mapped[str | None] = mapped_column(String(36), ForeignKey("key_practice_episode.uuid"), default=None)


class Recommendation(Exchangeable, Base):
    """A recommendation of a review; the action tracker turns it into actions."""

    __tablename__ = "recommendation"
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    finding_uuid: Mapped[str | None] = mapped_column(String(36), ForeignKey("finding.uuid"), default=None)


class GlossaryTerm(Exchangeable, Base):
    """Anonymisation: a real name or identifier and what replaces it in anonymised views."""

    __tablename__ = "glossary_term"
    #: a replacement belongs to the text it replaces
    __merge_groups__ = (("real_text", "replacement"),)
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    real_text: Mapped[str] = mapped_column(String(300))
    replacement: Mapped[str] = mapped_column(String(120))


class DuplicateLink(Exchangeable, Base):
    """Two entries from different agencies that may record one event; never deletes either."""

    __tablename__ = "duplicate_link"
    #: a pair is one suggestion
    __merge_groups__ = (("entry_a", "entry_b"),)
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    entry_a: Mapped[str] = mapped_column(String(36), ForeignKey("chronology_entry.uuid"), index=True)
    entry_b: Mapped[str] = mapped_column(String(36), ForeignKey("chronology_entry.uuid"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="suggested")  # suggested / confirmed / dismissed

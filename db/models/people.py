"""A review's people register and the reviewer's decisions on scan findings.

Anonymisation starts from who the review is about: each person's real name,
the other names they go by (aliases, nicknames, maiden names, spellings seen
in agency returns) and the pseudonym that replaces them ("Child A",
"Mother", "GP1"). The register lives only in the encrypted store and travels
between members like every other record (UUID, per-field stamps, tombstones).

A ``ScanDecision`` records what the reviewer said about a name-like word the
scan found that the register does not know: "not identifying" (a place, a
team, a drug) or "added" to the register. It is kept per review, with who
decided and when, so the same word is not asked about twice.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable


class ReviewPerson(Exchangeable, Base):
    """One person named in a review's chronology and how the anonymised text calls them."""

    __tablename__ = "review_person"
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    #: the name as the agencies mostly write it ("Sarah Turner")
    real_name: Mapped[str] = mapped_column(String(300))
    #: what replaces every mention ("Mother", "Child A", "GP1")
    pseudonym: Mapped[str] = mapped_column(String(120))
    #: the person's relation to the review ("mother", "child", "professional" ...), free text
    role: Mapped[str] = mapped_column(String(120), default="")
    #: aliases, nicknames, maiden names and spelling variants, each as written
    other_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class ScanDecision(Exchangeable, Base):
    """The reviewer's decision on one name-like text the scan found (matched case-insensitively)."""

    __tablename__ = "scan_decision"
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    #: the text as found ("Kowalski"); decisions apply to every occurrence of it in the review
    text: Mapped[str] = mapped_column(String(300))
    #: "not-identifying" or "added" (to the people register)
    decision: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[str] = mapped_column(String(40), default="")

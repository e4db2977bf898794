"""A review's people register and the reviewer's decisions on scan findings.

Anonymisation starts from who the review is about: each person's real name,
the other names they go by (aliases, nicknames, maiden names, spellings seen
in agency returns) and the pseudonym that replaces them ("Child A",
"Mother", "GP1"). The register lives only in the encrypted store and travels
between members like every other record (UUID, per-field stamps, tombstones).

A ``ScanDecision`` records what the reviewer said about one finding of the
pre-export scan: a name-like word the register does not know, an identifier
the identifying-data scan found (phone, postcode, street address, date of
birth...), or a value of the "source of information" column. It is "not
identifying" (a place, a team, a switchboard number), "added" (to the
register or glossary) or "accepted" (the reviewer lets the export contain
it). It is kept per review and per kind of finding, with who decided and
when, so the same text is not asked about twice; its text lives only here,
in the encrypted store.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable


class ReviewPerson(Exchangeable, Base):
    """One person named in a review's chronology and how the anonymised text calls them."""

    __tablename__ = "review_person"
    #: the names a person goes by and the pseudonym replacing them are checked together (the pseudonym is
    #: none of their names): one member's pseudonym never lands on another's names
    __merge_groups__ = (("real_name", "pseudonym", "other_names"),)
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
    """The reviewer's decision on one text of one kind the scan found (matched by its normalised form)."""

    __tablename__ = "scan_decision"
    #: a decision belongs to who made it and when
    __merge_groups__ = (("decision", "decided_by", "decided_at"),)
    review_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("review.uuid"), index=True)
    #: the kind of finding: "possible-name" (the name scan; decisions made before kinds existed are
    #: these), "source-person", or an identifier kind of ``app.chronology.anonymise`` ("phone" ...)
    kind: Mapped[str] = mapped_column(String(40), default="possible-name", server_default="possible-name")
    #: the text as found ("Kowalski"); decisions apply to every occurrence of it in the review
    text: Mapped[str] = mapped_column(String(300))
    #: "not-identifying", "added" (to the people register or glossary) or "accepted" (in the export)
    decision: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[str] = mapped_column(String(40), default="")

"""Read helpers the reviews GUI needs beyond the chronology services (no Qt here).

``duplicates_of`` lists the likely-duplicate pairings of one entry with what
the reviewer needs to judge them: the other entry's agency, date and event.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.dates.fuzzy import FuzzyDate
from db.models.core import Agency
from db.models.reviews import ChronologyEntry, DuplicateLink


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    link_uuid: str
    status: str
    other_uuid: str
    other_agency: str
    other_date: str
    other_event: str

    def describe(self) -> str:
        event = self.other_event if len(self.other_event) <= 70 else self.other_event[:69] + "…"
        return f"{self.status.capitalize()}: {self.other_agency} {self.other_date}: {event}"


def duplicates_of(session: Session, entry_uuid: str) -> list[DuplicatePair]:
    """Live pairings of an entry (suggested, confirmed or dismissed) whose other entry is live."""
    links = session.scalars(
        select(DuplicateLink).where(
            or_(DuplicateLink.entry_a == entry_uuid, DuplicateLink.entry_b == entry_uuid),
            DuplicateLink.deleted_stamp.is_(None),
        )
    ).all()
    pairs = []
    for link in links:
        other_uuid = link.entry_b if link.entry_a == entry_uuid else link.entry_a
        row = session.execute(
            select(ChronologyEntry.start_date, ChronologyEntry.event, Agency.short_name)
            .join(Agency, Agency.uuid == ChronologyEntry.agency_uuid)
            .where(ChronologyEntry.uuid == other_uuid, ChronologyEntry.deleted_stamp.is_(None))
        ).first()
        if row is None:
            continue
        start, event, agency = row
        pairs.append(
            DuplicatePair(link.uuid, link.status, other_uuid, agency, FuzzyDate.from_storage(start).display(), event)
        )
    return sorted(pairs, key=lambda p: (p.status != "suggested", p.other_date))

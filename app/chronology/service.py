"""Chronology entries: add, edit, duplicate, delete, link to episodes, pair duplicates.

The GUI's detail editor and undo stack call these functions, one unit of work
per user action. Values are accepted in the forms people type them and stored
canonically:

* ``start_date`` / ``end_date``: a ``FuzzyDate``, a ``datetime.date`` or text
  read day-first by ``dates.parse_date`` ("22/05/2016", "May 2016", "c. 2015");
  stored as ``FuzzyDate.to_storage()``, with ``date_key`` kept in step.
* ``start_time`` / ``end_time``: a ``datetime.time``, text ("09:30", "9.30am")
  or None; stored as "HH:MM" (or "HH:MM:SS" when seconds are given).
* ``agency``: an agency uuid, name or short name.

Undo: ``entry_values(entry)`` gives every editable value of an entry, which
``update_entry`` accepts back. A deleted entry is a content-less tombstone, so
``delete_entry`` hands its caller what the entry held (``DeletedEntry``, kept in
memory by the undo stack) and undoing the delete is ``restore_entry`` of it (a
copy with a new uuid, with its episode links).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.agencies import find_agency
from app.chronology.fields import TEXT_FIELDS
from app.chronology.validation import ExistingEntry
from app.dates.fuzzy import DateParseError, FuzzyDate, parse_date, parse_time
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_or_none, live_record
from app.reviews.register import get_review
from db.base import live
from db.models.core import Agency, MemberIdentity
from db.models.reviews import (
    ChronologyEntry,
    DuplicateLink,
    EntryEpisodeLink,
    KeyPracticeEpisode,
    link_uuid,
)

#: Fields of an entry a person edits (the GUI's detail editor shows these).
EDITABLE_FIELDS: tuple[str, ...] = (
    "sequence",
    "reference",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "agency_uuid",
    "source",
    "event",
    "child_seen",
    "child_voice",
    "child_voice_note",
    "action_outcome",
    "agency_analysis",
    "reviewer_comment",
    "significant",
)
DUPLICATE_STATUSES = ("suggested", "confirmed", "dismissed")


def date_key(value: FuzzyDate) -> int:
    """``FuzzyDate.sort_key()`` packed into one integer that SQL can index and compare.

    ``date_key(d) // 8`` is the ordinal of the first day the date could be, so a
    date range filter is ``date_key >= first.toordinal() * 8``.
    """
    ordinal, precision, approximate = value.sort_key()
    return ordinal * 8 + precision * 2 + approximate


def to_fuzzy_date(value: object, what: str = "date") -> FuzzyDate:
    """A FuzzyDate from what a person or a file gives; InvalidInput names the problem."""
    if isinstance(value, FuzzyDate):
        return value
    try:
        return parse_date(value)
    except DateParseError as exc:
        raise InvalidInput(f"The {what} {value!r} cannot be read: {exc.reason}.") from None


def time_text(value: object, what: str = "time") -> str | None:
    """ "HH:MM" (or "HH:MM:SS") from a time or text; None for blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        moment = value if isinstance(value, time) else parse_time(value)
    except DateParseError as exc:
        raise InvalidInput(f"The {what} {value!r} cannot be read: {exc.reason}.") from None
    if moment is None:
        return None
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def _agency_uuid(session: Session, value: str) -> str:
    agency = live_or_none(session, Agency, value) if len(value) == 36 else None
    if agency is not None:
        return agency.uuid
    return find_agency(session, value).uuid


def _normalise(session: Session, changes: dict[str, Any]) -> dict[str, Any]:
    """Canonical stored values for the given editable fields (dates, times, agency, text)."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "agency":
            out["agency_uuid"] = _agency_uuid(session, str(value))
        elif name == "agency_uuid":
            out["agency_uuid"] = _agency_uuid(session, str(value))
        elif name == "start_date":
            when = to_fuzzy_date(value, "start date")
            out["start_date"] = when.to_storage()
            out["date_key"] = date_key(when)
        elif name == "end_date":
            blank = value is None or (isinstance(value, str) and not value.strip())
            out["end_date"] = None if blank else to_fuzzy_date(value, "end date").to_storage()
        elif name in ("start_time", "end_time"):
            out[name] = time_text(value, name.replace("_", " "))
        elif name in TEXT_FIELDS:
            out[name] = "" if value is None else str(value).strip()
        elif name in ("child_seen", "child_voice"):
            out[name] = None if value is None else bool(value)
        elif name == "significant":
            out[name] = bool(value)
        elif name == "sequence":
            try:
                out[name] = int(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"The sequence {value!r} is not a whole number.") from None
        else:
            raise InvalidInput(f"A chronology entry has no field {name!r}.")
    for mandatory in ("source", "event"):
        if mandatory in out and not out[mandatory]:
            raise InvalidInput(f"A chronology entry needs its {mandatory} (it is mandatory).")
    return out


def member_name(session: Session, member_id: str) -> str:
    identity = session.get(MemberIdentity, member_id)
    return identity.display_name if identity else ""


def next_sequence(session: Session, review_uuid: str) -> int:
    highest = session.scalar(
        select(func.max(ChronologyEntry.sequence)).where(ChronologyEntry.review_uuid == review_uuid)
    )
    return (highest or 0) + 1


def add_entry(
    uow: UnitOfWork,
    review_uuid: str,
    *,
    start_date: object,
    agency: str,
    source: str,
    event: str,
    episodes: Iterable[str] = (),
    author: str | None = None,
    **optional: Any,
) -> ChronologyEntry:
    """Add one entry; ``optional`` takes any other EDITABLE_FIELDS. Sequence defaults to the next free."""
    review = get_review(uow.session, review_uuid)
    values = _normalise(
        uow.session, {"start_date": start_date, "agency": agency, "source": source, "event": event, **optional}
    )
    values.setdefault("sequence", next_sequence(uow.session, review.uuid))
    entry = uow.create(
        ChronologyEntry,
        summary=f"Added a chronology entry to {review.reference}",
        review_uuid=review.uuid,
        author=member_name(uow.session, uow.member_id) if author is None else author,
        **values,
    )
    for episode_uuid in episodes:
        link_episode(uow, entry.uuid, episode_uuid)
    return entry


def get_entry(session: Session, entry_uuid: str) -> ChronologyEntry:
    return live_record(
        session, ChronologyEntry, entry_uuid, "That chronology entry no longer exists (it may have been deleted)."
    )


def entry_values(entry: ChronologyEntry) -> dict[str, Any]:
    """Every editable value of an entry, in the form ``update_entry`` accepts (for undo)."""
    return {name: getattr(entry, name) for name in EDITABLE_FIELDS}


def update_entry(uow: UnitOfWork, entry_uuid: str, **changes: Any) -> bool:
    """Edit an entry; returns whether anything changed. Only changed fields get new stamps."""
    entry = get_entry(uow.session, entry_uuid)
    values = _normalise(uow.session, changes)
    return uow.update(entry, summary="Edited a chronology entry", **values)


@dataclass(frozen=True)
class DeletedEntry:
    """What an entry held when deleted: the tombstone keeps none of it, so undo keeps this (in memory)."""

    uuid: str
    values: dict[str, Any]
    episodes: tuple[str, ...]


def delete_entry(uow: UnitOfWork, entry_uuid: str) -> DeletedEntry:
    """Tombstone an entry with its episode links and duplicate pairings; returns what undo needs."""
    entry = get_entry(uow.session, entry_uuid)
    kept = DeletedEntry(
        entry.uuid,
        {name: getattr(entry, name) for name in ChronologyEntry.content_fields()},
        tuple(entry_episode_uuids(uow.session, entry.uuid)),
    )
    uow.delete(entry, summary=f"Deleted chronology entry no. {kept.values['sequence']}")  # names, never quotes
    for link in uow.session.scalars(live(EntryEpisodeLink).where(EntryEpisodeLink.entry_uuid == entry.uuid)):
        uow.delete(link, audit=False)
    for pair in uow.session.scalars(
        live(DuplicateLink).where((DuplicateLink.entry_a == entry.uuid) | (DuplicateLink.entry_b == entry.uuid))
    ):
        uow.delete(pair, audit=False)
    return kept


def delete_entries(uow: UnitOfWork, entry_uuids: Iterable[str]) -> int:
    count = 0
    for uuid in entry_uuids:
        delete_entry(uow, uuid)
        count += 1
    return count


def _link_live_episodes(uow: UnitOfWork, entry: ChronologyEntry, episodes: Iterable[str]) -> None:
    for episode_uuid in dict.fromkeys(episodes):
        episode = live_or_none(uow.session, KeyPracticeEpisode, episode_uuid)
        if episode is not None and episode.review_uuid == entry.review_uuid:
            link_episode(uow, entry.uuid, episode_uuid)


def duplicate_entry(uow: UnitOfWork, entry_uuid: str) -> ChronologyEntry:
    """A copy of an entry (new uuid, next sequence, same episodes) for the reviewer to adjust."""
    source = get_entry(uow.session, entry_uuid)
    values = {name: getattr(source, name) for name in ChronologyEntry.content_fields()}
    values["sequence"] = next_sequence(uow.session, source.review_uuid)
    copy = uow.create(ChronologyEntry, summary="Duplicated a chronology entry", **values)
    _link_live_episodes(uow, copy, entry_episode_uuids(uow.session, source.uuid))
    return copy


def restore_entry(uow: UnitOfWork, deleted: DeletedEntry) -> ChronologyEntry:
    """Undo a deletion: a live copy of what the entry held (new uuid), with the episodes still there."""
    copy = uow.create(ChronologyEntry, summary="Restored a deleted chronology entry", **deleted.values)
    _link_live_episodes(uow, copy, deleted.episodes)
    return copy


def list_entries(session: Session, review_uuid: str, agency_uuid: str | None = None) -> list[ChronologyEntry]:
    """Live entries of a review in chronology order (date, time, sequence). For bulk views use ``rows``."""
    query = live(ChronologyEntry).where(ChronologyEntry.review_uuid == review_uuid)
    if agency_uuid is not None:
        query = query.where(ChronologyEntry.agency_uuid == agency_uuid)
    return list(
        session.scalars(query.order_by(ChronologyEntry.date_key, ChronologyEntry.start_time, ChronologyEntry.sequence))
    )


# -- key practice episodes ------------------------------------------------------------


def link_episode(uow: UnitOfWork, entry_uuid: str, episode_uuid: str) -> bool:
    """Link an entry to an episode; False if already linked. Re-linking revives a tombstoned link."""
    entry = get_entry(uow.session, entry_uuid)
    episode = live_or_none(uow.session, KeyPracticeEpisode, episode_uuid)
    if episode is None or episode.review_uuid != entry.review_uuid:
        raise InvalidInput("That key practice episode is not part of this entry's review.")
    uuid = link_uuid("episode", entry.uuid, episode.uuid)
    existing = uow.session.get(EntryEpisodeLink, uuid)
    if existing is not None and not existing.is_deleted:
        return False
    if existing is not None:
        # A tombstone cannot come back to life (merge would undo it); unlinking is final
        # for that uuid, so a re-link uses a fresh, random uuid.
        uow.create(
            EntryEpisodeLink,
            summary=f"Linked an entry to episode {episode.number}",
            entry_uuid=entry.uuid,
            episode_uuid=episode.uuid,
        )
        return True
    uow.create(
        EntryEpisodeLink,
        summary=f"Linked an entry to episode {episode.number}",
        uuid=uuid,
        entry_uuid=entry.uuid,
        episode_uuid=episode.uuid,
    )
    return True


def unlink_episode(uow: UnitOfWork, entry_uuid: str, episode_uuid: str) -> bool:
    """Remove every live link between an entry and an episode; False if there was none."""
    links = list(
        uow.session.scalars(
            live(EntryEpisodeLink).where(
                EntryEpisodeLink.entry_uuid == entry_uuid, EntryEpisodeLink.episode_uuid == episode_uuid
            )
        )
    )
    for link in links:
        uow.delete(link, summary="Unlinked an entry from a key practice episode")
    return bool(links)


def set_entry_episodes(uow: UnitOfWork, entry_uuid: str, episode_uuids: Iterable[str]) -> None:
    """Make the entry's episodes exactly these (the detail editor's checklist)."""
    wanted = set(episode_uuids)
    current = set(entry_episode_uuids(uow.session, entry_uuid))
    for uuid in current - wanted:
        unlink_episode(uow, entry_uuid, uuid)
    for uuid in wanted - current:
        link_episode(uow, entry_uuid, uuid)


def entry_episode_uuids(session: Session, entry_uuid: str) -> list[str]:
    return list(
        dict.fromkeys(
            session.scalars(
                select(EntryEpisodeLink.episode_uuid).where(
                    EntryEpisodeLink.entry_uuid == entry_uuid, EntryEpisodeLink.deleted_stamp.is_(None)
                )
            )
        )
    )


# -- likely duplicates ------------------------------------------------------------------


def suggest_duplicate(uow: UnitOfWork, entry_a: str, entry_b: str, *, audit: bool = True) -> DuplicateLink | None:
    """Pair two entries as a likely duplicate for the reviewer to confirm; None if already paired."""
    first, second = sorted((entry_a, entry_b))
    if first == second:
        raise InvalidInput("An entry cannot duplicate itself.")
    a, b = get_entry(uow.session, first), get_entry(uow.session, second)
    if a.review_uuid != b.review_uuid:
        raise InvalidInput("Entries of different reviews cannot be paired as duplicates.")
    existing = uow.session.scalars(
        live(DuplicateLink).where(DuplicateLink.entry_a == first, DuplicateLink.entry_b == second)
    ).first()
    if existing is not None:
        return None
    uuid: str | None = link_uuid("duplicate", first, second)
    if uow.session.get(DuplicateLink, uuid) is not None:
        uuid = None  # a tombstone holds the deterministic uuid
    fields = {"uuid": uuid} if uuid else {}
    return uow.create(
        DuplicateLink,
        summary="Flagged a likely duplicate",
        audit=audit,
        review_uuid=a.review_uuid,
        entry_a=first,
        entry_b=second,
        status="suggested",
        **fields,
    )


def set_duplicate_status(uow: UnitOfWork, link_uuid_: str, status: str) -> bool:
    """Confirm or dismiss a pairing; neither entry is ever deleted by this."""
    if status not in DUPLICATE_STATUSES:
        raise InvalidInput(f"Duplicate status must be one of {', '.join(DUPLICATE_STATUSES)}, not {status!r}.")
    link = live_record(uow.session, DuplicateLink, link_uuid_, "That duplicate pairing no longer exists.")
    return uow.update(link, summary=f"Marked a likely duplicate {status}", status=status)


def list_duplicates(session: Session, review_uuid: str, status: str | None = None) -> list[DuplicateLink]:
    query = live(DuplicateLink).where(DuplicateLink.review_uuid == review_uuid)
    if status is not None:
        query = query.where(DuplicateLink.status == status)
    return list(session.scalars(query))


def existing_for_duplicates(session: Session, review_uuid: str) -> list[ExistingEntry]:
    """(entry_id, agency uuid, date, event, label) of a review's entries, for import validation.

    The agency is its uuid: duplicates are judged by which agency recorded an
    entry, never by how a return spells the agency's name.
    """
    short_names = dict(session.execute(select(Agency.uuid, Agency.short_name)).all())
    rows = session.execute(
        select(
            ChronologyEntry.uuid,
            ChronologyEntry.agency_uuid,
            ChronologyEntry.start_date,
            ChronologyEntry.event,
            ChronologyEntry.sequence,
            ChronologyEntry.imported_from,
        ).where(ChronologyEntry.review_uuid == review_uuid, ChronologyEntry.deleted_stamp.is_(None))
    )
    return [
        ExistingEntry(uuid, agency_uuid, when, event, _entry_label(short_names.get(agency_uuid), sequence, source))
        for uuid, agency_uuid, when, event, sequence, source in rows
    ]


def _entry_label(agency: str | None, sequence: int, imported_from: str | None) -> str:
    """An entry as the reviewer knows it (the chronology's numbering and where it came from), never its uuid."""
    label = f"{agency + ' ' if agency else ''}entry no. {sequence}"
    return label + (f", imported from {imported_from}" if imported_from else "")


def entries_in_range(first: date | None, last: date | None) -> tuple[int | None, int | None]:
    """``date_key`` bounds (inclusive, exclusive) for entries whose date starts within [first, last]."""
    return (first.toordinal() * 8 if first else None, (last.toordinal() + 1) * 8 if last else None)

"""Compact, precomputed rows of a review's chronology for views of 100,000 entries.

``load_rows`` reads every live entry of a review, with its agency, episode
links and duplicate count, in ONE query, and computes once what views need
per row: the sort key, the uncertain-date mark, the child's age at the event
and the interval since the previous event. ``filter_rows`` and
``sorted_indices`` work on index lists so a table model can re-filter and
re-sort without copying rows.

Age and interval on uncertain dates:
* age is computed at the first and last day the date could be; when those
  differ it is shown as a range ("2y 3m–2y 4m"); before birth it is "pre-birth";
* the interval is in days between the first possible days of this and the
  previous entry in chronology order, and None when either date is not known
  to the day (an interval between "May 2016" and 03/06/2016 means little).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.chronology.anonymise import Anonymiser
from app.chronology.contrast import text_colour_for
from app.chronology.dates import DatePrecision, FuzzyDate
from db.models.core import Agency
from db.models.reviews import ChronologyEntry, DuplicateLink, EntryEpisodeLink, Review

#: Column names a view may sort by (attributes of EntryRow).
SORTABLE = ("date", "sequence", "agency", "source", "event", "child_seen", "child_voice", "significant",
            "age_months", "interval_days", "author", "reference", "duplicates")


@dataclass(slots=True)
class EntryRow:
    uuid: str
    sequence: int
    reference: str
    date: FuzzyDate
    date_text: str
    uncertain: bool
    """Not known to the day, or marked approximate: views mark it."""
    start_time: str | None
    end_text: str
    agency_uuid: str
    agency: str
    agency_colour: str
    text_colour: str
    source: str
    event: str
    child_seen: bool | None
    child_voice: bool | None
    child_voice_note: str
    action_outcome: str
    agency_analysis: str
    reviewer_comment: str
    significant: bool
    episodes: tuple[str, ...]
    author: str
    updated_stamp: str
    duplicates: int
    sort_key: tuple[int, str, int]
    age_text: str = ""
    age_months: int | None = None
    interval_days: int | None = None


def months_between(born: date, when: date) -> int:
    """Whole months of age on a day (negative before birth)."""
    months = (when.year - born.year) * 12 + when.month - born.month
    if when.day < born.day:
        months -= 1
    return months


def _age_label(months: int) -> str:
    return f"{months // 12}y {months % 12}m"


def age_at(born: date | None, when: FuzzyDate) -> tuple[str, int | None]:
    """(text, months at the first possible day) of the child's age at an event; ("", None) without a DOB."""
    if born is None:
        return "", None
    first, last = months_between(born, when.earliest()), months_between(born, when.latest())
    if last < 0:
        return "pre-birth", first
    if first < 0:
        return f"pre-birth–{_age_label(last)}", first
    text = _age_label(first) if first == last else f"{_age_label(first)}–{_age_label(last)}"
    return ("c. " + text if when.approximate else text), first


def _end_text(end_date: str | None, end_time: str | None, cache: dict[str, FuzzyDate]) -> str:
    if not end_date:
        return end_time or ""
    when = cache.get(end_date) or cache.setdefault(end_date, FuzzyDate.from_storage(end_date))
    return when.display() + (f" {end_time}" if end_time else "")


def load_rows(session: Session, review_uuid: str, *, anonymiser: Anonymiser | None = None) -> list[EntryRow]:
    """All live entries of a review in chronology order, in one query, with computed columns.

    With an ``anonymiser`` every text field is passed through the glossary (the
    anonymised view).
    """
    review = session.get(Review, review_uuid)
    born = review.subject_dob if review is not None else None
    episodes = (select(func.group_concat(EntryEpisodeLink.episode_uuid))
                .where(EntryEpisodeLink.entry_uuid == ChronologyEntry.uuid, EntryEpisodeLink.deleted_stamp.is_(None))
                .correlate(ChronologyEntry).scalar_subquery())
    duplicates = (select(func.count(DuplicateLink.uuid))
                  .where(or_(DuplicateLink.entry_a == ChronologyEntry.uuid, DuplicateLink.entry_b == ChronologyEntry.uuid),
                         DuplicateLink.deleted_stamp.is_(None), DuplicateLink.status != "dismissed")
                  .correlate(ChronologyEntry).scalar_subquery())
    e = ChronologyEntry
    query = (select(e.uuid, e.sequence, e.reference, e.start_date, e.date_key, e.start_time, e.end_date, e.end_time,
                    e.agency_uuid, Agency.short_name, Agency.colour, e.source, e.event, e.child_seen, e.child_voice,
                    e.child_voice_note, e.action_outcome, e.agency_analysis, e.reviewer_comment, e.significant,
                    e.author, e.updated_stamp, episodes, duplicates)
             .join(Agency, Agency.uuid == e.agency_uuid)
             .where(and_(e.review_uuid == review_uuid, e.deleted_stamp.is_(None)))
             .order_by(e.date_key, e.start_time, e.sequence))
    dates: dict[str, FuzzyDate] = {}
    text_colours: dict[str, str] = {}
    ages: dict[str, tuple[str, int | None]] = {}
    clean: Callable[[str | None], str] = anonymiser.apply if anonymiser else (lambda t: t or "")
    rows: list[EntryRow] = []
    previous_day: int | None = None
    for (uuid, sequence, reference, start, key, start_time, end_date, end_time, agency_uuid, short, colour, source,
         event, seen, voice, voice_note, outcome, analysis, comment, significant, author, stamp, episode_list,
         duplicate_count) in session.execute(query):
        when = dates.get(start)
        if when is None:
            when = dates[start] = FuzzyDate.from_storage(start)
        if start not in ages:
            ages[start] = age_at(born, when)
        age_text, age_months = ages[start]
        day = when.earliest().toordinal() if when.precision is DatePrecision.DAY else None
        interval = day - previous_day if day is not None and previous_day is not None else None
        previous_day = day
        if colour not in text_colours:
            text_colours[colour] = text_colour_for(colour)
        rows.append(EntryRow(
            uuid=uuid, sequence=sequence, reference=clean(reference), date=when, date_text=when.display(),
            uncertain=when.precision is not DatePrecision.DAY or when.approximate, start_time=start_time,
            end_text=_end_text(end_date, end_time, dates), agency_uuid=agency_uuid, agency=short,
            agency_colour=colour, text_colour=text_colours[colour], source=clean(source), event=clean(event),
            child_seen=seen, child_voice=voice, child_voice_note=clean(voice_note), action_outcome=clean(outcome),
            agency_analysis=clean(analysis), reviewer_comment=clean(comment), significant=bool(significant),
            episodes=tuple(episode_list.split(",")) if episode_list else (), author=author, updated_stamp=stamp,
            duplicates=duplicate_count, sort_key=(key, start_time or "", sequence), age_text=age_text,
            age_months=age_months, interval_days=interval))
    return rows


@dataclass(frozen=True, slots=True)
class RowFilter:
    """What the chronology view shows; empty/None parts do not filter."""

    agencies: frozenset[str] = frozenset()
    """Agency uuids to show (all when empty)."""
    date_from: date | None = None
    date_to: date | None = None
    """Inclusive; an uncertain date is shown if its period overlaps the range."""
    text: str = ""
    significant_only: bool = False
    episode_uuid: str | None = None
    child_seen: bool | None = None
    uuids: frozenset[str] = field(default_factory=frozenset)
    """Only these entries (e.g. a duplicate pair), when given."""

    @property
    def is_empty(self) -> bool:
        return self == RowFilter()


_SEARCHED = ("reference", "source", "event", "child_voice_note", "action_outcome", "agency_analysis",
             "reviewer_comment", "agency", "date_text")


def search_texts(rows: Sequence[EntryRow]) -> list[str]:
    """One case-folded haystack per row; build once and pass to ``filter_rows`` for fast text search."""
    return ["\n".join(getattr(r, name) for name in _SEARCHED).casefold() for r in rows]


def filter_rows(rows: Sequence[EntryRow], wanted: RowFilter, *, haystacks: Sequence[str] | None = None,
                indices: Iterable[int] | None = None) -> list[int]:
    """Indices of the rows the filter keeps, in the given order."""
    candidates = range(len(rows)) if indices is None else indices
    checks: list[Callable[[EntryRow], bool]] = []
    if wanted.agencies:
        agencies = wanted.agencies
        checks.append(lambda r: r.agency_uuid in agencies)
    if wanted.date_from is not None:
        first = wanted.date_from
        checks.append(lambda r: r.date.latest() >= first)
    if wanted.date_to is not None:
        last_key = (wanted.date_to.toordinal() + 1) * 8
        checks.append(lambda r: r.sort_key[0] < last_key)
    if wanted.significant_only:
        checks.append(lambda r: r.significant)
    if wanted.episode_uuid is not None:
        episode = wanted.episode_uuid
        checks.append(lambda r: episode in r.episodes)
    if wanted.child_seen is not None:
        seen = wanted.child_seen
        checks.append(lambda r: r.child_seen is seen)
    if wanted.uuids:
        uuids = wanted.uuids
        checks.append(lambda r: r.uuid in uuids)
    needle = wanted.text.strip().casefold()
    if needle:
        texts = haystacks if haystacks is not None else search_texts(rows)
        result = [i for i in candidates if needle in texts[i]]
    else:
        result = list(candidates)
    for check in checks:
        result = [i for i in result if check(rows[i])]
    return result


def _column_key(column: str) -> Callable[[EntryRow], object]:
    if column == "date":
        return lambda r: r.sort_key
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; choose one of {', '.join(SORTABLE)}")
    if column in ("child_seen", "child_voice", "age_months", "interval_days"):
        # None (unknown) sorts before every value, then chronology order breaks ties.
        return lambda r: ((v := getattr(r, column)) is not None, v if v is not None else 0, r.sort_key)
    if column in ("sequence", "significant", "duplicates"):
        return lambda r: (getattr(r, column), r.sort_key)
    return lambda r: (getattr(r, column).casefold(), r.sort_key)


def sorted_indices(rows: Sequence[EntryRow], column: str = "date", *, descending: bool = False,
                   indices: Iterable[int] | None = None) -> list[int]:
    """Indices ordered by a column, ties in chronology order (stable and predictable)."""
    key = _column_key(column)
    chosen = range(len(rows)) if indices is None else indices
    return sorted(chosen, key=lambda i: key(rows[i]), reverse=descending)

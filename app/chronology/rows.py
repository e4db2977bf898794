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

import calendar
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select
from sqlalchemy.orm import Session

from app.chronology.anonymise import Anonymiser
from app.chronology.fields import TEXT_FIELDS
from app.chronology.gc_pause import gc_paused
from app.dates.fuzzy import DatePrecision, FuzzyDate
from app.office.contrast import text_colour_for
from app.records.unit_of_work import ChangeSet
from db.models.core import Agency
from db.models.reviews import (
    ChronologyEntry,
    DuplicateLink,
    EntryEpisodeLink,
    KeyPracticeEpisode,
    Review,
)

if TYPE_CHECKING:
    from app.chronology.name_finder import NameFinder

#: Column names a view may sort by (attributes of EntryRow).
SORTABLE = (
    "date",
    "sequence",
    "agency",
    "source",
    "event",
    "child_seen",
    "child_voice",
    "significant",
    "age_months",
    "interval_days",
    "author",
    "reference",
    "duplicates",
)


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


NBSP = "\xa0"
_MONTHS = frozenset(calendar.month_name[1:])
#: What a date's mark says is not known: "(uncertain)" alone left the reader to guess.
PRECISION_MARKS: dict[DatePrecision, str] = {DatePrecision.MONTH: "month only", DatePrecision.YEAR: "year only"}
#: The key printed under the title of every printed chronology (PDF, panel PDF, DOCX).
DATE_MARKS_KEY = (
    'Dates marked "(month only)" are known to the month but not the day, "(year only)" to the year only; '
    '"c." before a date or "?" after it means the date is approximate.'
)


def date_label(date_text: str, precision: DatePrecision) -> str:
    """A date as every view and print shows it: "Mar 2024 (month only)", "2024 (year only)".

    The mark is joined to the date by non-breaking spaces, so a narrow column never sets it apart from
    the date it qualifies, and the month is shortened so that the whole fits a printed date column
    ("c. September 2021 (month only)" took a seventh of a landscape page); an approximate date already
    says so in its text ("c. 2024", "22/05/2016?")."""
    mark = PRECISION_MARKS.get(precision)
    if mark is None:
        return date_text
    if precision is DatePrecision.MONTH:  # "[c. ]March 2024"
        before, year = date_text.rsplit(" ", 1)
        approximate, _, month = before.rpartition(" ")
        if month in _MONTHS:
            date_text = " ".join(filter(None, (approximate, month[:3], year)))
    return date_text + NBSP + "(" + mark.replace(" ", NBSP) + ")"


def date_uncertainty(when: FuzzyDate) -> str:
    """What of a date is not known, in words ("" when it is known to the day): the table's tooltip said "not
    known to the day or is approximate" whichever it was."""
    mark = PRECISION_MARKS.get(when.precision)
    known = f"Known to the {mark}" if mark else ""
    if not when.approximate:
        return known
    return f"{known}, and approximate" if known else "Approximate"


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


def _day(when: FuzzyDate) -> int | None:
    """The ordinal of the date's day when it is known to the day (intervals are between such days only)."""
    return when.earliest().toordinal() if when.precision is DatePrecision.DAY else None


def _end_text(end_date: str | None, end_time: str | None, cache: dict[str, FuzzyDate]) -> str:
    if not end_date:
        return end_time or ""
    when = cache.get(end_date) or cache.setdefault(end_date, FuzzyDate.from_storage(end_date))
    return when.display() + (f" {end_time}" if end_time else "")


def _links(
    session: Session, review_uuid: str, uuids: Collection[str] | None = None
) -> tuple[dict[str, list[str]], dict[str, int]]:
    """(entry -> episode uuids, entry -> live duplicate suggestions) of a review (or of some of its entries),
    in two grouped queries.

    Correlated subqueries per entry made the load query run them 100,000 times.
    """
    episodes: dict[str, list[str]] = {}
    # Through the review's episodes (a few), not its entries (whose rows would all be read to find their uuids).
    episode_query = (
        select(EntryEpisodeLink.entry_uuid, EntryEpisodeLink.episode_uuid)
        .join(KeyPracticeEpisode, KeyPracticeEpisode.uuid == EntryEpisodeLink.episode_uuid)
        .where(KeyPracticeEpisode.review_uuid == review_uuid, EntryEpisodeLink.deleted_stamp.is_(None))
        .order_by(EntryEpisodeLink.entry_uuid, EntryEpisodeLink.episode_uuid)
    )
    duplicate_query = select(DuplicateLink.entry_a, DuplicateLink.entry_b).where(
        DuplicateLink.review_uuid == review_uuid,
        DuplicateLink.deleted_stamp.is_(None),
        DuplicateLink.status != "dismissed",
    )
    if uuids is not None:
        wanted = sorted(uuids)
        episode_query = episode_query.where(EntryEpisodeLink.entry_uuid.in_(wanted))
        duplicate_query = duplicate_query.where(
            or_(DuplicateLink.entry_a.in_(wanted), DuplicateLink.entry_b.in_(wanted))
        )
    for entry_uuid, episode_uuid in session.execute(episode_query):
        episodes.setdefault(entry_uuid, []).append(episode_uuid)
    duplicates: dict[str, int] = {}
    for first, second in session.execute(duplicate_query):
        duplicates[first] = duplicates.get(first, 0) + 1
        if second != first:
            duplicates[second] = duplicates.get(second, 0) + 1
    return episodes, duplicates


def _entry_query(
    review_uuid: str, *, in_file_order: bool, lean: bool = False, uuids: Collection[str] | None = None
) -> Select:
    e = ChronologyEntry
    # the lean load (the chronology table's) reads NULL for what no table column shows, filters or searches:
    # the end date and time, the author and the stamp (one distinct 56-character string per row)
    blank: ColumnElement[Any] = literal_column("NULL")
    nothing: ColumnElement[Any] = literal_column("''")
    columns = (
        e.uuid,
        e.sequence,
        e.reference,
        e.start_date,
        e.date_key,
        e.start_time,
        blank if lean else e.end_date,
        blank if lean else e.end_time,
        e.agency_uuid,
        e.source,
        e.event,
        e.child_seen,
        e.child_voice,
        e.child_voice_note,
        e.action_outcome,
        e.agency_analysis,
        e.reviewer_comment,
        e.significant,
        nothing if lean else e.author,
        nothing if lean else e.updated_stamp,
    )
    if uuids is not None:  # a few entries again (one edited): by their primary key
        return select(*columns).where(
            e.uuid.in_(sorted(uuids)), e.review_uuid == review_uuid, e.deleted_stamp.is_(None)
        )
    if in_file_order:
        # The review's rows in the order they lie in the file (rowid), found through the review index: pages are
        # read once each, in order, instead of jumping about the file in date order (which, with a table larger
        # than the page cache, reads and decrypts pages again and again). Sorted in Python afterwards.
        in_review = select(literal_column("rowid")).select_from(e).where(e.review_uuid == review_uuid)  # type: ignore[var-annotated]  # a scalar subquery of row ids
        return select(*columns).where(literal_column("rowid").in_(in_review), e.deleted_stamp.is_(None))
    return (
        select(*columns)
        .where(and_(e.review_uuid == review_uuid, e.deleted_stamp.is_(None)))
        .order_by(e.date_key, e.start_time, e.sequence)
    )


@dataclass(slots=True)
class FetchedRows:
    """What ``load_rows`` reads from the database; ``build_rows`` makes the rows from it with no session.

    A loader in a worker thread holds the workspace's database lock only while it fetches, so
    a save on the GUI thread waits for the query, not for 100,000 rows to be built.
    """

    born: date | None
    agencies: dict[str, tuple[str, str]]
    episode_links: dict[str, list[str]]
    duplicate_counts: dict[str, int]
    entries: list[tuple]
    """Plain driver tuples, in chronology order when ``in_order``; file order otherwise."""
    in_order: bool


def fetch_rows(
    session: Session,
    review_uuid: str,
    *,
    limit: int | None = None,
    lean: bool = False,
    uuids: Collection[str] | None = None,
) -> FetchedRows:
    """The database half of ``load_rows``: every live entry of a review (or the first ``limit`` in chronology order).

    ``lean`` reads only what the chronology table shows, filters, searches and sorts by: the rows' ``end_text``,
    ``author`` and ``updated_stamp`` are left blank (a fifth less to read for a 100,000-entry review).
    ``uuids``: only these live entries of the review (to patch them into rows already loaded).
    """
    review = session.get(Review, review_uuid)
    born = review.subject_dob if review is not None else None
    agencies = {
        uuid: (short, colour)
        for uuid, short, colour in session.execute(select(Agency.uuid, Agency.short_name, Agency.colour))
    }
    episode_links, duplicate_counts = _links(session, review_uuid, uuids)
    query = _entry_query(review_uuid, in_file_order=limit is None, lean=lean, uuids=uuids)
    if limit is not None:
        query = query.limit(limit)
    # Plain tuples from the driver (booleans converted below): the ORM's row objects cost a second per 100,000.
    with gc_paused():
        entries = _plain_rows(session, query)
    return FetchedRows(born, agencies, episode_links, duplicate_counts, entries, in_order=limit is not None)


def build_rows(fetched: FetchedRows, anonymiser: Anonymiser | NameFinder | None = None) -> list[EntryRow]:
    """The rows of ``fetch_rows``'s entries in chronology order, with computed columns (no database needed).

    Takes the entries out of ``fetched`` (build once)."""
    with gc_paused():
        # taken from ``fetched``, so the driver's tuples are freed before collection resumes (else its first
        # pass would walk them as well as the rows)
        entries, fetched.entries = fetched.entries, []
        if not fetched.in_order:
            # date_key, start_time (NULL as ""), sequence; ties in file order. Three stable sorts on one
            # column each, by C key functions, take a fifth of one sort on a tuple made per row.
            entries.sort(key=itemgetter(1))
            entries.sort(key=_time_or_blank)
            entries.sort(key=itemgetter(4))
        rows = _build_rows(
            entries, fetched.born, fetched.agencies, fetched.episode_links, fetched.duplicate_counts, anonymiser
        )
        del entries
        return rows


def _time_or_blank(entry: tuple) -> str:
    return entry[5] or ""


def load_rows(
    session: Session,
    review_uuid: str,
    *,
    anonymiser: Anonymiser | NameFinder | None = None,
    limit: int | None = None,
    lean: bool = False,
) -> list[EntryRow]:
    """All live entries of a review in chronology order, with computed columns.

    With an ``anonymiser`` every text field is passed through the glossary (the
    anonymised view). With ``limit``, only the first entries in chronology order
    (a first screen while the rest loads); their intervals start from the first.
    ``lean``: what the chronology table needs only (see ``fetch_rows``).
    """
    return build_rows(fetch_rows(session, review_uuid, limit=limit, lean=lean), anonymiser)


def _plain_rows(session: Session, query: Select) -> list[tuple]:
    # IN lists rendered as plain parameters (the patch path's few uuids)
    compiled = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    ordered = [params[name] for name in compiled.positiontup]  # type: ignore[union-attr]  # SQLite's dialect is positional
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a live connection always has its driver connection
    cursor = driver.cursor()
    try:
        cursor.execute(str(compiled), ordered)
        return cursor.fetchall()
    finally:
        cursor.close()


def _build_rows(
    fetched: list[tuple],
    born: date | None,
    agencies: dict[str, tuple[str, str]],
    episode_links: dict[str, list[str]],
    duplicate_counts: dict[str, int],
    anonymiser: Anonymiser | NameFinder | None,
) -> list[EntryRow]:
    dates: dict[str, FuzzyDate] = {}  # end dates too (``_end_text``)
    # what a row shows of its date, worked out once per distinct date (a review has a few thousand):
    # (date, text, uncertain, age text, age in months, the day's ordinal when known to the day)
    facts: dict[str, tuple[FuzzyDate, str, bool, str, int | None, int | None]] = {}
    # the agency's uuid as one shared string (not one the driver made per row), its name and colours
    looks = {uuid: (uuid, short, colour, text_colour_for(colour)) for uuid, (short, colour) in agencies.items()}
    # the text columns are NOT NULL: without an anonymiser they are used as read
    clean: Callable[[str | None], str] = anonymiser.apply if anonymiser else (lambda t: t or "")
    rows: list[EntryRow] = []
    append = rows.append
    previous_day: int | None = None
    no_episodes: tuple[str, ...] = ()
    for (
        uuid,
        sequence,
        reference,
        start,
        key,
        start_time,
        end_date,
        end_time,
        agency_uuid,
        source,
        event,
        seen,
        voice,
        voice_note,
        outcome,
        analysis,
        comment,
        significant,
        author,
        stamp,
    ) in fetched:
        look = looks.get(agency_uuid)
        if look is None:
            continue  # as the inner join with agency did
        fact = facts.get(start)
        if fact is None:
            when = dates.get(start) or dates.setdefault(start, FuzzyDate.from_storage(start))
            fact = facts[start] = (
                when,
                when.display(),
                when.precision is not DatePrecision.DAY or when.approximate,
                *age_at(born, when),
                _day(when),
            )
        when, shown, uncertain, age_text, age_months, day = fact
        interval = day - previous_day if day is not None and previous_day is not None else None
        previous_day = day
        linked = episode_links.get(uuid)
        if anonymiser is not None:
            reference, source, event = clean(reference), clean(source), clean(event)
            voice_note, outcome, analysis, comment = clean(voice_note), clean(outcome), clean(analysis), clean(comment)
        # positional, in EntryRow's field order: keywords cost a tenth of the build at 100,000 rows
        append(
            EntryRow(
                uuid,
                sequence,
                reference,
                when,
                shown,
                uncertain,
                start_time,
                _end_text(end_date, end_time, dates) if end_date or end_time else "",
                *look,
                source,
                event,
                None if seen is None else bool(seen),
                None if voice is None else bool(voice),
                voice_note,
                outcome,
                analysis,
                comment,
                bool(significant),
                tuple(linked) if linked else no_episodes,
                author,
                stamp,
                duplicate_counts.get(uuid, 0),
                (key, start_time or "", sequence),
                age_text,
                age_months,
                interval,
            )
        )
    return rows


#: the tables whose changes alone may be patched into loaded rows (``entries_to_patch``)
PATCHABLE = frozenset({"chronology_entry", "entry_episode_link"})
#: more entries changed than this (a merged bundle, an import): load the review again
MAX_PATCHED = 200


def entries_to_patch(session: Session, changes: ChangeSet) -> set[str] | None:
    """The entries whose rows a change set alters, when it alters nothing else a chronology view shows;
    None when the view must load the review again (other tables, or many entries, changed).

    An entry's row holds only its own fields, its agency's name and colour, its episode links and its count
    of duplicate pairings, and its interval to the entry before it (``patch_rows`` mends that): an edit, an
    entry added, or an entry deleted with no pairings changes no other row.
    """
    tables = changes.tables()
    if not tables or not tables <= PATCHABLE:
        return None
    entries: set[str] = set()
    links: set[str] = set()
    for kind in (changes.created, changes.updated, changes.deleted):
        entries |= kind.get("chronology_entry", set())
        links |= kind.get("entry_episode_link", set())
    if len(entries) + len(links) > MAX_PATCHED:
        return None
    if links:
        entries.update(
            session.scalars(select(EntryEpisodeLink.entry_uuid).where(EntryEpisodeLink.uuid.in_(sorted(links))))
        )
    return entries


def patch_rows(
    rows: list[EntryRow], fresh: Sequence[EntryRow], gone: Collection[str] = frozenset()
) -> list[tuple[int, EntryRow | None]]:
    """Mend ``rows`` (in chronology order, as ``load_rows`` gives them) in place, instead of loading them again.

    The rows of ``gone`` and the old rows of ``fresh`` (``load_rows`` rows of changed entries, by uuid) go;
    ``fresh`` go where chronology order puts them, and the intervals that change with them are worked out
    again (each row's interval is to the row before it). The rows are then those a new load gives, except
    that a new row sorts after rows with an equal sort key where a load puts rows of equal keys in the
    order they were stored. Returns the steps taken in order, (position, the row inserted there, or None
    for the row removed from there), for lists kept beside the rows.
    """
    dropped = set(gone) | {r.uuid for r in fresh}
    steps: list[tuple[int, EntryRow | None]] = []
    mend: list[EntryRow] = []  # rows whose interval may have changed
    for at in range(len(rows) - 1, -1, -1):  # back to front: positions still to look at do not move
        if rows[at].uuid in dropped:
            del rows[at]
            steps.append((at, None))
            if at < len(rows):
                mend.append(rows[at])
    key = attrgetter("sort_key")
    for row in sorted(fresh, key=key):
        at = bisect_right(rows, row.sort_key, key=key)
        rows.insert(at, row)
        steps.append((at, row))
        mend.append(row)
        if at + 1 < len(rows):
            mend.append(rows[at + 1])
    wanted = {id(r) for r in mend}
    for at, row in enumerate(rows):
        if id(row) in wanted:
            day = _day(row.date)
            previous = _day(rows[at - 1].date) if at else None
            row.interval_days = day - previous if day is not None and previous is not None else None
    return steps


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


_SEARCHED = (
    *TEXT_FIELDS,
    "agency",
    "date_text",
)  # every free-text field, then what the row shows of its agency and date


def search_texts(rows: Sequence[EntryRow]) -> list[str]:
    """One case-folded haystack per row; build once and pass to ``filter_rows`` for fast text search."""
    fields = attrgetter(*_SEARCHED)
    return ["\n".join(fields(r)).casefold() for r in rows]


def filter_rows(
    rows: Sequence[EntryRow],
    wanted: RowFilter,
    *,
    haystacks: Sequence[str] | None = None,
    indices: Iterable[int] | None = None,
) -> list[int]:
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


def sorted_indices(
    rows: Sequence[EntryRow], column: str = "date", *, descending: bool = False, indices: Iterable[int] | None = None
) -> list[int]:
    """Indices ordered by a column, ties in chronology order (stable and predictable)."""
    key = _column_key(column)
    chosen = range(len(rows)) if indices is None else indices
    return sorted(chosen, key=lambda i: key(rows[i]), reverse=descending)  # type: ignore[arg-type,return-value]  # every column key is comparable

"""Importing an agency's chronology return into a review: file, mapping, report, one transaction.

The steps, each callable on its own so the GUI can show the mapping and the
report before anything is written:

1. ``read_return(path)`` reads the XLSX/CSV/DOCX table (``importers``);
2. ``propose_mapping(table, overrides)`` maps headers to fields automatically,
   then applies the user's "Header=field" choices (``fields``);
3. ``prepare_import(session, review, agency, table, mapping)`` validates every
   row (``validation``) against the review's scope and its existing entries
   and adds this module's own checks (agency names, episode references);
4. ``commit_import(uow, plan, skip_invalid=...)`` writes the importable rows in
   the caller's unit of work, i.e. in one transaction. With errors and no
   ``skip_invalid`` it raises ``InvalidInput`` before writing anything.

Likely duplicates of another agency's entries become ``DuplicateLink`` rows
with status "suggested" for the reviewer to confirm or dismiss: no entry is
ever deleted or merged automatically.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies import known_agencies, list_agencies
from app.chronology.fields import FIELD_NAMES, FIELDS, FieldKind, apply_overrides, auto_map, field_spec
from app.chronology.gc_pause import gc_paused
from app.chronology.importers import ImportedTable, RawRow, ReturnSource, open_table, read_table
from app.chronology.quick_rows import QuickRows, time_text
from app.chronology.service import (
    date_key,
    existing_for_duplicates,
    member_name,
    next_sequence,
)
from app.chronology.validation import (
    CandidateEntry,
    ChronologyImportReport,
    RowIssue,
    Severity,
    parse_yes_no,
    row_checker,
)
from app.dates.fuzzy import DateParseError, DatePrecision, FuzzyDate, parse_date_time
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.limits import IMPORT_LIMITS, ImportLimits
from app.reviews.analysis import list_episodes
from app.reviews.register import get_review
from app.store.user_files import write_user_file
from app.text import count_of, noun_for
from db.models.core import Agency
from db.models.reviews import (
    ChronologyEntry,
    DuplicateLink,
    EntryEpisodeLink,
    link_uuid,
)


def read_return(path: str | Path) -> ImportedTable:
    """The table of an agency's return, every row held; ``InvalidInput`` (ImportFileError) names what is wrong."""
    return read_table(path)


def open_return(path: str | Path, limits: ImportLimits = IMPORT_LIMITS) -> ReturnSource:
    """The table of an agency's return, its rows streamed from the file on each pass (flat memory)."""
    return open_table(path, limits)


class ProgressSink(Protocol):
    """What long imports report to (``ui.operations.Progress`` is one): rows done, and a cancel check."""

    def report(self, done: int, total: int, text: str = "") -> None: ...

    def check(self) -> None: ...


def propose_mapping(
    table: ImportedTable | ReturnSource, overrides: Iterable[str] = (), *, fast: bool = False
) -> dict[str, str | None]:
    """header -> field (None: ignored), automatic then the user's "Header=field" overrides.

    ``fast`` (a streamed return): map the headers the header row names, without the
    pass over the file that names blank-headed columns, unless an override needs one.
    """
    overrides = list(overrides)
    if fast and isinstance(table, ReturnSource):
        try:
            return apply_overrides(auto_map(table.named_headers), overrides)
        except InvalidInput:  # an override names a column only the full pass names ("Column F")
            return apply_overrides(auto_map(table.headers), overrides)
    return apply_overrides(auto_map(table.headers), overrides)


def mapping_preview(
    table: ImportedTable | ReturnSource, mapping: dict[str, str | None], samples: int = 3
) -> list[tuple[str, str | None, list[object]]]:
    """(header, field, first few non-blank values as the file holds them) per column, for the mapping step."""
    return [(header, mapping.get(header), table.samples(header, samples)) for header in table.headers]


_SERIAL_TEXT = re.compile(r"\s*[0-9]{5}(?:\.[0-9]+)?\s*")


def sample_date(value: object, field: str | None) -> date | None:
    """The day (a ``datetime`` when it has a time) a preview value stands for, else None.

    A date cell is a date whatever its column; an Excel serial (a number, or five
    digits as text: 42512) is one only in a column mapped to a date field, read
    as the import reads it. Anything else (a year, "22/05/2016") is shown as written.
    """
    if isinstance(value, date):
        return value
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not (numeric or (isinstance(value, str) and _SERIAL_TEXT.fullmatch(value))):
        return None
    if not field or field not in FIELD_NAMES or field_spec(field).kind is not FieldKind.DATE:
        return None
    try:
        when, at = parse_date_time(value)
    except DateParseError:
        return None
    if when.precision is not DatePrecision.DAY:
        return None
    return datetime.combine(when.earliest(), at) if at is not None else when.earliest()


@dataclass
class ImportPlan:
    """A validated import, ready to commit or to show."""

    review_uuid: str
    review_reference: str
    agency_uuid: str
    agency_name: str
    table: ImportedTable | ReturnSource
    mapping: dict[str, str | None]
    report: ChronologyImportReport
    today: date | None = None
    #: row_number -> agency uuid for rows whose agency column named another known agency
    row_agencies: dict[int, str] = field(default_factory=dict)
    #: row_number -> episode uuids named in the row's episodes column
    row_episodes: dict[int, list[str]] = field(default_factory=dict)

    @property
    def importable_rows(self) -> int:
        return self.report.importable_count

    @property
    def streamed(self) -> bool:
        """Rows are not held: committing reads and checks them again from the file."""
        return isinstance(self.table, ReturnSource)


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped_rows: int
    duplicates_flagged: int
    entry_uuids: tuple[str, ...]
    #: the rows left out for errors, each "Row 7 (22/13/2016, Home visit…): Start date: …", to re-enter
    skipped: tuple[str, ...] = ()


def _folded(text: str) -> str:
    """How names are compared: case and spacing ignored."""
    return " ".join(text.casefold().split())


def _agency_lookup(session: Session) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for uuid, name, short in session.execute(
        select(Agency.uuid, Agency.name, Agency.short_name).where(Agency.deleted_stamp.is_(None))
    ):
        lookup[_folded(name)] = uuid
        lookup[_folded(short)] = uuid
    return lookup


def _episode_lookup(session: Session, review_uuid: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for episode in list_episodes(session, review_uuid):
        for key in (
            str(episode.number),
            f"kpe{episode.number}",
            f"kpe {episode.number}",
            f"episode {episode.number}",
            episode.title.casefold(),
        ):
            lookup[key] = episode.uuid
    return lookup


class _RowRules:
    """What the import service checks beyond ``validation``, row by row: agency names and episodes."""

    def __init__(self, session: Session, review_uuid: str, agency: str, mapping: dict[str, str | None]) -> None:
        self.agencies = _agency_lookup(session)
        self.known_agencies = known_agencies(list_agencies(session))
        agency_uuid = self.agencies.get(_folded(agency))
        if agency_uuid is None:
            from app.agencies import find_agency

            agency_uuid = find_agency(session, agency).uuid  # raises with the list of known agencies
        record = session.get(Agency, agency_uuid)
        assert record is not None
        self.agency_uuid = agency_uuid
        self.agency_name = record.short_name
        self.episodes = _episode_lookup(session, review_uuid)
        self.header_of = {f: h for h, f in mapping.items() if f}
        #: per candidate checked last: the agency it is written under and its episodes
        self.row_agency: dict[int, str] = {}
        self.row_episodes: dict[int, list[str]] = {}

    def written_under(self, cell: str | None) -> str | None:
        """The uuid of the agency a row is written under; None if unknown."""
        return self.agencies.get(_folded(cell)) if cell and cell.strip() else self.agency_uuid

    def check(self, candidate: CandidateEntry) -> list[RowIssue]:
        issues: list[RowIssue] = []
        named = candidate.values.get("agency")
        if isinstance(named, str) and named.strip():
            found = self.written_under(named)
            if found is None:
                issues.append(
                    RowIssue(
                        candidate.row_number,
                        "agency",
                        Severity.ERROR,
                        f"unknown agency {named!r} (known agencies: {self.known_agencies}); "
                        "add it to the workspace or fix the row",
                        self.header_of.get("agency"),
                    )
                )
            elif found != self.agency_uuid:
                self.row_agency[candidate.row_number] = found
        names: Iterable[object] = candidate.values.get("episodes") or ()  # type: ignore[assignment]  # a list when set
        for name in names:
            key = _folded(str(name))
            uuid = self.episodes.get(key) or self.episodes.get(re.sub(r"^(?:kpe|episode)\s*", "", key))
            if uuid is None:
                issues.append(
                    RowIssue(
                        candidate.row_number,
                        "episodes",
                        Severity.WARNING,
                        f"no key practice episode {name!r} in this review; link left out",
                        self.header_of.get("episodes"),
                    )
                )
            else:
                self.row_episodes.setdefault(candidate.row_number, []).append(uuid)
        return issues

    def take(self, row_number: int) -> tuple[str, list[str]]:
        """(agency uuid, episode uuids) of a checked row, forgetting them (a streamed import keeps none)."""
        return self.row_agency.pop(row_number, self.agency_uuid), self.row_episodes.pop(row_number, [])


class _RepeatedRows:
    """Rows of one file the same in every imported column: the same entry twice (a row copied, a return pasted
    in twice), which the checks against stored entries cannot see, as neither is stored yet.

    Remembers a 64-bit hash per distinct row, not the row (a streamed import keeps flat memory); two different
    rows sharing a hash is a chance of about one in 10^7 for a million rows.
    """

    def __init__(self) -> None:
        self._first: dict[int, int] = {}

    def issue(self, row_number: int, values: Iterable[object]) -> RowIssue | None:
        """The error of a row that repeats an earlier one, or None."""
        try:
            key = hash(tuple((v.strip() or None) if isinstance(v, str) else v for v in values))
        except TypeError:  # an unhashable cell: not compared
            return None
        first = self._first.setdefault(key, row_number)
        if first == row_number:
            return None
        return RowIssue(
            row_number,
            None,
            Severity.ERROR,
            f"repeats row {first}: every imported column is the same, so it would be the same entry twice; "
            "this row is not imported",
        )


Checked = tuple[int, CandidateEntry | None, list[RowIssue] | None, list[Any] | None]
"""(row number, candidate, issues, None) of a row checked the plain way, or (row number, None, None,
its insert row) of one the quick path took (it has no issue: see ``quick_rows``)."""


def _quick_or_checked(
    session: Session,
    review_uuid: str,
    rules: _RowRules,
    table: ImportedTable | ReturnSource,
    mapping: dict[str, str | None],
    today: date,
    importer: _Importer | None,
    plain_first: int,
) -> tuple[Any, Iterator[Checked]]:
    """The review, and its rows checked: a held table's the plain way; a streamed return's with the quick
    path, except the first ``plain_first`` rows (those the report keeps as candidates) and any row with
    something to say, an error, a warning, a link, or a corrected cell, which are checked the plain way. ``importer``: the rows are to be written by
    it (the quick rows are its insert rows); None: only checked."""
    review = get_review(session, review_uuid)
    scope = (review.scope_from, review.scope_to) if review.scope_from and review.scope_to else None
    checker = row_checker(
        mapping,
        today=today,
        agency=rules.agency_name,
        scope=scope,
        existing=existing_for_duplicates(session, review.uuid),
        agency_identity=rules.written_under,
    )

    repeated = _RepeatedRows()
    headers = list(checker.by_field.values())

    def plain(row_number: int, values: dict[str, object], repeat: RowIssue | None = None) -> Checked:
        candidate, issues = checker.check(row_number, values)
        issues.extend(rules.check(candidate))
        if repeat is None:
            repeat = repeated.issue(row_number, (values.get(h) for h in headers))
        if repeat is not None:
            issues.append(repeat)
        return row_number, candidate, issues, None

    def held() -> Iterator[Checked]:
        for row in table.iter_rows():
            yield plain(row.row_number, row.values)

    if not isinstance(table, ReturnSource):
        return review, held()
    columns, cells = table.iter_cells(checker.by_field.values())
    headers[:] = [header for _, header in columns]  # a row is compared in one order, whichever path checks it
    if importer is not None:
        blank: dict[str, Any] = dict.fromkeys(f.name for f in FIELDS)
        blank["start_date"] = FuzzyDate(2000, 1, 1)  # the quick path fills in every mapped field
        template = importer.writer.ordered(
            candidate_to_fields(blank)
            | {"sequence": 0, "author": importer.author, "agency_uuid": rules.agency_uuid, "imported_from": ""}
        )
        names, converters = importer.writer.names, importer.writer.converters()
    else:  # only checking: the rows it makes are counted, not written, so any row of the right shape will do
        names = [column.key for column in ChronologyEntry.__table__.columns]
        template, converters = [None] * len(names), {}
    quick: QuickRows | None = QuickRows(
        checker, columns, names, template, converters, rules.written_under, rules.agency_uuid
    )
    if not quick.usable:  # type: ignore[union-attr]  # just made
        quick = None

    def streamed() -> Iterator[Checked]:
        corrected = {row_number for row_number, _ in table.corrections}
        quick_row = quick.row if quick is not None else None
        raw_row = table.raw_row
        count = 0
        for row_number, row_cells in cells:
            count += 1
            repeat = None
            if quick_row is not None and count > plain_first and row_number not in corrected:
                size = len(row_cells)
                repeat = repeated.issue(row_number, (row_cells[i] if i < size else None for i, _ in columns))
                if repeat is None:
                    values = quick_row(row_cells)
                    if values is not None:
                        yield row_number, None, None, values
                        continue
            yield plain(row_number, raw_row(columns, row_number, row_cells).values, repeat)

    return review, streamed()


def prepare_import(
    session: Session,
    review_uuid: str,
    agency: str,
    table: ImportedTable | ReturnSource,
    mapping: dict[str, str | None],
    *,
    today: date | None = None,
    progress: ProgressSink | None = None,
) -> ImportPlan:
    """Validate a table for a review; nothing is written. Raises InvalidInput for a bad mapping.

    A held table (``ImportedTable``) keeps its candidates in the plan; a streamed
    one (``ReturnSource``) keeps only the report's counts and first issues, and
    ``commit_import`` reads and checks the rows again as it writes them.
    """
    today = today or date.today()
    rules = _RowRules(session, review_uuid, agency, mapping)
    keep = not isinstance(table, ReturnSource)
    report = ChronologyImportReport(table.source_name, notes=list(table.notes))
    # a held table's rows are all checked the plain way; a streamed one's past the report's kept candidates
    # may go the quick way
    review, rows = _quick_or_checked(session, review_uuid, rules, table, mapping, today, None, report.issue_limit)
    total = table.row_count if progress is not None else 0
    with gc_paused():
        for row_number, candidate, issues, quick in rows:
            if quick is not None:
                report.add_clean_row()
            else:
                report.add_row(candidate, issues, keep=keep or report.rows_total < report.issue_limit)  # type: ignore[arg-type]  # a row without a quick form has its candidate
                if not keep:
                    rules.take(row_number)
            if progress is not None and report.rows_total % _PROGRESS_EVERY == 0:
                progress.check()
                progress.report(report.rows_total, total, "Checking the rows")
    plan = ImportPlan(
        review.uuid, review.reference, rules.agency_uuid, rules.agency_name, table, dict(mapping), report, today=today
    )
    if keep:
        plan.row_agencies, plan.row_episodes = rules.row_agency, rules.row_episodes
    return plan


_PROGRESS_EVERY = 1_000
_BATCH_ROWS = 2_000


_time_text = time_text  # the quick path stores times by the same function


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _stored_date(when: FuzzyDate, cache: dict[FuzzyDate, tuple[str, int]] | None) -> tuple[str, int]:
    if cache is None:
        return when.to_storage(), date_key(when)
    found = cache.get(when)
    if found is None:
        if len(cache) > 20_000:
            cache.clear()
        found = cache[when] = (when.to_storage(), date_key(when))
    return found


def candidate_to_fields(
    values: dict[str, Any], dates: dict[FuzzyDate, tuple[str, int]] | None = None
) -> dict[str, Any]:
    """Stored column values of an entry from a validated candidate's values (``dates``: a cache to reuse)."""
    start: FuzzyDate = values["start_date"]
    start_storage, start_key = _stored_date(start, dates)
    end = values.get("end_date")
    voice_raw = values.get("child_voice")
    voice, understood = parse_yes_no(voice_raw)
    voice_note = ""
    if not understood:  # the agency wrote what the child said: the voice was recorded
        voice, voice_note = True, _text(voice_raw)
    sequence = values.get("sequence")
    return {
        "reference": _text(sequence),
        "start_date": start_storage,
        "date_key": start_key,
        "start_time": _time_text(values.get("start_time")),
        "end_date": _stored_date(end, dates)[0] if isinstance(end, FuzzyDate) else None,
        "end_time": _time_text(values.get("end_time")),
        "source": _text(values.get("source")),
        "event": _text(values.get("event")),
        "child_seen": values.get("child_seen"),
        "child_voice": voice,
        "child_voice_note": voice_note,
        "action_outcome": _text(values.get("action_outcome")),
        "agency_analysis": _text(values.get("agency_analysis")),
        "reviewer_comment": _text(values.get("reviewer_comment")),
        "significant": bool(values.get("significant")),
    }


_VERSION_4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_RFC_4122 = bytes((b & 0x3F) | 0x80 for b in range(256))


def random_uuids(block: int = 4_096) -> Iterator[str]:
    """Random (version 4) UUIDs as text, like ``str(uuid.uuid4())``: from one ``os.urandom`` call per block,
    its version and variant bits set and its hex made in one go each, without a ``UUID`` object each."""
    while True:
        data = bytearray(os.urandom(16 * block))
        data[6::16] = data[6::16].translate(_VERSION_4)
        data[8::16] = data[8::16].translate(_RFC_4122)
        h = data.hex()
        yield from [
            f"{h[i : i + 8]}-{h[i + 8 : i + 12]}-{h[i + 12 : i + 16]}-{h[i + 16 : i + 20]}-{h[i + 20 : i + 32]}"
            for i in range(0, len(h), 32)
        ]


class EntryWriter:
    """Inserts many entries in the caller's transaction, with exchange bookkeeping done by hand.

    ``uow.create`` flushes and audits record by record, which is too slow for a
    50,000-row return. This does what ``create`` does, in bulk: a uuid and
    ``origin_member`` per row, one HLC stamp (``uow.clock.tick()``) for every
    field of every row (they were all written at one moment), ``updated_stamp``
    set to it, the new ids added to ``uow.changes.created`` so views refresh,
    and (``finish``) a single summary entry in the audit chain naming the file
    and counts. Rows go to SQLite in batches through the driver's
    ``executemany`` (one prepared statement; the stamps' JSON encoded once by
    the column's own type), so memory holds one batch, not the file.
    """

    def __init__(self, uow: UnitOfWork, review_uuid: str) -> None:
        self.uow = uow
        self.review_uuid = review_uuid
        stamp = str(uow.clock.tick())
        table = ChronologyEntry.__table__
        connection = uow.session.connection()
        dialect = connection.dialect
        stamps = {name: stamp for name in ChronologyEntry.content_fields()}
        processor = table.c.field_stamps.type.bind_processor(dialect)
        fixed = {
            "review_uuid": review_uuid,
            "origin_member": uow.member_id,
            "field_stamps": processor(stamps) if processor else stamps,
            "updated_stamp": stamp,
            "deleted_stamp": None,
        }
        self._defaults = {
            column.key: column.default.arg if column.default is not None and not callable(column.default.arg) else None
            for column in table.columns
        }
        self._defaults.update(fixed)
        self._fixed = fixed
        self._names = [column.key for column in table.columns]
        # Columns whose type converts values on the way in (booleans to 0/1): converted here, as SQLAlchemy would.
        self._convert = [
            (index, processor)
            for index, column in enumerate(table.columns)
            if column.key not in fixed and (processor := column.type.bind_processor(dialect)) is not None
        ]
        placeholders = ", ".join("?" for _ in self._names)
        quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in self._names)
        self._sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({placeholders})"
        self._uuid_index = self._names.index("uuid")
        self._batch: list[Sequence[Any]] = []
        self._new_uuids = random_uuids()
        self.uuids: list[str] = []
        self.count = 0

    @property
    def names(self) -> list[str]:
        """The insert's columns, in order."""
        return self._names

    def converters(self) -> dict[str, Any]:
        """column -> the driver conversion ``add`` applies to its values (booleans to 0/1)."""
        return {self._names[index]: convert for index, convert in self._convert}

    def ordered(self, row: dict[str, Any]) -> list[Any]:
        """An entry's column values in insert order, converted as ``add`` converts them (no uuid yet)."""
        values = {**self._defaults, **row, **self._fixed, "uuid": None}
        ordered = [values[name] for name in self._names]
        for index, convert in self._convert:
            ordered[index] = convert(ordered[index])
        return ordered

    def add_ordered(self, values: list[Any]) -> int:
        """Queue one entry given as ``ordered`` gives it (its uuid is made here); returns the rows queued."""
        uuid = values[self._uuid_index] = next(self._new_uuids)
        batch = self._batch
        batch.append(values)  # the driver takes any sequence of parameters: no tuple made
        self.uuids.append(uuid)
        self.count += 1
        return len(batch)

    def add(self, row: dict[str, Any]) -> str:
        """Queue one entry (column values); returns its uuid. Sent with the next ``flush``."""
        uuid = row.get("uuid") or next(self._new_uuids)
        values = {**self._defaults, **row, **self._fixed, "uuid": uuid}
        ordered = [values[name] for name in self._names]
        for index, convert in self._convert:
            ordered[index] = convert(ordered[index])
        self._batch.append(tuple(ordered))
        self.uuids.append(uuid)
        self.count += 1
        return uuid

    def flush(self) -> None:
        if self._batch:
            driver = self.uow.session.connection().connection.driver_connection
            assert driver is not None  # a live connection always has its driver connection
            cursor = driver.cursor()
            try:
                cursor.executemany(self._sql, self._batch)
            finally:
                cursor.close()
            self._batch.clear()

    def finish(self, summary: str, details: dict[str, Any]) -> list[str]:
        """Send what is queued, record the ids in the change set and ONE audit entry."""
        self.flush()
        self.uow.changes.created["chronology_entry"].update(self.uuids)
        self.uow.audit.append("import", "chronology_entry", self.review_uuid, summary, details)
        return self.uuids


def bulk_insert_entries(
    uow: UnitOfWork, review_uuid: str, rows: Sequence[dict[str, Any]], summary: str, details: dict[str, Any]
) -> list[str]:
    """Insert many entries at once with ONE audit entry (see ``EntryWriter``), in the caller's transaction."""
    writer = EntryWriter(uow, review_uuid)
    for row in rows:
        writer.add(row)
    return writer.finish(summary, details)


def _refuse_errors(report: ChronologyImportReport) -> InvalidInput:
    return InvalidInput(
        f"{count_of(report.rows_with_errors, 'row')} of {report.source_name} "
        f"{noun_for(report.rows_with_errors, 'has', 'have')} errors; nothing was "
        "imported. Fix them, or choose to skip the invalid rows."
    )


class _Importer:
    """Writes checked rows as entries, batch by batch, with their episode and duplicate links."""

    def __init__(self, uow: UnitOfWork, review_uuid: str, agency_uuid: str, source_name: str) -> None:
        self.uow = uow
        self.review_uuid = review_uuid
        self.agency_uuid = agency_uuid
        self.source_name = source_name
        self.next_sequence = next_sequence(uow.session, review_uuid)
        self.author = member_name(uow.session, uow.member_id)
        self.writer = EntryWriter(uow, review_uuid)
        self.links: list[tuple[str, CandidateEntry, list[str]]] = []
        self.flagged = 0
        self.dates: dict[FuzzyDate, tuple[str, int]] = {}
        self._sequence_at = self.writer.names.index("sequence")
        self._imported_from_at = self.writer.names.index("imported_from")

    def add(self, candidate: CandidateEntry, agency_uuid: str | None, episodes: Sequence[str]) -> None:
        fields = candidate_to_fields(candidate.values, self.dates)
        fields.update(
            sequence=self.next_sequence,
            author=self.author,
            agency_uuid=agency_uuid or self.agency_uuid,
            imported_from=f"{self.source_name} row {candidate.row_number}"[:300],
        )
        self.next_sequence += 1
        uuid = self.writer.add(fields)
        if episodes or candidate.possible_duplicates:
            self.links.append((uuid, candidate, list(episodes)))
        if len(self.writer._batch) >= _BATCH_ROWS:
            self.flush()

    def add_quick(self, row_number: int, values: list[Any]) -> None:
        """Queue a row the quick path made (no links: it has no episodes and no likely duplicate)."""
        values[self._sequence_at] = self.next_sequence
        self.next_sequence += 1
        values[self._imported_from_at] = f"{self.source_name} row {row_number}"[:300]
        if self.writer.add_ordered(values) >= _BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Send the queued entries, then their links (which refer to them)."""
        self.writer.flush()
        uow = self.uow
        for uuid, candidate, episodes in self.links:
            for episode_uuid in dict.fromkeys(episodes):
                uow.create(
                    EntryEpisodeLink,
                    audit=False,
                    uuid=link_uuid("episode", uuid, episode_uuid),
                    entry_uuid=uuid,
                    episode_uuid=episode_uuid,
                )
            for other in candidate.possible_duplicates:
                first, second = sorted((uuid, str(other)))
                uow.create(
                    DuplicateLink,
                    audit=False,
                    uuid=link_uuid("duplicate", first, second),
                    review_uuid=self.review_uuid,
                    entry_a=first,
                    entry_b=second,
                    status="suggested",
                )
                self.flagged += 1
        self.links.clear()

    def finish(self, report: ChronologyImportReport, agency_name: str, review_reference: str) -> ImportResult:
        self.flush()
        created = self.writer.count
        uuids = self.writer.finish(
            f"Imported {created} chronology entries from {agency_name} ({report.source_name}) into {review_reference}",
            {
                "file": report.source_name,
                "agency": agency_name,
                "rows_read": report.rows_total,
                "imported": created,
                "skipped_rows": report.rows_with_errors,
            },
        )
        return ImportResult(created, report.rows_with_errors, self.flagged, tuple(uuids))


def commit_import(
    uow: UnitOfWork, plan: ImportPlan, *, skip_invalid: bool = False, progress: ProgressSink | None = None
) -> ImportResult:
    """Write the plan's importable rows in the caller's unit of work (one transaction).

    Raises InvalidInput, writing nothing, if any row has an error and
    ``skip_invalid`` is False. A streamed plan reads and checks its rows
    again as it writes them (against the chronology as it is now); if that
    finds errors the plan did not, nothing is written either.
    """
    report = plan.report
    if report.has_errors and not skip_invalid:
        raise _refuse_errors(report)
    session = uow.session
    get_review(session, plan.review_uuid)
    session.flush()  # link rows reference entries and episodes; flush anything pending first
    importer = _Importer(uow, plan.review_uuid, plan.agency_uuid, report.source_name)
    if not plan.streamed:
        for candidate in report.importable():
            importer.add(
                candidate, plan.row_agencies.get(candidate.row_number), plan.row_episodes.get(candidate.row_number, ())
            )
        return replace(
            importer.finish(report, plan.agency_name, plan.review_reference), skipped=skipped_rows_listing(plan)
        )
    fresh, result = _stream_rows(
        uow,
        plan.review_uuid,
        plan.agency_name,
        plan.table,
        plan.mapping,
        today=plan.today or date.today(),
        skip_invalid=skip_invalid,
        write=True,
        progress=progress,
        importer=importer,
    )
    if result is None:
        raise _refuse_errors(fresh)
    plan.report = fresh
    return replace(result, skipped=skipped_rows_listing(plan))


def skipped_rows_listing(plan: ImportPlan) -> tuple[str, ...]:
    """The rows with errors as users re-enter them: row number, what it held, and why it was left out."""
    report = plan.report
    by_row: dict[int, list[str]] = {}
    for issue in report.issues:
        if issue.severity is Severity.ERROR:
            by_row.setdefault(issue.row_number, []).append(issue.describe().split(": ", 1)[-1])
    held = (
        {row.row_number: row.values for row in plan.table.iter_rows() if row.row_number in by_row} if by_row else {}
    )  # a streamed return is read again, only when rows were left out
    out = []
    for number in sorted(by_row):
        cells = [str(v).strip() for v in held.get(number, {}).values() if v not in (None, "")]
        shown = ", ".join(cells)[:80]
        held_text = f" ({shown}{'…' if len(', '.join(cells)) > 80 else ''})" if cells else ""
        out.append(f"Row {number}{held_text}: " + "; ".join(by_row[number]))
    return tuple(out)


@overload
def correct_cell(table: ReturnSource, row_number: int, header: str, value: str) -> ReturnSource: ...
@overload
def correct_cell(table: ImportedTable, row_number: int, header: str, value: str) -> ImportedTable: ...
def correct_cell(
    table: ImportedTable | ReturnSource, row_number: int, header: str, value: str
) -> ImportedTable | ReturnSource:
    """The table with one cell corrected, in memory: the user's file is not changed.

    A streamed return keeps the correction beside the file and applies it as rows are read.
    """
    if header not in table.headers:
        raise InvalidInput(f"{table.source_name} has no column '{header}'.")
    if isinstance(table, ReturnSource):
        if table.cell(row_number, header) is None and not any(
            row.row_number == row_number for row in table.iter_rows(only=[header])
        ):
            raise InvalidInput(f"{table.source_name} has no row {row_number}.")
        table.corrections[(row_number, header)] = value
        return table
    if not any(row.row_number == row_number for row in table.rows):
        raise InvalidInput(f"{table.source_name} has no row {row_number}.")
    rows = [
        RawRow(row.row_number, {**row.values, header: value}) if row.row_number == row_number else row
        for row in table.rows
    ]
    return replace(table, rows=rows)


def _stream_rows(
    uow: UnitOfWork,
    review_uuid: str,
    agency: str,
    table: ImportedTable | ReturnSource,
    mapping: dict[str, str | None],
    *,
    today: date,
    skip_invalid: bool,
    write: bool,
    progress: ProgressSink | None,
    importer: _Importer | None = None,
) -> tuple[ChronologyImportReport, ImportResult | None]:
    """Check every row and, while ``write``, insert it: one pass over the file, inside a savepoint.

    At the first error (unless ``skip_invalid``) writing stops and the savepoint
    is rolled back, so the entries already sent are undone and the rest of the
    file is only checked, for the report. Returns (report, result or None).
    """
    session = uow.session
    rules = _RowRules(session, review_uuid, agency, mapping)
    report = ChronologyImportReport(table.source_name, notes=list(table.notes))
    savepoint = session.begin_nested() if write else None
    if write and importer is None:
        session.flush()
        importer = _Importer(uow, get_review(session, review_uuid).uuid, rules.agency_uuid, table.source_name)
    review, rows = _quick_or_checked(
        session, review_uuid, rules, table, mapping, today, importer if write else None, report.issue_limit
    )
    total = table.row_count if progress is not None else 0
    report.counted = True  # what add_row and add_clean_row set: the quick rows below are counted inline
    try:
        with gc_paused():  # the rows hold no cycles; each collection would walk every object alive
            for row_number, candidate, issues, quick in rows:
                if quick is not None:  # no issue, not kept: counted (as add_clean_row does); written while writing
                    report.rows_total += 1
                    if write:
                        importer.add_quick(row_number, quick)  # type: ignore[union-attr]  # made above whenever write is set
                else:
                    ok = report.add_row(candidate, issues, keep=report.rows_total < report.issue_limit)  # type: ignore[arg-type]  # a row without a quick form has its candidate
                    agency_uuid, episodes = rules.take(row_number)
                    if write:
                        if ok:
                            importer.add(candidate, agency_uuid, episodes)  # type: ignore[union-attr,arg-type]  # as above
                        elif not skip_invalid:
                            write = False
                            savepoint.rollback()  # type: ignore[union-attr]  # begun whenever write is set
                            savepoint = None
                if progress is not None and report.rows_total % _PROGRESS_EVERY == 0:
                    progress.check()
                    progress.report(report.rows_total, total, "Importing" if write else "Checking the rows")
        if not write:
            return report, None
        result = importer.finish(report, rules.agency_name, review.reference)  # type: ignore[union-attr]  # write is set
        savepoint.commit()  # type: ignore[union-attr]  # write is set
        return report, result
    except BaseException:
        if savepoint is not None and savepoint.is_active:
            savepoint.rollback()
        raise


def stream_import(
    uow: UnitOfWork,
    review_uuid: str,
    agency: str,
    source: ImportedTable | ReturnSource,
    mapping: dict[str, str | None],
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: ProgressSink | None = None,
) -> tuple[ImportPlan, ImportResult | None]:
    """Check and write a return in ONE pass over its file, in the caller's unit of work.

    The result is None (and nothing written) for a dry run, or when a row has
    an error and ``skip_invalid`` is False; the plan's report says why.
    """
    today = today or date.today()
    report, result = _stream_rows(
        uow,
        review_uuid,
        agency,
        source,
        mapping,
        today=today,
        skip_invalid=skip_invalid,
        write=not dry_run,
        progress=progress,
    )
    review = get_review(uow.session, review_uuid)
    rules_agency = _agency_lookup(uow.session).get(_folded(agency))
    if rules_agency is None:
        from app.agencies import find_agency

        rules_agency = find_agency(uow.session, agency).uuid
    record = uow.session.get(Agency, rules_agency)
    assert record is not None
    plan = ImportPlan(
        review.uuid, review.reference, record.uuid, record.short_name, source, dict(mapping), report, today=today
    )
    return plan, result


def import_file(
    uow: UnitOfWork,
    review_uuid: str,
    agency: str,
    path: str | Path,
    *,
    overrides: Iterable[str] = (),
    skip_invalid: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: ProgressSink | None = None,
    limits: ImportLimits = IMPORT_LIMITS,
) -> tuple[ImportPlan, ImportResult | None]:
    """Read, map, validate and (unless ``dry_run``) commit one return in one pass: the CLI's path.

    Raises InvalidInput, writing nothing, if a row has an error and ``skip_invalid`` is False.
    """
    source = open_return(path, limits)
    overrides = list(overrides)
    plan, result = stream_import(
        uow,
        review_uuid,
        agency,
        source,
        propose_mapping(source, overrides, fast=True),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        today=today,
        progress=progress,
    )
    if result is None and not dry_run:
        raise _refuse_errors(plan.report)
    return plan, result


def save_report(report: ChronologyImportReport, path: str | Path, *, overwrite: bool = False) -> None:
    """Save the validation report as CSV (.csv) or text (anything else) where the user chose."""
    target = Path(path)
    data = report.to_csv_bytes() if target.suffix.lower() == ".csv" else report.to_text().encode("utf-8")
    write_user_file(target, data, overwrite=overwrite)

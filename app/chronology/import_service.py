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

import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any, Iterable, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.chronology.dates import FuzzyDate
from app.chronology.fields import apply_overrides, auto_map
from app.chronology.importers import ImportedTable, read_table
from app.chronology.service import (
    date_key,
    existing_for_duplicates,
    member_name,
    next_sequence,
)
from app.chronology.validation import (
    ChronologyImportReport,
    RowIssue,
    Severity,
    parse_yes_no,
    validate_table,
)
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.reviews.analysis import list_episodes
from app.reviews.register import get_review
from app.store.atomic import write_atomic
from db.base import new_uuid
from db.models.core import Agency
from db.models.reviews import (
    ChronologyEntry,
    DuplicateLink,
    EntryEpisodeLink,
    link_uuid,
)


def read_return(path: str | Path) -> ImportedTable:
    """The table of an agency's return; ``InvalidInput`` (ImportFileError) names what is wrong."""
    return read_table(path)


def propose_mapping(table: ImportedTable, overrides: Iterable[str] = ()) -> dict[str, str | None]:
    """header -> field (None: ignored), automatic then the user's "Header=field" overrides."""
    return apply_overrides(auto_map(table.headers), list(overrides))


def mapping_preview(table: ImportedTable, mapping: dict[str, str | None], samples: int = 3
                    ) -> list[tuple[str, str | None, list[str]]]:
    """(header, field, first few non-blank values) per column, for the mapping step."""
    preview = []
    for header in table.headers:
        values = [str(r.values.get(header)) for r in table.rows if r.values.get(header) not in (None, "")]
        preview.append((header, mapping.get(header), values[:samples]))
    return preview


@dataclass
class ImportPlan:
    """A validated import, ready to commit or to show."""

    review_uuid: str
    review_reference: str
    agency_uuid: str
    agency_name: str
    table: ImportedTable
    mapping: dict[str, str | None]
    report: ChronologyImportReport
    #: row_number -> agency uuid for rows whose agency column named another known agency
    row_agencies: dict[int, str] = field(default_factory=dict)
    #: row_number -> episode uuids named in the row's episodes column
    row_episodes: dict[int, list[str]] = field(default_factory=dict)

    @property
    def importable_rows(self) -> int:
        return len(self.report.importable())


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped_rows: int
    duplicates_flagged: int
    entry_uuids: tuple[str, ...]


def _folded(text: str) -> str:
    """How names are compared: case and spacing ignored."""
    return " ".join(text.casefold().split())


def _agency_lookup(session: Session) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for uuid, name, short in session.execute(
            select(Agency.uuid, Agency.name, Agency.short_name).where(Agency.deleted_stamp.is_(None))):
        lookup[_folded(name)] = uuid
        lookup[_folded(short)] = uuid
    return lookup


def _episode_lookup(session: Session, review_uuid: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for episode in list_episodes(session, review_uuid):
        for key in (str(episode.number), f"kpe{episode.number}", f"kpe {episode.number}",
                    f"episode {episode.number}", episode.title.casefold()):
            lookup[key] = episode.uuid
    return lookup


def prepare_import(session: Session, review_uuid: str, agency: str, table: ImportedTable,
                   mapping: dict[str, str | None], *, today: date | None = None) -> ImportPlan:
    """Validate a table for a review; nothing is written. Raises InvalidInput for a bad mapping."""
    review = get_review(session, review_uuid)
    agencies = _agency_lookup(session)
    agency_uuid = agencies.get(_folded(agency))
    if agency_uuid is None:
        from app.agencies import find_agency
        agency_uuid = find_agency(session, agency).uuid  # raises with the list of known agencies
    agency_record = session.get(Agency, agency_uuid)
    assert agency_record is not None
    scope = (review.scope_from, review.scope_to) if review.scope_from and review.scope_to else None

    def written_under(cell: str | None) -> str | None:
        """The uuid of the agency a row is written under (as ``row_agencies`` below); None if unknown."""
        return agencies.get(_folded(cell)) if cell and cell.strip() else agency_uuid

    report = validate_table(table, mapping, today=today or date.today(), agency=agency_record.short_name,
                            scope=scope, existing=existing_for_duplicates(session, review.uuid),
                            agency_identity=written_under)
    plan = ImportPlan(review.uuid, review.reference, agency_uuid, agency_record.short_name, table, dict(mapping), report)
    episodes = _episode_lookup(session, review.uuid)
    header_of = {f: h for h, f in mapping.items() if f}
    for candidate in report.candidates:
        named = candidate.values.get("agency")
        if isinstance(named, str) and named.strip():
            found = written_under(named)
            if found is None:
                report.issues.append(RowIssue(candidate.row_number, "agency", Severity.ERROR,
                                              f"unknown agency {named!r}; add it to the workspace or fix the row",
                                              header_of.get("agency")))
            elif found != agency_uuid:
                plan.row_agencies[candidate.row_number] = found
        names = candidate.values.get("episodes") or ()
        for name in names:
            key = _folded(str(name))
            uuid = episodes.get(key) or episodes.get(re.sub(r"^(?:kpe|episode)\s*", "", key))
            if uuid is None:
                report.issues.append(RowIssue(candidate.row_number, "episodes", Severity.WARNING,
                                              f"no key practice episode {name!r} in this review; link left out",
                                              header_of.get("episodes")))
            else:
                plan.row_episodes.setdefault(candidate.row_number, []).append(uuid)
    report.issues.sort(key=lambda i: i.row_number)
    return plan


def _time_text(value: object) -> str | None:
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def candidate_to_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Stored column values of an entry from a validated candidate's values."""
    start: FuzzyDate = values["start_date"]
    end = values.get("end_date")
    voice_raw = values.get("child_voice")
    voice, understood = parse_yes_no(voice_raw)
    voice_note = ""
    if not understood:  # the agency wrote what the child said: the voice was recorded
        voice, voice_note = True, _text(voice_raw)
    sequence = values.get("sequence")
    return {
        "reference": _text(sequence),
        "start_date": start.to_storage(),
        "date_key": date_key(start),
        "start_time": _time_text(values.get("start_time")),
        "end_date": end.to_storage() if isinstance(end, FuzzyDate) else None,
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


def bulk_insert_entries(uow: UnitOfWork, review_uuid: str, rows: Sequence[dict[str, Any]], summary: str,
                        details: dict[str, Any]) -> list[str]:
    """Insert many entries at once, with exchange bookkeeping done by hand, and ONE audit entry.

    ``uow.create`` flushes and audits record by record, which is too slow for a
    50,000-row return. This does what ``create`` does, in bulk: a uuid and
    ``origin_member`` per row, one HLC stamp (``uow.clock.tick()``) for every
    field of every row (they were all written at one moment), ``updated_stamp``
    set to it, the new ids added to ``uow.changes.created`` so views refresh,
    and a single summary entry in the audit chain naming the file and counts.
    It runs in the caller's transaction: an error rolls every row back.
    """
    stamp = str(uow.clock.tick())
    stamps = {name: stamp for name in ChronologyEntry.content_fields()}
    defaults = {column.key: column.default.arg if column.default is not None and not callable(column.default.arg)
                else None for column in ChronologyEntry.__table__.columns}
    uuids: list[str] = []
    payload = []
    for row in rows:
        uuid = row.get("uuid") or new_uuid()
        uuids.append(uuid)
        payload.append({**defaults, **row, "uuid": uuid, "review_uuid": review_uuid, "origin_member": uow.member_id,
                        "field_stamps": stamps, "updated_stamp": stamp, "deleted_stamp": None})
    if payload:
        # Core executemany: every dict has every column, so SQLite gets one prepared statement.
        uow.session.execute(insert(ChronologyEntry.__table__), payload)
    uow.changes.created["chronology_entry"].update(uuids)
    uow.audit.append("import", "chronology_entry", review_uuid, summary, details)
    return uuids


def commit_import(uow: UnitOfWork, plan: ImportPlan, *, skip_invalid: bool = False) -> ImportResult:
    """Write the plan's importable rows in the caller's unit of work (one transaction).

    Raises InvalidInput, writing nothing, if any row has an error and
    ``skip_invalid`` is False.
    """
    report = plan.report
    if report.has_errors and not skip_invalid:
        raise InvalidInput(f"{report.rows_with_errors} row(s) of {report.source_name} have errors; nothing was "
                           "imported. Fix them, or choose to skip the invalid rows.")
    session = uow.session
    get_review(session, plan.review_uuid)
    first_sequence = next_sequence(session, plan.review_uuid)
    author = member_name(session, uow.member_id)
    candidates = report.importable()
    rows = []
    for offset, candidate in enumerate(candidates):
        fields = candidate_to_fields(candidate.values)
        fields.update(uuid=new_uuid(), sequence=first_sequence + offset, author=author,
                      agency_uuid=plan.row_agencies.get(candidate.row_number, plan.agency_uuid),
                      imported_from=f"{report.source_name} row {candidate.row_number}"[:300])
        rows.append(fields)
    skipped = report.rows_with_errors
    uuids = bulk_insert_entries(
        uow, plan.review_uuid, rows,
        f"Imported {len(rows)} chronology entries from {plan.agency_name} ({report.source_name}) into "
        f"{plan.review_reference}",
        {"file": report.source_name, "agency": plan.agency_name, "rows_read": report.rows_total,
         "imported": len(rows), "skipped_rows": skipped})
    flagged = 0
    session.flush()  # link rows reference entries and episodes; flush anything pending first
    for candidate, fields in zip(candidates, rows):
        for episode_uuid in dict.fromkeys(plan.row_episodes.get(candidate.row_number, ())):
            uow.create(EntryEpisodeLink, audit=False, uuid=link_uuid("episode", fields["uuid"], episode_uuid),
                       entry_uuid=fields["uuid"], episode_uuid=episode_uuid)
        for other in candidate.possible_duplicates:
            first, second = sorted((fields["uuid"], str(other)))
            uow.create(DuplicateLink, audit=False, uuid=link_uuid("duplicate", first, second),
                       review_uuid=plan.review_uuid, entry_a=first, entry_b=second, status="suggested")
            flagged += 1
    return ImportResult(len(rows), skipped, flagged, tuple(uuids))


def import_file(uow: UnitOfWork, review_uuid: str, agency: str, path: str | Path, *,
                overrides: Iterable[str] = (), skip_invalid: bool = False, dry_run: bool = False,
                today: date | None = None) -> tuple[ImportPlan, ImportResult | None]:
    """Read, map, validate and (unless ``dry_run``) commit one return: the CLI's path."""
    table = read_return(path)
    plan = prepare_import(uow.session, review_uuid, agency, table, propose_mapping(table, overrides), today=today)
    if dry_run:
        return plan, None
    return plan, commit_import(uow, plan, skip_invalid=skip_invalid)


def save_report(report: ChronologyImportReport, path: str | Path) -> None:
    """Save the validation report as CSV (.csv) or text (anything else), atomically."""
    target = Path(path)
    data = report.to_csv_bytes() if target.suffix.lower() == ".csv" else report.to_text().encode("utf-8")
    write_atomic(target, data)


def count_entries(session: Session, review_uuid: str) -> int:
    return session.scalar(select(func.count()).select_from(ChronologyEntry).where(
        ChronologyEntry.review_uuid == review_uuid, ChronologyEntry.deleted_stamp.is_(None))) or 0

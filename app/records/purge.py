"""Retention rules and the audited purge of records kept past them.

Deleting keeps a content-less tombstone (docs/merge.md, "Tombstones and purge"),
so a purge is a deletion done by rule rather than by hand: every record a rule
finds past its retention, with every live record linked below it (foreign keys,
followed down to a fixed point), becomes a tombstone in one unit of work, and
the audit log gets one entry naming the rules and the counts, never content.
The tombstones travel in the next bundles like any deletion, so every member's
copy is purged too, with purge notices (`PurgeNotice`) naming the records, the rule and
the day, so that every member importing them empties its own audit entries about
those records as well (app/exchange/purge_notices.py). In the same unit of work the member's audit log forgets what
was written to those records: every entry about them keeps who, when, the action,
the table and the record id, but its summary becomes "Content purged under
retention rule ... on ..." and its changes are emptied (app/records/audit.py keeps
the chain verifiable through each entry's content digest); the purge's entry
counts them.

`RETENTION_RULES` is the one table of rules. Child protection records are kept
35 years from closure (DOMAIN.md); the others are the partnership's business
records, kept for the year of closure plus six. A partnership whose retention
schedule says otherwise changes the table here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from app.clock import uk
from app.records import naming
from app.records.audit import (
    MULTI_RECORD_SEPARATOR,
    PURGE_ACTION,
    REDACTED_CHANGES,
    record_ids,
    redacted_ids_digest,
    redacted_summary,
)
from app.records.hlc import Stamp
from app.records.unit_of_work import UnitOfWork, forget_conflict_values
from app.text import count_of
from db.base import Exchangeable, exchangeable_models, live
from db.models.core import AuditEntry, PurgeNotice

Row = Mapping[Any, Any]
#: what the summary of an emptied entry names: a rule's key, or (rule, day) for another member's purge
K = TypeVar("K", bound=Hashable)


def _stamp_day(row: Row, name: str) -> date | None:
    """The day (UTC) a field was last set, from its change stamp."""
    stamp = (row["field_stamps"] or {}).get(name)
    return datetime.fromtimestamp(Stamp.parse(stamp).wall_ms / 1000, UTC).date() if stamp else None


def _closed_by_status(status: str, *closed: str) -> Callable[[Row], date | None]:
    """Closed when the status is one of `closed`; closed on the day the status was set."""

    def closed_on(row: Row) -> date | None:
        return _stamp_day(row, status) if row[status] in closed else None

    return closed_on


def _closed_with_date(flag: str, expected: Any, day: str) -> Callable[[Row], date | None]:
    """Closed when `flag` has the expected value; closed on the record's own date `day`."""

    def closed_on(row: Row) -> date | None:
        return row[day] if row[flag] == expected and isinstance(row[day], date) else None

    return closed_on


@dataclass(frozen=True)
class RetentionRule:
    """Records of `table` closed more than `years` ago go, with what links to them."""

    key: str
    table: str
    #: what the rule covers, in users' words
    title: str
    years: int
    #: the day a record closed, or None while it is open
    closed_on: Callable[[Row], date | None]
    #: how the closure day is found, for people reading the rule
    closure: str
    #: the field naming a record in lists (a reference, never content)
    label: str

    def due_on(self, closed: date) -> date:
        """The first day the record may go: the anniversary `years` after closure (29 Feb -> 28 Feb)."""
        try:
            return closed.replace(year=closed.year + self.years)
        except ValueError:
            return closed.replace(year=closed.year + self.years, day=28)


RETENTION_RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        "case-review",
        "review",
        "Closed case review with its chronology, people register, glossary, episodes, findings and recommendations",
        35,
        _closed_by_status("status", "closed"),
        "the day its status was set to closed",
        "reference",
    ),
    RetentionRule(
        "action",
        "action",
        "Closed action with its progress updates and evidence files",
        7,
        _closed_by_status("status", "closed_impact_evidenced", "closed_not_achieved"),
        "the day its status was set to closed",
        "reference",
    ),
    RetentionRule(
        "meeting",
        "meeting",
        "Meeting with approved minutes, with its attendance, agenda, papers and packs",
        7,
        _closed_with_date("status", "minutes_approved", "meets_on"),
        "the day it met",
        "reference",
    ),
    RetentionRule(
        "section11-cycle",
        "s11_cycle",
        "Closed Section 11 cycle with its returns, moderation, interviews, letters and evidence",
        7,
        _closed_with_date("closed", True, "period_end"),
        "the last day of its period",
        "name",
    ),
)


@dataclass
class PurgeCandidate:
    """A record past its retention, and how many live records go with it, by table."""

    rule: RetentionRule
    uuid: str
    label: str
    closed_on: date
    due_on: date
    #: table -> uuids of the record (its own table) and the live records below it
    records: dict[str, set[str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {table: len(uuids) for table, uuids in self.records.items() if uuids}

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def counts_text(counts: dict[str, int]) -> str:
    """ "1 review, 12 chronology entries": tables as users call them, never content."""
    return ", ".join(
        f"{n} {(naming.naming_for(t).kind if n == 1 else naming.kind_plural(t)).lower()}" for t, n in counts.items()
    )


def candidate_line(candidate: PurgeCandidate) -> str:
    """One line per record due, for the CLI list and the GUI's confirmation: kind, reference, dates, counts."""
    rule = candidate.rule
    return (
        f"{naming.naming_for(rule.table).kind} {candidate.label}: closed {uk(candidate.closed_on)}, "
        f"kept {rule.years} years to {uk(candidate.due_on)} ({rule.key}); "
        f"{counts_text(candidate.counts())}"
    )


def _models() -> dict[str, type[Exchangeable]]:
    return {model.__tablename__: model for model in exchangeable_models()}


def _links(models: dict[str, type[Exchangeable]]) -> dict[str, list[tuple[str, str]]]:
    """table -> (column, parent table) of its foreign keys to other records."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name, model in models.items():
        table: Table = model.__table__
        found[name] = [
            (column, fk.column.table.name)
            for column in model.tombstone_fields()
            for fk in table.columns[column].foreign_keys
            if fk.column.key == "uuid" and fk.column.table.name in models
        ]
    return found


def _below(
    session: Session,
    models: dict[str, type[Exchangeable]],
    links: dict[str, list[tuple[str, str]]],
    root: str,
    uuid: str,
) -> dict[str, set[str]]:
    """The record and every live record linked below it, by table (down to a fixed point)."""
    included: dict[str, set[str]] = {name: set() for name in models}
    included[root].add(uuid)
    grew = True
    while grew:
        grew = False
        for name, model in models.items():
            table: Table = model.__table__
            for column, parent in links[name]:
                parents = sorted(included[parent])
                for start in range(0, len(parents), 900):
                    found = set(
                        session.scalars(
                            select(table.c.uuid).where(
                                table.c[column].in_(parents[start : start + 900]), table.c.deleted_stamp.is_(None)
                            )
                        )
                    )
                    if not found <= included[name]:
                        included[name] |= found
                        grew = True
    return {name: uuids for name, uuids in included.items() if uuids}


def purge_candidates(
    session: Session, today: date, rules: Sequence[RetentionRule] = RETENTION_RULES
) -> list[PurgeCandidate]:
    """The live records past their retention on `today`, each with what goes with it; oldest first."""
    models = _models()
    links = _links(models)
    found: list[PurgeCandidate] = []
    for rule in rules:
        model = models.get(rule.table)
        if model is None:
            continue
        table: Table = model.__table__
        for row in session.execute(select(table).where(table.c.deleted_stamp.is_(None))):
            values = row._mapping
            closed = rule.closed_on(values)
            if closed is None or rule.due_on(closed) > today:
                continue
            candidate = PurgeCandidate(rule, values["uuid"], str(values[rule.label]), closed, rule.due_on(closed))
            candidate.records = _below(session, models, links, rule.table, values["uuid"])
            found.append(candidate)
    return sorted(found, key=lambda c: (c.closed_on, c.rule.key, c.label))


def _about(uuids: Sequence[str]) -> Any:
    """Audit entries about these records that a purge can still empty (not yet emptied, in the digest form)."""
    return (
        AuditEntry.record_id.in_(uuids),
        AuditEntry.redacted_by.is_(None),
        AuditEntry.content_digest != "",
    )


def _about_several(
    session: Session, gone_by_key: Mapping[K, Sequence[str]], *, old_form: bool = False
) -> dict[K, list[int]]:
    """Entries naming several records in one (a bulk due-date move: ids joined by commas) that name a
    purged one: key (a rule, or what names it) -> entry ids. Their reason text was about the purged
    record too, so it goes."""
    key_of = {uuid: key for key, gone in gone_by_key.items() for uuid in gone}
    found: dict[K, list[int]] = {}
    query = select(AuditEntry.id, AuditEntry.record_id).where(
        AuditEntry.record_id.contains(MULTI_RECORD_SEPARATOR),
        AuditEntry.redacted_by.is_(None),
        AuditEntry.content_digest == "" if old_form else AuditEntry.content_digest != "",
    )
    for entry_id, record_id in session.execute(query):
        key = next((key_of[u] for u in record_ids(record_id) if u in key_of), None)
        if key is not None:
            found.setdefault(key, []).append(entry_id)
    return found


def _gone_by_rule(candidates: Sequence[PurgeCandidate]) -> dict[str, list[str]]:
    gone: dict[str, list[str]] = {}
    for candidate in candidates:
        for uuids in candidate.records.values():
            gone.setdefault(candidate.rule.key, []).extend(uuids)
    return gone


def audit_entries_to_redact(session: Session, candidates: Sequence[PurgeCandidate]) -> int:
    """How many audit entries a purge of `candidates` would empty (for the dry run and the confirmation)."""
    return entries_to_empty(session, _gone_by_rule(candidates)).redacted


def _kept_entries(session: Session, uuids: Sequence[str]) -> int:
    """Entries about these records still in the old form (a log whose chain failed when the digest came in)."""
    return sum(
        session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.record_id.in_(uuids[start : start + 900]), AuditEntry.content_digest == "")
        )
        or 0
        for start in range(0, len(uuids), 900)
    )


@dataclass
class AuditEmptying:
    """The audit entries about purged records that are to be emptied, found before the accounting
    entry is written (it records their count and a digest of their ids)."""

    #: key (what the emptied summaries name: a rule, or a rule and a day) -> ids of its entries
    ids: dict[Any, list[int]]
    #: entries about the records kept whole: in the old form, which cannot be emptied without breaking the chain
    kept: int

    @property
    def redacted(self) -> int:
        return sum(len(ids) for ids in self.ids.values())

    @property
    def digest(self) -> str:
        return redacted_ids_digest(i for ids in self.ids.values() for i in ids)


def entries_to_empty(session: Session, gone_by_key: Mapping[K, Sequence[str]]) -> AuditEmptying:
    """This member's audit entries about records made tombstones (uuids by key), not yet emptied.

    A record's uuid should come under one key only. The local purge keys by rule; an import
    of another member's purge notices keys by (rule, day) (app/exchange/purge_notices.py).
    """
    ids: dict[K, list[int]] = {}
    for key, gone in gone_by_key.items():
        wanted = list(gone)
        for start in range(0, len(wanted), 900):
            ids.setdefault(key, []).extend(
                session.scalars(select(AuditEntry.id).where(*_about(wanted[start : start + 900])))
            )
    for key, several in _about_several(session, gone_by_key).items():
        ids.setdefault(key, []).extend(several)
    kept = _kept_entries(session, sorted({u for gone in gone_by_key.values() for u in gone})) + sum(
        len(several) for several in _about_several(session, gone_by_key, old_form=True).values()
    )
    return AuditEmptying({key: found for key, found in ids.items() if found}, kept)


def empty_entries(
    session: Session, emptying: AuditEmptying, accounted_by: int, summary_of: Callable[[Any], str]
) -> None:
    """Empty the entries found: each keeps who, when, the action, the table and the record id; its
    summary becomes `summary_of(key)` ("Content purged under retention rule ... on ..."), its changes
    `{}`, and it names the entry that accounts for it (written after it, `check` verifies the pair)."""
    for key, ids in emptying.ids.items():
        for start in range(0, len(ids), 900):
            session.execute(
                update(AuditEntry)
                .where(AuditEntry.id.in_(ids[start : start + 900]))
                .values(summary=summary_of(key), changes=REDACTED_CHANGES, redacted_by=accounted_by)
                .execution_options(synchronize_session=False)
            )


@dataclass
class PurgeResult:
    candidates: list[PurgeCandidate]
    #: table -> records made tombstones
    counts: dict[str, int]
    #: audit entries about them whose content was emptied
    redacted: int = 0
    #: audit entries about them kept whole: in the old form, which cannot be emptied without breaking the chain
    kept: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


#: the most records one purge notice names (its uuids stay well under a bundle's JSON limit per value)
NOTICE_CHUNK = 5000


def _write_notices(uow: UnitOfWork, today: date, notices: Mapping[tuple[str, str], Sequence[str]]) -> None:
    """Purge notices for the records made tombstones: they travel with the tombstones, and each
    member importing them empties its own audit entries about those records (app/exchange/purge_notices.py).
    The purge's own entry accounts for them, so they are not audited one by one."""
    for (rule, table), uuids in notices.items():
        ordered = sorted(uuids)
        for start in range(0, len(ordered), NOTICE_CHUNK):
            uow.create(
                PurgeNotice,
                audit=False,
                rule=rule,
                purged_on=today,
                table_name=table,
                records=ordered[start : start + NOTICE_CHUNK],
            )


def purge(uow: UnitOfWork, today: date, *, expected: Sequence[str] | None = None) -> PurgeResult:
    """Make every record past retention on `today` (and what is below it) a content-less tombstone.

    `expected`: the uuids the person confirmed (from a dry run); if the records due now differ,
    nothing is purged, so a confirmation never covers records the person was not shown.
    The audit entries about those records lose their content (summary and changes); one audit
    entry names the rules and counts, never content.
    """
    from app.errors import InvalidInput  # the one error a person can meet here

    candidates = purge_candidates(uow.session, today)
    if expected is not None and sorted(expected) != sorted(c.uuid for c in candidates):
        raise InvalidInput(
            "The records due for purging changed since they were listed; nothing was purged. List again."
        )
    models = _models()
    counts: dict[str, int] = {}
    by_rule: dict[str, dict[str, int]] = {}
    purged: dict[str, list[str]] = {}  # rule -> uuids of the records it made tombstones
    notices: dict[tuple[str, str], list[str]] = {}  # (rule, table) -> the same, for the other members
    for candidate in candidates:
        for table, uuids in candidate.records.items():
            model = models[table]
            wanted = sorted(uuids)
            gone: list[str] = []
            for start in range(0, len(wanted), 900):
                # live only: a record below two candidates at once went with the first
                for record in uow.session.scalars(live(model).where(model.uuid.in_(wanted[start : start + 900]))):
                    uow.delete(record, audit=False, forget_conflicts=False)
                    gone.append(record.uuid)
            forget_conflict_values(uow.session, table, gone)
            if gone:
                counts[table] = counts.get(table, 0) + len(gone)
                rule_counts = by_rule.setdefault(candidate.rule.key, {})
                rule_counts[table] = rule_counts.get(table, 0) + len(gone)
                purged.setdefault(candidate.rule.key, []).extend(gone)
                notices.setdefault((candidate.rule.key, table), []).extend(gone)
    if not candidates:
        return PurgeResult(candidates, counts)
    session = uow.session
    emptying = entries_to_empty(session, purged)
    redacted, kept = emptying.redacted, emptying.kept
    _write_notices(uow, today, notices)
    rules = {c.rule.key: c.rule for c in candidates}
    summary = "Purged records past retention: " + "; ".join(
        f"{rules[key].title.split(' with ')[0].lower()} ({rules[key].years} years from {rules[key].closure}): "
        f"{sum(n for n in tables.values())} records"
        for key, tables in by_rule.items()
    )
    summary += f"; the content of {count_of(redacted, 'audit entry')} about them was emptied"
    audit: dict[str, Any] = {
        "redacted": redacted,
        "digest": emptying.digest,
    }
    if kept:
        audit["kept"] = kept
        summary += f" ({count_of(kept, 'older entry', 'older entries')} kept: the log was not upgraded)"
    entry = uow.audit.append(
        PURGE_ACTION,
        "retention",
        today.isoformat(),
        summary,
        {
            "today": today.isoformat(),
            "rules": {
                key: {
                    "years": rules[key].years,
                    "roots": sum(1 for c in candidates if c.rule.key == key),
                    "records": tables,
                }
                for key, tables in by_rule.items()
            },
            "audit": audit,
        },
    )
    session.flush()  # the purge entry's id, which the emptied entries name
    empty_entries(session, emptying, entry.id, lambda key: redacted_summary(key, today))
    return PurgeResult(candidates, counts, redacted, kept)

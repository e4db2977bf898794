"""Merging a change set into the workspace: per field, the higher stamp wins.

The rules (docs/merge.md explains why they converge):

* A field takes the incoming value iff the incoming stamp is higher than the
  local one (a missing local stamp is lowest). Equal stamps mean the same write.
* Deletion is permanent and takes the content with it: a record's deletion
  stamp is the higher of the two (any stamp beats none), and a deleted record's
  content fields are emptied with their stamps (only its links to other records
  stay). An edit that raced a deletion is discarded and noted in the conflict
  log by field name only, never by value.
* Every state is a per-field maximum, then emptied if deleted; deletion only
  ever grows, so merging stays commutative, associative and idempotent,
  whatever order bundles arrive in.
* The losing value of a concurrent edit (the winner's writer had not seen the
  loser, judged per field by app.records.knowledge) goes to the conflict log,
  once per losing stamp.
* A bundle holding a stamp more than MAX_DRIFT_MS ahead of our wall clock is
  refused whole: clamping would give each member different stamps.

Applying does no ORM object per record: Core selects of the stored rows in
chunks, then executemany inserts and updates, in the caller's one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.clock import utc_timestamp
from app.contributions import MERGE_RULES
from app.exchange.changeset import BundleChangeSet, IncomingRecord, TableCodec, refuse
from app.exchange.errors import BundleError
from app.records import UnitOfWork, knowledge
from app.records.hlc import MAX_DRIFT_MS, Stamp, now_ms
from app.records.unit_of_work import DELETED_FIELD, forget_conflict_values
from db.models.exchange import (
    ConflictEntry,
    FieldKnowledge,
    ReceivedChange,
    SeenFrontier,
)

CHUNK = 5000
#: conflict-log field of a merge group's losing state ("group:status"): its values are a dict by field
GROUP_PREFIX = "group:"
#: conflict-log field of a merged record that breaks a domain rule ("rule:closed-needs-evidence")
RULE_PREFIX = "rule:"


class ClockDriftError(BundleError):
    """A stamp in the bundle lies too far in the future of this member's clock."""


@dataclass
class Conflict:
    table: str
    uuid: str
    field: str
    losing_value: Any  # bundle encoding
    losing_stamp: str
    winning_stamp: str
    winning_value: Any  # bundle encoding


@dataclass
class RuleCheck:
    """A record a merge may break a domain rule of: checked after applying if it kept the rule before."""

    rule: str
    table: str
    uuid: str
    before_stamp: str


@dataclass
class Tally:
    """What a merge does to one table's records, in the order reports list it."""

    new: int = 0
    changed: int = 0
    deleted: int = 0
    conflicts: int = 0
    unchanged: int = 0


@dataclass
class TablePlan:
    name: str
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    created_ids: set[str] = field(default_factory=set)
    updated_ids: set[str] = field(default_factory=set)
    deleted_ids: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return asdict(self.tally)


@dataclass
class MergePlan:
    tables: dict[str, TablePlan]
    conflicts: list[Conflict]
    #: member -> highest stamp received from them in this change set
    received: dict[str, str]
    #: (uuid, field, stamp, seen) of incoming winners whose writer had seen other values
    knowledge: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    #: records whose domain rules are checked once the plan is written
    rule_checks: list[RuleCheck] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: plan.counts() for name, plan in self.tables.items()}

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for plan in self.tables.values():
            for key, value in plan.counts().items():
                totals[key] += value
        return dict(totals)

    @property
    def changes_anything(self) -> bool:
        return any(p.inserts or p.updates for p in self.tables.values()) or bool(self.conflicts)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _member_of(stamp: str) -> str:
    return stamp[-32:]


def _seen(frontier: dict[str, str], stamp: str) -> bool:
    known = frontier.get(_member_of(stamp))
    return known is not None and known >= stamp


def received_frontier(change_set: BundleChangeSet) -> dict[str, str]:
    """Highest stamp per member in the change set."""
    best: dict[str, str] = {}
    for stamp in change_set.stamps():
        member = _member_of(stamp)
        if stamp > best.get(member, ""):
            best[member] = stamp
    return best


def check_drift(received: dict[str, str], name_of: Callable[[str], str], wall: Callable[[], int] = now_ms) -> None:
    """Refuse stamps further ahead of our wall clock than MAX_DRIFT_MS."""
    now = wall()
    for member, stamp in sorted(received.items(), key=lambda item: item[1], reverse=True):
        ahead = Stamp.parse(stamp).wall_ms - now
        if ahead > MAX_DRIFT_MS:
            minutes = ahead // 60_000
            span = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
            when = datetime.fromtimestamp((now + ahead - MAX_DRIFT_MS) / 1000, UTC)
            raise ClockDriftError(
                f"The bundle was refused: changes by {name_of(member)} are stamped {span} ahead of this "
                f"computer's clock (more than {MAX_DRIFT_MS // 60_000} minutes allowed). Check both clocks; "
                f"the bundle can be imported once this clock reaches "
                f"{when.strftime('%Y-%m-%d %H:%M')} UTC. Nothing was imported.",
                detail=f"member {member} ahead by {ahead} ms",
            )


# --- planning --------------------------------------------------------------------


def _reference_columns(codec: TableCodec) -> list[tuple[str, str | None]]:
    """(field, target table) for columns that point at other records.

    Foreign keys to an exchangeable table's uuid name their target; columns
    named ``*_uuid`` without a foreign key point at an unknown kind (None).
    """
    table: Table = codec.model.__table__
    found: list[tuple[str, str | None]] = []
    for name in (f.name for f in codec.fields):
        column = table.columns[name]
        targets = [fk.column.table.name for fk in column.foreign_keys if fk.column.key == "uuid"]
        if targets:
            found.append((name, targets[0]))
        elif name.endswith("_uuid"):
            found.append((name, None))
    return found


def _existing_uuids(session: Session, table: Table, uuids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(uuids):
        found.update(session.execute(select(table.c.uuid).where(table.c.uuid.in_(chunk))).scalars())
    return found


def _uuids_among(session: Session, table: Table, uuids: Sequence[str]) -> set[str]:
    """Which of `uuids` name a record of `table`: a small table is read whole and compared here, a
    large one is asked in chunks (every exchangeable table is asked about a whole bundle's ids, and
    forty tables each asked 100,000 ids took more time than the rest of the import)."""
    if not uuids:
        return set()
    rows = session.execute(select(func.count()).select_from(table)).scalar_one()
    if rows <= len(uuids):
        return set(session.execute(select(table.c.uuid)).scalars()) & set(uuids)
    return _existing_uuids(session, table, uuids)


def check_kinds_and_references(session: Session, change_set: BundleChangeSet, codecs: dict[str, TableCodec]) -> None:
    """Refuse a UUID that names another kind of record here, and dangling foreign keys."""
    incoming: dict[str, list[str]] = {name: [r.uuid for r in recs] for name, recs in change_set.tables.items()}
    for name, codec in codecs.items():
        table = codec.model.__table__
        others = [u for other, uuids in incoming.items() if other != name for u in uuids]
        clash = _uuids_among(session, table, others)
        if clash:
            uuid = min(clash)
            other = next(t for t, uuids in incoming.items() if uuid in set(uuids))
            raise refuse(
                f"table {other!r}, record {uuid}",
                f"the UUID already names a record of table {name!r} in this workspace",
            )
    for name, records in change_set.tables.items():
        for column, target in _reference_columns(codecs[name]):
            if target is None or target not in codecs:
                continue
            in_bundle = set(incoming.get(target, ()))
            wanted: set[str] = {str(v) for r in records if (v := r.values.get(column)) is not None} - in_bundle
            if not wanted:
                continue
            present = _uuids_among(session, codecs[target].model.__table__, sorted(wanted))
            missing = sorted(wanted - present)
            if missing:
                record = next(r.uuid for r in records if r.values.get(column) == missing[0])
                raise refuse(
                    f"table {name!r}, record {record}, field {column!r}",
                    f"refers to {target} {missing[0]}, which is neither in this workspace nor in the bundle",
                )


def _max_stamp(stamps: Iterable[str | None]) -> str:
    return max((s for s in stamps if s), default="")


def plan_merge(
    session: Session,
    change_set: BundleChangeSet,
    codecs: dict[str, TableCodec],
    *,
    me: str,
    my_seen: dict[str, str],
    sender_seen: dict[str, str],
) -> MergePlan:
    """Work out, without writing, what merging the change set would change."""
    plans: dict[str, TablePlan] = {}
    conflicts: list[Conflict] = []
    learned: list[tuple[str, str, str, list[str]]] = []
    for name, records in change_set.tables.items():
        codec = codecs[name]
        plan = TablePlan(name)
        plans[name] = plan
        table: Table = codec.model.__table__
        for chunk in chunks(records):
            rows = session.execute(select(table).where(table.c.uuid.in_([r.uuid for r in chunk])))
            local = {row.uuid: row._mapping for row in rows}
            known = knowledge.load(session, [r.uuid for r in chunk if r.uuid in local])
            for record in chunk:
                stored = local.get(record.uuid)
                if stored is None:
                    _plan_insert(plan, codec, record)
                    learned.extend(
                        (record.uuid, f, record.stamps[f], seen)
                        for f, seen in record.knowledge.items()
                        if seen and f in record.stamps
                    )
                else:
                    _plan_update(plan, codec, record, stored, conflicts, known, learned)
    merged = MergePlan(plans, conflicts, received_frontier(change_set), learned)
    merged.rule_checks = plan_rule_checks(session, merged, change_set, codecs)
    return merged


def _unit_conflict(
    table: str,
    uuid: str,
    unit: tuple[str, ...],
    encode: Callable[[str, Any], Any],
    losing: Any,
    losing_stamps: dict[str, str],
    winning: Any,
    winning_stamps: dict[str, str],
    unseen: list[str],
) -> Conflict:
    """The losing state of a unit: one field's value, or a whole group's values together."""
    if len(unit) == 1:
        name = unit[0]
        return Conflict(
            table,
            uuid,
            name,
            encode(name, losing[name]),
            losing_stamps[name],
            winning_stamps.get(name) or unit_key(winning_stamps, unit)[0],
            encode(name, winning[name]),
        )
    return Conflict(
        table,
        uuid,
        group_field(unit),
        {n: encode(n, losing[n]) for n in unit},
        unit_key(losing_stamps, unit)[0],
        unit_key(winning_stamps, unit)[0],
        {n: encode(n, winning[n]) for n in unit},
    )


def _plan_insert(plan: TablePlan, codec: TableCodec, record: IncomingRecord) -> None:
    row = dict(record.values)
    stamps = dict(record.stamps)
    if record.deleted_stamp:  # a tombstone for a record we never had: identity, deletion and links only
        empty = codec.model.empty_content()
        row.update(empty)
        stamps = {name: stamp for name, stamp in stamps.items() if name not in empty}
    row.update(
        uuid=record.uuid,
        origin_member=record.origin_member,
        field_stamps=stamps,
        deleted_stamp=record.deleted_stamp,
        updated_stamp=_max_stamp([*stamps.values(), record.deleted_stamp]),
    )
    plan.inserts.append(row)
    plan.created_ids.add(record.uuid)
    if record.deleted_stamp:
        plan.tally.deleted += 1
        plan.deleted_ids.add(record.uuid)
    else:
        plan.tally.new += 1


def unit_key(stamps: dict[str, str], unit: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """How new a side's state of a merge unit is: its newest stamp, then all its stamps (a total order).

    A grouped unit's state is always one writer's whole state, so the side with the newer
    newest write supplies every field: the join of two unit states is the higher key, which
    is commutative, associative and idempotent like a single field's maximum.
    """
    present = tuple(sorted((stamps[name] for name in unit if stamps.get(name)), reverse=True))
    return (present[0] if present else "", present)


def group_field(unit: tuple[str, ...]) -> str:
    """The conflict-log field of a group's losing state: "group:<first field>"."""
    return f"{GROUP_PREFIX}{unit[0]}"


def _plan_update(
    plan: TablePlan,
    codec: TableCodec,
    record: IncomingRecord,
    stored: Any,
    conflicts: list[Conflict],
    known: dict[tuple[str, str], tuple[str, list[str]]],
    learned: list[tuple[str, str, str, list[str]]],
) -> None:
    local_stamps: dict[str, str] = dict(stored["field_stamps"] or {})
    merged_stamps = dict(local_stamps)
    merged_values = {name: stored[name] for name in codec.by_name}
    stamps_changed = False
    value_changed = False
    before = len(conflicts)
    learned_before = len(learned)
    encode = codec.encode_value
    for unit in codec.model.merge_units():
        mine_key = unit_key(local_stamps, unit)
        remote_key = unit_key(record.stamps, unit)
        if remote_key == mine_key:
            continue  # the same write(s)
        differing = [name for name in unit if stored[name] != record.values[name]]
        if remote_key > mine_key:
            seen_all = [s for name in unit for s in record.knowledge.get(name, [])]
            incoming_knowledge = knowledge.vector([*seen_all, *remote_key[1]])
            for name in unit:
                remote = record.stamps.get(name)
                if remote is None:
                    merged_stamps.pop(name, None)
                else:
                    merged_stamps[name] = remote
                    if record.knowledge.get(name):
                        learned.append((record.uuid, name, remote, record.knowledge[name]))
                merged_values[name] = record.values[name]
            stamps_changed = True
            if differing:
                value_changed = True
                unseen = [
                    name
                    for name in differing
                    if local_stamps.get(name) and not knowledge.covers(incoming_knowledge, local_stamps[name])
                ]
                if unseen:
                    conflicts.append(
                        _unit_conflict(
                            plan.name,
                            record.uuid,
                            unit,
                            encode,
                            stored,
                            local_stamps,
                            record.values,
                            record.stamps,
                            unseen,
                        )
                    )
        elif differing:
            unseen = [
                name
                for name in differing
                if record.stamps.get(name)
                and not knowledge.covers(
                    knowledge.of_value(local_stamps[name], known.get((record.uuid, name)))
                    if local_stamps.get(name)
                    else {},
                    record.stamps[name],
                )
            ]
            if unseen:
                conflicts.append(
                    _unit_conflict(
                        plan.name, record.uuid, unit, encode, record.values, record.stamps, stored, local_stamps, unseen
                    )
                )
    local_deleted = stored["deleted_stamp"]
    deleted = max(local_deleted or "", record.deleted_stamp or "") or None
    became_deleted = local_deleted is None and deleted is not None
    if deleted is not None:
        # A tombstone holds no content: every unit's losing value is dropped, not logged,
        # and edits that raced the deletion are discarded, named (never quoted) in the log.
        del conflicts[before:]
        if local_deleted is None:  # deleted by this bundle: our later edits raced it
            raced = sorted(n for n, s in merged_stamps.items() if s > deleted and local_stamps.get(n) == s)
            against = deleted
        else:  # deleted here: the bundle's later edits raced it
            raced = sorted(
                n
                for n, s in record.stamps.items()
                if s > local_deleted and merged_stamps.get(n) == s and local_stamps.get(n) != s
            )
            against = local_deleted
        empty = codec.model.empty_content()
        raced = [n for n in raced if n in empty]
        if raced:
            conflicts.append(
                Conflict(
                    plan.name,
                    record.uuid,
                    DELETED_FIELD,
                    raced,
                    max(merged_stamps[n] for n in raced),
                    against,
                    None,
                )
            )
        for name, value in empty.items():
            merged_values[name] = value
            merged_stamps.pop(name, None)
        learned[learned_before:] = [entry for entry in learned[learned_before:] if entry[1] not in empty]
        value_changed = False
        stamps_changed = merged_stamps != local_stamps or deleted != local_deleted
        updated = _max_stamp([*merged_stamps.values(), deleted])
    else:
        updated = _max_stamp([stored["updated_stamp"], *merged_stamps.values()])
    plan.tally.conflicts += len(conflicts) - before
    if not stamps_changed:
        plan.tally.unchanged += 1
        return
    row = dict(merged_values)
    row.update(_uuid=record.uuid, field_stamps=merged_stamps, deleted_stamp=deleted, updated_stamp=updated)
    plan.updates.append(row)
    if became_deleted:
        plan.tally.deleted += 1
        plan.deleted_ids.add(record.uuid)
    elif value_changed and deleted is None:
        plan.tally.changed += 1
        plan.updated_ids.add(record.uuid)
    else:
        plan.tally.unchanged += 1  # only stamps (or a tombstone's links) moved


def plan_rule_checks(
    session: Session, plan: MergePlan, change_set: BundleChangeSet, codecs: dict[str, TableCodec]
) -> list[RuleCheck]:
    """Before writing: the live records a merge touches (or whose related records it touches)
    that keep their domain rules now. Records already breaking a rule are not the merge's doing."""
    checks = []
    for rule in MERGE_RULES.all():
        codec = codecs.get(rule.table)
        if codec is None:
            continue
        table_plan = plan.tables.get(rule.table)
        uuids = {row["_uuid"] for row in table_plan.updates} if table_plan else set()
        for child, column in rule.related.items():
            uuids.update(r.values.get(column) for r in change_set.tables.get(child, ()) if r.values.get(column))
        table: Table = codec.model.__table__
        for chunk in chunks(sorted(uuids)):
            for row in session.execute(select(table).where(table.c.uuid.in_(chunk))):
                values = row._mapping
                if values["deleted_stamp"] is None and not rule.broken(session, values["uuid"], values):  # type: ignore[arg-type]  # a RowMapping is a Mapping
                    checks.append(RuleCheck(rule.key, rule.table, values["uuid"], values["updated_stamp"]))
    return checks


def broken_rules(session: Session, plan: MergePlan, codecs: dict[str, TableCodec]) -> list[Conflict]:
    """After writing (same transaction): the records the merge left breaking a rule they kept.

    Never applied silently: each is a conflict for a person to settle.
    """
    found = []
    for check in plan.rule_checks:
        rule = MERGE_RULES.require(check.rule)
        table: Table = codecs[check.table].model.__table__
        row = session.execute(select(table).where(table.c.uuid == check.uuid)).first()
        if row is None or row._mapping["deleted_stamp"] is not None:
            continue
        reason = rule.broken(session, check.uuid, row._mapping)  # type: ignore[arg-type]  # a RowMapping is a Mapping
        if reason:
            found.append(
                Conflict(
                    check.table,
                    check.uuid,
                    f"{RULE_PREFIX}{rule.key}",
                    None,
                    check.before_stamp,
                    row._mapping["updated_stamp"],
                    reason,
                )
            )
    return found


# --- applying --------------------------------------------------------------------


def apply_plan(uow: UnitOfWork, plan: MergePlan, codecs: dict[str, TableCodec], *, bundle_id: str) -> str:
    """Write the plan in the unit of work's transaction; returns the import stamp."""
    session = uow.session
    session.flush()
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for name in codecs:  # parents first
        table_plan = plan.tables.get(name)
        if table_plan is None:
            continue
        table: Table = codecs[name].model.__table__
        for batch in chunks(table_plan.inserts):
            session.execute(insert(table), list(batch))
        if table_plan.updates:
            statement = update(table).where(table.c.uuid == bindparam("_uuid"))
            for batch in chunks(table_plan.updates):
                session.connection().execute(statement, list(batch))
        if table_plan.deleted_ids:  # what was logged of them before goes with their content
            forget_conflict_values(session, name, sorted(table_plan.deleted_ids))
        for target, ids in (
            (uow.changes.created, table_plan.created_ids),
            (uow.changes.updated, table_plan.updated_ids),
            (uow.changes.deleted, table_plan.deleted_ids),
        ):
            if ids:
                target[name] |= ids
    latest = max(plan.received.values(), default=None)
    if latest:
        uow.clock.observe(Stamp.parse(latest))
    import_stamp = str(uow.clock.tick())
    now = utc_timestamp()
    session.flush()
    for conflict in broken_rules(session, plan, codecs):
        plan.conflicts.append(conflict)
        plan.tables.setdefault(conflict.table, TablePlan(conflict.table)).tally.conflicts += 1
    if plan.conflicts:
        rows = [
            dict(
                table_name=c.table,
                record_uuid=c.uuid,
                field=c.field,
                losing_value=c.losing_value,
                losing_stamp=c.losing_stamp,
                winning_stamp=c.winning_stamp,
                winning_value=c.winning_value,
                bundle_id=bundle_id,
                recorded_at=now,
            )
            for c in plan.conflicts
        ]
        session.execute(insert(ConflictEntry.__table__).prefix_with("OR IGNORE"), rows)
    touched = [
        dict(uuid=u, table_name=name, import_stamp=import_stamp)
        for name, p in plan.tables.items()
        for u in (*p.created_ids, *(r["_uuid"] for r in p.updates))
    ]
    received = ReceivedChange.__table__
    upsert = sqlite_insert(received)
    upsert = upsert.on_conflict_do_update(
        index_elements=[received.c.uuid],
        set_={"import_stamp": upsert.excluded.import_stamp, "table_name": upsert.excluded.table_name},
    )
    for batch in chunks(touched):
        session.execute(upsert, list(batch))
    if plan.knowledge:
        table = FieldKnowledge.__table__
        upsert_known = sqlite_insert(table)
        upsert_known = upsert_known.on_conflict_do_update(
            index_elements=[table.c.uuid, table.c.field],
            set_={"stamp": upsert_known.excluded.stamp, "seen": upsert_known.excluded.seen},
        )
        for batch in chunks(plan.knowledge):
            session.execute(upsert_known, [dict(uuid=u, field=f, stamp=s, seen=seen) for u, f, s, seen in batch])
    update_seen(session, plan.received)
    return import_stamp


def update_seen(session: Session, received: dict[str, str]) -> None:
    if not received:
        return
    seen = SeenFrontier.__table__
    upsert = sqlite_insert(seen)
    upsert = upsert.on_conflict_do_update(
        index_elements=[seen.c.member_id],
        set_={"stamp": upsert.excluded.stamp},
        where=upsert.excluded.stamp > seen.c.stamp,
    )
    session.execute(upsert, [dict(member_id=m, stamp=s) for m, s in received.items()])


def seen_frontier(session: Session) -> dict[str, str]:
    return {row.member_id: row.stamp for row in session.execute(select(SeenFrontier.__table__))}

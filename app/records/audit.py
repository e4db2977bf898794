"""The hash-chained audit log: who changed which record, what, and when.

Each entry's hash covers who, when, the action, the table and record id, a digest
of its content (`summary` and `changes`) and the previous entry's hash, so editing
or deleting any past entry breaks the chain from that point on. `check` recomputes
the digest from the content, except for entries a purge redacted: their content
was replaced by a neutral text, and their stored digest stands for what they held.
A redacted entry must be accounted for: the purge entry it names comes after it,
records the number and ids of the entries it redacted (as a digest), and the record
it is about is a tombstone, live nowhere; otherwise `check` fails, so marking an
entry redacted does not hide an edit. Cutting off the
newest entries would leave a valid shorter chain, so the head (entry count and
newest hash) is also recorded in `workspace_meta`, in the same transaction as
every entry, and `check` compares the two.

The first entry chains from a genesis bound to the workspace (its id and
creation time), not from a constant, so a log cannot be emptied and restarted,
nor carried over from another workspace, and still look whole. Workspaces made
before that chain from zeros, accepted as the legacy genesis. Every workspace's
log starts with the entry recording its creation, so an empty log, a missing
head, or records that no audited change accounts for all fail `check`.

What the chain does not do: anyone holding the passphrase can open the database
and rewrite the log, the head and the genesis consistently; the chain catches
careless or partial tampering, not a determined holder of the key (see
docs/architecture.md, "The audit log").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import uk, utc_timestamp
from app.text import count_of
from db.base import exchangeable_models
from db.models.core import AuditEntry, WorkspaceMeta

#: The genesis of logs written before it was bound to the workspace (still accepted).
LEGACY_GENESIS_HASH = "0" * 64
HEAD_KEY = "audit_head"
#: workspace_meta keys the genesis is bound to; both are written when the workspace is created
GENESIS_KEYS = ("workspace_id", "created")
#: audit entries about the workspace itself (creation, passphrase change), not about any record
WORKSPACE_TABLE = "workspace"


def genesis_hash(workspace_id: str, created: str) -> str:
    """The hash the first entry of a workspace's log follows: fixed by the workspace's identity."""
    material = canonical_json(
        {"chain": "safeguarding-workbench-audit", "workspace_id": workspace_id, "created": created}
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def workspace_genesis(session: Session) -> str | None:
    """This workspace's genesis, or None when its identity is not recorded (a damaged or foreign store)."""
    rows = dict(
        session.execute(select(WorkspaceMeta.key, WorkspaceMeta.value).where(WorkspaceMeta.key.in_(GENESIS_KEYS))).all()
    )
    if not all(rows.get(key) for key in GENESIS_KEYS):
        return None
    return genesis_hash(rows["workspace_id"], rows["created"])


def head_value(count: int, entry_hash: str) -> str:
    return f"{count}:{entry_hash}"


def _parse_head(value: str) -> tuple[int, str]:
    count, _, entry_hash = value.partition(":")
    return (int(count), entry_hash) if count.isdigit() else (-1, "")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _entry_hash(prev_hash: str, fields: dict[str, str]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def content_digest(summary: str, changes: str) -> str:
    """What an entry's hash covers of its content: redacting the content leaves the digest, and the chain, whole."""
    return hashlib.sha256(canonical_json({"summary": summary, "changes": changes}).encode("utf-8")).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, str]:
    fields = {
        "at": entry.at,
        "member_id": entry.member_id,
        "member_name": entry.member_name,
        "action": entry.action,
        "table_name": entry.table_name,
        "record_id": entry.record_id,
    }
    if entry.content_digest:
        fields["content_digest"] = entry.content_digest
    else:  # an entry of a log kept in the old form (its chain did not verify when the digest came in)
        fields["summary"] = entry.summary
        fields["changes"] = entry.changes
    return fields


#: what a redacted entry's `changes` hold
REDACTED_CHANGES = canonical_json({})
#: the audit action of a purge; the entries it redacts name it in `redacted_by`
PURGE_ACTION = "purge"
#: the audit action of an import that emptied entries about records another member purged
#: (its purge notices came in the bundle); it accounts for them as a purge entry does
PURGE_NOTICE_ACTION = "purge_notice"


#: between the record ids of an entry about several records at once (a bulk due-date move)
MULTI_RECORD_SEPARATOR = ","


def record_ids(record_id: str) -> list[str]:
    """The records an entry is about: one, or several joined by the separator."""
    return record_id.split(MULTI_RECORD_SEPARATOR)


def redacted_summary(rule_key: str, day: date) -> str:
    """The text that replaces the summary of an entry about a purged record: the rule and the purge's day."""
    return f"Content purged under retention rule {rule_key} on {uk(day)}"


def redacted_ids_digest(ids: Iterable[int]) -> str:
    """The digest a purge entry records of the ids of the entries it redacted."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode("ascii")).hexdigest()


class AuditLog:
    """Appends entries within the caller's transaction, keeping the chain head in memory."""

    def __init__(self, session: Session, member_id: str, member_name: str) -> None:
        self._session = session
        self._member_id = member_id
        self._member_name = member_name
        self._head: str | None = None
        self._count = 0
        self._recorded: WorkspaceMeta | None = None

    def _current_head(self) -> str:
        if self._head is None:
            last = self._session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
            self._head = last or workspace_genesis(self._session) or LEGACY_GENESIS_HASH
            self._count = self._session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        return self._head

    def append(
        self, action: str, table_name: str, record_id: str, summary: str, changes: dict[str, Any] | None = None
    ) -> AuditEntry:
        entry = AuditEntry(
            at=utc_timestamp("milliseconds"),
            member_id=self._member_id,
            member_name=self._member_name,
            action=action,
            table_name=table_name,
            record_id=record_id,
            summary=summary,
            changes=canonical_json(changes or {}),
            prev_hash=self._current_head(),
        )
        entry.content_digest = content_digest(entry.summary, entry.changes)
        entry.entry_hash = _entry_hash(entry.prev_hash, _hashed_fields(entry))
        self._head = entry.entry_hash
        self._count += 1
        self._session.add(entry)
        self._record_head()
        return entry

    def _record_head(self) -> None:
        value = head_value(self._count, self._current_head())
        if self._recorded is None:
            self._recorded = self._session.get(WorkspaceMeta, HEAD_KEY)
            if self._recorded is None:
                self._recorded = WorkspaceMeta(key=HEAD_KEY, value=value)
                self._session.add(self._recorded)
        self._recorded.value = value


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class _Redacted:
    id: int
    record_id: str
    summary: str
    changes: str
    redacted_by: int


def verify_chain(session: Session) -> ChainReport:
    problems: list[str] = []
    genesis = workspace_genesis(session)
    expected_prev = ""
    count = 0
    digested = False
    redacted: list[_Redacted] = []
    purges: dict[int, tuple[str, str]] = {}  # id -> (action, changes) of each purge or purge notice entry
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
        count += 1
        if count == 1:
            if entry.prev_hash not in (genesis, LEGACY_GENESIS_HASH):
                problems.append(
                    f"audit entry {entry.id}: the audit log does not start at this workspace's creation "
                    "(its first entries were removed, or it was taken from another workspace)"
                )
        elif entry.prev_hash != expected_prev:
            problems.append(
                f"audit entry {entry.id}: does not follow the previous entry "
                "(an entry before it was changed or removed)"
            )
        changed = _entry_hash(entry.prev_hash, _hashed_fields(entry)) != entry.entry_hash
        if entry.content_digest:
            digested = True
            if entry.redacted_by is not None:
                redacted.append(_Redacted(entry.id, entry.record_id, entry.summary, entry.changes, entry.redacted_by))
            elif content_digest(entry.summary, entry.changes) != entry.content_digest:
                changed = True
        elif digested or entry.redacted_by is not None:
            changed = True  # the old form only ever precedes the digest, and is never redacted
        if changed:
            problems.append(f"audit entry {entry.id}: its content was changed after it was written")
        if entry.action in (PURGE_ACTION, PURGE_NOTICE_ACTION):
            purges[entry.id] = (entry.action, entry.changes)
        expected_prev = entry.entry_hash
        if len(problems) >= 20:
            problems.append("further problems not listed")
            return ChainReport(count, problems)
    if count == 0:
        problems.append(
            "the audit log is empty: even the entry recording the workspace's creation is gone (it was emptied)"
        )
    problems.extend(_redaction_problems(session, redacted, purges))
    problems.extend(_head_problems(session, count, expected_prev))
    problems.extend(_record_problems(session))
    return ChainReport(count, problems)


def _redaction_problems(session: Session, redacted: list[_Redacted], purges: dict[int, tuple[str, str]]) -> list[str]:
    """Each redacted entry is accounted for by a later purge (or purge notice), and is about a record
    that was purged.

    The purge entry (itself hashed over its content) records how many entries it redacted and a
    digest of their ids, so marking one more entry redacted, or unmarking one, changes that set.
    """
    problems: list[str] = []
    by_purge: dict[int, list[_Redacted]] = {}
    for entry in redacted:
        purge = _purge_record(purges.get(entry.redacted_by)) if entry.redacted_by > entry.id else None
        if purge is None:
            problems.append(
                f"audit entry {entry.id}: marked as emptied by a purge, but no later purge entry accounts for it"
            )
            continue
        if entry.changes != REDACTED_CHANGES or entry.summary not in purge[0]:
            problems.append(f"audit entry {entry.id}: its content was changed after it was written")
        by_purge.setdefault(entry.redacted_by, []).append(entry)
    for purge_id, written in purges.items():
        purge = _purge_record(written)
        entries = by_purge.get(purge_id, [])
        if purge is None:
            continue  # a purge written before purges redacted anything: it accounts for no entry
        if (len(entries), redacted_ids_digest(e.id for e in entries)) != (purge[1], purge[2]):
            problems.append(
                f"audit entry {purge_id}: the purge emptied {count_of(purge[1], 'audit entry')}, "
                f"but {len(entries)} are marked as emptied by it (entries were marked or unmarked afterwards)"
            )
    live, tombstones = _record_states(session, {u for e in redacted for u in record_ids(e.record_id)})
    for entry in redacted:
        ids = record_ids(entry.record_id)
        if len(ids) > 1:  # about several records: emptied when one of them was purged
            if not tombstones.intersection(ids):
                problems.append(
                    f"audit entry {entry.id}: marked as emptied by a purge, but none of its records was purged"
                )
        elif entry.record_id in live or entry.record_id not in tombstones:
            problems.append(
                f"audit entry {entry.id}: marked as emptied by a purge, but its record was not purged "
                f"({'it is live' if entry.record_id in live else 'no such record'})"
            )
    return problems[:20]


def _purge_record(written: tuple[str, str] | None) -> tuple[set[str], int, str] | None:
    """(the summaries its emptied entries may hold, entries redacted, digest of their ids) from a purge
    or purge notice entry's (action, changes); None if it records none.

    A purge's entries say its rules and its day; a purge notice's say the rule and day of the
    purge (by another member) each record went under."""
    if written is None:
        return None
    action, changes = written
    try:
        value = json.loads(changes)
        audit = value["audit"]
        if action == PURGE_NOTICE_ACTION:
            summaries = {redacted_summary(str(p["rule"]), date.fromisoformat(p["on"])) for p in value["purges"]}
        else:
            day = date.fromisoformat(value["today"])
            summaries = {redacted_summary(r, day) for r in value["rules"]}
        return summaries, int(audit["redacted"]), str(audit["digest"])
    except (ValueError, KeyError, TypeError):
        return None


def _record_states(session: Session, uuids: set[str]) -> tuple[set[str], set[str]]:
    """(live, tombstones) among `uuids`, across every record table."""
    live: set[str] = set()
    tombstones: set[str] = set()
    wanted = sorted(uuids)
    for model in exchangeable_models():
        for start in range(0, len(wanted), 900):
            for uuid, deleted in session.execute(
                select(model.uuid, model.deleted_stamp).where(model.uuid.in_(wanted[start : start + 900]))
            ):
                (tombstones if deleted else live).add(uuid)
    return live, tombstones


def _head_problems(session: Session, count: int, newest_hash: str) -> list[str]:
    """The newest entries removed leave a valid chain: only the recorded head shows it."""
    recorded = session.get(WorkspaceMeta, HEAD_KEY)
    if recorded is None:
        return ["the audit log's recorded head is missing (it was removed)"]
    recorded_count, recorded_hash = _parse_head(recorded.value)
    if recorded_count != count:
        return [
            f"the audit log holds {count} entries but {recorded_count} were recorded "
            "(the newest entries were removed or added outside the application)"
        ]
    if recorded_hash != newest_hash:
        return ["the newest audit entry is not the one recorded (it was replaced)"]
    return []


def _record_problems(session: Session) -> list[str]:
    """Records carry change stamps, and every change that made them was audited (directly or in the
    summary entry of an import, a merge or a demo): records with no audited change at all mean the
    log's entries about them were removed, even if the chain and head were rebuilt to match."""
    stamped = sum(
        session.scalar(select(func.count()).select_from(model).where(model.updated_stamp.is_not(None))) or 0
        for model in exchangeable_models()  # every record type registered by now (the areas' models)
    )
    if not stamped:
        return []
    audited = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name != WORKSPACE_TABLE)
    )
    if audited:
        return []
    return [
        f"the workspace holds {count_of(stamped, 'record')} with change stamps but its audit log records no change "
        "to any record (the entries about them were removed)"
    ]


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One line of the audit log as the overview lists it."""

    id: int
    at: str
    member_name: str
    action: str
    table_name: str
    summary: str


def recent_audit(session: Session, limit: int = 1000) -> list[AuditRow]:
    """Newest first. Columns only (no ORM objects): the log can be long."""
    query = (
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.member_name,
            AuditEntry.action,
            AuditEntry.table_name,
            AuditEntry.summary,
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [AuditRow(*row) for row in session.execute(query)]

"""Another member's purge reaches this member's audit log (docs/merge.md, "Tombstones and purge").

A purge writes `purge_notice` records next to its tombstones (app/records/purge.py): which
records, by table, under which retention rule, on which day. They travel like any record, so
they reach every member, through a coordinator too. On import, in the import's one transaction
and after the merge, every noticed record that is a **tombstone here** has this member's audit
entries about it emptied exactly as the purge empties the purging member's
(`app.records.purge.entries_to_empty` / `empty_entries`): who, when, the action, the table and
the record id stay; the summary becomes "Content purged under retention rule RULE on DATE" (the
purge's rule and day) and the changes `{}`. One `purge_notice` audit entry accounts for them:
the sending member, each purge (member, rule, day, records here by kind), how many entries were
emptied and a digest of their ids, never content; `check` verifies it as it verifies a purge.

A noticed record that is live here (never deleted here: the tombstone has not arrived, or the
notice names a record it should not) is left alone, and so is one this workspace never had.
Emptying is idempotent: entries already emptied are not found again, and an import that empties
nothing writes no entry.

`check_notices` runs before anything is written: a malformed notice refuses the whole bundle
with one message, like any other bundle error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from app.clock import uk
from app.exchange.changeset import UUID_RE, BundleChangeSet, refuse
from app.records import UnitOfWork
from app.records.audit import PURGE_NOTICE_ACTION, redacted_summary
from app.records.purge import NOTICE_CHUNK, counts_text, empty_entries, entries_to_empty
from app.text import count_of
from db.base import exchangeable_models
from db.models.core import PurgeNotice

NOTICE_TABLE = PurgeNotice.__tablename__
#: a retention rule's key as RETENTION_RULES spells them ("case-review", "section11-cycle")
_RULE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}\Z")


def check_notices(change_set: BundleChangeSet) -> None:
    """Refuse the bundle (nothing written) if a purge notice in it is malformed."""
    kinds = {model.__tablename__ for model in exchangeable_models()} - {NOTICE_TABLE}
    carried = {record.uuid: name for name, records in change_set.tables.items() for record in records}
    for notice in change_set.tables.get(NOTICE_TABLE, ()):
        if notice.deleted_stamp is not None:
            continue  # a deleted notice holds nothing and notices nothing
        where = f"table {NOTICE_TABLE!r}, record {notice.uuid}"
        values = notice.values
        if not _RULE_KEY.fullmatch(values["rule"]):
            raise refuse(f"{where}, field 'rule'", "not the key of a retention rule")
        if values["purged_on"] == date.min:
            raise refuse(f"{where}, field 'purged_on'", "no day of purging")
        table = values["table_name"]
        if table not in kinds:
            raise refuse(f"{where}, field 'table_name'", f"{str(table)[:64]!r} is no kind of record exchanged here")
        uuids = values["records"]
        if not isinstance(uuids, list) or not 1 <= len(uuids) <= NOTICE_CHUNK:
            raise refuse(f"{where}, field 'records'", f"expected a list of 1 to {NOTICE_CHUNK} record ids")
        if not all(isinstance(u, str) and UUID_RE.fullmatch(u) for u in uuids):
            raise refuse(f"{where}, field 'records'", "a record id is not a UUID")
        if len(set(uuids)) != len(uuids):
            raise refuse(f"{where}, field 'records'", "a record id is listed twice")
        other = next((carried[u] for u in uuids if carried.get(u, table) != table), None)
        if other is not None:
            raise refuse(f"{where}, field 'records'", f"names a record of table {other!r} as one of {table!r}")


def apply_notices(
    uow: UnitOfWork,
    change_set: BundleChangeSet,
    *,
    bundle_id: str,
    sender_name: str,
    sender_member: str | None,
    name_of: Callable[[str], str],
) -> int:
    """After the merge (same transaction): empty this member's audit entries about the noticed
    records that are tombstones here, and account for them in one entry. Returns how many."""
    notices = [n for n in change_set.tables.get(NOTICE_TABLE, ()) if n.deleted_stamp is None]
    if not notices:
        return 0
    # each record under one purge: the earliest (day, rule, member) noticing it, whatever the order
    noticed: dict[str, tuple[date, str, str, str]] = {}
    for notice in notices:
        purge = (notice.values["purged_on"], notice.values["rule"], notice.origin_member)
        for uuid in notice.values["records"]:
            if uuid not in noticed or purge < noticed[uuid][:3]:
                noticed[uuid] = (*purge, notice.values["table_name"])
    by_table: dict[str, list[str]] = {}
    for uuid, (_day, _rule, _member, table) in noticed.items():
        by_table.setdefault(table, []).append(uuid)
    models = {model.__tablename__: model for model in exchangeable_models()}
    session = uow.session
    gone: list[str] = []
    for table, uuids in by_table.items():
        model = models[table]
        ordered = sorted(uuids)
        for start in range(0, len(ordered), 900):
            gone.extend(
                session.scalars(
                    select(model.uuid).where(
                        model.uuid.in_(ordered[start : start + 900]), model.deleted_stamp.is_not(None)
                    )
                )
            )
    by_key: dict[tuple[str, date], list[str]] = {}  # (rule, day): what the emptied summaries say
    purges: dict[tuple[str, str, date], dict[str, int]] = {}  # (member, rule, day) -> table -> records here
    order = {name: index for index, name in enumerate(models)}  # parents first, as counts read
    for uuid in sorted(gone, key=lambda u: (order[noticed[u][3]], u)):
        day, rule, member, table = noticed[uuid]
        by_key.setdefault((rule, day), []).append(uuid)
        counts = purges.setdefault((member, rule, day), {})
        counts[table] = counts.get(table, 0) + 1
    emptying = entries_to_empty(session, by_key)
    if not emptying.redacted:
        return 0
    said = "; ".join(
        f"{name_of(member)} purged {counts_text(tables)} under retention rule {rule} on {uk(day)}"
        for (member, rule, day), tables in purges.items()
    )
    summary = (
        f"Purge notice in the bundle from {sender_name}: {said}; "
        f"the content of {count_of(emptying.redacted, 'audit entry')} here about them was emptied"
    )
    audit: dict[str, Any] = {"redacted": emptying.redacted, "digest": emptying.digest}
    if emptying.kept:
        audit["kept"] = emptying.kept
        summary += f" ({count_of(emptying.kept, 'older entry', 'older entries')} kept: the log was not upgraded)"
    entry = uow.audit.append(
        PURGE_NOTICE_ACTION,
        "retention",
        bundle_id,
        summary,
        {
            "bundle": bundle_id,
            "from": {"member": sender_member, "name": sender_name},
            "purges": [
                {"member": member, "rule": rule, "on": day.isoformat(), "records": tables}
                for (member, rule, day), tables in purges.items()
            ],
            "audit": audit,
        },
    )
    session.flush()  # the entry's id, which the emptied entries name
    empty_entries(session, emptying, entry.id, lambda key: redacted_summary(*key))
    return emptying.redacted

"""Per-field knowledge: which earlier values a value's writer had seen (exact conflict detection).

A value of a field carries its knowledge: for each member, the highest stamp
of that member's values of the same field its writer had seen (the value it
overwrote and, transitively, what that one's writer had seen). A member's own
earlier values are superseded knowingly, so one stamp per member is enough. A
losing value was seen by the winner's writer iff the winner's knowledge holds a
stamp of the loser's member at least as high; otherwise the two were
concurrent and the loser is logged. docs/merge.md has the argument.

Local edits record knowledge here, by listening to flushes: when a field's
stamp changes, the new value's knowledge is the old value's knowledge plus the
old stamp. It lives with the units of work, which import it (so registering the
listener) because it is part of every local write, as the stamps are: a
workspace that wrote without it would later log its member's own sequential
edits as conflicts. Imports record knowledge in app.exchange.merge, which also
judges conflicts with `covers`. Missing knowledge only ever means "saw
nothing", which can log a sequential edit as a conflict but never hides a
concurrent one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from db.base import Exchangeable
from db.models.exchange import FieldKnowledge

#: a sender may not claim knowledge of more members than this per field
MAX_SEEN = 256

Knowledge = dict[str, str]  # member id -> highest stamp seen


def member_of(stamp: str) -> str:
    return stamp[-32:]


def vector(stamps: Iterable[str]) -> Knowledge:
    out: Knowledge = {}
    for stamp in stamps:
        member = member_of(stamp)
        if stamp > out.get(member, ""):
            out[member] = stamp
    return out


def of_value(stamp: str, stored: tuple[str, list[str]] | None) -> Knowledge:
    """The knowledge of the value with `stamp`, from a stored row (stale rows are ignored)."""
    seen = stored[1] if stored is not None and stored[0] == stamp else []
    return vector([*seen, stamp])


def covers(knowledge: Knowledge, stamp: str) -> bool:
    """Whether a writer with this knowledge had seen the value with `stamp`."""
    return knowledge.get(member_of(stamp), "") >= stamp


def travelling(knowledge: Knowledge, own: str) -> list[str]:
    """What a bundle carries for a value: its knowledge minus its own stamp, sorted."""
    return sorted(s for s in knowledge.values() if s != own)


def load(session: Session, uuids: list[str]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    table = FieldKnowledge.__table__
    out: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for start in range(0, len(uuids), 900):
        chunk = uuids[start : start + 900]
        for row in session.execute(select(table).where(table.c.uuid.in_(chunk))):
            out[(row.uuid, row.field)] = (row.stamp, list(row.seen or []))
    return out


def load_all(session: Session) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """Every stored row (few: only values whose writer had seen another value)."""
    return {
        (row.uuid, row.field): (row.stamp, list(row.seen or []))
        for row in session.execute(select(FieldKnowledge.__table__))
    }


@event.listens_for(Session, "before_flush")
def _remember_what_local_edits_overwrote(session: Session, _context: Any, _instances: Any) -> None:
    for record in list(session.dirty):
        if not isinstance(record, Exchangeable):
            continue
        history = inspect(record).attrs.field_stamps.history
        if not history.deleted:
            continue
        old: dict[str, str] = history.deleted[0] or {}
        new: dict[str, str] = record.field_stamps or {}
        for name, stamp in new.items():
            before = old.get(name)
            if not before or before == stamp:
                continue
            with session.no_autoflush:
                row = session.get(FieldKnowledge, (record.uuid, name))
                known = of_value(before, (row.stamp, list(row.seen)) if row is not None else None)
                seen = travelling({**known, member_of(stamp): max(stamp, known.get(member_of(stamp), ""))}, stamp)
                if row is None:
                    session.add(FieldKnowledge(uuid=record.uuid, field=name, stamp=stamp, seen=seen))
                else:
                    row.stamp, row.seen = stamp, seen

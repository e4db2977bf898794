"""Records and fields named as users know them ("Action ACT-0061", "Evidence of impact").

Areas register a `RecordNaming` per table in `app/<area>/contributions.py`; a
table without one still gets a readable name from its reference, name or title
and field labels made from the column names. Never a table name or UUID on
screen where a reference exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.contributions import RECORD_NAMING, RecordNaming
from app.text import plural_of

_NAME_ATTRIBUTES = ("reference", "name", "title", "filename", "real_text")


def _fallback(table: str) -> RecordNaming:
    def name(_session: Session, record: Any) -> str:
        for attribute in _NAME_ATTRIBUTES:
            value = getattr(record, attribute, None)
            if value:
                return str(value)
        return f"(record {str(getattr(record, 'uuid', ''))[:8]})"

    return RecordNaming(table, table.replace("_", " ").capitalize(), name)


def register_kinds(table_kinds: dict[str, str], *, not_counted: tuple[str, ...] = ()) -> None:
    """Register namings for tables whose records are named by their reference, name or title: only
    the kind of record in users' words ("Section 11 cycle"), for counts, the audit log and conflicts."""
    RECORD_NAMING.register_all(
        RecordNaming(table, kind, _fallback(table).name, counted=table not in not_counted)
        for table, kind in table_kinds.items()
    )


def naming_for(table: str) -> RecordNaming:
    return RECORD_NAMING.get(table) or _fallback(table)


def record_title(session: Session, table: str, record: Any | None) -> str:
    """ "Action ACT-0061" (or "Action (no longer in this workspace)")."""
    naming = naming_for(table)
    if record is None:
        return f"{naming.kind} (no longer in this workspace)"
    try:
        name = naming.name(session, record)
    except Exception:  # a naming function must never hide the conflict itself
        name = _fallback(table).name(session, record)
    return f"{naming.kind} {name}"


def shown_fields(table: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """A group's fields a user knows: derived ones (a sort key) left out."""
    derived = naming_for(table).derived
    return tuple(f for f in fields if f not in derived) or fields


def field_title(table: str, field: str, fields: tuple[str, ...] = ()) -> str:
    """A field's label, or a group's ("Status, evidence and closure approval")."""
    naming = naming_for(table)
    if fields:
        return naming.groups.get(fields[0]) or ", ".join(naming.field_label(f) for f in fields)
    return naming.field_label(field)


def value_text(table: str, field: str, value: Any) -> str:
    """A stored (bundle-encoded) value as the forms show it."""
    naming = naming_for(table)
    if value is None or value == "":
        return "(empty)"
    if field in naming.formats:
        try:
            return naming.formats[field](value)
        except Exception:  # a format must never hide the conflict itself
            return str(value)
    labels = naming.values.get(field, {})
    if isinstance(value, str) and value in labels:
        return labels[value]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # ISO date to the UK form
    return str(value)


def kind_plural(table: str) -> str:
    """A kind of record as users call it, plural: "Actions", "Chronology entries", "People in a review"."""
    kind = naming_for(table).kind
    head, joint, tail = kind.partition(" in ")  # "Person in a review": the person is what is counted
    return plural_of(head) + joint + tail


def counted(table: str) -> bool:
    """Whether users count this kind of record (links between records are not things they count)."""
    return naming_for(table).counted

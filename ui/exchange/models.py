"""Read-only table models of the Exchange area (contacts, bundle history, conflicts), declared on the
shared column model (ui/kit/table_model.py)."""

from __future__ import annotations

from typing import Any

from ui.kit.dates import uk_local_time
from ui.kit.table_model import ColumnTableModel, TableColumn

RESOLUTIONS = {"restored": "Replaced value restored", "kept": "Value in use kept"}


class ContactsModel(ColumnTableModel[Any]):
    columns = (
        TableColumn("Name", lambda c: c.display_name),
        TableColumn("Role", lambda c: c.role),
        TableColumn("Agency", lambda c: c.agency),
        TableColumn("Status", lambda c: c.status),
        TableColumn("Fingerprint", lambda c: c.fingerprint),
    )


class HistoryModel(ColumnTableModel[Any]):
    columns = (
        TableColumn("When", lambda h: uk_local_time(h.applied_at), sort=lambda h: h.applied_at),
        TableColumn("Direction", lambda h: h.direction),
        TableColumn("With", lambda h: h.peers),
        TableColumn("Scope", lambda h: h.scope),
        TableColumn("Records", lambda h: h.records_text, sort=lambda h: h.total),
        TableColumn("Bundle id", lambda h: h.bundle_id),
    )


class ConflictsModel(ColumnTableModel[Any]):
    """Records and fields as users know them; which value is in use and which was replaced."""

    columns = (
        TableColumn("Record", lambda c: c.record_title),
        TableColumn("Field", lambda c: c.field_title),
        TableColumn("Value in use now", lambda c: c.current_text),
        TableColumn("Entered by", lambda c: c.winning_by),
        TableColumn("Replaced value (kept here)", lambda c: c.losing_text),
        TableColumn("Replaced value by", lambda c: c.losing_by),
        TableColumn("Recorded", lambda c: uk_local_time(c.recorded_at, seconds=False), sort=lambda c: c.recorded_at),
        TableColumn("Status", lambda c: c.resolved_text or RESOLUTIONS.get(c.resolution or "", "To decide")),
    )

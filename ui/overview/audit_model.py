"""Table model of the audit log (newest first); record types named as users know them."""

from __future__ import annotations

from app.records.audit import AuditRow
from app.records.naming import naming_for
from ui.kit.dates import uk_local_time
from ui.kit.table_model import ColumnTableModel, TableColumn


class AuditTableModel(ColumnTableModel[AuditRow]):
    columns = (
        TableColumn("When", lambda r: uk_local_time(r.at), sort=lambda r: r.at),
        TableColumn("Who", lambda r: r.member_name),
        TableColumn("Action", lambda r: r.action),
        TableColumn("Record type", lambda r: naming_for(r.table_name).kind),
        TableColumn("Summary", lambda r: r.summary),
    )


COLUMNS = tuple(column.heading for column in AuditTableModel.columns)

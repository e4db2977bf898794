"""Times in the audit log and the exchange history read as UK users write them and sort as times."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.records.audit import AuditRow
from ui.kit.dates import uk_local_time
from ui.overview.audit_model import AuditTableModel


def test_a_stored_utc_time_reads_day_first_and_sorts_by_the_moment() -> None:
    assert uk_local_time("") == ""
    assert uk_local_time("not a time") == "not a time"  # shown as stored rather than lost
    model = AuditTableModel()
    model.set_rows(
        [
            AuditRow(1, "2025-12-31T23:59:00+00:00", "Sam", "update", "action", "old year"),
            AuditRow(2, "2026-01-02T09:00:00+00:00", "Sam", "update", "action", "new year"),
            AuditRow(3, "2026-01-01T09:00:00+00:00", "Sam", "update", "action", "new year's day"),
        ]
    )
    assert model.headerData(0, Qt.Orientation.Horizontal) == "When"
    assert all(model.cell_text(r, 0)[2] == "/" and model.cell_text(r, 0)[5] == "/" for r in range(3))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [row.summary for row in model.rows] == ["new year", "new year's day", "old year"]

"""Table model of the audit log (newest first)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.records.audit import AuditRow
from app.records.naming import naming_for


def _exchangeable() -> set[str]:
    from db.base import exchangeable_models
    return {m.__tablename__ for m in exchangeable_models()}  # type: ignore[attr-defined]

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("When (UTC)", "Who", "Action", "Record type", "Summary")


class AuditTableModel(QAbstractTableModel):
    def __init__(self, rows: list[AuditRow] | None = None) -> None:
        super().__init__()
        self._rows: list[AuditRow] = rows or []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        values = (row.at.replace("T", " ")[:19], row.member_name, row.action,
                  naming_for(row.table_name).kind if row.table_name in _exchangeable() else
                  row.table_name.replace("_", " ").capitalize(), row.summary)
        return values[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

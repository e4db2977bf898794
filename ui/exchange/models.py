"""Read-only table models of the Exchange area (contacts, bundle history, conflicts)."""
from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]


def shown(value: Any) -> str:
    """A stored value as one line of text for a table cell."""
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class RowsModel(QAbstractTableModel):
    """Rows of plain objects, one column per (header, getter)."""

    columns: tuple[Column, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.columns[index.column()][1](self._rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None


class ContactsModel(RowsModel):
    columns = (("Name", lambda c: c.display_name), ("Role", lambda c: c.role), ("Agency", lambda c: c.agency),
               ("Status", lambda c: c.status), ("Fingerprint", lambda c: c.fingerprint))


class HistoryModel(RowsModel):
    columns = (("When (UTC)", lambda h: h.applied_at.replace("T", " ")[:19]), ("Direction", lambda h: h.direction),
               ("With", lambda h: h.peers), ("Scope", lambda h: h.scope), ("Records", lambda h: str(h.total)),
               ("Bundle id", lambda h: h.bundle_id))


class ConflictsModel(RowsModel):
    columns = (("Recorded (UTC)", lambda c: c.recorded_at.replace("T", " ")[:19]),
               ("Record type", lambda c: c.table.replace("_", " ")),
               ("Field", lambda c: "deleted while edited" if c.field == "__deleted__" else c.field),
               ("Kept value (lost)", lambda c: shown(c.losing_value)), ("By", lambda c: c.losing_by),
               ("Current value", lambda c: shown(c.current_value)), ("By", lambda c: c.winning_by),
               ("Status", lambda c: c.resolution or "unresolved"))

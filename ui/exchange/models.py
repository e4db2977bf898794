"""Read-only table models of the Exchange area (contacts, bundle history, conflicts)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

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

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.columns[index.column()][1](self._rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None


class ContactsModel(RowsModel):
    columns = (
        ("Name", lambda c: c.display_name),
        ("Role", lambda c: c.role),
        ("Agency", lambda c: c.agency),
        ("Status", lambda c: c.status),
        ("Fingerprint", lambda c: c.fingerprint),
    )


class HistoryModel(RowsModel):
    columns = (
        ("When (UTC)", lambda h: h.applied_at.replace("T", " ")[:19]),
        ("Direction", lambda h: h.direction),
        ("With", lambda h: h.peers),
        ("Scope", lambda h: h.scope),
        ("Records", lambda h: str(h.total)),
        ("Bundle id", lambda h: h.bundle_id),
    )


class ConflictsModel(RowsModel):
    """Records and fields as users know them; which value is in use and which was replaced."""

    columns = (
        ("Record", lambda c: c.record_title),
        ("Field", lambda c: c.field_title),
        ("Value in use now", lambda c: c.current_text),
        ("Entered by", lambda c: c.winning_by),
        ("Replaced value (kept here)", lambda c: c.losing_text),
        ("Replaced value by", lambda c: c.losing_by),
        ("Recorded (UTC)", lambda c: c.recorded_at.replace("T", " ")[:16]),
        (
            "Status",
            lambda c: {"restored": "Replaced value restored", "kept": "Value in use kept"}.get(
                c.resolution or "", "To decide"
            ),
        ),
    )

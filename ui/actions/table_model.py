"""The tracker table: one row per action, RAG as a coloured cell that also says its colour in words.

This model holds every action in reference order. Sort keys are computed once
per load, column by column, so the tracker view (ui.actions.tracker_view) sorts
10,000 actions with one Python list sort instead of a Qt comparison per pair.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.actions.dates import uk
from app.actions.queries import ActionRow
from app.actions.rag import Rag

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Reference", "Source", "Action", "Owner", "Lead officer", "Due", "Status", "RAG", "Latest progress")
RAG_COLUMN = COLUMNS.index("RAG")
SOURCE_COLUMN = COLUMNS.index("Source")
#: role holding a value that sorts correctly (dates as ISO text, RAG by urgency)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RAG_URGENCY = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3, Rag.GREY: 4}


def _display(row: ActionRow) -> tuple[str, ...]:
    progress = f"{uk(row.last_progress_on)}: {row.last_progress}" if row.last_progress else ""
    return (row.reference, row.source_display, row.title, row.agency, row.lead_officer, uk(row.due),
            row.status_label, row.rag_text, progress)


def _sort_keys(row: ActionRow) -> tuple[Any, ...]:
    return (row.reference, (row.source_kind_label, row.source_label), row.title.casefold(), row.agency.casefold(),
            row.lead_officer.casefold(), row.due.isoformat(), row.status_label, RAG_URGENCY[row.rag],
            row.last_progress_on.isoformat() if row.last_progress_on else "")


class ActionTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ActionRow] = []
        self._display: list[tuple[str, ...]] = []
        self._sort: list[tuple[Any, ...]] = []
        self._sort_columns: list[list[Any]] = [[] for _ in COLUMNS]
        self._brushes = {rag: QBrush(QColor(rag.colour)) for rag in Rag}

    def set_rows(self, rows: list[ActionRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._display = [_display(r) for r in rows]
        self._sort = [_sort_keys(r) for r in rows]
        self._sort_columns = [list(column) for column in zip(*self._sort)] if rows else [[] for _ in COLUMNS]
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> ActionRow:
        return self._rows[row]

    def rows(self) -> list[ActionRow]:
        return list(self._rows)

    def all_rows(self) -> list[ActionRow]:
        """The model's own list (not a copy): for views that filter and sort it; do not modify."""
        return self._rows

    def sort_key(self, row: int, column: int) -> Any:
        return self._sort[row][column]

    def sort_keys(self, column: int) -> list[Any]:
        """Every row's key for one column, computed at load: `keys.__getitem__` sorts row numbers."""
        return self._sort_columns[column]

    def row_of(self, uuid: str) -> int:
        for number, row in enumerate(self._rows):
            if row.uuid == uuid:
                return number
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            action = self._rows[row]
            if column == RAG_COLUMN and action.overridden:
                return f"Override: {action.override_reason}"
            return self._display[row][column]
        if role == Qt.ItemDataRole.BackgroundRole and column == RAG_COLUMN:
            return self._brushes[self._rows[row].rag]
        if role == Qt.ItemDataRole.ForegroundRole and column == RAG_COLUMN:
            return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self._display[row][column]}"
        if role == SORT_ROLE:
            return self._sort[row][column]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

"""What the tracker table shows: filtered, sorted and (optionally) grouped under source headings.

Filtering, sorting and grouping happen in Python on plain lists, using the sort
keys the table model computed once per load: sorting 10,000 actions is one
`list.sort` (milliseconds), not a Qt comparison callback per pair. When "group by
source" is on, each source gets a heading row ("External inspection: Ofsted
ILACS 2025 - 6 actions"); heading rows are not selectable, so arrow keys step
over them and selections only ever hold actions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.actions.filters import ActionFilter
from app.actions.queries import ActionRow
from app.text import count_of
from ui.actions.table_model import COLUMNS, SOURCE_COLUMN, ActionTableModel

_Index = QModelIndex | QPersistentModelIndex
#: True on a group heading row
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2


class TrackerViewModel(QAbstractTableModel):
    """A view over `ActionTableModel` (which is on `ColumnTableModel`): its cells are that model's; it only
    filters, sorts and groups row numbers and adds heading rows, so it declares no columns of its own."""

    def __init__(self, model: ActionTableModel) -> None:
        super().__init__()
        self._model = model
        self._filter = ActionFilter()
        self._today = date.today()
        self._group_by_source = False
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder
        #: a source row number (>= 0) or a heading (-1 - index into _headings)
        self._entries: list[int] = []
        self._headings: list[str] = []
        self._view_row_of: dict[str, int] = {}
        self._action_count = 0
        self._bold = QFont()
        self._bold.setBold(True)
        self._heading_brush = QBrush(QColor("#e4e7eb"))
        self._black = QBrush(QColor("#000000"))
        # reset in step with the table model, so nothing reads old rows against new ones
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._compute_then_end_reset)
        self._rebuild()

    # -- what to show -------------------------------------------------------------

    @property
    def current_filter(self) -> ActionFilter:
        return self._filter

    @property
    def group_by_source(self) -> bool:
        return self._group_by_source

    def set_filter(self, wanted: ActionFilter, today: date | None = None) -> None:
        self._filter = wanted
        self._today = today or date.today()
        self._rebuild()

    def set_group_by_source(self, on: bool) -> None:
        self._group_by_source = on
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        self._rebuild()

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._compute_then_end_reset()

    def _compute_then_end_reset(self) -> None:
        rows = self._model.all_rows()
        wanted, today = self._filter, self._today
        kept = (
            list(range(len(rows)))
            if wanted.is_empty()
            else [n for n, row in enumerate(rows) if wanted.matches(row, today)]
        )
        if rows:
            kept.sort(
                key=self._model.sort_keys(self._sort_column).__getitem__,
                reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
            )
        self._headings = []
        if self._group_by_source and kept:
            kept.sort(key=self._model.sort_keys(SOURCE_COLUMN).__getitem__)  # stable: keeps the column order
            entries: list[int] = []
            start = 0
            for end in range(1, len(kept) + 1):
                if end == len(kept) or rows[kept[end]].source_group != rows[kept[start]].source_group:
                    self._headings.append(f"{rows[kept[start]].source_group_title} - {count_of(end - start, 'action')}")
                    entries.append(-len(self._headings))
                    entries.extend(kept[start:end])
                    start = end
            self._entries = entries
        else:
            self._entries = kept
        self._action_count = len(kept)
        self._view_row_of = {}
        self.endResetModel()

    # -- reading -------------------------------------------------------------------

    def is_heading(self, view_row: int) -> bool:
        return 0 <= view_row < len(self._entries) and self._entries[view_row] < 0

    def heading_rows(self) -> list[int]:
        return [n for n, entry in enumerate(self._entries) if entry < 0]

    def heading_text(self, view_row: int) -> str:
        return self._headings[-1 - self._entries[view_row]]

    def row_at(self, view_row: int) -> ActionRow | None:
        """The action on a view row; None on a heading or outside the table."""
        if not 0 <= view_row < len(self._entries) or self._entries[view_row] < 0:
            return None
        return self._model.row_at(self._entries[view_row])

    def view_row_of(self, uuid: str) -> int:
        if not self._view_row_of:
            rows = self._model.all_rows()
            self._view_row_of = {rows[entry].uuid: n for n, entry in enumerate(self._entries) if entry >= 0}
        return self._view_row_of.get(uuid, -1)

    def next_action_row(self, view_row: int) -> int:
        """The next row below `view_row` that holds an action, or -1."""
        for candidate in range(view_row + 1, len(self._entries)):
            if self._entries[candidate] >= 0:
                return candidate
        return -1

    def visible_rows(self) -> list[ActionRow]:
        """The shown actions in display order (what an export of "what I see" contains)."""
        rows = self._model.all_rows()
        return [rows[entry] for entry in self._entries if entry >= 0]

    def action_count(self) -> int:
        return self._action_count

    # -- Qt model ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._entries[index.row()] < 0:
            return Qt.ItemFlag.NoItemFlags  # headings: skipped by the keyboard, never selected
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if entry >= 0:
            return self._model.data(self._model.index(entry, index.column()), role)
        text = self._headings[-1 - entry] if index.column() == 0 else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Group: {text}" if text else ""
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._heading_brush
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._black
        if role == HEADING_ROLE:
            return True
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._model.headerData(section, orientation, role)

"""Filtering and sorting the tracker with the same ActionFilter the CLI and dashboard use."""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from app.actions.filters import ActionFilter
from ui.actions.table_model import SORT_ROLE, SOURCE_COLUMN, ActionTableModel

_Index = QModelIndex | QPersistentModelIndex


class ActionFilterProxy(QSortFilterProxyModel):
    def __init__(self, model: ActionTableModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self._model = model
        self._filter = ActionFilter()
        self._today = date.today()
        self._group_by_source = False

    @property
    def current_filter(self) -> ActionFilter:
        return self._filter

    def set_filter(self, wanted: ActionFilter, today: date | None = None) -> None:
        self.beginFilterChange()
        self._filter = wanted
        self._today = today or date.today()
        self.endFilterChange()

    def set_group_by_source(self, on: bool) -> None:
        """Keep each source's actions together, sorted within it by the chosen column."""
        self._group_by_source = on
        self.invalidate()

    @property
    def group_by_source(self) -> bool:
        return self._group_by_source

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt API
        return self._filter.matches(self._model.row_at(source_row), self._today)

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802 - Qt API
        key = self._model.sort_key
        lrow, rrow = left.row(), right.row()
        if self._group_by_source:
            lkey, rkey = key(lrow, SOURCE_COLUMN), key(rrow, SOURCE_COLUMN)
            if lkey != rkey:
                ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
                # groups stay in source order whichever way the column sorts
                return bool(lkey < rkey) if ascending else bool(lkey > rkey)
        column = left.column()
        lvalue: Any = key(lrow, column)
        rvalue: Any = key(rrow, column)
        return bool(lvalue < rvalue)

"""The kit's `select_key` puts back the record a panel showed: by its key, through a sorting proxy
too, and says when the record is gone instead of leaving another row current."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QListView, QTableView
from pytestqt.qtbot import QtBot

from ui.kit.table_model import SORT_ROLE, ColumnTableModel, TableColumn, current_key, select_key


@dataclass(frozen=True)
class Standard:
    uuid: str
    standard_uuid: str
    title: str


ROWS = [Standard("u-1", "s-1", "Leadership"), Standard("u-2", "s-2", "Training"), Standard("u-3", "s-3", "Audit")]


def _table(qtbot: QtBot) -> QTableView:
    model: ColumnTableModel[Standard] = ColumnTableModel((TableColumn("Title", lambda s: s.title),))
    model.set_rows(ROWS)
    view = QTableView()
    qtbot.addWidget(view)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setModel(model)
    return view


def test_select_key_makes_the_keyed_row_current_and_selected(qtbot: QtBot) -> None:
    view = _table(qtbot)

    assert select_key(view, "u-2")
    assert current_key(view) == "u-2"
    assert [i.row() for i in view.selectionModel().selectedRows()] == [1]

    assert select_key(view, "s-3", "standard_uuid")
    assert current_key(view, "standard_uuid") == "s-3"
    assert [i.row() for i in view.selectionModel().selectedRows()] == [2]


def test_select_key_leaves_the_current_row_when_the_key_is_gone(qtbot: QtBot) -> None:
    view = _table(qtbot)
    select_key(view, "u-1")

    assert not select_key(view, "u-gone")
    assert not select_key(view, None)
    assert current_key(view) == "u-1"


def test_select_key_finds_the_row_through_a_sorting_proxy(qtbot: QtBot) -> None:
    """The row's place in the view, not in the model's list: a sorted table selects the right record."""
    view = _table(qtbot)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(view.model())
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)  # Audit, Leadership, Training
    view.setModel(proxy)

    assert select_key(view, "u-2")
    assert current_key(view) == "u-2"
    assert view.currentIndex().row() == 2


def test_select_key_on_a_list_view(qtbot: QtBot) -> None:
    model: ColumnTableModel[Standard] = ColumnTableModel((TableColumn("Title", lambda s: s.title),))
    model.set_rows(ROWS)
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)

    assert select_key(view, "u-3")
    assert current_key(view) == "u-3"

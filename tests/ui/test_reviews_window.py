"""The reviews area inside the real main window: background loading, shortcuts, accessible names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTabBar,
)
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from ui.areas.reviews import ReviewsPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _inside(widget: object, kinds: tuple[type, ...]) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent()
    return False


def test_open_a_review_in_the_window_and_use_its_shortcuts(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    window._on_unlocked(demo_workspace)
    window.show_area("actions")  # its Ctrl+N must not make the chronology's Ctrl+N ambiguous
    window.show_area("reviews")
    page = window.pages["reviews"]
    assert isinstance(page, ReviewsPage) and page.model.rowCount() >= 2
    page.table.setFocus()
    page.table.selectRow(next(r for r in range(page.model.rowCount()) if page.model.row_at(r).entries > 100))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.review is not None
    chronology = page.review.chronology
    qtbot.waitUntil(lambda: chronology.model.rowCount() > 100, timeout=10000)  # loaded in the background
    window.activateWindow()  # focus checks need the active window (other tests' windows linger)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(3).uuid)
    qtbot.keyClick(chronology.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert chronology.search.hasFocus()
    qtbot.keyClick(chronology.search, Qt.Key.Key_Escape)
    assert chronology.table.hasFocus()
    qtbot.keyClick(chronology.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert chronology.editor.uuid is None and chronology.editor.start_date.hasFocus()

    unnamed = []
    widgets = [w for cls in (QLineEdit, QComboBox, QSpinBox, QAbstractItemView) for w in page.findChildren(cls)]
    for widget in widgets:
        if isinstance(widget, QHeaderView) or _inside(widget, (QComboBox, QSpinBox)):
            continue  # parts of a named table, combo box or spin box
        if not widget.accessibleName():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    unnamed += [
        f"button {type(b.parent()).__name__}"
        for b in page.findChildren(QAbstractButton)
        if not (b.accessibleName() or b.text() or _inside(b, (QLineEdit, QTabBar, QAbstractItemView)))
    ]
    assert unnamed == []
    qtbot.keyClick(chronology.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.review is None and page.stack.currentIndex() == 0

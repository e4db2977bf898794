"""The reviews area inside the real main window: background loading, shortcuts, accessible names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
)
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.accessible_names import unnamed_controls
from ui.areas.reviews import ReviewsPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


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

    assert unnamed_controls(page) == []
    qtbot.keyClick(chronology.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.review is None and page.stack.currentIndex() == 0

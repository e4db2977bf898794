"""Locking with a form open and unlocking back to it, for the tests of drafts kept on lock (issue 10, 2)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.demo import DEMO_PASSPHRASE
from app.store.drafts import take_drafts
from app.store.workspace import Workspace
from tests.helpers.areas import largest_review
from tests.helpers.shell import unlock_with, unlocked_on
from ui.main_window import MainWindow
from ui.operations import wait_for_idle


def open_largest_review_in(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> Any:
    page = unlocked_on(window, workspace, "reviews")
    page.open_review(largest_review(workspace))
    wait_for_idle()
    qtbot.waitUntil(lambda: page.review.chronology.model.rowCount() > 0)
    return page.review


def lock_in(qtbot: QtBot, window: MainWindow, field: QWidget) -> None:
    """Ctrl+L in a field of a form's own window (the lock works from any window of the app)."""
    field.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is field.window())
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is None
    assert "Unsaved edits in 1 form were kept" in window.lock_screen.detail.text()


def unlock_back_to(qtbot: QtBot, window: MainWindow, area: str) -> Any:
    window.unlock()
    unlock_with(qtbot, window, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    wait_for_idle()
    assert window.current_page() is window.pages[area]
    assert window.workspace is not None and take_drafts(window.workspace) == []  # handed back once
    return window.pages[area]


def section11_with(window: MainWindow, workspace: Workspace, agency: str) -> Any:
    """The Section 11 register with this year's cycle and `agency` selected."""
    page = unlocked_on(window, workspace, "section11")
    page.cycles.selectRow(0)
    page.agencies.selectRow(next(n for n, r in enumerate(page.register_model.rows) if agency in r.agency))
    return page

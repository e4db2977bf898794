"""Unlocking through the dialog backs up in the background, after the first page is up (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.store.backups import list_backups
from tests.helpers.shell import unlock_with
from tests.helpers.workspaces import PASSPHRASE
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

pytestmark = pytest.mark.gui


def test_unlock_shows_the_page_then_backs_up_once(qtbot: QtBot, window: MainWindow, workspace) -> None:
    path: Path = workspace.path
    workspace.lock()
    before = len(list_backups(path))
    window.open_workspace(path)
    unlock_with(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=30_000)
    assert window.current_page() is not None
    qtbot.waitUntil(lambda: window.workspace.last_backup is not None, timeout=30_000)
    wait_for_idle()
    assert len(list_backups(path)) == before + 1
    assert "Backed up on unlock" in window.statusBar().currentMessage()
    page = window.current_page()
    qtbot.waitUntil(lambda: f"{before + 1} encrypted restore point" in page.backup_label.text())  # not the count before
    assert set(window.pages) == {window.current_page().objectName().removeprefix("area-")}  # others not built


def test_unlock_says_what_it_cleared_of_an_interrupted_operation(qtbot: QtBot, window: MainWindow, workspace) -> None:
    """A copy left by a passphrase change killed mid-way is removed at unlock, and the status bar says so."""
    import shutil

    path: Path = workspace.path
    stray = path / "data-0badc0de.db"
    shutil.copyfile(workspace.database_file, stray)
    workspace.lock()
    window.open_workspace(path)
    unlock_with(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=30_000)
    qtbot.waitUntil(lambda: window.workspace.last_backup is not None, timeout=30_000)
    wait_for_idle()
    assert not stray.exists()
    message = window.statusBar().currentMessage()
    assert "Backed up on unlock" in message and "Cleared 1 leftover" in message and stray.name in message


def test_a_result_message_gets_the_width_of_the_workspace_labels(qtbot: QtBot, window: MainWindow, workspace) -> None:
    """At 1280 px 'Return template saved to /tmp/walk/school.xlsx; the agency is marked ...' was cut off:
    Qt draws a message only left of the permanent widgets."""
    path: Path = workspace.path
    workspace.lock()
    window.open_workspace(path)
    unlock_with(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=30_000)
    wait_for_idle()
    window.resize(1280, 800)
    bar = window.statusBar()
    bar.clearMessage()
    assert window.workspace_label.isVisible() and window.member_label.isVisible()
    text = "Return template saved to /home/sam/Documents/S11-return-Section-11-audit-2026-School.xlsx; marked sent"
    window.show_status(text)
    assert not window.workspace_label.isVisible() and not window.member_label.isVisible()
    assert not window.area_status_label.isVisible()
    assert window.lock_label.isVisible()
    free = bar.width() - window.lock_label.width() - 200  # the marking and margins
    assert bar.fontMetrics().horizontalAdvance(text) < free
    bar.clearMessage()
    assert window.workspace_label.isVisible() and window.member_label.isVisible()

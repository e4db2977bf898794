"""Unlocking through the dialog backs up in the background, after the first page is up (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.store.backups import list_backups
from tests.conftest import PASSPHRASE
from tests.helpers.shell import unlock_with
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
    assert set(window.pages) == {window.current_page().objectName().removeprefix("area-")}  # others not built

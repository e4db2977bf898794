"""First run (issue 14): no workspace yet, so the lock screen welcomes, explains, offers the demo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.demo import DEMO_PASSPHRASE
from tests.helpers.shell import shown_main_window
from ui import settings
from ui.main_window import MainWindow
from ui.paths import default_workspace_dir

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    settings.RECENT_WORKSPACES.set([])  # Qt keeps one settings file per process: earlier tests' recents
    yield from shown_main_window(qtbot)


def test_first_start_explains_the_passphrase_and_where_data_lives(window: MainWindow) -> None:
    screen = window.lock_screen
    assert screen.title.text() == "Welcome to Safeguarding Workbench"
    text = screen.welcome.text()
    assert screen.welcome.isVisible() and "cannot be recovered" in text
    assert str(default_workspace_dir()) in text
    assert screen.demo_button.isVisible() and screen.demo_button.accessibleName()
    assert screen.create_button.hasFocus()  # Enter creates a workspace, Tab reaches open and demo


def test_the_demo_is_one_key_press_away_and_says_its_passphrase(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.lock_screen
    screen.demo_button.setFocus()
    qtbot.keyClick(screen.demo_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=120_000)
    folder = default_workspace_dir().with_name("Safeguarding Workbench demo")
    assert window.workspace.path == folder
    assert window.nav.count() > 0
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible() and b.objectName() == "infoMessage"]
    assert boxes and DEMO_PASSPHRASE in boxes[0].text()
    boxes[0].accept()
    window.lock()
    # from now on it is a recent workspace, not a first run
    assert settings.RECENT_WORKSPACES.get() == [str(folder)]
    assert not window.lock_screen.welcome.isVisible()
    assert window.lock_screen.title.text() != "Welcome to Safeguarding Workbench"

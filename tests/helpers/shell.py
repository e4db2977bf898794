"""The main window as a user meets it: create a workspace, unlock it, visit every view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.workspaces import PASSPHRASE, refuse_writes
from ui.dialogs.create_workspace import CreateWorkspaceDialog
from ui.dialogs.unlock import UnlockDialog
from ui.main_window import MainWindow
from ui.operations import wait_for_idle


def visible_error(parent: Any) -> QMessageBox | None:
    for box in parent.findChildren(QMessageBox):
        if box.isVisible() and box.objectName() == "errorMessage":
            return box
    return None


def refused_error(workspace: Workspace, parent: Any, act: Callable[[], object]) -> tuple[str, str]:
    """Do `act` while the workspace's disk refuses every write (`refuse_writes`), and answer the error box it
    shows under `parent`: its (title, text). Writes are allowed again whatever happens."""
    refuse_writes(workspace)
    try:
        act()
        box = visible_error(parent)
        assert box is not None, "no error dialog"
        title, text = box.windowTitle(), box.text()
        box.accept()  # answered: no modal left waiting
    finally:
        refuse_writes(workspace, False)
    return title, text


def create_through_dialog(qtbot: QtBot, window: MainWindow, folder: Path, agency: str = "Northbridge SCP") -> None:
    window.new_action.trigger()
    dialog = window._dialog
    assert isinstance(dialog, CreateWorkspaceDialog)
    dialog.folder.clear()
    qtbot.keyClicks(dialog.folder, str(folder))
    qtbot.keyClicks(dialog.name, "Pat Chair")
    qtbot.keyClicks(dialog.agency, agency)
    qtbot.keyClicks(dialog.passphrase, "short")
    assert not dialog.create_button.isEnabled()
    assert "Too short" in dialog.meter.label.text()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.repeat, PASSPHRASE)
    assert dialog.create_button.isEnabled()
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)


def unlock_with(qtbot: QtBot, window: MainWindow, passphrase: str) -> UnlockDialog:
    dialog = window._dialog
    assert isinstance(dialog, UnlockDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    return dialog


def visit_every_view(window: MainWindow) -> None:
    """Show each area and each extra view it offers (as scripts/screenshots.py does)."""
    for spec in window.areas:
        window.show_area(spec.key)
        views = getattr(window.pages[spec.key], "screenshot_views", None)
        for _name, show in views() if views else []:
            show()
            wait_for_idle()


def unlocked_on(window: MainWindow, workspace: Workspace, area: str) -> Any:
    """The window unlocked on `workspace` (as its unlock dialog leaves it) and showing `area`; that area's page."""
    window._on_unlocked(workspace)
    window.show_area(area)
    return window.pages[area]


def shown_main_window(qtbot: QtBot, size: tuple[int, int] | None = None) -> Iterator[MainWindow]:
    """The main window (of `size` if given) shown and active; locked and idle again afterwards
    (use with `yield from`)."""
    win = MainWindow()
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.lock()
    wait_for_idle()


def at_laptop_size(window: MainWindow, size: tuple[int, int] = (1280, 800)) -> None:
    """The window at exactly a laptop's size, once unlocked, and asserted: on unlock it fits itself to the
    screen (tests/offscreen_screen.json, 1280x800) and may be maximised, so this pins what "at 1280" means."""
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*size)
    wait_for_idle()
    for _ in range(3):
        QApplication.processEvents()
    assert (window.width(), window.height()) == size

"""Change passphrase and restore, driven through their dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.agencies import add_agency, list_agencies
from app.store.workspace import Workspace
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE
from ui.dialogs.change_passphrase import ChangePassphraseDialog
from ui.dialogs.restore import RestoreDialog
from ui.dialogs.unlock import UnlockDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(window: MainWindow, workspace: Workspace) -> MainWindow:
    """The shared main window (tests/ui/conftest.py) with the test workspace unlocked."""
    window._on_unlocked(workspace)
    return window


def test_change_passphrase_dialog(
    qtbot: QtBot, window: MainWindow, workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.store.workspace.calibrate", lambda: FAST_KDF)
    window.passphrase_action.trigger()
    dialog = window._dialog
    assert isinstance(dialog, ChangePassphraseDialog)
    qtbot.keyClicks(dialog.current, PASSPHRASE)
    qtbot.keyClicks(dialog.new, "new passphrase for the chair")
    qtbot.keyClicks(dialog.repeat, "new passphrase for the chai")
    assert not dialog.change_button.isEnabled()
    qtbot.keyClicks(dialog.repeat, "r")
    assert dialog.change_button.isEnabled()
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    window.lock()
    Workspace.open(workspace_path, "new passphrase for the chair", backup_on_unlock=False).lock()


def test_restore_through_the_window(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Health visiting", "HV")
    workspace.backup()
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Police", "POL")
    open_before = window.workspace
    window.restore_action.trigger()
    dialog = window._dialog
    assert isinstance(dialog, RestoreDialog) and dialog.list.count() >= 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # changed their mind: the workspace stays open
    assert not dialog.isVisible() and window.workspace is open_before is not None
    window.restore_action.trigger()
    dialog = window._dialog
    dialog.list.setCurrentRow(0)  # newest: the one with Health visiting only
    qtbot.keyClicks(dialog.passphrase, "wrong passphrase here")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert window.workspace is None  # locked once the restore starts
    qtbot.waitUntil(lambda: any(b.isVisible() for b in dialog.findChildren(QMessageBox)), timeout=20000)
    for box in dialog.findChildren(QMessageBox):
        box.accept()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window._dialog, UnlockDialog), timeout=20000)
    unlock = window._dialog
    qtbot.keyClicks(unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    with window.workspace.reading() as session:
        assert [a.short_name for a in list_agencies(session)] == ["HV"]


def test_restore_points_show_date_kind_size_and_changes_since(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """Issue 10.3: a user chooses a point by its date and by what has changed since it."""
    workspace.backup(name="Before the panel")
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Police", "POL")
    window.restore_action.trigger()
    dialog = window._dialog
    assert isinstance(dialog, RestoreDialog)
    text = dialog.list.item(0).text()
    assert "named" in text and "Before the panel" in text and "1 change since" in text
    assert "UTC" in text and ("KB" in text or "MB" in text)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_a_backup_from_before_a_passphrase_change_is_said_before_it_replaces_anything(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16.6: restoring such a backup asks first; saying no changes nothing."""
    from ui.dialogs import restore as restore_dialog

    workspace.backup(name="Before the new passphrase")
    workspace.change_passphrase(PASSPHRASE, "the chair's new passphrase", kdf_params=FAST_KDF)
    answers: list[bool] = [False, True]
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(restore_dialog, "confirm", answer)
    monkeypatch.setattr(restore_dialog, "show_error", lambda *_a: None)
    window.restore_action.trigger()
    dialog = window._dialog
    assert isinstance(dialog, RestoreDialog)
    row = next(i for i in range(dialog.list.count()) if "Before the new passphrase" in dialog.list.item(i).text())
    dialog.list.setCurrentRow(row)

    def files() -> list[str]:  # the open workspace's -wal and -shm go when it locks for the restore
        return sorted(p.name for p in workspace_path.rglob("*") if not p.name.endswith(("-wal", "-shm")))

    files_before, sidecar_before = files(), (workspace_path / "workspace.json").read_bytes()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)  # the backup's own (old) passphrase
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=20000)
    assert "before a passphrase change" in asked[0]
    assert files() == files_before  # said no: nothing replaced, no pre-restore point made
    assert (workspace_path / "workspace.json").read_bytes() == sidecar_before
    assert Workspace.open(workspace_path, "the chair's new passphrase", backup_on_unlock=False).lock() is None

    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window._dialog, UnlockDialog), timeout=20000)
    assert len(asked) == 2
    Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False).lock()  # the old passphrase again


def _answer_question(button_text: str, seen: list[str]) -> None:
    """Acts as the user at the blocking question: reads it, then presses the button named."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.icon() != QMessageBox.Icon.Question:
            QTimer.singleShot(10, answer)  # not shown yet
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text().replace("&", "") == button_text).click()

    QTimer.singleShot(0, answer)


def test_restoring_another_workspaces_backup_asks_first(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    """Issue 16.6 in the window: said and asked; 'Cancel' changes nothing and adds no second message."""
    theirs = Workspace.create(
        tmp_path / "theirs",
        PASSPHRASE,
        display_name="Bo Reviewer",
        role="Lead reviewer",
        agency="Police",
        kdf_params=FAST_KDF,
    )
    with theirs.unit_of_work() as uow:
        add_agency(uow, "Their police", "TP")
    made = theirs.backup(name="theirs")
    theirs.lock()
    ours = workspace.path / "backups"
    ours.mkdir(exist_ok=True)
    for part in made.parent.glob(made.stem + ".*"):  # the backup and its sidecar, among ours
        (ours / part.name).write_bytes(part.read_bytes())

    def restore_theirs(answer: str, seen: list[str]) -> RestoreDialog:
        window.restore_action.trigger()
        dialog = window._dialog
        assert isinstance(dialog, RestoreDialog)
        row = next(i for i in range(dialog.list.count()) if made.name in dialog.list.item(i).toolTip())
        assert "of another workspace" in dialog.list.item(row).text()  # not "N changes since"
        dialog.list.setCurrentRow(row)
        _answer_question(answer, seen)
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        return dialog

    seen: list[str] = []
    dialog = restore_theirs("Cancel", seen)
    qtbot.waitUntil(lambda: bool(seen) and dialog.restore_button.isEnabled(), timeout=20000)
    assert "of another workspace: Bo Reviewer (Police)" in seen[0] and "Alex Reviewer" in seen[0]
    assert not [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]  # declined: nothing repeated
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    unlock_again(qtbot, window)
    with window.workspace.reading() as session:
        assert list_agencies(session) == []  # ours, untouched

    dialog = restore_theirs("Restore anyway", seen)
    qtbot.waitUntil(lambda: isinstance(window._dialog, UnlockDialog), timeout=20000)
    unlock_again(qtbot, window)
    with window.workspace.reading() as session:
        assert [a.short_name for a in list_agencies(session)] == ["TP"]


def unlock_again(qtbot: QtBot, window: MainWindow) -> None:
    if not isinstance(window._dialog, UnlockDialog) or not window._dialog.isVisible():
        window.unlock()  # the lock screen's Unlock… button
    unlock = window._dialog
    assert isinstance(unlock, UnlockDialog)
    qtbot.keyClicks(unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)


def test_unlocking_returns_to_the_area_it_was_locked_in(qtbot: QtBot, window: MainWindow) -> None:
    """Locking (Ctrl+L) and unlocking again lands where the member was, not on the overview."""
    window.show_area("actions")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is None
    unlock_again(qtbot, window)
    assert window._current_area() == "actions"
    assert window.area_stack.currentWidget() is window.pages["actions"]


def test_unlock_dialog_is_wide_enough_for_its_title(qtbot: QtBot, tmp_path: Path) -> None:
    """Its title bar read "Unlock … rkbench": the window manager adds the application's name to the title."""
    dialog = UnlockDialog(tmp_path / "demo-workspace")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    title = f"{dialog.windowTitle()} — Safeguarding Workbench"
    assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(title) + 80  # room for the title bar's buttons

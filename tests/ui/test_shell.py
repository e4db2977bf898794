"""The main window driven as a user would: create, lock, unlock (wrong, then right), idle lock."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.shell import create_through_dialog, unlock_with, unlocked_on, visible_error, visit_every_view
from tests.helpers.shortcut_audit import mnemonic
from tests.helpers.workspaces import PASSPHRASE
from ui import settings
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

pytestmark = pytest.mark.gui


def test_create_lock_unlock_wrong_then_right(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    create_through_dialog(qtbot, window, folder)
    assert window.stack.currentWidget() is window.work_view
    assert window.nav.count() >= 1 and "Workspace" in window.nav.item(0).text()
    assert "Pat Chair" in window.member_label.text()
    workspace = window.workspace

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is None and workspace.is_locked
    assert window.pages == {} and window.nav.count() == 0
    assert window.stack.currentWidget() is window.lock_screen
    assert window.lock_label.text() == "Locked"

    window.unlock()
    dialog = unlock_with(qtbot, window, "a wrong passphrase entirely")
    qtbot.waitUntil(lambda: visible_error(dialog) is not None, timeout=20000)
    box = visible_error(dialog)
    assert "does not open" in box.text()
    box.accept()
    assert window.workspace is None and dialog.isVisible()  # keeps asking
    assert dialog.passphrase.text() == ""
    unlock_with(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    assert not dialog.isVisible()
    assert window.stack.currentWidget() is window.work_view
    assert str(folder) in settings.RECENT_WORKSPACES.get()


def test_idle_lock(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    create_through_dialog(qtbot, window, tmp_path / "ws")
    workspace = window.workspace
    window.idle.set_timeout(1000)
    window.idle.start()
    qtbot.waitUntil(lambda: window.workspace is None, timeout=5000)
    assert workspace.is_locked
    assert "inactivity" in window.lock_screen.detail.text()


def test_second_window_is_refused(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    create_through_dialog(qtbot, window, folder)
    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    other.open_workspace(folder)
    dialog = unlock_with(qtbot, other, PASSPHRASE)
    qtbot.waitUntil(lambda: visible_error(dialog) is not None, timeout=20000)
    assert "already open" in visible_error(dialog).text()
    visible_error(dialog).accept()
    dialog.reject()
    assert other.workspace is None and window.workspace is not None


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QSpinBox,
    )

    create_through_dialog(qtbot, window, tmp_path / "ws")
    unnamed = []
    widgets = [w for cls in (QLineEdit, QComboBox, QSpinBox, QAbstractItemView) for w in window.findChildren(cls)]
    for widget in widgets:
        if isinstance(widget, QHeaderView):
            continue  # part of its table view, which is named
        if (
            widget.isVisible()
            and not widget.accessibleName()
            and not isinstance(widget.parent(), (QComboBox, QSpinBox))
        ):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and not (button.accessibleName() or button.text()):
            unnamed.append(f"button {button.objectName()}")
    assert unnamed == []


def test_no_case_data_reaches_disk_outside_the_store(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_home: Path
) -> None:
    canary = "CANARY-Zq7WX-child-name"
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp_dir))
    monkeypatch.setattr(tempfile, "tempdir", None)
    folder = tmp_path / "ws"
    create_through_dialog(qtbot, window, folder, agency=f"Agency {canary}")
    from app.agencies import add_agency

    with window.workspace.unit_of_work() as uow:
        add_agency(uow, f"{canary} Police", "POL")
    window.workspace.backup()
    window.lock()
    window.close()
    QApplication.processEvents()
    places = [folder, temp_dir, _isolated_home, Path(settings.settings_file()).parent]
    leaks = []
    for place in places:
        for path in place.rglob("*"):
            if path.is_file() and (
                canary.encode() in path.read_bytes() or canary.encode("utf-16-le") in path.read_bytes()
            ):
                leaks.append(str(path))
    assert list(folder.rglob("*.db")), "the workflow wrote no database at all"
    assert leaks == []


def test_area_shortcuts_never_clash(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    """Visiting areas one after another leaves only the current area's shortcuts on the window."""
    from PySide6.QtGui import QKeySequence

    window._on_unlocked(demo_workspace)
    global_keys = {
        a.shortcut().toString()
        for a in window.findChildren(type(window.lock_action))
        if a.parent() is window and a not in getattr(window, "_area_actions", []) and not a.shortcut().isEmpty()
    }
    for spec in window.areas:
        window.show_area(spec.key)
        window.show_area(spec.key)
        own = [a.shortcut().toString() for a in window._area_actions if not a.shortcut().isEmpty()]
        assert len(own) == len(set(own)), f"{spec.key} repeats a shortcut: {own}"
        assert not set(own) & global_keys, f"{spec.key} takes a window shortcut: {set(own) & global_keys}"
        attached = [a for a in window.actions() if a.shortcut() != QKeySequence()]
        keys = [a.shortcut().toString() for a in attached]
        assert len(keys) == len(set(keys)), f"after {spec.key}: {sorted(keys)}"


def test_every_view_fits_a_1280_by_800_laptop_screen(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Council laptops are often 1280 or 1366 pixels wide: no area may force a wider window,
    and the area names in the navigation are never cut short."""
    window._on_unlocked(demo_workspace)
    for spec in window.areas:
        window.show_area(spec.key)
        views = getattr(window.pages[spec.key], "screenshot_views", None)
        for name, show in [("main", lambda: None), *(views() if views else [])]:
            show()
            wait_for_idle()
            QApplication.processEvents()
            hint = window.minimumSizeHint()
            assert hint.width() <= 1280 and hint.height() <= 800, f"{spec.key}/{name} needs {hint}"
    window.resize(1280, 800)
    QApplication.processEvents()
    metrics = window.nav.fontMetrics()
    for row in range(window.nav.count()):
        item = window.nav.item(row)
        assert window.nav.visualItemRect(item).width() >= metrics.horizontalAdvance(item.text())


def test_tab_leaves_every_table(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    """Tab moves to the next control, never from cell to cell: otherwise keyboard users are trapped."""
    from PySide6.QtWidgets import QAbstractItemView

    window._on_unlocked(demo_workspace)
    visit_every_view(window)
    trapping = [
        f"{type(v).__name__} {v.accessibleName()!r}"
        for v in window.findChildren(QAbstractItemView)
        if v.tabKeyNavigation()
    ]
    assert trapping == []
    page = window.pages["actions"]
    window.show_area("actions")
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus()


@pytest.mark.parametrize("area", ["meetings", "performance"])
def test_alt_number_shows_a_tab_and_the_area_menu_lists_it_by_name(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, area: str
) -> None:
    page = unlocked_on(window, demo_workspace, area)
    tabs = [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]
    listed = {a.text(): a.shortcut().toString() for a in page.area_actions()}
    assert all(listed[f"{tab} tab"] == f"Alt+{i + 1}" for i, tab in enumerate(tabs)), listed
    assert {f"{tab} tab" for tab in tabs} <= {a.text() for a in window.area_menu.actions()}
    on_toolbar = [a.text() for a in window.area_toolbar.actions()]
    assert not [tab for tab in tabs if f"{tab} tab" in on_toolbar], on_toolbar  # the tab bar is on the page already
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentIndex() == 1


def test_tab_and_button_mnemonics_do_not_take_the_menu_bar_keys(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Alt+F must open the File menu, not a tab; two buttons on one page never share an Alt key."""
    from PySide6.QtWidgets import QAbstractButton, QTabBar

    window._on_unlocked(demo_workspace)
    menu_keys = {mnemonic(a.text()) for a in window.menuBar().actions()} - {None}
    assert menu_keys == {"F", "G", "A", "H"}
    for menu_action in window.menuBar().actions():  # inside a menu too: one key, one item
        items = [a.text() for a in menu_action.menu().actions() if not a.isSeparator()]
        keys = [mnemonic(t) for t in items if mnemonic(t)]
        assert len(keys) == len(set(keys)), f"{menu_action.text()}: {items}"
    visit_every_view(window)
    for bar in window.findChildren(QTabBar):
        keys = {mnemonic(bar.tabText(i)) for i in range(bar.count())} - {None}
        assert not keys & menu_keys, f"{bar.accessibleName()}: {keys & menu_keys}"
    for key in ("actions", "exchange"):
        window.show_area(key)
        buttons = [b for b in window.pages[key].findChildren(QAbstractButton) if b.isVisibleTo(window)]
        keys = [mnemonic(b.text()) for b in buttons if mnemonic(b.text())]
        assert len(keys) == len(set(keys)), f"{key}: {sorted(keys)}"


def test_enter_presses_the_focused_button_in_the_main_window(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = unlocked_on(window, demo_workspace, "actions")
    pressed: list[bool] = []
    clear = next(b for b in page.findChildren(QPushButton) if b.text() == "C&lear filters")
    clear.clicked.connect(lambda: pressed.append(True))
    clear.setFocus()
    qtbot.keyClick(clear, Qt.Key.Key_Return)
    assert pressed == [True]


def test_f1_lists_the_shortcuts_of_the_current_view(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.main_window.show_info", lambda _p, _t, text: shown.append(text))
    page = unlocked_on(window, demo_workspace, "reviews")
    page.screenshot_views()[0][1]()  # open the largest review on its chronology
    wait_for_idle()
    window.shortcuts_action.trigger()
    listing = shown[-1]
    for expected in (
        "Ctrl+Shift+L",
        "Milestones",
        "Ctrl+N",
        "New entry",
        "F2",
        "Edit entry",
        "Ctrl+Shift+A",
        "Anonymised view",
        "Ctrl+L",
        "Lock",
    ):
        assert expected in listing, expected
    assert "Ctrl+Tab" in listing  # issue 10.6: moving between a view's tabs is listed too


def test_after_locking_no_dialog_keeps_the_workspace(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    create_through_dialog(qtbot, window, tmp_path / "ws")
    window.lock()
    window.unlock()
    unlock_with(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    dialog = window._dialog
    window.lock()
    assert window._dialog is None or getattr(window._dialog, "workspace", None) is None
    assert getattr(dialog, "workspace", None) is None

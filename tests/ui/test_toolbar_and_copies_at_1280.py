"""At 1280 x 800, the laptops members use: the Section 11 toolbar shows every command it holds (its last five
went behind a "»" button), and the Meetings Pack tab shows the member a copy is for whole ("Dr Helen Marsh
(clearec") with every member of the list in reach."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QToolBar, QToolButton
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.shell import at_laptop_size, shown_main_window, unlocked_on
from ui.kit.controls import MENU_ONLY
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

pytestmark = pytest.mark.gui


@pytest.fixture
def laptop_window(qtbot: QtBot) -> Iterator[MainWindow]:
    yield from shown_main_window(qtbot, size=(1280, 800))


def settle() -> None:
    wait_for_idle()
    for _ in range(3):
        QApplication.processEvents()


def hidden_commands(window: MainWindow) -> list[str]:
    """Each toolbar command not shown on its toolbar (behind its "»" extension button), by toolbar."""
    hidden = []
    for toolbar in window.findChildren(QToolBar):
        if not toolbar.isVisible():
            continue
        for command in toolbar.actions():
            shown = toolbar.widgetForAction(command)
            if not command.isSeparator() and (shown is None or not shown.isVisible()):
                hidden.append(f"{toolbar.accessibleName()}: {command.text()}")
        extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None and extension.isVisible():
            hidden.append(f"{toolbar.accessibleName()}: the » button is shown")
    return hidden


def test_every_section11_toolbar_command_is_shown_at_1280_pixels(
    laptop_window: MainWindow, demo_workspace: Workspace
) -> None:
    page = unlocked_on(laptop_window, demo_workspace, "section11")
    at_laptop_size(laptop_window)
    views: list[tuple[str, Callable[[], object]]] = [
        ("register", lambda: None),
        ("agency", page.open_selected),
        ("heat map", page.show_heat_map),
        ("frameworks", page.show_frameworks),
        ("register again", page.show_register),
    ]
    for name, show in views:
        show()
        settle()
        assert hidden_commands(laptop_window) == [], name
    # what the toolbar leaves out is still a key away: every command in the Area menu with its Ctrl key, and
    # the register's own commands as its buttons, each with its Alt letter
    listed = laptop_window.area_menu.actions()
    on_toolbar = laptop_window.area_toolbar.actions()
    for command in page.area_actions():
        assert command in listed and not command.shortcut().isEmpty(), command.text()
        assert command.property(MENU_ONLY) or command in on_toolbar, command.text()
    buttons = {b.text().replace("&", "") for b in page.findChildren(QPushButton) if b.isVisible()}
    for text in ("Add agencies…", "All templates…", "Status, sector and contact…"):
        assert text in buttons, sorted(buttons)


@pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing the keyboard"
)  # the open list, offscreen
def test_the_member_a_pack_is_copied_for_shows_whole_and_every_member_is_in_the_list_at_1280_pixels(
    laptop_window: MainWindow, demo_workspace: Workspace
) -> None:
    page = unlocked_on(laptop_window, demo_workspace, "meetings")
    at_laptop_size(laptop_window)
    dict(page.screenshot_views())["preview"]()  # the coming meeting's Pack tab, its pack issued
    settle()
    box = page.copy_for_box
    assert box.isVisible() and box.count() >= 5
    # the list sizes itself to its longest member ("Dr Helen Marsh (cleared)"): every one shows whole
    assert box.width() >= box.sizeHint().width(), (box.width(), box.sizeHint().width())
    tab = page.tabs.currentWidget()
    right = box.mapTo(tab, box.rect().topRight()).x()
    assert right <= tab.width(), "the list runs under the tab's edge"
    passphrase = page.copy_passphrase
    hint = passphrase.fontMetrics().horizontalAdvance(passphrase.placeholderText())
    assert passphrase.width() >= hint, "the password's hint is cut short"
    box.showPopup()
    try:
        listed = box.view()
        QApplication.processEvents()
        for row in range(box.count()):  # each member in the open list, or reached by scrolling it
            listed.scrollTo(box.model().index(row, 0))
            rect, room = listed.visualRect(box.model().index(row, 0)), listed.viewport().rect()
            assert room.top() <= rect.top() and rect.bottom() <= room.bottom(), box.itemText(row)
            assert listed.fontMetrics().horizontalAdvance(box.itemText(row)) < room.width(), box.itemText(row)
    finally:
        box.hidePopup()

"""At 1280 x 800, the laptops members use, no form is cut off: a pane that scrolls down only
(`ui.widgets.vertical_scroll`) must narrow its fields to its width, never run them under its edge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import open_largest_review
from tests.helpers.shell import at_laptop_size, shown_main_window, unlocked_on
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def laptop_window(qtbot: QtBot) -> Iterator[MainWindow]:
    yield from shown_main_window(qtbot, size=(1280, 800))


def _cut_off(page: QWidget) -> list[str]:
    """Every shown down-only scroll area whose contents are wider than what it shows."""
    return [
        f"{area.accessibleName()}: {area.widget().width()} px in {area.viewport().width()} px"
        for area in page.findChildren(QScrollArea)
        if area.isVisible()
        and area.widget() is not None
        and area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        and area.widget().width() > area.viewport().width()
    ]


def _every_tab_of(page: QWidget, qtbot: QtBot) -> Iterator[str]:
    yield "first shown"
    for tabs in page.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isVisible():
                tabs.setCurrentIndex(index)
                qtbot.wait(20)
                yield tabs.tabText(index)


def test_no_form_is_cut_off_at_1280_pixels(qtbot: QtBot, laptop_window: MainWindow, demo_workspace: Workspace) -> None:
    unlocked_on(laptop_window, demo_workspace, "overview")
    at_laptop_size(laptop_window)
    areas = [laptop_window.nav.item(row).data(Qt.ItemDataRole.UserRole) for row in range(laptop_window.nav.count())]
    cut: list[str] = []
    for area in areas:
        laptop_window.show_area(area)
        page = laptop_window.pages[area]
        if area == "reviews":  # the chronology's entry editor is the form most used
            chronology = open_largest_review(page, demo_workspace).chronology
            chronology.table.selectRow(2)
        qtbot.wait(50)
        for tab in _every_tab_of(page, qtbot):
            cut += [f"{area} / {tab}: {where}" for where in _cut_off(page)]
            if laptop_window.minimumSizeHint().width() > 1280:
                cut.append(f"{area} / {tab}: the window needs {laptop_window.minimumSizeHint().width()} px")
    assert cut == [], "\n".join(cut)

"""Partner agencies are managed from the Workspace page, by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.agencies import list_agencies
from app.store.workspace import Workspace
from tests.helpers.areas import made_by_seen
from ui.areas.overview import OverviewPage
from ui.dialogs.agency import AgencyDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def page(window: MainWindow, workspace: Workspace) -> OverviewPage:
    """The overview page of the shared main window, the test workspace unlocked."""
    window._on_unlocked(workspace)
    return window.pages["overview"]


def fill(qtbot: QtBot, dialog: AgencyDialog, name: str, short: str, colour: str) -> None:
    for edit, text in ((dialog.name, name), (dialog.short_name, short), (dialog.colour, colour)):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.keyClick(dialog.colour, Qt.Key.Key_Return)


def test_add_edit_and_refuse_duplicate(
    qtbot: QtBot, page: OverviewPage, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = made_by_seen(monkeypatch, page)
    page.add_agency()
    fill(qtbot, page.dialog, "Northbridge Police", "Police", "#c6dafc")
    qtbot.waitUntil(lambda: not page.dialog.isVisible())
    assert page.agency_list.count() == 1 and page.agency_list.item(0).text().startswith("Police")
    assert seen == [True]  # the page's own write, as context.write publishes it

    page.add_agency()
    fill(qtbot, page.dialog, "northbridge police", "P2", "#c6dafc")
    boxes = [b for b in page.dialog.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "already an agency" in boxes[0].text() and boxes[0].windowTitle() == "Agency not saved"
    boxes[0].accept()
    typed = (page.dialog.name.text(), page.dialog.short_name.text())
    assert page.dialog.isVisible() and typed == ("northbridge police", "P2")  # the refused typing stays
    assert seen == [True]
    page.dialog.reject()

    page.agency_list.setCurrentRow(0)
    page.edit_agency()
    assert page.dialog.name.text() == "Northbridge Police"
    fill(qtbot, page.dialog, "Northbridge Police PPU", "Police", "#b0c4de")
    qtbot.waitUntil(lambda: not page.dialog.isVisible())
    with workspace.reading() as session:
        assert [(a.name, a.colour) for a in list_agencies(session)] == [("Northbridge Police PPU", "#b0c4de")]
    assert "PPU" in page.agency_list.item(0).text()

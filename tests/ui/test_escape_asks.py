"""Esc or the close button in a dialog with typing in it asks before discarding; with nothing typed it closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.actions.sources import SourceRef
from app.agencies import list_agencies
from app.store.workspace import Workspace
from tests.helpers.areas import answer_discard_question
from ui.actions.form import ActionFormDialog, open_new_action_dialog
from ui.areas.overview import OverviewPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _new_action_form(qtbot: QtBot, workspace: Workspace) -> ActionFormDialog:
    dialog = open_new_action_dialog(None, workspace, SourceRef(), lambda _changes: None)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ActionFormDialog) and dialog.isVisible()
    return dialog


@pytest.mark.parametrize("discard", [False, True], ids=["keep editing", "discard"])
@pytest.mark.parametrize("leave", ["Esc", "close button"])
def test_leaving_with_typing_asks_and_does_what_the_user_says(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, leave: str, discard: bool
) -> None:
    asked = answer_discard_question(monkeypatch, discard=discard)
    dialog = _new_action_form(qtbot, demo_workspace)
    qtbot.keyClicks(dialog.title, "Audit supervision zqxw")
    if leave == "Esc":
        qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    else:
        dialog.close()  # what the title bar's close button and Alt+F4 do
    assert asked == ["Discard what you typed in \u201cNew action\u201d?"]
    if discard:
        assert not dialog.isVisible()
        assert dialog.guard.draft() is None  # nothing left to keep on lock either
    else:
        assert dialog.isVisible() and dialog.title.toPlainText() == "Audit supervision zqxw"
    with demo_workspace.reading() as session:  # either way nothing was saved
        assert not [r for r in list_actions(session) if "zqxw" in r.title]


def test_esc_with_nothing_typed_closes_without_asking(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer_discard_question(monkeypatch, discard=False)
    dialog = _new_action_form(qtbot, demo_workspace)
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible()


def test_small_dialogs_ask_too(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agency dialog saves with its own buttons (a `dialog_guard`): Esc asks there as well."""
    asked = answer_discard_question(monkeypatch, discard=False)
    window._on_unlocked(workspace)
    page = window.pages["overview"]
    assert isinstance(page, OverviewPage)
    page.add_agency()
    qtbot.keyClicks(page.dialog.name, "Northbridge Youth Justice Service")
    qtbot.keyClick(page.dialog.name, Qt.Key.Key_Escape)
    assert len(asked) == 1 and page.dialog.isVisible()
    answer_discard_question(monkeypatch, discard=True)
    qtbot.keyClick(page.dialog.name, Qt.Key.Key_Escape)
    assert not page.dialog.isVisible()
    with workspace.reading() as session:
        assert list_agencies(session) == []

"""Esc in a dialog with typing in it asks before discarding; with nothing typed it closes at once."""

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


def test_esc_keeps_the_typing_when_the_user_says_so(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer_discard_question(monkeypatch, discard=False)
    dialog = _new_action_form(qtbot, demo_workspace)
    qtbot.keyClicks(dialog.title, "Audit supervision of child in need plans")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert len(asked) == 1 and asked[0] == "Discard what you typed in “New action”?"
    assert dialog.isVisible() and dialog.title.toPlainText() == "Audit supervision of child in need plans"


def test_esc_discards_after_the_user_agrees_and_saves_nothing(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer_discard_question(monkeypatch, discard=True)
    dialog = _new_action_form(qtbot, demo_workspace)
    qtbot.keyClicks(dialog.title, "Never saved zqxw")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert len(asked) == 1 and not dialog.isVisible()
    assert dialog.guard.draft() is None  # nothing left to keep on lock either
    with demo_workspace.reading() as session:
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

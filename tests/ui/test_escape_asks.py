"""Esc in a dialog with typing in it asks before discarding; with nothing typed, or closed by code, it just closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.actions.sources import SourceRef
from app.agencies import list_agencies
from app.section11.letters import letter_settings
from app.store.workspace import Workspace
from tests.helpers.areas import answer_discard_question
from tests.helpers.drafts import section11_with
from ui.actions.form import ActionFormDialog, open_new_action_dialog
from ui.areas.overview import OverviewPage
from ui.main_window import MainWindow
from ui.section11.dialogs import LetterheadDialog

pytestmark = pytest.mark.gui


def _new_action_form(qtbot: QtBot, workspace: Workspace) -> ActionFormDialog:
    dialog = open_new_action_dialog(None, workspace, SourceRef(), lambda _changes: None)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ActionFormDialog) and dialog.isVisible()
    return dialog


@pytest.mark.parametrize("discard", [False, True], ids=["keep editing", "discard"])
def test_esc_with_typing_asks_and_does_what_the_user_says(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, discard: bool
) -> None:
    asked = answer_discard_question(monkeypatch, discard=discard)
    dialog = _new_action_form(qtbot, demo_workspace)
    qtbot.keyClicks(dialog.title, "Audit supervision zqxw")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)
    assert asked == ["Discard what you typed in \u201cNew action\u201d?"]
    if discard:
        assert not dialog.isVisible()
        assert dialog.guard.draft() is None  # nothing left to keep on lock either
    else:
        assert dialog.isVisible() and dialog.title.toPlainText() == "Audit supervision zqxw"
    with demo_workspace.reading() as session:  # either way nothing was saved
        assert not [r for r in list_actions(session) if "zqxw" in r.title]


@pytest.mark.parametrize("typed", ["", "Typed, then closed by code"])
def test_nothing_typed_or_a_close_by_code_closes_without_asking(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    asked = answer_discard_question(monkeypatch, discard=False)
    dialog = _new_action_form(qtbot, demo_workspace)
    if typed:
        qtbot.keyClicks(dialog.title, typed)
        dialog.close()  # code (or a test's teardown) closing it must never wait on a question
    else:
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


def test_the_letterhead_dialog_asks_too(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened from an agency's letter, the letterhead and signatory dialog keeps its typing like the others."""
    asked = answer_discard_question(monkeypatch, discard=False)
    page = section11_with(window, demo_workspace, "Housing")
    letter = page.open_agency(page.participant_uuid() or "").letter
    letter.edit_letterhead()
    dialog = letter.dialog
    assert isinstance(dialog, LetterheadDialog) and dialog.guard is not None
    before = dialog.signatory.text()
    qtbot.keyClicks(dialog.signatory, " Jnr")
    qtbot.keyClick(dialog.signatory, Qt.Key.Key_Escape)
    assert asked == ["Discard what you typed in \u201cLetterhead and signatory\u201d?"] and dialog.isVisible()
    answer_discard_question(monkeypatch, discard=True)
    qtbot.keyClick(dialog.signatory, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.guard.draft() is None
    with window.workspace.reading() as session:
        assert letter_settings(session).signatory_name == before

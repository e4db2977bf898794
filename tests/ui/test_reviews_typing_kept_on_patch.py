"""Typing kept when this tab's own change is patched into the rows (found in review): the work runs later,
as the app's worker runs it, so the patch arrives while the tab's change is still being delivered."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.helpers.areas import answer_save_question, area_page, open_largest_review
from ui.areas.reviews import ReviewsPage

pytestmark = pytest.mark.gui


def _chronology(qtbot: Any, workspace: Any) -> tuple[ReviewsPage, Any]:
    """A reviews page whose work runs later, and its largest review's chronology tab, rows loaded and
    the table focused (hold the page: it owns the tab)."""
    page, _statuses = area_page(qtbot, workspace, ReviewsPage, later=True)
    chronology = open_largest_review(page, workspace).chronology
    qtbot.waitUntil(lambda: chronology._rows_loaded and not chronology._loads_in_flight, timeout=60_000)
    chronology.table.setFocus()
    return page, chronology


def test_undo_keeps_typing_in_another_entry(qtbot: Any, demo_workspace: Any) -> None:
    _page, chronology = _chronology(qtbot, demo_workspace)
    chronology.select_uuid(chronology.model.row_at(5).uuid)
    chronology.editor.event_text.setPlainText("saved edit of row 5")
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not chronology._loads_in_flight, timeout=60_000)
    chronology.select_uuid(chronology.model.row_at(9).uuid)
    chronology.editor.event_text.setPlainText("TYPED BUT NOT SAVED")
    assert chronology.editor.has_unsaved_changes()
    chronology.undo()  # the Undo button: undoes the saved edit of row 5
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not chronology._loads_in_flight, timeout=60_000)
    assert chronology.editor.event_text.toPlainText() == "TYPED BUT NOT SAVED"


def test_deleting_a_row_keeps_a_new_entry_being_typed(qtbot: Any, demo_workspace: Any, monkeypatch: Any) -> None:
    from ui import messages
    from ui.kit import edit_guard

    _page, chronology = _chronology(qtbot, demo_workspace)
    chronology.select_uuid(chronology.model.row_at(3).uuid)
    chronology.new_entry()
    chronology.editor.source.setText("Reviewer")
    chronology.editor.event_text.setPlainText("NEW ENTRY BEING TYPED")
    assert chronology.editor.has_unsaved_changes()
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    chronology.delete_selected()
    qtbot.wait(300)
    # another row went: nothing to ask (it once asked three times), the new entry's text stays, no row selected
    assert asked == []
    assert chronology.editor.uuid is None
    assert chronology.editor.event_text.toPlainText() == "NEW ENTRY BEING TYPED"
    assert chronology.current_uuid() is None


def test_deleting_another_row_keeps_an_edited_entry_selected(qtbot: Any, demo_workspace: Any, monkeypatch: Any) -> None:
    from ui import messages
    from ui.kit import edit_guard

    _page, chronology = _chronology(qtbot, demo_workspace)
    edited, doomed = chronology.model.row_at(9).uuid, chronology.model.row_at(3).uuid
    chronology.select_uuid(edited)
    chronology.editor.event_text.setPlainText("EDITED BUT NOT SAVED")
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    chronology.table.selectionModel().select(
        chronology.model.index(3, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )  # a click with Ctrl on row 3 would do this: selected for deletion, the editor keeps entry 9
    assert chronology.selected_uuids() == [doomed]
    chronology.delete_selected()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not chronology._loads_in_flight, timeout=60_000)
    assert asked == []
    assert chronology.model.view_row_of(doomed) < 0
    assert chronology.editor.uuid == edited and chronology.current_uuid() == edited
    assert chronology.editor.event_text.toPlainText() == "EDITED BUT NOT SAVED"


def test_choosing_another_row_asks_once(qtbot: Any, demo_workspace: Any, monkeypatch: Any) -> None:
    from ui.kit import edit_guard

    _page, chronology = _chronology(qtbot, demo_workspace)
    chronology.select_uuid(chronology.model.row_at(2).uuid)
    chronology.editor.event_text.setPlainText("EDITED BUT NOT SAVED")
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    chronology.select_uuid(chronology.model.row_at(6).uuid)
    qtbot.wait(100)
    assert len(asked) == 1  # once, not once for the row change and again for the selection call
    assert chronology.editor.event_text.toPlainText() == "EDITED BUT NOT SAVED"

"""Typing kept when this tab's own change is patched into the rows (found in review): the work runs later,
as the app's worker runs it, so the patch arrives while the tab's change is still being delivered."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from app.records import ChangeSet
from tests.helpers.areas import largest_review
from ui.areas.base import AreaContext
from ui.areas.reviews import ReviewsPage

pytestmark = pytest.mark.gui


def _page(qtbot: Any, workspace: Any) -> ReviewsPage:
    window = QWidget()
    qtbot.addWidget(window)
    pages: list[Any] = []

    def publish(changes: ChangeSet, initiator: object | None = None) -> None:
        context.initiator = initiator
        try:
            for page in pages:
                page.on_changes(changes)
        finally:
            context.initiator = None

    def run_later(_label: str, work: Any, on_done: Any, _c: bool) -> None:
        def go() -> None:
            result = work(None)
            if isinstance(result, ChangeSet):
                publish(result)
            if on_done is not None:
                on_done(result)

        QTimer.singleShot(0, go)

    context = AreaContext(workspace, window, run_later, publish, lambda _t: None, lambda _k: None)
    page = ReviewsPage(context)
    pages.append(page)
    qtbot.addWidget(page)
    page.show()
    return page


def test_undo_keeps_typing_in_another_entry(qtbot: Any, demo_workspace: Any) -> None:
    page = _page(qtbot, demo_workspace)
    page.open_review(largest_review(demo_workspace))
    chronology = page.review.chronology
    qtbot.waitUntil(lambda: chronology._rows_loaded and not chronology._loads_in_flight, timeout=60_000)
    chronology.table.setFocus()
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

    page = _page(qtbot, demo_workspace)
    page.open_review(largest_review(demo_workspace))
    chronology = page.review.chronology
    qtbot.waitUntil(lambda: chronology._rows_loaded and not chronology._loads_in_flight, timeout=60_000)
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(3).uuid)
    chronology.new_entry()
    chronology.editor.source.setText("Reviewer")
    chronology.editor.event_text.setPlainText("NEW ENTRY BEING TYPED")
    assert chronology.editor.has_unsaved_changes()
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    monkeypatch.setattr(edit_guard, "ask_save_changes", lambda *_a: asked.append("asked") or edit_guard.Answer.Cancel)
    chronology.delete_selected()
    qtbot.wait(300)
    assert asked  # Save / Discard / Cancel, and Cancel keeps the new entry's text
    assert chronology.editor.event_text.toPlainText() == "NEW ENTRY BEING TYPED"

"""Nothing typed is lost by locking: every editable form's unsaved edits come back after unlock.

Each test types into a form of the real main window, presses Ctrl+L in that field, unlocks with
the passphrase, and expects the same area, record, field and text, still unsaved (and nothing of
it written to the records until the user saves).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions, progress_history
from app.demo import DEMO_PASSPHRASE
from app.store.drafts import take_drafts
from app.store.workspace import Workspace
from tests.helpers.drafts import lock_in, open_largest_review_in
from tests.helpers.shell import unlock_with, unlocked_on
from ui.actions.form import ActionFormDialog
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

pytestmark = pytest.mark.gui

TYPED = "Typed just before the lock: health visitor saw bruising"


def _type_then_lock(qtbot: QtBot, window: MainWindow, field: QWidget) -> str:
    """Type into `field`, press Ctrl+L there; returns what the field held at the lock."""
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, TYPED)
    held = _text(field)
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is None
    assert "Unsaved edits in 1 form were kept" in window.lock_screen.detail.text()
    return held


def _unlock(qtbot: QtBot, window: MainWindow) -> Any:
    window.unlock()
    unlock_with(qtbot, window, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    wait_for_idle()
    assert window.current_page() is window.pages["reviews"]
    return window.pages["reviews"].review


def _text(widget: Any) -> str:
    return widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()


FORMS: dict[str, tuple[Callable[[Any], QWidget], Callable[[Any], Any]]] = {
    # form: (how to reach its field in an open review, how to start editing)
    "chronology entry": (
        lambda review: review.chronology.editor.event_text,
        lambda review: review.chronology.select_uuid(review.chronology.model.row_at(0).uuid),
    ),
    "new chronology entry": (
        lambda review: review.chronology.editor.event_text,
        lambda review: review.chronology.new_entry(),
    ),
    "episode": (lambda review: review.episodes.description, lambda review: review.episodes.new()),
    "finding": (lambda review: review.findings.finding_text, lambda review: review.findings.new_finding()),
    "recommendation": (
        lambda review: review.findings.recommendation_text,
        lambda review: review.findings.new_recommendation(),
    ),
    "person in the register": (
        lambda review: review.people.role,
        lambda review: review.people.people.setCurrentCell(1, 0),
    ),
    "new person": (lambda review: review.people.other_names, lambda review: review.people.clear_form()),
    "glossary term": (
        lambda review: review.glossary.replacement,
        lambda review: review.glossary.terms.setCurrentCell(0, 0),
    ),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_unsaved_edits_come_back_after_lock_in_the_same_field(
    form: str, qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    field_of, start = FORMS[form]
    review = open_largest_review_in(qtbot, window, demo_workspace)
    tab = review.tabs.indexOf(
        next(
            t
            for t in (review.chronology, review.episodes, review.findings, review.people, review.glossary)
            if t.isAncestorOf(field_of(review))
        )
    )
    review.tabs.setCurrentIndex(tab)
    start(review)
    before = _text(field_of(review))
    held = _type_then_lock(qtbot, window, field_of(review))
    assert held != before and TYPED in held

    review = _unlock(qtbot, window)
    assert review is not None and review.tabs.currentIndex() == tab
    field = field_of(review)
    qtbot.waitUntil(lambda: _text(field) == held)  # a chronology puts it back once its rows have loaded
    assert window.focusWidget() is field  # the focus goes back to the field (once the window is active)
    assert window.workspace is not None
    assert take_drafts(window.workspace) == []  # handed back once: none is left to offer twice
    assert review.tabs.currentWidget().isAncestorOf(field)


def test_a_form_with_nothing_typed_keeps_no_draft(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    review = open_largest_review_in(qtbot, window, demo_workspace)
    review.chronology.select_uuid(review.chronology.model.row_at(0).uuid)
    review.chronology.editor.event_text.setFocus()
    qtbot.keyClick(review.chronology.editor.event_text, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is None
    assert "Unsaved edits" not in window.lock_screen.detail.text()


def _unlock_to_form(qtbot: QtBot, window: MainWindow, area: str) -> Any:
    """Unlock; the area is shown again with its form (a dialog) open and filled."""
    window.unlock()
    unlock_with(qtbot, window, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    wait_for_idle()
    page = window.pages[area]
    assert window.current_page() is page
    assert page.dialog is not None and page.dialog.isVisible()
    return page.dialog


@pytest.mark.parametrize("last_field", ["lead", "title"])
def test_a_new_action_typed_in_the_tracker_comes_back(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, last_field: str
) -> None:
    page = unlocked_on(window, demo_workspace, "actions")
    page.new_action.trigger()
    form = page.dialog
    qtbot.keyClicks(form.title, "Audit follow-up of missed appointments")
    form.lead.setFocus()
    qtbot.keyClicks(form.lead, "Dr Okafor")
    getattr(form, last_field).setFocus()
    lock_in(qtbot, window, getattr(form, last_field))

    form = _unlock_to_form(qtbot, window, "actions")
    assert isinstance(form, ActionFormDialog)
    assert form.action_uuid is None
    assert form.title.toPlainText() == "Audit follow-up of missed appointments"
    assert form.lead.text() == "Dr Okafor" and form.focusWidget() is getattr(form, last_field)
    assert form.title.textCursor().atEnd() or last_field != "title"  # typing goes on where it stopped
    with window.workspace.reading() as session:
        assert not any(a.title.startswith("Audit follow-up of missed") for a in list_actions(session))


def test_an_edited_action_comes_back_on_the_same_action(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = unlocked_on(window, demo_workspace, "actions")
    wait_for_idle()
    qtbot.waitUntil(lambda: page.view_model.rowCount() > 0)
    page.select_view_row(0)
    page.edit_selected()
    form = page.dialog
    uuid, before = form.action_uuid, form.measure.text()
    form.measure.setFocus()
    qtbot.keyClicks(form.measure, " and audited")
    lock_in(qtbot, window, form.measure)

    form = _unlock_to_form(qtbot, window, "actions")
    assert isinstance(form, ActionFormDialog)
    assert form.action_uuid == uuid and form.measure.text() == before + " and audited"


def test_an_action_from_a_recommendation_keeps_its_source(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    review = open_largest_review_in(qtbot, window, demo_workspace)
    findings = review.findings
    review.tabs.setCurrentWidget(findings)
    findings.recommendations.setCurrentRow(0)
    findings.create_action()
    form = findings.dialog
    given = form._given_source
    form.lead.setFocus()
    qtbot.keyClicks(form.lead, "Named lead")
    lock_in(qtbot, window, form.lead)

    form = _unlock_to_form(qtbot, window, "actions")
    assert isinstance(form, ActionFormDialog)
    assert form.lead.text() == "Named lead"
    assert form._source() == given  # still linked to the recommendation it came from


def test_a_review_being_registered_comes_back_with_its_ticked_agencies(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = unlocked_on(window, demo_workspace, "reviews")
    page.new_review()
    form = page.dialog
    qtbot.keyClicks(form.title, "Learning review for Child D")
    form.agencies.item(0).setCheckState(Qt.CheckState.Checked)
    ticked = form.agencies.item(0).text()
    form.subject.setFocus()
    qtbot.keyClicks(form.subject, "Child D")
    lock_in(qtbot, window, form.subject)

    form = _unlock_to_form(qtbot, window, "reviews")
    assert form.isVisible() and form.review_uuid is None
    assert form.title.text() == "Learning review for Child D" and form.subject.text() == "Child D"
    assert form.agencies.item(0).text() == ticked and form.agencies.item(0).checkState() == Qt.CheckState.Checked
    assert form.focusWidget() is form.subject


def test_a_progress_update_typed_before_the_lock_saves_and_moves_on_as_before(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """After the unlock the tracker had nothing selected (the panel read "Select an action") and Enter in the
    restored update stayed on the same action instead of moving to the next, as Ctrl+U, Enter does."""
    page = unlocked_on(window, demo_workspace, "actions")
    wait_for_idle()
    qtbot.waitUntil(lambda: page.view_model.rowCount() > 1)
    first, second = page.visible_rows()[:2]
    page.select_view_row(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    qtbot.keyClicks(dialog.text, "Audit of 20 CIN plans done")
    lock_in(qtbot, window, dialog.text)

    dialog = _unlock_to_form(qtbot, window, "actions")
    page = window.pages["actions"]
    assert dialog.text.text() == "Audit of 20 CIN plans done"
    assert [row.uuid for row in page.selected_rows()] == [first.uuid]
    assert page.details.row is not None and page.details.row.uuid == first.uuid
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    wait_for_idle()
    qtbot.waitUntil(lambda: [row.uuid for row in page.selected_rows()] == [second.uuid])
    with window.workspace.reading() as session:
        assert progress_history(session, first.uuid)[-1].text == "Audit of 20 CIN plans done"

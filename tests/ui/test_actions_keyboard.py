"""A whole meeting's work on one action with the keyboard only: add, update progress, close with evidence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions, progress_history
from app.actions.rag import Rag
from app.store.workspace import Workspace
from tests.helpers.shortcut_audit import ALT, CTRL
from ui.actions.form import ActionFormDialog
from ui.actions.quick_dialogs import ProgressEntryDialog
from ui.areas.actions import ActionsPage

pytestmark = pytest.mark.gui


def _focus(dialog: QWidget) -> QWidget:
    """Where the keyboard is inside the dialog."""
    widget = dialog.focusWidget()
    assert widget is not None
    return widget


def test_add_progress_and_close_with_evidence_by_keyboard_only(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Ctrl+N is New workspace
    form = page.dialog
    assert isinstance(form, ActionFormDialog) and form.isVisible() and form.focusWidget() is form.title
    qtbot.keyClicks(form.title, "Re-audit strategy discussions for health attendance")
    qtbot.keyClick(form.title, Qt.Key.Key_Tab)  # -> source kind
    qtbot.keyClicks(_focus(form), "Multi")  # keyboard search picks "Multi-agency audit"
    qtbot.keyClick(_focus(form), Qt.Key.Key_Tab)  # -> source
    qtbot.keyClicks(_focus(form), "Neglect audit 2026")
    qtbot.keyClick(_focus(form), Qt.Key.Key_Return)  # Enter saves
    assert not form.isVisible(), (form.error.text(), _focus(form).accessibleName(), form.source_kind.currentText())
    [added] = [r for r in page.selected_rows()]
    assert added.title == "Re-audit strategy discussions for health attendance"
    assert (added.source_label, added.source_kind_label) == ("Neglect audit 2026", "Multi-agency audit")

    qtbot.keyClick(page.table, Qt.Key.Key_U, CTRL)
    progress = page.dialog
    assert isinstance(progress, ProgressEntryDialog) and progress.focusWidget() is progress.text
    qtbot.keyClicks(progress.text, "Dip sample of 20 strategy discussions done")
    qtbot.keyClick(progress.text, Qt.Key.Key_Return)
    assert not progress.isVisible()
    assert page.selected_rows()[0].uuid == added.uuid  # the last row: the selection stays on it
    assert page.details.history_table.item(0, 2).text() == "Dip sample of 20 strategy discussions done"

    qtbot.keyClick(page.table, Qt.Key.Key_E, CTRL)
    form = page.dialog
    assert isinstance(form, ActionFormDialog) and form.action_uuid == added.uuid
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.keyClick(form, Qt.Key.Key_T, ALT)  # S&tatus
    assert form.focusWidget() is form.status
    qtbot.keyClicks(form.status, "Cl")  # keyboard search: the first status starting "Cl"
    assert form.status.currentData() == "closed_impact_evidenced"
    qtbot.keyClick(form, Qt.Key.Key_E, ALT)  # &Evidence of impact
    assert form.focusWidget() is form.evidence, form.focusWidget().accessibleName()
    qtbot.keyClicks(_focus(form), "Health information at 18 of 20 discussions, up from 9")
    qtbot.keyClick(form, Qt.Key.Key_B, ALT)  # Approved &by
    assert form.focusWidget() is form.approver, form.focusWidget().accessibleName()
    qtbot.keyClicks(_focus(form), "Dr Helen Marsh")
    qtbot.keyClick(form, Qt.Key.Key_G, ALT)  # At meetin&g
    assert form.focusWidget() is form.meeting, form.focusWidget().accessibleName()
    qtbot.keyClicks(form.meeting, "QA subgroup, 12 June")
    qtbot.keyClick(form.meeting, Qt.Key.Key_Return)
    assert not form.isVisible(), form.error.text()

    with demo_workspace.reading() as session:
        row = next(r for r in list_actions(session) if r.uuid == added.uuid)
        history = progress_history(session, added.uuid)
    assert row.rag is Rag.BLUE and row.status == "closed_impact_evidenced"
    assert (row.approved_by, row.approved_at_meeting) == ("Dr Helen Marsh", "QA subgroup, 12 June")
    assert row.impact_evidence.startswith("Health information at 18 of 20")
    assert [h.text for h in history] == ["Dip sample of 20 strategy discussions done"]
    assert "Closure approved by Dr Helen Marsh at QA subgroup, 12 June" in page.details.summary.toPlainText()


def test_a_source_typed_without_its_kind_is_refused_not_dropped(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    before = len(page.visible_rows())
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    form = page.dialog
    assert isinstance(form, ActionFormDialog)
    qtbot.keyClicks(form.title, "Audit neglect referrals")
    qtbot.keyClicks(form.source_label, "Neglect audit 2026")  # the kind left at "No source"
    qtbot.keyClick(form.source_label, Qt.Key.Key_Return)
    assert form.isVisible() and "Neglect audit 2026" in form.error.text() and "Source kind" in form.error.text()
    assert form.focusWidget() is form.source_kind
    assert len(page.visible_rows()) == before  # nothing written
    qtbot.keyClicks(form.source_kind, "Multi")
    qtbot.keyClick(form.source_label, Qt.Key.Key_Return)
    assert not form.isVisible()
    [added] = page.selected_rows()
    assert (added.source_label, added.source_kind_label) == ("Neglect audit 2026", "Multi-agency audit")


def test_ctrl_f_goes_to_the_search_from_the_table(page: ActionsPage, qtbot: QtBot) -> None:
    """The search and the filters were 10 to 14 Tabs away from the table, with no key to reach them."""
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "caseload")
    assert page.visible_rows() and all("caseload" in row.title.casefold() for row in page.visible_rows())
    assert "(Ctrl+F)" in page.search.placeholderText()


def test_ctrl_z_in_the_tracker_says_how_to_put_a_mistake_right(qtbot: QtBot, demo_workspace: Workspace) -> None:
    """Ctrl+Z after a mistaken edit did nothing and said nothing."""
    from tests.helpers.areas import area_page
    from ui.areas.actions import UNDO_HINT

    page, statuses = area_page(qtbot, demo_workspace, ActionsPage, active=True)
    page.select_view_row(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    assert statuses[-1] == UNDO_HINT and "Ctrl+E" in UNDO_HINT
    page.search.setFocus()
    qtbot.keyClicks(page.search, "caseload")
    qtbot.keyClick(page.search, Qt.Key.Key_Z, CTRL)  # typing is still undone in a text field
    assert page.search.text() == ""
    page.shutdown()

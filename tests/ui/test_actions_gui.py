"""The actions area driven with the keyboard and mouse, on the demo workspace."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.actions.filters import ActionFilter
from app.actions.queries import list_actions, progress_history
from app.actions.rag import Rag
from app.actions.sources import AUDIT, SourceRef
from app.records import ChangeSet
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from tests.helpers.areas import made_by_seen
from tests.helpers.workspaces import refuse_commits, refuse_writes
from ui.actions.form import ActionFormDialog, open_new_action_dialog
from ui.actions.table_model import RAG_COLUMN, ActionTableModel
from ui.areas.actions import ActionsPage

pytestmark = pytest.mark.gui


def test_table_model_passes_the_model_tester(qtmodeltester: Any, demo_workspace: Workspace) -> None:
    model = ActionTableModel()
    with demo_workspace.reading() as session:
        model.set_rows(list_actions(session))
    qtmodeltester.check(model)
    texts = {model.index(r, RAG_COLUMN).data() for r in range(model.rowCount())}
    assert {"Red", "Green", "Blue"} <= {t.split(" ")[0] for t in texts}
    assert model.index(0, RAG_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_filters_and_dashboard_click_through(page: ActionsPage, qtbot: QtBot) -> None:
    total = page.model.rowCount()
    assert total >= 55 and page.view_model.rowCount() == total == page.view_model.action_count()
    page.rag_filter.setCurrentIndex(page.rag_filter.findData("red"))
    assert 0 < page.view_model.rowCount() < total
    assert all(row.rag is Rag.RED for row in page.visible_rows())
    page.set_filter(ActionFilter())
    overdue = page.dashboard.dashboard.overdue.value
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.dashboard.buttons["overdue"], Qt.MouseButton.LeftButton)
    assert page.tabs.currentIndex() == 0 and page.overdue_filter.isChecked()
    assert page.view_model.rowCount() == overdue and all(r.overdue for r in page.visible_rows())
    qtbot.mouseClick(page.dashboard.buttons["agency:Police"], Qt.MouseButton.LeftButton)
    assert page.visible_rows() and {r.agency for r in page.visible_rows()} == {"Police"}
    assert not page.overdue_filter.isChecked()
    page.set_filter(ActionFilter(source_kind=AUDIT))
    assert {r.source_kind for r in page.visible_rows()} == {AUDIT}


def test_group_by_source_keeps_sources_together(page: ActionsPage) -> None:
    page.group_by_source.setChecked(True)
    page.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # by due date within each source
    rows = page.visible_rows()
    keys = [(r.source_kind_label, r.source_label) for r in rows]
    assert keys == sorted(keys)
    first_group = [r.due for r in rows if (r.source_kind_label, r.source_label) == keys[0]]
    assert first_group == sorted(first_group)


def test_keyboard_progress_flow_saves_and_moves_to_the_next_row(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    page.table.setFocus()
    page.select_view_row(0)
    first = page.visible_rows()[0]
    second = page.visible_rows()[1]
    qtbot.keyClick(page.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.focusWidget() is dialog.text
    qtbot.keyClicks(dialog.text, "Chair asked for a re-audit in June")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    with demo_workspace.reading() as session:
        history = progress_history(session, first.uuid)
    assert history[-1].text == "Chair asked for a re-audit in June"
    assert history[-1].author == demo_workspace.member.display_name
    assert page.selected_rows()[0].uuid == second.uuid


def test_bulk_due_change_asks_one_reason(page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace) -> None:
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.view_model.index(1, 0),
        page.table.selectionModel().SelectionFlag.Select | page.table.selectionModel().SelectionFlag.Rows,
    )
    chosen = [r.reference for r in page.selected_rows()]
    assert len(chosen) == 2
    page.due_action.trigger()
    dialog = page.dialog
    assert not dialog.ok_button.isEnabled()
    new_due = date.today() + timedelta(days=60)
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, new_due.strftime("%d/%m/%Y"))
    qtbot.keyClicks(dialog.reason, "Re-planned after the inspection")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with demo_workspace.reading() as session:
        dues = {r.reference: r.due for r in list_actions(session)}
        summary, changes = session.execute(
            select(AuditEntry.summary, AuditEntry.changes).order_by(AuditEntry.id.desc()).limit(1)
        ).one()
    assert all(dues[ref] == new_due for ref in chosen)
    assert "Re-planned after the inspection" in summary and json.loads(changes)["actions"] == chosen


def test_create_action_prefilled_from_a_source(qtbot: QtBot, demo_workspace: Workspace) -> None:
    published: list[ChangeSet] = []
    dialog = open_new_action_dialog(None, demo_workspace, SourceRef(AUDIT, "Neglect audit 2026"), published.append)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ActionFormDialog) and dialog.isVisible()
    assert dialog.source_kind.currentData() == AUDIT and dialog.source_label.text() == "Neglect audit 2026"
    qtbot.keyClicks(dialog.title, "Re-audit neglect cases in six months")
    dialog.owner.setCurrentIndex(dialog.owner.findData("HV"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and published and published[0].touches("action")
    with demo_workspace.reading() as session:
        row = next(r for r in list_actions(session) if r.title == "Re-audit neglect cases in six months")
    assert (row.source_kind, row.source_label, row.agency) == (AUDIT, "Neglect audit 2026", "HV")


def test_form_refuses_closure_without_evidence_and_keeps_the_form_open(page: ActionsPage, qtbot: QtBot) -> None:
    page.set_filter(ActionFilter(status="in_progress"))
    target = next(r for r in page.visible_rows() if not r.overridden)
    page.select_uuid(target.uuid)
    page.edit_action.trigger()
    dialog = page.dialog
    qtbot.addWidget(dialog)
    dialog.evidence.setPlainText("")
    dialog.status.setCurrentIndex(dialog.status.findData("closed_impact_evidenced"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "without evidence of impact" in dialog.error.text()
    dialog.override.setCurrentIndex(dialog.override.findData("red"))
    dialog.status.setCurrentIndex(dialog.status.findData("in_progress"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "needs a reason" in dialog.error.text()
    qtbot.keyClicks(dialog.override_reason, "Partner withdrew funding")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    row = next(r for r in page.model.rows if r.uuid == target.uuid)
    assert row.rag is Rag.RED and row.overridden and "override" in row.rag_text


def test_dashboard_chart_draws_agency_names_with_dollar_signs(qtbot: QtBot, demo_workspace: Workspace) -> None:
    import dataclasses

    from ui.actions.dashboard import DashboardWidget

    with demo_workspace.reading() as session:
        rows = [dataclasses.replace(r, agency=r"C$\zz$") for r in list_actions(session, date.today())]
    dashboard = DashboardWidget()
    qtbot.addWidget(dashboard)
    dashboard.set_rows(rows)
    dashboard.canvas.draw()  # would raise on "$\zz$" read as mathematics
    labels = [t.get_text() for t in dashboard.figure.axes[0].get_xticklabels()]
    assert labels == [r"C\$\zz\$"]


def _save_while(
    refuse: Callable[[Workspace, bool], None], workspace: Workspace, dialog: ActionFormDialog, qtbot: QtBot
) -> None:
    """Click the form's Save while `refuse` (a tests.helpers.workspaces refusal) holds, and lift it after."""
    refuse(workspace, True)
    try:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    finally:
        refuse(workspace, False)


def test_a_refused_save_keeps_the_typing_and_the_saved_action_is_the_pages_own(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = made_by_seen(monkeypatch, page)
    page.new_action_dialog()
    dialog = page.dialog
    assert isinstance(dialog, ActionFormDialog)
    qtbot.keyClicks(dialog.title, "Audit the core group minutes")
    qtbot.keyClicks(dialog.lead, "Sam Lead")
    _save_while(refuse_writes, demo_workspace, dialog, qtbot)
    assert dialog.isVisible() and dialog.error.isVisible() and "read-only" in dialog.error.text()
    assert (dialog.title.toPlainText(), dialog.lead.text()) == ("Audit the core group minutes", "Sam Lead")
    assert dialog.action_uuid is None and seen == []

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # writable again: the same form saves
    assert not dialog.isVisible() and dialog.action_uuid is not None
    assert seen == [True]  # the page's own write, as context.write would publish it
    assert [row.uuid for row in page.selected_rows()] == [dialog.action_uuid]


def test_a_save_refused_at_its_commit_leaves_the_form_a_new_action(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The action was made inside the transaction before the disk refused the commit: the form must not
    take its uuid or reference, or the next save would edit an action that was never stored."""
    seen = made_by_seen(monkeypatch, page)
    before = page.model.rowCount()
    page.new_action_dialog()
    dialog = page.dialog
    assert isinstance(dialog, ActionFormDialog)
    qtbot.keyClicks(dialog.title, "Check the escalation policy")
    _save_while(refuse_commits, demo_workspace, dialog, qtbot)
    assert dialog.isVisible() and "disk is full" in dialog.error.text()
    assert (dialog.action_uuid, dialog.reference, dialog.windowTitle()) == (None, "", "New action")
    assert seen == []
    with demo_workspace.reading() as session:
        assert not [a for a in list_actions(session) if a.title == "Check the escalation policy"]

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the disk has room again: it is added
    assert not dialog.isVisible() and dialog.action_uuid is not None and dialog.reference.startswith("ACT-")
    assert seen == [True] and page.model.rowCount() == before + 1
    with demo_workspace.reading() as session:
        made = [a for a in list_actions(session) if a.title == "Check the escalation policy"]
    assert [(a.uuid, a.reference) for a in made] == [(dialog.action_uuid, dialog.reference)]


def test_the_due_date_dialog_names_its_actions_and_shows_a_whole_problem(page: ActionsPage, qtbot: QtBot) -> None:
    """At 1366x768 the dialog was 240 px wide: its title was cut, it did not say which action was moving, and
    "The new due date '31/13/2026' cannot be read: ..." was clipped after its second line."""
    page.table.setFocus()
    page.select_view_row(0)
    chosen = page.selected_rows()[0]
    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "31/13/2026")
    qtbot.keyClicks(dialog.reason, "Lead officer back from leave in January")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.problem.isVisible() and "31/13/2026" in dialog.problem.text()
    problem = dialog.problem
    qtbot.waitUntil(lambda: problem.height() >= problem.heightForWidth(problem.width()))  # every line shown
    assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(dialog.reason.placeholderText()) + 100
    assert f"{chosen.reference}  {chosen.title}" in dialog.heading.text()


def test_a_filtered_export_says_which_actions_it_holds(page: ActionsPage, tmp_path: Any) -> None:
    """An agency's in-progress actions exported for the subgroup read "Action tracker - 3 actions" with
    nothing to tell the meeting that the other agencies' actions were left out."""
    from openpyxl import load_workbook
    from pypdfium2 import PdfDocument

    page.agency_filter.setCurrentIndex(page.agency_filter.findText("CSC"))
    page.status_filter.setCurrentIndex(page.status_filter.findData("in_progress"))
    page.overdue_filter.setChecked(False)
    page.search.setText("audit")
    shown = len(page.visible_rows())
    page.export_to(tmp_path / "tracker.pdf", "pdf")
    page.export_to(tmp_path / "tracker.xlsx", "xlsx")
    text = PdfDocument(tmp_path / "tracker.pdf")[0].get_textpage().get_text_range()
    wanted = 'Action tracker - owner CSC; status In progress; search "audit"'
    assert wanted in " ".join(text.split()), text[:300]
    first = load_workbook(tmp_path / "tracker.xlsx").active
    assert any(wanted in str(cell.value or "") for row in first.iter_rows(max_row=3) for cell in row)
    assert page.view_model.action_count() == shown

    page.set_filter(ActionFilter())
    page.export_to(tmp_path / "all.pdf", "pdf")
    text = PdfDocument(tmp_path / "all.pdf")[0].get_textpage().get_text_range()
    assert "Action tracker" in text and "owner" not in text.split("grouped by source")[0]


def test_the_edit_form_says_which_action_it_edits(page: ActionsPage, qtbot: QtBot) -> None:
    """It was titled "Edit action" over the row it hides, so the reference was nowhere on screen."""
    page.select_view_row(2)
    chosen = page.selected_rows()[0]
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    form = page.dialog
    assert isinstance(form, ActionFormDialog)
    assert form.windowTitle() == form.accessibleName() == f"Edit {chosen.reference}"
    form.reject()

"""The action tracker area: a filterable table for live updates in meetings, and a dashboard.

Keyboard flow in a meeting: select an action, Ctrl+U, type the update, Enter;
the update is saved and the next action is selected, ready for Ctrl+U again.
Below the table, the selected action's details: source, RAG with its reason,
the full progress history, evidence of impact with its files, closure approval
(Ctrl+I moves the focus there, Ctrl+T back to the table).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.actions.exports import export_tracker
from app.actions.filters import ActionFilter
from app.actions.queries import ActionRow, list_actions
from app.actions.rag import DUE_SOON_DAYS, Rag
from app.actions.service import add_progress, bulk_change_due, get_action
from app.actions.sources import SourceRef, source_groups, source_labels
from app.actions.status import STATUS_LABELS
from app.agencies import list_agencies
from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.text import count_of
from ui.actions.dashboard import DashboardWidget
from ui.actions.detail_panel import ActionDetailPanel
from ui.actions.form import DRAFT_KEY as FORM_DRAFT_KEY
from ui.actions.form import ActionFormDialog, open_new_action_dialog, source_of_draft
from ui.actions.quick_dialogs import DUE_DATES_DRAFT, PROGRESS_DRAFT, BulkDueDialog, ProgressEntryDialog
from ui.actions.table_model import COLUMNS, RAG_COLUMN, ActionTableModel
from ui.actions.tracker_view import TrackerViewModel
from ui.areas.base import FORM_OPENERS, AreaContext, AreaPage, AreaSpec
from ui.kit.controls import action, button, button_for, check, combo, line, set_combo_data, text_label, two_panes
from ui.kit.edit_guard import Draft
from ui.kit.empty import explain_when_empty
from ui.kit.files import save_file

TABLES = ("action", "progress_update", "action_evidence_file", "agency", "review", "recommendation")
DUE_WINDOWS = (
    (None, "Any due date"),
    (7, "Due in 7 days"),
    (DUE_SOON_DAYS, f"Due in {DUE_SOON_DAYS} days"),
    (90, "Due in 90 days"),
)

UNDO_HINT = (
    "Saved changes to actions are not undone with Ctrl+Z: edit the action again (Ctrl+E) to put it right, "
    "or add a progress update that corrects an earlier one (updates are never deleted). "
    "The audit log on the Workspace page records every change."
)


class ActionsPage(AreaPage):
    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self._select_after_reload: str | None = None
        self._updating_controls = False
        self._keep_selection: tuple[list[str], str | None] = ([], None)
        self.dialog: Any = None
        self.details = ActionDetailPanel(context, self._write)

        self.model = ActionTableModel()
        self.view_model = TrackerViewModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.view_model)
        explain_when_empty(
            self.table,
            "No actions here. Add one with New action… (Ctrl+Shift+N), create one from a "
            "review's recommendation, or clear the filters above.",
        )
        # connected after setModel so these run after the view's own reset handling
        self.view_model.modelAboutToBeReset.connect(self._remember_selection)
        self.view_model.modelReset.connect(self._after_view_reset)
        self.table.setAccessibleName("Action tracker")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # the RAG word is the signal that does not rely on colour: never cut it short
        self.table.setColumnWidth(
            RAG_COLUMN, self.table.fontMetrics().horizontalAdvance("Amber (override; computed Green)") + 16
        )
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current_details())

        self.source_filter = combo(
            "Filter by source", [("All sources", None), *((label, key) for key, label in source_labels().items())]
        )
        self.review_filter = combo("Filter by review")
        self.agency_filter = combo("Filter by owner agency")
        self.status_filter = combo(
            "Filter by status", [("All statuses", None), *((label, key) for key, label in STATUS_LABELS.items())]
        )
        self.rag_filter = combo("Filter by RAG status", [("All RAG", None), *((rag.label, rag.value) for rag in Rag)])
        self.due_filter = combo("Filter by due window", [(label, days) for days, label in DUE_WINDOWS])
        self.overdue_filter = check("&Overdue only", "Show overdue actions only")
        self.search = line("Search actions", placeholder="Search reference, action, lead, source… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.group_by_source = check("Group by &source", "Group actions by source")
        self.group_by_source.toggled.connect(self._group_toggled)
        clear = button("C&lear filters", "Clear all filters", lambda: self.set_filter(ActionFilter()))
        combos = (
            self.source_filter,
            self.review_filter,
            self.agency_filter,
            self.status_filter,
            self.rag_filter,
            self.due_filter,
        )
        for box in combos:
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # filters as wide as their words
            box.currentIndexChanged.connect(self._controls_changed)
        self.overdue_filter.toggled.connect(self._controls_changed)
        self.search.textChanged.connect(self._controls_changed)

        filters = QHBoxLayout()
        for widget in (*combos, self.overdue_filter):
            filters.addWidget(widget)
        second = QHBoxLayout()
        second.addWidget(self.search, 1)
        second.addWidget(self.group_by_source)
        second.addWidget(clear)

        self.new_action = action(self, "&New action…", "Ctrl+Shift+N", self.new_action_dialog)
        self.edit_action = action(self, "&Edit action…", "Ctrl+E", self.edit_selected)
        self.progress_action = action(self, "Add &progress update…", "Ctrl+U", self.progress_for_selected)
        self.due_action = action(self, "Change &due dates…", "Ctrl+Shift+D", self.change_due_dates)
        self.export_xlsx_action = action(self, "Export tracker as &XLSX…", "", lambda: self.choose_export("xlsx"))
        self.export_pdf_action = action(self, "Expo&rt tracker as PDF…", "", lambda: self.choose_export("pdf"))
        self.details_focus_action = action(self, "Go to the &details", "Ctrl+I", self.details.history_table.setFocus)
        self.table_focus_action = action(self, "Go to the &tracker table", "Ctrl+T", self.table.setFocus)
        # the search in one key, as in a chronology: the filters are otherwise 10 to 14 Tabs from the table
        self.search_focus_action = action(self, "&Find actions", "Ctrl+F", self.focus_search)
        # saved edits have no undo here (progress is append-only): Ctrl+Z says how to put a mistake right
        # instead of doing nothing; a text field's own Ctrl+Z still undoes typing
        self.undo_hint_action = action(self, "How to undo", "Ctrl+Z", lambda: self.context.show_status(UNDO_HINT))
        buttons = QHBoxLayout()
        for offered in self.area_actions():  # a button for each action the area offers in the menu
            buttons.addWidget(button_for(offered, ellipsis=False))
        buttons.addStretch(1)
        self.count_label = text_label("Number of actions shown")
        buttons.addWidget(self.count_label)

        tracker = QWidget()
        tracker_layout = QVBoxLayout(tracker)
        tracker_layout.addLayout(filters)
        tracker_layout.addLayout(second)
        tracker_layout.addLayout(buttons)
        # the tracker first: size hints alone gave it a third
        splitter = two_panes(self.table, self.details, vertical=True, sizes=(600, 400))
        splitter.setAccessibleName("Tracker and selected action")
        tracker_layout.addWidget(splitter, 1)
        self.dashboard = DashboardWidget()
        self.dashboard.filter_requested.connect(self.show_filtered)
        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName("Action tracker views")  # screen readers announce the tab bar too
        self.tabs.setAccessibleName("Action tracker views")
        self.tabs.addTab(tracker, "&Tracker")
        self.tabs.addTab(self.dashboard, "Dash&board")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        for panel_action in self.details.actions_for_page():
            self.table.addAction(panel_action)  # attach/save/remove also work while the table has focus
        self.reload()

    # -- data ------------------------------------------------------------------

    def reload(self) -> None:
        workspace = self.context.workspace
        with workspace.reading() as session:
            rows = list_actions(session)
            reviews = source_groups(session)
            agencies = [(a.short_name, a.uuid) for a in list_agencies(session)]
        current = self.view_model.current_filter
        self._updating_controls = True
        try:
            self.review_filter.clear()
            self.review_filter.addItem("All reviews", None)
            for uuid, label in reviews:
                self.review_filter.addItem(label, uuid)
            self.agency_filter.clear()
            self.agency_filter.addItem("All agencies", None)
            for short, uuid in agencies:
                self.agency_filter.addItem(short, uuid)
            self._show_filter_in_controls(current)
        finally:
            self._updating_controls = False
        self.model.set_rows(rows)
        self.view_model.set_filter(current)
        self.dashboard.set_rows(rows)
        self._update_count()
        if self._select_after_reload:
            self.select_uuid(self._select_after_reload)
            self._select_after_reload = None
        self._show_current_details()

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES):
            self.reload()

    def screenshot_views(self) -> list[tuple[str, Callable[[], None]]]:
        """Views for scripts/screenshots.py."""
        return [("selected", lambda: self.table.selectRow(4)), ("dashboard", lambda: self.tabs.setCurrentIndex(1))]

    def main_view(self) -> QWidget | None:
        return self.table

    def area_actions(self) -> list[QAction]:
        return [
            self.new_action,
            self.edit_action,
            self.progress_action,
            self.due_action,
            self.export_xlsx_action,
            self.export_pdf_action,
        ]

    def shutdown(self) -> None:
        self.model.clear()
        self.dashboard.clear()

    # -- filters ---------------------------------------------------------------

    def _filter_from_controls(self) -> ActionFilter:
        rag = self.rag_filter.currentData()
        return ActionFilter(
            source_kind=self.source_filter.currentData(),
            review_uuid=self.review_filter.currentData(),
            agency_uuid=self.agency_filter.currentData(),
            status=self.status_filter.currentData(),
            rag=Rag(rag) if rag else None,
            due_within_days=self.due_filter.currentData(),
            overdue=self.overdue_filter.isChecked(),
            text=self.search.text().strip(),
        )

    def _show_filter_in_controls(self, wanted: ActionFilter) -> None:
        set_combo_data(self.source_filter, wanted.source_kind)
        set_combo_data(self.review_filter, wanted.review_uuid)
        set_combo_data(self.agency_filter, wanted.agency_uuid)
        set_combo_data(self.status_filter, wanted.status)
        set_combo_data(self.rag_filter, wanted.rag.value if wanted.rag else None)
        set_combo_data(self.due_filter, wanted.due_within_days)
        self.overdue_filter.setChecked(wanted.overdue)
        self.search.setText(wanted.text)

    def _controls_changed(self, *_args: object) -> None:
        if self._updating_controls:
            return
        self.view_model.set_filter(self._filter_from_controls())
        self._update_count()

    def set_filter(self, wanted: ActionFilter) -> None:
        self._updating_controls = True
        try:
            self._show_filter_in_controls(wanted)
        finally:
            self._updating_controls = False
        self.view_model.set_filter(wanted)
        self._update_count()

    def show_filtered(self, wanted: ActionFilter) -> None:
        """A dashboard count was clicked: show exactly those actions in the tracker."""
        self.set_filter(wanted)
        self.tabs.setCurrentIndex(0)
        self.table.setFocus()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _group_toggled(self, on: bool) -> None:
        self.view_model.set_group_by_source(on)
        self._update_count()

    def _update_count(self) -> None:
        text = f"{self.view_model.action_count()} of {self.model.rowCount()} actions shown"
        if self.view_model.group_by_source:
            text += f" in {count_of(len(self.view_model.heading_rows()), 'source group')}"
        self.count_label.setText(text)

    def _remember_selection(self) -> None:
        current = self.view_model.row_at(self.table.currentIndex().row())
        self._keep_selection = ([row.uuid for row in self.selected_rows()], current.uuid if current else None)

    def _after_view_reset(self) -> None:
        """Headings span the table's width; what was selected stays selected if it is still shown."""
        self.table.clearSpans()
        for row in self.view_model.heading_rows():
            self.table.setSpan(row, 0, 1, len(COLUMNS))
        uuids, current = self._keep_selection
        self._keep_selection = ([], None)
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for uuid in uuids:
            row = self.view_model.view_row_of(uuid)
            if row >= 0:
                selection.select(self.view_model.index(row, 0), flags)
        if current is not None and (row := self.view_model.view_row_of(current)) >= 0:
            selection.setCurrentIndex(self.view_model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self._show_current_details()

    def _show_current_details(self) -> None:
        row = self.view_model.row_at(self.table.currentIndex().row())
        if row is None:
            selected = self.selected_rows()
            row = selected[0] if selected else None
        self.details.show_action(row)

    # -- selection -------------------------------------------------------------

    def selected_rows(self) -> list[ActionRow]:
        numbers = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [row for row in (self.view_model.row_at(n) for n in numbers) if row is not None]

    def current_view_row(self) -> int:
        index = self.table.currentIndex()
        if index.isValid() and self.view_model.row_at(index.row()) is not None:
            return index.row()
        selected = self.table.selectionModel().selectedRows()
        return selected[0].row() if selected else -1

    def select_uuid(self, uuid: str) -> None:
        row = self.view_model.view_row_of(uuid)
        if row < 0:
            return
        index = self.view_model.index(row, 0)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self.table.scrollTo(index)

    def _select_uuids(self, uuids: list[str]) -> None:
        """Select these actions (those shown), the first one current."""
        if not uuids:
            return
        self.select_uuid(uuids[0])
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for uuid in uuids[1:]:
            if (row := self.view_model.view_row_of(uuid)) >= 0:
                self.table.selectionModel().select(self.view_model.index(row, 0), flags)

    def select_view_row(self, row: int) -> None:
        action = self.view_model.row_at(row)
        if action is not None:
            self.select_uuid(action.uuid)

    # -- commands --------------------------------------------------------------

    def _write(self, label: str, work: Callable[[UnitOfWork], object]) -> None:
        self.context.write(label, work, initiator=self, background=True)

    def new_action_dialog(self) -> None:
        self._new_action_form()

    def _new_action_form(self, source: SourceRef | None = None) -> None:
        def saved(changes: ChangeSet) -> None:
            self._select_after_reload = dialog.action_uuid  # the new action, ready for Ctrl+U
            self._publish_own(changes)

        dialog = ActionFormDialog(self, self.context.workspace, source=source, on_saved=saved)
        self.dialog = dialog
        dialog.open()

    def _publish_own(self, changes: ChangeSet) -> None:
        """Publish what this page's action form wrote, as the page's own write (`context.made_by(self)`)."""
        self.context.publish(changes, self)

    def restore_draft(self, draft: Draft) -> bool:
        """An action form or quick dialog open at the lock: open it again with what was typed."""
        if draft.key in (PROGRESS_DRAFT, DUE_DATES_DRAFT):
            return self._restore_quick_dialog(draft)
        if draft.key != FORM_DRAFT_KEY:
            return False
        if draft.record is not None:
            try:
                self.dialog = ActionFormDialog(
                    self, self.context.workspace, action_uuid=draft.record, on_saved=self._publish_own
                )
            except WorkbenchError:
                return False  # the action is gone (a merge deleted it): nothing to put the edits on
            self.dialog.open()
        else:
            self._new_action_form(source_of_draft(draft))
        self.dialog.guard.take_back(draft)
        return True

    def _restore_quick_dialog(self, draft: Draft) -> bool:
        """The progress update or the due-date move of the same action(s), as typed before the lock."""
        wanted = [draft.record] if draft.key == PROGRESS_DRAFT else draft.scope.get("actions", "").split()
        with self.context.workspace.reading() as session:
            found = []
            for uuid in wanted:
                try:
                    action = get_action(session, uuid or "")
                except WorkbenchError:
                    continue  # gone (a merge deleted it)
                found.append((action.uuid, action.reference, action.title, action.due_date))
        if not found:
            return False
        # the tracker shows the action(s) again, as before the lock (the panel otherwise says "Select an action")
        self._select_uuids([uuid for uuid, *_rest in found])
        if draft.key == PROGRESS_DRAFT:
            uuid, reference, title, _due = found[0]
            shown_at = self.view_model.view_row_of(uuid)
            following = self.view_model.row_at(self.view_model.next_action_row(shown_at)) if shown_at >= 0 else None
            # Enter saves and moves on to the next action, as Ctrl+U, Enter does without a lock between
            self._progress_dialog(uuid, reference, title, following.uuid if following is not None else uuid)
        else:
            self._due_dialog(
                [uuid for uuid, *_rest in found],
                found[0][3],
                [(reference, title) for _u, reference, title, _d in found],
            )
        self.dialog.guard.take_back(draft)
        return True

    def edit_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            self.context.show_status("Select an action to edit.")
            return
        self.dialog = ActionFormDialog(
            self, self.context.workspace, action_uuid=rows[0].uuid, on_saved=self._publish_own
        )
        self.dialog.open()

    def progress_for_selected(self) -> None:
        row_number = self.current_view_row()
        if row_number < 0:
            self.context.show_status("Select an action to add a progress update.")
            return
        row = self.view_model.row_at(row_number)
        assert row is not None  # current_view_row only returns action rows
        following = self.view_model.row_at(self.view_model.next_action_row(row_number))
        next_uuid = following.uuid if following is not None else row.uuid
        self._progress_dialog(row.uuid, row.reference, row.title, next_uuid)

    def _progress_dialog(self, uuid: str, reference: str, title: str, next_uuid: str) -> None:
        dialog = ProgressEntryDialog(self, reference, title, uuid)
        self.dialog = dialog
        author = self.context.workspace.member.display_name

        def save() -> None:
            text = dialog.text.text()
            self._select_after_reload = next_uuid
            self._write(
                f"Saving progress on {reference}…",
                lambda uow: add_progress(uow, get_action(uow.session, uuid), text, author=author),
            )

        dialog.accepted.connect(save)
        dialog.open()

    def change_due_dates(self) -> None:
        rows = self.selected_rows()
        if not rows:
            self.context.show_status("Select the actions whose due dates should move.")
            return
        self._due_dialog([r.uuid for r in rows], rows[0].due, [(r.reference, r.title) for r in rows])

    def _due_dialog(self, uuids: list[str], initial: date, named: list[tuple[str, str]]) -> None:
        dialog = BulkDueDialog(self, len(uuids), initial, tuple(uuids), named)
        self.dialog = dialog

        def save() -> None:
            due, reason = dialog.new_due(), dialog.reason.text()
            self._write(
                f"Moving {count_of(len(uuids), 'due date')}…",
                lambda uow: bulk_change_due(uow, [get_action(uow.session, u) for u in uuids], due, reason),
            )

        dialog.accepted.connect(save)
        dialog.open()

    def choose_export(self, fmt: str) -> None:
        suffix = "Excel workbook (*.xlsx)" if fmt == "xlsx" else "PDF (*.pdf)"
        path = save_file(
            self, f"Export the tracker as {fmt.upper()}", f"action-tracker-{date.today():%Y-%m-%d}.{fmt}", suffix
        )
        if path:
            self.export_to(Path(path), fmt)

    def visible_rows(self) -> list[ActionRow]:
        """The actions the table shows now, in its order (what the user exports)."""
        return self.view_model.visible_rows()

    def export_title(self) -> str:
        """ "Action tracker - owner CSC; status In progress": a filtered paper says which actions it holds,
        or the subgroup reads an agency's three actions as the whole plan."""
        wanted = self.view_model.current_filter
        parts = [
            f"{what} {box.currentText()}"
            for what, box in (
                ("source", self.source_filter),
                ("review", self.review_filter),
                ("owner", self.agency_filter),
                ("status", self.status_filter),
                ("RAG", self.rag_filter),
            )
            if box.currentData() is not None
        ]
        if wanted.due_within_days is not None:
            parts.append(self.due_filter.currentText().lower())
        if wanted.overdue:
            parts.append("overdue only")
        if wanted.text:
            parts.append(f'search "{wanted.text}"')
        return "Action tracker" + (f" - {'; '.join(parts)}" if parts else "")

    def export_to(self, path: Path, fmt: str) -> None:
        rows = self.visible_rows()
        title = self.export_title()
        self.context.run(
            f"Exporting {count_of(len(rows), 'action')}…",
            lambda _p: export_tracker(rows, fmt, path, title=title, overwrite=True),  # the save dialog asked
            lambda out: self.context.show_status(f"Exported {count_of(len(rows), 'action')} to {out}"),
        )


def _status(workspace: Any) -> str:
    with workspace.reading() as session:
        overdue = sum(1 for row in list_actions(session) if row.overdue)
    return count_of(overdue, "overdue action") if overdue else ""


FORM_OPENERS["new_action"] = open_new_action_dialog

AREA = AreaSpec(
    key="actions",
    title="Actions",
    order=40,
    factory=ActionsPage,
    description="Action plans from recommendations to evidenced impact",
    status_provider=_status,
)

"""The reviews area: the register of case reviews, and each review's workspace.

The register lists reviews with their most urgent clock (overdue / due soon in
words and colour). Enter or double-click opens a review: chronology, import,
episodes, findings and recommendations, glossary and anonymisation, timeline,
export. Alt+Left goes back to the register.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from app.errors import WorkbenchError
from app.records import ChangeSet
from app.reviews.register import register
from app.text import count_of
from ui.areas.base import AreaContext, AreaPage, AreaSpec, RegisterStack
from ui.kit.controls import action, button, row_of, text_label
from ui.kit.edit_guard import Draft
from ui.kit.empty import explain_when_empty
from ui.kit.shortcuts import ShortcutClaimer
from ui.kit.table_model import select_key
from ui.operations import wait_for_idle
from ui.reviews.register import REVIEW_FORM_DRAFT, NewReviewDialog, RegisterTableModel
from ui.reviews.review_view import ReviewView
from ui.widgets import EnterTable

TABLES = ("review", "chronology_entry")


#: register column -> width in px for columns whose text wraps (0: fit the text)
REGISTER_WIDTHS = {0: 0, 1: 170, 3: 110, 4: 0, 5: 0, 6: 190, 7: 0, 8: 200}


class ReviewsPage(AreaPage):
    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self.dialog: Any = None
        self.review: ReviewView | None = None
        self.model = RegisterTableModel()
        self.table = EnterTable("Reviews register", self.open_selected)
        self.table.setModel(self.model)
        explain_when_empty(self.table, "No reviews yet. Register one with New review… (Ctrl+Shift+N).")
        # readable at 1280 px: short columns fit their text, long ones wrap onto more lines (rows grow)
        # instead of ending in "…" ("Local child safeguarding…", "On time: 25 working day(…")
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        for column, width in REGISTER_WIDTHS.items():
            if width:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.summary = text_label("Reviews summary")

        self.new_review_action = action(self, "&New review…", "Ctrl+Shift+N", self.new_review)
        self.open_action = action(self, "&Open review", "Ctrl+Shift+O", self.open_selected)
        self.edit_review_action = action(self, "&Edit review…", "Ctrl+Shift+M", self.edit_review)
        self.back_action = action(self, "Back to the &register", "Alt+Left", self.show_register)
        # shortcuts distinct from the window's own (Ctrl+N, Ctrl+O) so both keep working
        self.claimer = ShortcutClaimer(
            self, [self.new_review_action, self.open_action, self.edit_review_action, self.back_action]
        )

        register_page = QWidget()
        buttons = row_of(
            button("&New review… (Ctrl+Shift+N)", "New review", self.new_review),
            button("&Open review (Enter)", "Open the selected review", self.open_selected),
            button("&Edit review… (Ctrl+Shift+M)", "Edit the selected review", self.edit_review),
        )
        buttons.addWidget(self.summary)
        register_layout = QVBoxLayout(register_page)
        register_layout.addLayout(buttons)
        register_layout.addWidget(self.table, 1)
        self.stack = RegisterStack(self, register_page)
        self.reload()

    def reload(self) -> None:
        current = self.selected_uuid()
        with self.context.workspace.reading() as session:
            rows = register(session)
        self.model.set_rows(rows)
        overdue = sum(1 for r in rows if r.overdue)
        soon = sum(1 for r in rows if r.due_soon and not r.overdue)
        self.summary.setText(f"{count_of(len(rows), 'review')}; {overdue} overdue, {soon} due soon")
        for number, row in enumerate(rows):
            if row.uuid == current or (current is None and number == 0):
                self.table.selectRow(number)

    def selected_uuid(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).uuid if rows else None

    def new_review(self) -> None:
        self.dialog = NewReviewDialog(self, self.context.workspace, on_saved=self._registered)
        self.dialog.open()

    def edit_review(self) -> None:
        uuid = self.review.review_uuid if self.review is not None else self.selected_uuid()
        if uuid is None:
            self.context.show_status("Select a review to edit.")
            return
        self.dialog = NewReviewDialog(self, self.context.workspace, on_saved=self._registered, review_uuid=uuid)
        self.dialog.open()

    def _registered(self, changes: ChangeSet, uuid: str) -> None:
        registered = self.dialog.review_uuid is None
        self.context.publish(changes, self)  # its own write: context.made_by(self) while it handles it
        select_key(self.table, uuid)
        if registered and (self.review is None or self.review.review_uuid != uuid):
            if self.open_review(uuid):  # a review is registered to be worked on: open it
                self.context.show_status(
                    f"Registered review {self.dialog.reference}; it is open. Import the agencies' "
                    "chronologies in its Import tab."
                )
            else:  # the review open kept, with its typing
                self.context.show_status(f"Registered review {self.dialog.reference}; it is in the register.")
            return
        self.context.show_status(f"Saved review {self.dialog.reference}")

    def screenshot_views(self) -> list[tuple[str, Callable[[], None]]]:
        """Views for scripts/screenshots.py: the largest review's tabs."""
        if not self.model.rows:
            return []
        rows = self.model.rows
        largest = next((r for r in rows if r.reference.startswith("LCSPR")), rows[0]).uuid

        def tab(index: int) -> Callable[[], None]:
            def show() -> None:
                if self.review is None:
                    self.open_review(largest)
                assert self.review is not None
                self.review.tabs.setCurrentIndex(index)
                if index == 0:  # the editor beside the table shows an entry, once the rows have loaded
                    wait_for_idle()
                    QApplication.processEvents()
                    self.review.chronology.table.selectRow(0)

            return show

        return [("chronology", tab(0)), ("findings", tab(3)), ("timeline", tab(5))]

    def open_selected(self) -> None:
        uuid = self.selected_uuid()
        if uuid is None:
            self.context.show_status("Select a review to open.")
            return
        self.open_review(uuid)

    def open_review(self, uuid: str) -> bool:
        """Open a review; False when the user kept the one open (Cancel to the question about its typing)."""
        if not self._close_review():
            return False
        self.review = ReviewView(self.context, uuid, self.show_register)
        self.stack.push(self.review)
        self.review.chronology.table.setFocus()
        return True

    def restore_draft(self, draft: Draft) -> bool:
        if draft.key == REVIEW_FORM_DRAFT:  # the register / edit review form: open it again
            if draft.record is None:
                self.new_review()
            else:
                try:
                    self.dialog = NewReviewDialog(
                        self, self.context.workspace, on_saved=self._registered, review_uuid=draft.record
                    )
                except WorkbenchError:
                    return False  # the review is gone (deleted by a merge)
                self.dialog.open()
            self.dialog.guard.take_back(draft)
            return True
        review = draft.scope.get("review")
        if not review:
            return False
        try:
            if self.review is None or self.review.review_uuid != review:  # another draft may have opened it
                self.open_review(review)
        except WorkbenchError:
            return False  # the review is gone (deleted by a merge): the draft cannot go back
        # not into another review, should the one open have been kept (Cancel to the question about it)
        return self.review is not None and self.review.review_uuid == review and self.review.restore_draft(draft)

    def show_register(self) -> None:
        if not self._close_review():
            return
        self.stack.setCurrentIndex(0)
        self.reload()
        self.table.setFocus()

    def _close_review(self, ask: bool = True) -> bool:
        """Close the review shown; its typing is asked about first (it used to go without a word), and
        False keeps it open (Cancel). A lock (`ask=False`) has kept the typing as drafts already."""
        if self.review is not None:
            if ask and not self.review.may_leave():
                return False
            self.review.shutdown()
            self.stack.drop(self.review)
            self.review = None
        return True

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES):
            self.reload()
        if self.review is not None:
            self.review.on_changes(changes)

    def main_view(self) -> QWidget | None:
        return self.table

    def area_actions(self) -> list[QAction]:
        return [self.new_review_action, self.open_action, self.edit_review_action, self.back_action]

    def shutdown(self) -> None:
        self._close_review(ask=False)
        self.model.set_rows([])


def _status(workspace: Any) -> str:
    with workspace.reading() as session:
        rows = register(session)
    overdue = sum(1 for r in rows if r.overdue)
    return f"{count_of(overdue, 'review')} with an overdue clock" if overdue else ""


AREA = AreaSpec(
    key="reviews",
    title="Reviews",
    order=20,
    factory=ReviewsPage,
    description="Case reviews and their integrated multi-agency chronologies",
    status_provider=_status,
)

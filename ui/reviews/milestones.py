"""The "Milestones…" dialog of a review: add, re-date, complete or remove its milestones.

Every change is one ``set_milestone`` call in its own unit of work; the change
set is then published so the review's header and the register refresh. The
confirmation before removing is a module-level name that tests replace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import WorkbenchError
from app.reviews.clocks import NOTIFICATION, RAPID_REVIEW, review_clocks
from app.reviews.register import get_review, set_milestone
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import button, item_text, line, text_label
from ui.kit.dates import day_from_text, uk
from ui.kit.edit_guard import Draft, EditGuard, field_values, fill_fields
from ui.messages import confirm
from ui.reviews.register import STATE_LOOK
from ui.widgets import pick_whole_rows

#: Blocking on purpose (the answer is needed); tests replace it.
ask_confirmation: Callable[[QWidget | None, str, str, str], bool] = confirm

COLUMNS = ("Milestone", "Due", "Done", "State")
#: the draft of a milestones dialog open at the lock (the review opens it again)
DRAFT_KEY = "reviews.milestones"


class MilestonesDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, context: AreaContext, review_uuid: str, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.review_uuid = review_uuid
        self.today = today or date.today()
        self.rows: list[tuple[str, bool]] = []  # (name, statutory) per table row
        self.reference = ""
        self.table = QTableWidget(0, len(COLUMNS))
        pick_whole_rows(self.table, "Milestones of the review")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.name = line("Milestone name", placeholder="e.g. Panel meeting")
        self.due = line("Due date", placeholder="dd/mm/yyyy")
        self.done_on = line("Done on", placeholder=f"dd/mm/yyyy (blank: today, {uk(self.today)})")
        self.problem = text_label("Problem with the milestone", wrap=True)
        self.add_button = button("&Add milestone", "Add a milestone", self.add)
        self.due_button = button("Change d&ue date", "Change the due date of the selected milestone", self.redate)
        self.done_button = button("Mark d&one", "Mark the selected milestone done", self.mark_done)
        self.remove_button = button("&Remove…", "Remove the selected milestone", self.remove)
        close = button("&Close", "Close the milestones", self.accept)
        for push in (self.add_button, self.due_button, self.done_button, self.remove_button, close):
            push.setAutoDefault(False)
        self.name.returnPressed.connect(self.add)
        self.due.returnPressed.connect(lambda: self.add() if self._selected_row() is None else self.redate())
        self.done_on.returnPressed.connect(self.mark_done)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("Due &date", self.due)
        form.addRow("Don&e on", self.done_on)
        buttons = QHBoxLayout()
        for push in (self.add_button, self.due_button, self.done_button, self.remove_button):
            buttons.addWidget(push)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.guard = EditGuard(
            self,
            title="Milestones",
            noun="milestone",
            form=lambda: tuple(field_values(self._fields()).values()),
            save=lambda: False,  # the dialog's own buttons write; nothing is asked on leaving
            draft_key=DRAFT_KEY,
            restore=self.apply_draft,
            record=lambda: self.review_uuid,
            scope=lambda: {"review": self.review_uuid},
            snapshot=self.draft_values,
        )
        self.reload()
        self.setWindowTitle(f"Milestones of {self.reference}")
        self.setAccessibleName(self.windowTitle())
        self.resize(640, 420)

    # -- drafts kept across a lock -------------------------------------------

    def _fields(self) -> dict[str, QWidget]:
        return {"name": self.name, "due": self.due, "done_on": self.done_on}

    def draft_values(self) -> dict[str, str]:
        """What is typed, and the milestone selected (the row it is typed against)."""
        chosen = self._selected_row()
        return {**field_values(self._fields()), "selected": chosen[0] if chosen else ""}

    def apply_draft(self, draft: Draft) -> None:
        values = draft.values if isinstance(draft.values, dict) else {}
        for number, (name, _statutory) in enumerate(self.rows):
            if name == values.get("selected"):
                self.table.selectRow(number)  # fills the fields with the stored values first
        fill_fields(self._fields(), values)

    # -- showing -----------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        with self.context.workspace.reading() as session:
            review = get_review(session, self.review_uuid)
            self.reference = review.reference
            clocks = review_clocks(
                review.kind, review.incident_known_on, review.notified_on, review.milestones, self.today
            )
            undated = [m for m in review.milestones if not m.get("due") and m.get("name") != RAPID_REVIEW]
        self.rows = []
        self.table.setRowCount(0)
        values: list[tuple[str, str, str, str, bool]] = [
            (c.name, uk(c.due), uk(c.done), STATE_LOOK[c.state][0], c.statutory) for c in clocks
        ]
        values += [
            (
                str(m.get("name")),
                "",
                uk(date.fromisoformat(str(m["done"]))) if m.get("done") else "",
                "Done" if m.get("done") else "No due date",
                False,
            )
            for m in undated
        ]
        for number, (name, due, done, state, statutory) in enumerate(values):
            self.table.insertRow(number)
            for column, text in enumerate((name + (" (statutory)" if statutory else ""), due, done, state)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{COLUMNS[column]}: {text}")
                self.table.setItem(number, column, item)
            self.rows.append((name, statutory))
        self.table.resizeColumnsToContents()
        for number, (name, _statutory) in enumerate(self.rows):
            if name == select:
                self.table.selectRow(number)
        self._selected()

    def _selected_row(self) -> tuple[str, bool] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _selected(self) -> None:
        chosen = self._selected_row()
        name, statutory = chosen if chosen else ("", False)
        self.due_button.setEnabled(chosen is not None and not statutory)
        self.remove_button.setEnabled(chosen is not None and not statutory)
        self.done_button.setEnabled(chosen is not None and name != NOTIFICATION)
        if chosen is not None:
            row = self.rows.index(chosen)
            self.name.setText(name)
            self.due.setText(item_text(self.table, row, 1))
            self.done_on.setText(item_text(self.table, row, 2))
        self.guard.shown(self.review_uuid)  # what a selection or a save put in the fields is not an edit

    # -- changing ----------------------------------------------------------

    def _change(
        self, name: str, message: str, *, due: date | None = None, done: date | None = None, remove: bool = False
    ) -> None:
        """One set_milestone call in one unit of work, then publish and show the result."""

        def refused(exc: WorkbenchError) -> None:
            announce(self.problem, exc.message, urgent=True)

        if not self.context.write(
            "Milestone",
            lambda uow: set_milestone(uow, self.review_uuid, name, due=due, done=done, remove=remove),
            initiator=self,
            on_refused=refused,
        ):
            return
        self.problem.setText("")
        self.context.show_status(message)
        self.reload(select=None if remove else name)

    def add(self) -> None:
        name = self.name.text().strip()
        try:
            due = day_from_text(self.due.text(), "due date")
            done = day_from_text(self.done_on.text(), "done date")
        except WorkbenchError as exc:
            announce(self.problem, exc.message, urgent=True)
            return
        if not name:
            announce(self.problem, "Type the milestone's name.", urgent=True)
            return
        if any(n.lower() == name.lower() for n, _s in self.rows):
            announce(self.problem, f"There is already a milestone {name!r}: select it to change it.", urgent=True)
            return
        if due is None:
            announce(self.problem, f"The new milestone {name!r} needs a due date.", urgent=True)
            return
        self._change(name, f"Added milestone {name} of {self.reference}", due=due, done=done)

    def redate(self) -> None:
        chosen = self._selected_row()
        if chosen is None or chosen[1]:
            announce(self.problem, "Select a milestone of your own (statutory dates are computed).", urgent=True)
            return
        try:
            due = day_from_text(self.due.text(), "due date")
        except WorkbenchError as exc:
            announce(self.problem, exc.message, urgent=True)
            return
        if due is None:
            announce(self.problem, "Type the new due date.", urgent=True)
            return
        self._change(chosen[0], f"Milestone {chosen[0]} now due {uk(due)}", due=due)

    def mark_done(self) -> None:
        chosen = self._selected_row()
        if chosen is None or chosen[0] == NOTIFICATION:
            announce(
                self.problem, "Select a milestone to mark done (the notification is done on its date).", urgent=True
            )
            return
        try:
            done = day_from_text(self.done_on.text(), "done date") or self.today
        except WorkbenchError as exc:
            announce(self.problem, exc.message, urgent=True)
            return
        self._change(chosen[0], f"Milestone {chosen[0]} done on {uk(done)}", done=done)

    def remove(self) -> None:
        chosen = self._selected_row()
        if chosen is None or chosen[1]:
            announce(self.problem, "Select a milestone of your own to remove (statutory clocks stay).", urgent=True)
            return
        if not ask_confirmation(self, "Remove milestone", f"Remove the milestone {chosen[0]!r}?", "Remove"):
            return
        self._change(chosen[0], f"Removed milestone {chosen[0]}", remove=True)

"""Small dialogs for meetings: a progress update in one keystroke, and moving due dates with one reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.errors import InvalidInput
from app.text import count_of
from ui.kit.announce import announce
from ui.kit.controls import text_label
from ui.kit.dates import DateField
from ui.kit.edit_guard import dialog_guard
from ui.widgets import accept_or_cancel, enable_when_filled

#: drafts of these dialogs open at the lock (the Actions area opens them again)
PROGRESS_DRAFT = "actions.progress"
DUE_DATES_DRAFT = "actions.due_dates"
#: actions the due-date dialog lists by name; more are counted
MAX_LISTED = 5


class ProgressEntryDialog(QDialog):
    """Type the update, press Enter: it is saved and the tracker moves to the next action."""

    def __init__(self, parent: QWidget | None, reference: str, title: str, action_uuid: str | None = None) -> None:
        super().__init__(parent)
        self.action_uuid = action_uuid
        self.setWindowTitle(f"Progress on {reference}")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)  # room for the hint and a sentence of progress without scrolling
        heading = QLabel()
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setText(f"{reference}  {title}")
        heading.setWordWrap(True)
        self.text = QLineEdit()
        self.text.setAccessibleName("Progress update")
        self.text.setPlaceholderText("What happened since the last meeting? Enter saves.")
        buttons, self.save_button = accept_or_cancel(self)
        self.save_button.setDefault(True)
        enable_when_filled(self.save_button, self.text)
        form = QFormLayout(self)
        form.addRow(heading)
        form.addRow("&Update:", self.text)
        form.addRow(buttons)
        self.text.setFocus()
        self.guard = dialog_guard(self, {"text": self.text}, draft_key=PROGRESS_DRAFT, record=lambda: self.action_uuid)


class BulkDueDialog(QDialog):
    """New due date for the selected actions, with one reason recorded for all of them."""

    def __init__(
        self,
        parent: QWidget | None,
        count: int,
        initial: date,
        action_uuids: tuple[str, ...] = (),
        actions: Sequence[tuple[str, str]] = (),
    ) -> None:
        """`actions`: (reference, title) of each action whose date moves, so the user sees which ones."""
        super().__init__(parent)
        self.action_uuids = action_uuids
        self.setWindowTitle(f"Change the due date of {count_of(count, 'action')}")
        self.setAccessibleName(self.windowTitle())
        # as wide as the progress dialog: at its size hint the title, the placeholder and a date problem were cut
        self.setMinimumWidth(520)
        shown = [f"{reference}  {title}" for reference, title in actions[:MAX_LISTED]]
        if len(actions) > MAX_LISTED:
            shown.append(f"and {count_of(len(actions) - MAX_LISTED, 'other action')}")
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setText("\n".join(shown))
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Actions whose due date moves")
        self.heading.setVisible(bool(shown))
        self.due = DateField("New due date", initial)
        self.problem = text_label("Problem with the new due date", wrap=True)
        self.problem.hide()
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the change")
        self.reason.setPlaceholderText("Required: recorded in the audit log for every action")
        buttons, self.ok_button = accept_or_cancel(self, accept=QDialogButtonBox.StandardButton.Ok)
        enable_when_filled(self.ok_button, self.reason)
        form = QFormLayout(self)
        form.addRow(self.heading)
        form.addRow("New &due date:", self.due)
        form.addRow("&Reason:", self.reason)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.guard = dialog_guard(
            self,
            {"due": self.due, "reason": self.reason},
            draft_key=DUE_DATES_DRAFT,
            scope=lambda: {"actions": " ".join(self.action_uuids)},
        )

    def accept(self) -> None:
        try:
            self.due.value()
        except InvalidInput as exc:
            announce(self.problem, exc.message, urgent=True)
            self.problem.show()
            # a top-level window does not grow for a wrapped label's new lines by itself
            self.adjustSize()
            self.due.setFocus()
            return
        super().accept()

    def new_due(self) -> date:
        value = self.due.value()
        assert value is not None  # required, checked on accepting
        return value

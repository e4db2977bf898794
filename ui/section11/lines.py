"""Lines of enquiry for the interview: the suggested ones and the Chair's own, in the order they will be asked.

Keyboard: Insert (or Ctrl+Shift+A) adds, Delete removes, Alt+Up/Down or Ctrl+Up/Down move the selected line,
Ctrl+Shift+G suggests lines from the scores, last cycle and open actions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.records import ChangeSet
from app.section11.cycles import get_cycle, get_participant
from app.section11.enquiry import (
    EnquiryLine,
    add_line,
    lines_of_enquiry,
    move_line,
    remove_line,
    suggest_lines,
)
from app.section11.frameworks import standards_of
from app.text import count_of
from ui.areas.base import AreaContext
from ui.kit.controls import action, button, row_of, text_label
from ui.messages import confirm
from ui.section11.dialogs import LINE_DRAFT, LineDialog, open_form_dialog

TABLES = ("s11_enquiry", "s11_assessment")


def line_title(line: EnquiryLine) -> str:
    about = f"Standard {line.standard_number}: {line.standard_title}" if line.standard_number is not None else "General"
    return f"{about}  [{line.reason_label}]"


def _recorded_on(line: EnquiryLine) -> str:
    """What the interview recorded on a line, said before the line is removed (and that with it): "" if nothing."""
    recorded = [
        words
        for words, value in (
            ("the question asked", line.question_asked),
            ("the agency's answer", line.answer),
            ("the evidence promised", line.evidence_promised or line.evidence_due),
            ("the panel's judgement", line.judgement is not None or line.judgement_note),
        )
        if value
    ]
    if not recorded:
        return ""
    listed = ", ".join(recorded[:-1]) + (" and " if len(recorded) > 1 else "") + recorded[-1]
    return (
        f"\n\nThe interview recorded {listed} on this line: they go with it, from the interview and from "
        "letters drafted after (the audit log keeps them)."
    )


class LinesView(QWidget):
    def __init__(self, context: AreaContext, participant_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.participant_uuid = participant_uuid
        self.dialog: Any = None
        self.lines: list[EnquiryLine] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Lines of enquiry in the order they will be asked")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.detail = text_label("Why this line was suggested", wrap=True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.list.currentRowChanged.connect(self._show_detail)
        self.add_action = action(self, "&Add a line…", "Ctrl+Shift+A", self.add)
        self.insert_action = action(self.list, "Add a line", "Insert", self.add)
        self.remove_action = action(self.list, "&Remove the line", "Delete", self.remove)
        self.up_actions = [action(self, "Move &up", key, lambda: self.shift(-1)) for key in ("Alt+Up", "Ctrl+Up")]
        self.down_actions = [
            action(self, "Move &down", key, lambda: self.shift(+1)) for key in ("Alt+Down", "Ctrl+Down")
        ]
        self.suggest_action = action(self, "&Suggest lines", "Ctrl+Shift+G", self.suggest)
        buttons = row_of(
            button("Add… (&Insert)", "Add a line of enquiry", self.add),
            button("Remo&ve (Delete)", "Remove the selected line", self.remove),
            button("Move &up (Alt+Up)", "Move the selected line up", lambda: self.shift(-1)),
            button("Move do&wn (Alt+Down)", "Move the selected line down", lambda: self.shift(+1)),
            button("&Suggest lines (Ctrl+Shift+G)", "Suggest lines of enquiry", self.suggest),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        keep = select or self.current_uuid()
        with self.context.workspace.reading() as session:
            self.lines = lines_of_enquiry(session, self.participant_uuid)
        self.list.blockSignals(True)
        self.list.clear()
        for number, item_line in enumerate(self.lines, start=1):
            item = QListWidgetItem(f"{number}. {line_title(item_line)}\n    {item_line.prompt}")
            item.setData(Qt.ItemDataRole.UserRole, item_line.uuid)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"Line {number}: {line_title(item_line)}. {item_line.prompt}"
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((n for n, ln in enumerate(self.lines) if ln.uuid == keep), 0 if self.lines else -1)
        self.list.setCurrentRow(row)
        self._show_detail(row)

    def current_uuid(self) -> str | None:
        row = self.list.currentRow()
        return self.lines[row].uuid if 0 <= row < len(self.lines) else None

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < len(self.lines):
            self.detail.setText("No lines of enquiry yet: Ctrl+Shift+G suggests them from the scores.")
            return
        shown = self.lines[row]
        self.detail.setText(f"{shown.reason_label}: {shown.reason_text}" if shown.reason_text else shown.reason_label)

    def add(self) -> None:
        with self.context.workspace.reading() as session:
            participant = get_participant(session, self.participant_uuid)
            cycle = get_cycle(session, participant.cycle_uuid)
            standards = [(f"{s.number}. {s.title}", s.uuid) for s in standards_of(session, cycle.framework_uuid)]
        dialog = LineDialog(self, standards)

        def save() -> None:
            values = dialog.values
            self.context.write(
                "Add a line of enquiry",
                lambda uow: (
                    add_line(uow, self.participant_uuid, values["prompt"], standard_uuid=values["standard_uuid"]).uuid
                ),
                initiator=self,
                on_done=self.reload,  # onto the new line
            )

        open_form_dialog(self, dialog, LINE_DRAFT, {"participant": self.participant_uuid}, save)

    def remove(self) -> None:
        uuid = self.current_uuid()
        if uuid is None:
            return
        row = self.list.currentRow()
        if not confirm(
            self,
            "Remove the line of enquiry",
            f"Remove line {row + 1}? A suggested line will not be suggested again.{_recorded_on(self.lines[row])}",
            "Remove",
        ):
            return
        if self.context.write("Remove a line of enquiry", lambda uow: remove_line(uow, uuid), initiator=self):
            self.reload()
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    def shift(self, offset: int) -> None:
        uuid = self.current_uuid()
        if uuid is None:
            return
        if self.context.write("Move a line of enquiry", lambda uow: move_line(uow, uuid, offset), initiator=self):
            self.reload(uuid)
            self.list.setFocus()

    def suggest(self) -> None:
        added: list[int] = []
        if self.context.write(
            "Suggest lines of enquiry",
            lambda uow: added.append(suggest_lines(uow, self.participant_uuid)),
            initiator=self,
        ):
            self.reload()
            self.context.show_status(
                f"{count_of(added[0], 'line')} of enquiry suggested" if added[0] else "No new lines to suggest"
            )

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES) and not self.context.made_by(self):
            self.reload()

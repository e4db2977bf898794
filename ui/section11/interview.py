"""Interview mode: the Chair's screen in the agency's own building, keyboard-first, one line at a time.

A window of its own, filling the screen, that shows one agency and nothing
else (no navigation, no other agency's names or scores). On the left the lines
of enquiry; in the middle what the panel knows about the current line (self
and moderated scores, last cycle, evidence); on the right what happens in the
room (question asked, answer, evidence promised and its due date, judgement,
notes) and the actions agreed on it. The last page holds the attendees, the
general notes, strengths, challenges and every agreed action.

Every keystroke is kept: text goes to the encrypted store through
`save_draft` half a second after the typing pauses (and at once when the
line changes, the window closes or the workspace locks); moving to another
line folds the typing into the shared records (`commit_drafts`). If the laptop
dies, reopening shows the text again (the drafts are laid over the record).

Keys: PageDown / PageUp (anywhere) and Ctrl+Right / Ctrl+Left (outside text
fields, where they move by word) go to the next / previous line; Ctrl+Shift+A
agrees an action on the current line; Ctrl+Shift+D records the interview as
held; Ctrl+S saves now; F11 switches full screen; Ctrl+W or Escape (outside text) leaves interview mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import utc_now
from app.contributions import LinkedAction
from app.errors import InvalidInput
from app.records import ChangeSet
from app.section11.cycles import cycle_scale, get_cycle, get_participant
from app.section11.enquiry import EnquiryLine
from app.section11.interview import (
    AttendeeProblem,
    InterviewRecord,
    agree_action,
    check_attendees,
    commit_drafts,
    interview_record,
    mark_held,
    record_line,
    save_draft,
    update_interview,
)
from app.section11.moderation import AssessmentRow, assessment_rows
from app.section11.returns import evidence_files
from app.section11.scales import RAG_COLOURS, RAG_LABELS, Scale
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import action, button, combo, line, row_of, set_combo_data, text_box, text_label
from ui.kit.dates import day_from_text, uk
from ui.kit.edit_guard import Draft, EditGuard, focus_name
from ui.kit.table_model import ColumnTableModel, TableColumn
from ui.messages import confirm
from ui.section11.attendees import AttendeesEditor
from ui.section11.dialogs import AGREE_ACTION_DRAFT, AgreeActionDialog, open_form_dialog
from ui.section11.lines import line_title
from ui.widgets import ClassificationBanner, error_label, read_only_text, refill, vertical_scroll

AUTOSAVE_MS = 500
#: steady typing never pauses half a second: it is kept at least this often all the same
AUTOSAVE_MAX_WAIT_S = 2.0
DRAFT_KEY = "section11.interview"
#: the list of lines on the left, and the room for one line of text in it (frame, spacing, scroll bar out)
NAV_WIDTH = 250
NAV_TEXT_WIDTH = NAV_WIDTH - 44
TABLES = ("s11_interview", "s11_enquiry", "s11_assessment", "action", "s11_participant")


def rationale_line(row: AssessmentRow) -> str:
    """The panel's rationale as the Chair reads it in the room; a score a merge left without one says so."""
    if row.rationale:
        return f"Panel's rationale: {row.rationale}"
    if row.unsettled:
        return "Panel's rationale: none recorded (merge conflict to settle in Exchange, Conflicts)"
    return "Panel's rationale: none recorded" if row.differs else "Panel's rationale: none needed (scores agree)"


class LinkedActionModel(ColumnTableModel[LinkedAction]):
    columns = (
        TableColumn("Ref", lambda a: a.reference),
        TableColumn("Action agreed", lambda a: a.title),
        TableColumn("Due", lambda a: uk(a.due), sort=lambda a: a.due),
        TableColumn("Status", lambda a: a.status_label),
        TableColumn("RAG", lambda a: a.rag_text),
    )


def score_chip(name: str) -> QLabel:
    chip = read_only_text(name, bold=True)
    chip.setFrameShape(QFrame.Shape.Box)
    chip.setMargin(4)
    return chip


def set_chip(chip: QLabel, heading: str, words: str, rag: str | None) -> None:
    """The score in words, with its RAG word; the colour only repeats what the words say."""
    chip.setText(f"{heading}: {words}" + (f" ({RAG_LABELS[rag]})" if rag else ""))
    # a palette, not a style sheet: re-polishing a style sheet dropped the interview's larger font
    # from the chips after the first line was saved (they shrank to the default size)
    palette = chip.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(RAG_COLOURS.get(rag or "grey", "#ffffff")))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    chip.setPalette(palette)
    chip.setAutoFillBackground(True)


class _PageKeys(QObject):
    """Line-to-line keys that work inside text fields too (PageUp/PageDown), or outside them (Ctrl+arrows)."""

    def __init__(self, window: InterviewWindow) -> None:
        super().__init__(window)
        self.window = window

    def _step(self, event: QKeyEvent, watched: QObject) -> int:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_PageDown and mods == Qt.KeyboardModifier.NoModifier:
            return 1
        if key == Qt.Key.Key_PageUp and mods == Qt.KeyboardModifier.NoModifier:
            return -1
        in_text = isinstance(watched, (QPlainTextEdit, QLineEdit))
        if mods == Qt.KeyboardModifier.ControlModifier and not in_text:
            if key == Qt.Key.Key_Right:
                return 1
            if key == Qt.Key.Key_Left:
                return -1
        return 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            step = self._step(event, watched)
            if step:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.window.go(self.window.position + step)
                return True
        return False


class _InterviewGuard(EditGuard):
    """With autosave nothing waits to be saved for long; the draft on lock is where the Chair was."""

    def draft(self) -> Draft | None:
        window = self.owner
        if not isinstance(window, InterviewWindow) or not window.isVisible():
            return None
        window.flush()
        values: dict[str, Any] = {"position": window.position}
        if window.pending_attendees is not None:  # rows the record cannot take yet (a name missing): kept here
            values["attendees"] = window.pending_attendees
        if window.unparsed_due:  # due dates typed that are not dates yet: the record cannot take them either
            values["due_typed"] = dict(window.unparsed_due)
        return Draft(
            DRAFT_KEY,
            "section11",
            window.current_record(),
            values,
            focus_name(window, window.focusWidget()),
            {"participant": window.participant_uuid},
        )


class InterviewWindow(QWidget):
    """See the module docstring. `on_closed()` runs after the window has saved and closed."""

    def __init__(
        self,
        context: AreaContext,
        participant_uuid: str,
        parent: QWidget | None = None,
        on_closed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.participant_uuid = participant_uuid
        self.on_closed = on_closed
        self.dialog: Any = None
        self.record: InterviewRecord | None = None
        self.scale: Scale | None = None
        self.assessments: dict[str, AssessmentRow] = {}
        self.files: dict[str | None, list[str]] = {}
        self.position = 0
        self.pending: dict[tuple[str, str], str] = {}
        #: the attendees as edited and not yet in the record (None: the record has them)
        self.pending_attendees: list[dict[str, str]] | None = None
        self.pending_due: tuple[str, date | None] | None = None
        #: due dates typed that are not dates yet ("31/02/2027", "15/01/2"), by line: shown again on the line,
        #: and kept in the draft on lock, until they are corrected (they used to vanish on a move or a lock)
        self.unparsed_due: dict[str, str] = {}
        self._filling = False
        self._closing = False
        self.last_saved = ""
        self.setAccessibleName("Section 11 interview mode")
        base = self.font()
        base.setPointSizeF(max(base.pointSizeF(), 10.0) * 1.15)  # read across a table, not only at arm's length
        self.setFont(base)
        self._unsaved_since: float | None = None  # when the oldest keystroke not yet kept was typed
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)

        # -- header ---------------------------------------------------------------------
        self.title = read_only_text("Interview", bold=True, size=1.2)
        self.where = read_only_text("When and where")
        self.progress = read_only_text("Line being shown", bold=True)
        self.saved = read_only_text("Autosave state")
        for label in (self.progress, self.saved):
            label.setWordWrap(False)
        header = QGridLayout()
        header.addWidget(self.title, 0, 0)
        header.addWidget(self.progress, 0, 1, Qt.AlignmentFlag.AlignRight)
        header.addWidget(self.where, 1, 0)
        header.addWidget(self.saved, 1, 1, Qt.AlignmentFlag.AlignRight)
        header.setColumnStretch(0, 1)
        header.addWidget(button("Sa&ve now (Ctrl+S)", "Save the interview now", self.save_now), 0, 2)
        header.addWidget(button("&Leave (Ctrl+W)", "Leave interview mode", self.close), 1, 2)

        # -- the lines, on the left -------------------------------------------------------
        self.nav = QListWidget()
        self.nav.setAccessibleName("Lines of enquiry")
        self.nav.setWordWrap(True)
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setSpacing(3)
        self.nav.currentRowChanged.connect(lambda row: self.go(row) if row != self.position else None)

        # -- one line: what we know, and what happens in the room -------------------------
        self.line_heading = read_only_text("Standard", bold=True, size=1.15)
        self.reason = read_only_text("Why this line")
        self.prompt = read_only_text("Suggested question")
        italic = self.prompt.font()
        italic.setItalic(True)
        self.prompt.setFont(italic)
        self.self_chip = score_chip("Self-assessed score")
        self.moderated_chip = score_chip("Moderated score")
        self.last_chip = score_chip("Last cycle's result")
        self.good = read_only_text("What good looks like")
        self.evidence = read_only_text("Agency's evidence")
        self.rationale = read_only_text("Panel's rationale")
        known = QVBoxLayout()
        known.addWidget(self.line_heading)
        known.addWidget(self.reason)
        known.addWidget(self.prompt)
        chips = QVBoxLayout()
        for chip in (self.self_chip, self.moderated_chip, self.last_chip):
            chips.addWidget(chip)
        known.addLayout(chips)
        known.addWidget(self.rationale)
        known.addWidget(self.good)
        known.addWidget(self.evidence)
        known.addStretch(1)
        known_scroll = vertical_scroll(known, "What the panel knows about this line")
        known_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.question = text_box("Question asked", 90)
        self.answer = text_box("Agency's answer", 400)
        self.answer.setMinimumHeight(120)
        self.promised = text_box("Evidence promised", 60)
        self.due = line("Evidence due date", placeholder="dd/mm/yyyy")
        self.due.setMaximumWidth(160)
        self.due_error = error_label("Evidence due date problem")
        self.judgement = combo("Panel's judgement")
        self.note = text_box("Judgement notes", 80)
        self.line_actions = text_label("Actions agreed on this line", wrap=True)
        self.line_actions.setTextFormat(Qt.TextFormat.PlainText)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due)
        due_row.addWidget(self.due_error, 1)
        room = QFormLayout()
        room.addRow("&Question asked", self.question)
        room.addRow("Agency's a&nswer", self.answer)
        room.addRow("&Evidence promised", self.promised)
        due_label = QLabel("Evidence d&ue")
        due_label.setBuddy(self.due)  # a row holding a layout gets no buddy of its own
        room.addRow(due_label, due_row)
        room.addRow("&Judgement", self.judgement)
        room.addRow("N&otes", self.note)
        room.addRow("Actions", self.line_actions)
        room.addRow(
            button("&Agree an action on this line… (Ctrl+Shift+A)", "Agree an action on this line", self.agree_action)
        )
        line_page = QWidget()
        columns = QHBoxLayout(line_page)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(known_scroll, 4)
        columns.addLayout(room, 5)

        # -- the whole interview --------------------------------------------------------------
        self.attendees = AttendeesEditor(shown_rows=4)
        self.place = line("Place")
        self.notes = text_box("Interview notes", 120)
        self.strengths = text_box("Strengths", 90)
        self.challenges = text_box("Areas for challenge", 90)
        self.actions_model = LinkedActionModel()
        self.actions_table = QTableView()
        self.actions_table.setModel(self.actions_model)
        self.actions_table.setAccessibleName("Actions agreed in this interview (in the action tracker)")
        self.actions_table.verticalHeader().hide()
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.actions_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.actions_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.held_button = button("Interview &held (Ctrl+Shift+D)", "Record the interview as held", self.mark_held)
        summary = QFormLayout()
        summary.addRow("A&ttendees", self.attendees)
        summary.addRow("&Place", self.place)
        summary.addRow("&Notes", self.notes)
        summary.addRow("&Strengths", self.strengths)
        summary.addRow("Areas for &challenge", self.challenges)
        summary.addRow("Agreed actions", self.actions_table)
        buttons = row_of(
            button("&Agree an action… (Ctrl+Shift+A)", "Agree an action", self.agree_action),
            self.held_button,
        )
        summary.addRow(buttons)
        summary_page = QWidget()
        summary_page.setLayout(summary)

        self.pages = QStackedWidget()
        self.pages.addWidget(line_page)
        self.pages.addWidget(summary_page)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        hint = read_only_text("Keys")
        hint.setText(
            "PageDown / PageUp: next / previous line    Ctrl+Shift+A: agree an action    "
            "Ctrl+Shift+D: held    F11: full screen    Ctrl+W: leave    Every keystroke is kept."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ClassificationBanner())  # the marking travels with the data, in this window too
        inner = QVBoxLayout()
        inner.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(inner, 1)
        layout = inner
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(hint)

        for box, record_field in (
            (self.question, "question_asked"),
            (self.answer, "answer"),
            (self.promised, "evidence_promised"),
            (self.note, "judgement_note"),
        ):
            box.textChanged.connect(lambda f=record_field, b=box: self._line_typed(f, b.toPlainText()))
        for box, record_field in (
            (self.notes, "notes"),
            (self.strengths, "strengths"),
            (self.challenges, "challenges"),
        ):
            box.textChanged.connect(lambda f=record_field, b=box: self._interview_typed(f, b.toPlainText()))
        self.place.textChanged.connect(lambda text: self._interview_typed("place", text))
        self.attendees.changed.connect(self._attendees_edited)
        self.due.textChanged.connect(self._due_typed)
        self.judgement.currentIndexChanged.connect(lambda _i: self._judged())

        self.agree_shortcut = action(self, "Agree an action", "Ctrl+Shift+A", self.agree_action)
        self.held_shortcut = action(self, "Interview held", "Ctrl+Shift+D", self.mark_held)
        self.save_shortcut = action(self, "Save now", "Ctrl+S", self.save_now)
        self.leave_shortcut = action(self, "Leave interview mode", "Ctrl+W", self.close)
        self.lock_shortcut = action(self, "Lock", "Ctrl+L", self._lock)
        self.full_screen_shortcut = action(self, "Full screen on or off", "F11", self.toggle_full_screen)
        self.guard = _InterviewGuard(
            self,
            title="Interview",
            noun="interview notes",
            form=lambda: (),
            save=self.flush,
            draft_key=DRAFT_KEY,
            restore=self._go_to_draft,
            is_dirty=lambda: bool(self.pending or self.pending_attendees is not None or self.pending_due is not None),
        )
        self.keys = _PageKeys(self)
        for widget in self.findChildren(QWidget):
            widget.installEventFilter(self.keys)
        self.attendees.editor_made.connect(lambda editor: editor.installEventFilter(self.keys))  # cells come later
        self.installEventFilter(self.keys)
        self.reload()
        self.go(0)
        self.saved.setText("Everything you type is kept, encrypted, as you type")

    # -- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            record = interview_record(session, self.participant_uuid)
            if record is None:
                raise InvalidInput("Book the interview first (Ctrl+Shift+B in the cycle register).")
            participant = get_participant(session, self.participant_uuid)
            cycle = get_cycle(session, participant.cycle_uuid)
            self.scale = cycle_scale(cycle)
            self.assessments = {row.standard_uuid: row for row in assessment_rows(session, self.participant_uuid)}
            self.files = {}
            for _uuid, name, _size, standard in evidence_files(session, self.participant_uuid):
                self.files.setdefault(standard, []).append(name)
            cycle_name = cycle.name
        self.record = record
        self.setWindowTitle(f"Interview: {record.agency} ({cycle_name})")
        self.title.setText(f"Section 11 challenge interview: {record.agency}")
        when = ", ".join(part for part in (uk(record.scheduled_on), record.start_time) if part)
        held = f"; held {uk(record.held_on)}" if record.held_on else ""
        self.where.setText(f"{cycle_name}. {when or 'date not set'}{held}")
        refill(
            self.judgement, [("No judgement yet", None), *((level.label, level.value) for level in self.scale.levels)]
        )
        self.nav.blockSignals(True)
        self.nav.clear()
        for number, item_line in enumerate(record.lines, start=1):
            # "3. Standard 3" alone left the Chair to remember which standard was which mid-interview: the
            # title, cut to one line so every line still fits the list at 1366x768, the whole of it in the tooltip
            about = (
                f"{number}. S{item_line.standard_number} {item_line.standard_title}"
                if item_line.standard_number is not None
                else f"{number}. General"
            )
            about = self.nav.fontMetrics().elidedText(about, Qt.TextElideMode.ElideRight, NAV_TEXT_WIDTH)
            item = QListWidgetItem(f"{about}\n{item_line.reason_label}")
            item.setToolTip(line_title(item_line))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Line {number}: {line_title(item_line)}")
            self.nav.addItem(item)
        self.nav.addItem(QListWidgetItem("Attendees, notes\nand actions"))
        self.nav.blockSignals(False)
        self.actions_model.set_rows(list(record.actions))
        self._fill_summary()

    @property
    def line_count(self) -> int:
        return len(self.record.lines) if self.record else 0

    def current_line(self) -> EnquiryLine | None:
        if self.record is None or not 0 <= self.position < self.line_count:
            return None
        return self.record.lines[self.position]

    def current_record(self) -> str | None:
        current = self.current_line()
        return current.uuid if current else (self.record.uuid if self.record else None)

    # -- moving between lines --------------------------------------------------------------------

    def go(self, position: int) -> None:
        """Show line `position` (the last page is the whole interview); saves and folds the typing in first."""
        if self.record is None:
            return
        position = max(0, min(self.line_count, position))
        moving = position != self.position
        if moving:
            self.flush()
            self._commit()
        self.position = position
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(position)
        self.nav.blockSignals(False)
        if position < self.line_count:
            self._fill_line(self.record.lines[position])
            self.pages.setCurrentIndex(0)
            self.progress.setText(f"Line {position + 1} of {self.line_count}")
            if moving or not self.focusWidget():
                self.answer.setFocus() if self.question.toPlainText() else self.question.setFocus()
        else:
            self.pages.setCurrentIndex(1)
            self.progress.setText("Attendees, notes and actions")
            if moving:
                self.notes.setFocus()

    def _fill_line(self, shown: EnquiryLine) -> None:
        self._filling = True
        try:
            row = self.assessments.get(shown.standard_uuid or "")
            self.line_heading.setText(
                f"Standard {shown.standard_number}: {shown.standard_title}"
                if shown.standard_number is not None
                else "General line of enquiry"
            )
            self.reason.setText(
                f"{shown.reason_label}: {shown.reason_text}" if shown.reason_text else shown.reason_label
            )
            self.prompt.setText(f"Suggested question: {shown.prompt}")
            if row is not None and self.scale is not None:
                set_chip(self.self_chip, "Self", row.self_text, self.scale.rag(row.self_score))
                set_chip(
                    self.moderated_chip,
                    "Moderated",
                    row.moderated_text,
                    self.scale.rag(row.moderated_score) if row.moderated_score is not None else None,
                )
                set_chip(self.last_chip, "Last cycle", row.last_cycle_text or "Not assessed", None)
                self.rationale.setText(rationale_line(row))
                self.good.setText(f"What good looks like: {row.good_practice}" if row.good_practice else "")
                impact = f"\nImpact: {row.impact}" if row.impact else ""
                attached = self.files.get(row.standard_uuid, [])
                names = f"\nFiles attached: {', '.join(attached)}" if attached else ""
                self.evidence.setText(f"Evidence in the return: {row.evidence or 'none given'}{impact}{names}")
            for chip in (self.self_chip, self.moderated_chip, self.last_chip):
                chip.setVisible(row is not None)
            if row is None:
                self.rationale.setText("")
                self.good.setText("")
                self.evidence.setText("Not about one standard: no scores to show.")
            self.question.setPlainText(shown.question_asked)
            self.answer.setPlainText(shown.answer)
            self.promised.setPlainText(shown.evidence_promised)
            typed = self.unparsed_due.get(shown.uuid)
            self.due.setText(uk(shown.evidence_due) if typed is None else typed)
            announce(self.due_error, "" if typed is None else self._due_problem(typed), if_changed=True)
            set_combo_data(self.judgement, shown.judgement)
            self.note.setPlainText(shown.judgement_note)
            linked = [a for a in (self.record.actions if self.record else ()) if a.source_uuid == shown.uuid]
            self.line_actions.setText(
                "\n".join(f"{a.reference}: {a.title} (due {uk(a.due)}, {a.status_label})" for a in linked) or "None yet"
            )
        finally:
            self._filling = False

    def _fill_summary(self) -> None:
        if self.record is None:
            return
        self._filling = True
        try:
            stored = [a.as_json() for a in self.record.attendees]
            if self.pending_attendees is None and self.attendees.rows() != stored:
                self.attendees.set_attendees(self.record.attendees)
            for box, name, value in (
                (self.notes, "notes", self.record.notes),
                (self.strengths, "strengths", self.record.strengths),
                (self.challenges, "challenges", self.record.challenges),
            ):
                if box.toPlainText() != value and (self.record.uuid, name) not in self.pending:
                    box.setPlainText(value)
            if self.place.text() != self.record.place:
                self.place.setText(self.record.place)
            self.held_button.setText(
                "Interview &held (Ctrl+Shift+D)"
                if self.record.state != "held"
                else f"Held on {uk(self.record.held_on)}"
            )
        finally:
            self._filling = False

    # -- autosave ------------------------------------------------------------------------------

    def _typed(self) -> None:
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        elif now - self._unsaved_since >= AUTOSAVE_MAX_WAIT_S:
            self.flush()  # a typist who never pauses loses at most two seconds if the laptop dies
            return
        self.saved.setText("Typing… (kept half a second after you pause, or every two seconds)")
        self.timer.start()

    def _line_typed(self, field_name: str, text: str) -> None:
        current = self.current_line()
        if self._filling or current is None:
            return
        self.pending[(current.uuid, field_name)] = text
        self._typed()

    def _interview_typed(self, field_name: str, text: str) -> None:
        if self._filling or self.record is None:
            return
        self.pending[(self.record.uuid, field_name)] = text
        self._typed()

    def _attendees_edited(self) -> None:
        if self._filling:
            return
        self.pending_attendees = self.attendees.rows()
        self._typed()

    def _due_typed(self, text: str) -> None:
        current = self.current_line()
        if self._filling or current is None:
            return
        try:
            due = day_from_text(text, "evidence due date")
        except InvalidInput:
            self.unparsed_due[current.uuid] = text
            announce(self.due_error, self._due_problem(text), urgent=True)
            return
        self.unparsed_due.pop(current.uuid, None)
        self.due_error.setText("")
        self.pending_due = (current.uuid, due)
        self._typed()

    @staticmethod
    def _due_problem(text: str) -> str:
        try:
            day_from_text(text, "evidence due date")
        except InvalidInput as exc:
            return f"Not saved yet: {exc.message}"
        return ""

    def _judged(self) -> None:
        current = self.current_line()
        if self._filling or current is None:
            return
        value = self.judgement.currentData()
        uuid = current.uuid
        self.flush()
        if self.context.write(
            "Record the judgement", lambda uow: record_line(uow, uuid, judgement=value), initiator=self
        ):
            self._note_saved()

    def flush(self) -> bool:
        """Write every pending keystroke now (autosave drafts, attendees, due date); True if all were kept."""
        self.timer.stop()
        self._unsaved_since = None
        if self.record is None or not (
            self.pending or self.pending_attendees is not None or self.pending_due is not None
        ):
            return True
        interview = self.record.uuid
        texts, self.pending = dict(self.pending), {}
        due, self.pending_due = self.pending_due, None
        edited, attendees = self.pending_attendees, None
        if edited is not None:
            try:
                attendees = check_attendees(edited)
            except AttendeeProblem as exc:  # kept as edited (and in the draft on lock) until it can be saved
                self.attendees.show_problem(exc, prefix="Not saved yet: ")
            else:
                self.pending_attendees = None
                self.attendees.show_problem(None)

        def work(uow: Any) -> None:
            for (record_uuid, field_name), value in texts.items():
                save_draft(uow, interview, record_uuid, field_name, value)
            if attendees is not None:
                update_interview(uow, interview, attendees=attendees)
            if due is not None:
                record_line(uow, due[0], evidence_due=due[1])

        if not self.context.write("Autosave the interview", work, initiator=self):
            for key, value in texts.items():  # keep them for the next try
                self.pending.setdefault(key, value)
            if attendees is not None and self.pending_attendees is None:
                self.pending_attendees = edited
            self.saved.setText("NOT SAVED: see the message; your typing is still on screen")
            return False
        self._note_saved()
        return True

    def _note_saved(self) -> None:
        self.last_saved = utc_now().astimezone().strftime("%H:%M:%S")
        self.saved.setText(f"Everything typed is saved (encrypted) at {self.last_saved}")

    def _commit(self) -> None:
        """Fold the autosaved typing into the shared, audited records (on leaving a line or the screen)."""
        if self.record is None:
            return
        interview = self.record.uuid
        self.context.write("Save the interview", lambda uow: commit_drafts(uow, interview), initiator=self)
        self._refresh_record()

    def _refresh_record(self) -> None:
        with self.context.workspace.reading() as session:
            record = interview_record(session, self.participant_uuid)
            self.assessments = {row.standard_uuid: row for row in assessment_rows(session, self.participant_uuid)}
        if record is not None:
            same_lines = self.record is not None and [ln.uuid for ln in record.lines] == [
                ln.uuid for ln in self.record.lines
            ]
            self.record = record
            if not same_lines:  # another member's merge added, removed or moved lines
                self.reload()
                self.go(min(self.position, self.line_count))
            self.actions_model.set_rows(list(record.actions))

    def save_now(self) -> None:
        if self.flush():
            self._commit()
            self._note_saved()

    # -- the interview's actions -----------------------------------------------------------------

    def agree_action(self) -> None:
        if self.record is None:
            return
        current = self.current_line()
        about = line_title(current) if current else "The interview as a whole"
        dialog = AgreeActionDialog(self, self.record.agency, about)
        enquiry = current.uuid if current else None

        def agreed(reference: str) -> None:
            self._refresh_record()
            if current is not None:
                self._fill_line(next((ln for ln in self.record.lines if ln.uuid == current.uuid), current))
            self.saved.setText(f"Action {reference} is in the action tracker")

        def save() -> None:
            values = dialog.values
            self.flush()
            self.context.write(
                "Agree an action",
                lambda uow: agree_action(uow, self.participant_uuid, enquiry_uuid=enquiry, **values),
                initiator=self,
                on_done=agreed,
            )

        scope = {"participant": self.participant_uuid, "line": enquiry or ""}
        open_form_dialog(self, dialog, AGREE_ACTION_DRAFT, scope, save)

    def mark_held(self) -> None:
        if self.record is None:
            return
        interview = self.record.uuid
        self.flush()
        if self.context.write("Interview held", lambda uow: mark_held(uow, interview), initiator=self):
            self._refresh_record()
            self.reload()
            self.go(self.position)
            self.saved.setText("The interview is recorded as held")

    # -- leaving ---------------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        """Nothing else on the screen (no taskbar, no other window) while the agency's lead looks on."""
        if self.isFullScreen():
            self.showMaximized()
        else:
            self.showFullScreen()

    def _lock(self) -> None:
        lock = getattr(self.context.window, "lock", None)
        if callable(lock):
            lock()

    def shutdown(self) -> None:
        """On lock: keep what was typed (the engine is still open), then go without asking."""
        self.flush()
        self._closing = True
        self.close()

    def _may_drop_unparsed_due(self) -> bool:
        """Leaving with a due date typed that is not a date: asked first, on its line (Cancel stays there)."""
        if not self.unparsed_due or self.record is None:
            return True
        found = next(((n, ln.uuid) for n, ln in enumerate(self.record.lines) if ln.uuid in self.unparsed_due), None)
        if found is None:  # the lines typed on went (removed in the register): nothing left to lose
            self.unparsed_due.clear()
            return True
        number, uuid = found
        self.go(number)
        self.due.setFocus()
        return confirm(
            self,
            "Leave interview mode",
            f"The evidence due date typed on line {number + 1} ({self.unparsed_due[uuid]!r}) is not a date, so it "
            "is not saved. Leave interview mode without it?",
            "Leave",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing and not self._may_drop_unparsed_due():
            event.ignore()
            return
        if not self._closing:
            self.flush()
            self._commit()
        self.timer.stop()
        super().closeEvent(event)
        if self.on_closed is not None:
            self.on_closed()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not isinstance(
            self.focusWidget(), (QPlainTextEdit, QLineEdit, QComboBox)
        ):
            self.close()
            return
        super().keyPressEvent(event)

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES) and not self.context.made_by(self) and not self.guard.dirty():
            self._refresh_record()
            shown = self.current_line()
            if shown is not None and self.focusWidget() not in (
                self.question,
                self.answer,
                self.promised,
                self.note,
                self.due,
            ):
                self._fill_line(shown)

    def _go_to_draft(self, draft: Draft) -> None:
        values = draft.values if isinstance(draft.values, dict) else {}
        position = values.get("position", 0)
        typed = values.get("due_typed")
        if isinstance(typed, dict):  # due dates typed at the lock that were not dates yet: on their lines again
            self.unparsed_due.update({str(k): str(v) for k, v in typed.items()})
        self.go(int(position) if isinstance(position, (int, float)) else 0)
        if isinstance(values.get("attendees"), list):  # rows edited at the lock that the record could not take
            self.attendees.set_draft_value(values["attendees"])
            self.pending_attendees = self.attendees.rows()
            self.flush()  # says again what stops them being saved (or saves them, if they now can be)

    def agree_again(self, draft: Draft) -> None:
        """An action being agreed at the lock: back to its line, the dialog open with what was typed."""
        line = draft.scope.get("line", "")
        lines = self.record.lines if self.record else ()
        self.go(next((n for n, ln in enumerate(lines) if ln.uuid == line), self.line_count))
        self.agree_action()
        if self.dialog is not None and self.dialog.guard is not None:
            self.dialog.guard.take_back(draft)

    def restore(self, draft: Draft) -> None:
        """Back to the line and field the Chair was in when the workspace locked."""
        self.guard.take_back(draft)

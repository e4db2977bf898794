"""The selected action in full: source, RAG and why, progress history, evidence and its files, closure.

Beside the tracker so the Chair's "what difference did it make?" is answered
without opening a form. Evidence files are attached, copied out ("Save a
copy…", only where the user chooses) and removed (after confirmation) here.
Files are never opened through a temporary file with an external viewer.

The file dialogs and the confirmation are module-level names so tests can
replace them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.actions.evidence import (
    LIMIT_TEXT,
    load_evidence_file,
    remove_evidence,
    save_evidence_copy,
    size_text,
)
from app.actions.queries import (
    ActionRow,
    EvidenceEntry,
    ProgressEntry,
    evidence_files,
    progress_history,
)
from app.actions.rag import rag_reason
from app.actions.service import attach_evidence, get_action
from app.actions.status import OFF_TRACK
from app.clock import uk
from app.errors import WorkbenchError
from app.records import UnitOfWork
from ui.areas.base import AreaContext
from ui.kit.controls import action, button_for, text_label
from ui.kit.empty import change_empty_text, explain_when_empty
from ui.messages import confirm, show_error
from ui.widgets import pick_whole_rows

choose_evidence_file: Callable[..., tuple[str, str]] = QFileDialog.getOpenFileName
choose_save_path: Callable[..., tuple[str, str]] = QFileDialog.getSaveFileName
ask_confirmation: Callable[[QWidget | None, str, str, str], bool] = confirm

NO_HISTORY = (
    "No progress recorded yet. Add an update in one keystroke with Add progress update… (Ctrl+U) after each meeting."
)

Write = Callable[[str, Callable[[UnitOfWork], object]], None]


def rag_description(row: ActionRow, today: date) -> str:
    """ "Red (override; computed Green) - override reason: ..." or "Amber - not started and due in 12 days"."""
    computed_why = rag_reason(row.status, row.track, row.due, today)
    if row.overridden:
        return (
            f"{row.rag_text} - override, reason: {row.override_reason.rstrip('. ')}. "
            f"Computed {row.computed.label} because {computed_why}."
        )
    return f"{row.rag.label} - {computed_why}"


def flag_text(row: ActionRow) -> str:
    """The owner's flag; past the due date it says so, or "flag: On track" beside an overdue date reads
    as the tracker's verdict (the RAG, from the date, is Red)."""
    if row.overdue and row.track != OFF_TRACK:
        return f"{row.track_label} (the owner's flag; the action is overdue)"
    return row.track_label


def summary_text(row: ActionRow, today: date) -> str:
    lines = [
        f"{row.reference}: {row.title}",
        *(
            [
                f"Merge conflict to settle: two members' edits left it {row.unsettled}. "
                "Correct it, then settle it in Exchange, Conflicts."
            ]
            if row.unsettled
            else []
        ),
        f"Source: {row.source_kind_label}" + (f" - {row.source_label}" if row.source_label else ""),
        f"Owner: {row.agency_name} ({row.agency}); lead officer: {row.lead_officer or 'not named'}",
        f"Due: {uk(row.due)}; status: {row.status_label}; flag: {flag_text(row)}",
        f"RAG: {rag_description(row, today)}",
        f"Success measure: {row.success_measure or 'none recorded'}",
        f"Evidence of impact: {row.impact_evidence or 'none recorded'}",
    ]
    if row.approved_by:
        lines.append(
            f"Closure approved by {row.approved_by} at {row.approved_at_meeting or 'an unnamed meeting'}"
            f" on {uk(row.approved_on)}"
        )
    else:
        lines.append("Closure approval: not approved")
    if row.closure_reason:
        lines.append(f"Reason for closing: {row.closure_reason}")
    return "\n".join(lines)


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    pick_whole_rows(table, name)
    table.setHorizontalHeaderLabels(list(headers))
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


class ActionDetailPanel(QWidget):
    def __init__(self, context: AreaContext, write: Write) -> None:
        super().__init__()
        self.context = context
        self._write = write
        self.row: ActionRow | None = None
        self.history: list[ProgressEntry] = []
        self.files: list[EvidenceEntry] = []
        self.setAccessibleName("Selected action details")

        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setAccessibleName("Action summary: source, RAG with its reason, evidence and closure")
        self.summary.setTabChangesFocus(True)
        self.history_table = _table("Progress history", ("Date", "Author", "Update"))
        self.files_table = _table("Evidence files", ("Added", "By", "Size", "File"))
        explain_when_empty(self.history_table, NO_HISTORY)
        # each update shown whole, however wide the panel: cut at two lines it was readable only by mouse tooltip
        self.history_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        explain_when_empty(
            self.files_table,
            "No evidence files. Attach evidence of impact (an audit, a survey) "
            "with Attach evidence file… (Ctrl+Shift+A).",
        )
        self.files_table.itemSelectionChanged.connect(self._update_buttons)

        self.attach_action = action(self, "Atta&ch evidence file…", "Ctrl+Shift+A", self.attach_file)
        self.save_copy_action = action(self, "Sa&ve a copy…", "Ctrl+Shift+S", self.save_copy)
        self.remove_action = action(self, "Re&move file…", "Ctrl+Shift+R", self.remove_file)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, command in (
            ("attach", self.attach_action),
            ("save", self.save_copy_action),
            ("remove", self.remove_action),
        ):
            self.buttons[key] = button_for(command)
            buttons.addWidget(self.buttons[key])
        buttons.addStretch(1)
        limit = text_label(
            "Evidence file size limit",
            f"Files up to {LIMIT_TEXT} each, kept encrypted inside the workspace.",
            wrap=True,
        )

        history_box = QGroupBox("Progress histor&y (append-only)")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_table)
        files_box = QGroupBox("Ev&idence files")
        files_layout = QVBoxLayout(files_box)
        files_layout.addWidget(self.files_table)
        files_layout.addLayout(buttons)
        files_layout.addWidget(limit)
        # summary beside the history and files: all three readable without scrolling the panel
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary, 1)
        layout.addWidget(history_box, 1)
        layout.addWidget(files_box, 1)
        self.show_action(None)

    def actions_for_page(self) -> list[QAction]:
        """The panel's commands, so the page can offer them while the tracker table has focus."""
        return [self.attach_action, self.save_copy_action, self.remove_action]

    # -- showing ---------------------------------------------------------------------

    def show_action(self, row: ActionRow | None) -> None:
        self.row = row
        # with nothing selected, "No progress recorded yet" would read as a verdict on some action
        change_empty_text(self.history_table, NO_HISTORY if row is not None else "No action selected.")
        if row is None:
            self.history, self.files = [], []
            self.summary.setPlainText("Select an action to see its history, evidence and closure.")
        else:
            with self.context.workspace.reading() as session:
                self.history = progress_history(session, row.uuid)
                self.files = evidence_files(session, row.uuid)
            self.summary.setPlainText(summary_text(row, date.today()))
        self.history_table.setRowCount(len(self.history))
        for number, entry in enumerate(self.history):
            for column, text in enumerate((uk(entry.written_on), entry.author, entry.text)):
                self.history_table.setItem(number, column, _item(text))
        self.files_table.setRowCount(len(self.files))
        for number, entry in enumerate(self.files):
            for column, text in enumerate((uk(entry.added_on), entry.added_by, size_text(entry.size), entry.filename)):
                self.files_table.setItem(number, column, _item(text))
        if self.files:
            self.files_table.selectRow(0)
        self._update_buttons()

    def selected_file(self) -> EvidenceEntry | None:
        rows = self.files_table.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows and rows[0].row() < len(self.files) else None

    def _update_buttons(self) -> None:
        has_file = self.selected_file() is not None
        self.attach_action.setEnabled(self.row is not None)
        self.save_copy_action.setEnabled(has_file)
        self.remove_action.setEnabled(has_file)
        self.buttons["attach"].setEnabled(self.row is not None)
        self.buttons["save"].setEnabled(has_file)
        self.buttons["remove"].setEnabled(has_file)

    # -- commands --------------------------------------------------------------------

    def attach_file(self) -> None:
        row = self.row
        if row is None:
            return
        name, _ = choose_evidence_file(self, f"Attach evidence file to {row.reference}", "", "All files (*)")
        if not name:
            return
        try:
            filename, content = load_evidence_file(Path(name))
        except WorkbenchError as exc:
            show_error(self, "Evidence file not attached", exc.message)
            return
        author = self.context.workspace.member.display_name
        self._write(
            f"Attaching {filename} to {row.reference}…",
            lambda uow: attach_evidence(uow, get_action(uow.session, row.uuid), filename, content, added_by=author),
        )

    def save_copy(self) -> None:
        entry = self.selected_file()
        if entry is None:
            return
        name, _ = choose_save_path(self, f"Save a copy of {entry.filename}", entry.filename, "All files (*)")
        if not name:
            return
        try:
            with self.context.workspace.reading() as session:
                out = save_evidence_copy(session, entry.uuid, Path(name), overwrite=True)  # the dialog asked
        except (WorkbenchError, OSError) as exc:
            message = exc.message if isinstance(exc, WorkbenchError) else f"{exc.strerror or exc}"
            show_error(self, "Copy not saved", f"{entry.filename} was not saved: {message}")
            return
        self.context.show_status(f"Saved a copy of {entry.filename} to {out}")

    def remove_file(self) -> None:
        entry, row = self.selected_file(), self.row
        if entry is None or row is None:
            return
        if not ask_confirmation(
            self,
            "Remove evidence file",
            f"Remove {entry.filename} from {row.reference}? It stays in the audit log "
            "as removed and cannot be opened again.",
            "Remove",
        ):
            return
        self._write(f"Removing {entry.filename}…", lambda uow: remove_evidence(uow, entry.uuid))

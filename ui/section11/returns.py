"""Agency returns without the app: templates saved where the user chooses, completed returns checked first.

Import is two steps: the file is read and checked (nothing written) and the
report is shown, errors first, naming row and column; a re-import lists what
would change. Only then does "Import" write it, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInput
from app.office.validation_report import Severity
from app.section11.cycles import cycle_register
from app.section11.returns import (
    ReturnImportResult,
    ReturnPreview,
    import_checked_return,
    mark_sent,
    read_completed_return,
    template_bytes,
    template_filename,
)
from app.store.user_files import write_user_file
from app.text import count_of
from ui.areas.base import AreaContext
from ui.kit.controls import text_label
from ui.messages import confirm
from ui.operations import Progress
from ui.widgets import cancel_or

#: a folder chooser blocks the event loop; tests replace this reference
choose_folder: Callable[..., str] = QFileDialog.getExistingDirectory

SEVERITY_LOOK = {
    Severity.ERROR: ("Error", "#f4c7c3"),
    Severity.WARNING: ("Warning", "#fde9b0"),
    Severity.CHANGE: ("Change", "#d6e6f5"),
}
MAX_PREVIEW_BYTES = 50 * 1024 * 1024


def save_template(
    context: AreaContext, parent: QWidget, participant_uuid: str, initiator: object, done: Callable[[], None]
) -> None:
    """Ask where, write the agency's return workbook there, and mark the return as sent."""
    with context.workspace.reading() as session:
        suggested = template_filename(session, participant_uuid)

    def written(target: Path) -> None:
        context.write("Mark the return as sent", lambda uow: mark_sent(uow, participant_uuid), initiator=initiator)
        context.show_status(f"Return template saved to {target}; the agency is marked as sent")
        done()

    context.save_generated_as(
        parent,
        "Save the agency's return template",
        suggested,
        "Excel workbook (*.xlsx)",
        "Making the return template…",
        lambda session: template_bytes(session, participant_uuid),
        written,
    )


def save_all_templates(
    context: AreaContext, parent: QWidget, cycle_uuid: str, initiator: object, done: Callable[[], None]
) -> None:
    """One workbook per agency in a folder the user chooses; templates already there are replaced only when the
    user says so (asked before anything is written: a folder holding last round's templates used to stop the run
    at the first of them, with the agencies before it written but not marked as sent)."""
    folder = choose_folder(parent, "Folder for every agency's return template")
    if not folder:
        return
    workspace = context.workspace
    with workspace.reading() as session:
        names = [template_filename(session, row.participant_uuid) for row in cycle_register(session, cycle_uuid)]
    there = [name for name in names if (Path(folder) / name).exists()]
    if there and not confirm(
        parent,
        "Replace return templates",
        f"{count_of(len(there), 'return template')} of {len(names)} already in {folder} "
        f"({', '.join(there[:3])}{', …' if len(there) > 3 else ''}). Replace them with new ones?",
        "Replace",
    ):
        return
    overwrite = bool(there)

    def work(progress: Progress) -> list[str]:
        with workspace.reading() as session:
            rows = cycle_register(session, cycle_uuid)
            made = []
            for number, row in enumerate(rows):
                progress.check()
                progress.report(number, len(rows), row.agency)
                target = Path(folder) / template_filename(session, row.participant_uuid)
                write_user_file(target, template_bytes(session, row.participant_uuid), overwrite=overwrite)
                made.append(row.participant_uuid)
        return made

    def written(made: list[str]) -> None:
        context.write("Mark the returns as sent", lambda uow: [mark_sent(uow, p) for p in made], initiator=initiator)
        context.show_status(f"{count_of(len(made), 'return template')} saved in {folder}")
        done()

    context.run("Making every return template…", work, written, cancellable=True)


@dataclass(frozen=True)
class CheckedReturn:
    """A return file read once and checked: its report, and the very bytes it was made from, which are what
    Import writes (the file is not read again: a copy saved over it since would import what no report showed)."""

    preview: ReturnPreview
    data: bytes


def read_return(context: AreaContext, cycle_uuid: str, path: str) -> CheckedReturn:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_PREVIEW_BYTES:
            raise InvalidInput(f"{file.name} is larger than a return can be; is it the right file?")
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read {file}: {exc.strerror or exc}.") from None
    with context.workspace.reading() as session:
        return CheckedReturn(read_completed_return(session, cycle_uuid, data, file.name), data)


class ReturnImportDialog(QDialog):
    """The validation report and, for a newer version, what would change; Import writes it (Enter)."""

    def __init__(
        self,
        parent: QWidget | None,
        context: AreaContext,
        cycle_uuid: str,
        path: str,
        checked: CheckedReturn,
        initiator: object,
        on_imported: Callable[[ReturnImportResult], None],
    ) -> None:
        super().__init__(parent)
        self.context, self.cycle_uuid, self.path = context, cycle_uuid, path
        self.preview = preview = checked.preview
        self.data = checked.data
        self.initiator, self.on_imported = initiator, on_imported
        name = Path(path).name
        self.setWindowTitle(f"Import the return {name}")
        self.setAccessibleName(self.windowTitle())
        report = preview.report
        errors, warnings = len(report.of(Severity.ERROR)), len(report.of(Severity.WARNING))
        if preview.ok and preview.same_file:
            verdict = (
                f"{preview.agency}: this exact file was imported before; importing it again changes nothing. "
                "Is it the newer version the agency sent?"
            )
        elif preview.ok:
            read = count_of(len(preview.answers), "standard")
            verdict = f"{preview.agency}: {read} read; {count_of(warnings, 'warning')}. " + (
                "This is a newer version of a return already imported: the changes below replace "
                "what is stored when you press Import."
                if preview.reimport
                else "Nothing is written until you press Import."
            )
        else:
            verdict = (
                f"{count_of(errors, 'error')} and {count_of(warnings, 'warning')}: nothing can be imported. Correct the file "
                "(or ask the agency to) and import it again."
            )
        self.summary = text_label("Import verdict", verdict, wrap=True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.issues = QListWidget()
        self.issues.setAccessibleName("Validation report")
        self.issues.setWordWrap(True)
        for line in report.lines():
            item = QListWidgetItem(line)
            for severity, (_word, colour) in SEVERITY_LOOK.items():
                if f": {severity}: " in line:
                    item.setBackground(QBrush(QColor(colour)))
                    item.setForeground(QBrush(QColor("#000000")))
            self.issues.addItem(item)
        if not report.issues:
            self.issues.addItem("No problems found.")
        self.changes = QListWidget()
        self.changes.setAccessibleName("What importing would change")
        self.changes.setWordWrap(True)
        for change in preview.changes:
            self.changes.addItem(change)
        if not preview.changes:
            if not preview.ok:  # not "first import ... every answer is new": nothing can be imported
                self.changes.addItem("None: the return cannot be imported until its errors are corrected.")
            elif preview.same_file:
                self.changes.addItem("None: this file is the one imported last time.")
            else:
                self.changes.addItem(
                    "First import of this agency's return: every answer is new."
                    if not preview.reimport
                    else "No answer differs from what is stored."
                )
        self.buttons, self.import_button = cancel_or(self, "&Import", "Import the return", self.do_import)
        self.import_button.setEnabled(preview.ok)
        self.import_button.setDefault(preview.ok)
        for push in self.buttons.buttons():  # only Import may be the default: Enter must never mean Cancel
            push.setAutoDefault(push is self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Validation report (errors first; row and column as headed in the file):"))
        layout.addWidget(self.issues, 2)
        layout.addWidget(QLabel("Changes (dry run: nothing written yet):"))
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 560)
        self.imported: ReturnImportResult | None = None

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.import_button.setDefault(self.preview.ok)  # Enter imports a clean return
        self.issues.setFocus()

    def do_import(self) -> None:
        if not self.preview.ok:
            return
        by = self.context.workspace.member.display_name
        outcome: list[ReturnImportResult] = []

        def work(uow: Any) -> None:
            result = import_checked_return(uow, self.cycle_uuid, self.data, Path(self.path), added_by=by)
            if result.report.has_errors:  # checked again on what is stored now: e.g. the agency left the cycle
                raise InvalidInput(f"{result.report.first_error()}. Nothing was imported.")
            outcome.append(result)

        if self.context.write("Import the return", work, initiator=self.initiator):
            self.imported = outcome[0]
            self.accept()
            self.on_imported(outcome[0])

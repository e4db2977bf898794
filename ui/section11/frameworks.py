"""Frameworks are data: the standards of each version, edited, retired, copied forward, shared as XLSX.

A framework a cycle uses can still be corrected (a typo in a title), but new
standards and retirements belong in a copy for the next cycle: "Copy forward"
makes it, and each standard keeps its lineage so last cycle's answers carry over.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInput
from app.records import ChangeSet
from app.section11.framework_files import (
    framework_xlsx,
    import_framework,
    read_framework_xlsx,
)
from app.section11.frameworks import (
    FrameworkView,
    StandardView,
    add_standard,
    copy_framework,
    edit_standard,
    ensure_shipped,
    list_frameworks,
    retire_standard,
)
from app.text import count_of
from ui.areas.base import AreaContext
from ui.kit import files
from ui.kit.announce import announce
from ui.kit.controls import action, button, line, row_of, text_box, text_label
from ui.kit.edit_guard import GuardedChoice, TableFormGuard
from ui.kit.table_model import CENTRE, ColumnTableModel, TableColumn, current_key, current_row, number_column
from ui.messages import confirm, show_info
from ui.section11.dialogs import _FormDialog, open_form_dialog
from ui.widgets import error_label, record_table

#: a framework being copied forward (the Section 11 area opens the frameworks view and this dialog again)
COPY_DRAFT = "section11.copy_framework"

TABLES = ("s11_framework", "s11_standard", "s11_cycle")


#: the standard editor's draft, kept on lock and given back on unlock (issue 10, 2)
STANDARD_DRAFT = "section11.standard"


class StandardsModel(ColumnTableModel[StandardView]):
    columns = (
        number_column("No.", lambda s: s.number, CENTRE),
        TableColumn("Standard", lambda s: s.title),
        TableColumn(
            "In use",
            lambda s: "Retired" if s.retired else "In use",
            colours=lambda s: ("#e6e6e6", "#000000") if s.retired else None,
        ),
    )


class CopyDialog(_FormDialog):
    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent, f"Copy {name} forward")
        self.version = line("Version label of the copy", placeholder="the year, e.g. 2027-28")
        self.add_field("&Version label", self.version, draft="version")

    def collect(self) -> dict[str, Any]:
        if not self.version.text().strip():
            raise InvalidInput("Give the copy a version label, e.g. 2027-28.")
        return {"version_label": self.version.text().strip()}


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.splitlines() if part.strip()]


class FrameworksView(QWidget):
    def __init__(self, context: AreaContext, back: Callable[[], None]) -> None:
        super().__init__()
        self.context = context
        self.dialog: Any = None
        self.frameworks: list[FrameworkView] = []
        self.shown: str | None = None  # the standard in the editor; None with creating=True for a new one
        self.list = QListWidget()
        self.list.setAccessibleName("Frameworks")
        # names like "Section 11 standards (classic eight and the child's voice) (2026)" wrap: cut at the list's
        # edge, the version that tells two of them apart was hidden behind a horizontal scroll bar
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.model = StandardsModel()
        self.table = record_table(self.model, "Standards of the framework", stretch=1)
        self.number = QSpinBox()
        self.number.setRange(1, 99)
        self.number.setAccessibleName("Standard number")
        self.title = line("Standard title")
        self.good = text_box("What good looks like", 90)
        self.questions = text_box("Questions, one a line", 90)
        self.prompts = text_box("Evidence prompts, one a line", 70)
        self.error = error_label("Standard problem")
        editor = QFormLayout()
        editor.addRow("N&umber", self.number)
        editor.addRow("&Title", self.title)
        editor.addRow("&What good looks like", self.good)
        editor.addRow("&Questions", self.questions)
        editor.addRow("E&vidence prompts", self.prompts)
        editor.addRow(self.error)
        action(self, "Save the standard", "Ctrl+S", self.save)
        action(self.table, "New standard", "Insert", self.new_standard)
        action(self.table, "Retire or restore the standard", "Delete", self.toggle_retired)
        buttons = row_of(
            button("&Save standard (Ctrl+S)", "Save the standard", self.save),
            button("&New standard (Insert)", "Add a standard", self.new_standard),
            button("Retire / restore (&Delete)", "Retire or restore the standard", self.toggle_retired),
            button("&Copy forward…", "Copy the framework forward as a new version", self.copy_forward),
            button("&Export XLSX…", "Export the framework as XLSX", self.export),
            button("&Import XLSX…", "Import a framework from XLSX", self.import_file),
        )
        self.note = text_label("About this framework", wrap=True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.note)
        right_layout.addWidget(self.table, 2)
        right_layout.addLayout(editor)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 900])
        top = QHBoxLayout()
        top.addWidget(button("← &Register (Alt+Left)", "Back to the cycle register", back))
        heading = text_label("Frameworks heading", "Section 11 frameworks and their standards")
        top.addWidget(heading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        fields = {
            "number": self.number,
            "title": self.title,
            "good": self.good,
            "questions": self.questions,
            "prompts": self.prompts,
        }
        self.guard = TableFormGuard(
            self,
            self.table,
            fields,
            title="Standard",
            noun="standard",
            save=self.save,
            draft_key=STANDARD_DRAFT,
            record=lambda: current_key(self.table),
            choose=self.open_standard,
            show=self._show_chosen,
            # the framework the standard is in: during the question the list already shows the next one
            scope=lambda: {"framework": str(self.choice.shown or "")},
        )
        # another framework asks about the standard typed (it used to be dropped, the framework's first
        # standard filling the form); Cancel keeps the framework and the typing
        self.choice = GuardedChoice(self.list, [self.guard], self._framework_changed)
        with self.context.workspace.reading() as session:
            installed = bool(list_frameworks(session, include_retired=True))
        if not installed:
            self.context.write("Install the shipped frameworks", ensure_shipped, initiator=self)
        self.reload()

    # -- data ---------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        keep = select or self.framework_uuid()
        with self.context.workspace.reading() as session:
            self.frameworks = list_frameworks(session, include_retired=True)
        self.list.blockSignals(True)
        self.list.clear()
        for framework in self.frameworks:
            item = QListWidgetItem(framework.title + (" (retired)" if framework.retired else ""))
            item.setData(Qt.ItemDataRole.UserRole, framework.uuid)
            self.list.addItem(item)
        row = next((n for n, f in enumerate(self.frameworks) if f.uuid == keep), 0 if self.frameworks else -1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.choice.showing()
        self._framework_changed()

    def framework_uuid(self) -> str | None:
        row = self.list.currentRow()
        return self.frameworks[row].uuid if 0 <= row < len(self.frameworks) else None

    def framework(self) -> FrameworkView | None:
        row = self.list.currentRow()
        return self.frameworks[row] if 0 <= row < len(self.frameworks) else None

    def _framework_changed(self) -> None:
        framework = self.framework()
        keep = self.shown
        self.model.set_rows(list(framework.standards) if framework else [])
        self.note.setText(f"{framework.description}" if framework and framework.description else "")
        row = next((n for n, s in enumerate(self.model.rows) if s.uuid == keep), 0) if self.model.rows else -1
        if row >= 0:
            with self.guard.quietly():
                self.table.selectRow(row)
            self._show(self.model.row_at(row))
        else:
            self._show(None)

    def _chosen(self) -> StandardView | None:
        """The standard of the table's current row (the one shown, unless the guard is asking)."""
        return current_row(self.table)

    def _show_chosen(self) -> None:
        standard = self._chosen()
        if standard is not None:
            self._show(standard)

    def _show(self, standard: StandardView | None) -> None:
        self.shown = standard.uuid if standard else None
        self.number.setValue(standard.number if standard else 1)
        self.title.setText(standard.title if standard else "")
        self.good.setPlainText(standard.good_practice if standard else "")
        self.questions.setPlainText("\n".join(standard.questions) if standard else "")
        self.prompts.setPlainText("\n".join(standard.evidence_prompts) if standard else "")
        self.error.setText("")
        self.guard.shown(self.shown)

    def _values(self) -> tuple[Any, ...]:
        return (
            self.number.value(),
            self.title.text(),
            self.good.toPlainText(),
            self.questions.toPlainText(),
            self.prompts.toPlainText(),
        )

    def open_standard(self, uuid: str | None) -> bool:
        """Show a standard of the framework shown (None: a new one); False if it is not there."""
        if uuid is None:
            self.new_standard()
            return self.guard.saving_over() is None
        row = next((n for n, s in enumerate(self.model.rows) if s.uuid == uuid), -1)
        if row < 0:
            return False
        self.table.selectRow(row)
        return self.shown == uuid

    # -- commands ------------------------------------------------------------------------------

    def new_standard(self) -> None:
        framework = self.framework()
        if framework is None or not self.guard.may_leave():
            return
        number = max((s.number for s in framework.standards), default=0) + 1
        with self.guard.quietly():  # no row beside the new standard's form (row 0 stayed highlighted)
            self.table.selectionModel().clear()

        def blank() -> None:
            self._show(None)
            self.number.setValue(number)

        self.guard.load(None, blank, creating=True, asked=True)  # asked for: a reload keeps it
        self.title.setFocus()

    def save(self) -> bool:
        # the framework whose standards are shown: on a move to another, the list is already there
        framework = next((f for f in self.frameworks if f.uuid == self.choice.shown), None)
        if framework is None:
            return False
        number, title, good, questions, prompts = self._values()
        if not title.strip():
            announce(self.error, "A standard needs a title.", urgent=True)
            self.title.setFocus()
            return False
        uuid = self.guard.saving_over()
        made: list[str] = []

        def work(uow: Any) -> None:
            if uuid is None:
                made.append(
                    add_standard(
                        uow,
                        framework.uuid,
                        title=title,
                        number=number,
                        good_practice=good,
                        questions=_lines(questions),
                        evidence_prompts=_lines(prompts),
                    ).uuid
                )
            else:
                edit_standard(
                    uow,
                    uuid,
                    title=title,
                    number=number,
                    good_practice=good,
                    questions=_lines(questions),
                    evidence_prompts=_lines(prompts),
                )
                made.append(uuid)

        with self.guard.quietly():
            ok = self.context.write("Save the standard", work, initiator=self)
        if ok:
            self.shown = made[0]
            self.reload(framework.uuid)
            self.context.show_status(f"Standard {number} saved")
        return ok

    def toggle_retired(self) -> None:
        if self.shown is None:
            return
        # the reload after it refills the form: the edits typed on the standard are asked about first
        # (they used to be dropped without a word); Cancel keeps them and retires nothing
        if not self.guard.may_leave():
            return
        standard = next((s for s in self.model.rows if s.uuid == self.shown), None)
        if standard is None:
            return
        if self.context.write(
            "Retire or restore the standard",
            lambda uow: retire_standard(uow, standard.uuid, not standard.retired),
            initiator=self,
        ):
            self.reload()

    def copy_forward(self) -> None:
        framework = self.framework()
        if framework is None or not self.guard.may_leave():  # the copy is shown next: the typing first
            return
        dialog = CopyDialog(self, framework.title)

        def save() -> None:
            self.context.write(
                "Copy the framework forward",
                lambda uow: copy_framework(uow, framework.uuid, version_label=dialog.values["version_label"]).uuid,
                initiator=self,
                on_done=self.reload,  # onto the copy
            )

        open_form_dialog(self, dialog, COPY_DRAFT, {"framework": framework.uuid}, save)

    def export(self) -> None:
        framework = self.framework()
        if framework is None:
            return
        safe = "".join(ch if ch.isalnum() else "-" for ch in framework.title).strip("-")
        uuid = framework.uuid
        self.context.save_generated_as(
            self,
            "Export the framework as XLSX",
            f"s11-framework-{safe}.xlsx",
            "Excel workbook (*.xlsx)",
            "Exporting the framework…",
            lambda session: framework_xlsx(session, uuid),
            lambda out: self.context.show_status(f"Framework saved to {out}"),
        )

    def import_file(self, path: str = "") -> None:
        if not self.guard.may_leave():  # the framework imported is shown next: the typing first
            return
        path = path or files.open_file(self, "Import a Section 11 framework", "Excel workbook (*.xlsx)")
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            show_info(self, "Import a framework", f"Cannot read {path}: {exc.strerror or exc}.")
            return
        with self.context.workspace.reading() as session:
            checked = read_framework_xlsx(session, data, Path(path).name)
        if checked.report.has_errors:
            self.dialog = show_info(self, "Framework not imported", checked.report.to_text())
            return
        if not confirm(
            self,
            "Import a framework",
            f"{checked.report.to_text()}\nImport {checked.name} "
            f"({checked.version_label}) with {count_of(len(checked.standards), 'standard')}?",
            "Import",
        ):
            return
        self.context.write(
            "Import a framework",
            lambda uow: import_framework(uow, data, Path(path).name).framework_uuid or "",
            initiator=self,
            on_done=self.reload,  # onto the framework imported
        )

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES) and not self.context.made_by(self) and not self.guard.dirty():
            self.reload()

"""Importing an agency's return: file and agency, column mapping, validation report, import.

Nothing is written until the last step; the import is one transaction (one
unit of work). With errors the Import button stays disabled unless the user
chooses to skip the invalid rows. The report can be saved (CSV or text).
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.chronology.fields import FIELDS, field_spec
from app.chronology.import_service import (
    ImportPlan,
    ImportResult,
    commit_import,
    correct_cell,
    mapping_preview,
    open_return,
    prepare_import,
    propose_mapping,
    sample_date,
    save_report,
)
from app.chronology.importers import ReturnSource
from app.chronology.validation import RowIssue, Severity
from app.records import UnitOfWork
from app.text import count_of, noun_for
from ui import messages
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import add_captioned, button, check, combo, line, set_combo_data, text_label
from ui.kit.dates import uk
from ui.kit.edit_guard import Draft, EditGuard
from ui.kit.files import open_file, save_file
from ui.kit.table_model import ColumnTableModel, TableColumn
from ui.messages import reports_errors
from ui.operations import Progress

#: an import under way at the lock: file, agency, mapping and the cells corrected here come back
DRAFT_KEY = "reviews.import"

_Index = QModelIndex | QPersistentModelIndex
FILE_FILTER = "Agency returns (*.xlsx *.csv *.docx);;Excel (*.xlsx);;CSV (*.csv);;Word (*.docx)"


SAMPLE_CHARS = 40
"""How much of each first value the mapping step shows; the whole value is in the cell's tooltip."""


def sample_text(value: object, field: str | None) -> str:
    """A first value as the mapping step shows it: a date cell, or a serial in a date column, as a UK date."""
    when = sample_date(value, field)
    if isinstance(when, datetime):
        return uk(when) + (when.strftime(" %H:%M") if when.time() != time(0) else "")
    if when is not None:
        return uk(when)
    return " ".join(str(value).split())


def elide(text: str, limit: int = SAMPLE_CHARS) -> str:
    """The text cut to ``limit`` characters at the last word boundary, "…" marking the cut."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit + 1)
    cut = text[:space] if space > limit // 3 else text[:limit]  # one very long word is cut inside it
    return cut.rstrip(" ,;:.-–") + "…"


def _severity_colours(issue: RowIssue) -> tuple[str, str]:
    return ("#f9d6d5", "#000000") if issue.severity is Severity.ERROR else ("#fff1c2", "#000000")


class IssueTableModel(ColumnTableModel[RowIssue]):
    """The validation report, one issue per row; errors say "Error" in words and in colour."""

    columns = tuple(
        TableColumn(heading, text, colours=_severity_colours)
        for heading, text in (
            ("Row", lambda i: str(i.row_number)),
            ("Field", lambda i: field_spec(i.field).label if i.field else ""),
            ("Column in file", lambda i: i.header or ""),
            ("Severity", lambda i: "Error" if i.severity is Severity.ERROR else "Warning"),
            ("Message", lambda i: i.message),
        )
    )

    @property
    def issues(self) -> list[RowIssue]:
        return self.rows

    def set_issues(self, issues: list[RowIssue]) -> None:
        self.set_rows(issues)


class ImportDialog(QDialog):
    """Three steps in one dialog; heavy work (reading, validating, importing) runs in the background."""

    def __init__(self, parent: QWidget | None, context: AreaContext, review_uuid: str, path: str = "") -> None:
        super().__init__(parent)
        self.context = context
        self.review_uuid = review_uuid
        self.field_boxes: list[tuple[str, QComboBox]] = []
        self._samples: list[list[object]] = []  # the first values of each column, as the file holds them
        # Field each mapping combo showed last, and the column (and field) it left on "ignore" by taking it.
        self._previous_field: dict[QComboBox, str] = {}
        self._displaced: dict[QComboBox, tuple[QComboBox, str]] = {}
        self.table_data: ReturnSource | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.setWindowTitle("Import an agency's chronology")
        self.setAccessibleName(self.windowTitle())
        self.resize(900, 560)
        self.steps = QStackedWidget()
        self.steps.addWidget(self._file_step(path))
        self.steps.addWidget(self._mapping_step())
        self.steps.addWidget(self._report_step())
        layout = QVBoxLayout(self)
        self.step_label = text_label("Import step")
        layout.addWidget(self.step_label)
        layout.addWidget(self.steps, 1)
        self._show_step(0)
        self.fixes: list[tuple[int, str, str]] = []  # the cells corrected here: (row, column, value)
        self._pending: Draft | None = None  # a draft being put back (reading and checking run in the background)
        self._blank = self.draft_values()
        self.guard = EditGuard(
            self,
            title=self.windowTitle(),
            noun="import",
            form=lambda: (),
            save=lambda: False,  # the wizard's own buttons import; nothing is asked on leaving
            draft_key=DRAFT_KEY,
            restore=self.apply_draft,
            is_dirty=lambda: self.draft_values() != self._blank,
            record=lambda: self.review_uuid,
            scope=lambda: {"review": self.review_uuid},
            snapshot=self.draft_values,
        )

    # -- drafts kept across a lock ------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        """Enough to walk the wizard again: file, agency, step, mapping, corrections, the cell being typed."""
        step = self.steps.currentIndex()
        issue = self.issues.currentIndex()
        return {
            "path": self.path.text(),
            "agency": str(self.agency.currentData() or ""),
            "step": step,
            "mapping": self.current_mapping() if step >= 1 else {},
            "fixes": [list(fix) for fix in getattr(self, "fixes", [])],
            "issue": issue.row() if step == 2 and issue.isValid() else -1,
            "cell": self.cell_value.text() if step == 2 else "",
        }

    def apply_draft(self, draft: Draft) -> None:
        """Fill the first step; when the user had gone further, read and check the file again as they had."""
        values = draft.values if isinstance(draft.values, dict) else {}
        self.path.setText(str(values.get("path", "")))
        set_combo_data(self.agency, str(values.get("agency", "")))
        if int(values.get("step", 0)) >= 1:
            self._pending = draft
            self.read_file()  # in the background: the mapping and the check follow in _file_read and _validated
            if self.file_problem.text():  # the file is gone: the first step says why
                self._pending = None

    def _resume_mapping(self) -> bool:
        """After the file is read for a draft: its mapping and corrections. True when checking follows."""
        draft = self._pending
        if draft is None:
            return False
        values = draft.values if isinstance(draft.values, dict) else {}
        for header, field in dict(values.get("mapping", {})).items():
            self.set_field(str(header), field)
        if int(values.get("step", 0)) < 2:
            self._finish_draft()
            return False
        assert self.table_data is not None
        for row, header, value in values.get("fixes", []):
            self.table_data = correct_cell(self.table_data, int(row), str(header), str(value))
            self.fixes.append((int(row), str(header), str(value)))
            self.corrections.append(f"row {row}, {header}: {value}")
        self.validate()
        return True

    def _resume_report(self) -> None:
        """After the rows are checked for a draft: the issue selected and the cell value being typed."""
        draft = self._pending
        if draft is None:
            return
        values = draft.values if isinstance(draft.values, dict) else {}
        issue = int(values.get("issue", -1))
        if 0 <= issue < self.issue_model.rowCount():
            self.issues.setCurrentIndex(self.issue_model.index(issue, 0))
        self.cell_value.setText(str(values.get("cell", "")))
        self._finish_draft()

    def _finish_draft(self) -> None:
        draft, self._pending = self._pending, None
        if draft is not None:
            self.guard.focus_field(draft)

    # -- step 1: file and agency -----------------------------------------------------

    def _file_step(self, path: str) -> QWidget:
        page = QWidget()
        self.path = line("File to import", path, "An agency's chronology: .xlsx, .csv or .docx")
        with self.context.workspace.reading() as session:
            agencies = [(f"{a.short_name} - {a.name}", a.short_name) for a in list_agencies(session)]
        self.agency = combo("Agency that sent the return", [("Choose the agency…", "")] + agencies)
        path_row = QHBoxLayout()
        add_captioned(path_row, "&File:", self.path, 1)
        self.browse_button = button("&Browse…", "Browse for the file", self.browse)
        # Enter reads the file (the default button); it never opens the file picker.
        self.browse_button.setAutoDefault(False)
        path_row.addWidget(self.browse_button)
        agency_row = QHBoxLayout()
        add_captioned(agency_row, "&Agency:", self.agency, 1)
        self.file_problem = text_label("Problem with the file or agency", wrap=True)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(button("Cancel", "Cancel the import", self.reject))
        # Made the default button in _show_step, once the page is inside the dialog.
        self.read_button = button("&Next: map columns", "Next: map columns", self.read_file)
        nav.addWidget(self.read_button)
        layout = QVBoxLayout(page)
        layout.addLayout(path_row)
        layout.addLayout(agency_row)
        layout.addWidget(self.file_problem)
        layout.addStretch(1)
        layout.addLayout(nav)
        return page

    def browse(self) -> None:
        chosen = open_file(self, "Choose an agency's chronology", FILE_FILTER)
        if chosen:
            self.path.setText(chosen)

    def read_file(self) -> None:
        path = self.path.text().strip()
        if not path or not Path(path).is_file():
            announce(self.file_problem, "Choose a file that exists (.xlsx, .csv or .docx).", urgent=True)
            return
        if not self.agency.currentData():
            announce(self.file_problem, "Choose the agency whose return this is.", urgent=True)
            self.agency.setFocus()
            return
        self.file_problem.setText("")

        def work(progress: Progress) -> ReturnSource:
            # The rows stay in the file: one pass here names the columns and counts the rows; checking and
            # importing read them again, a batch at a time, so memory does not grow with the file.
            source = open_return(path)
            progress.check()
            source.scan()
            return source

        self.context.run(f"Reading {Path(path).name}…", work, self._file_read, cancellable=True)

    def _file_read(self, table: ReturnSource) -> None:
        self.table_data = table
        self._fill_mapping(propose_mapping(table))
        self._show_step(1)
        self._resume_mapping()

    # -- step 2: mapping ------------------------------------------------------------------

    def _mapping_step(self) -> QWidget:
        page = QWidget()
        self.mapping_intro = QLabel()
        self.mapping_intro.setWordWrap(True)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setAccessibleName("Column mapping")
        self.mapping.setHorizontalHeaderLabels(["Column in the file", "First values", "Field"])
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        self.mapping_note = text_label("Mapping change", wrap=True)
        self.mapping_problem = text_label("Mapping problem")
        nav = QHBoxLayout()
        nav.addWidget(self.mapping_problem, 1)
        nav.addWidget(button("&Back", "Back to choosing the file", lambda: self._show_step(0)))
        self.validate_button = button("&Next: check rows", "Next: check rows", self.validate)
        nav.addWidget(self.validate_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.mapping_intro)
        layout.addWidget(self.mapping, 1)
        layout.addWidget(self.mapping_note)
        layout.addLayout(nav)
        return page

    def _fill_mapping(self, mapping: dict[str, str | None]) -> None:
        assert self.table_data is not None
        preview = mapping_preview(self.table_data, mapping)
        self.mapping.setRowCount(len(preview))
        self.field_boxes = []
        self._samples = [samples for _h, _f, samples in preview]
        self._previous_field = {}
        self._displaced = {}
        self.mapping_note.setText("")
        mapped = sum(1 for _h, f, _v in preview if f)
        self.mapping_intro.setText(
            f"{self.table_data.row_count} rows read from {self.table_data.source_name} "
            f"{self.table_data.location}. {mapped} of {len(preview)} columns were recognised; map or ignore the rest."
        )
        for row, (header, field, _values) in enumerate(preview):
            item = QTableWidgetItem(header)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping.setItem(row, 0, item)
            sample = QTableWidgetItem()
            sample.setFlags(sample.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping.setItem(row, 1, sample)
            self._show_samples(row, field)
            box = combo(
                f"Field for column {header}",
                [("(ignore this column)", "")] + [(f"{f.label}{' *' if f.mandatory else ''}", f.name) for f in FIELDS],
            )
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            set_combo_data(box, field or "")
            self._previous_field[box] = box.currentData() or ""
            box.currentIndexChanged.connect(lambda _i, b=box: self._field_chosen(b))
            box.currentIndexChanged.connect(lambda _i, r=row, b=box: self._show_samples(r, b.currentData() or None))
            self.mapping.setCellWidget(row, 2, box)
            self.field_boxes.append((header, box))
        self.mapping.resizeColumnToContents(0)
        # The Field column shows its longest choice in full (with the mandatory " *" marker).
        self.mapping.resizeColumnToContents(2)
        widest = max((box.sizeHint().width() for _h, box in self.field_boxes), default=0)
        if self.mapping.columnWidth(2) < widest:
            self.mapping.setColumnWidth(2, widest)
        self.mapping.resizeRowsToContents()
        previous: QWidget = self.mapping
        for _header, box in self.field_boxes:  # Tab goes from the table through the Field combos in row order
            QWidget.setTabOrder(previous, box)
            previous = box

    def _show_samples(self, row: int, field: str | None) -> None:
        """The column's first values as its field reads them (a serial in a date column is a day), each cut
        at a word; the tooltip has them whole, one a line."""
        item = self.mapping.item(row, 1)
        if item is None or row >= len(self._samples):
            return
        texts = [sample_text(value, field) for value in self._samples[row]]
        item.setText(" | ".join(elide(text) for text in texts))
        item.setToolTip(
            "\n".join(
                str(value) if isinstance(value, str) else text
                for value, text in zip(self._samples[row], texts, strict=True)
            )
        )

    def _header_of(self, box: QComboBox) -> str:
        return next((header for header, b in self.field_boxes if b is box), "")

    def _set_quietly(self, box: QComboBox, field: str) -> None:
        box.blockSignals(True)
        set_combo_data(box, field)
        box.blockSignals(False)
        self._previous_field[box] = field
        row = next((n for n, (_h, b) in enumerate(self.field_boxes) if b is box), -1)
        self._show_samples(row, field or None)

    def _field_chosen(self, chosen: QComboBox) -> None:
        """A field goes to one column; the column that had it swaps, taking this column's previous field.

        If this column had no field, the other column is left on ignore; it gets its field back when this
        column returns to ignore (unless it has been mapped since). So arrowing through the choices with the
        keyboard and back again restores every mapping. Each change to another column is shown in a note.
        """
        field = chosen.currentData() or ""
        old = self._previous_field.get(chosen, "")
        self._previous_field[chosen] = field
        name = self._header_of(chosen)
        notes: list[str] = []
        if not field:
            displaced = self._displaced.pop(chosen, None)
            if displaced is not None and old and displaced[1] == old and not displaced[0].currentData():
                self._set_quietly(displaced[0], old)
                notes.append(
                    f"Column \u201c{self._header_of(displaced[0])}\u201d is mapped to {field_spec(old).label} again."
                )
        else:
            for header, box in self.field_boxes:
                if box is chosen or (box.currentData() or "") != field:
                    continue
                self._set_quietly(box, old)
                if old:
                    notes.append(
                        f"Column \u201c{header}\u201d now maps to {field_spec(old).label} "
                        f"(swapped with \u201c{name}\u201d)."
                    )
                else:
                    self._displaced[chosen] = (box, field)
                    notes.append(
                        f"Column \u201c{header}\u201d is now ignored: {field_spec(field).label} "
                        f"went to \u201c{name}\u201d."
                    )
        self.mapping_note.setText(" ".join(notes))

    def current_mapping(self) -> dict[str, str | None]:
        return {header: (box.currentData() or None) for header, box in self.field_boxes}

    def set_field(self, header: str, field: str | None) -> None:
        for name, box in self.field_boxes:
            if name == header:
                set_combo_data(box, field or "")

    def validate(self) -> None:
        assert self.table_data is not None
        mapping = self.current_mapping()
        missing = [f.label for f in FIELDS if f.mandatory and f.name not in mapping.values()]
        if missing:
            announce(self.mapping_problem, f"Map a column to: {', '.join(missing)}.", urgent=True)
            return
        self.mapping_problem.setText("")
        workspace, review, agency, table = (
            self.context.workspace,
            self.review_uuid,
            self.agency.currentData(),
            self.table_data,
        )

        def work(progress: Progress | None) -> ImportPlan:
            with workspace.reading() as session:
                return prepare_import(session, review, agency, table, mapping, progress=progress)

        self.context.run("Checking the rows…", work, self._validated, cancellable=True)

    # -- step 3: report and import -------------------------------------------------------

    def _report_step(self) -> QWidget:
        page = QWidget()
        self.summary = text_label("Validation summary", wrap=True)
        self.issue_model = IssueTableModel()
        self.issues = QTableView()
        self.issues.setModel(self.issue_model)
        self.issues.setAccessibleName("Validation report: issues per row")
        self.issues.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.issues.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.issues.verticalHeader().hide()
        # correct a cell here instead of only in the source file (in memory: the file is not changed)
        self.issues.selectionModel().currentRowChanged.connect(lambda *_: self._show_cell())
        self.cell_label = QLabel("Select an issue to correct its cell here.")
        self.cell_label.setWordWrap(True)
        self.cell_value = line(
            "Corrected value of the selected cell", placeholder="the corrected value, e.g. 22/05/2016"
        )
        self.cell_value.setEnabled(False)
        self.cell_value.returnPressed.connect(self.apply_correction)
        self.correct_button = button(
            "Apply the &correction", "Apply the correction and check the rows again", self.apply_correction
        )
        self.correct_button.setEnabled(False)
        self.corrections: list[str] = []
        correction = QHBoxLayout()
        correction.addWidget(self.cell_label, 2)
        correction.addWidget(self.cell_value, 2)
        correction.addWidget(self.correct_button)
        self.skip_invalid = check("&Skip the rows with errors and import the rest", "Skip invalid rows")
        self.skip_invalid.toggled.connect(lambda _on: self._update_import_button())
        nav = QHBoxLayout()
        nav.addWidget(self.skip_invalid, 1)
        nav.addWidget(button("Sa&ve report…", "Save the validation report", self.choose_report_path))
        nav.addWidget(button("&Back", "Back to the mapping", lambda: self._show_step(1)))
        self.import_button = button("&Import", "Import the rows", self.commit)
        nav.addWidget(self.import_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.issues, 1)
        layout.addLayout(correction)
        layout.addLayout(nav)
        return page

    def _selected_issue(self) -> RowIssue | None:
        index = self.issues.currentIndex()
        return self.issue_model.issues[index.row()] if index.isValid() else None

    def _show_cell(self) -> None:
        issue, table = self._selected_issue(), self.table_data
        cell = None
        if issue is not None and issue.header and table is not None:
            cell = table.cell(issue.row_number, issue.header)
        editable = issue is not None and bool(issue.header)
        self.cell_value.setEnabled(editable)
        self.correct_button.setEnabled(editable)
        if not editable:
            self.cell_label.setText(
                "Select an issue with a column to correct its cell here."
                if issue is not None
                else "Select an issue to correct its cell here."
            )
            self.cell_value.clear()
            return
        assert issue is not None
        now = "empty" if cell in (None, "") else str(cell)
        self.cell_label.setText(f"Row {issue.row_number}, column '{issue.header}' (now: {now}). Correct it to:")
        self.cell_value.setText("" if cell is None else str(cell))

    def apply_correction(self) -> None:
        """Correct the selected cell in memory and check the rows again; the source file stays as it was."""
        issue, table = self._selected_issue(), self.table_data
        if issue is None or not issue.header or table is None:
            return
        value = self.cell_value.text()
        self.table_data = correct_cell(table, issue.row_number, issue.header, value)
        self.fixes.append((issue.row_number, issue.header, value))
        self.corrections.append(f"row {issue.row_number}, {issue.header}: {value}")
        self.validate()

    def _validated(self, plan: ImportPlan) -> None:
        self.plan = plan
        report = plan.report
        self.issue_model.set_issues(report.issues)
        corrected = (
            f" {count_of(len(self.corrections), 'cell')} corrected here (the file is unchanged)."
            if getattr(self, "corrections", None)
            else ""
        )
        notes = " ".join(report.notes) + (" " if report.notes else "")
        omitted = (
            f"The first {len(report.issues):,} issues are listed; {report.omitted_count:,} more are summarised "
            "in the saved report. "
            if report.omitted
            else ""
        )
        announce(
            self.summary,
            f"{report.rows_total} rows: {report.rows_ok} without issues, {report.rows_with_warnings} with warnings "
            f"only, {report.rows_with_errors} with errors.{corrected} "
            + notes
            + omitted
            + (
                "Rows with errors cannot be imported: select an issue and correct its cell below, fix the file, or "
                "skip them (they are listed afterwards for re-entry)."
                if report.has_errors
                else "Warnings do not stop the import; likely duplicates are flagged for you to confirm, never deleted."
            ),
        )
        self.skip_invalid.setChecked(False)
        self.skip_invalid.setEnabled(report.has_errors)
        self._update_import_button()
        self._show_step(2)
        first_error = next((n for n, i in enumerate(report.issues) if i.severity is Severity.ERROR and i.header), None)
        if first_error is not None:  # the next thing to correct, ready to type over
            self.issues.setCurrentIndex(self.issue_model.index(first_error, 0))
        self._show_cell()
        self._resume_report()

    def _update_import_button(self) -> None:
        plan = self.plan
        ok = (
            plan is not None
            and plan.importable_rows > 0
            and (not plan.report.has_errors or self.skip_invalid.isChecked())
        )
        self.import_button.setEnabled(ok)
        if plan is not None:
            self.import_button.setText(f"&Import {plan.importable_rows} rows")

    def choose_report_path(self) -> None:
        if self.plan is None:
            return
        path = save_file(self, "Save the validation report", "import-report.csv", "CSV (*.csv);;Text (*.txt)")
        if path:
            self.save_report_to(Path(path))

    @reports_errors("Report not saved")
    def save_report_to(self, path: Path) -> None:
        assert self.plan is not None
        save_report(self.plan.report, path, overwrite=True)  # the save dialog asked before replacing
        self.context.show_status(f"Report saved to {path}")

    def commit(self) -> None:
        plan, skip = self.plan, self.skip_invalid.isChecked()
        if plan is None or not self.import_button.isEnabled():
            return

        def work(uow: UnitOfWork, progress: Progress) -> ImportResult:
            # Cancelling raises inside the unit of work: the transaction rolls back and nothing is written.
            return commit_import(uow, plan, skip_invalid=skip, progress=progress)

        def done(result: ImportResult) -> None:
            self.import_result = result
            if result is not None:
                self.context.show_status(
                    f"Imported {count_of(result.created, 'entry', 'entries')} from {plan.agency_name}; "
                    f"{count_of(result.skipped_rows, 'row')} skipped; "
                    f"{count_of(result.duplicates_flagged, 'likely duplicate')} flagged"
                )
                if result.skipped:  # what was left out, to add by hand (New entry, Ctrl+N) or fix and re-import
                    self.skipped_box = messages.show_info(
                        self.parentWidget(),
                        "Rows not imported",
                        f"{count_of(len(result.skipped), 'row')} of {plan.table.source_name} "
                        f"{noun_for(len(result.skipped), 'was', 'were')} left out. Add them by hand "
                        "(New entry, Ctrl+N) or correct the file and import them again:\n\n"
                        + "\n".join(result.skipped),
                    )
            self.accept()

        self.context.write_in_steps(f"Importing {plan.importable_rows} entries…", work, on_done=done, cancellable=True)

    def _show_step(self, number: int) -> None:
        self.steps.setCurrentIndex(number)
        # Enter runs the step's forward action; set here, once the buttons are inside the dialog.
        default: QPushButton = (self.read_button, self.validate_button, self.import_button)[number]
        default.setDefault(True)
        titles = (
            "Step 1 of 3: the file and the agency",
            "Step 2 of 3: map the columns",
            "Step 3 of 3: check the rows, then import",
        )
        self.step_label.setText(titles[number])

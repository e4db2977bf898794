"""Figures in: a return or CSV checked first (the report names file, row and column), then imported;
return templates and comparators too. Reading and writing run off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.errors import InvalidInput, WorkbenchError
from app.performance.comparators import import_comparators
from app.performance.figures import FigurePlan, RawRow, commit_plan, plan_figures, read_figures
from app.performance.periods import latest_template_quarter, template_quarter
from app.performance.returns import template_bytes
from app.performance.settings import MOST_DAYS_DUE, DataSettings, load_settings, save_settings
from app.records import UnitOfWork
from app.store.user_files import write_user_file
from app.text import count_of
from ui.kit import files
from ui.kit.announce import speak
from ui.kit.controls import add_captioned, button, combo, line, row_of, set_combo_data
from ui.messages import reports_errors, show_info


class ImportPanel(QWidget):
    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page
        self.plan: FigurePlan | None = None
        #: the rows the plan was checked from: what "Import the checked figures" imports
        self.rows: list[RawRow] = []
        self.path: Path | None = None
        self.choose = button("&Check a return or CSV…", "Check a file of figures", self.check_file)
        self.commit = button("&Import the checked figures", "Import the checked figures", self.import_checked)
        self.commit.setEnabled(False)
        self.comparators = button("Import co&mparators CSV…", "Import comparators from CSV", self.import_comparators)
        self.agency = combo("Agency of the template")
        self.period = line("Quarter of the template", placeholder="a quarter, e.g. 2026Q3")
        self.template = button("Write return &template…", "Write a return template", self.write_template)
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 100)
        self.threshold.setAccessibleName("Small-number threshold")
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(0.5, 1000)
        self.tolerance.setDecimals(1)
        self.tolerance.setSuffix(" %")
        self.tolerance.setAccessibleName("Comparator tolerance in percent")
        self.returns_due = QSpinBox()
        self.returns_due.setRange(0, MOST_DAYS_DUE)
        self.returns_due.setSuffix(" days after the quarter ends")
        self.returns_due.setAccessibleName("Returns due, days after the quarter ends")
        self.returns_due.setToolTip("Until then an agency that has sent no figures is not listed as a missing return.")
        self.save_settings = button("Sa&ve settings", "Save the data settings", self.store_settings)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Validation report")
        self.report.setTabChangesFocus(True)
        self.report.setFont(QFont("monospace"))
        self.report.setPlaceholderText(
            "Choose a return (.xlsx) or a CSV of figures: it is checked first and "
            "nothing is written until you import it."
        )
        top = row_of(self.choose, self.commit, self.comparators)
        template_row = QHBoxLayout()
        for label, widget in (("Agenc&y:", self.agency), ("&Quarter:", self.period)):
            add_captioned(template_row, label, widget)
        template_row.addWidget(self.template)
        template_row.addStretch(1)
        settings_row = QHBoxLayout()
        for label, widget in (
            ("Small-&number threshold:", self.threshold),
            ("Comparator to&lerance:", self.tolerance),
            ("Returns &due:", self.returns_due),
        ):
            add_captioned(settings_row, label, widget)
        settings_row.addWidget(self.save_settings)
        settings_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.report, 1)
        heading = QLabel("Return templates for agencies (aggregate figures only)")
        heading.setStyleSheet("font-weight: bold")
        layout.addWidget(heading)
        layout.addLayout(template_row)
        layout.addLayout(settings_row)

    def reload(self, latest: int | None) -> None:
        with self.page.context.workspace.reading() as session:
            agencies = [(a.short_name or a.name, a.name) for a in list_agencies(session)]
            settings = load_settings(session)
        self.threshold.setValue(settings.small_number_threshold)
        self.tolerance.setValue(settings.comparator_tolerance_percent)
        self.returns_due.setValue(settings.returns_due_days)
        chosen = self.agency.currentData()  # kept across the reload every import causes
        self.agency.clear()
        for short, name in agencies:
            self.agency.addItem(short, name)
        set_combo_data(self.agency, chosen)
        if not self.period.text():  # the quarter after the latest figures, never one not yet started
            offered = latest_template_quarter(latest)
            self.period.setText(str(offered) if offered is not None else "")

    def store_settings(self) -> None:
        chosen = DataSettings(self.threshold.value(), self.tolerance.value(), self.returns_due.value())

        def work(uow: UnitOfWork) -> None:
            save_settings(uow, chosen)

        if self.page.context.write("Save the data settings", work, initiator=None):
            self.page.context.show_status("Saved the data settings")

    def check_file(self) -> None:
        path = files.open_file(
            self, "Check a return or CSV of figures", "Returns and figures (*.xlsx *.csv);;All files (*)"
        )
        if not path:
            return
        workspace = self.page.context.workspace
        # the report and the Import button are the new file's from now on: a file that cannot be read
        # must not leave the last file's figures on show, ready to import under its name
        self.plan, self.path, self.rows = None, None, []
        self.commit.setEnabled(False)

        def work(_progress: Any) -> tuple[FigurePlan, list[RawRow]] | WorkbenchError:
            try:
                source_name, rows = read_figures(Path(path))
            except WorkbenchError as exc:  # said in the report, where the next file's check will be read
                return exc
            with workspace.reading() as session:
                return plan_figures(session, source_name, rows), rows

        def done(checked: tuple[FigurePlan, list[RawRow]] | WorkbenchError) -> None:
            if isinstance(checked, WorkbenchError):
                self.report.setPlainText(f"{checked.message}\n\nNothing was checked or imported.\n")
                self.report.setFocus()
                speak(self.report, checked.message, urgent=True)
                return
            plan, self.rows = checked
            self.plan, self.path = plan, Path(path)
            text = plan.report.to_text()
            if plan.report.has_errors:
                text += "\nNothing can be imported until the errors are fixed.\n"
            elif plan.new_read_as:
                text += "\nNew figures, as read:\n" + "\n".join(plan.new_read_as) + "\n"
            self.report.setPlainText(text)
            self.commit.setEnabled(not plan.report.has_errors and bool(plan.new or plan.changed))
            self.report.setFocus()
            checked = f"Checked {Path(path).name}: "
            if plan.report.has_errors:
                speak(self.report, checked + "errors found; nothing can be imported until they are fixed.", urgent=True)
            else:
                speak(
                    self.report,
                    checked + f"{len(plan.new)} new and {count_of(len(plan.changed), 'changed figure')} to import.",
                )

        self.page.context.run(f"Checking {Path(path).name}", work, done)

    def import_checked(self) -> None:
        if self.plan is None or self.path is None:
            return
        path, rows, source_name = self.path, self.rows, self.plan.report.source_name

        def work(uow: UnitOfWork) -> dict[str, int]:
            # the rows checked, not the file read again: a file saved again since (the agency's corrected
            # copy over it) would import figures no report showed. Checked again inside the transaction:
            # the stored figures may have changed since
            plan = plan_figures(uow.session, source_name, rows)
            if plan.report.has_errors:
                raise InvalidInput(f"{plan.report.first_error()}. Nothing was imported.")
            return commit_plan(uow, plan)

        def done(counts: dict[str, int]) -> None:
            self.commit.setEnabled(False)
            self.plan, self.rows = None, []
            summary = ", ".join(f"{v} {k}" for k, v in counts.items())
            self.report.appendPlainText(f"\nImported: {summary}.")  # the status line below announces it
            self.page.context.show_status(f"Imported {path.name}: {summary}")

        self.page.context.write(f"Importing {path.name}", work, initiator=None, on_done=done, background=True)

    def import_comparators(self) -> None:
        path = files.open_file(self, "Import comparators", "CSV (*.csv);;All files (*)")
        if not path:
            return

        def work(uow: UnitOfWork) -> Any:
            report = import_comparators(uow, Path(path), dry_run=True)
            if not report.has_errors:
                import_comparators(uow, Path(path))
            return report

        def done(report: Any) -> None:
            # the report below is now the comparators': a return checked before is no longer on show
            self.plan, self.path, self.rows = None, None, []
            self.commit.setEnabled(False)
            self.report.setPlainText(
                report.to_text() + ("\nNothing was imported.\n" if report.has_errors else "\nImported.\n")
            )
            if report.has_errors:
                speak(self.report, "Comparators not imported: the file has errors, listed in the report.", urgent=True)
            else:
                speak(self.report, "Comparators imported.")

        self.page.context.write("Import comparators", work, initiator=None, on_done=done)

    @reports_errors("Template not written")
    def write_template(self) -> None:
        agency, period = self.agency.currentData(), self.period.text().strip()
        if not agency:
            return
        try:
            canonical = str(template_quarter(period))  # asked before the file is: a future quarter is refused
        except InvalidInput as exc:
            self.report.setPlainText(exc.message)
            speak(self.report, exc.message, urgent=True)
            self.period.setFocus()
            return
        path = files.save_file(
            self,
            "Write a return template",
            f"return-{self.agency.currentText()}-{canonical}.xlsx",
            "Excel workbook (*.xlsx)",
        )
        if not path:
            return
        with self.page.context.workspace.reading() as session:
            data, count = template_bytes(session, agency, canonical)
        write_user_file(Path(path), data, overwrite=Path(path).exists())
        show_info(self, "Template written", f"Wrote a return of {count_of(count, 'indicator')} to {path}.")

"""The exception list of a quarter, the commentary on each, actions raised from them, the quarter's report."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from app.performance.exceptions import (
    STATUSES,
    ExceptionRow,
    Returns,
    create_action,
    partly_missing,
    save_commentary,
)
from app.performance.periods import Period
from app.performance.reports import report_bytes
from app.records import UnitOfWork
from ui.kit.controls import (
    action,
    add_captioned,
    add_labelled_rows,
    button,
    combo,
    form_with_buttons,
    line,
    set_combo_data,
    text_box,
    text_label,
    two_panes,
)
from ui.kit.edit_guard import GuardedChoice, TableFormGuard
from ui.kit.empty import change_empty_text
from ui.kit.table_model import current_key, current_row, select_key
from ui.messages import show_info
from ui.performance.models import ExceptionModel
from ui.widgets import plain_record_table, refill

NONE_FOUND = (
    "No exceptions this quarter: none of the figures shows special-cause variation, a gap to comparators "
    "or a missing return."
)
NOT_YET_DUE_EMPTY = "None of the figures sent so far shows special-cause variation or a gap to comparators."


class ExceptionsPanel(QWidget):
    def __init__(self, page: Any) -> None:
        super().__init__()
        self.page = page
        self.period = combo("Quarter of the exceptions")
        self.model = ExceptionModel()
        self.table = plain_record_table(self.model, "Exceptions of the quarter", empty=NONE_FOUND)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.missing = text_label("Returns incomplete", wrap=True)
        self.detail = text_label("Exception detail", wrap=True)
        self.commentary = text_box("Agency commentary", 90)
        self.view = text_box("Panel view", 90)
        self.status = combo("Exception status", [(label, key) for key, label in STATUSES.items()])
        self.save_button = button("&Save commentary", "Save commentary", self.save)
        self.action_title = line("Action title", placeholder="What will be done about it")
        self.action_button = button("Create actio&n", "Create action from exception", self.raise_action)
        self.open_chart = button("Show cha&rt", "Show the SPC chart of the exception", self.show_chart)
        self.xlsx = button("Report &XLSX…", "Save the quarter's report as XLSX", lambda: self.export("xlsx"))
        self.pdf = button("Report P&DF…", "Save the quarter's report as PDF", lambda: self.export("pdf"))
        action(self, "Save commentary", "Ctrl+S", self.save)
        self.guard = TableFormGuard(
            self,
            self.table,
            {"commentary": self.commentary, "view": self.view, "status": self.status},
            title="Exception commentary",
            noun="commentary",
            save=self.save,
            draft_key="performance.exception",
            record=lambda: current_key(self.table),
            choose=self._reselect,
            show=lambda: self._show(self.current()),
            # the quarter the form's exception is in: during the question the box already shows the next one
            scope=lambda: {"period": str(self.quarter.shown or "")},
            set_scope=self._show_quarter,
            on_unlisted=self._show_unlisted,
        )
        #: what the detail line says while the quarter shown has no exception
        self._none_listed = "Choose a quarter."
        #: what each exception listed since the page opened was, by uuid: the detail line names the one
        #: whose commentary is kept after a change took it out of the list
        self._labels: dict[str, str] = {}
        # another quarter asks about the commentary typed (it used to be dropped, the new quarter's first
        # exception filling the form); Cancel keeps the quarter and the typing
        self.quarter = GuardedChoice(self.period, [self.guard], lambda: self.page.load_exceptions())
        form = QFormLayout()
        form.addRow("Detail:", self.detail)
        add_labelled_rows(
            form,
            (
                ("Agency &commentary:", self.commentary),
                ("Panel &view:", self.view),
                ("S&tatus:", self.status),
                ("Action t&itle:", self.action_title),
            ),
        )
        editor = form_with_buttons(form, (self.save_button, self.action_button, self.open_chart))
        split = two_panes(self.table, editor, vertical=True)
        top = QHBoxLayout()
        add_captioned(top, "&Quarter:", self.period)
        top.addWidget(self.missing, 1)
        top.addWidget(self.xlsx)
        top.addWidget(self.pdf)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._set_editable(False)

    # -- data ------------------------------------------------------------------

    def set_periods(self, periods: list[int]) -> None:
        quarters = [Period(index) for index in reversed(periods)]
        refill(self.period, [(f"{q} ({q.label})", str(q)) for q in quarters], keep=True)

    def current_period(self) -> Period | None:
        data = self.period.currentData()
        return Period.parse(data) if data else None

    def show_rows(self, rows: list[ExceptionRow], missing: list[tuple[str, int, int]]) -> None:
        self.quarter.showing()
        keep = self.current().uuid if self.current() else None
        self._labels.update((row.uuid, row.source_label) for row in rows)
        with self.guard.quietly():
            self.model.set_rows(rows)
        partial = partly_missing(missing)  # a return with no figures at all is a row of the table already
        waiting = missing if isinstance(missing, Returns) and not missing.overdue else None
        if waiting is not None:  # no return is missing before the due date, whoever has sent nothing yet
            self.missing.setText(waiting.not_yet_due())
        else:
            self.missing.setText(
                "Returns incomplete: " + "; ".join(f"{a} {r} of {e}" for a, r, e in partial)
                if partial
                else ("Every return is in." if not missing else "Every other return is in.")
            )
        period = self.current_period()
        if period is None:
            self._none_listed = "Choose a quarter."
        elif waiting is not None:
            self._none_listed = (
                f"No exceptions for {period} yet: its returns are not due until {waiting.due_text}, so none is missing."
            )
        else:
            self._none_listed = f"No exceptions for {period}."
        change_empty_text(self.table, NONE_FOUND if waiting is None else f"{self._none_listed} {NOT_YET_DUE_EMPTY}")
        if (keep is None or not select_key(self.table, keep)) and not self.guard.show_first():
            self._show(None)  # the quarter has none: the detail line says so
        self.table.resizeColumnToContents(0)

    def current(self) -> ExceptionRow | None:
        return current_row(self.table)

    def _show_quarter(self, scope: dict[str, str]) -> None:
        """The quarter a draft was typed in, shown again before its exception is chosen."""
        if scope.get("period"):
            set_combo_data(self.period, scope["period"])

    # -- the editor ------------------------------------------------------------

    def _form(self) -> tuple[str, str, str]:
        return (self.commentary.toPlainText(), self.view.toPlainText(), str(self.status.currentData()))

    def _set_editable(self, enabled: bool) -> None:
        for widget in (
            self.commentary,
            self.view,
            self.status,
            self.save_button,
            self.action_title,
            self.action_button,
            self.open_chart,
        ):
            widget.setEnabled(enabled)

    def _show(self, row: ExceptionRow | None) -> None:
        self._set_editable(row is not None)
        if row is not None:
            self.detail.setText(row.detail)
        else:
            self.detail.setText("Choose an exception." if self.model.rows else self._none_listed)
        self.commentary.setPlainText(row.agency_commentary if row else "")
        self.view.setPlainText(row.panel_view if row else "")
        set_combo_data(self.status, row.status if row else "open")
        self.open_chart.setEnabled(bool(row and row.indicator_uuid))
        self.guard.shown(row.uuid if row else None)

    def _show_unlisted(self, uuid: str | None) -> None:
        """The commentary typed on an exception a change took out of the list stays in the form: the
        detail line says whose it is, not "Choose an exception" over text already typed."""
        label = self._labels.get(uuid or "")
        self.detail.setText(
            f"No longer listed: {label}. The commentary below was typed on it and cannot be saved."
            if label
            else "No longer listed: the commentary below was typed on an exception not in the list now, "
            "so it cannot be saved."
        )

    def save(self) -> bool:
        # the exception the form was filled from: on a move to another row, the table is already there
        row = next((r for r in self.model.rows if r.uuid == self.guard.saving_over()), None)
        if row is None:
            if self.guard.unlisted:  # Ctrl+S said nothing: the notice is above the form, the status says why
                self.page.context.show_status(
                    "Not saved: the exception this commentary was typed on is no longer listed."
                )
            return False
        commentary, view, status = self._form()

        def work(uow: UnitOfWork) -> None:
            save_commentary(uow, row, agency_commentary=commentary, panel_view=view, status=status)

        with self.guard.quietly():
            saved = self.page.context.write("Save commentary", work, initiator=self.page)
        if saved:
            row.agency_commentary, row.panel_view, row.status = commentary.strip(), view.strip(), status
            self.guard.shown(row.uuid)
            self.page.context.show_status(f"Saved the commentary on {row.source_label}")
            self.model.set_rows(self.model.rows)
            self._reselect(row.uuid)
        return saved

    def _reselect(self, uuid: str | None) -> bool:
        """Select the exception `uuid` again without asking; False when it is not in the quarter shown."""
        with self.guard.quietly():
            return select_key(self.table, uuid)

    def raise_action(self) -> None:
        row = self.current()
        if row is None:
            return
        # the new action reloads the exceptions: what is typed in the commentary is saved first, not lost
        if self.guard.dirty() and not self.save():
            return
        title = self.action_title.text()

        def work(uow: UnitOfWork) -> str:
            return create_action(uow, row, title=title)

        def done(reference: str) -> None:
            self.action_title.clear()
            self.page.context.show_status(f"Created {reference} from {row.source_label}")

        self.page.context.write("Create action", work, initiator=None, on_done=done)

    def show_chart(self) -> None:
        row = self.current()
        if row is not None and row.indicator_uuid:
            self.page.show_indicator(row.indicator_uuid, row.agency_uuid)

    def export(self, fmt: str) -> None:
        period = self.current_period()
        if period is None:
            return
        self.page.context.save_generated_as(
            self,
            f"Save the {period} report",
            f"performance-{period}.{fmt}",
            "Excel workbook (*.xlsx)" if fmt == "xlsx" else "PDF document (*.pdf)",
            f"Writing the {period} report",
            lambda session: report_bytes(session, str(period), fmt),
            lambda written: show_info(self, "Report saved", f"Saved the report to {written}."),
        )

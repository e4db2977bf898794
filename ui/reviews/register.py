"""The reviews register (table model) and the "new review" dialog with its statutory clocks."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.reviews.clocks import Clock, planned_milestones, review_clocks
from app.reviews.kinds import METHODS, REVIEW_KINDS, STATUSES
from app.reviews.register import RegisterRow, add_review, get_review, update_review
from app.store.workspace import Workspace
from app.text import count_of
from ui.kit.announce import announce
from ui.kit.controls import caption_for, combo, line, set_combo_data
from ui.kit.dates import day_from_text, uk
from ui.kit.edit_guard import dialog_guard
from ui.kit.table_model import ColumnTableModel, TableColumn
from ui.kit.write import run_write
from ui.widgets import accept_or_cancel, show_items_whole, tick_list

_Index = QModelIndex | QPersistentModelIndex
#: state -> (words, background, text colour); black on these pale colours passes 4.5:1
STATE_LOOK = {
    "overdue": ("Overdue", "#f4c7c3", "#000000"),
    "due-soon": ("Due soon", "#fde9b0", "#000000"),
    "pending": ("On time", "#d9ead3", "#000000"),
    "done": ("Done", "#e6e6e6", "#000000"),
}


def clock_text(clock: Clock | None) -> str:
    if clock is None:
        return "No open milestone"
    words = STATE_LOOK[clock.state][0]
    if clock.state == "overdue":
        return f"{words} by {count_of(-clock.working_days_left, 'working day')}"
    if clock.state in ("due-soon", "pending"):
        return f"{words}: {count_of(clock.working_days_left, 'working day')} left"
    return words


def clocks_html(clocks: list[Clock]) -> str:
    """Each clock with its state in words on its colour, e.g. "Overdue  Rapid review…: due 23/02/2026"."""
    if not clocks:
        return "No clocks: no notification date recorded."
    lines = []
    for clock in clocks:
        words, background, text = STATE_LOOK[clock.state]
        lines.append(
            f'<span style="background:{background}; color:{text}">&nbsp;{words}&nbsp;</span> '
            f"{html.escape(clock.name)}: due {uk(clock.due)}" + (" (statutory)" if clock.statutory else "")
        )
    return "<br>".join(lines)


def _clock_colours(row: RegisterRow) -> tuple[str, str] | None:
    if row.next_clock is None:
        return None
    _words, background, text = STATE_LOOK[row.next_clock.state]
    return background, text


class RegisterTableModel(ColumnTableModel[RegisterRow]):
    columns = (
        TableColumn("Reference", lambda r: r.reference),
        TableColumn("Kind", lambda r: r.kind_label),
        TableColumn("Title", lambda r: r.title),
        TableColumn("Subject", lambda r: r.subject_pseudonym),
        TableColumn("Status", lambda r: r.status_label),
        TableColumn("Entries", lambda r: str(r.entries), sort=lambda r: r.entries),
        TableColumn("Next milestone", lambda r: r.next_clock.name if r.next_clock else ""),
        TableColumn(
            "Due",
            lambda r: uk(r.next_clock.due) if r.next_clock else "",
            sort=lambda r: r.next_clock.due if r.next_clock else None,
        ),
        TableColumn("Clock", lambda r: clock_text(r.next_clock), colours=_clock_colours),
    )

    def extra_data(self, item: RegisterRow, column: int, role: int) -> Any:
        return item.uuid if role == Qt.ItemDataRole.UserRole else None


COLUMNS = tuple(column.heading for column in RegisterTableModel.columns)
CLOCK_COLUMN = COLUMNS.index("Clock")


#: the draft key of the register / edit review form
REVIEW_FORM_DRAFT = "reviews.review_form"
#: agencies the register form shows at once (a partnership has eight to a dozen)
AGENCY_ROWS = 10


COMFORTABLE_WIDTH = 940  # pixels: each field shows its hint whole beside the agencies listed whole


class NewReviewDialog(QDialog):
    """Register a review (or edit one); the statutory clocks are shown as the dates are typed."""

    def __init__(
        self,
        parent: QWidget | None,
        workspace: Workspace,
        on_saved: Callable[[ChangeSet, str], None] | None = None,
        today: date | None = None,
        review_uuid: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.on_saved = on_saved
        self.today = today or date.today()
        self.review_uuid = review_uuid
        self.reference: str | None = None
        #: the review the last save wrote (a new one's uuid; `review_uuid` stays None for a new review)
        self.saved_uuid = ""
        #: what the last save changed, held from its commit until `on_saved` publishes it
        self.changes: ChangeSet | None = None
        self.setWindowTitle("Edit review" if review_uuid else "New review")
        self.setAccessibleName(self.windowTitle())
        self.kind = combo("Kind of review", [(k.label, k.code) for k in REVIEW_KINDS])
        self.title = line("Review title")
        # a hint, not a value: a new review must not start out naming its subject "Child A"
        self.subject = line("Subject's pseudonym", placeholder="a pseudonym, e.g. Child A (never the real name)")
        self.dob = line("Subject's date of birth", placeholder="dd/mm/yyyy (optional, for ages)")
        self.scope_from = line("Scope from", placeholder="dd/mm/yyyy")
        self.scope_to = line("Scope to", placeholder="dd/mm/yyyy")
        self.known_on = line("Incident known on", placeholder="dd/mm/yyyy")
        self.notified = line("Notified on", placeholder="dd/mm/yyyy (starts the rapid review clock)")
        self.method = combo("Method", [(label, code) for code, label in METHODS.items()])
        self.method.setCurrentIndex(self.method.findData("other"))
        self.status = combo("Status", [(label, code) for code, label in STATUSES.items()])
        self.leads = line("Lead reviewers")
        with workspace.reading() as session:
            choices = [(f"{agency.short_name} - {agency.name}", agency.uuid) for agency in list_agencies(session)]
        self.agencies = tick_list("Participating agencies", choices, ticked=False)
        show_items_whole(self.agencies, rows=AGENCY_ROWS)
        self.clocks = QLabel()
        self.clocks.setAccessibleName("Statutory clocks of the new review")
        self.clocks.setWordWrap(True)
        self.clocks.setTextFormat(Qt.TextFormat.RichText)
        self.problem = QLabel()
        self.problem.setAccessibleName("Problem with the review")
        self.problem.setWordWrap(True)
        self.problem.hide()  # shown with a refusal: empty, it was a band of nothing above the buttons
        # the agencies beside the fields, not under them: in one column the dialog was taller than Qt lets
        # a new window be (2/3 of the screen), so at 1280 x 800 the list was squeezed to four cut-off rows.
        # The kind of review (the widest field) spans the list's column too, above it: beside a column as
        # wide as the kind's names the list made the dialog 826 px at its narrowest, too wide for 800 px
        grid = QGridLayout()
        grid.addWidget(caption_for("&Kind", self.kind), 0, 0)
        grid.addWidget(self.kind, 0, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)  # as wide as its names, no wider
        rows = (
            ("&Title", self.title),
            ("S&ubject", self.subject),
            ("Date of &birth", self.dob),
            ("Scope &from", self.scope_from),
            ("Scope t&o", self.scope_to),
            ("&Incident known on", self.known_on),
            ("&Notified on", self.notified),
            ("&Method", self.method),
            ("St&atus", self.status),
            ("&Lead reviewers", self.leads),
        )
        for row, (text, widget) in enumerate(rows, start=1):
            grid.addWidget(caption_for(text, widget), row, 0)
            grid.addWidget(widget, row, 1)
        agencies = QVBoxLayout()
        agencies.addWidget(caption_for("A&gencies", self.agencies))
        agencies.addWidget(self.agencies, 1)
        # the list takes the height the fields leave; an empty last row keeps the fields together at the top
        grid.addLayout(agencies, 1, 2, len(rows) + 1, 1)
        grid.setRowStretch(len(rows) + 1, 1)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        buttons, ok = accept_or_cancel(self, self.save, QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Save review" if review_uuid else "&Register review")
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(QLabel("Clocks (English working days):"))
        layout.addWidget(self.clocks)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        # at its narrowest (for an 800 px screen) the fields cut their hints short ("a pseudonym, e.g.
        # Child A..."): where the screen has room it opens wide enough to read them
        room = (parent.screen() if parent is not None else self.screen()).availableGeometry().width() - 40
        self.resize(max(self.minimumSizeHint().width(), min(COMFORTABLE_WIDTH, room)), self.sizeHint().height())
        for edit in (self.known_on, self.notified):
            edit.textChanged.connect(lambda _t: self.update_clocks())
        self.kind.currentIndexChanged.connect(lambda _i: self.update_clocks())
        if review_uuid:
            self._fill(review_uuid)
        self.update_clocks()
        # what a draft keeps on lock, by name
        fields: dict[str, QWidget] = {
            "kind": self.kind,
            "title": self.title,
            "subject": self.subject,
            "dob": self.dob,
            "scope_from": self.scope_from,
            "scope_to": self.scope_to,
            "known_on": self.known_on,
            "notified": self.notified,
            "method": self.method,
            "status": self.status,
            "leads": self.leads,
            "agencies": self.agencies,
        }
        self.guard = dialog_guard(
            self,
            fields,
            draft_key=REVIEW_FORM_DRAFT,
            record=lambda: self.review_uuid,
            noun="review",
            save=self._save_for_guard,
        )

    # -- drafts kept across a lock ----------------------------------------------

    def _save_for_guard(self) -> bool:
        self.save()
        return self.result() == QDialog.DialogCode.Accepted

    def _fill(self, review_uuid: str) -> None:
        with self.workspace.reading() as session:
            review = get_review(session, review_uuid)
            self.reference = review.reference
            set_combo_data(self.kind, review.kind)
            self.title.setText(review.title)
            self.subject.setText(review.subject_pseudonym)
            for edit, value in (
                (self.dob, review.subject_dob),
                (self.scope_from, review.scope_from),
                (self.scope_to, review.scope_to),
                (self.known_on, review.incident_known_on),
                (self.notified, review.notified_on),
            ):
                edit.setText(uk(value))
            set_combo_data(self.method, review.method)
            set_combo_data(self.status, review.status)
            self.leads.setText(review.lead_reviewers)
            chosen = set(review.participating_agencies)
            self.milestones = list(review.milestones)
        for r in range(self.agencies.count()):
            item = self.agencies.item(r)
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen else Qt.CheckState.Unchecked
            )

    def preview_clocks(self) -> list[Clock]:
        try:
            known = day_from_text(self.known_on.text(), "incident date")
            notified = day_from_text(self.notified.text(), "notification date")
        except WorkbenchError:
            return []
        kind = self.kind.currentData()
        milestones = getattr(self, "milestones", None)
        if milestones is None:
            milestones = planned_milestones(kind, notified)
        return review_clocks(kind, known, notified, milestones, self.today)

    def update_clocks(self) -> None:
        clocks = self.preview_clocks()
        self.clocks.setText(
            clocks_html(clocks)
            if clocks
            else "No clocks yet: type the notification date (or the date the incident became known)."
        )

    def values(self) -> dict[str, Any]:
        agencies = [
            self.agencies.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.agencies.count())
            if self.agencies.item(r).checkState() == Qt.CheckState.Checked
        ]
        return dict(
            kind=self.kind.currentData(),
            title=self.title.text(),
            subject_pseudonym=self.subject.text(),
            subject_dob=day_from_text(self.dob.text(), "date of birth"),
            scope_from=day_from_text(self.scope_from.text(), "scope start"),
            scope_to=day_from_text(self.scope_to.text(), "scope end"),
            incident_known_on=day_from_text(self.known_on.text(), "incident date"),
            notified_on=day_from_text(self.notified.text(), "notification date"),
            method=self.method.currentData(),
            status=self.status.currentData(),
            lead_reviewers=self.leads.text(),
            agencies=agencies,
        )

    def save(self) -> None:
        """Write in one unit of work (`run_write`); on a refusal keep the form open and say why."""
        run_write(
            self, self.workspace, self.windowTitle(), self._write, self._written, self._saved, on_refused=self._refused
        )

    def _write(self, uow: UnitOfWork) -> tuple[str, str | None]:
        """The review's uuid and reference: the form takes them only once the write is committed (`_saved`),
        so a refused registration leaves the form a new review's."""
        values = self.values()
        if self.review_uuid is None:
            review = add_review(uow, today=self.today, **values)
            return review.uuid, review.reference
        values["participating_agencies"] = values.pop("agencies")
        update_review(uow, self.review_uuid, **values)
        return self.review_uuid, self.reference

    def _written(self, changes: ChangeSet) -> None:
        """Committed: kept for `_saved`, which publishes them once the form names the review."""
        self.changes = changes

    def _saved(self, written: tuple[str, str | None]) -> None:
        """Written: close, then `on_saved` publishes the change set (the caller's page, as its initiator)."""
        self.saved_uuid, self.reference = written
        self.accept()
        if self.on_saved is not None and self.changes is not None:
            self.on_saved(self.changes, self.saved_uuid)

    def _refused(self, error: WorkbenchError) -> None:
        announce(self.problem, error.message, urgent=True)
        self.problem.show()

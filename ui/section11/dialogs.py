"""Dialogs of the Section 11 area: a new cycle, booking an interview, a line of enquiry, an agreed action,
the letterhead and signatory.

Each dialog checks what it can before closing (a date that does not parse is
named in the dialog, not lost); the page writes through `context.write`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInput
from app.section11.interview import Attendee
from app.section11.letters import LetterSettings
from ui.kit.announce import announce
from ui.kit.controls import combo, first_focusable, line, text_box, text_label
from ui.kit.dates import day_from_text, uk
from ui.kit.edit_guard import EditGuard, dialog_guard
from ui.section11.attendees import AttendeesEditor
from ui.widgets import accept_or_cancel, error_label, tick_list, ticked_of

#: the drafts of the register's dialogs open at the lock (the Section 11 area opens them again)
NEW_CYCLE_DRAFT = "section11.new_cycle"
BOOK_INTERVIEW_DRAFT = "section11.book_interview"
PARTICIPANT_DRAFT = "section11.participant"
ADD_AGENCIES_DRAFT = "section11.add_agencies"
#: a line of enquiry being written in an agency's view (that view opens it again)
LINE_DRAFT = "section11.line"
#: an action being agreed in interview mode (the interview opens again on its line, the dialog with it)
AGREE_ACTION_DRAFT = "section11.agree_action"
#: the letterhead and signatory being edited from an agency's letter (that letter tab opens it again)
LETTERHEAD_DRAFT = "section11.letterhead"


def open_form_dialog(
    owner: Any, dialog: _FormDialog, draft_key: str, scope: dict[str, str], save: Callable[[], None]
) -> None:
    """Open `dialog` over `owner` (kept as `owner.dialog`), keeping what is typed as a draft on lock
    (`scope`: the cycle, agency or framework it is for); `save` runs when it is accepted."""
    dialog.keep_drafts(draft_key, scope)
    owner.dialog = dialog
    dialog.accepted.connect(save)
    dialog.open()


class _FormDialog(QDialog):
    """OK checks the form (`collect`); a refusal is shown in red above the buttons and the dialog stays."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = error_label(f"{title}: problem")
        self.buttons, _ok = accept_or_cancel(self, self._try_accept, QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.values: dict[str, Any] = {}
        #: the fields whose text is kept as a draft on lock, by name (each placed with `add_field`)
        self.draft_fields: dict[str, QWidget] = {}
        self.guard: EditGuard | None = None
        self._focus_placed = False

    def showEvent(self, event: QShowEvent) -> None:
        """The cursor starts in the first field: the buttons are made before the fields, so Qt gave OK the
        focus and typing on opening was lost, every later field landing one box off."""
        super().showEvent(event)
        if not self._focus_placed:
            self._focus_placed = True
            first = self.first_field()
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)

    def first_field(self) -> QWidget | None:
        """The first control of the form, top to bottom, that takes typing or a choice (not a label)."""
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is None or not widget.isEnabled():
                continue
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                return widget
            inner = first_focusable(widget)  # a field made of several controls (attendees, a tick list)
            if inner is not None:
                return inner
        return None

    def add_field(self, label: str, widget: QWidget, *, draft: str) -> None:
        """A row of the form (`label` such as "&Name", then `widget`) whose text a draft keeps as `draft`."""
        self.form.addRow(label, widget)
        self.draft_fields[draft] = widget

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def keep_drafts(self, key: str, scope: dict[str, str]) -> None:
        """Keep what is typed from now on as a draft on lock; `scope` names the cycle and agency it is for."""
        self.guard = dialog_guard(
            self,
            self.draft_fields,
            draft_key=key,
            record=lambda: scope.get("participant") or None,
            scope=lambda: dict(scope),
        )

    def clear_when_valid(self, *signals: Any) -> None:
        """Once OK has been refused, each of `signals` (a field's change) checks the form again and takes the
        refusal away when it passes: the red "Write the question to ask." stayed after the question was typed."""
        for signal in signals:
            signal.connect(self._recheck)

    def _recheck(self) -> None:
        if not self.error.text():
            return
        try:
            self.collect()
        except InvalidInput:
            return
        announce(self.error, "")

    def _try_accept(self) -> None:
        try:
            self.values = self.collect()
        except InvalidInput as exc:
            announce(self.error, exc.message, urgent=True)
            return
        self.accept()


class NewCycleDialog(_FormDialog):
    """Name, period, framework, scale, deadlines and the agencies taking part (all ticked to start)."""

    def __init__(
        self,
        parent: QWidget | None,
        frameworks: list[tuple[str, str]],
        scales: list[tuple[str, str]],
        agencies: list[tuple[str, str]],
    ) -> None:
        super().__init__(parent, "New Section 11 cycle")
        today = date.today()
        self.name = line("Cycle name", f"Section 11 audit {today.year}")
        self.period_start = line("Period start", uk(date(today.year, 4, 1)), "dd/mm/yyyy")
        self.period_end = line("Period end", uk(date(today.year + 1, 3, 31)), "dd/mm/yyyy")
        self.framework = combo("Framework", frameworks)
        self.scale = combo("Scale", scales)
        self.return_due = line("Return due", uk(today + timedelta(days=42)), "dd/mm/yyyy")
        self.panel_date = line("QA panel date", "", "dd/mm/yyyy")
        self.interview_from = line("Interview window from", "", "dd/mm/yyyy")
        self.interview_to = line("Interview window to", "", "dd/mm/yyyy")
        self.agencies = tick_list("Agencies taking part (Space ticks or unticks)", agencies, ticked=True)
        self.add_field("&Name", self.name, draft="name")
        self.add_field("Period &start", self.period_start, draft="period_start")
        self.add_field("Period &end", self.period_end, draft="period_end")
        self.add_field("&Framework", self.framework, draft="framework")
        self.add_field("S&cale", self.scale, draft="scale")
        self.add_field("&Return due", self.return_due, draft="return_due")
        self.add_field("QA &panel", self.panel_date, draft="panel_date")
        self.add_field("&Interviews from", self.interview_from, draft="interview_from")
        self.add_field("Interviews &to", self.interview_to, draft="interview_to")
        self.add_field("&Agencies", self.agencies, draft="agencies")
        self.setMinimumWidth(520)

    def collect(self) -> dict[str, Any]:
        start = day_from_text(self.period_start.text(), "period start")
        end = day_from_text(self.period_end.text(), "period end")
        if start is None or end is None:
            raise InvalidInput("Give the period's start and end, e.g. 01/04/2026 and 31/03/2027.")
        chosen = ticked_of(self.agencies)
        return {
            "name": self.name.text(),
            "period_start": start,
            "period_end": end,
            "framework": self.framework.currentData(),
            "scale_key": self.scale.currentData(),
            "return_due": day_from_text(self.return_due.text(), "return due date"),
            "panel_date": day_from_text(self.panel_date.text(), "QA panel date"),
            "interview_from": day_from_text(self.interview_from.text(), "interview window start"),
            "interview_to": day_from_text(self.interview_to.text(), "interview window end"),
            "agencies": chosen,
        }


class BookInterviewDialog(_FormDialog):
    """Date, time, place and who attends; a first booking proposes the Chair and the agency's senior lead."""

    def __init__(
        self,
        parent: QWidget | None,
        agency: str,
        on: date | None = None,
        start_time: str = "",
        place: str = "",
        attendees: Sequence[Attendee] = (),
    ) -> None:
        super().__init__(parent, f"Book the interview with {agency}")
        self.on = line("Interview date", uk(on) if on else "", "dd/mm/yyyy")
        self.start_time = line("Start time", start_time, "09:30")
        self.place = line("Place", place, "e.g. Civic Centre, Room 3.12")
        # no parent yet: it joins the Tab order where addRow places it, after Place (made with the dialog
        # as parent it came before the fields, and Tab from Place went to OK)
        self.attendees = AttendeesEditor(None, says_problems=False)  # the dialog says it, above its buttons
        self.attendees.set_attendees(attendees)
        self.add_field("&Date", self.on, draft="on")
        self.add_field("&Start time", self.start_time, draft="start_time")
        self.add_field("&Place", self.place, draft="place")
        self.add_field("&Attendees", self.attendees, draft="attendees")
        self.setMinimumWidth(760)  # a name, a role like "Independent Chair and Scrutineer" and a kind side by side

    def collect(self) -> dict[str, Any]:
        on = day_from_text(self.on.text(), "interview date")
        if on is None:
            raise InvalidInput("Give the interview's date, e.g. 14/05/2026.")
        attendees = self.attendees.checked_rows()  # its problem is shown on its cell, and here
        return {"on": on, "start_time": self.start_time.text(), "place": self.place.text(), "attendees": attendees}


class LineDialog(_FormDialog):
    """A line of enquiry of the Chair's own, about a standard or about anything."""

    def __init__(self, parent: QWidget | None, standards: list[tuple[str, str | None]]) -> None:
        super().__init__(parent, "Add a line of enquiry")
        self.prompt = text_box("Question to ask", 80)
        self.standard = combo("About standard", [("Not about one standard", None), *standards])
        self.add_field("&Question", self.prompt, draft="prompt")
        self.add_field("About &standard", self.standard, draft="standard")
        self.clear_when_valid(self.prompt.textChanged)
        self.setMinimumWidth(520)

    def collect(self) -> dict[str, Any]:
        if not self.prompt.toPlainText().strip():
            raise InvalidInput("Write the question to ask.")
        return {"prompt": self.prompt.toPlainText(), "standard_uuid": self.standard.currentData()}


class AgreeActionDialog(_FormDialog):
    """An action agreed in the interview: goes straight into the action tracker, linked to the line."""

    def __init__(self, parent: QWidget | None, agency: str, about: str) -> None:
        super().__init__(parent, f"Agree an action with {agency}")
        self.about = text_label("The action is linked to", about, wrap=True)
        self.title_edit = line("Action agreed")
        self.due = line("Action due date", uk(date.today() + timedelta(days=90)), "dd/mm/yyyy")
        self.lead = line("Lead officer")
        self.measure = line("Success measure", placeholder="How will we know children are better off?")
        self.form.addRow("Linked to", self.about)
        self.add_field("&Action", self.title_edit, draft="title")
        self.add_field("&Due", self.due, draft="due")
        self.add_field("&Lead officer", self.lead, draft="lead")
        self.add_field("&Success measure", self.measure, draft="measure")
        self.setMinimumWidth(560)
        self.title_edit.setFocus()

    def collect(self) -> dict[str, Any]:
        if not self.title_edit.text().strip():
            raise InvalidInput("Say what the agency agreed to do.")
        due = day_from_text(self.due.text(), "action due date")
        if due is None:
            raise InvalidInput("Give the action a due date, e.g. 31/08/2026.")
        return {
            "title": self.title_edit.text().strip(),
            "due": due,
            "lead_officer": self.lead.text().strip(),
            "success_measure": self.measure.text().strip(),
        }


class ParticipantDialog(_FormDialog):
    """Correct where an agency is (any status, e.g. back to 'sent' for a resubmission), its sector
    and the senior lead the interview invites and the letters greet."""

    def __init__(
        self,
        parent: QWidget | None,
        agency: str,
        statuses: list[tuple[str, str]],
        status: str,
        sector: str,
        contact: str = "",
        refusal: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent, f"{agency} in this cycle")
        #: why the agency cannot be at a status it is not at now ("" when it can): OK says so and the dialog stays
        self.refusal = refusal
        self.initial_status = status
        self.status = combo("Status", statuses)
        index = self.status.findData(status)
        self.status.setCurrentIndex(max(0, index))
        self.sector = line("Sector", sector)
        self.contact = line("Senior contact", contact, placeholder="a name, e.g. Ms Amira Khan")
        self.add_field("&Status", self.status, draft="status")
        self.add_field("S&ector", self.sector, draft="sector")
        self.add_field("Senior &contact", self.contact, draft="contact")
        self.setMinimumWidth(420)

    def collect(self) -> dict[str, Any]:
        wanted = self.status.currentData()
        if self.refusal is not None and wanted != self.initial_status:
            problem = self.refusal(wanted)
            if problem:
                self.status.setFocus()
                raise InvalidInput(problem)
        return {
            "status": wanted,
            "sector": self.sector.text().strip(),
            "contact": self.contact.text().strip(),
        }


class AddAgenciesDialog(_FormDialog):
    """Agencies of the register not yet in the cycle: tick those joining it."""

    def __init__(self, parent: QWidget | None, agencies: list[tuple[str, str]]) -> None:
        super().__init__(parent, "Add agencies to the cycle")
        self.agencies = tick_list("Agencies to add (Space ticks or unticks)", agencies, ticked=False)
        self.add_field("&Agencies", self.agencies, draft="agencies")
        self.setMinimumWidth(480)

    def collect(self) -> dict[str, Any]:
        chosen = ticked_of(self.agencies)
        if not chosen:
            raise InvalidInput("Tick at least one agency (Space ticks the selected one).")
        return {"agencies": chosen}


class LetterheadDialog(_FormDialog):
    """The partnership's name, letterhead text and signatory that every feedback letter carries."""

    def __init__(self, parent: QWidget | None, settings: LetterSettings) -> None:
        super().__init__(parent, "Letterhead and signatory")
        self.partnership = line("Partnership name", settings.partnership_name)
        self.letterhead = text_box("Letterhead text, one line each", 100)
        self.letterhead.setPlainText(settings.letterhead)
        self.letterhead.setPlaceholderText("Partnership Business Unit\nCivic Centre, Market Street\nTown AB1 2CD")
        self.signatory = line("Signatory's name", settings.signatory_name)
        self.role = line("Signatory's role", settings.signatory_role, "e.g. Independent Chair and Scrutineer")
        self.add_field("&Partnership", self.partnership, draft="partnership")
        self.add_field("&Letterhead", self.letterhead, draft="letterhead")
        self.add_field("&Signed by", self.signatory, draft="signatory")
        self.add_field("&Role", self.role, draft="role")
        note = QLabel("Drafts and new versions use these; issued letters keep the text they were issued with.")
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.setMinimumWidth(520)

    def collect(self) -> dict[str, Any]:
        if not self.partnership.text().strip() or not self.signatory.text().strip():
            raise InvalidInput("The letter needs the partnership's name and a signatory.")
        return {
            "partnership_name": self.partnership.text(),
            "letterhead": self.letterhead.toPlainText(),
            "signatory_name": self.signatory.text(),
            "signatory_role": self.role.text(),
        }

"""The Section 11 area: the audit cycle register, moderation, interview mode, heat map and letters.

The register shows the cycles (newest first) and, for the selected cycle, every
agency with its sector, status, what is late and what comes next (all in
words; colour repeats them). Enter opens an agency (moderation, lines of
enquiry, letter); F5 opens interview mode for it; Alt+Left comes back.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.errors import WorkbenchError
from app.records import ChangeSet
from app.section11 import status as st
from app.section11.cycles import (
    add_cycle,
    add_participant,
    cycle_register,
    list_cycles,
    remove_participant,
    set_contact,
    set_sector,
    set_status,
    status_refusal,
)
from app.section11.frameworks import SHIPPED, list_frameworks, shipped_definition
from app.section11.interview import book_interview, interview_record, proposed_attendees
from app.section11.scales import all_scales
from app.text import count_of
from ui.areas.base import AreaContext, AreaPage, AreaSpec, RegisterStack
from ui.kit import files
from ui.kit.controls import MENU_ONLY, action, button, text_label, two_panes
from ui.kit.dates import uk
from ui.kit.edit_guard import Draft
from ui.kit.empty import explain_when_empty
from ui.kit.shortcuts import ShortcutClaimer
from ui.kit.table_model import current_key, current_row, select_key
from ui.messages import confirm
from ui.section11.agency_view import AgencyView
from ui.section11.dialogs import (
    ADD_AGENCIES_DRAFT,
    AGREE_ACTION_DRAFT,
    BOOK_INTERVIEW_DRAFT,
    LETTERHEAD_DRAFT,
    LINE_DRAFT,
    NEW_CYCLE_DRAFT,
    PARTICIPANT_DRAFT,
    AddAgenciesDialog,
    BookInterviewDialog,
    NewCycleDialog,
    ParticipantDialog,
    open_form_dialog,
)
from ui.section11.frameworks import COPY_DRAFT, STANDARD_DRAFT, FrameworksView
from ui.section11.heatmap import HeatMapView
from ui.section11.interview import DRAFT_KEY, InterviewWindow
from ui.section11.models import CycleModel, RegisterModel, return_text
from ui.section11.returns import (
    ReturnImportDialog,
    read_return,
    save_all_templates,
    save_template,
)
from ui.widgets import EnterTable

#: the views shown in place of the register from the toolbar
V = TypeVar("V", HeatMapView, FrameworksView)

TABLES = ("s11_cycle", "s11_participant", "s11_assessment", "s11_interview", "agency", "s11_letter")


class Section11Page(AreaPage):
    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self.dialog: Any = None
        self.agency_view: AgencyView | None = None
        self.interview: InterviewWindow | None = None
        self.extra_views: dict[str, QWidget] = {}

        self.cycle_model = CycleModel()
        self.cycles = EnterTable("Section 11 cycles", lambda: self.agencies.setFocus())
        self.cycles.setWordWrap(False)
        explain_when_empty(
            self.cycles, "No Section 11 cycles yet: Ctrl+Shift+N starts one, with its framework, scale and agencies."
        )
        self.cycles.setModel(self.cycle_model)
        self.cycles.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cycles.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cycles.selectionModel().currentRowChanged.connect(lambda *_a: self.reload_register())
        self.register_model = RegisterModel()
        self.agencies = EnterTable("Agencies in the cycle", self.open_selected)
        explain_when_empty(self.agencies, "No agencies in this cycle: Ctrl+Shift+J adds agencies from the register.")
        self.agencies.setModel(self.register_model)
        self.agencies.setSortingEnabled(True)
        self.agencies.setWordWrap(True)  # long names and "what is late" wrap rather than being cut short
        header = self.agencies.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((RegisterModel.AGENCY, 250), (RegisterModel.LATE, 190)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(RegisterModel.NEXT, QHeaderView.ResizeMode.Stretch)
        self.agencies.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.agencies.verticalHeader().setMinimumSectionSize(self.agencies.fontMetrics().height() + 12)
        self.agencies.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())
        self.selected_info = text_label("The selected agency", wrap=True)
        self.agencies.doubleClicked.connect(lambda _i: self.open_selected())
        self.cycle_info = text_label("Deadlines of the cycle", wrap=True)
        self.summary = text_label("Cycle summary")

        self.new_cycle_action = action(self, "&New cycle…", "Ctrl+Shift+N", self.new_cycle)
        self.open_action = action(self, "&Open agency (Enter)", "Ctrl+Shift+O", self.open_selected)
        self.advance_action = action(self, "&Advance status", "Ctrl+Shift+S", self.advance_selected)
        self.book_action = action(self, "&Book interview…", "Ctrl+Shift+B", self.book_selected)
        self.interview_action = action(self, "&Interview mode", "F5", self.interview_selected)
        self.back_action = action(self, "Back to the &register", "Alt+Left", self.show_register)
        self.focus_cycles_action = action(self, "Go to the &cycles", "Ctrl+Shift+Y", self.cycles.setFocus)
        self.participant_action = action(
            self, "Agency &status, sector and contact…", "Ctrl+Shift+K", self.edit_participant
        )
        self.add_agencies_action = action(self, "Add agencies to the c&ycle…", "Ctrl+Shift+J", self.add_agencies)
        self.remove_agency_action = action(
            self.agencies, "Remove the agency from the cycle", "Delete", self.remove_agency
        )
        self.template_action = action(self, "Return &template…", "Ctrl+Shift+T", self.template_selected)
        self.all_templates_action = action(self, "All return te&mplates…", "Ctrl+Alt+Shift+T", self.all_templates)
        self.import_action = action(self, "Im&port a return…", "Ctrl+Shift+I", self.import_return)
        self.heat_map_action = action(self, "&Heat map and reports", "Ctrl+Shift+H", self.show_heat_map)
        self.frameworks_action = action(self, "&Frameworks and standards", "Ctrl+Shift+W", self.show_frameworks)
        # the toolbar (one row, beside Lock) overflowed at 1280 px: its last five commands went behind "»". It
        # keeps what a coordinator does from any view of the area, in short words (the Area menu has the long
        # ones); what only the register does, and the rarer commands, are the register's buttons, with their Alt
        # letters, and the Area menu's entries (Alt+A), with their Ctrl keys, wherever the focus is
        for command, short in (
            (self.open_action, "Open agency"),
            (self.template_action, "Return template"),
            (self.import_action, "Import return"),
            (self.heat_map_action, "Heat map"),
            (self.frameworks_action, "Frameworks"),
        ):
            command.setIconText(short)
        for command in (
            self.all_templates_action,
            self.participant_action,
            self.add_agencies_action,
            self.back_action,
            self.focus_cycles_action,
        ):
            command.setProperty(MENU_ONLY, True)
        self._actions = [
            self.new_cycle_action,
            self.open_action,
            self.advance_action,
            self.template_action,
            self.all_templates_action,
            self.import_action,
            self.book_action,
            self.interview_action,
            self.heat_map_action,
            self.frameworks_action,
            self.participant_action,
            self.add_agencies_action,
            self.back_action,
            self.focus_cycles_action,
        ]

        def row(heading: str, entries: tuple[tuple[str, str, Any, str], ...]) -> QHBoxLayout:
            layout = QHBoxLayout()
            label = QLabel(heading)
            label.setMinimumWidth(110)
            layout.addWidget(label)
            for text, name, slot, tip in entries:
                layout.addWidget(
                    button(f"{text} ({tip})" if tip in ("F5", "Enter") else text, name, slot, f"{name} ({tip})")
                )
            layout.addStretch(1)
            return layout

        # two rows: what acts on the whole cycle, and what acts on the selected agency (fits 1280 pixels)
        self.buttons = QVBoxLayout()
        self.buttons.addLayout(
            row(
                "Cycle:",
                (
                    ("&New cycle…", "New cycle", self.new_cycle, "Ctrl+Shift+N"),
                    ("A&dd agencies…", "Add agencies to the cycle", self.add_agencies, "Ctrl+Shift+J"),
                    ("All te&mplates…", "Save every agency's return template", self.all_templates, "Ctrl+Alt+Shift+T"),
                    ("Im&port return…", "Import a completed return", self.import_return, "Ctrl+Shift+I"),
                    ("H&eat map", "Heat map and reports of the cycle", self.show_heat_map, "Ctrl+Shift+H"),
                    ("F&rameworks", "Frameworks and standards", self.show_frameworks, "Ctrl+Shift+W"),
                ),
            )
        )
        self.buttons.addLayout(
            row(
                "Selected agency:",
                (
                    ("&Open", "Open the selected agency", self.open_selected, "Enter"),
                    ("Ad&vance status", "Advance the agency's status", self.advance_selected, "Ctrl+Shift+S"),
                    (
                        "Stat&us, sector and contact…",
                        "Agency status, sector and contact",
                        self.edit_participant,
                        "Ctrl+Shift+K",
                    ),
                    ("Return &template…", "Save the agency's return template", self.template_selected, "Ctrl+Shift+T"),
                    ("&Book interview…", "Book the agency's interview", self.book_selected, "Ctrl+Shift+B"),
                    ("&Interview mode", "Open interview mode for the agency", self.interview_selected, "F5"),
                ),
            )
        )
        self.claimer = ShortcutClaimer(self, self._actions)

        register_page = QWidget()
        cycles_box = QWidget()
        cycles_layout = QVBoxLayout(cycles_box)
        cycles_layout.setContentsMargins(0, 0, 0, 0)
        cycles_layout.addWidget(QLabel("Cycles (Ctrl+Shift+Y)"))
        cycles_layout.addWidget(self.cycles)
        agencies_box = QWidget()
        agencies_layout = QVBoxLayout(agencies_box)
        agencies_layout.setContentsMargins(0, 0, 0, 0)
        agencies_layout.addWidget(self.cycle_info)
        agencies_layout.addWidget(self.agencies, 1)
        agencies_layout.addWidget(self.selected_info)
        agencies_layout.addWidget(self.summary)
        splitter = two_panes(cycles_box, agencies_box, vertical=True, stretch=(1, 4), sizes=(150, 600))
        register_layout = QVBoxLayout(register_page)
        register_layout.addLayout(self.buttons)
        register_layout.addWidget(splitter, 1)
        self.stack = RegisterStack(self, register_page)
        self.reload()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.cycle_uuid()
        with self.context.workspace.reading() as session:
            cycles = list_cycles(session)
        self.cycle_model.set_rows(cycles)
        row = next((n for n, c in enumerate(cycles) if c.uuid == keep), 0)
        if cycles:
            self.cycles.selectRow(row)
        self.reload_register()

    def cycle_uuid(self) -> str | None:
        return current_key(self.cycles)

    def reload_register(self) -> None:
        cycle = self.cycle_uuid()
        keep = self.participant_uuid()
        if cycle is None:
            self.register_model.set_rows([])
            self.cycle_info.setText("No Section 11 cycle yet: Ctrl+Shift+N starts one.")
            self.summary.setText("")
            return
        view = self.cycle_model.row_at(self.cycles.currentIndex().row())
        with self.context.workspace.reading() as session:
            rows = cycle_register(session, cycle)
        self.register_model.set_rows(rows)
        deadlines = [
            ("Return due", view.return_due),
            ("QA panel", view.panel_date),
            ("Interviews from", view.interview_from),
            ("to", view.interview_to),
        ]
        self.cycle_info.setText(
            f"{view.name}: {view.framework_name}, scale {view.scale_name}. "
            + "; ".join(f"{label} {uk(day)}" for label, day in deadlines if day)
        )
        late = sum(1 for r in rows if r.late)
        self.summary.setText(
            f"{len(rows)} agencies; {late} late; "
            + ", ".join(
                f"{sum(1 for r in rows if r.status == s)} {st.label(s).lower()}"
                for s in st.STATUSES
                if any(r.status == s for r in rows)
            )
        )
        target = next((n for n, r in enumerate(rows) if r.participant_uuid == keep), 0)
        if rows:
            self.agencies.selectRow(target)
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.selected_info.setText("")
            return
        late = f" Late: {row.late}." if row.late else ""
        self.selected_info.setText(
            f"{row.agency}: {row.status_label}, {return_text(row)}. Next: {row.next_step}.{late}"
        )

    def participant_uuid(self) -> str | None:
        return current_key(self.agencies, "participant_uuid")

    def selected_row(self) -> Any:
        return current_row(self.agencies)

    def _need_agency(self) -> str | None:
        if self.agency_view is not None and self.stack.currentWidget() is self.agency_view:
            return self.agency_view.participant_uuid
        uuid = self.participant_uuid()
        if uuid is None:
            self.context.show_status("Select an agency in the cycle register first.")
        return uuid

    # -- commands -------------------------------------------------------------------------------

    def new_cycle(self) -> None:
        with self.context.workspace.reading() as session:
            frameworks = [(f.title, f.uuid) for f in list_frameworks(session)]
            agencies = [(a.name, a.name) for a in list_agencies(session)]
        if not frameworks:
            frameworks = [(shipped_definition(key)["name"], key) for key in SHIPPED]
        scales = [(s.name, s.key) for s in all_scales()]
        dialog = NewCycleDialog(self, frameworks, scales, agencies)

        def save() -> None:
            made: list[str] = []
            if self.context.write(
                "New Section 11 cycle", lambda uow: made.append(add_cycle(uow, **dialog.values).uuid), initiator=self
            ):
                self.reload()
                select_key(self.cycles, made[0])
                self.agencies.setFocus()

        open_form_dialog(self, dialog, NEW_CYCLE_DRAFT, {}, save)

    def open_selected(self) -> None:
        uuid = self.participant_uuid()
        if uuid is None:
            self.context.show_status("Select an agency to open.")
            return
        self.open_agency(uuid)

    def open_agency(self, participant_uuid: str) -> AgencyView | None:
        """The agency's view (Enter, Ctrl+Shift+O); an agency open already stays as it is, with its typing,
        and another is asked about first (its typing went without a word); Cancel keeps it shown. It replaces
        the heat map or frameworks view (it went on top, leaving them open underneath), asking about a standard
        typed there; None when Cancel keeps that view."""
        shown = self.agency_view
        if shown is not None and (shown.participant_uuid == participant_uuid or not shown.may_leave()):
            self.stack.setCurrentWidget(shown)
            return shown
        if not self._drop_extra_views():
            return None
        self._close_agency()
        self.agency_view = AgencyView(
            self.context,
            participant_uuid,
            self.show_register,
            lambda: None if self.open_interview(participant_uuid) else None,
            self._letter_factory(),
        )
        self.stack.push(self.agency_view)
        self.agency_view.moderation.table.setFocus()
        return self.agency_view

    def _letter_factory(self) -> Any:
        from ui.section11.letter import LetterView

        return LetterView

    def show_register(self) -> None:
        if self.agency_view is not None and not self.agency_view.may_leave():
            return
        if not self._drop_extra_views():
            return
        self._close_agency()
        self.stack.setCurrentIndex(0)
        self.reload()
        self.agencies.setFocus()

    def _close_agency(self) -> None:
        if self.agency_view is not None:
            self.stack.drop(self.agency_view)
            self.agency_view = None

    def advance_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.context.show_status("Select an agency whose status should move on.")
            return
        rank = st.rank(row.status)
        if rank + 1 >= len(st.STATUSES):
            self.context.show_status(f"{row.agency} is already closed.")
            return
        target = st.STATUSES[rank + 1]
        if self.context.write(
            "Advance status", lambda uow: set_status(uow, row.participant_uuid, target), initiator=self
        ):
            self.reload_register()
            self.context.show_status(f"{row.agency}: {st.label(target)}. Next: {st.NEXT_STEP[target]}")

    def _status_refusal(self, participant_uuid: str, status: str) -> str:
        with self.context.workspace.reading() as session:
            return status_refusal(session, participant_uuid, status)

    def edit_participant(self) -> None:
        row = self.selected_row()
        if row is None:
            self.context.show_status("Select an agency in the cycle register first.")
            return
        dialog = ParticipantDialog(
            self,
            row.agency,
            [(label, key) for key, label in st.STATUS_LABELS.items()],
            row.status,
            row.sector,
            row.contact_name,
            refusal=lambda status: self._status_refusal(row.participant_uuid, status),
        )

        def save() -> None:
            values = dialog.values

            def work(uow: Any) -> None:
                set_status(uow, row.participant_uuid, values["status"])
                if values["sector"] != row.sector:
                    set_sector(uow, row.participant_uuid, values["sector"])
                if values["contact"] != row.contact_name:
                    set_contact(uow, row.participant_uuid, values["contact"])

            if self.context.write("Agency status, sector and contact", work, initiator=self):
                self.reload_register()

        open_form_dialog(
            self,
            dialog,
            PARTICIPANT_DRAFT,
            {"cycle": self.cycle_uuid() or "", "participant": row.participant_uuid},
            save,
        )

    def add_agencies(self) -> None:
        cycle = self.cycle_uuid()
        if cycle is None:
            self.context.show_status("Select a cycle first.")
            return
        taking_part = {r.agency_uuid for r in self.register_model.rows}
        with self.context.workspace.reading() as session:
            others = [(a.name, a.uuid) for a in list_agencies(session) if a.uuid not in taking_part]
        if not others:
            self.context.show_status("Every agency in the register already takes part in this cycle.")
            return
        dialog = AddAgenciesDialog(self, others)

        def save() -> None:
            chosen = dialog.values["agencies"]
            if self.context.write(
                "Add agencies to the cycle",
                lambda uow: [add_participant(uow, cycle, uuid) for uuid in chosen],
                initiator=self,
            ):
                self.reload()

        open_form_dialog(self, dialog, ADD_AGENCIES_DRAFT, {"cycle": cycle}, save)

    def remove_agency(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if not confirm(
            self,
            "Remove the agency from the cycle",
            f"Remove {row.agency} from this cycle? Its return, "
            "scores and interview stay in the audit log but leave the register.",
            "Remove",
        ):
            return
        if self.context.write(
            "Remove the agency from the cycle",
            lambda uow: remove_participant(uow, row.participant_uuid),
            initiator=self,
        ):
            self.reload()

    def book_selected(self) -> None:
        uuid = self._need_agency()
        if uuid is None:
            return
        member = self.context.workspace.member
        with self.context.workspace.reading() as session:
            record = interview_record(session, uuid)
            agency = next((r.agency for r in self.register_model.rows if r.participant_uuid == uuid), "the agency")
            # a first booking proposes the Chair and the agency's lead; a re-booking shows who was booked
            people = record.attendees if record else proposed_attendees(session, uuid, member.display_name, member.role)
        if record is not None:
            agency = record.agency
        dialog = BookInterviewDialog(
            self,
            agency,
            record.scheduled_on if record else None,
            record.start_time if record else "",
            record.place if record else "",
            people,
        )

        def save() -> None:
            if self.context.write(
                "Book the interview", lambda uow: book_interview(uow, uuid, **dialog.values), initiator=self
            ):
                self.reload_register()
                self.context.show_status(f"Interview with {agency} booked for {uk(dialog.values['on'])}")

        open_form_dialog(
            self, dialog, BOOK_INTERVIEW_DRAFT, {"cycle": self.cycle_uuid() or "", "participant": uuid}, save
        )

    def template_selected(self) -> None:
        uuid = self._need_agency()
        if uuid is not None:
            save_template(self.context, self, uuid, self, self.reload_register)

    def all_templates(self) -> None:
        cycle = self.cycle_uuid()
        if cycle is None:
            self.context.show_status("Select a cycle first.")
            return
        save_all_templates(self.context, self, cycle, self, self.reload_register)

    def import_return(self, path: str = "") -> None:
        """Choose a completed return, read and check it, show the report and the changes; Import writes it."""
        cycle = self.cycle_uuid()
        if cycle is None:
            self.context.show_status("Select the cycle the return belongs to.")
            return
        path = path or files.open_file(self, "Import a completed Section 11 return", "Excel workbook (*.xlsx)")
        if not path:
            return

        def checked(read: Any) -> None:
            self.dialog = ReturnImportDialog(self, self.context, cycle, path, read, self, self._imported)
            self.dialog.open()

        self.context.run("Checking the return…", lambda _p: read_return(self.context, cycle, path), checked)

    def _imported(self, result: Any) -> None:
        self.reload_register()
        if not result.written:  # the very file imported before: nothing was imported, whatever it read
            self.context.show_status(
                f"Return from {result.agency}: this exact file was imported before; nothing changed"
            )
            return
        self.context.show_status(
            f"Return from {result.agency} imported: {count_of(result.standards, 'standard')}, "
            f"{count_of(len(result.changes), 'change')}, {count_of(result.files, 'evidence file')}"
        )

    def show_heat_map(self) -> HeatMapView | None:
        cycle = self.cycle_uuid()
        if cycle is None:
            self.context.show_status("Select a cycle first.")
            return None
        if self.agency_view is not None and not self.agency_view.may_leave():
            return None
        self._close_agency()
        if not self._drop_extra_views():
            return None
        return self._show_extra("heat_map", HeatMapView(self.context, cycle, self.show_register))

    def show_frameworks(self) -> FrameworksView | None:
        if self.agency_view is not None and not self.agency_view.may_leave():
            return None
        self._close_agency()
        if not self._drop_extra_views():  # Cancel: the frameworks view shown stays, with its typing
            return None
        return self._show_extra("frameworks", FrameworksView(self.context, self.show_register))

    def _show_extra(self, key: str, view: V) -> V:
        """Show the heat map or frameworks view in place of the register, its table focused."""
        self.extra_views[key] = view
        self.stack.push(view)
        view.table.setFocus()
        return view

    def _drop_extra_views(self) -> bool:
        """Close the heat map or frameworks view (False if the user kept unsaved edits)."""
        for key, view in list(self.extra_views.items()):
            guard = getattr(view, "guard", None)
            if guard is not None and not guard.may_leave():
                return False
            self.stack.drop(view)
            del self.extra_views[key]
        return True

    def interview_selected(self) -> None:
        uuid = self._need_agency()
        if uuid is not None:
            self.open_interview(uuid)

    def open_interview(self, participant_uuid: str) -> InterviewWindow | None:
        """Interview mode, full screen, for one agency; asks to book first when no interview is booked."""
        with self.context.workspace.reading() as session:
            booked = interview_record(session, participant_uuid) is not None
        if not booked:
            self.context.show_status("Book the interview first (Ctrl+Shift+B); then F5 opens interview mode.")
            self.book_selected()
            return None
        if self.interview is not None:
            self.interview.close()
            if self.interview is not None:  # kept open (a due date typed that is not a date yet): stays shown
                self.interview.activateWindow()
                return None
        try:
            window = InterviewWindow(self.context, participant_uuid, self, on_closed=self._interview_closed)
        except WorkbenchError as exc:
            self.context.show_status(exc.message)
            return None
        self.interview = window
        window.showMaximized()
        window.activateWindow()
        return window

    def _interview_closed(self) -> None:
        window, self.interview = self.interview, None
        if window is not None:
            window.deleteLater()
        if self.agency_view is not None:
            self.agency_view.lines.reload()
        self.reload_register()

    # -- the page contract ------------------------------------------------------------------------

    def restore_draft(self, draft: Draft) -> bool:
        if draft.key in (NEW_CYCLE_DRAFT, BOOK_INTERVIEW_DRAFT, PARTICIPANT_DRAFT, ADD_AGENCIES_DRAFT):
            return self._restore_register_dialog(draft)
        if draft.key == STANDARD_DRAFT:  # a standard being edited: the frameworks view, that framework and standard
            view = self.show_frameworks()
            if view is None:
                return False
            view.reload(select=draft.scope.get("framework"))
            if view.framework_uuid() != draft.scope.get("framework") or not view.open_standard(draft.record):
                return False  # the framework or the standard is gone
            view.guard.take_back(draft)
            return True
        if draft.key == COPY_DRAFT:  # a framework being copied forward: the frameworks view, that framework
            view = self.show_frameworks()
            if view is None:
                return False
            view.reload(select=draft.scope.get("framework"))
            if view.framework_uuid() != draft.scope.get("framework"):
                return False  # the framework is gone
            view.copy_forward()
            view.dialog.guard.take_back(draft)
            return True
        participant = draft.scope.get("participant")
        if not participant:
            return False
        try:
            if draft.key in (DRAFT_KEY, AGREE_ACTION_DRAFT):
                open_already = self.interview is not None and self.interview.participant_uuid == participant
                window = self.interview if open_already else self.open_interview(participant)
                if window is None:
                    return False
                if draft.key == DRAFT_KEY:
                    window.restore(draft)
                else:
                    window.agree_again(draft)
                return True
            if draft.key in ("section11.moderation", "section11.letter", LINE_DRAFT, LETTERHEAD_DRAFT):
                view = self.open_agency(participant)
                return view is not None and view.restore_draft(draft)
        except WorkbenchError:
            return False
        return False

    def _restore_register_dialog(self, draft: Draft) -> bool:
        """A dialog of the register open at the lock: select its cycle and agency, open it again, fill it."""
        if draft.key != NEW_CYCLE_DRAFT and not self._select(
            draft.scope.get("cycle", ""), draft.scope.get("participant", "")
        ):
            return False  # the cycle or the agency is gone (a merge removed it)
        opener = {
            NEW_CYCLE_DRAFT: self.new_cycle,
            BOOK_INTERVIEW_DRAFT: self.book_selected,
            PARTICIPANT_DRAFT: self.edit_participant,
            ADD_AGENCIES_DRAFT: self.add_agencies,
        }[draft.key]
        before = self.dialog
        opener()
        if self.dialog is before or self.dialog.guard is None:
            return False  # nothing to open it for now (every agency already takes part)
        self.dialog.guard.take_back(draft)
        return True

    def _select(self, cycle: str, participant: str) -> bool:
        """Select a cycle and (when given) an agency of its register, as the user would."""
        self.reload()
        row = next((n for n, c in enumerate(self.cycle_model.rows) if c.uuid == cycle), None)
        if row is None:
            return False
        self.cycles.selectRow(row)
        self.reload_register()
        if participant:
            found = next((n for n, r in enumerate(self.register_model.rows) if r.participant_uuid == participant), None)
            if found is None:
                return False
            self.agencies.selectRow(found)
        return True

    def on_changes(self, changes: ChangeSet) -> None:
        if self.interview is not None:
            self.interview.on_changes(changes)
        if self.agency_view is not None:
            self.agency_view.on_changes(changes)
        for view in self.extra_views.values():
            handler = getattr(view, "on_changes", None)
            if handler is not None:
                handler(changes)
        if changes.touches(*TABLES) and not (self.interview is not None and self.context.made_by(self.interview)):
            self.reload()

    def main_view(self) -> QWidget | None:
        return self.agencies

    def area_actions(self) -> list[QAction]:
        return list(self._actions)

    def screenshot_views(self) -> list[tuple[str, Any]]:
        """Views for scripts/screenshots.py; a view that returns a widget (interview mode) is captured itself."""

        def agency(text: str) -> None:
            if self.interview is not None:
                self.interview.close()
            self.show_register()
            self.cycles.selectRow(0)
            rows = self.register_model.rows
            self.agencies.selectRow(next((n for n, r in enumerate(rows) if text in r.agency), 0))

        def moderation() -> None:
            agency("Police")
            self.open_selected()

        def interview() -> QWidget | None:
            agency("Children's Social Care")
            window = self.open_interview(self.participant_uuid() or "")
            if window is not None:
                window.showNormal()
                window.resize(1280, 800)
            return window

        def heat_map() -> None:
            agency("")
            self.show_heat_map()

        def letter() -> None:
            agency("Children's Social Care")
            view = self.open_agency(self.participant_uuid() or "")
            if view is not None and view.letter is not None:
                view.tabs.setCurrentWidget(view.letter)

        def back() -> None:
            agency("")

        return [
            ("moderation", moderation),
            ("interview", interview),
            ("heat-map", heat_map),
            ("letter", letter),
            ("register", back),
        ]

    def shutdown(self) -> None:
        if self.interview is not None:
            self.interview.shutdown()
            self.interview = None
        self._close_agency()
        self.register_model.set_rows([])
        self.cycle_model.set_rows([])


def _status(workspace: Any) -> str:
    with workspace.reading() as session:
        cycles = [c for c in list_cycles(session) if not c.closed]
        late = sum(1 for c in cycles for r in cycle_register(session, c.uuid) if r.late)
    return f"Section 11: {count_of(late, 'agency step')} late" if late else ""


AREA = AreaSpec(
    key="section11",
    title="Section 11",
    order=35,
    factory=Section11Page,
    description="Section 11 audits: returns, moderation, challenge interviews, letters",
    status_provider=_status,
)

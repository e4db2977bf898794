"""Meetings area: meetings and members, the agenda and its papers, the pack (issue, preview, print,
recipients' copies) and the meeting itself (notes, decisions, actions, attendance, minutes).

Every form is inline (no modal dialogs but the file chooser and the print
dialog), every control has an accessible name and every step has a key:
Ctrl+Shift+N new meeting (Ctrl+N is the window's New workspace), Ctrl+I new agenda item, Ctrl+Up / Ctrl+Down move the
chosen item, Ctrl+Shift+B issue the pack, Ctrl+P print it, Ctrl+S save the
form in view. Writes go through `context.write`; building a pack runs in the
background with progress.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.contributions import PACK_REPORTS
from app.errors import InvalidInput
from app.meetings import issue, minutes, service
from app.meetings.copies import MIN_PASSPHRASE, PDF_ENCRYPTION_WARNING
from app.records import ChangeSet, UnitOfWork
from app.text import count_of
from ui.areas.base import AreaContext, AreaPage, AreaSpec
from ui.kit import files
from ui.kit.controls import (
    action,
    add_captioned,
    add_labelled_rows,
    button,
    caption_for,
    check,
    combo,
    first_focusable,
    line,
    row_of,
    set_combo_data,
    tab_keys,
    text_box,
    text_label,
)
from ui.kit.dates import day_from_text, uk
from ui.kit.edit_guard import Draft, EditGuard, GuardedChoice, TableFormGuard, give_back_typing
from ui.kit.empty import explain_when_empty
from ui.kit.mnemonics import letter_standard_buttons
from ui.kit.table_model import current_key, current_row, select_key
from ui.meetings.models import (
    ItemRow,
    ItemsModel,
    MeetingsModel,
    MemberRow,
    MembersModel,
    PackRow,
    PacksModel,
    PaperRow,
    PapersModel,
)
from ui.meetings.preview import PackPreview
from ui.meetings.report_filters import choose_report_filters
from ui.messages import show_info
from ui.widgets import record_table

NEW_ITEM = ("", "", "discussion", 10, False)  # a new agenda item: a ten-minute discussion
TABLES = ("meeting_body", "meeting", "meeting_member", "agenda_item", "meeting_paper", "meeting_pack", "action")


#: the drafts of the three forms, kept on lock and given back on unlock (issue 10, 2)
MEETING_DRAFT, ITEM_DRAFT, NOTES_DRAFT = "meetings.meeting", "meetings.item", "meetings.notes"
BODY_DRAFT = "meetings.body"  #: the name and code typed for a board or subgroup


def _code_and_name(body: Any) -> tuple[str, str]:
    """Read inside the unit of work: the record is not used after it closes."""
    return body.code, body.name


#: the Copy for entry of the pack as issued, with every paper and nobody's name on it
MASTER_COPY = "Master (every paper, no name)"


def _selected_row(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].row() if rows else -1


class MeetingsPage(AreaPage):
    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self.meeting_uuid: str | None = None
        self.meeting_status = ""  #: the status of the meeting shown ("" for none)
        #: why the meeting's minutes and attendance cannot be changed ("" while they can): its minutes are approved
        self.frozen = ""
        self.meetings = MeetingsModel()
        self.items_model = ItemsModel(self.move_item_to)
        self.papers_model = PapersModel()
        self.members_model = MembersModel()
        self.packs_model = PacksModel()
        self._shown_pack: tuple[str, str] | None = None  # the version and the copy the preview shows
        self._changed_since_issue: list[str] = []  # the agenda's changes since the latest version
        self._build()
        self._shortcuts()
        self.reload()

    # -- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.meeting_list = record_table(
            self.meetings,
            "Meetings",
            stretch=2,  # Status takes what is left (elided, whole in its tooltip), so Items stays in view
            empty="No meetings yet: Ctrl+Shift+N (New meeting) adds one, with its body, date and venue.",
        )
        self.meeting_list.selectionModel().selectionChanged.connect(lambda *_: self._meeting_chosen())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Meetings (newest first)"))
        left_layout.addWidget(self.meeting_list, 1)
        left_layout.addWidget(button("New meeting (Ctrl+Shift+N)", "New meeting", self.new_meeting))
        left_layout.addWidget(self._bodies_group())

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Meeting tabs")
        self.tabs.addTab(self._meeting_tab(), "Meeting")
        self.tabs.addTab(self._agenda_tab(), "Agenda")
        self.tabs.addTab(self._pack_tab(), "Pack")
        self.tabs.addTab(self._mode_tab(), "In the meeting")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 940])
        layout = QVBoxLayout(self)
        self.heading = QLabel("Choose a meeting, or press Ctrl+Shift+N for a new one.")
        self.heading.setAccessibleName("Meeting heading")
        self.heading.setStyleSheet("font-weight: bold")
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)

    def _bodies_group(self) -> QGroupBox:
        """The boards and subgroups that meet: a list the coordinator adds to and renames."""
        group = QGroupBox("Boards and subgroups")
        self.body_list = QListWidget()
        self.body_list.setAccessibleName("Boards and subgroups")
        self.body_list.setMaximumHeight(110)
        self.body_list.setWordWrap(True)
        self.body_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_name = line("Body name", placeholder="a name, e.g. Child Death Overview Panel")
        self.body_code = line("Body code", placeholder="a short code, e.g. CDOP")
        self.body_guard = EditGuard(
            self,
            title="Boards and subgroups",
            noun="board or subgroup",
            form=lambda: (self.body_name.text(), self.body_code.text()),
            save=self.save_body,
            draft_key=BODY_DRAFT,
            restore=lambda draft: self._put_body(draft.values),
            record=self._body_saved_over,
        )
        # another body asks about the name and code typed (its own were put over them unasked); Cancel keeps
        # the typing and the body it was typed on
        self.body_choice = GuardedChoice(self.body_list, [self.body_guard], self._body_chosen)
        fields = QVBoxLayout()
        fields.addWidget(self.body_name)
        fields.addWidget(self.body_code)
        buttons = QHBoxLayout()
        buttons.addWidget(button("Add body", "Add a board or subgroup", self.add_body))
        buttons.addWidget(button("Rename body", "Rename the chosen board or subgroup", self.rename_body))
        layout = QVBoxLayout(group)
        layout.addWidget(self.body_list)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        return group

    def _meeting_tab(self) -> QWidget:
        page = QWidget()
        self.body_box = combo("Body")
        self.date_edit = line("Meeting date", placeholder="dd/mm/yyyy")
        self.time_edit = line("Start time", placeholder="hh:mm, 24-hour")
        self.venue_edit = line("Venue")
        self.chair_edit = line("Chair")
        self.status_label = text_label("Meeting status")
        form = QFormLayout()
        form.addRow("&Body", self.body_box)
        form.addRow("&Date", self.date_edit)
        form.addRow("Start ti&me", self.time_edit)
        form.addRow("&Venue", self.venue_edit)
        form.addRow("Chai&r", self.chair_edit)
        form.addRow("Status", self.status_label)
        self.save_meeting_button = button("Save meeting (Ctrl+S)", "Save meeting", self.save_meeting)
        self.meeting_guard = EditGuard(
            self,
            title="Meetings",
            noun="meeting",
            form=self._meeting_form,
            save=self.save_meeting,
            draft_key=MEETING_DRAFT,
            restore=self._fill_meeting,
            scope=lambda: {"meeting": self.meeting_uuid or ""},
        )

        self.members_view = record_table(
            self.members_model,
            "Members invited",
            empty="No members invited: add the people who attend this meeting and whether they may see restricted items.",
        )
        self.members_view.selectionModel().selectionChanged.connect(lambda *_: self._member_chosen())
        self.member_name = line("New member's name", placeholder="name of the person to invite")
        self.member_role = line("New member's role", placeholder="their role, e.g. designated nurse")
        self.member_cleared = check("C&leared for restricted papers", "New member cleared for restricted papers")
        add_member = button("&Invite", "Invite member", self.add_member)
        for field in (self.member_name, self.member_role):  # Enter invites, as the row's button does
            field.returnPressed.connect(self.add_member)
        self.attendance_box = combo(
            "Attendance of the chosen member", [(a.capitalize(), a) for a in service.ATTENDANCE]
        )
        set_attendance = button("Set attendance", "Set attendance of the chosen member", self.set_attendance)
        toggle_cleared = button(
            "Cleared / not cleared", "Change whether the chosen member is cleared", self.toggle_cleared
        )
        # whom Send sealed seals the chosen member's copy to: without it that member's copy could not be sent
        # from here, and the message asked to name a contact on this list, which had no place for one
        self.contact_box = combo("Exchange contact of the chosen member")
        self.contact_box.setToolTip("Trusted contacts from the Exchange area: a sealed copy goes to their key")
        set_contact = button("Set contact", "Set the exchange contact of the chosen member", self.set_contact)
        # each field with a visible caption whose Alt letter reaches it: the rows had placeholders only,
        # gone once typed, and no key to reach them but Tab through the whole tab
        invite = QHBoxLayout()
        add_captioned(invite, "&Name to invite:", self.member_name, 2)
        add_captioned(invite, "Rol&e:", self.member_role, 2)
        for widget in (self.member_cleared, add_member):
            invite.addWidget(widget)
        attendance = QHBoxLayout()
        add_captioned(attendance, "A&ttendance:", self.attendance_box)
        for widget in (set_attendance, toggle_cleared):
            attendance.addWidget(widget)
        attendance.addStretch(1)
        contact = QHBoxLayout()  # a row of its own: beside the attendance its caption left it "No exchange"
        add_captioned(contact, "E&xchange contact of the chosen member:", self.contact_box)
        contact.addWidget(set_contact)
        contact.addStretch(1)
        #: the members' attendance, clearance and contacts, frozen with approved minutes (the service refuses them)
        self._member_controls: tuple[QWidget, ...] = (
            self.attendance_box,
            set_attendance,
            toggle_cleared,
            self.contact_box,
            set_contact,
            self.member_name,
            self.member_role,
            self.member_cleared,
            add_member,
        )
        #: under the form, above its Save: it says why the form, the attendance and the contacts are all off
        self.members_frozen_label = text_label("Why the meeting and its attendance cannot be changed", wrap=True)
        self.members_frozen_label.hide()

        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.members_frozen_label)
        layout.addWidget(self.save_meeting_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel("Members invited, attendance and clearance for restricted items"))
        layout.addWidget(self.members_view, 1)
        layout.addLayout(attendance)
        layout.addLayout(contact)
        layout.addLayout(invite)
        return page

    def _agenda_tab(self) -> QWidget:
        page = QWidget()
        self.items_view = record_table(
            self.items_model,
            "Agenda items",
            stretch=1,
            empty="No agenda items yet: Ctrl+I adds one; Ctrl+Up and Ctrl+Down put them in order.",
        )
        self.items_view.setDragEnabled(True)
        self.items_view.setAcceptDrops(True)
        self.items_view.setDropIndicatorShown(True)
        self.items_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        move_buttons = (
            button("Move up (Ctrl+Up)", "Move the chosen item up", lambda: self.move_chosen(-1)),
            button("Move down (Ctrl+Down)", "Move the chosen item down", lambda: self.move_chosen(1)),
            button("New item (Ctrl+I)", "New agenda item", self.new_item),
            button("Delete item", "Delete the chosen agenda item", self.delete_item),
        )
        moves = row_of(*move_buttons)

        editor = QGroupBox("Agenda item")
        self.item_title = line("Item title")
        self.item_presenter = line("Presenter")
        self.item_purpose = combo("Purpose", [(p.capitalize(), p) for p in service.PURPOSES])
        self.item_minutes = QSpinBox()
        self.item_minutes.setAccessibleName("Time allowed in minutes")
        self.item_minutes.setRange(1, 480)
        self.item_minutes.setValue(10)
        self.item_minutes.setSuffix(" min")
        self.item_restricted = check("Re&stricted (papers to cleared members only)", "Restricted item")
        self.save_item_button = button("Save item (Ctrl+S)", "Save agenda item", self.save_item)
        form = QFormLayout(editor)
        form.addRow("&Title", self.item_title)
        form.addRow("&Presenter", self.item_presenter)
        row = QHBoxLayout()
        row.addWidget(self.item_purpose)
        # the purpose, time and restricted box had no Alt key: a keyboard user tabbed through the form to them
        add_captioned(row, "Tim&e", self.item_minutes)
        row.addWidget(self.item_restricted)
        form.addRow(caption_for("P&urpose", self.item_purpose), row)
        form.addRow("", row_of(self.save_item_button))  # on its own row: the pane stays narrow enough at 1280 px
        # another row asks about the item typed; Cancel keeps the row and the form together on it
        self.item_guard = TableFormGuard(
            self,
            self.items_view,
            {
                "title": self.item_title,
                "presenter": self.item_presenter,
                "purpose": self.item_purpose,
                "minutes": self.item_minutes,
                "restricted": self.item_restricted,
            },
            title="Meetings",
            noun="agenda item",
            save=self.save_item,
            draft_key=ITEM_DRAFT,
            record=self._chosen_item_uuid,
            choose=self._choose_item,
            show=self._show_chosen_item,
            scope=lambda: {"meeting": self.meeting_uuid or ""},
        )

        papers = QGroupBox("Papers for the chosen item (in pack order)")
        self.papers_view = record_table(
            self.papers_model,
            "Papers for the chosen item",
            empty="No papers for this item: attach a PDF or choose a report from the areas to print live.",
        )
        self.report_box = combo("Report to generate")
        attach = button("Attach P&DF...", "Attach a PDF paper", self.attach_paper)
        add_report = button("Add &live report", "Add the chosen live report as a paper", self.add_report)
        remove = button("Remove pape&r", "Remove the chosen paper", self.remove_paper)
        paper_buttons = QHBoxLayout()
        paper_buttons.addWidget(attach)
        add_captioned(paper_buttons, "or rep&ort:", self.report_box)
        for widget in (add_report, remove):
            paper_buttons.addWidget(widget)
        paper_buttons.addStretch(1)
        papers_layout = QVBoxLayout(papers)
        papers_layout.addWidget(self.papers_view)
        papers_layout.addLayout(paper_buttons)
        #: the agenda's writes, frozen with approved minutes (the service refuses them); the item's text fields
        #: are made read-only instead, to stay readable
        self._agenda_controls: tuple[QWidget, ...] = (
            *move_buttons,
            self.item_purpose,
            self.item_restricted,
            self.save_item_button,
            attach,
            self.report_box,
            add_report,
            remove,
        )
        self.agenda_frozen_label = text_label("Why the agenda cannot be changed", wrap=True)
        self.agenda_frozen_label.hide()

        layout = QVBoxLayout(page)
        layout.addWidget(self.agenda_frozen_label)
        layout.addWidget(self.items_view, 3)
        layout.addLayout(moves)
        layout.addWidget(editor)
        layout.addWidget(papers, 2)
        return page

    def _pack_tab(self) -> QWidget:
        page = QWidget()
        self.packs_view = record_table(
            self.packs_model,
            "Issued versions",
            empty="No pack issued yet: Ctrl+Shift+B issues the pack for this meeting.",
        )
        self.packs_view.setMaximumHeight(110)
        self.packs_view.selectionModel().selectionChanged.connect(lambda *_: self._pack_chosen())
        self.issue_button = button("Iss&ue pack (Ctrl+Shift+B)", "Issue the pack from live data", self.issue_pack)
        self.changes_label = text_label("What changed in this version", wrap=True)
        top = QHBoxLayout()
        # the versions list takes three fifths: at half, its Changes column went behind a sideways scroll bar
        top.addWidget(self.packs_view, 3)
        side = QVBoxLayout()
        side.addWidget(self.issue_button)
        side.addWidget(self.changes_label, 1)
        top.addLayout(side, 2)
        self.preview = PackPreview()
        self.copy_for_box = combo("Copy for member")
        self.copy_for_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # "(cleared)" whole
        # the preview shows the copy chosen, stamped with its name, and Print prints what the preview shows:
        # it printed the unstamped master whoever the copy was for
        self.copy_for_box.currentIndexChanged.connect(lambda _index: self._pack_chosen())
        self.encrypt_box = check("&Encrypt (AES-256)", "Encrypt the copy with a passphrase")
        self.encrypt_box.setToolTip(PDF_ENCRYPTION_WARNING)
        self.copy_passphrase = line("Copy passphrase", placeholder=f"at least {MIN_PASSPHRASE} characters")
        self.copy_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        # its hint whole ("at least 12 cha" before): the row has the room now the member has a row of their own
        hint = self.copy_passphrase.fontMetrics().horizontalAdvance(self.copy_passphrase.placeholderText())
        self.copy_passphrase.setMinimumWidth(hint + 24)
        save_copy = button("&Save copy...", "Save the member's watermarked copy", self.save_copy)
        send_sealed = button("Se&nd sealed...", "Seal the member's copy to their key as a bundle", self.send_sealed)
        # "Copy for" was a caption with no Alt letter and no link to its list; the passphrase had no caption.
        # The member on a row of their own: beside the encryption, password and buttons, the list was squeezed to
        # "Dr Helen Marsh (clearec" in the Pack tab of a 1280 x 800 window; the rows follow the Tab order
        member = QHBoxLayout()
        add_captioned(member, "&Copy for:", self.copy_for_box)
        member.addStretch(1)
        copies = QHBoxLayout()
        copies.addWidget(self.encrypt_box)
        add_captioned(copies, "Pass&word:", self.copy_passphrase)
        copies.addWidget(save_copy)
        copies.addWidget(send_sealed)
        copies.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addLayout(member)
        layout.addLayout(copies)
        return page

    def _mode_tab(self) -> QWidget:
        page = QWidget()
        self.mode_items = QListWidget()
        self._mode_rows: list[ItemRow] = []  # the items the list shows, with their notes
        self.mode_items.setAccessibleName("Agenda items in the meeting")
        explain_when_empty(self.mode_items, "No agenda items: add them on the Agenda tab before the meeting.")
        self.mode_items.setMaximumWidth(240)
        self.mode_items.setMinimumWidth(220)
        self.mode_items.setWordWrap(True)  # "5. Exploitation case audit (named ca" was cut off at 260 px
        self.mode_items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attendance_list = QListWidget()
        self.attendance_list.setAccessibleName("Attendance: tick who is present")
        explain_when_empty(self.attendance_list, "No members invited: add them on the Meeting tab.")
        self.attendance_list.setMaximumWidth(240)
        self.attendance_list.setMinimumWidth(220)
        self.attendance_list.itemChanged.connect(self._attendance_ticked)
        left = QVBoxLayout()
        left.addWidget(caption_for("&Items", self.mode_items))
        left.addWidget(self.mode_items, 2)
        # reached by Alt+P or last in the Tab order, never on the way from the items to the notes: Space there
        # ticked the member under the cursor present while the coordinator meant to go on to the notes
        left.addWidget(caption_for("&Present (Space ticks or unticks)", self.attendance_list))
        left.addWidget(self.attendance_list, 1)
        self.attendance_list.setAccessibleDescription(
            "Space ticks or unticks the member chosen as present; the change is saved at once and said in the status bar"
        )

        self.notes_edit = text_box("Notes for the item", 400)
        self.decisions_edit = text_box("Decisions for the item", 200)
        self.save_notes_button = button("Save notes (Ctrl+S)", "Save notes and decisions", self.save_notes)
        self.notes_guard = EditGuard(
            self,
            title="Meetings",
            noun="item's notes",
            form=self._notes_form,
            save=self.save_notes,
            draft_key=NOTES_DRAFT,
            restore=self._fill_notes,
            scope=lambda: {"meeting": self.meeting_uuid or ""},
        )
        # another item asks about the notes typed first; Cancel keeps the item chosen (the list used to move on
        # with the form left on the first item, and Save wrote its notes onto the item moved to)
        self.mode_choice = GuardedChoice(self.mode_items, [self.notes_guard], self._mode_item_chosen)
        self.action_title = line("New action's title", placeholder="what will be done, e.g. re-audit ten cases")
        self.action_owner = combo("New action's owner agency")
        self.action_due = line("New action's due date", placeholder="dd/mm/yyyy")
        self.action_due.setFixedWidth(110)
        self.action_title.setMinimumWidth(200)
        # the owner's name whole: capped at 200 px beside the title it read "CSC (Nor" at 1280 x 800
        self.action_owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        raise_action = button("Raise action", "Raise the action into the tracker", self.raise_action)
        # Enter in the row raises it, as in the other areas' entry rows (it did nothing: Tab to the button)
        for field in (self.action_title, self.action_due):
            field.returnPressed.connect(self.raise_action)
        # a row each: the title, the owner with room for its whole name, the due date with the button
        actions_row = QFormLayout()
        due_row = QHBoxLayout()
        due_row.addWidget(self.action_due)
        due_row.addWidget(raise_action)
        due_row.addStretch(1)
        add_labelled_rows(actions_row, [("Action &title:", self.action_title), ("&Owner:", self.action_owner)])
        due_caption = caption_for("D&ue:", self.action_due)
        actions_row.addRow(due_caption, due_row)
        #: what belongs to the item chosen: off while there is none (typing there had nowhere to be saved)
        self._item_controls = (
            self.notes_edit,
            self.decisions_edit,
            self.save_notes_button,
            self.action_title,
            self.action_owner,
            self.action_due,
            raise_action,
        )
        self.actions_label = text_label("Actions raised from this item", wrap=True)
        # two rows, not one: in one the tab was too wide for the meetings list beside it at 1280 px
        # each with an Alt letter of its own on the tab (the keeper gave them whatever was free, or none)
        self.mark_held_button = button("Mar&k as held", "Mark the meeting as held", self.mark_held)
        after_buttons = (
            self.mark_held_button,
            button("Minutes as DOC&X...", "Export the minutes as DOCX", lambda: self.export_minutes("docx")),
            button("Minutes as P&DF...", "Export the minutes as PDF", lambda: self.export_minutes("pdf")),
        )
        after = row_of(*after_buttons)
        self.approve_at = line("Approved at meeting", placeholder="that meeting's reference, e.g. QA-yyyy-mm-dd")
        self.approve_at.setMinimumWidth(150)
        self.approve_button = button("App&rove minutes...", "Approve and freeze the minutes", self.approve_minutes)
        approve = self.approve_button
        approval = QHBoxLayout()
        add_captioned(approval, "Appro&ved at meeting:", self.approve_at)
        approval.addWidget(approve)
        approval.addStretch(1)
        #: says why the minutes and attendance are read-only, once approved
        self.frozen_label = text_label("Why the minutes cannot be changed", wrap=True)
        self.frozen_label.hide()
        right = QVBoxLayout()
        right.addWidget(caption_for("&Notes (kept as typed)", self.notes_edit))
        right.addWidget(self.notes_edit, 3)
        right.addWidget(caption_for("D&ecisions", self.decisions_edit))
        right.addWidget(self.decisions_edit, 1)
        right.addWidget(self.save_notes_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(QLabel("Action for the tracker (source: this item)"))
        right.addLayout(actions_row)
        right.addWidget(self.actions_label)
        right.addWidget(self.frozen_label)
        right.addLayout(after)
        right.addLayout(approval)
        layout = QHBoxLayout(page)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        # Tab from the items goes on to what is typed about them; the attendance comes last
        chain = [self.mode_items, self.notes_edit, self.decisions_edit, self.save_notes_button, self.action_title]
        chain += [self.action_owner, self.action_due, raise_action, *after_buttons, self.approve_at, approve]
        chain.append(self.attendance_list)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        return page

    def _shortcuts(self) -> None:
        #: off with approved minutes, as the Agenda tab's buttons are
        self._agenda_actions = [
            action(self, "New agenda item", "Ctrl+I", self.new_item),
            action(self, "Move item up", "Ctrl+Up", lambda: self.move_chosen(-1)),
            action(self, "Move item down", "Ctrl+Down", lambda: self.move_chosen(1)),
        ]
        issue_action = action(self, "Issue pack", "Ctrl+Shift+B", self.issue_pack)
        save_action = action(self, "Save", "Ctrl+S", self.save_current)
        #: off with approved minutes too: each only met the service's refusal
        self._frozen_actions = [*self._agenda_actions, issue_action, save_action]
        self._actions = [
            action(self, "New meeting", "Ctrl+Shift+N", self.new_meeting),
            *self._agenda_actions,
            issue_action,
            action(self, "Print pack", "Ctrl+P", self.print_pack),
            save_action,
        ]
        # the tabs by keyboard from anywhere on the page, as in the performance area (Alt+1..4)
        self._tab_keys = tab_keys(self, self.tabs, self.show_tab)

    def show_tab(self, index: int) -> None:
        """Show a tab and put the focus on its first control, so the keyboard carries on there."""
        self.tabs.setCurrentIndex(index)
        page = self.tabs.currentWidget()
        (first_focusable(page) or self.tabs.tabBar()).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def main_view(self) -> QWidget | None:
        return self.meeting_list

    def area_actions(self) -> list[Any]:
        return [*self._actions, *self._tab_keys]

    # -- loading -----------------------------------------------------------------------

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES) or changes.touches("agency"):
            self.reload()

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            rows = service.list_meetings(session)
            bodies = [(b.name, b.uuid) for b in service.list_bodies(session)]
            body_names = service.body_names(session)
            agencies = [(f"{a.short_name} ({a.name})", a.uuid) for a in list_agencies(session)]
        self.meetings.set_rows(rows)
        was_dirty = self.meeting_guard.dirty()
        keep = self.body_box.currentData()
        self.body_box.clear()
        for name, uuid in bodies or [(name, code) for name, code in service.DEFAULT_BODIES]:
            self.body_box.addItem(name, uuid)
        set_combo_data(self.body_box, keep)
        self.body_list.blockSignals(True)
        self.body_list.clear()
        for code, name in body_names:
            entry = QListWidgetItem(f"{code}: {name}")
            entry.setData(Qt.ItemDataRole.UserRole, code)
            entry.setData(Qt.ItemDataRole.UserRole + 1, name)
            entry.setToolTip(f"{name} ({code})")
            self.body_list.addItem(entry)
        self.body_list.blockSignals(False)
        self.body_choice.put(self.body_choice.shown)  # the body the fields hold, wherever the list put it
        self.body_choice.showing()
        if not self.body_guard.dirty():
            self._body_chosen()  # its name as stored (renamed elsewhere, or merged)
        self.action_owner.clear()
        for label, uuid in agencies:
            self.action_owner.addItem(label, uuid)
        self.report_box.clear()
        for report in PACK_REPORTS.all():
            self.report_box.addItem(report.title, report.key)
        if not was_dirty:  # refilled lists are not the user's edits
            guard = self.meeting_guard
            guard.shown(guard.editing, creating=guard.creating, asked=guard.asked_new)
        if self.meeting_uuid and any(r.uuid == self.meeting_uuid for r in rows):
            self._select_meeting(self.meeting_uuid)
            self._load_meeting()
        elif rows and self.meeting_uuid is None and not self.meeting_guard.asked_new:  # a new meeting stays
            self._select_meeting(rows[0].uuid)
            self._load_meeting()
        elif self.meeting_uuid is None:
            self.meeting_list.clearSelection()
        else:
            self.meeting_uuid = None
            self._load_meeting()

    def _select_meeting(self, uuid: str) -> None:
        for index, row in enumerate(self.meetings.rows):
            if row.uuid == uuid:
                self.meeting_uuid = uuid
                selection = self.meeting_list.selectionModel()
                selection.blockSignals(True)
                self.meeting_list.selectRow(index)
                selection.blockSignals(False)
                self.meeting_list.viewport().update()
                return

    def _meeting_chosen(self) -> None:
        row = _selected_row(self.meeting_list)
        if row < 0:
            return
        uuid = self.meetings.row_at(row).uuid
        if uuid == self.meeting_uuid:
            return
        if not self._may_leave_meeting():
            self._select_meeting(self.meeting_uuid or uuid)
            return
        self.meeting_uuid = uuid
        self.item_guard.shown(None)  # a new item asked for in the meeting left is not kept in this one
        self._load_meeting()

    def _load_meeting(self) -> None:
        uuid = self.meeting_uuid
        if uuid is None:
            self.heading.setText("No meeting yet: press Ctrl+Shift+N to add one.")
            self._clear_meeting_views()
            self.meeting_guard.shown(None, creating=True)
            return
        with self.context.workspace.reading() as session:
            meeting = service.get_meeting(session, uuid)
            heading = (
                f"{service.body_name(session, meeting)}, {uk(meeting.meets_on)}"
                + (f" at {meeting.start_time}" if meeting.start_time else "")
                + f" ({meeting.reference})"
            )
            details = (
                meeting.body_uuid,
                uk(meeting.meets_on),
                meeting.start_time,
                meeting.venue,
                meeting.chair,
                meeting.status,
            )
            # approved minutes whose record changed since (a merged bundle) say so where the status is shown
            frozen = minutes.frozen_minutes_problem(session, uuid, minutes.meeting_values(meeting))
            final = ""
            if meeting.status == service.MINUTES_APPROVED:
                on = uk(meeting.minutes_approved_on) if meeting.minutes_approved_on else ""
                final = (
                    "Minutes approved"
                    + (f" on {on}" if on else "")
                    + (f" at {meeting.minutes_approved_at}" if meeting.minutes_approved_at else "")
                    + ": approved minutes are final, so the meeting's details, agenda, papers, notes, decisions, "
                    "actions and attendance can no longer be changed here. Export them as DOCX or PDF."
                )
            self._changed_since_issue = issue.changed_since_issue(session, meeting)
            shown_status = issue.status_text(session, meeting, self._changed_since_issue)
            listed = service.items(session, uuid)
            paper_counts = {i.uuid: len(service.papers(session, i.uuid)) for i in listed}
            items = [
                ItemRow(
                    i.uuid,
                    n,
                    i.title,
                    i.presenter,
                    i.purpose,
                    i.minutes_allowed,
                    i.restricted,
                    paper_counts[i.uuid],
                    i.notes,
                    i.decisions,
                )
                for n, i in enumerate(listed, start=1)
            ]
            people = [
                MemberRow(m.uuid, m.name, m.role, m.attendance, m.cleared_restricted, m.contact_name)
                for m in service.members(session, uuid)
            ]
            contacts = service.exchange_contacts(session)
            packs = [
                PackRow(p.uuid, p.version, p.pack_id, p.issued_on, p.page_count, issue.change_count(p.changes))
                for p in service.packs(session, uuid)
            ]
        self.heading.setText(heading)
        self.meeting_status, self.frozen = details[5], final
        self._show_frozen()
        self.status_label.setText(shown_status + (f" (warning: {frozen})" if frozen else ""))
        self.status_label.setWordWrap(True)
        self.meeting_guard.load(uuid, lambda: self._put_meeting(details[:5]))
        self._refill_agenda(items)
        chosen_member = self._chosen_member()
        self.members_model.set_rows(people)
        if chosen_member is not None:
            select_key(self.members_view, chosen_member.uuid)
        self._fill_mode(items, people)
        self.contact_box.clear()
        self.contact_box.addItem("No exchange contact", "")
        for name in contacts:
            self.contact_box.addItem(name, name)
        self._member_chosen()  # the boxes beside the members show the one chosen, not the last one's values
        self._fill_copy_for(people)
        shown_pack = self._chosen_pack_uuid()
        self.packs_model.set_rows(packs)
        if packs:
            target = shown_pack if shown_pack in {p.uuid for p in packs} else packs[-1].uuid
            self._select_pack(target)
        else:
            self.preview.clear()
            self._shown_pack = None
            self.changes_label.setText("No pack issued yet: press Ctrl+Shift+B to issue one from live data.")

    def _fill_copy_for(self, people: list[MemberRow]) -> None:
        """Whose copy the preview shows, prints and saves: the master (no name) first, then each member;
        the one chosen stays chosen through a reload."""
        keep = self.copy_for_box.currentData()
        self.copy_for_box.blockSignals(True)
        self.copy_for_box.clear()
        self.copy_for_box.addItem(MASTER_COPY, "")
        for person in people:
            self.copy_for_box.addItem(person.name + (" (cleared)" if person.cleared else ""), person.name)
        set_combo_data(self.copy_for_box, keep)
        self.copy_for_box.blockSignals(False)

    # -- meeting form --------------------------------------------------------------------

    def _body_chosen(self) -> None:
        """The chosen body's name and code in the fields, to rename it or to start another from (GuardedChoice
        asked about what was typed first)."""
        entry = self.body_list.currentItem()
        if entry is not None:
            code, name = str(entry.data(Qt.ItemDataRole.UserRole)), str(entry.data(Qt.ItemDataRole.UserRole + 1))
            self.body_guard.load(code, lambda: self._put_body((name, code)))

    def _put_body(self, values: Sequence[Any]) -> None:
        name, code = (list(values) + ["", ""])[:2]
        self.body_name.setText(str(name or ""))
        self.body_code.setText(str(code or ""))

    def _body_saved_over(self) -> str | None:
        """The body Save renames: the one the fields were filled from, while its code is the one typed;
        None: Save adds the body typed."""
        code = self.body_guard.editing
        return code if code is not None and self.body_code.text().strip().upper() == code else None

    def save_body(self) -> bool:
        """Save, asked about the typing when another body is chosen: a rename, or a new body for a new code."""
        return self.rename_body() if self._body_saved_over() is not None else self.add_body()

    def add_body(self) -> bool:
        name, code = self.body_name.text(), self.body_code.text()
        with self.body_guard.quietly():
            return self.context.write(
                "Boards and subgroups",
                lambda uow: _code_and_name(service.add_body(uow, name, code)),
                initiator=self,
                on_done=lambda added: self._show_body(added[0], f"Added {added[1]} ({added[0]})."),
            )

    def rename_body(self) -> bool:
        code = self.body_guard.editing  # the body the fields hold: asked about them, the list is already elsewhere
        if code is None:
            show_info(self, "Boards and subgroups", "Choose the body to rename in the list first.")
            return False
        name = self.body_name.text()

        def work(uow: UnitOfWork) -> tuple[str, str]:
            service.ensure_default_bodies(uow)
            return _code_and_name(service.rename_body(uow, service.find_body(uow.session, code).uuid, name))

        with self.body_guard.quietly():
            return self.context.write(
                "Boards and subgroups",
                work,
                initiator=self,
                on_done=lambda renamed: self._show_body(renamed[0], f"Renamed {renamed[0]} to {renamed[1]}."),
            )

    def _show_body(self, code: str, message: str) -> None:
        self.reload()
        self.body_choice.put(code)
        self.body_choice.showing()
        self._body_chosen()
        self.context.show_status(message)

    def _meeting_form(self) -> tuple[Any, ...]:
        return (
            self.body_box.currentData(),
            self.date_edit.text(),
            self.time_edit.text(),
            self.venue_edit.text(),
            self.chair_edit.text(),
        )

    def _put_meeting(self, values: Sequence[Any]) -> None:
        """The meeting form showing `values`, in `_meeting_form`'s order (body, date, time, venue, chair)."""
        body, *texts = (list(values) + [""] * 5)[:5]
        set_combo_data(self.body_box, body)
        for edit, text in zip((self.date_edit, self.time_edit, self.venue_edit, self.chair_edit), texts, strict=True):
            edit.setText(str(text or ""))

    def _may_leave_meeting(self) -> bool:
        """The meeting's, its agenda item's and its notes' typing saved or dropped; False for Cancel."""
        return self.meeting_guard.may_leave() and self.item_guard.may_leave() and self.notes_guard.may_leave()

    def new_meeting(self) -> None:
        if not self._may_leave_meeting():  # the agenda item and the notes typed stayed, orphaned, unasked
            return
        self.tabs.setCurrentIndex(0)
        self.meeting_uuid = None
        self.meeting_list.clearSelection()
        self.meeting_guard.load(
            None, lambda: self._put_meeting([self.body_box.currentData()]), creating=True, asked=True
        )
        self.heading.setText("New meeting: choose the body, type the date, then Ctrl+S.")
        self.status_label.setText("Planned")
        self._clear_meeting_views()
        self.body_box.setFocus()

    def _show_frozen(self) -> None:
        """Approved minutes are final: what would change them or the attendance is off, and a line says why
        (every such write was refused, but only after the user had typed or ticked it)."""
        frozen = bool(self.frozen)
        for label in (self.frozen_label, self.members_frozen_label, self.agenda_frozen_label):
            label.setText(self.frozen)
            label.setVisible(frozen)
        # the meeting's form and its agenda too: the service refuses their saves as it does the minutes'
        off = (*self._member_controls, self.attendance_list, self.mark_held_button, self.approve_at)
        off += (self.approve_button, self.body_box, self.save_meeting_button, self.issue_button, *self._agenda_controls)
        for control in off:
            control.setEnabled(not frozen)
        for act in self._frozen_actions:  # their keys (Ctrl+I, Ctrl+Up/Down, Ctrl+Shift+B, Ctrl+S) and menu entries
            act.setEnabled(not frozen)
        self.items_view.setDragEnabled(not frozen)  # a drag reordered the agenda, refused once dropped
        # kept readable (focus, selection, a screen reader) rather than greyed out
        for box in (self.notes_edit, self.decisions_edit):
            box.setReadOnly(frozen)
        for edit in (self.date_edit, self.time_edit, self.venue_edit, self.chair_edit, self.item_title):
            edit.setReadOnly(frozen)
        for field in (self.item_presenter, self.item_minutes):
            field.setReadOnly(frozen)

    def _clear_meeting_views(self) -> None:
        """No meeting shown: its agenda, members, packs and in-meeting lists go, so that no notes typed next
        can be saved over the last meeting's item."""
        self.items_model.clear()
        self.members_model.clear()
        self.packs_model.clear()
        self.preview.clear()
        self.meeting_status, self.frozen = "", ""
        self._show_frozen()
        self._shown_pack = None
        self._changed_since_issue = []
        self._fill_mode([], [])
        self._blank_item()

    def save_meeting(self) -> bool:
        try:
            day = day_from_text(self.date_edit.text(), "meeting date")
        except InvalidInput as exc:
            show_info(self, "Meetings", exc.message)
            return False
        if day is None:
            show_info(self, "Meetings", "Type the meeting's date (dd/mm/yyyy).")
            return False
        body = self.body_box.currentText()
        fields = dict(
            start_time=self.time_edit.text(), venue=self.venue_edit.text().strip(), chair=self.chair_edit.text().strip()
        )
        creating = self.meeting_guard.saving_over() is None
        existing = self.meeting_uuid

        def work(uow: UnitOfWork) -> str:
            if creating:
                return service.add_meeting(uow, body=body, meets_on=day, **fields).uuid
            body_uuid = service.find_body(uow.session, body).uuid
            service.update_meeting(uow, existing, body_uuid=body_uuid, meets_on=day, **fields)
            return existing

        def done(uuid: str) -> None:
            self.meeting_uuid = uuid
            self.meeting_guard.shown(uuid)
            self.reload()
            self.context.show_status("Meeting saved.")

        with self.meeting_guard.quietly():
            return self.context.write("Save meeting", work, initiator=self, on_done=done)

    # -- members -------------------------------------------------------------------------

    def add_member(self) -> None:
        if self.meeting_uuid is None:
            return
        uuid, name = self.meeting_uuid, self.member_name.text()
        role, cleared = self.member_role.text(), self.member_cleared.isChecked()
        if self.context.write(
            "Invite member",
            lambda uow: service.add_member(uow, uuid, name, role=role, cleared_restricted=cleared),
            initiator=self,
        ):
            self.member_name.clear()
            self.member_role.clear()
            self.member_cleared.setChecked(False)
            self.reload()
            self.member_name.setFocus()

    def _chosen_member(self) -> MemberRow | None:
        row = _selected_row(self.members_view)
        return self.members_model.row_at(row) if row >= 0 else None

    def set_attendance(self) -> None:
        member = self._chosen_member()
        if member is None:
            return
        state = self.attendance_box.currentData()
        if self.context.write(
            "Attendance", lambda uow: service.set_attendance(uow, member.uuid, state), initiator=self
        ):
            self.reload()

    def _member_chosen(self) -> None:
        """The chosen member's attendance and contact in the boxes beside them (Set attendance and Set contact
        change them); with no member chosen, the boxes go back to their first choice, not the last member's."""
        member = self._chosen_member()
        set_combo_data(self.attendance_box, member.attendance if member is not None else None)
        set_combo_data(self.contact_box, member.contact if member is not None else "")

    def set_contact(self) -> None:
        member = self._chosen_member()
        if member is None:
            show_info(self, "Meetings", "Choose the member in the list first.")
            return
        contact = self.contact_box.currentData() or ""
        if self.context.write(
            "Exchange contact", lambda uow: service.set_member_contact(uow, member.uuid, contact), initiator=self
        ):
            self.reload()
            self.context.show_status(
                f"{member.name}'s sealed copy goes to {contact}."
                if contact
                else f"{member.name} has no exchange contact."
            )

    def toggle_cleared(self) -> None:
        member = self._chosen_member()
        if member is None:
            return
        if self.context.write(
            "Clearance",
            lambda uow: service.update_member(uow, member.uuid, cleared_restricted=not member.cleared),
            initiator=self,
        ):
            self.reload()

    # -- agenda ----------------------------------------------------------------------------

    def _chosen_item_uuid(self) -> str | None:
        return current_key(self.items_view)

    def _item_shown(self) -> str | None:
        """The item the form and its papers show, which the agenda's buttons act on; not the table's current
        row, which the focus moves beside a new item without choosing it."""
        return None if self.item_guard.unlisted else self.item_guard.saving_over()

    def _select_item(self, uuid: str) -> bool:
        """Choose `uuid`'s row, asking first about what is typed on another item; False if it is not listed."""
        return select_key(self.items_view, uuid)

    def _refill_agenda(self, items: list[ItemRow]) -> None:
        """The agenda's rows again, the form on the item it holds wherever a reorder put it and with what is
        typed on it; a new item asked for, or typing whose item went, left as they are; else the first item,
        as every list and form opens."""
        guard = self.item_guard
        holding = guard.saving_over()
        typed = None if guard.quiet else guard.draft()  # (what the form's own save reloads is saved already)
        with guard.quietly():
            self.items_model.set_rows(items)
            kept = holding is not None and self._choose_item(holding)
        if typed is not None:
            give_back_typing([(guard, typed)])  # choosing its row again showed the item's stored values
        if kept or guard.asked_new or guard.keep_if_gone(holding, kept) or guard.dirty():
            return
        if not guard.show_first():
            self._blank_item()  # no items: the form for the first one

    def _choose_item(self, uuid: str | None) -> bool:
        """Show the item `uuid` without asking (None: a new item the user asked for); False if it is gone."""
        if uuid is None:
            self._blank_item(asked=True)
            return True
        if not self._select_item(uuid):
            return False
        if self.item_guard.saving_over() != uuid:  # the row was current already: no signal showed it
            self._show_chosen_item()
        return True

    def _show_chosen_item(self) -> None:
        """The chosen row's item in the form, its papers below (TableFormGuard asked about the typing first)."""
        row = current_row(self.items_view)
        if row is None:
            return
        values = (row.title, row.presenter, row.purpose, row.minutes, row.restricted)
        self.item_guard.load(row.uuid, lambda: self._put_item(values))
        self._load_papers(row.uuid)

    def _blank_item(self, *, asked: bool = False) -> None:
        """The empty form for a new item, no row current (choosing the one that was shows it again); `asked`:
        the user asked for it (New item), so reloads keep it."""
        with self.item_guard.quietly():
            self.items_view.selectionModel().clear()
        self.item_guard.load(None, lambda: self._put_item(NEW_ITEM), creating=True, asked=asked)
        self.papers_model.clear()

    def _item_form(self) -> tuple[Any, ...]:
        return (
            self.item_title.text(),
            self.item_presenter.text(),
            self.item_purpose.currentData(),
            self.item_minutes.value(),
            self.item_restricted.isChecked(),
        )

    def _put_item(self, values: Sequence[Any]) -> None:
        """The item form showing `values`, in `_item_form`'s order; what is missing, a new item's defaults."""
        title, presenter, purpose, minutes, restricted = (list(values) + list(NEW_ITEM[len(values) :]))[:5]
        self.item_title.setText(str(title or ""))
        self.item_presenter.setText(str(presenter or ""))
        set_combo_data(self.item_purpose, purpose)
        self.item_minutes.setValue(int(minutes or NEW_ITEM[3]))
        self.item_restricted.setChecked(bool(restricted))

    def _load_papers(self, item_uuid: str | None) -> None:
        if item_uuid is None:
            self.papers_model.clear()
            return
        with self.context.workspace.reading() as session:
            rows = []
            for paper in service.papers(session, item_uuid):
                detail = (
                    f"{paper.filename}, {count_of(paper.page_count, 'page')}"
                    if paper.kind == "file"
                    else "generated from live data when the pack is issued"
                )
                rows.append(PaperRow(paper.uuid, paper.title, paper.kind, detail))
        self.papers_model.set_rows(rows)

    def new_item(self) -> None:
        if self.meeting_uuid is None or not self.item_guard.may_leave():
            return
        self.tabs.setCurrentIndex(1)
        self._blank_item(asked=True)
        self.item_title.setFocus()

    def save_item(self) -> bool:
        if self.meeting_uuid is None:
            return False
        meeting = self.meeting_uuid
        title, presenter, purpose, minutes_allowed, restricted = self._item_form()
        editing = self.item_guard.saving_over()

        def work(uow: UnitOfWork) -> str:
            if editing is None:
                return service.add_item(
                    uow,
                    meeting,
                    title,
                    presenter=presenter,
                    purpose=purpose,
                    minutes_allowed=minutes_allowed,
                    restricted=restricted,
                ).uuid
            service.update_item(
                uow,
                editing,
                title=title.strip(),
                presenter=presenter.strip(),
                purpose=purpose,
                minutes_allowed=minutes_allowed,
                restricted=restricted,
            )
            return editing

        saved: list[str] = []
        with self.item_guard.quietly():
            ok = self.context.write("Save agenda item", work, initiator=self, on_done=saved.append)
        if ok and saved:
            self.item_guard.shown(saved[0])
            self.reload()
            self._select_item(saved[0])
        return ok

    def move_item_to(self, item_uuid: str, index: int) -> None:
        if self.context.write("Move agenda item", lambda uow: service.move_item(uow, item_uuid, index), initiator=self):
            self.reload()
            self._select_item(item_uuid)

    def move_chosen(self, step: int) -> None:
        row = _selected_row(self.items_view)
        if row < 0:
            return
        target = row + step
        if 0 <= target < len(self.items_model.rows):
            self.move_item_to(self.items_model.row_at(row).uuid, target)
            self.items_view.setFocus()

    def delete_item(self) -> None:
        uuid = self._item_shown()
        if uuid is None:
            return
        from ui.messages import confirm

        if not confirm(self, "Meetings", "Delete the chosen agenda item and its papers?", "Delete"):
            return
        if self.context.write("Delete agenda item", lambda uow: service.delete_item(uow, uuid), initiator=self):
            with self.item_guard.quietly():
                self.item_guard.shown(None)  # the reload shows the first item left
            self.reload()

    def attach_paper(self) -> None:
        item = self._item_shown()
        if item is None:
            show_info(self, "Meetings", "Choose the agenda item the paper belongs to first.")
            return
        path = files.open_file(self, "Attach a paper", "PDF or Word (*.pdf *.docx *.doc *.odt);;All files (*)")
        if not path:
            return
        try:
            name, data, count = service.read_paper_file(Path(path))
        except InvalidInput as exc:
            show_info(self, "Attach a paper", exc.message)
            return
        if self.context.write(
            "Attach paper", lambda uow: service.add_file_paper(uow, item, name, data, page_count=count), initiator=self
        ):
            self.reload()
            self._select_item(item)
            self.context.show_status(f"Attached {name} ({count_of(count, 'page')}).")

    def add_report(self) -> None:
        """Add the chosen live report; a report with filters asks for them first (Escape adds nothing)."""
        item, key = self._item_shown(), self.report_box.currentData()
        if item is None or not key:
            return
        with self.context.workspace.reading() as session:
            fields = service.report_filter_fields(session, key)
        filters: dict[str, str] | None = {}
        if fields:
            filters = choose_report_filters(self, self.report_box.currentText(), fields)
            if filters is None:
                return
        if self.context.write(
            "Add report", lambda uow: service.add_report_paper(uow, item, key, filters=filters), initiator=self
        ):
            self.reload()
            self._select_item(item)

    def remove_paper(self) -> None:
        row, item = _selected_row(self.papers_view), self._item_shown()
        if row < 0:
            return
        paper = self.papers_model.row_at(row)
        uuid = paper.uuid
        from ui.messages import confirm

        # asked like Delete item: an attached PDF is kept only in the workspace, and one key removed it unasked
        what = "the attached PDF" if paper.kind == "file" else "the live report"
        if not confirm(self, "Meetings", f"Remove {what} {paper.title!r} from this item?", "Remove"):
            return
        if self.context.write("Remove paper", lambda uow: service.delete_paper(uow, uuid), initiator=self):
            self.reload()
            if item:
                self._select_item(item)

    # -- pack ------------------------------------------------------------------------------

    def _chosen_pack_uuid(self) -> str | None:
        row = _selected_row(self.packs_view)
        return self.packs_model.row_at(row).uuid if row >= 0 else None

    def _select_pack(self, uuid: str) -> None:
        for index, row in enumerate(self.packs_model.rows):
            if row.uuid == uuid:
                self.packs_view.selectRow(index)
                self._pack_chosen()
                return

    def _pack_chosen(self) -> None:
        """The chosen version in the preview, as the copy chosen in Copy for (stamped with their name, without
        the restricted papers unless they are cleared) or the master: what Print prints."""
        uuid = self._chosen_pack_uuid()
        if uuid is None:
            return
        recipient = self.copy_for_box.currentData() or ""
        data: bytes | None = None
        with self.context.workspace.reading() as session:
            pack = session.get(service.MeetingPack, uuid)
            if pack is None:
                return
            changes, version, latest = list(pack.changes or []), pack.version, self.packs_model.rows[-1].uuid == uuid
            if self._shown_pack != (uuid, recipient):
                data = issue.copy_for(session, pack, recipient) if recipient else pack.content
        if data is not None:  # rendered after the read: pages are drawn without holding the workspace
            self.preview.load(data, copy_for=recipient)
            self._shown_pack = (uuid, recipient)
        text = f"Version {version}. " + ("Changes: " + "; ".join(changes) if changes else "First version.")
        stale = self._changed_since_issue
        if latest and stale:
            text += " Out of date: since it was issued, " + "; ".join(stale) + ". Re-issue (Ctrl+Shift+B)."
        self.changes_label.setText(text)

    def issue_pack(self) -> None:
        if self.meeting_uuid is None:
            return
        uuid = self.meeting_uuid
        self.tabs.setCurrentIndex(2)

        def done(issued: issue.Issued) -> None:
            self.reload()
            self._select_pack(issued.pack_uuid)
            self.context.show_status(issued.message)

        self.context.write(
            "Issue pack", lambda uow: issue.issue_pack(uow, uuid), initiator=self, on_done=done, background=True
        )

    def print_pack(self) -> None:
        if self.preview.page_count:
            self.tabs.setCurrentIndex(2)
            self.preview.print_pack()

    def _copy_recipient(self) -> tuple[str, str] | None:
        """The version and the member whose copy Save copy and Send sealed make; None, said, without them."""
        pack_uuid, name = self._chosen_pack_uuid(), self.copy_for_box.currentData()
        if pack_uuid is None or self.copy_for_box.count() < 2:
            show_info(self, "Meetings", "Issue the pack and invite members first.")
            return None
        if not name:
            show_info(self, "Meetings", "Choose in Copy for (Alt+C) the member the copy is for.")
            return None
        return pack_uuid, name

    def _file_name(self, what: str, recipient: str = "", suffix: str = ".pdf") -> str:
        """The name the save dialog offers: the meeting's body and date, what it is and whom it is for."""
        with self.context.workspace.reading() as session:
            meeting = service.get_meeting(session, self.meeting_uuid or "")
            return service.file_name(session, meeting, what, recipient, suffix)

    def save_copy(self) -> None:
        chosen = self._copy_recipient()
        if chosen is None:
            return
        pack_uuid, name = chosen
        passphrase = self.copy_passphrase.text() if self.encrypt_box.isChecked() else None
        if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
            show_info(
                self,
                "Meetings",
                f"The PDF passphrase needs at least {MIN_PASSPHRASE} characters. " + PDF_ENCRYPTION_WARNING,
            )
            return
        path = files.save_file(self, "Save the member's copy", self._file_name("pack", name), "PDF (*.pdf)")
        if not path:
            return
        from app.store.user_files import write_user_file

        try:
            with self.context.workspace.reading() as session:
                pack = session.get(service.MeetingPack, pack_uuid)
                data = issue.copy_for(session, pack, name, passphrase=passphrase)
            write_user_file(Path(path), data, overwrite=True)
        except InvalidInput as exc:
            show_info(self, "Meetings", exc.message)
            return
        self.copy_passphrase.clear()
        self.context.show_status(f"Saved {name}'s copy to {path}.")

    def send_sealed(self) -> None:
        chosen = self._copy_recipient()
        if chosen is None:
            return
        pack_uuid, name = chosen
        path = files.save_file(
            self, "Save the sealed bundle", self._file_name("pack", name, ".bundle"), "Bundles (*.bundle)"
        )
        if not path:
            return
        from app.meetings.sealed import seal_copy

        try:
            seal_copy(self.context.workspace, pack_uuid, name, Path(path), overwrite=True)
        except InvalidInput as exc:
            show_info(self, "Meetings", exc.message)
            return
        self.context.show_status(f"Sealed {name}'s copy to their key: {path}.")

    # -- in the meeting ------------------------------------------------------------------

    def _fill_mode(self, items: list[ItemRow], people: list[MemberRow]) -> None:
        """The in-meeting lists, refilled on the item the notes form holds wherever the agenda moved it
        (by row, a reorder gave the form another item and the typing went without a question)."""
        current = self.mode_items.currentRow()
        holding = self.notes_guard.editing or self._mode_item_uuid()
        self.mode_items.blockSignals(True)
        self.mode_items.clear()
        for row in items:
            entry = QListWidgetItem(f"{row.number}. {row.title}" + (" (restricted)" if row.restricted else ""))
            entry.setData(Qt.ItemDataRole.UserRole, row.uuid)
            self.mode_items.addItem(entry)
        if items:
            uuids = [row.uuid for row in items]
            self.mode_items.setCurrentRow(
                uuids.index(holding) if holding in uuids else min(max(current, 0), len(items) - 1)
            )
        self.mode_items.blockSignals(False)
        self._mode_rows = items
        self.attendance_list.blockSignals(True)
        # the member under the cursor stays there: a tick saved shows the list again, and the cursor went
        # nowhere, so a second Space (to undo a tick) did nothing
        chosen = self.attendance_list.currentItem()
        keep = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.attendance_list.clear()
        for person in people:
            entry = QListWidgetItem(
                person.name + (f" ({person.attendance})" if person.attendance not in ("present", "invited") else "")
            )
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if person.attendance == "present" else Qt.CheckState.Unchecked)
            entry.setData(Qt.ItemDataRole.UserRole, person.uuid)
            self.attendance_list.addItem(entry)
            if person.uuid == keep:
                self.attendance_list.setCurrentItem(entry)
        self.attendance_list.blockSignals(False)
        self._mode_item_chosen()  # with no items: no item, so Save has nothing to write the notes over

    def _mode_item_uuid(self) -> str | None:
        entry = self.mode_items.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None

    def _notes_form(self) -> tuple[Any, ...]:
        return (self.notes_edit.toPlainText(), self.decisions_edit.toPlainText())

    def _put_notes(self, values: Sequence[Any]) -> None:
        """The notes form showing `values`, in `_notes_form`'s order (notes, decisions)."""
        notes, decisions = (list(values) + ["", ""])[:2]
        self.notes_edit.setPlainText(str(notes or ""))
        self.decisions_edit.setPlainText(str(decisions or ""))

    def _mode_item_chosen(self) -> None:
        """The notes of the item chosen (GuardedChoice asked about the typing first) or put there by a reload."""
        uuid = self._mode_item_uuid()
        self.mode_choice.showing()
        if self.notes_guard.dirty() and uuid == self.notes_guard.editing:
            return  # keep what is being typed when another change reloads the page
        found = next((r for r in self._mode_rows if r.uuid == uuid), None)
        self.notes_guard.load(uuid, lambda: self._put_notes((found.notes, found.decisions) if found else ()))
        for control in self._item_controls:
            readable = control in (self.notes_edit, self.decisions_edit)  # read-only once approved
            control.setEnabled(uuid is not None and (readable or not self.frozen))
        self._show_item_actions(uuid)

    def _show_item_actions(self, item_uuid: str | None) -> None:
        from app.contributions import ACTION_TRACKER

        if item_uuid is None or not ACTION_TRACKER.available:
            self.actions_label.setText("")
            return
        with self.context.workspace.reading() as session:
            linked = ACTION_TRACKER().linked(session, [item_uuid])
        self.actions_label.setText(
            "Actions raised: "
            + ("; ".join(f"{a.reference} {a.title} ({a.owner_agency}, due {uk(a.due)})" for a in linked) or "none yet")
        )

    def save_notes(self) -> bool:
        uuid = self.notes_guard.editing  # the item the notes were typed on: on a move, the list is already elsewhere
        if uuid is None:
            return False
        notes, decisions = self._notes_form()
        with self.notes_guard.quietly():
            ok = self.context.write(
                "Save notes",
                lambda uow: minutes.record_item(uow, uuid, notes=notes, decisions=decisions),
                initiator=self,
            )
        if ok:
            self.notes_guard.shown(uuid)
            self.reload()
            self.context.show_status("Notes saved.")
        return ok

    def raise_action(self) -> None:
        uuid = self._mode_item_uuid()
        if uuid is None:
            return
        try:
            due = day_from_text(self.action_due.text(), "due date")
        except InvalidInput as exc:
            show_info(self, "Meetings", exc.message)
            return
        if due is None:
            show_info(self, "Meetings", "Type the action's due date (dd/mm/yyyy).")
            return
        title, owner = self.action_title.text(), self.action_owner.currentData()
        if not owner:
            show_info(self, "Meetings", "Add the owner agency in the Workspace area first.")
            return
        refs: list[str] = []
        if self.context.write(
            "Raise action",
            lambda uow: minutes.raise_action(uow, uuid, title=title, owner_agency_uuid=owner, due=due),
            initiator=self,
            on_done=refs.append,
        ):
            self.action_title.clear()
            self.action_due.clear()
            self._show_item_actions(uuid)
            self.context.show_status(f"Action {refs[0] if refs else ''} added to the tracker.")
            self.action_title.setFocus()

    def _attendance_ticked(self, entry: QListWidgetItem) -> None:
        uuid = entry.data(Qt.ItemDataRole.UserRole)
        # once the meeting is held, a member not present was absent: "invited" again left them out of the minutes
        held = self.meeting_status == service.HELD
        state = "present" if entry.checkState() == Qt.CheckState.Checked else "absent" if held else "invited"
        if not self.context.write("Attendance", lambda uow: service.set_attendance(uow, uuid, state), initiator=self):
            # refused (a frozen record, the member gone): the tick goes back, as nothing was kept
            self.attendance_list.blockSignals(True)
            entry.setCheckState(Qt.CheckState.Unchecked if state == "present" else Qt.CheckState.Checked)
            self.attendance_list.blockSignals(False)
            return
        self.members_model.set_rows(
            [replace(r, attendance=state) if r.uuid == uuid else r for r in self.members_model.rows]
        )
        name = next((r.name for r in self.members_model.rows if r.uuid == uuid), "")
        said = {"present": "marked present", "absent": "marked absent"}.get(state, "no longer present")
        self.context.show_status(f"{name}: {said}.")

    def mark_held(self) -> None:
        uuid = self.meeting_uuid
        if uuid is None:
            return
        done: list[tuple[str, list[str]]] = []

        def work(uow: UnitOfWork) -> tuple[str, list[str]]:
            return service.get_meeting(uow.session, uuid).reference, minutes.mark_held(uow, uuid)

        if self.context.write("Mark as held", work, initiator=self, on_done=done.append):
            self.reload()
            if done:
                self.context.show_status(minutes.held_message(*done[0]) + ".")

    def export_minutes(self, fmt: str) -> None:
        uuid = self.meeting_uuid
        if uuid is None:
            return
        with self.context.workspace.reading() as session:
            restricted = minutes.restricted_item_numbers(session, uuid)
        open_only = False
        if restricted:  # as the pack: members not cleared get them without the restricted items' words
            answer = self.choose_minutes_copy(restricted)
            if answer is None:
                return
            open_only = answer
        name = self._file_name("minutes without restricted items" if open_only else "minutes", suffix=f".{fmt}")
        path = files.save_file(self, f"Save the minutes as {fmt.upper()}", name, f"{fmt.upper()} (*.{fmt})")
        if not path:
            return
        from app.store.user_files import write_user_file

        try:
            with self.context.workspace.reading() as session:
                data = minutes.export_minutes(session, uuid, fmt, open_only=open_only)
            write_user_file(Path(path), data, overwrite=True)
        except InvalidInput as exc:
            show_info(self, "Meetings", exc.message)
            return
        which = " without restricted items" if open_only else ""
        self.context.show_status(f"Minutes{which} written to {path}.")

    def choose_minutes_copy(self, restricted: list[int]) -> bool | None:
        """Which minutes to write when some items are restricted: True for those without the restricted
        items (for members not cleared), False for every item (marked restricted), None for neither."""
        items = ", ".join(str(n) for n in restricted)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Minutes with restricted items",
            f"Item{'s' if len(restricted) > 1 else ''} {items} of these minutes "
            f"{'are' if len(restricted) > 1 else 'is'} restricted. Members not cleared for restricted items "
            "must get the minutes without them.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        every = box.addButton("&Every item (cleared members only)", QMessageBox.ButtonRole.AcceptRole)
        without = box.addButton("&Without restricted items", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(without)
        letter_standard_buttons(box, Cancel="&Cancel")
        box.setAccessibleName("Minutes with restricted items")
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is without else False if clicked is every else None

    def approve_minutes(self) -> None:
        """Asks first (approved minutes are final), once the minutes may be approved: a refusal (not held, someone's
        attendance not recorded, no such approving meeting) is said before the question, not after its answer."""
        from ui.messages import confirm

        uuid, at = self.meeting_uuid, self.approve_at.text()
        if uuid is None:
            return
        try:
            with self.context.workspace.reading() as session:
                reference = service.get_meeting(session, uuid).reference
                approving = minutes.check_approvable(session, uuid, at)
        except InvalidInput as exc:
            show_info(self, "Approve minutes", exc.message)
            return
        question = (
            f"Approve the minutes of {reference}" + (f" at {approving}" if approving else "") + "?\n\n"
            "Approved minutes are final: their notes, decisions, actions and attendance can no longer be changed."
        )
        if not confirm(self, "Approve minutes", question, "Approve"):
            return
        digests: list[str] = []
        if self.context.write(
            "Approve minutes",
            lambda uow: minutes.approve_minutes(uow, uuid, at_meeting=at),
            initiator=self,
            on_done=digests.append,
        ):
            self.reload()
            self.context.show_status(f"Minutes approved and frozen (SHA-256 {digests[0][:16]}...).")

    # -- shared --------------------------------------------------------------------------

    def screenshot_views(self) -> list[tuple[str, Callable[[], None]]]:
        """Views for scripts/screenshots.py: the coming meeting's agenda, its pack preview, the meeting mode."""

        def choose(tab: int) -> Callable[[], None]:
            def show() -> None:
                coming = [r for r in self.meetings.rows if r.meets_on >= date.today()]
                if coming:
                    self._select_meeting(coming[-1].uuid)
                    self._load_meeting()
                self.tabs.setCurrentIndex(tab)
                if tab == 1 and self.items_model.rows:
                    self.items_view.selectRow(min(3, len(self.items_model.rows) - 1))
                if tab == 2 and self.preview.page_count > 4:
                    self.preview.show_page(4)

            return show

        return [("meeting", choose(0)), ("agenda", choose(1)), ("preview", choose(2)), ("in-meeting", choose(3))]

    # -- drafts kept across a lock -------------------------------------------------------

    def restore_draft(self, draft: Draft) -> bool:
        """The meeting, the tab and the record the draft was typed on, then what was typed."""
        tabs = {
            MEETING_DRAFT: (0, self.meeting_guard),
            ITEM_DRAFT: (1, self.item_guard),
            NOTES_DRAFT: (3, self.notes_guard),
        }
        if draft.key == BODY_DRAFT:
            if draft.record is not None:  # the body being renamed (else a new one: no body chosen)
                self.body_choice.put(draft.record)
                if self.body_choice.value() != draft.record:
                    return False  # the body is gone: its typing is shown to copy, not put on another
                self.body_choice.showing()
                self._body_chosen()
            self.body_guard.take_back(draft)
            return True
        if draft.key not in tabs:
            return False
        tab, guard = tabs[draft.key]
        meeting = draft.scope.get("meeting") or None
        if draft.key == MEETING_DRAFT and draft.record is None:
            self.new_meeting()
        elif meeting is None or not any(r.uuid == meeting for r in self.meetings.rows):
            return False  # the meeting is gone (deleted by a merge): nothing to put the text on
        elif meeting != self.meeting_uuid:
            self._select_meeting(meeting)
            self._load_meeting()
        self.tabs.setCurrentIndex(tab)
        if draft.key == ITEM_DRAFT:
            if draft.record is None:
                self.new_item()
            else:
                self._select_item(draft.record)
        elif draft.key == NOTES_DRAFT:
            rows = [self.mode_items.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.mode_items.count())]
            if draft.record not in rows:
                return False
            self.mode_items.setCurrentRow(rows.index(draft.record))
        if guard.saving_over() != draft.record:
            return False  # the item is gone
        guard.take_back(draft)
        return True

    def _fill_meeting(self, draft: Draft) -> None:
        if self.meeting_guard.saving_over() == draft.record:
            self._put_meeting(draft.values)

    def _fill_notes(self, draft: Draft) -> None:
        if self.notes_guard.editing == draft.record:
            self._put_notes(draft.values)

    def save_current(self) -> None:
        index = self.tabs.currentIndex()
        handlers: dict[int, Callable[[], bool]] = {0: self.save_meeting, 1: self.save_item, 3: self.save_notes}
        handler = handlers.get(index)
        if handler is not None:
            handler()

    def shutdown(self) -> None:
        self.preview.clear()
        for model in (self.meetings, self.items_model, self.papers_model, self.members_model, self.packs_model):
            model.clear()


AREA = AreaSpec(
    key="meetings",
    title="Meetings",
    order=50,
    factory=MeetingsPage,
    description="Meetings, agendas, packs, printing and minutes",
)

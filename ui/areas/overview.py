"""Workspace overview: who you are (with your fingerprint), what is stored, backups and purging, the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.agencies import add_agency, list_agencies, update_agency
from app.clock import utc_now
from app.errors import WorkbenchError
from app.office.contrast import text_colour_for
from app.records import ChangeSet, UnitOfWork, naming
from app.records.audit import recent_audit
from app.records.purge import (
    PurgeResult,
    audit_entries_to_redact,
    candidate_line,
    counts_text,
    purge,
    purge_candidates,
)
from app.store.backups import list_backups, size_text
from app.text import count_of
from ui import messages
from ui.areas.base import AreaContext, AreaPage, AreaSpec
from ui.dialogs.agency import DRAFT_KEY as AGENCY_DRAFT
from ui.dialogs.agency import AgencyDialog
from ui.kit.controls import text_label
from ui.kit.edit_guard import Draft
from ui.kit.empty import explain_when_empty
from ui.overview.audit_model import AuditTableModel
from ui.widgets import vertical_scroll

if TYPE_CHECKING:
    from app.store.workspace import WorkspaceInfo

#: the key of the "Stored records" row counting the audit log's entries (the others are tables')
_AUDIT_ROW = "audit log"


def start_here_text(counts: dict[str, int]) -> str:
    """What to do first, from what the workspace holds; each step says whether it is done (not colour alone)."""
    steps = [
        (
            counts.get("agency", 0) > 0,
            "Add your partner agencies: <b>Add agency…</b> under Partner agencies "
            "below (police, health, children's social care, schools…).",
        ),
        (
            counts.get("review", 0) > 0,
            "Register a case review: open <b>Reviews</b> in the list on the left "
            "(Ctrl+2), then <b>New review…</b> (Ctrl+Shift+N).",
        ),
        (
            counts.get("chronology_entry", 0) > 0,
            "Bring in each agency's chronology: open the review, then its "
            "<b>Import</b> tab (or add entries by hand with Ctrl+N).",
        ),
        (
            counts.get("action", 0) > 0,
            "Turn recommendations into actions: the review's <b>Findings and "
            "recommendations</b> tab, <b>Create action…</b>; follow them in "
            "<b>Actions</b>.",
        ),
    ]
    if all(done for done, _ in steps):
        return (
            "<b>Your workspace is set up.</b> Press F1 for the keys of each view; lock with Ctrl+L when you "
            "leave the computer. Exchange work with colleagues in <b>Exchange</b>."
        )
    items = "".join(f"<li>{'<b>Done:</b> ' if done else ''}{text}</li>" for done, text in steps)
    following = next(i for i, (done, _) in enumerate(steps, start=1) if not done)
    return f"<b>Start here</b> (next: step {following})<ol style='margin: 0'>{items}</ol>"


class OverviewPage(AreaPage):
    def __init__(self, context: AreaContext | None = None) -> None:
        """Without a context: the widgets alone, holding nothing of any workspace, built while the lock
        screen waits (`AreaSpec.built_ahead`: about 40 ms less between the key and the first page,
        placing them included); `open_on` fills them."""
        # None until `open_on`: nothing built ahead reads the context before then, so every other
        # method may take it as there (the cast says so to mypy rather than making it Optional everywhere)
        super().__init__(cast("AreaContext", context))
        identity = QGroupBox("You")
        form = QFormLayout(identity)
        self.member_name, self.member_role, self.member_agency = QLabel(), QLabel(), QLabel()
        form.addRow("Name:", self.member_name)
        form.addRow("Role:", self.member_role)
        form.addRow("Agency:", self.member_agency)
        self.fingerprint = QLabel()
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(mono.pointSize() + 3)
        self.fingerprint.setFont(mono)
        self.fingerprint.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.fingerprint.setAccessibleName("Your key fingerprint")
        self.fingerprint.setToolTip("Read these digits aloud to a colleague to confirm your identity card.")
        form.addRow("Fingerprint:", self.fingerprint)

        self.records_box = QGroupBox("Stored records")
        # one row per kind of record: as areas add tables the list grows, so it scrolls rather than
        # forcing the window taller than a 1280x800 screen
        self.records_form = QFormLayout()
        self.records_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        #: each row's key (a table, or the audit log) -> its number and its words, in the order shown
        self._count_rows: dict[str, tuple[QLabel, QLabel]] = {}
        records_scroll = vertical_scroll(self.records_form, "Stored records by kind")
        records_scroll.setFrameShape(QFrame.Shape.NoFrame)
        QVBoxLayout(self.records_box).addWidget(records_scroll)
        self.backup_label = text_label("Last backup", wrap=True)
        backup_button = QPushButton("&Back up now")
        backup_button.setAccessibleName("Back up now")
        backup_button.clicked.connect(self.back_up)
        self.purge_button = QPushButton("&Purge records past retention…")
        self.purge_button.setAccessibleName("Purge records past retention")
        self.purge_button.setToolTip(
            "Lists the records kept past their retention (a closed case review: 35 years from closure) "
            "and, once you confirm, removes their content for good."
        )
        self.purge_button.clicked.connect(self.purge_past_retention)
        backups = QGroupBox("Backups and retention")
        backups_layout = QVBoxLayout(backups)
        backups_layout.addWidget(self.backup_label)
        backups_layout.addWidget(backup_button)
        backups_layout.addWidget(self.purge_button)

        agencies = QGroupBox("Partner agencies")
        self.agency_list = QListWidget()
        self.agency_list.setAccessibleName("Partner agencies")
        explain_when_empty(
            self.agency_list,
            "No partner agencies yet. Add each agency that returns chronologies "
            "or owns actions with Add agency… below.",
        )
        self.agency_list.itemActivated.connect(lambda _item: self.edit_agency())
        add_button = QPushButton("A&dd agency…")
        add_button.setAccessibleName("Add an agency")
        add_button.clicked.connect(self.add_agency)
        edit_button = QPushButton("&Edit agency…")
        edit_button.setAccessibleName("Edit the selected agency")
        edit_button.clicked.connect(self.edit_agency)
        agency_buttons = QHBoxLayout()
        agency_buttons.addWidget(add_button)
        agency_buttons.addWidget(edit_button)
        agencies_layout = QVBoxLayout(agencies)
        agencies_layout.addWidget(self.agency_list)
        agencies_layout.addLayout(agency_buttons)

        self.agency_list.setWordWrap(True)  # long agency names wrap instead of being cut off at 1280 px
        self.start_here = QLabel()
        self.start_here.setObjectName("startHere")
        self.start_here.setAccessibleName("What to do first")
        self.start_here.setWordWrap(True)
        self.start_here.setTextFormat(Qt.TextFormat.RichText)
        self.start_here.setStyleSheet(
            "QLabel#startHere { background: #eef4fb; border: 1px solid #9fb8d6; padding: 8px; }"
        )
        left = QVBoxLayout()
        left.addWidget(identity)
        left.addWidget(backups)
        left.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addWidget(agencies, 4)
        top.addWidget(self.records_box, 2)

        self.audit_model = AuditTableModel()
        self._audit_loaded_once = False
        self.audit_proxy = QSortFilterProxyModel(self)
        self.audit_proxy.setSourceModel(self.audit_model)
        self.audit_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.audit_proxy.setFilterKeyColumn(-1)
        self.audit_filter = QLineEdit()
        self.audit_filter.setPlaceholderText("Filter the audit log…")
        self.audit_filter.setAccessibleName("Filter the audit log")
        self.audit_filter.setClearButtonEnabled(True)
        self.audit_filter.textChanged.connect(self.audit_proxy.setFilterFixedString)
        self.audit_view = QTableView()
        self.audit_view.setModel(self.audit_proxy)
        self.audit_view.setAccessibleName("Audit log")
        self.audit_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.audit_view.setSortingEnabled(True)
        self.audit_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.audit_view.verticalHeader().hide()
        self.audit_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # sizing columns to every one of 1,000 rows cost half a second at unlock; the first rows show the widths
        self.audit_view.horizontalHeader().setResizeContentsPrecision(60)
        audit_box = QGroupBox("Audit log (every change, hash-chained)")
        audit_layout = QVBoxLayout(audit_box)
        audit_layout.addWidget(self.audit_filter)
        audit_layout.addWidget(self.audit_view)

        layout = QVBoxLayout(self)
        layout.addWidget(self.start_here)
        layout.addLayout(top)
        layout.addWidget(audit_box, 1)
        self._backup_action = QAction("Back up now", self)
        self._backup_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self._backup_action.triggered.connect(self.back_up)
        if context is not None:
            self.open_on(context)

    def open_on(self, context: AreaContext) -> None:
        super().open_on(context)
        member = context.workspace.member
        self.member_name.setText(member.display_name)
        self.member_role.setText(member.role)
        self.member_agency.setText(member.agency)
        self.fingerprint.setText(_two_lines(member.fingerprint))
        self.reload()

    def reload(self) -> None:
        info = self.context.workspace.info()
        counts = info["records"]
        self._show_counts(info)
        self.start_here.setText(start_here_text(counts))
        last = self.context.workspace.last_backup
        points = info["backups"]
        self.backup_label.setText(
            f"{points} encrypted restore point{'' if points == 1 else 's'}, "
            f"{size_text(info['backup_bytes'])} on disk "
            "(kept by age: the newest ten, one a day for a fortnight, one a week for three months)."
            + (f"\nLatest: {_local_time(last)}" if last else "")
        )
        with self.context.workspace.reading() as session:
            agencies = [(a.uuid, a.name, a.short_name, a.sector, a.colour) for a in list_agencies(session)]
        self.agency_list.clear()
        for uuid, name, short, sector, colour in agencies:
            item = QListWidgetItem(f"{short} — {name}" + (f" ({sector})" if sector else ""))
            item.setData(Qt.ItemDataRole.UserRole, (uuid, name, short, sector, colour))
            item.setBackground(QColor(colour))
            item.setForeground(QColor(text_colour_for(colour)))
            self.agency_list.addItem(item)
        # the audit log (1,000 rows, sorted and sized) fills once the page is painted: usable first
        if self._audit_loaded_once:
            QTimer.singleShot(0, self, self._load_audit)
        else:
            from ui.warmup import after_first_paint

            after_first_paint(self.audit_view, self._load_audit)

    def _show_counts(self, info: WorkspaceInfo) -> None:
        """The "Stored records" rows, one per kind as users call them (links between records are not
        counted) and the audit log's. The first fill makes them; later refreshes (each change, the backup
        that follows an unlock) set the numbers in the labels shown: making ~35 rows again each time cost
        about 10 ms, and as much again to lay them out. The rows are made again only if the kinds change."""
        rows = {
            table: (naming.kind_plural(table), count)
            for table, count in info["records"].items()
            if naming.counted(table)
        }
        rows[_AUDIT_ROW] = ("Changes in the audit log", info["audit_entries"])
        if list(rows) != list(self._count_rows):
            while self.records_form.rowCount():
                self.records_form.removeRow(0)
            self._count_rows = {}
            for key, (kind, _count) in rows.items():
                # the count first, right-aligned: a narrow window wraps the words, never hides the number
                number = QLabel()
                number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                words = QLabel(kind)
                words.setWordWrap(True)
                self.records_form.addRow(number, words)
                self._count_rows[key] = (number, words)
        for key, (kind, count) in rows.items():
            number, words = self._count_rows[key]
            number.setText(f"{count:,}")
            words.setAccessibleName(f"{kind}: {count:,}")

    def _load_audit(self) -> None:
        self._audit_loaded_once = True
        workspace = self.context.workspace
        if workspace is None or workspace.is_locked:
            return  # locked before the log came in: nothing to show
        with workspace.reading() as session:
            self.audit_model.set_rows(recent_audit(session))
        self.audit_view.resizeColumnsToContents()

    def add_agency(self) -> None:
        self._agency_dialog(None)

    def edit_agency(self) -> None:
        item = self.agency_list.currentItem()
        if item is None:
            self.context.show_status("Select an agency to edit.")
            return
        self._agency_dialog(item.data(Qt.ItemDataRole.UserRole))

    def _agency_dialog(self, current: tuple[str, str, str, str, str] | None) -> None:
        def save(name: str, short: str, sector: str, colour: str, refused: Callable[[WorkbenchError], None]) -> bool:
            def work(uow: UnitOfWork) -> None:
                if current is None:
                    add_agency(uow, name, short, sector, colour)
                else:
                    update_agency(uow, current[0], name=name, short_name=short, sector=sector, colour=colour)

            return self.context.write("Agency not saved", work, initiator=self, on_refused=refused)

        fields = (
            {}
            if current is None
            else dict(name=current[1], short_name=current[2], sector=current[3], colour=current[4])
        )
        self.dialog = AgencyDialog(save, self, **fields, agency_uuid=None if current is None else current[0])
        self.dialog.open()

    def restore_draft(self, draft: Draft) -> bool:
        """An agency dialog open at the lock: open it again for the same agency, with what was typed."""
        if draft.key != AGENCY_DRAFT:
            return False
        current = None
        if draft.record is not None:
            with self.context.workspace.reading() as session:
                found = [a for a in list_agencies(session) if a.uuid == draft.record]
                current = next(((a.uuid, a.name, a.short_name, a.sector, a.colour) for a in found), None)
            if current is None:
                return False  # the agency is gone (a merge deleted it): nothing to put the edits on
        self._agency_dialog(current)
        self.dialog.guard.take_back(draft)
        return True

    def back_up(self) -> None:
        workspace = self.context.workspace

        def done(path: Path) -> None:
            workspace.last_backup = path
            self.context.show_status(f"Backup written and verified: {path.name}")
            self.reload()

        self.context.run("Writing and verifying an encrypted backup…", lambda _p: workspace.backup(), done)

    def purge_past_retention(self) -> None:
        """List what is past retention (read in the background: every closed record's dates), ask,
        then purge it in one unit of work (docs/merge.md)."""
        workspace = self.context.workspace
        today = utc_now().date()

        def find(_progress: Any) -> tuple[list[Any], int]:
            with workspace.reading() as session:
                candidates = purge_candidates(session, today)
                return candidates, audit_entries_to_redact(session, candidates)

        self.context.run(
            "Finding records past their retention…", find, lambda found: self._confirm_purge(found[0], found[1], today)
        )

    def _confirm_purge(self, candidates: list[Any], entries: int, today: date) -> None:
        if not candidates:
            self.context.show_status("No records are past their retention; nothing to purge.")
            return
        total = sum(c.total for c in candidates)
        shown = "\n".join(f"• {candidate_line(c)}" for c in candidates[:15])
        if len(candidates) > 15:
            shown += f"\n… and {len(candidates) - 15} more"
        text = (
            f"These records are past their retention ({count_of(total, 'record')} with what belongs to them):\n\n{shown}\n\n"
            "Their content will be removed for good. Each stays as an empty tombstone, which your next "
            "bundles send to the other members so their copies are purged too. The audit log keeps who "
            f"changed them and when, but the content of its {count_of(entries, 'entry')} about them is emptied too."
        )
        if not messages.confirm(self, "Purge records past retention", text, "Purge"):
            return

        def done(result: PurgeResult) -> None:
            self.context.show_status(
                f"Purged {count_of(result.total, 'record')}: {counts_text(result.counts)}; "
                f"{count_of(result.redacted, 'audit entry')} emptied."
            )
            self._offer_to_replace_restore_points()

        uuids = [c.uuid for c in candidates]
        self.context.write(
            "Purge records past retention", lambda uow: purge(uow, today, expected=uuids), initiator=self, on_done=done
        )

    def _offer_to_replace_restore_points(self) -> None:
        """The restore points made before a purge are whole copies it cannot reach into: ask."""
        workspace = self.context.workspace
        older = len(list_backups(workspace.path))
        if not older or not messages.confirm(
            self,
            "Restore points made before the purge",
            f"{count_of(older, 'restore point')} made before the purge still "
            f"{'holds' if older == 1 else 'hold'} the purged content until "
            f"{'it ages' if older == 1 else 'they age'} out (named points until deleted).\n\n"
            "Replace them with one new restore point now? You can then no longer go back to before the purge.",
            "Replace restore points",
        ):
            return

        def replaced(removed: int) -> None:
            self.context.show_status(
                f"Made a new restore point and removed the {count_of(removed, 'older one')}: "
                "no restore point holds the purged content any more."
            )
            self.reload()

        self.context.run(
            "Writing a new restore point and removing the older ones…",
            lambda _p: workspace.replace_restore_points(),
            replaced,
        )

    def on_backed_up(self) -> None:
        self.reload()  # the restore point count and "Latest" were read before the backup

    def on_changes(self, changes: ChangeSet) -> None:
        self.reload()

    def area_actions(self) -> list[QAction]:
        return [self._backup_action]

    def shutdown(self) -> None:
        self.audit_model.clear()


AREA = AreaSpec(
    key="overview",
    title="Workspace",
    order=0,
    factory=OverviewPage,
    built_ahead=OverviewPage,
    description="Your identity, stored records, backups and the audit log",
)


def _two_lines(fingerprint: str) -> str:
    """Eight groups of digits as two rows of four: read aloud in halves, and fits a laptop screen."""
    groups = fingerprint.split()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


def _local_time(backup: Path) -> str:
    return datetime.fromtimestamp(backup.stat().st_mtime).strftime("%d/%m/%Y %H:%M")

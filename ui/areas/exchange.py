"""Exchange area: contacts, creating and importing bundles, their history, and conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.exchange import contacts as contacts_service
from app.exchange import service
from app.records import ChangeSet, UnitOfWork
from app.store.user_files import write_user_file
from app.store.workspace import Workspace
from app.text import count_of
from ui import messages
from ui.areas.base import AreaContext, AreaPage, AreaSpec
from ui.exchange.dialogs import (
    CreateBundleDialog,
    FingerprintDialog,
    ImportPreviewDialog,
)
from ui.exchange.models import ConflictsModel, ContactsModel, HistoryModel
from ui.kit.controls import button, row_of, text_label
from ui.kit.empty import explain_when_empty
from ui.kit.files import open_file, save_file
from ui.kit.mnemonics import STANDARD_TEXTS
from ui.kit.table_model import current_row
from ui.messages import reports_errors, show_info
from ui.widgets import record_table


class ExchangePage(AreaPage):
    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self.setAcceptDrops(True)
        self.contacts_model = ContactsModel()
        self.history_model = HistoryModel()
        self.conflicts_model = ConflictsModel()
        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName("Exchange views")  # screen readers announce the tab bar too
        self.tabs.setAccessibleName("Exchange sections")
        self.tabs.addTab(self._contacts_tab(), "C&ontacts")
        self.tabs.addTab(self._bundles_tab(), "&Bundles")
        self.conflicts_index = self.tabs.addTab(self._conflicts_tab(), "Conf&licts")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self._actions = []
        for text, shortcut, slot in (
            ("Create bundle…", "Ctrl+Shift+E", self.create_bundle),
            ("Import bundle…", "Ctrl+Shift+I", self.choose_bundle),
            ("Import identity card…", "Ctrl+Shift+K", self.import_card),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            self._actions.append(action)
        self.reload()

    # -- layout ----------------------------------------------------------------

    def _contacts_tab(self) -> QWidget:
        tab = QWidget()
        self.contacts_view = record_table(
            self.contacts_model,
            "Contacts",
            empty=(
                "No contacts yet. Export your identity card, import your colleagues' "
                "cards and compare fingerprints aloud before trusting them."
            ),
        )
        buttons = QHBoxLayout()
        for text, name, slot in (
            ("&Import identity card…", "Import identity card", self.import_card),
            ("E&xport my card…", "Export my identity card", self.export_card),
            ("&Trust…", "Trust the selected contact", self.trust_selected),
            ("&Revoke", "Revoke the selected contact", self.revoke_selected),
        ):
            buttons.addWidget(button(text, name, slot))
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        note = QLabel("Trust a contact only after comparing their fingerprint with them by phone or in person.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.contacts_view)
        return tab

    def _bundles_tab(self) -> QWidget:
        tab = QWidget()
        self.history_view = record_table(
            self.history_model,
            "Bundles sent and received",
            empty=(
                "No bundles sent or received yet. Create a bundle for trusted "
                "contacts, or import one (you can drop the file here)."
            ),
        )
        buttons = row_of(
            button("&Create bundle…", "Create bundle", self.create_bundle),
            button("I&mport bundle…", "Import bundle", self.choose_bundle),
        )
        drop = text_label("Drop a bundle file here", "Or drop a bundle file anywhere on this page to import it.")
        layout = QVBoxLayout(tab)
        layout.addLayout(buttons)
        layout.addWidget(drop)
        layout.addWidget(QLabel("History"))
        layout.addWidget(self.history_view)
        return tab

    def _conflicts_tab(self) -> QWidget:
        tab = QWidget()
        self.conflicts_view = record_table(self.conflicts_model, "Conflicts")
        # readable at 1280 px: the two values share the width and wrap; the rest fit their text
        self.conflicts_view.setWordWrap(True)
        self.conflicts_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        conflict_header = self.conflicts_view.horizontalHeader()
        for column in range(self.conflicts_model.columnCount()):
            conflict_header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if column in (2, 4) else QHeaderView.ResizeMode.ResizeToContents
            )
        explain_when_empty(
            self.conflicts_view,
            "No conflicts. When two members change the same thing, the value "
            "replaced by the merge is listed here to keep or restore.",
        )
        self.conflicts_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_comparison())
        self.comparison = text_label(
            "Comparison of the selected conflict",
            "Select a conflict to compare the value in use with the one it replaced.",
            wrap=True,
        )
        self.comparison.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = button("Re&store the replaced value", "Restore the replaced value", self.restore_selected)
        self.keep_button = button("&Keep the value in use", "Keep the value in use", self.keep_selected)
        buttons = row_of(self.restore_button, self.keep_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.conflicts_view, 1)
        layout.addWidget(self.comparison)
        layout.addLayout(buttons)
        return tab

    # -- data -------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    def reload(self) -> None:
        with self.workspace.reading() as session:
            self.contacts_model.set_rows(contacts_service.list_contacts(session))
            self.history_model.set_rows(service.history(session))
            self.conflicts_model.set_rows(service.list_conflicts(self.workspace, session))
        count = sum(1 for conflict in self.conflicts_model.rows if conflict.resolution is None)
        self.tabs.setTabText(self.conflicts_index, f"Conf&licts ({count} unresolved)")
        self._show_comparison()

    def on_changes(self, changes: ChangeSet) -> None:
        if not self.context.made_by(self):  # its own writes reload once they are done
            self.reload()

    def main_view(self) -> QWidget | None:
        return self.contacts_view

    def area_actions(self) -> list[QAction]:
        return list(self._actions)

    def shutdown(self) -> None:
        for model in (self.contacts_model, self.history_model, self.conflicts_model):
            model.clear()

    def _changed(self, message: str) -> None:
        self.context.show_status(message)
        self.reload()

    # -- contacts ---------------------------------------------------------------

    def import_card(self) -> None:
        name = open_file(self, "Import identity card", "Identity cards (*.card *.json)")
        if name:
            self.import_card_file(Path(name))

    @reports_errors("Identity card not imported")
    def import_card_file(self, path: Path, *, confirm: bool = True) -> None:
        card = contacts_service.read_card(path.read_bytes()[: 64 * 1024 + 1])
        fingerprint = contacts_service.card_fingerprint(card)
        trust = False
        if confirm:
            dialog = FingerprintDialog(card.display_name, fingerprint, self)
            trust = dialog.exec() == QDialog.DialogCode.Accepted
        own = contacts_service.member_keys(self.workspace.key_pairs).key_id
        self.context.write(
            "Identity card not imported",
            lambda uow: contacts_service.import_card(uow, card, trust=trust, own_key_id=own),
            initiator=self,
            on_done=lambda view: self._changed(f"{view.display_name} added ({view.status})."),
        )

    def export_card(self) -> None:
        name = save_file(self, "Export my identity card", "my-identity.card", "Identity cards (*.card)")
        if name:
            member = self.workspace.member
            write_user_file(
                Path(name),
                contacts_service.export_own_card(
                    self.workspace.key_pairs, display_name=member.display_name, agency=member.agency, role=member.role
                ),
                overwrite=True,  # the save dialog asked before replacing
            )
            self.context.show_status(f"Identity card written. Your fingerprint: {member.fingerprint}")

    @reports_errors("Not trusted")
    def trust_selected(self) -> None:
        contact = current_row(self.contacts_view)
        if contact is None:
            return
        if FingerprintDialog(contact.display_name, contact.fingerprint, self).exec() == QDialog.DialogCode.Accepted:
            self.context.write(
                "Not trusted",
                lambda uow: contacts_service.trust_contact(uow, contact.key_id),
                initiator=self,
                on_done=lambda _: self._changed(f"{contact.display_name} is trusted."),
            )

    @reports_errors("Not revoked")
    def revoke_selected(self) -> None:
        contact = current_row(self.contacts_view)
        if contact is not None and messages.confirm(
            self,
            "Revoke contact",
            f"Revoke {contact.display_name}? Their bundles will be refused from now "
            "on, and they cannot be trusted again with the same keys.",
            "Revoke",
        ):
            self.context.write(
                "Not revoked",
                lambda uow: contacts_service.revoke_contact(uow, contact.key_id),
                initiator=self,
                on_done=lambda _: self._changed(f"{contact.display_name} is revoked; their bundles will be refused."),
            )

    # -- bundles ------------------------------------------------------------------

    def create_bundle(self) -> None:
        workspace = self.workspace
        dialog = CreateBundleDialog(
            self.contacts_model.rows,
            lambda to, scope, passphrase_only: service.preview_export(
                workspace, to, scope, passphrase_only=passphrase_only
            ),
            self,
        )
        if not self.confirm_create(dialog):
            return
        self.save_bundle(
            dialog.chosen_recipients(),
            dialog.scope(),
            dialog.output_path(),
            dialog.chosen_passphrase(),
            overwrite=dialog.overwrite_confirmed(),
        )

    def confirm_create(self, dialog: CreateBundleDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def save_bundle(
        self, to: list[str], scope: service.Scope, out: Path, passphrase: str | None, *, overwrite: bool = False
    ) -> None:
        """In the background with progress; cancelling is safe until the file is written."""
        workspace = self.workspace
        self.context.run(
            "Creating the bundle…",
            lambda progress: service.export_bundle(
                workspace,
                to,
                scope,
                out,
                passphrase=passphrase,
                progress=progress.report,
                checkpoint=progress.check,
                overwrite=overwrite,
            ),
            lambda result: self._changed(f"Bundle of {count_of(result.total, 'record')} saved to {result.path}."),
            cancellable=True,
        )

    def choose_bundle(self) -> None:
        name = open_file(self, "Import bundle", "Workbench bundles (*.bundle);;All (*)")
        if name:
            self.import_file(Path(name))

    def ask_bundle_passphrase(self, path: Path) -> str | None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Passphrase bundle")
        dialog.setAccessibleName("Passphrase bundle")
        dialog.setLabelText(f"{path.name} is protected by a passphrase only (weaker than member keys). Its passphrase:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setOkButtonText(STANDARD_TEXTS["Ok"])  # Alt+O, as in every OK / Cancel dialog
        try:
            ok = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.textValue() if ok and dialog.textValue() else None
        finally:
            dialog.deleteLater()

    @reports_errors("Bundle not imported")
    def import_file(
        self, path: Path, passphrase: str | None = None, trust: service.UnknownSender | None = None
    ) -> None:
        """Check in the background (decrypt, verify, validate, plan) with progress, then preview."""
        workspace = self.workspace
        data = service.read_bundle_file(path)
        if passphrase is None and service.needs_passphrase(data):
            passphrase = self.ask_bundle_passphrase(path)
            if passphrase is None:
                return

        def check(progress: Any) -> Any:
            try:
                return service.import_bundle(
                    workspace,
                    data,
                    dry_run=True,
                    passphrase=passphrase,
                    progress=progress.report,
                    checkpoint=progress.check,
                    trust_sender=trust,
                    confirmed_fingerprint=trust.fingerprint if trust else "",
                )
            except service.UnknownSender as refusal:
                return refusal

        self.context.run(
            "Checking the bundle…",
            check,
            lambda result: self._previewed(path, data, passphrase, result, trust),
            cancellable=True,
        )

    def _previewed(
        self, path: Path, data: bytes, passphrase: str | None, result: Any, trust: service.UnknownSender | None
    ) -> None:
        if isinstance(result, service.UnknownSender):
            dialog = FingerprintDialog(result.sender_name, result.fingerprint, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                # trusted together with the import, in its transaction: nothing if the import fails
                self.import_file(path, passphrase, trust=result)
            return
        if not self.confirm_import(result):
            return
        workspace = self.workspace
        # Cancel works until applying starts (the service checks only before it); then it runs to the end.
        self.context.run(
            "Importing the bundle…",
            lambda progress: service.import_bundle(
                workspace,
                data,
                passphrase=passphrase,
                progress=progress.report,
                checkpoint=progress.check,
                trust_sender=trust,
                confirmed_fingerprint=trust.fingerprint if trust else "",
            ),
            self._imported,
            cancellable=True,
        )

    def confirm_import(self, report: service.BundleImportReport) -> bool:
        return ImportPreviewDialog(report, self).exec() == QDialog.DialogCode.Accepted

    def _imported(self, report: service.BundleImportReport) -> None:
        if report.totals.get("conflicts"):  # conflicts alone (no record changed) still move the status count
            report.changes.updated["conflict_log"].add(report.bundle_id)
        self.context.publish(report.changes, self)
        self.reload()
        show_info(self, "Bundle imported", "\n".join(report.lines()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                event.acceptProposedAction()
                self.import_file(Path(url.toLocalFile()))
                return

    # -- conflicts --------------------------------------------------------------

    def _show_comparison(self) -> None:
        conflict = current_row(self.conflicts_view)
        self.restore_button.setEnabled(conflict is not None and conflict.restorable)
        self.keep_button.setEnabled(conflict is not None and conflict.resolution is None)
        if conflict is None:
            self.comparison.setText("Select a conflict to compare the value in use with the one it replaced.")
            return
        why = (
            ""
            if conflict.restorable or conflict.resolution
            else "\nOpen the record and correct it, then mark this settled with “Keep the value in use”."
            if conflict.is_rule
            else "\nThe replaced value cannot be restored (the record was deleted)."
        )
        self.comparison.setText(
            f"{conflict.record_title} — {conflict.field_title}\n"
            f"Value in use now (entered by {conflict.winning_by}):\n    "
            + conflict.current_text.replace("\n", "\n    ")
            + f"\nReplaced value (entered by {conflict.losing_by}, kept in this log):\n    "
            + conflict.losing_text.replace("\n", "\n    ")
            + why
            + (f"\n{conflict.resolved_text} (listed until the next import)" if conflict.resolution else "")
        )

    @reports_errors("Conflict not resolved")
    def _resolve(self, restore: bool) -> None:
        conflict = current_row(self.conflicts_view)
        if conflict is None:
            return
        where = f"{conflict.field_title} of {conflict.record_title}"
        question = (
            f"Restore the replaced value of {where}?\n\n{conflict.losing_text}\n\n"
            "The value in use now is replaced by it everywhere once you next exchange bundles."
            if restore
            else f"Keep the value in use for {where} and mark this settled? The replaced value stays in the log."
        )
        if not messages.confirm(self, "Resolve conflict", question, "Restore" if restore else "Keep current"):
            return

        def resolve(uow: UnitOfWork) -> None:
            service.resolve_conflict(uow, conflict.id, restore=restore)
            # "Keep" changes no exchangeable record; say the log changed so the status bar count refreshes
            uow.changes.updated["conflict_log"].add(str(conflict.id))

        if self.context.write("Conflict not resolved", resolve, initiator=self):
            self.reload()
            self.context.show_status("Replaced value restored." if restore else "Value in use kept.")

    def restore_selected(self) -> None:
        self._resolve(True)

    def keep_selected(self) -> None:
        self._resolve(False)


def conflict_status(workspace: Workspace) -> str:
    with workspace.reading() as session:
        count = service.unresolved_conflict_count(session)
    return f"{count_of(count, 'unresolved conflict')}" if count else ""


AREA = AreaSpec(
    key="exchange",
    title="Exchange",
    order=80,
    factory=ExchangePage,
    description="Contacts, encrypted bundles, their history and merge conflicts",
    status_provider=conflict_status,
)

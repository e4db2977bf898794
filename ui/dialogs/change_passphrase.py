"""Change the passphrase: re-keys into a new verified file, then switches."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from app.errors import WorkbenchError
from app.store.workspace import Workspace
from ui.messages import show_error
from ui.operations import Operation
from ui.widgets import StrengthMeter, cancel_or, lay_out_dialog, passphrase_edit


class ChangePassphraseDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._operation: Operation | None = None
        self.setWindowTitle("Change passphrase")
        self.setAccessibleName("Change passphrase")
        self.current = passphrase_edit("Current passphrase")
        self.new = passphrase_edit("New passphrase", "12 characters or more")
        self.repeat = passphrase_edit("Repeat new passphrase")
        self.meter = StrengthMeter()
        form = QFormLayout()
        form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.new)
        form.addRow("", self.meter)
        form.addRow("&Repeat:", self.repeat)
        note = QLabel("Backups made before the change still open with the old passphrase.")
        note.setWordWrap(True)
        self.buttons, self.change_button = cancel_or(self, "C&hange", "Change passphrase", self._change)
        lay_out_dialog(self, (form, note, self.buttons), self.change_button)
        self.new.textChanged.connect(self.meter.update_for)
        for edit in (self.current, self.new, self.repeat):
            edit.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        self.change_button.setEnabled(
            bool(self.current.text()) and self.meter.acceptable and self.new.text() == self.repeat.text()
        )

    def _change(self) -> None:
        if not self.change_button.isEnabled():
            return
        current, new = self.current.text(), self.new.text()
        self.change_button.setEnabled(False)
        self._operation = Operation(
            self,
            "Re-encrypting the workspace with the new passphrase…",
            lambda _p: self.workspace.change_passphrase(current, new),
            lambda _r: self.accept(),
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self._validate()
        show_error(self, "Passphrase not changed", error.message if isinstance(error, WorkbenchError) else str(error))

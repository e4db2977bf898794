"""Restore a backup: choose one, give the passphrase it was made under."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import WorkbenchError
from app.store.backups import list_backups
from app.store.workspace import restore
from ui.messages import show_error
from ui.operations import Operation
from ui.widgets import passphrase_edit


class RestoreDialog(QDialog):
    def __init__(self, workspace_path: Path, parent: QWidget | None = None,
                 before_restore: Callable[[], None] = lambda: None) -> None:
        super().__init__(parent)
        self.workspace_path = Path(workspace_path)
        self._before_restore = before_restore  # locks the open workspace, only once the user commits
        self._operation: Operation | None = None
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")
        self.setMinimumWidth(520)
        self.list = QListWidget()
        self.list.setAccessibleName("Backups, newest first")
        for backup in list_backups(self.workspace_path):
            item = QListWidgetItem(f"{backup.created}  —  {backup.note}  ({backup.path.name})")
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.passphrase = passphrase_edit("Passphrase of the backup")
        form = QFormLayout()
        form.addRow("&Passphrase of that backup:", self.passphrase)
        note = QLabel("The current state is kept as a “pre-restore” backup, so this can be undone.")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.setEnabled(self.list.count() > 0)
        self.buttons.accepted.connect(self._restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("&Backups:", buddy=self.list))
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.restore_button.setDefault(True)  # only takes once the button is inside the dialog

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        backup = Path(item.data(Qt.ItemDataRole.UserRole))
        passphrase = self.passphrase.text()
        self.restore_button.setEnabled(False)
        self._before_restore()
        self._operation = Operation(self, "Checking and restoring the backup…",
                                    lambda _p: restore(self.workspace_path, backup, passphrase),
                                    lambda _r: self.accept(), self._failed)

    def _failed(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        self.passphrase.clear()
        show_error(self, "Not restored", error.message if isinstance(error, WorkbenchError) else str(error))

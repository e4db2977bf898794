"""Unlock dialog: keeps asking until the passphrase opens the store or the user cancels."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from app.errors import WorkbenchError
from ui import settings
from ui.messages import show_error
from ui.operations import Operation, Progress
from ui.widgets import cancel_or, lay_out_dialog, passphrase_edit

if TYPE_CHECKING:  # the database stack loads in the worker that unlocks, not to show this dialog
    from app.store.workspace import Workspace


class UnlockDialog(QDialog):
    unlocked = Signal(object)  # Workspace

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.workspace: Workspace | None = None
        self._operation: Operation | None = None
        self.setWindowTitle("Unlock workspace")
        self.setAccessibleName("Unlock workspace")
        intro = QLabel(f"Enter the passphrase of the workspace <b>{self.path.name}</b><br><small>{self.path}</small>")
        intro.setWordWrap(True)
        self.passphrase = passphrase_edit("Passphrase")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        self.buttons, self.unlock_button = cancel_or(self, "&Unlock", "Unlock", self._try_unlock)
        lay_out_dialog(self, (intro, form, self.buttons), self.unlock_button)
        # wide enough for its title bar ("Unlock workspace — Safeguarding Workbench") and, within reason, the path
        em = self.fontMetrics().horizontalAdvance("m")
        self.setMinimumWidth(min(max(34 * em, self.fontMetrics().horizontalAdvance(str(self.path)) + 4 * em), 60 * em))
        self.passphrase.setFocus()

    def _try_unlock(self) -> None:
        if self._operation is not None and self._operation.running:
            return
        passphrase = self.passphrase.text()
        self._set_busy(True)
        keep = settings.BACKUPS_TO_KEEP.get()

        def unlock(progress: Progress) -> Workspace:
            from app.store.workspace import Workspace

            # the backup on unlock follows in the background (MainWindow); one before migrating stays here
            return Workspace.open(
                self.path,
                passphrase,
                backup_on_unlock=False,
                keep_backups=keep,
                on_step=lambda text: progress.report(0, 0, text),
            )

        self._operation = Operation(
            self, "Deriving the key and checking the workspace…", unlock, self._on_unlocked, self._on_failed
        )

    def _on_unlocked(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.passphrase.clear()
        self.unlocked.emit(workspace)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        message = error.message if isinstance(error, WorkbenchError) else f"Could not open the workspace: {error}"
        show_error(self, "Cannot unlock", message)

    def _set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

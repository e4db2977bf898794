"""Restore a backup: choose one, give the passphrase it was made under."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.errors import WorkbenchError
from app.store.backups import KIND_LABELS, BackupInfo, RestorePointView, list_backups, size_text
from app.store.provenance import BackupOfAnother
from app.store.workspace import restore
from app.text import count_of
from ui.kit.controls import caption_for
from ui.messages import confirm, show_error
from ui.operations import Operation
from ui.widgets import cancel_or, lay_out_dialog, passphrase_edit


def point_text(view: RestorePointView) -> str:
    """One line a user can choose by: when, what kind, why, how big, and what changed since."""
    point: BackupInfo = view.point
    when = point.created_at.strftime("%d/%m/%Y %H:%M UTC")
    parts = [when, KIND_LABELS.get(point.kind, point.kind)]
    if point.note:
        parts.append(point.note)
    parts.append(size_text(point.size_bytes))
    if view.of_another_workspace:
        parts.append("of another workspace")
    elif view.changes_since is not None:
        parts.append(
            "no changes since" if view.changes_since == 0 else f"{count_of(view.changes_since, 'change')} since"
        )
    return "  ·  ".join(parts)


class RestoreDialog(QDialog):
    def __init__(
        self,
        workspace_path: Path,
        parent: QWidget | None = None,
        before_restore: Callable[[], None] = lambda: None,
        points: list[RestorePointView] | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace_path = Path(workspace_path)
        self._before_restore = before_restore  # locks the open workspace, only once the user commits
        self._operation: Operation | None = None
        self.setWindowTitle("Restore from a restore point")
        self.setAccessibleName("Restore from backup")
        self.setMinimumWidth(760)  # a point's date, kind, name, size and changes on one line
        self.list = QListWidget()
        self.list.setAccessibleName("Restore points, newest first")
        self.list.setWordWrap(True)
        views = (
            points if points is not None else [RestorePointView(b, None, {}) for b in list_backups(self.workspace_path)]
        )
        for view in views:
            item = QListWidgetItem(point_text(view))
            item.setData(Qt.ItemDataRole.UserRole, str(view.point.path))
            item.setToolTip(view.point.path.name)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.passphrase = passphrase_edit("Passphrase of the backup")
        form = QFormLayout()
        form.addRow("&Passphrase of that backup:", self.passphrase)
        note = QLabel("The current state is kept as a “pre-restore” backup, so this can be undone.")
        note.setWordWrap(True)
        self.buttons, self.restore_button = cancel_or(self, "&Restore", "Restore the selected backup", self._restore)
        self.restore_button.setEnabled(self.list.count() > 0)
        caption = caption_for(
            "Restore p&oints (newest first; kept by age: the newest ten, one a day "
            "for a fortnight, one a week for three months):",
            self.list,
        )
        caption.setWordWrap(True)
        lay_out_dialog(self, (caption, self.list, form, note, self.buttons), self.restore_button)

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.restore_button.setEnabled(False)
        self._before_restore()
        self._start(Path(item.data(Qt.ItemDataRole.UserRole)), self.passphrase.text(), even_if_not_ours=False)

    def _start(self, backup: Path, passphrase: str, *, even_if_not_ours: bool) -> None:
        """Check and restore in the background; a backup that is not ours is asked about, then tried again."""

        def failed(error: BaseException) -> None:
            if not isinstance(error, BackupOfAnother):
                self._failed(error)
            elif confirm(
                self, "Restore this backup?", f"{error.message}\n\nNothing has changed yet.", "Restore anyway"
            ):
                self._start(backup, passphrase, even_if_not_ours=True)
            else:  # the user said no: no second message repeating what they just declined
                self._ready_again()

        self._operation = Operation(
            self,
            "Checking and restoring the backup…",
            lambda _p: restore(self.workspace_path, backup, passphrase, even_if_not_ours=even_if_not_ours),
            lambda _r: self.accept(),
            failed,
        )

    def _ready_again(self) -> None:
        self.restore_button.setEnabled(True)
        self.passphrase.clear()

    def _failed(self, error: BaseException) -> None:
        self._ready_again()
        show_error(self, "Not restored", error.message if isinstance(error, WorkbenchError) else str(error))

"""Preferences: only non-secret settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import settings
from ui.widgets import accept_or_cancel


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.idle = QSpinBox()
        self.idle.setRange(1, 240)
        self.idle.setSuffix(" minutes")
        self.idle.setValue(settings.IDLE_LOCK_MINUTES.get())
        self.idle.setAccessibleName("Lock after idle minutes")
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(settings.BACKUPS_TO_KEEP.get())
        self.keep.setAccessibleName("Backups to keep")
        form = QFormLayout()
        form.addRow("&Lock after no activity for:", self.idle)
        form.addRow("&Backups to keep:", self.keep)
        buttons, _ok = accept_or_cancel(self, self._save, QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _save(self) -> None:
        settings.IDLE_LOCK_MINUTES.set(self.idle.value())
        settings.BACKUPS_TO_KEEP.set(self.keep.value())
        self.accept()

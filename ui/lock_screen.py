"""What the window shows when no workspace is unlocked: open, create, or unlock."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.store.names import is_workspace
from ui import settings


class LockScreen(QWidget):
    unlock_requested = Signal()
    open_requested = Signal()
    create_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.detail = QLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.unlock_button = QPushButton("&Unlock…")
        self.unlock_button.setAccessibleName("Unlock the workspace")
        self.unlock_button.clicked.connect(self.unlock_requested)
        open_button = QPushButton("&Open workspace…")
        open_button.setAccessibleName("Open a workspace")
        open_button.clicked.connect(self.open_requested)
        create_button = QPushButton("&New workspace…")
        create_button.setAccessibleName("Create a new workspace")
        create_button.clicked.connect(self.create_requested)
        buttons = QHBoxLayout()
        buttons.addStretch()
        for button in (self.unlock_button, open_button, create_button):
            buttons.addWidget(button)
        buttons.addStretch()
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent workspaces")
        self.recent.setMaximumWidth(640)
        self.recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_label = QLabel("&Recent workspaces:", buddy=self.recent)
        column = QVBoxLayout()
        column.addStretch()
        column.addWidget(self.title)
        column.addWidget(self.detail)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(18)
        column.addWidget(self.recent_label, alignment=Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.recent, alignment=Qt.AlignmentFlag.AlignHCenter)
        column.addStretch()
        self.setLayout(column)

    def show_state(self, path: Path | None, reason: str = "") -> None:
        if path is None:
            self.title.setText("Safeguarding Workbench")
            self.detail.setText("Open a workspace or create a new one. Everything you store is encrypted.")
        else:
            self.title.setText(f"{path.name} is locked")
            self.detail.setText(f"{reason}\n{path}".strip())
        self.unlock_button.setVisible(path is not None)
        self.recent.clear()
        for item in settings.RECENT_WORKSPACES.get():
            if is_workspace(Path(item)):
                entry = QListWidgetItem(item)
                entry.setData(Qt.ItemDataRole.UserRole, item)
                self.recent.addItem(entry)
        self.recent.setVisible(self.recent.count() > 0)
        self.recent_label.setVisible(self.recent.count() > 0)
        (self.unlock_button if path is not None else self.recent).setFocus()

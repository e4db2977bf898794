"""What the window shows when no workspace is unlocked: open, create, or unlock.

On first start (no workspace chosen, none recent) it is a welcome: create a
workspace, open one, or try the demo, with what a passphrase means (no recovery)
and where the data lives.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.names import is_workspace
from ui import settings
from ui.kit.announce import speak
from ui.kit.controls import button, caption_for
from ui.paths import default_workspace_dir

WELCOME = (
    "<p>Everything you record is kept in a <b>workspace</b>: a folder on this computer, encrypted "
    "with a passphrase you choose. The suggested place is <b>{folder}</b>; nothing of its content "
    "is stored anywhere else (settings keep only window sizes, recent folders and preferences).</p>"
    "<p><b>Your passphrase cannot be recovered.</b> Nobody, including support, can open a workspace "
    "whose passphrase is lost: write it somewhere safe, and make backups (they use the same "
    "passphrase).</p>"
    "<p>New here? <b>Try the demo</b>: a fictional partnership to explore, with its passphrase "
    "shown to you.</p>"
)


class LockScreen(QWidget):
    unlock_requested = Signal()
    open_requested = Signal()
    create_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.detail = QLabel()
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.unlock_button = button("&Unlock…", "Unlock the workspace", self.unlock_requested.emit)
        open_button = button("&Open workspace…", "Open a workspace", self.open_requested.emit)
        create_button = self.create_button = button(
            "&New workspace…", "Create a new workspace", self.create_requested.emit
        )
        self.demo_button = button("Try the &demo", "Try the demo workspace", self.demo_requested.emit)
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        self.welcome.setFixedWidth(620)  # a wrapped label needs a width to know its height
        self.welcome.setAccessibleName("Welcome")
        buttons = QHBoxLayout()
        buttons.addStretch()
        for push in (self.unlock_button, open_button, create_button, self.demo_button):
            buttons.addWidget(push)
        buttons.addStretch()
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent workspaces")
        self.recent.setMaximumWidth(640)
        self.recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_label = caption_for("&Recent workspaces:", self.recent)
        column = QVBoxLayout()
        column.addStretch()
        column.addWidget(self.title)
        column.addWidget(self.detail)
        column.addWidget(self.welcome, alignment=Qt.AlignmentFlag.AlignHCenter)
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
            if reason:  # locked by idling, a restore...: say why, not only show it
                speak(self.detail, f"{path.name} is locked. {reason}")
        self.unlock_button.setVisible(path is not None)
        self.recent.clear()
        for item in settings.RECENT_WORKSPACES.get():
            if is_workspace(Path(item)):
                entry = QListWidgetItem(item)
                entry.setData(Qt.ItemDataRole.UserRole, item)
                self.recent.addItem(entry)
        self.recent.setVisible(self.recent.count() > 0)
        self.recent_label.setVisible(self.recent.count() > 0)
        first_run = path is None and self.recent.count() == 0
        self.welcome.setVisible(first_run)
        self.demo_button.setVisible(path is None)
        if first_run:
            self.title.setText("Welcome to Safeguarding Workbench")
            self.detail.setText("Create a workspace, open one you have, or try the demo.")
            self.welcome.setText(WELCOME.format(folder=escape(str(default_workspace_dir()))))
            self.welcome.setMinimumHeight(self.welcome.heightForWidth(self.welcome.width()))
        if path is not None:
            self.unlock_button.setFocus()
        else:
            (self.recent if self.recent.count() else self.create_button).setFocus()

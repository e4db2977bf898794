"""New workspace: where, who, and a passphrase with its strength shown while typing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.errors import WorkbenchError
from app.store.workspace import Workspace
from ui.kit.announce import announce
from ui.kit.controls import caption_for, text_label
from ui.messages import show_error
from ui.operations import Operation
from ui.paths import default_workspace_dir
from ui.widgets import StrengthMeter, cancel_or, lay_out_dialog, passphrase_edit

ROLES = ["Chair", "Independent lead reviewer", "Business coordinator", "Subgroup member"]


class CreateWorkspaceDialog(QDialog):
    created = Signal(object)  # Workspace

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New workspace")
        self.setAccessibleName("New workspace")
        self.setMinimumWidth(520)
        self.workspace: Workspace | None = None
        self._operation: Operation | None = None

        self.folder = QLineEdit(str(default_workspace_dir()))
        self.folder.setAccessibleName("Workspace folder")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the workspace folder")
        browse.setAutoDefault(False)  # Enter in a field creates; it must not open a file dialog
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)

        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.addItems(ROLES)
        self.role.setAccessibleName("Your role")
        self.agency = QLineEdit()
        self.agency.setAccessibleName("Your agency")
        self.agency.setPlaceholderText("the partnership's name, e.g. Northbridge Safeguarding Children Partnership")
        self.passphrase = passphrase_edit("Passphrase", "12 characters or more")
        self.repeat = passphrase_edit("Repeat passphrase")
        self.meter = StrengthMeter()
        self.mismatch = text_label("Passphrase check")

        form = QFormLayout()
        form.addRow(caption_for("&Folder:", self.folder), folder_row)  # a row of widgets: name its field
        form.addRow("Your &name:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("&Agency:", self.agency)
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("", self.meter)
        form.addRow("R&epeat:", self.repeat)
        form.addRow("", self.mismatch)
        note = QLabel(
            "The passphrase cannot be recovered. Without it nobody, including you, "
            "can open this workspace or its backups."
        )
        note.setWordWrap(True)

        self.buttons, self.create_button = cancel_or(self, "&Create", "Create workspace", self._create)
        lay_out_dialog(self, (form, note, self.buttons), self.create_button)

        for edit in (self.name, self.agency, self.passphrase, self.repeat, self.folder):
            edit.textChanged.connect(self._validate)
        self.passphrase.textChanged.connect(self.meter.update_for)
        self._validate()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the new workspace", str(Path.home()))
        if chosen:
            self.folder.setText(str(Path(chosen) / "Safeguarding Workbench"))

    def _validate(self) -> None:
        same = self.passphrase.text() == self.repeat.text()
        announce(
            self.mismatch, "" if same or not self.repeat.text() else "The two passphrases differ.", if_changed=True
        )
        ok = (
            bool(self.folder.text().strip() and self.name.text().strip() and self.agency.text().strip())
            and self.meter.acceptable
            and same
        )
        self.create_button.setEnabled(ok)

    def _create(self) -> None:
        if not self.create_button.isEnabled() or (self._operation and self._operation.running):
            return
        path = Path(self.folder.text().strip()).expanduser()
        name, role, agency = self.name.text(), self.role.currentText(), self.agency.text()
        passphrase = self.passphrase.text()
        self.create_button.setEnabled(False)
        self._operation = Operation(
            self,
            "Creating the encrypted workspace…",
            lambda _p: Workspace.create(path, passphrase, display_name=name, role=role, agency=agency),
            self._on_created,
            self._on_failed,
        )

    def _on_created(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.passphrase.clear()
        self.repeat.clear()
        self.created.emit(workspace)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._validate()
        message = error.message if isinstance(error, WorkbenchError) else str(error)
        show_error(self, "Cannot create the workspace", message)

"""Dialogs of the Exchange area: create a bundle, preview an import, compare a fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import WorkbenchError
from app.exchange import service
from app.exchange.contacts import ContactView
from app.records.naming import kind_plural
from app.text import count_of
from ui.kit.announce import announce
from ui.kit.controls import text_label
from ui.kit.files import save_file
from ui.widgets import (
    StrengthMeter,
    accept_or_cancel,
    at_most_rows,
    cancel_or,
    fit_to_screen,
    passphrase_edit,
    tick_list,
    ticked_of,
    vertical_scroll,
)


class CreateBundleDialog(QDialog):
    """Recipients, scope, a preview of what will go, and where to save it."""

    def __init__(
        self,
        contacts: list[ContactView],
        preview: Callable[[list[str], service.Scope, bool], service.ExportPreview],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create bundle")
        self.setAccessibleName("Create bundle")
        self._preview = preview
        trusted = [c for c in contacts if c.status == "trusted"]
        self.recipients = tick_list(
            "Recipients", [(f"{c.display_name} ({c.role}, {c.agency})", c.key_id) for c in trusted], ticked=False
        )
        self.everything = QRadioButton("&Everything")
        self.since_last = QRadioButton("&Changes since the last bundle to these recipients")
        self.one_review = QRadioButton("&One review and everything linked to it:")
        self.review_ref = QLineEdit()
        self.review_ref.setPlaceholderText("review reference, e.g. LCSPR-2026-01")
        self.review_ref.setAccessibleName("Review reference")
        group = QButtonGroup(self)
        for index, button in enumerate((self.everything, self.since_last, self.one_review)):
            button.setAccessibleName(button.text().replace("&", ""))
            group.addButton(button, index)
        self.since_last.setChecked(True)
        self.path = QLineEdit()
        self.browsed = ""  # the name the save dialog confirmed, if any
        self.path.setAccessibleName("Bundle file")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose where to save the bundle")
        browse.clicked.connect(self._browse)
        self.preview_text = QLabel("Choose recipients, then press Preview.")
        self.preview_text.setAccessibleName("What the bundle will hold")
        self.preview_text.setWordWrap(True)
        preview_button = QPushButton("&Preview")
        preview_button.setAccessibleName("Preview the bundle")
        preview_button.clicked.connect(self.update_preview)

        self.passphrase_only = QCheckBox(
            "Protect &with a passphrase only (WEAKER: anyone who learns or guesses "
            "it can read the bundle; for a one-off transfer)"
        )
        self.passphrase_only.setAccessibleName("Passphrase only, weaker than member keys")
        self.passphrase = passphrase_edit("Bundle passphrase", "12 characters or more")
        self.passphrase_repeat = passphrase_edit("Repeat the bundle passphrase", "repeat it")
        self.strength = StrengthMeter()
        self.passphrase.textChanged.connect(self.strength.update_for)
        self.passphrase_only.toggled.connect(self._passphrase_toggled)
        self._passphrase_toggled(False)

        form = QFormLayout()
        form.addRow("&Recipients:", self.recipients)
        form.addRow("", self.passphrase_only)
        form.addRow("Passp&hrase:", self.passphrase)  # Alt+S is Save
        form.addRow("Repea&t:", self.passphrase_repeat)
        form.addRow("", self.strength)
        scope = QVBoxLayout()
        scope.addWidget(self.everything)
        scope.addWidget(self.since_last)
        review_row = QHBoxLayout()
        review_row.addWidget(self.one_review)
        review_row.addWidget(self.review_ref)
        scope.addLayout(review_row)
        form.addRow("What to send:", scope)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path)
        file_row.addWidget(browse)
        form.addRow("Save as:", file_row)
        buttons, save = accept_or_cancel(self, self._accept)
        save.setAccessibleName("Save the bundle")
        at_most_rows(self.recipients, 8)  # eight whole names, then it scrolls
        contents = QVBoxLayout()
        contents.addLayout(form)
        contents.addWidget(preview_button)
        contents.addWidget(self.preview_text)
        contents.addStretch(1)
        # The choices and the preview (a line per kind of record) scroll; Save and Cancel stay in view on
        # a 1366x768 laptop (they were at y=954 on an 800-pixel screen).
        self.contents = vertical_scroll(contents, "Bundle choices and preview")
        self._inner = self.contents.widget()
        self._buttons = buttons
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.contents, 1)
        self._layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """As tall as its choices and preview, but never taller than the screen it opens on."""
        super().showEvent(event)
        margins = self._layout.contentsMargins()
        wanted = (
            (self._inner.sizeHint().height() if self._inner is not None else 0)
            + 2 * self.contents.frameWidth()
            + self._layout.spacing()
            + self._buttons.sizeHint().height()
            + margins.top()
            + margins.bottom()
        )
        self.resize(self.width(), max(self.height(), wanted))
        fit_to_screen(self)

    def chosen_recipients(self) -> list[str]:
        return ticked_of(self.recipients)

    def scope(self) -> service.Scope:
        if self.one_review.isChecked():
            return service.Scope(service.SCOPE_REVIEW, self.review_ref.text().strip())
        if self.since_last.isChecked():
            return service.Scope(service.SCOPE_SINCE_LAST)
        return service.Scope(service.SCOPE_ALL)

    def _passphrase_toggled(self, on: bool) -> None:
        for widget in (self.passphrase, self.passphrase_repeat, self.strength):
            widget.setEnabled(on)

    def chosen_passphrase(self) -> str | None:
        """The passphrase for a passphrase-only bundle, or None for a bundle sealed to member keys."""
        return self.passphrase.text() if self.passphrase_only.isChecked() else None

    def _passphrase_problem(self) -> str:
        if not self.passphrase_only.isChecked():
            return ""
        self.strength.update_for(self.passphrase.text())
        if not self.strength.acceptable:
            return "The passphrase is too short: use at least 12 characters."
        if self.passphrase.text() != self.passphrase_repeat.text():
            return "The two passphrases differ."
        return ""

    def update_preview(self) -> bool:
        try:
            preview = self._preview(self.chosen_recipients(), self.scope(), self.passphrase_only.isChecked())
        except WorkbenchError as exc:
            announce(self.preview_text, f"Cannot send: {exc.message}", urgent=True)
            return False
        lines = [
            f"For {', '.join(preview.recipients)} (and you): {preview.scope}, {count_of(preview.total, 'record')}."
        ]
        lines += [f"  {kind_plural(table)}: {count}" for table, count in preview.counts.items()]
        if preview.note:
            lines.append(preview.note)
        announce(self.preview_text, "\n".join(lines), urgent=False)
        return True

    def _browse(self) -> None:
        name = save_file(self, "Save bundle", f"bundle-{date.today():%Y-%m-%d}.bundle", "Workbench bundles (*.bundle)")
        if name:
            self.path.setText(name)
            self.browsed = name  # the save dialog asked before replacing this one

    def _accept(self) -> None:
        if not self.path.text().strip():
            announce(self.preview_text, "Choose where to save the bundle.", urgent=True)
            return
        problem = self._passphrase_problem()
        if problem:
            announce(self.preview_text, f"Cannot save: {problem}", urgent=True)
            return
        if self.update_preview():
            self.accept()

    def output_path(self) -> Path:
        return Path(self.path.text().strip())

    def overwrite_confirmed(self) -> bool:
        """True when the path is the one the save dialog confirmed; a typed name never replaces a file."""
        return bool(self.browsed) and self.path.text().strip() == self.browsed


class ImportPreviewDialog(QDialog):
    """What a bundle would change, per area, before anything is written."""

    def __init__(self, report: service.BundleImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import bundle: preview")
        self.setAccessibleName("Import bundle: preview")
        text = QPlainTextEdit("\n".join(report.lines()))
        text.setReadOnly(True)
        text.setAccessibleName("Import preview")
        buttons, self.apply_button = cancel_or(self, "&Apply", "Apply the bundle")
        self.apply_button.setEnabled(not report.already_applied)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)


class FingerprintDialog(QDialog):
    """Trust only after the user says the digits match what the member read out."""

    def __init__(self, name: str, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare the fingerprint of {name}")
        self.setAccessibleName(f"Compare the fingerprint of {name}")
        intro = QLabel(
            f"Ask {name} to read their fingerprint to you by phone or in person. "
            "Trust them only if every digit matches:"
        )
        intro.setWordWrap(True)
        digits = text_label("Fingerprint to compare", fingerprint)
        digits.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        font = digits.font()
        font.setPointSize(font.pointSize() + 3)
        font.setFamily("DejaVu Sans Mono")
        digits.setFont(font)
        self.matches = QCheckBox("&The digits match what they read to me")
        self.matches.setAccessibleName("The digits match")
        buttons, self.trust_button = cancel_or(self, "&Trust", "Trust this member")
        self.trust_button.setEnabled(False)
        self.matches.toggled.connect(self.trust_button.setEnabled)
        layout = QVBoxLayout(self)
        for widget in (intro, digits, self.matches, buttons):
            layout.addWidget(widget)

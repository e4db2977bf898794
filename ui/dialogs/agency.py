"""Add or edit a partner agency."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import WorkbenchError
from ui.kit.controls import caption_for, text_label
from ui.kit.edit_guard import dialog_guard
from ui.messages import show_error
from ui.widgets import accept_or_cancel

#: the draft of an agency dialog open at the lock (the Workspace area opens it again)
DRAFT_KEY = "overview.agency"


#: writes the fields (name, short name, sector, colour) and tells a refusal to the callback it is
#: given; returns whether they were written (the page passes its `context.write`)
SaveAgency = Callable[[str, str, str, str, Callable[[WorkbenchError], None]], bool]


#: tests replace this; the real one is a blocking colour picker
def choose_colour(initial: QColor, parent: QWidget) -> QColor:
    return QColorDialog.getColor(initial, parent)


class AgencyDialog(QDialog):
    """Collects the fields; `save` (a write given by the caller) decides whether they are valid."""

    def __init__(
        self,
        save: SaveAgency,
        parent: QWidget | None = None,
        *,
        name: str = "",
        short_name: str = "",
        sector: str = "",
        colour: str = "#dddddd",
        agency_uuid: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.agency_uuid = agency_uuid  # None: a new agency
        self.setWindowTitle("Edit agency" if name else "Add agency")
        self.setAccessibleName(self.windowTitle())
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Agency name")
        self.short_name = QLineEdit(short_name)
        self.short_name.setAccessibleName("Short name")
        self.sector = QLineEdit(sector)
        self.sector.setAccessibleName("Sector")
        self.colour = QLineEdit(colour)
        self.colour.setAccessibleName("Colour as #rrggbb")
        self.swatch = text_label("Colour sample", "  Sample text  ")
        pick = QPushButton("C&hoose…")
        pick.setAccessibleName("Choose a colour")
        pick.setAutoDefault(False)
        pick.clicked.connect(self._pick)
        colour_row = QHBoxLayout()
        for widget in (self.colour, self.swatch, pick):
            colour_row.addWidget(widget)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("Sh&ort name:", self.short_name)  # Alt+S is Save
        form.addRow("S&ector:", self.sector)
        form.addRow(caption_for("&Colour:", self.colour), colour_row)  # a row of widgets: name its field
        note = QLabel("Tables show the short name as text on this colour; choose a light colour.")
        note.setWordWrap(True)
        buttons, _save = accept_or_cancel(self, self._accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.colour.textChanged.connect(self._show_swatch)
        self._show_swatch(colour)
        fields = {"name": self.name, "short_name": self.short_name, "sector": self.sector, "colour": self.colour}
        self.guard = dialog_guard(self, fields, draft_key=DRAFT_KEY, record=lambda: self.agency_uuid)

    def _show_swatch(self, text: str) -> None:
        if QColor.isValidColorName(text) and len(text) == 7:
            self.swatch.setStyleSheet(f"QLabel {{ background: {text}; color: black; border: 1px solid #888; }}")

    def _pick(self) -> None:
        chosen = choose_colour(QColor(self.colour.text()), self)
        if chosen.isValid():
            self.colour.setText(chosen.name())

    def _accept(self) -> None:
        fields = (self.name.text(), self.short_name.text(), self.sector.text(), self.colour.text().strip())
        if self._save(*fields, self._refused):
            self.accept()

    def _refused(self, error: WorkbenchError) -> None:
        """Over this dialog, which stays open with what was typed."""
        show_error(self, "Agency not saved", error.message)

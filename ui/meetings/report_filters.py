"""The filters of a live report added as a paper (the action log by body, source or agency...).

A small dialog, one labelled control per filter the report understands (Alt+letter
on each label, Tab between them, Enter adds the paper, Escape adds nothing). Lists
show names; the paper stores identities (`app.meetings.service.add_report_paper`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.meetings.service import FilterField
from ui.kit.controls import caption_for, check, combo, line
from ui.kit.mnemonics import choose, letter_of
from ui.widgets import accept_or_cancel

#: the button that adds the paper (its letter is not given to a filter)
ADD = "&Add paper"


class ReportFiltersDialog(QDialog):
    def __init__(self, report_title: str, fields: list[FilterField], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add {report_title}")
        self.setAccessibleName(f"Filters of the {report_title} paper")
        self.controls: dict[str, QComboBox | QLineEdit | QCheckBox] = {}
        form = QFormLayout()
        # each label's own letter where free, else another of its words (the action log's "Source" and
        # "Source name contains", "Owner agency" and "Open actions only" claimed one letter each)
        taken = {letter_of(ADD) or ""}
        for field in fields:
            control: QComboBox | QLineEdit | QCheckBox
            if field.choices is None:
                control = line(field.label, placeholder="any")
            elif [value for _label, value in field.choices] == ["yes"]:
                control = check("", field.label)
            else:
                control = combo(field.label, [(field.unset, ""), *field.choices])
            self.controls[field.name] = control
            form.addRow(caption_for(choose(f"&{field.label}:", taken), control), control)
        note = QLabel("A filter left at its first entry (“Any”) includes everything; the pack shows what was chosen.")
        note.setWordWrap(True)
        buttons, ok = accept_or_cancel(self, accept=QDialogButtonBox.StandardButton.Ok)
        ok.setText(ADD)
        ok.setAccessibleName(f"Add the {report_title} with these filters")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel: add no paper")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        if self.controls:
            next(iter(self.controls.values())).setFocus()

    def chosen(self) -> dict[str, str]:
        """The filters set (name -> value); those left at Any are not given."""
        found = {}
        for name, control in self.controls.items():
            if isinstance(control, QComboBox):
                value = str(control.currentData() or "")
            elif isinstance(control, QCheckBox):
                value = "yes" if control.isChecked() else ""
            else:
                value = control.text().strip()
            if value:
                found[name] = value
        return found


def choose_report_filters(parent: QWidget, report_title: str, fields: list[FilterField]) -> dict[str, str] | None:
    """The filters chosen for a new report paper, or None if the coordinator cancelled."""
    dialog = ReportFiltersDialog(report_title, fields, parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()

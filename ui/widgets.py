"""Small reusable widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QAbstractItemModel, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.security.passphrase import assess
from ui.kit.controls import set_combo_data, text_label
from ui.kit.empty import explain_when_empty
from ui.kit.mnemonics import letter_standard_buttons

CLASSIFICATION = "OFFICIAL-SENSITIVE"


def passphrase_edit(accessible_name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    return edit


def cancel_or(
    dialog: QDialog, text: str, accessible_name: str, on_accept: Callable[[], object] | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel and one button that does the dialog's job (`text`, e.g. "&Unlock"), which runs `on_accept`
    (accepting the dialog by default); Cancel rejects it. The box and the button, to place and enable."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    button.setAccessibleName(accessible_name)
    buttons.accepted.connect(on_accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, button


def lay_out_dialog(dialog: QDialog, parts: Iterable[QWidget | QLayout], default: QPushButton) -> None:
    """`parts` (widgets and layouts) top to bottom in `dialog`, and `default` its default button: that
    only takes once the button is inside the dialog, so it is set here, after the buttons are placed."""
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    default.setDefault(True)


def accept_or_cancel(
    dialog: QDialog,
    on_accept: Callable[[], object] | None = None,
    accept: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save,
) -> tuple[QDialogButtonBox, QPushButton]:
    """The standard `accept` button (Save, or Ok) and Cancel: `accept` runs `on_accept` (accepting the
    dialog by default); Cancel rejects it. The box and the accept button, to place, relabel or enable."""
    buttons = QDialogButtonBox(accept | QDialogButtonBox.StandardButton.Cancel)
    letter_standard_buttons(buttons)  # Save: Alt+S
    buttons.accepted.connect(on_accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, buttons.button(accept)


def enable_when_filled(button: QPushButton, edit: QLineEdit) -> None:
    """`button` stays disabled until `edit` holds more than white space."""
    button.setEnabled(bool(edit.text().strip()))
    edit.textChanged.connect(lambda value: button.setEnabled(bool(value.strip())))


def tick_list(accessible_name: str, choices: list[tuple[str, str]], *, ticked: bool) -> QListWidget:
    """A list of (label, uuid) choices to tick with Space or a click, all ticked or none to start."""
    widget = QListWidget()
    widget.setAccessibleName(accessible_name)
    for label, uuid in choices:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, uuid)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def show_items_whole(widget: QListWidget, *, rows: int, widest: int = 640) -> None:
    """At least `rows` rows high and wide enough for its longest item (up to `widest` pixels), so a
    list of names shows them whole, with no sideways scroll bar; it may grow, not shrink, past that."""
    frame = 2 * widget.frameWidth()
    bar = widget.verticalScrollBar().sizeHint().width() if widget.count() > rows else 0
    row = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height() + 4
    widget.setMinimumHeight(rows * (row + widget.spacing()) + frame)
    widget.setMinimumWidth(min(widget.sizeHintForColumn(0) + bar + frame + 2 * widget.spacing(), widest))


def at_most_rows(widget: QListWidget, rows: int) -> None:
    """No taller than `rows` whole rows, then it scrolls: a cap in pixels cut the last name in view in half."""
    row = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height() + 4
    widget.setMaximumHeight(rows * (row + 2 * widget.spacing()) + 2 * widget.frameWidth())


def ticked_of(widget: QListWidget) -> list[str]:
    """The uuids of a tick_list's ticked choices, in list order."""
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def refill(box: QComboBox, items: Iterable[tuple[str, object]], *, keep: bool = False) -> None:
    """Replace a combo box's (label, data) items without telling its listeners; the first is chosen,
    or with `keep` the item chosen before if it is still there."""
    wanted = box.currentData()
    box.blockSignals(True)
    box.clear()
    for label, data in items:
        box.addItem(label, data)
    if keep:
        set_combo_data(box, wanted)
    box.blockSignals(False)


def read_only_text(name: str, *, bold: bool = False, size: float = 0) -> QLabel:
    """A wrapping plain-text label a keyboard user can select and copy; `size` scales the font."""
    label = text_label(name, wrap=True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
    )
    if bold or size:
        font = label.font()
        font.setBold(bold)
        if size:
            font.setPointSizeF(font.pointSizeF() * size)
        label.setFont(font)
    return label


def read_only_item(text: str, data: object = None) -> QTableWidgetItem:
    """A table cell that shows `text` and cannot be edited; `data`, if given, is its UserRole value."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def pick_whole_rows(view: QTableView, name: str) -> None:
    """Make `view` a read-only table of records, chosen one whole row at a time, without row numbers."""
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()


class EnterTable(QTableView):
    """A read-only table of records chosen one whole row at a time, where Enter runs `on_enter`
    (opens the selected record, or moves on to the next table)."""

    def __init__(self, name: str, on_enter: Callable[[], None]) -> None:
        super().__init__()
        self._on_enter = on_enter
        pick_whole_rows(self, name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_enter()
            return
        super().keyPressEvent(event)


def plain_record_table(model: QAbstractItemModel, name: str, *, empty: str = "") -> QTableView:
    """A read-only table of `model`'s records chosen one whole row at a time; `empty` says what goes in it
    and how to add it while it has no rows. Its columns keep Qt's sizing: the caller sizes the ones it
    needs (`record_table` sizes them all)."""
    view = QTableView()
    view.setModel(model)
    pick_whole_rows(view, name)
    if empty:
        explain_when_empty(view, empty)
    return view


def record_table(model: QAbstractItemModel, name: str, *, stretch: int | None = None, empty: str = "") -> QTableView:
    """A read-only table of records chosen one whole row at a time, columns sized to their contents
    but for column `stretch` (the last one if not given), which takes the room left; `empty` says what
    goes in it and how to add it while it has no rows."""
    view = plain_record_table(model, name, empty=empty)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        view.horizontalHeader().setStretchLastSection(True)
    else:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class _DownOnlyScroll(QScrollArea):
    """Never narrower than its contents can shrink to, so a splitter or layout cannot squeeze it until
    its fields run under its edge (it has no sideways scroll bar to reach them)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        least = inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(max(hint.width(), least), hint.height())


def vertical_scroll(layout: QLayout, name: str) -> QScrollArea:
    """`layout` in a scroll area that scrolls down only: its fields narrow to the width instead."""
    inner = QWidget()
    inner.setLayout(layout)
    scroll = _DownOnlyScroll()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    scroll.setAccessibleName(name)
    return scroll


#: title bar and borders the window manager adds around a window's geometry
FRAME_ALLOWANCE = (40, 60)


def fit_to_screen(window: QWidget) -> None:
    """Shrink `window` (a dialog, as it is shown) to the screen it is on and move it wholly onto it, so its
    buttons are never below the bottom edge; a scroll area inside takes what no longer fits."""
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    width = min(window.width(), room.width() - FRAME_ALLOWANCE[0])
    height = min(window.height(), room.height() - FRAME_ALLOWANCE[1])
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    geometry = window.frameGeometry()
    if not room.contains(geometry):
        x = min(max(geometry.x(), room.x()), room.right() - geometry.width())
        y = min(max(geometry.y(), room.y()), room.bottom() - geometry.height())
        window.move(max(x, room.x()), max(y, room.y()))


ERROR_STYLE = "QLabel { color: #b3261e; font-weight: bold; }"


def error_label(name: str) -> QLabel:
    """Where a form says what is wrong with what was typed: bold red plain text, named for screen readers."""
    label = text_label(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class StrengthMeter(QWidget):
    """Shows a passphrase's strength while typing: bar AND words, not colour alone."""

    changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName("Passphrase strength")
        self.label = text_label("Passphrase strength description", "Use at least 12 characters.", wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.acceptable = False

    def update_for(self, passphrase: str) -> None:
        strength = assess(passphrase)
        self.bar.setValue(strength.score if strength.acceptable else 0)
        self.label.setText(f"Strength: {strength.label}. {strength.hint}".strip())
        colours = ["#b3261e", "#b3261e", "#a15c00", "#1e6b34", "#1e6b34"]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colours[strength.score]}; }}")
        self.acceptable = strength.acceptable
        self.changed.emit(strength.acceptable)


class ClassificationBanner(QWidget):
    """The OFFICIAL-SENSITIVE marking, always visible while a workspace is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label = QLabel(f"{CLASSIFICATION} — contains personal data about children and families")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName("Security classification: OFFICIAL-SENSITIVE")
        label.setStyleSheet("QLabel { background: #7a0019; color: #ffffff; font-weight: bold; padding: 3px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)

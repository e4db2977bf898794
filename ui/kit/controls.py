"""Controls made with their accessible name from the start: every control on screen has one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


def line(name: str, text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def text_box(name: str, height: int = 60) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setMaximumHeight(height)
    return box


def combo(name: str, items: Sequence[tuple[str, object]] = ()) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, data in items:
        box.addItem(label, data)
    return box


def text_label(name: str, text: str = "", *, wrap: bool = False, bold: bool = False) -> QLabel:
    """Text the page writes for the user to read (a status, a count, a detail), named for screen readers;
    `wrap` for text that may run long, `bold` for a view's title."""
    shown = QLabel(text)
    shown.setAccessibleName(name)
    if wrap:
        shown.setWordWrap(True)
    if bold:
        font = shown.font()
        font.setBold(True)
        shown.setFont(font)
    return shown


def check(text: str, name: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(name)
    return box


def button(text: str, name: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    push = QPushButton(text)
    push.setAccessibleName(name)
    if tip:
        push.setToolTip(tip)
    push.clicked.connect(lambda _checked=False: slot())
    return push


def action(
    parent: QWidget, text: str, shortcut: str | QKeySequence.StandardKey | None, slot: Callable[[], object]
) -> QAction:
    """A QAction whose shortcut works while focus is inside `parent`."""
    act = QAction(text, parent)
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    act.triggered.connect(lambda _checked=False: slot())
    parent.addAction(act)
    return act


#: set on an area action that belongs in the Area menu but not the toolbar (it repeats what is on the page)
MENU_ONLY = "workbench_menu_only"


def tab_keys(owner: QWidget, tabs: QTabWidget, show: Callable[[int], None]) -> list[QAction]:
    """Alt+1, Alt+2, … call `show(index)` from anywhere on `owner`, each tab's tooltip naming its key;
    the actions ("Scorecard tab"), for the Area menu and the shortcuts list (the tab bar is their toolbar)."""
    keys = []
    for index in range(tabs.count()):
        key = f"Alt+{index + 1}"
        keys.append(action(owner, f"{tabs.tabText(index).replace('&', '')} tab", key, partial(show, index)))
        keys[-1].setProperty(MENU_ONLY, True)
        tabs.setTabToolTip(index, key)
    return keys


def button_for(command: QAction, *, ellipsis: bool = True) -> QPushButton:
    """A button that triggers `command`: its text and mnemonic, its name for screen readers (no "&" or "…"),
    its shortcut as the tooltip (when it has none, its text without the "&"). `ellipsis=False` leaves the "…" off the
    button, where a row of buttons offers what the menu does."""
    text = command.text()
    shortcut = command.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return button(
        text if ellipsis else text.replace("…", ""),
        text.replace("&", "").replace("…", ""),
        command.trigger,
        shortcut or text.replace("&", ""),
    )


def yes_no_unknown(name: str) -> QComboBox:
    return combo(name, [("Unknown", "unknown"), ("Yes", "yes"), ("No", "no")])


def get_tristate(box: QComboBox) -> bool | None:
    return {"yes": True, "no": False}.get(box.currentData())


def set_tristate(box: QComboBox, value: bool | None) -> None:
    set_combo_data(box, "unknown" if value is None else ("yes" if value else "no"))


def item_text(table: QTableWidget, row: int, column: int) -> str:
    """The text of a QTableWidget cell; "" for a cell with no item (before the table is filled)."""
    item = table.item(row, column)
    return "" if item is None else item.text()


def set_combo_data(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    box.setCurrentIndex(index if index >= 0 else 0)


def add_labelled_rows(form: QFormLayout, rows: Iterable[tuple[str, QWidget]]) -> None:
    """Rows whose label's Alt letter ("&Status:") takes the focus to its field."""
    for text, widget in rows:
        caption = QLabel(text)
        caption.setBuddy(widget)
        form.addRow(caption, widget)


def add_captioned(row: QHBoxLayout, text: str, widget: QWidget, stretch: int = 0) -> None:
    """`text` ("&Quarter:") then `widget` in a row; the caption's Alt letter takes the focus to the widget."""
    caption = QLabel(text)
    caption.setBuddy(widget)
    row.addWidget(caption)
    row.addWidget(widget, stretch)


def caption_for(text: str, widget: QWidget) -> QLabel:
    """A caption ("&Notes") above `widget` whose Alt letter takes the focus to it."""
    caption = QLabel(text)
    caption.setBuddy(widget)
    return caption


def row_of(*widgets: QWidget) -> QHBoxLayout:
    """`widgets` side by side from the left, the row's spare room left empty at the right (a row of buttons)."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def form_with_buttons(form: QFormLayout, buttons: Iterable[QWidget], *, stretch: bool = False) -> QWidget:
    """A form with its buttons in a row below (left-aligned), as one widget for a splitter or scroll area."""
    editor = QWidget()
    layout = QVBoxLayout(editor)
    layout.addLayout(form)
    layout.addLayout(row_of(*buttons))
    if stretch:
        layout.addStretch(1)
    return editor


def put_above(anchor: QWidget, widget: QWidget) -> bool:
    """Put `widget` on a line of its own just above `anchor` in the layouts it sits in: a row of a form, or
    above the row of controls `anchor` shares. False, and nothing placed, where no such place is found."""
    parent = anchor.parentWidget()
    layouts = [] if parent is None else parent.findChildren(QLayout)
    item: QWidget | QLayout = anchor
    holder = next((layout for layout in layouts if layout.indexOf(item) >= 0), None)
    while holder is not None:
        if isinstance(holder, QFormLayout):
            position = holder.getWidgetPosition(item) if isinstance(item, QWidget) else holder.getLayoutPosition(item)
            row, _role = cast(tuple[int, QFormLayout.ItemRole], position)  # PySide6's stubs say "object"
            holder.insertRow(row, widget)
            return True
        if isinstance(holder, QBoxLayout) and holder.direction() == QBoxLayout.Direction.TopToBottom:
            holder.insertWidget(holder.indexOf(item), widget)
            return True
        item, above = holder, holder.parent()  # a row of controls: above the row, in the layout holding it
        holder = above if isinstance(above, QLayout) else None
    return False


def two_panes(
    first: QWidget,
    second: QWidget,
    *,
    vertical: bool = False,
    stretch: tuple[int, int] = (3, 2),
    sizes: tuple[int, int] | None = None,
) -> QSplitter:
    """Two panes the user can resize: side by side, or `vertical`ly one above the other. `stretch` shares
    out what the window gains; `sizes` (pixels) sets the first split where size hints alone misjudge it."""
    splitter = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    if sizes is not None:
        splitter.setSizes(list(sizes))
    return splitter


def first_focusable(container: QWidget) -> QWidget | None:
    """The first control inside `container` that Tab would reach (visible, enabled, takes Tab focus)."""
    widget = container.nextInFocusChain()
    for _ in range(2000):  # the focus chain is a ring through the window: it comes back to the container
        if widget is None or widget is container:
            return None
        if (
            container.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None

"""Small helpers shared by the reviews area's widgets (no case data is kept here)."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QLineEdit, QPlainTextEdit, QPushButton,
                               QWidget)

from app.chronology.dates import DateParseError, DatePrecision, parse_date
from app.errors import InvalidInput

View = TypeVar("View", bound=QWidget)

#: File dialogs block the event loop; tests replace these module-level references.
choose_open_file: Callable[..., tuple[str, str]] = QFileDialog.getOpenFileName
choose_save_file: Callable[..., tuple[str, str]] = QFileDialog.getSaveFileName


def open_file(parent: QWidget, caption: str, filters: str) -> str:
    path, _ = choose_open_file(parent, caption, "", filters)
    return path


def save_file(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _ = choose_save_file(parent, caption, suggested, filters)
    return path


def day_from_text(text: str, what: str) -> date | None:
    """A day typed day-first ("22/05/2016"); None for blank. A month or year alone is refused."""
    if not text.strip():
        return None
    try:
        value = parse_date(text)
    except DateParseError as exc:
        raise InvalidInput(f"The {what} {text!r} cannot be read: {exc.reason}.") from None
    if value.precision is not DatePrecision.DAY:
        raise InvalidInput(f"The {what} needs a day, e.g. 22/05/2016 (not {text!r}).")
    return value.earliest()


def uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


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


def combo(name: str, items: list[tuple[str, object]] = ()) -> QComboBox:  # type: ignore[assignment]
    box = QComboBox()
    box.setAccessibleName(name)
    for label, data in items:
        box.addItem(label, data)
    return box


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


def action(parent: QWidget, text: str, shortcut: str | QKeySequence.StandardKey | None,
           slot: Callable[[], object]) -> QAction:
    """A QAction whose shortcut works while focus is inside `parent`."""
    act = QAction(text, parent)
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    act.triggered.connect(lambda _checked=False: slot())
    parent.addAction(act)
    return act


def yes_no_unknown(name: str) -> QComboBox:
    return combo(name, [("Unknown", "unknown"), ("Yes", "yes"), ("No", "no")])


def get_tristate(box: QComboBox) -> bool | None:
    return {"yes": True, "no": False}.get(box.currentData())


def set_tristate(box: QComboBox, value: bool | None) -> None:
    set_combo_data(box, "unknown" if value is None else ("yes" if value else "no"))


def set_combo_data(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    box.setCurrentIndex(index if index >= 0 else 0)


class ShortcutClaimer(QObject):
    """Lets a page's own shortcuts win while focus is inside it.

    A page may reuse a window shortcut inside itself (Ctrl+N adds an entry in
    the chronology, but makes a new workspace elsewhere); two actions on one key
    would make it ambiguous and neither would fire. Installed on a widget, this
    accepts the ShortcutOverride of our key sequences that reach it (text fields
    that use a key themselves, e.g. Delete or Ctrl+Z, accept it first and keep it)
    and triggers the matching action on the key press.
    """

    def __init__(self, owner: QWidget, actions: list[QAction],
                 only_when: dict[QAction, Callable[[], bool]] | None = None) -> None:
        super().__init__(owner)
        self._actions = actions
        self._only_when = only_when or {}
        owner.installEventFilter(self)

    def _match(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        for act in self._actions:
            if not act.isEnabled():
                continue
            condition = self._only_when.get(act)
            if condition is not None and not condition():
                continue
            if any(pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch for s in act.shortcuts()):
                return act
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            act = self._match(event)
            if act is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    act.trigger()
                return True
        return False


def reporting_input(base: type[View]) -> type[View]:
    """`base` with an `input_handled` signal, emitted after a key or mouse press has been handled
    (so the current item and the selection have already moved): the unsaved-edits question hooks it."""

    class Reporting(base):  # type: ignore[valid-type, misc]
        input_handled = Signal()

        def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
            super().keyPressEvent(event)
            self.input_handled.emit()

        def mousePressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
            super().mousePressEvent(event)
            self.input_handled.emit()

    Reporting.__name__ = Reporting.__qualname__ = f"Reporting{base.__name__}"
    return Reporting

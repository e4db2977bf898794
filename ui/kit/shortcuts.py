"""Keys for a page's own actions: shortcuts a page claims inside itself, and views that report handled input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

View = TypeVar("View", bound=QWidget)


class ShortcutClaimer(QObject):
    """Lets a page's own shortcuts win while focus is inside it.

    A page may reuse a window shortcut inside itself (Ctrl+N adds an entry in
    the chronology, but makes a new workspace elsewhere); two actions on one key
    would make it ambiguous and neither would fire. Installed on a widget, this
    accepts the ShortcutOverride of our key sequences that reach it (text fields
    that use a key themselves, e.g. Delete or Ctrl+Z, accept it first and keep it)
    and triggers the matching action on the key press.
    """

    def __init__(
        self, owner: QWidget, actions: list[QAction], only_when: dict[QAction, Callable[[], bool]] | None = None
    ) -> None:
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
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

    class Reporting(base):  # type: ignore[valid-type, misc]  # mypy cannot subclass a class passed in at run time
        input_handled = Signal()

        def keyPressEvent(self, event: Any) -> None:
            super().keyPressEvent(event)
            self.input_handled.emit()

        def mousePressEvent(self, event: Any) -> None:
            super().mousePressEvent(event)
            self.input_handled.emit()

    Reporting.__name__ = Reporting.__qualname__ = f"Reporting{base.__name__}"
    return Reporting

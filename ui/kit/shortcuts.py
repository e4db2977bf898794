"""Keys for a page's own actions: shortcuts a page claims inside itself, and views that report handled input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
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
        self._owner = owner
        #: the action whose ShortcutOverride was claimed, until its key press comes
        self._claimed: QAction | None = None
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
        if not isinstance(event, QKeyEvent) or event.type() not in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            return False
        if watched is not self._owner:  # the application's filter, watching the key press claimed just before
            return self._claimed_press(watched, event)
        act = self._match(event)
        if act is None:
            return False
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            act.trigger()
        elif self._claimed is None:
            # the key press then goes to the focused control: a button or tab bar takes Alt+Left for itself
            # (moves the focus, the tab) and it never came up to the page, so Alt+Left was dead there
            self._claimed = act
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
        return True

    def _claimed_press(self, watched: QObject, event: QKeyEvent) -> bool:
        """The key press after a claimed ShortcutOverride, seen first by the application: the action's,
        wherever inside the owner it is sent."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            # a real key press reaches the window (QWidgetWindow, not a widget) before the focused control:
            # letting go of the claim there left Alt+Left to a scroll area that took it (the letter tab)
            return False
        act, self._claimed = self._claimed, None
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        inside = isinstance(watched, QWidget) and (watched is self._owner or self._owner.isAncestorOf(watched))
        if act is None or not inside or self._match(event) is not act:
            return False
        event.accept()
        act.trigger()
        return True


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

"""A modal dialog nobody answers would hold a GUI test forever.

Offscreen, `QDialog.exec()`, `QMessageBox.question()`, `QInputDialog.getText()`, `QFileDialog.getOpenFileName()`
and their kin run Qt's own modal loop until someone presses a button; pytest-timeout cannot interrupt that
loop, so CI would wait out its whole limit. The static functions build and run their dialog in C++, where
a Python wrapper around `exec` never sees them, so the guard looks at what every modal loop has in common:
`QApplication.activeModalWidget()`. A timer, which runs inside any modal loop as long as Qt's event loop
runs, checks it every half second; a modal widget still there after `seconds` is recorded and closed (as if
rejected), and so is any later one, at once, since the test has failed already. tests/ui/conftest.py fails
the test with the record.

Tests that answer their dialogs (a timer that presses a button, tests/helpers/areas.py's answer_* helpers,
a monkeypatched `exec`) answer long before `seconds`, so the guard never touches them.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

# How long a modal dialog may wait for its answer; tests/ui/test_modal_guard.py shortens it to prove the guard.
SECONDS_ENV = "WORKBENCH_TEST_MODAL_SECONDS"
DEFAULT_SECONDS = 20.0


def described(widget: QWidget) -> str:
    """The dialog as a reader of the failure would recognise it: its class, title and text."""
    text = widget.text() if isinstance(widget, QMessageBox) else ""
    parts = [type(widget).__name__, repr(widget.windowTitle())]
    if text:
        parts.append(repr(text))
    return " ".join(parts)


class ModalGuard:
    """Watches for a modal widget left unanswered for `seconds`; `unanswered` lists the ones it closed."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = float(os.environ.get(SECONDS_ENV, DEFAULT_SECONDS)) if seconds is None else seconds
        self.unanswered: list[str] = []
        self._watched: QWidget | None = None
        self._since = 0.0
        self._timer = QTimer()
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._timer.timeout.disconnect(self._check)
        self._watched = None

    def _check(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            self._watched = None
            return
        if widget is not self._watched:
            self._watched, self._since = widget, time.monotonic()
            if not self.unanswered:
                return
        elif time.monotonic() - self._since < self.seconds:
            return
        self.unanswered.append(described(widget))
        self._watched = None
        if isinstance(widget, QDialog):
            widget.done(QDialog.DialogCode.Rejected)
        else:
            widget.close()

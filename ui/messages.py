"""Message boxes that do not block the event loop (so tests can answer them)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import WorkbenchError
from ui.kit.mnemonics import letter_standard_buttons


def show_error(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    return _opened(QMessageBox.Icon.Warning, "errorMessage", parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    return _opened(QMessageBox.Icon.Information, "infoMessage", parent, title, text)


def _opened(icon: QMessageBox.Icon, object_name: str, parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """An OK box, opened without blocking; tests find it by `object_name`."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    letter_standard_buttons(box)  # OK: Alt+O, as in every OK / Cancel dialog
    box.setAccessibleName(title)
    box.setObjectName(object_name)
    if parent is None:  # nothing else holds it: kept until answered, or Python would delete it unseen
        _unparented.add(box)
        box.finished.connect(lambda _result: _unparented.discard(box))
    box.open()
    return box


_unparented: set[QMessageBox] = set()


def with_mnemonic(action: str, taken: str = "c") -> str:
    """ "Issue" -> "&Issue": the answer has an Alt key too, on a letter Cancel (Alt+C) does not use."""
    if "&" in action:
        return action
    for index, letter in enumerate(action):
        if letter.isalpha() and letter.lower() not in taken:
            return f"{action[:index]}&{action[index:]}"
    return action


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before destroying or replacing data. Blocking on purpose: the caller needs the answer."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    go = box.addButton(with_mnemonic(action), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName(title)
    box.exec()
    return box.clickedButton() is go


def file_error_text(error: OSError) -> str:
    """What a file or disk refused (unreadable file, full disk), named with its file."""
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}. Nothing was changed."


def reports_errors(title: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a slot so that a user-facing error becomes one dialog, not a traceback.

    WorkbenchError carries its own message; OSError (unreadable file, full disk)
    is named with its file. The slot's owner must be a QWidget (the dialog's parent).
    """

    def wrap(slot: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(slot)
        def run(self: QWidget, *args: Any, **kwargs: Any) -> Any:
            try:
                return slot(self, *args, **kwargs)
            except WorkbenchError as exc:
                show_error(self, title, exc.message)
            except OSError as exc:
                show_error(self, title, file_error_text(exc))
            return None

        return run

    return wrap

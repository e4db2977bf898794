"""File choosers. Dialogs block the event loop, so tests replace `choose_open_file` and `choose_save_file`."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFileDialog, QWidget

#: File dialogs block the event loop; tests replace these module-level references.
choose_open_file: Callable[..., tuple[str, str]] = QFileDialog.getOpenFileName


choose_save_file: Callable[..., tuple[str, str]] = QFileDialog.getSaveFileName


def open_file(parent: QWidget, caption: str, filters: str) -> str:
    path, _ = choose_open_file(parent, caption, "", filters)
    return path


def save_file(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _ = choose_save_file(parent, caption, suggested, filters)
    return path

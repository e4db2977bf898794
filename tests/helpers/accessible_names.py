"""Controls a screen reader could not name, for GUI tests that check a page or dialog has none."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)


def _inside(widget: QObject, kinds: tuple[type, ...]) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls under `root` without an accessible name (buttons: without a name or a text); the parts of
    named tables, combo boxes and spin boxes, and the buttons inside a line edit, a tab bar or a view, excepted."""
    missing = []
    for cls in (QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QAbstractSpinBox):
        for widget in root.findChildren(cls):
            if isinstance(widget, QHeaderView) or _inside(widget, (QComboBox, QAbstractSpinBox)):
                continue
            if not widget.accessibleName():
                missing.append(f"{type(widget).__name__} {widget.objectName()} in {type(widget.parent()).__name__}")
    for push in root.findChildren(QAbstractButton):
        if not (push.accessibleName() or push.text() or _inside(push, (QLineEdit, QTabBar, QAbstractItemView))):
            missing.append(f"button in {type(push.parent()).__name__}")
    return missing

"""Empty views that say how to fill them ("No entries yet: import an agency's return in the Import tab…")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView

HINT_PROPERTY = "empty_hint"


class _EmptyHint(QObject):
    def __init__(self, view: QAbstractItemView, text: str) -> None:
        super().__init__(view)
        self.view = view
        self.text = text
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.view.viewport():
            model = self.view.model()
            if model is None or model.rowCount() == 0:
                painter = QPainter(self.view.viewport())
                painter.setPen(self.view.palette().color(QPalette.ColorRole.PlaceholderText))
                area = self.view.viewport().rect().adjusted(16, 16, -16, -16)
                painter.drawText(
                    QRect(area),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                    str(self.view.property(HINT_PROPERTY) or self.text),
                )
                painter.end()
        return False


def explain_when_empty(view: QAbstractItemView, text: str) -> None:
    """Show `text` in the view while it has no rows: what goes here and how to add it.

    Also kept as the view's accessible description, so a screen reader says it too.
    """
    view.setProperty(HINT_PROPERTY, text)
    view.setAccessibleDescription(text)
    _EmptyHint(view, text)
    model = view.model()
    if model is not None:  # repaint when rows come and go
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(view.viewport().update)


def change_empty_text(view: QAbstractItemView, text: str) -> None:
    """Say something else while the view is empty: a filter that matches nothing is not "no data yet"."""
    if view.property(HINT_PROPERTY) != text:
        view.setProperty(HINT_PROPERTY, text)
        view.setAccessibleDescription(text)
        view.viewport().update()

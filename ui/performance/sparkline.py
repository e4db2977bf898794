"""A small chart in a table cell, drawn with QPainter (2,000 rows scroll without matplotlib).

The cell's text (direction of travel in words) is drawn beside the line and
is what screen readers hear; the line only repeats it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.kit.table_model import ROW_ROLE

SPARK_WIDTH = 64
#: the words beside the line wrap in a narrow column ("not shown (small numbers)") rather than run out of it
TEXT_FLAGS = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


class SparklineDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is None:
            super().paint(painter, option, index)
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
            text_colour = option.palette.highlightedText().color()
        else:
            text_colour = option.palette.text().color()
        area = QRect(option.rect.left() + 4, option.rect.top() + 4, SPARK_WIDTH, option.rect.height() - 8)
        values = [v for v in row.spark]
        known = [v for v in values if v is not None]
        if len(known) >= 2:
            low, high = min(known), max(known)
            span = (high - low) or 1.0
            step = area.width() / max(1, len(values) - 1)
            pen = QPen(text_colour, 1.2)
            painter.setPen(pen)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            previous: QPointF | None = None
            for i, value in enumerate(values):
                if value is None:
                    previous = None
                    continue
                point = QPointF(area.left() + i * step, area.bottom() - (value - low) / span * area.height())
                if previous is not None:
                    painter.drawLine(previous, point)
                previous = point
            if previous is not None:
                painter.setBrush(QColor(text_colour))
                painter.drawEllipse(previous, 2, 2)
        painter.setPen(text_colour)
        text_rect = option.rect.adjusted(SPARK_WIDTH + 10, 0, -2, 0)
        painter.drawText(text_rect, TEXT_FLAGS, str(index.data() or ""))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):
        hint = super().sizeHint(option, index)
        hint.setWidth(hint.width() + SPARK_WIDTH + 10)
        if option.rect.width() > SPARK_WIDTH + 12:  # a row's height asked in a column narrower than the words
            room = QRect(0, 0, option.rect.width() - SPARK_WIDTH - 12, 10_000)
            wrapped = option.fontMetrics.boundingRect(room, TEXT_FLAGS, str(index.data() or "")).height()
            hint.setHeight(max(hint.height(), wrapped + 8))
        return hint

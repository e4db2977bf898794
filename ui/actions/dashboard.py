"""Dashboard: clickable counts (each filters the tracker) and a chart by agency and RAG.

The chart uses hatching as well as colour, and every count is a button with
words, so no information depends on colour alone.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actions.dashboard import Count, Dashboard, compute_dashboard
from app.actions.queries import ActionRow
from app.actions.rag import Rag
from app.office.chart_text import literal

HATCHES = {Rag.RED.value: "xx", Rag.AMBER.value: "//", Rag.GREEN.value: "", Rag.BLUE.value: "..", Rag.GREY.value: "--"}


class DashboardWidget(QWidget):
    #: an ActionFilter: show these actions in the tracker
    filter_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dashboard: Dashboard | None = None
        self.buttons: dict[str, QPushButton] = {}
        self._headline = QHBoxLayout()
        self._rag_box = QGroupBox("By RAG status")
        self._rag_layout = QHBoxLayout(self._rag_box)
        self._agency_box = QGroupBox("By owner agency")
        self._agency_layout = QGridLayout(self._agency_box)
        # matplotlib costs about half a second to import: load it when a dashboard is built
        # (after unlock), not when the window starts.
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(7, 3), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setAccessibleName("Chart of actions by owner agency and RAG status")
        self.canvas.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.addLayout(self._headline)
        layout.addWidget(self._rag_box)
        layout.addWidget(self._agency_box)
        layout.addWidget(self.canvas, 1)

    def _button(self, key: str, count: Count) -> QPushButton:
        button = QPushButton(f"{count.label}: {count.value}")
        button.setAccessibleName(f"Show {count.label.lower()} actions ({count.value})")
        button.setToolTip("Show these actions in the tracker")
        button.clicked.connect(lambda _checked=False, c=count: self.filter_requested.emit(c.filter))
        self.buttons[key] = button
        return button

    @staticmethod
    def _clear(layout: QHBoxLayout | QGridLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()

    def set_rows(self, rows: list[ActionRow], today: date | None = None) -> None:
        board = compute_dashboard(rows, today or date.today())
        self.dashboard = board
        self.buttons = {}
        for layout in (self._headline, self._rag_layout, self._agency_layout):
            self._clear(layout)
        for key, count in (("total", board.total), ("overdue", board.overdue), ("due_soon", board.due_soon)):
            self._headline.addWidget(self._button(key, count))
        for count in board.by_rag:
            self._rag_layout.addWidget(self._button(f"rag:{count.label}", count))
        for index, count in enumerate(board.by_agency):
            self._agency_layout.addWidget(self._button(f"agency:{count.label}", count), index // 4, index % 4)
        self._draw(board)

    def _draw(self, board: Dashboard) -> None:
        self.figure.clear()
        axes = self.figure.add_subplot(1, 1, 1)
        agencies = list(board.agency_rag)
        names = [literal(a) for a in agencies]  # shown as typed, never as mathematics
        bottoms = [0] * len(agencies)
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY):
            values = [board.agency_rag[a].get(rag.value, 0) for a in agencies]
            if not any(values):
                continue
            axes.bar(
                names,
                values,
                bottom=bottoms,
                label=rag.label,
                color=rag.colour,
                edgecolor="#333333",
                hatch=HATCHES[rag.value],
            )
            bottoms = [b + v for b, v in zip(bottoms, values, strict=False)]
        axes.set_ylabel("Actions")
        axes.set_title("Actions by owner agency and RAG")
        if agencies:
            axes.legend(loc="upper right", fontsize="small")
        self.canvas.draw_idle()

    def clear(self) -> None:
        self.figure.clear()
        self.dashboard = None

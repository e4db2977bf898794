"""An indicator's page: its full SPC chart with comparators and annotations, in words too, and its quarters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.office.vector_charts import figure_png, figure_svg
from app.performance.analysis import Dataset, value_text
from app.performance.charts import chart_description, spc_figure
from app.performance.periods import Period
from app.performance.spc import signal_for
from app.performance.suppression import shown
from app.store.user_files import write_user_file
from ui.kit import files
from ui.kit.controls import button, combo, set_combo_data
from ui.kit.empty import explain_when_empty
from ui.messages import reports_errors, show_info
from ui.performance.models import QuarterModel, QuarterRow


class IndicatorPanel(QWidget):
    def __init__(self, data: Callable[[], Dataset | None]) -> None:
        super().__init__()
        self._data = data
        self.indicator = combo("Indicator shown")
        self.agency = combo("Agency shown")
        self.indicator.currentIndexChanged.connect(lambda _i: self._fill_agencies())
        self.agency.currentIndexChanged.connect(lambda _i: self.redraw())
        self.save_png = button("Save chart as &PNG…", "Save chart as PNG", lambda: self.save_chart("png"))
        self.save_svg = button("Save chart as S&VG…", "Save chart as SVG", lambda: self.save_chart("svg"))
        self.picture = QLabel()
        self.picture.setAccessibleName("SPC chart")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumHeight(300)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setAccessibleName("Chart in words")
        self.description.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.description.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.model = QuarterModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Quarters of the indicator")
        explain_when_empty(
            self.table, "No figures for this indicator yet: bring in the agencies' returns on the Figures in tab."
        )
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(180)
        top = QHBoxLayout()
        for label, widget in (("&Indicator:", self.indicator), ("Agenc&y:", self.agency)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            top.addWidget(caption)
            top.addWidget(widget, 1 if widget is self.indicator else 0)
        top.addWidget(self.save_png)
        top.addWidget(self.save_svg)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.description)
        layout.addWidget(self.table)
        self._figure = None

    def refresh(self) -> None:
        data = self._data()
        wanted = self.indicator.currentData()
        self.indicator.blockSignals(True)
        self.indicator.clear()
        if data is not None:
            for info in sorted(data.indicators.values(), key=lambda i: i.code):
                self.indicator.addItem(f"{info.code}  {info.name}", info.uuid)
        set_combo_data(self.indicator, wanted)
        self.indicator.blockSignals(False)
        self._fill_agencies()

    def show_series(self, indicator_uuid: str, agency_uuid: str) -> None:
        set_combo_data(self.indicator, indicator_uuid)
        set_combo_data(self.agency, agency_uuid)
        self.redraw()

    def _fill_agencies(self) -> None:
        data = self._data()
        wanted = self.agency.currentData()
        self.agency.blockSignals(True)
        self.agency.clear()
        if data is not None:
            indicator = self.indicator.currentData()
            for (ind, agency_uuid), series in sorted(data.series.items(), key=lambda kv: kv[1].agency):
                if ind == indicator:
                    self.agency.addItem(series.agency, agency_uuid)
        set_combo_data(self.agency, wanted)
        self.agency.blockSignals(False)
        self.redraw()

    def current_series(self):  # type: ignore[no-untyped-def]
        data = self._data()
        if data is None:
            return None
        return data.series.get((self.indicator.currentData(), self.agency.currentData()))

    def redraw(self) -> None:
        data, series = self._data(), self.current_series()
        if data is None or series is None:
            self.picture.clear()
            self.picture.setText("No figures for this indicator yet.")
            self.description.setText("")
            self.model.clear()
            self._figure = None
            return
        width = max(600, self.picture.width() or 900)
        self._figure = spc_figure(data, series, width_mm=min(260, width / 3.78), height_mm=95)
        pixmap = QPixmap()
        pixmap.loadFromData(figure_png(self._figure, dpi=96))
        self.picture.setPixmap(pixmap)
        text = chart_description(data, series)
        self.picture.setAccessibleDescription(text)
        self.description.setText(text)
        info = series.indicator
        comparators = data.comparators.get(info.uuid, {})
        rows = []
        threshold = data.settings.small_number_threshold
        for point in series.points:
            chart, points = series.spc(point.period)
            signal = (
                signal_for(chart.flags_at(len(points) - 1), info.polarity).short
                if chart and points and points[-1].period == point.period
                else ""
            )
            figure = shown(point.value, point.numerator, info.unit, threshold).text
            rows.append(
                QuarterRow(
                    str(Period(point.period)),
                    figure,
                    "" if point.numerator is None else f"{point.numerator:g}",
                    "" if point.denominator is None else f"{point.denominator:g}",
                    value_text(comparators.get("neighbours", {}).get(point.period), info.unit)
                    if comparators.get("neighbours")
                    else "",
                    value_text(comparators.get("england", {}).get(point.period), info.unit)
                    if comparators.get("england")
                    else "",
                    signal,
                )
            )
        self.model.set_rows(list(reversed(rows)))
        self.table.resizeColumnsToContents()

    @reports_errors("Save chart")
    def save_chart(self, fmt: str) -> None:
        series = self.current_series()
        if self._figure is None or series is None:
            return
        suggested = f"{series.indicator.code}-{series.agency}.{fmt}"
        path = files.save_file(
            self,
            f"Save chart as {fmt.upper()}",
            suggested,
            "PNG image (*.png)" if fmt == "png" else "SVG image (*.svg)",
        )
        if not path:
            return
        data = figure_png(self._figure) if fmt == "png" else figure_svg(self._figure)
        write_user_file(Path(path), data, overwrite=Path(path).exists())
        show_info(self, "Chart saved", f"Saved the chart to {path}.")

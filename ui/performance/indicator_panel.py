"""An indicator's page: its full SPC chart with comparators and annotations, in words too, and its quarters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.office.vector_charts import figure_png, figure_svg
from app.performance.analysis import Dataset, Series, value_text
from app.performance.annotations import add_annotation, remove_annotation
from app.performance.charts import chart_description, spc_figure
from app.performance.periods import Period
from app.performance.spc import signal_for
from app.performance.suppression import shown
from app.store.user_files import write_user_file
from ui.kit import files
from ui.kit.controls import add_captioned, button, combo, line, set_combo_data, text_label
from ui.kit.edit_guard import Draft, EditGuard
from ui.kit.empty import explain_when_empty
from ui.messages import reports_errors, show_info
from ui.performance.models import QuarterModel, QuarterRow
from ui.widgets import refill

#: an annotation being typed, kept on lock and given back on unlock
ANNOTATION_DRAFT = "performance.annotation"


class IndicatorPanel(QWidget):
    def __init__(self, data: Callable[[], Dataset | None], page: Any) -> None:
        super().__init__()
        self._data = data
        self.page = page  # the area page: its context writes annotations
        self.indicator = combo("Indicator shown")
        self.agency = combo("Agency shown")
        self.indicator.currentIndexChanged.connect(lambda _i: self._fill_agencies())
        self.agency.currentIndexChanged.connect(lambda _i: self.redraw())
        self.save_png = button("Save chart as &PNG…", "Save chart as PNG", lambda: self.save_chart("png"))
        self.save_svg = button("Save chart as S&VG…", "Save chart as SVG", lambda: self.save_chart("svg"))
        self.picture = text_label("SPC chart")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumHeight(300)
        self.description = text_label("Chart in words", wrap=True)
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
            add_captioned(top, label, widget, 1 if widget is self.indicator else 0)
        top.addWidget(self.save_png)
        top.addWidget(self.save_svg)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.description)
        layout.addLayout(self._annotation_row())
        layout.addWidget(self.table)
        self._figure = None
        self._redraw_later = QTimer(self)
        self._redraw_later.setSingleShot(True)
        self._redraw_later.setInterval(200)
        self._redraw_later.timeout.connect(self.redraw)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Draw the chart again for the new room once the resizing stops (a cut-off chart hides the quarters)."""
        super().resizeEvent(event)
        if self._figure is not None:
            self._redraw_later.start()

    def _annotation_row(self) -> QHBoxLayout:
        """Notes on the indicator's charts ("new recording system"): drawn on every chart of it."""
        self.notes = QListWidget()
        self.notes.setAccessibleName("Annotations of the indicator's charts")
        self.notes.setMaximumHeight(64)
        self.notes.setWordWrap(True)  # a note is read whole, not scrolled sideways
        self.notes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        explain_when_empty(self.notes, "No annotations: note what explains a shift, e.g. a new recording system.")
        self.note_period = combo("Quarter the annotation applies from")
        self.note_text = line("Annotation text", placeholder="what explains a shift, e.g. new recording system")
        self.note_text.returnPressed.connect(self.add_note)
        # an annotation half typed is kept on lock like any form's typing (issue 10, 2)
        self.note_guard = EditGuard(
            self,
            title="Annotation",
            noun="annotation",
            form=lambda: (self.note_text.text(),),
            save=lambda: False,  # added with Enter or its button; nothing asks on leaving
            draft_key=ANNOTATION_DRAFT,
            restore=self._note_back,
            scope=lambda: {
                "indicator": str(self.indicator.currentData() or ""),
                "agency": str(self.agency.currentData() or ""),
                "period": str(self.note_period.currentData() or ""),
            },
        )
        row = QHBoxLayout()
        add_captioned(row, "A&nnotations:", self.notes, 2)
        row.addWidget(self.note_period)
        row.addWidget(self.note_text, 2)
        row.addWidget(button("Add annotation", "Add the annotation to the indicator's charts", self.add_note))
        row.addWidget(button("Remove annotation", "Remove the chosen annotation", self.remove_note))
        return row

    def _fill_notes(self, series: Any) -> None:
        info = series.indicator if series is not None else None
        wanted = self.note_period.currentData()
        self.note_period.clear()
        self.notes.clear()
        if info is None:
            return
        for point in reversed(series.points):
            self.note_period.addItem(str(Period(point.period)), str(Period(point.period)))
        set_combo_data(self.note_period, wanted)
        data = self._data()
        for row in data.annotations.get(info.uuid, []) if data is not None else []:  # loaded with the dataset
            entry = QListWidgetItem(f"{row.period}: {row.text}")
            entry.setData(Qt.ItemDataRole.UserRole, row.uuid)
            self.notes.addItem(entry)

    def add_note(self) -> None:
        series = self.current_series()
        if series is None:
            return
        code, period, text = series.indicator.code, str(self.note_period.currentData() or ""), self.note_text.text()

        def done(_row: Any) -> None:
            self.note_text.clear()
            self.page.context.show_status(f"Annotated {code} at {period}: the note is on every chart of it")

        self.page.context.write(
            "Annotate the chart", lambda uow: add_annotation(uow, code, period, text), initiator=self.page, on_done=done
        )

    def _note_back(self, draft: Draft) -> None:
        """The chart the annotation was typed on, its quarter and its text (the page gives a draft back
        only once the figures are loaded: after an unlock they load in the background)."""
        self.show_series(draft.scope.get("indicator", ""), draft.scope.get("agency", ""))
        set_combo_data(self.note_period, draft.scope.get("period", ""))
        self.note_text.setText(str((list(draft.values) + [""])[0]))

    def remove_note(self) -> None:
        entry = self.notes.currentItem()
        if entry is None:
            show_info(self, "Annotations", "Choose the annotation to remove in the list first.")
            return
        uuid = str(entry.data(Qt.ItemDataRole.UserRole))
        self.page.context.write("Remove the annotation", lambda uow: remove_annotation(uow, uuid), initiator=self.page)

    def refresh(self) -> None:
        data = self._data()
        indicators = sorted(data.indicators.values(), key=lambda i: i.code) if data is not None else []
        refill(self.indicator, [(f"{i.code}  {i.name}", i.uuid) for i in indicators], keep=True)
        self._fill_agencies()

    def show_series(self, indicator_uuid: str, agency_uuid: str) -> None:
        set_combo_data(self.indicator, indicator_uuid)
        set_combo_data(self.agency, agency_uuid)
        self.redraw()

    def _fill_agencies(self) -> None:
        data = self._data()
        indicator = self.indicator.currentData()
        every = sorted(data.series.items(), key=lambda kv: kv[1].agency) if data is not None else []
        refill(self.agency, [(series.agency, agency) for (ind, agency), series in every if ind == indicator], keep=True)
        self.redraw()

    def current_series(self) -> Series | None:
        data = self._data()
        if data is None:
            return None
        return data.series.get((self.indicator.currentData(), self.agency.currentData()))

    def redraw(self) -> None:
        data, series = self._data(), self.current_series()
        self._fill_notes(series)
        if data is None or series is None:
            self.picture.clear()
            self.picture.setText("No figures for this indicator yet.")
            self.description.setText("")
            self.model.clear()
            self._figure = None
            return
        text = chart_description(data, series)
        self.description.setText(text)  # first: a longer description takes room from the chart
        if self.layout() is not None:
            self.layout().activate()
        width = max(600, self.picture.width() or 900)
        # as tall as the space for it (at 96 dpi, 3.78 pixels a millimetre), so the quarters below are not cut off
        height_mm = min(95.0, max(55.0, (self.picture.height() or 360) / 3.78))
        self._figure = spc_figure(data, series, width_mm=min(260, width / 3.78), height_mm=height_mm)
        pixmap = QPixmap()
        pixmap.loadFromData(figure_png(self._figure, dpi=96))
        self.picture.setPixmap(pixmap)
        self.picture.setAccessibleDescription(text)
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

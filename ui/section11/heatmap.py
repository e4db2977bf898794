"""Seeing the whole partnership: agencies by standards, the moderated score written in every cell.

The grid is a table (screen readers read "Police, S3: 1 (Red), self-assessed 3");
colour repeats the score and its RAG word, never replaces them. Below it, who
over-rates (self against moderated). Charts save as PNG or SVG, the cycle
report as XLSX or PDF, all made off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.section11.charts import (
    YEAR_ON_YEAR_BASIS,
    HeatCell,
    HeatMap,
    SectorRow,
    SelfModeratedRow,
    YearOnYearRow,
    heat_map_data,
    heat_map_figure,
    sector_summary,
    self_vs_moderated,
    self_vs_moderated_figure,
    year_on_year,
    year_on_year_figure,
)
from app.section11.cycles import cycle_scale, get_cycle
from app.section11.reports import report_bytes
from app.section11.scales import RAG_COLOURS, RAG_LABELS, RED
from app.text import count_of
from ui.areas.base import AreaContext
from ui.kit.controls import action, add_captioned, button, combo, text_label, two_panes
from ui.kit.table_model import CENTRE, ColumnTableModel, TableColumn, number_column

CHARTS = (
    ("Heat map", "heat-map"),
    ("Self against moderated", "self-v-moderated"),
    ("Year on year by agency", "year-on-year-agency"),
    ("Year on year by standard", "year-on-year-standard"),
)


@dataclass(frozen=True)
class HeatRow:
    """One agency's row of the heat map."""

    agency_name: str
    cells: list[HeatCell]


def _heat_column(heat: HeatMap, number: int) -> TableColumn[HeatRow]:
    """One standard's column: the score in the cell; its words, RAG and self score in the tooltip."""
    code, title = heat.standards[number], heat.standard_titles[number]

    def words(row: HeatRow) -> str:
        # which rating the cell shows, said in words: "2 (Green), self-assessed 3" did not say the 2 was the panel's
        cell = row.cells[number]
        score = (
            "not moderated yet (nothing shown)"
            if cell.score is None
            else f"shown: the panel's moderated score {cell.text} ({RAG_LABELS[cell.rag]})"
        )
        self_words = (
            "no self-assessed score" if cell.self_score is None else f"self-assessed {cell.self_score} (not shown)"
        )
        return f"{row.agency_name}, {code} {title}: {score}; {self_words}"

    return TableColumn(
        code,
        lambda r: r.cells[number].text,
        tooltip=words,
        accessible=words,
        align=CENTRE,
        colours=lambda r: (RAG_COLOURS[r.cells[number].rag], "#000000"),
        heading_tooltip=title,
    )


class HeatMapModel(ColumnTableModel[HeatRow]):
    """Agencies (rows, named in the vertical header) by standards (columns, built per cycle)."""

    def __init__(self) -> None:
        super().__init__()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_heat(self, heat: HeatMap | None) -> None:
        if heat is None:
            self.set_rows([], ())
            return
        rows = [HeatRow(name, cells) for name, cells in zip(heat.agency_names, heat.cells, strict=True)]
        self.set_rows(rows, [_heat_column(heat, number) for number in range(len(heat.standards))])

    def row_heading(self, row: int) -> str:
        return self.rows[row].agency_name

    def extra_data(self, item: HeatRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and item.cells[column].rag == RED:
            return self._bold  # red cells stand out without colour too
        return None


def _mean(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


class SelfModeratedModel(ColumnTableModel[SelfModeratedRow]):
    columns = (
        TableColumn("Agency", lambda r: r.agency_name),
        TableColumn("Mean self score", lambda r: _mean(r.self_mean), sort=lambda r: r.self_mean, align=CENTRE),
        TableColumn("Mean moderated", lambda r: _mean(r.moderated_mean), sort=lambda r: r.moderated_mean, align=CENTRE),
        TableColumn(
            "Over-rated",
            lambda r: count_of(r.over_rated, "standard"),
            sort=lambda r: r.over_rated,
            colours=lambda r: ("#f4c7c3", "#000000") if r.over_rated else None,
        ),
        TableColumn("Under-rated", lambda r: count_of(r.under_rated, "standard"), sort=lambda r: r.under_rated),
        TableColumn("Moderated", lambda r: count_of(r.moderated, "standard"), sort=lambda r: r.moderated),
    )


CHANGE_COLOURS = {"better": ("#b9e4c5", "#000000"), "worse": ("#f4b6b0", "#000000")}


def _score_text(value: int | None) -> str:
    """A year-on-year score as its cell shows it: always the panel's, and the cell says so (colour and the
    heading are not the only signal of which rating a number is)."""
    return "-" if value is None else f"{value} (moderated)"


def _year_words(row: YearOnYearRow) -> str:
    """What a year-on-year row compares, in words, for its tooltip and a screen reader."""
    if row.now is None:
        compared = "not moderated yet this cycle, so not compared"
    else:
        was = "no moderated score last cycle" if row.last is None else f"moderated {row.last} last cycle"
        compared = f"{was}, moderated {row.now} this cycle: {row.change_label.lower()}"
    return f"{row.agency_name}, {row.standard} {row.standard_title}: {compared}; self-assessed scores are not compared"


def _cycle_column(heading: str, score: Callable[[YearOnYearRow], int | None]) -> TableColumn[YearOnYearRow]:
    """A cycle's moderated scores, each cell and its tooltip saying whose score it is."""
    return TableColumn(
        heading,
        lambda r: _score_text(score(r)),
        sort=score,
        tooltip=_year_words,
        accessible=_year_words,
        align=CENTRE,
        heading_tooltip=f"The panel's moderated score {heading.lower()} (self-assessed scores are never shown here)",
    )


class YearOnYearModel(ColumnTableModel[YearOnYearRow]):
    columns = (
        TableColumn("Agency", lambda r: r.agency_name),
        TableColumn("Standard", lambda r: f"{r.standard} {r.standard_title}", sort=lambda r: int(r.standard[1:])),
        _cycle_column("Last cycle", lambda r: r.last),
        _cycle_column("This cycle", lambda r: r.now),
        TableColumn("Change", lambda r: r.change_label, colours=lambda r: CHANGE_COLOURS.get(r.change)),
    )


class SectorModel(ColumnTableModel[SectorRow]):
    columns = (
        TableColumn("Sector", lambda r: r.sector or "(none)"),
        number_column("Agencies", lambda r: r.agencies, CENTRE),
        TableColumn("Mean moderated", lambda r: _mean(r.moderated_mean), sort=lambda r: r.moderated_mean, align=CENTRE),
        number_column("Red", lambda r: r.red, CENTRE),
        number_column("Amber", lambda r: r.amber, CENTRE),
        number_column("Green", lambda r: r.green, CENTRE),
        number_column("Not moderated", lambda r: r.not_moderated, CENTRE),
        number_column("Over-rated", lambda r: r.over_rated, CENTRE),
    )


def _list_table(name: str, model: ColumnTableModel[Any], stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def chart_figure(session: Any, cycle_uuid: str, key: str) -> Any:
    cycle = get_cycle(session, cycle_uuid)
    if key == "heat-map":
        return heat_map_figure(heat_map_data(session, cycle_uuid))
    if key == "self-v-moderated":
        return self_vs_moderated_figure(
            self_vs_moderated(session, cycle_uuid), cycle.name, highest=cycle_scale(cycle).highest
        )
    by = "agency" if key.endswith("agency") else "standard"
    return year_on_year_figure(year_on_year(session, cycle_uuid), cycle.name, by=by)


class HeatMapView(QWidget):
    def __init__(self, context: AreaContext, cycle_uuid: str, back: Callable[[], None]) -> None:
        super().__init__()
        self.context = context
        self.cycle_uuid = cycle_uuid
        self.title = text_label("Heat map of the cycle", bold=True)
        self.key = text_label("Key to the heat map", wrap=True)
        self.model = HeatMapModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Moderated scores: agencies by standards")
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        self.rating_model = SelfModeratedModel()
        self.ratings = _list_table("Who over-rates: self against moderated", self.rating_model, 0)
        self.year_model = YearOnYearModel()
        self.years = _list_table("Year on year per agency and standard", self.year_model, 1)
        self.years_key = text_label("What year on year compares", YEAR_ON_YEAR_BASIS, wrap=True)
        years_tab = QWidget()
        years_layout = QVBoxLayout(years_tab)
        years_layout.setContentsMargins(0, 0, 0, 0)
        years_layout.addWidget(self.years_key)
        years_layout.addWidget(self.years, 1)
        self.sector_model = SectorModel()
        self.sectors = _list_table("Summary by sector", self.sector_model, 0)
        self.chart = combo("Chart to save", list(CHARTS))
        self.save_png_action = action(self, "Save the chart as &PNG…", "Ctrl+Shift+P", lambda: self.save_chart("png"))
        self.save_svg_action = action(self, "Save the chart as S&VG…", "Ctrl+Shift+G", lambda: self.save_chart("svg"))
        self.report_xlsx_action = action(
            self, "Cycle report as &XLSX…", "Ctrl+Shift+X", lambda: self.save_report("xlsx")
        )
        self.report_pdf_action = action(self, "Cycle report as P&DF…", "Ctrl+Shift+F", lambda: self.save_report("pdf"))
        top = QHBoxLayout()
        top.addWidget(button("← &Register (Alt+Left)", "Back to the cycle register", back))
        top.addWidget(self.title, 1)
        buttons = QHBoxLayout()
        add_captioned(buttons, "&Chart:", self.chart)
        buttons.addWidget(button("Save &PNG…", "Save the chart as PNG (Ctrl+Shift+P)", lambda: self.save_chart("png")))
        buttons.addWidget(button("Save S&VG…", "Save the chart as SVG (Ctrl+Shift+G)", lambda: self.save_chart("svg")))
        buttons.addWidget(
            button("Report &XLSX…", "Cycle report as XLSX (Ctrl+Shift+X)", lambda: self.save_report("xlsx"))
        )
        buttons.addWidget(button("Report P&DF…", "Cycle report as PDF (Ctrl+Shift+F)", lambda: self.save_report("pdf")))
        buttons.addStretch(1)
        lower = QTabWidget()
        lower.setAccessibleName("Summaries of the cycle")
        lower.tabBar().setAccessibleName("Summaries of the cycle")
        lower.addTab(self.ratings, "Who &over-rates")
        lower.addTab(years_tab, "&Year on year")
        lower.addTab(self.sectors, "By &sector")
        self.summaries = lower
        splitter = two_panes(self.table, lower, vertical=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.key)
        layout.addWidget(splitter, 1)
        self.reload()

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            heat = heat_map_data(session, self.cycle_uuid)
            ratings = self_vs_moderated(session, self.cycle_uuid)
            years = year_on_year(session, self.cycle_uuid)
            sectors = sector_summary(session, self.cycle_uuid)
            scale = cycle_scale(get_cycle(session, self.cycle_uuid))
        self.model.set_heat(heat)
        self.rating_model.set_rows(ratings)
        self.year_model.set_rows(years)
        self.sector_model.set_rows(sectors)
        self.title.setText(f"{heat.cycle}: moderated scores ({heat.scale})")
        levels = "; ".join(
            (level.label if level.label.startswith(level.short) else f"{level.short} = {level.label}")
            + f" ({RAG_LABELS[scale.rag(level.value)]})"
            for level in scale.levels
        )
        standards = "; ".join(
            f"{code} {title}" for code, title in zip(heat.standards, heat.standard_titles, strict=False)
        )
        self.key.setText(
            f"Each cell: the panel's moderated score ('-' = not moderated; the agency's self-assessed score is in "
            f"the cell's tooltip, never in the cell). {levels}. Standards: {standards}."
        )

    def save_chart(self, fmt: str) -> None:
        key = self.chart.currentData()
        name = f"s11-{key}.{fmt}"
        cycle = self.cycle_uuid

        def make(session: Any) -> bytes:
            from app.office.vector_charts import figure_png, figure_svg

            figure = chart_figure(session, cycle, key)
            return figure_png(figure) if fmt == "png" else figure_svg(figure)

        self.context.save_generated_as(
            self,
            f"Save the chart as {fmt.upper()}",
            name,
            "PNG image (*.png)" if fmt == "png" else "SVG image (*.svg)",
            "Drawing the chart…",
            make,
            lambda out: self.context.show_status(f"Chart saved to {out}"),
        )

    def save_report(self, fmt: str) -> None:
        cycle = self.cycle_uuid
        self.context.save_generated_as(
            self,
            f"Save the cycle report as {fmt.upper()}",
            f"s11-cycle-report.{fmt}",
            "Excel workbook (*.xlsx)" if fmt == "xlsx" else "PDF (*.pdf)",
            "Making the cycle report…",
            lambda session: report_bytes(session, cycle, fmt),
            lambda out: self.context.show_status(f"Cycle report saved to {out}"),
        )

    def on_changes(self, changes: Any) -> None:
        if changes.touches("s11_assessment", "s11_participant", "s11_standard", "agency"):
            self.reload()

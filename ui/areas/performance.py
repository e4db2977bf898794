"""The performance data area: scorecard, an indicator's SPC chart, the quarter's exceptions, the catalogue,
and figures in.

Keyboard: Alt+1..5 choose the tabs (Ctrl+1..9 choose areas); Enter on a scorecard row opens its chart;
Ctrl+S saves the form in front (commentary or indicator). Every control has an
accessible name and every signal carries a word.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.performance.analysis import Dataset, ScoreRow, filter_scorecard, load_dataset, scorecard
from app.performance.exceptions import list_exceptions, missing_returns
from app.performance.periods import Period
from app.records import ChangeSet
from app.text import count_of
from ui.areas.base import AreaContext, AreaPage, AreaSpec
from ui.kit.controls import add_captioned, combo, tab_keys, text_label
from ui.kit.edit_guard import Draft, give_back_typing, typed_inside
from ui.kit.empty import change_empty_text
from ui.kit.table_model import ROW_ROLE
from ui.performance.catalogue_panel import CataloguePanel
from ui.performance.exceptions_panel import ExceptionsPanel
from ui.performance.import_panel import ImportPanel
from ui.performance.indicator_panel import ANNOTATION_DRAFT, IndicatorPanel
from ui.performance.models import SPARK_COLUMN, ScorecardModel
from ui.performance.sparkline import SPARK_WIDTH, SparklineDelegate
from ui.widgets import plain_record_table, refill

TABLES = (
    "perf_indicator",
    "perf_definition_break",
    "perf_value",
    "perf_comparator",
    "perf_exception",
    "perf_setting",
    "perf_annotation",
    "agency",
    "action",
)


NO_FIGURES_YET = "No figures yet: send agencies their return templates and bring them in on the Figures in tab (Alt+5)."


class PerformancePage(AreaPage):
    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self.data: Dataset | None = None
        #: every scorecard row, computed with the data in the background load; filters pick from it
        self.card: list[ScoreRow] = []
        self._loading = self._load_again = False  # a background load running; another asked for meanwhile
        self._drafts_waiting: list[Draft] = []  # kept at the lock, given back once the figures are shown
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Performance data views")

        self.agency_filter = combo("Filter scorecard by agency")
        self.theme_filter = combo("Filter scorecard by theme")
        for box in (self.agency_filter, self.theme_filter):  # "All agencies" in full, not "All agenc"
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.agency_filter.currentIndexChanged.connect(lambda _i: self.fill_scorecard())
        self.theme_filter.currentIndexChanged.connect(lambda _i: self.fill_scorecard())
        self.scores = ScorecardModel()
        self.score_table = plain_record_table(self.scores, "Scorecard", empty=NO_FIGURES_YET)
        self.score_table.setSortingEnabled(True)
        self.score_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.score_table.setItemDelegateForColumn(SPARK_COLUMN, SparklineDelegate(self.score_table))
        self.score_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # rows follow the indicator column as the window's width changes it (the words wrap in it)
        self._fit_rows = QTimer(self, singleShot=True, interval=0, timeout=self.score_table.resizeRowsToContents)
        self.score_table.horizontalHeader().sectionResized.connect(
            lambda column, _old, _new: self._fit_rows.start() if column == 1 else None
        )
        self.score_table.activated.connect(lambda index: self.open_score_row(index.row()))
        self.summary = text_label("Scorecard summary")
        scorecard_page = QWidget()
        filters = QHBoxLayout()
        for label, widget in (("Agenc&y:", self.agency_filter), ("Th&eme:", self.theme_filter)):
            add_captioned(filters, label, widget)
        filters.addWidget(self.summary, 1)
        layout = QVBoxLayout(scorecard_page)
        layout.addLayout(filters)
        layout.addWidget(self.score_table)

        self.indicator = IndicatorPanel(lambda: self.data, self)
        self.exceptions = ExceptionsPanel(self)
        self.catalogue = CataloguePanel(self)
        self.importer = ImportPanel(self)
        for widget, title in (
            (scorecard_page, "Scorecard"),
            (self.indicator, "Indicator"),
            (self.exceptions, "Exceptions"),
            (self.catalogue, "Catalogue"),
            (self.importer, "Figures in"),
        ):
            self.tabs.addTab(widget, title)
        self._tab_actions = tab_keys(self, self.tabs, self.show_tab)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.reload()

    # -- loading -----------------------------------------------------------------

    def reload(self) -> None:
        """Load the dataset, its scorecard and the chosen quarter's exceptions off the GUI thread, then show them.

        80,000 figures take seconds to load and to run SPC over (docs/benchmarks.md): the window
        stays responsive meanwhile, and the GUI thread only hands the finished rows to the models.
        A change arriving during a load asks for one more load after it.
        """
        if self._loading:
            self._load_again = True
            return
        self._loading, self._load_again = True, False
        workspace, wanted = self.context.workspace, self.exceptions.current_period()

        def work(_progress: Any) -> tuple[Dataset, list[ScoreRow], Period | None, list[Any], list[Any]]:
            try:
                with workspace.reading() as session:
                    data = load_dataset(session)
                    periods = data.periods()
                    period = wanted if wanted is not None and wanted.index in periods else None
                    if period is None and periods:
                        period = Period(periods[-1])
                    rows = list_exceptions(session, period, data) if period is not None else []
                    missing = missing_returns(session, period, data) if period is not None else []
                card = scorecard(data)  # SPC over every series: pure computation, out of the session
            except BaseException:
                self._loading = False  # the window shows the error; the next change loads again
                raise
            return data, card, period, rows, missing

        def done(outcome: tuple[Dataset, list[ScoreRow], Period | None, list[Any], list[Any]]) -> None:
            self._loading = False
            if self.context.workspace.is_locked:
                return
            # the load ends after the change that asked for it was handled: what is typed meanwhile is
            # given back here, or the forms would show the stored values over it
            typed = typed_inside(self)
            self._show_data(*outcome)
            give_back_typing(typed)
            waiting, self._drafts_waiting = self._drafts_waiting, []
            for draft in waiting:
                self._give_back(draft)
            if self._load_again:
                self.reload()

        self.context.run("Loading the performance data…", work, done)

    def _show_data(
        self, data: Dataset, card: list[ScoreRow], period: Period | None, rows: list[Any], missing: list[Any]
    ) -> None:
        self.data, self.card = data, card
        for box, items, everything in (
            (self.agency_filter, sorted({(s.agency, s.agency_uuid) for s in data.series.values()}), "All agencies"),
            (
                self.theme_filter,
                sorted({(i.theme, i.theme) for i in data.indicators.values() if i.theme}),
                "All themes",
            ),
        ):
            refill(box, [(everything, None), *items], keep=True)
        self.fill_scorecard()
        self.indicator.refresh()
        self.exceptions.set_periods(data.periods())
        chosen = self.exceptions.current_period()
        if period is not None and chosen is not None and chosen != period:
            # another quarter chosen while the figures loaded: its exceptions, not the load's (setting the
            # box back would ask about the commentary being typed there, and Cancel would lose it)
            self.load_exceptions()
        else:
            if period is not None:
                self.exceptions.quarter.put(str(period))
            self.exceptions.show_rows(rows, missing)
        self.catalogue.reload()
        self.importer.reload(data.latest_period())

    def fill_scorecard(self) -> None:
        """Show the rows the filters pick from the card the background load computed (no SQL, no SPC here)."""
        if self.data is None:
            return
        rows = filter_scorecard(
            self.card, agency=self.agency_filter.currentData(), theme=self.theme_filter.currentData()
        )
        self.scores.set_rows(rows)
        change_empty_text(self.score_table, NO_FIGURES_YET if rows or not self.card else self._none_match_text())
        header = self.score_table.horizontalHeader()
        self.scores.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        concerns = sum(1 for r in rows if r.signal == "Concern")
        self.summary.setText(f"{count_of(len(rows), 'indicator figure')}; {concerns} with a concern signal.")
        fit_scorecard_columns(self.score_table)

    def _none_match_text(self) -> str:
        chosen = [box.currentText() for box in (self.agency_filter, self.theme_filter) if box.currentData() is not None]
        return f"No figures for {' in '.join(chosen)}. Choose All agencies (Alt+Y) or All themes (Alt+E) to see more."

    def load_exceptions(self) -> None:
        period = self.exceptions.current_period()
        if period is None or self.data is None:
            self.exceptions.show_rows([], [])
            return
        with self.context.workspace.reading() as session:
            rows = list_exceptions(session, period, self.data)
            missing = missing_returns(session, period, self.data)
        self.exceptions.show_rows(rows, missing)

    # -- navigation --------------------------------------------------------------

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        widget = self.tabs.currentWidget()
        target = {
            0: self.score_table,
            2: self.exceptions.table,
            3: self.catalogue.table,
            1: self.indicator.indicator,
            4: self.importer.choose,
        }.get(index, widget)
        target.setFocus()

    def open_score_row(self, row: int) -> None:
        item = self.scores.index(row, 0).data(ROW_ROLE)
        if item is not None:
            self.show_indicator(item.indicator_uuid, item.agency_uuid)

    def show_indicator(self, indicator_uuid: str, agency_uuid: str) -> None:
        self.tabs.setCurrentWidget(self.indicator)
        self.indicator.show_series(indicator_uuid, agency_uuid)
        self.indicator.description.setFocus()

    # -- area contract -----------------------------------------------------------

    def on_changes(self, changes: ChangeSet) -> None:
        if self.context.made_by(self) and changes.tables() <= {"perf_exception"}:
            return  # our own commentary: the exceptions panel has already updated its row
        if changes.touches(*TABLES):
            self.reload()

    def screenshot_views(self) -> list[tuple[str, Any]]:
        """Views for scripts/screenshots.py."""

        def spc() -> None:
            row = next((r for r in self.scores.rows if r.signal == "Concern"), None)
            if row is not None:
                self.show_indicator(row.indicator_uuid, row.agency_uuid)

        return [
            ("indicator", spc),
            ("exceptions", lambda: self.show_tab(2)),
            ("catalogue", lambda: self.show_tab(3)),
            ("figures-in", lambda: self.show_tab(4)),
        ]

    def restore_draft(self, draft: Draft) -> bool:
        """Unsaved edits kept at the last lock: the indicator editor's, an exception's commentary or an
        annotation being typed."""
        guards = self._draft_guards()
        if draft.key not in guards:
            return False
        if self.data is None or self._loading:
            # after unlock the figures are still loading: the draft's row is not there to choose yet
            self.show_tab(guards[draft.key][0])
            self._drafts_waiting.append(draft)
        else:
            self._give_back(draft)
        return True

    def _draft_guards(self) -> dict[str, tuple[int, Any]]:
        return {
            "performance.indicator": (3, self.catalogue.guard),
            "performance.exception": (2, self.exceptions.guard),
            ANNOTATION_DRAFT: (1, self.indicator.note_guard),
        }

    def _give_back(self, draft: Draft) -> None:
        tab, guard = self._draft_guards()[draft.key]
        self.show_tab(tab)
        guard.take_back(draft)

    def main_view(self) -> QWidget | None:
        return self.score_table

    def area_actions(self) -> list[QAction]:
        return list(self._tab_actions)

    def shutdown(self) -> None:
        self.data, self.card = None, []
        self.scores.clear()
        self.exceptions.model.clear()
        self.catalogue.model.clear()
        self.indicator.model.clear()


AREA = AreaSpec(
    key="performance",
    title="Performance data",
    order=45,
    factory=PerformancePage,
    description="Indicators, agency returns, SPC exceptions with commentary, charts and reports",
)


#: the scorecard's columns whose words may run long ("not shown (numerator fewer than 10)", "not compared
#: (small numbers)"): each as wide as its usual words, given here, and wrapped beyond
WRAP_AT = {4: "68.1 per 10,000", SPARK_COLUMN: "→ no change", 6: "+12.9 pts vs neighbours", 7: "Common cause"}


def fit_scorecard_columns(table: QTableView) -> None:
    """Every column on a 1366-wide screen with the indicator's name readable: a trial found the names cut to
    "Assessme..." beside a Latest column as wide as "not shown (numerator fewer than 5)", and, once the
    threshold was 10, the SPC signal and target scrolled off to the right. Long words wrap instead and
    rows grow to hold them."""
    table.setWordWrap(True)
    rows = table.verticalHeader()
    rows.setMinimumSectionSize(rows.defaultSectionSize())  # a row of one line as high as in every other table
    table.resizeColumnsToContents()
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    for column, usual in WRAP_AT.items():
        widest = metrics.horizontalAdvance(usual) + 16 + (SPARK_WIDTH + 10 if column == SPARK_COLUMN else 0)
        header.resizeSection(column, min(header.sectionSize(column), widest))
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()

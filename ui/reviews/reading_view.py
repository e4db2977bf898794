"""A chronology to read and to print: every column wrapped in full, like the Word table reviewers use.

The reviewer picks and orders the columns (Space ticks, Alt+Up/Alt+Down
moves), filters the rows (agency, significant only, episode, words), and
sees the text of every cell wrapped, in date order. Agency and significance
are words in their own cells, never colour alone. "Print preview" builds the
panel PDF from exactly the same rows and columns (``app.chronology.panel_pdf``)
and shows its pages; printing and saving use those pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.chronology.anonymise import Anonymiser
from app.chronology.exports import COLUMNS, export_stamp
from app.chronology.panel_pdf import (
    COLUMN_WEIGHTS,
    PANEL_COLUMNS,
    PanelOptions,
    collect_panel,
    reading_grid,
    render_panel_pdf,
)
from app.chronology.rows import EntryRow, RowFilter, filter_rows, load_rows
from app.records import ChangeSet
from app.reviews.analysis import list_episodes
from app.reviews.register import get_review
from app.text import count_of
from ui.areas.base import AreaContext
from ui.kit.controls import action, add_captioned, button, check, combo, line, text_label
from ui.kit.empty import explain_when_empty
from ui.kit.table_model import ColumnTableModel, TableColumn
from ui.reviews.print_preview import PdfPreviewDialog
from ui.widgets import refill

READING_TABLES = (
    "chronology_entry",
    "entry_episode_link",
    "agency",
    "key_practice_episode",
    "review",
    "review_person",
    "glossary_term",
)


TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


def _reading_column(number: int, name: str) -> TableColumn[list[str]]:
    """The `number`th chosen column, headed `name`: its cells are the grid's texts, wrapped from the top left."""
    return TableColumn(
        # two lines, so narrow columns keep their heading
        name.replace("Source of information", "Source of\ninformation"),
        lambda r: r[number],
        align=TOP_LEFT,
        accessible=lambda r: f"{name}: {r[number] or 'blank'}",
    )


class ReadingModel(ColumnTableModel[list[str]]):
    """Rows of cell texts under chosen headings, numbered; screen readers hear "heading: text"."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []

    @property
    def grid(self) -> list[list[str]]:
        return self.rows

    def set_grid(self, header: list[str], grid: list[list[str]]) -> None:
        self.header = header
        self.set_rows(grid, [_reading_column(number, name) for number, name in enumerate(header)])

    def row_heading(self, row: int) -> str:
        return str(row + 1)


class ReadingTab(QWidget):
    """Read the chronology in full, choose columns and rows, preview and print the panel document."""

    def __init__(self, context: AreaContext, review_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.rows: list[EntryRow] = []
        self.shown: list[EntryRow] = []
        self.episode_numbers: dict[str, int] = {}
        self.preview: PdfPreviewDialog | None = None
        self.stale = True

        self.agency = combo("Agency filter")
        self.episode = combo("Key practice episode filter")
        self.search = line("Words to find in the entries", placeholder="words to find")
        self.significant = check("&Significant only", "Significant events only")
        self.anonymised = check("Anony&mised", "Show and print anonymised text")
        self.version = line("Version", text="1")
        self.version.setMaximumWidth(70)
        self.final = check("FINAL (not draft)", "Mark the document FINAL instead of DRAFT")
        for signal in (self.agency.currentIndexChanged, self.episode.currentIndexChanged):
            signal.connect(lambda *_: self.refresh())
        self.search.textChanged.connect(lambda *_: self.refresh())
        self.significant.toggled.connect(lambda *_: self.refresh())
        self.anonymised.toggled.connect(lambda *_: self.reload())

        self.columns = QListWidget()
        self.columns.setAccessibleName("Columns to show and print, in order (Space ticks, Alt+Up and Alt+Down move)")
        self.columns.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for name in [*PANEL_COLUMNS, *[c for c in COLUMNS if c not in PANEL_COLUMNS]]:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in PANEL_COLUMNS else Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        self.columns.setCurrentRow(0)
        self.columns.itemChanged.connect(lambda *_: self.refresh())
        self.columns.model().rowsMoved.connect(lambda *_: self.refresh())
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.columns)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda step=step: self.move_column(step))
        column_box = QGroupBox("Col&umns")
        column_layout = QVBoxLayout(column_box)
        column_layout.addWidget(self.columns, 1)
        moves = QHBoxLayout()
        moves.addWidget(button("Up", "Move the column up (Alt+Up)", lambda: self.move_column(-1)))
        moves.addWidget(button("Down", "Move the column down (Alt+Down)", lambda: self.move_column(1)))
        column_layout.addLayout(moves)
        column_box.setMaximumWidth(180)
        self.columns_box = column_box

        self.model = ReadingModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Chronology for reading: every column wrapped in full")
        explain_when_empty(
            self.table,
            "No entries to read: import agencies' returns or add entries in the Chronology tab (or clear the filters).",
        )
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self.summary = text_label("Rows shown")
        filters = QHBoxLayout()
        for caption, widget in (("Agenc&y:", self.agency), ("&Episode:", self.episode), ("Fin&d:", self.search)):
            add_captioned(filters, caption, widget, 1 if widget is self.search else 0)
        filters.addWidget(self.significant)
        filters.addWidget(self.anonymised)
        printing = QHBoxLayout()
        printing.addWidget(self.summary, 1)
        add_captioned(printing, "&Version:", self.version)
        printing.addWidget(self.final)
        printing.addWidget(button("Print preview… (Ctrl+P)", "Print preview of the chronology", self.open_preview))
        action(self, "Print preview", "Ctrl+P", self.open_preview)
        body = QHBoxLayout()
        body.addWidget(column_box)
        body.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(body, 1)
        layout.addLayout(printing)

    # -- data -------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*READING_TABLES):
            if self.isVisible():
                self.reload()
            else:
                self.stale = True

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            anonymiser = Anonymiser.for_review(session, self.review_uuid) if self.anonymised.isChecked() else None
            self.rows = load_rows(session, self.review_uuid, anonymiser=anonymiser)
            episodes = [(e.uuid, e.number, e.title) for e in list_episodes(session, self.review_uuid)]
            agencies = sorted({(r.agency, r.agency_uuid) for r in self.rows})
        self.episode_numbers = {uuid: number for uuid, number, _title in episodes}
        refill(self.agency, [("All agencies", None), *agencies], keep=True)
        refill(self.episode, [("All entries", None), *((f"KPE {n}: {t}", u) for u, n, t in episodes)], keep=True)
        self.stale = False
        self.refresh()

    def chosen_columns(self) -> list[str]:
        return [
            self.columns.item(i).text()
            for i in range(self.columns.count())
            if self.columns.item(i).checkState() == Qt.CheckState.Checked
        ]

    def row_filter(self) -> RowFilter:
        agency = self.agency.currentData()
        return RowFilter(
            agencies=frozenset({agency}) if agency else frozenset(),
            text=self.search.text(),
            significant_only=self.significant.isChecked(),
            episode_uuid=self.episode.currentData(),
        )

    def refresh(self) -> None:
        columns = self.chosen_columns()
        self.shown = [self.rows[i] for i in filter_rows(self.rows, self.row_filter())]
        self.model.set_grid(columns, reading_grid(self.shown, columns, self.episode_numbers) if columns else [])
        self.fit_columns()
        self.summary.setText(
            f"{len(self.shown)} of {len(self.rows)} entries, in date order; "
            f"{count_of(len(columns), 'column')}." + ("" if columns else " Tick at least one column.")
        )

    def fit_columns(self) -> None:
        """Share the table's width by column weight (text columns wide), so nothing needs sideways scrolling."""
        columns = self.model.header
        total = sum(COLUMN_WEIGHTS[c] for c in columns) or 1
        width = (
            self.table.width()
            - self.table.verticalHeader().width()
            - 2 * self.table.frameWidth()
            - self.table.verticalScrollBar().sizeHint().width()
            - 2
        )
        width = max(width, 60 * len(columns))
        for index, name in enumerate(columns):
            self.table.setColumnWidth(index, int(width * COLUMN_WEIGHTS[name] / total))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def move_column(self, step: int) -> None:
        row = self.columns.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.columns.count():
            return
        self.columns.blockSignals(True)
        item = self.columns.takeItem(row)
        self.columns.insertItem(target, item)
        self.columns.setCurrentRow(target)
        self.columns.blockSignals(False)
        self.refresh()

    # -- printing -------------------------------------------------------------------------

    def options(self) -> PanelOptions:
        return PanelOptions(
            columns=tuple(self.chosen_columns()),
            row_filter=self.row_filter(),
            anonymised=self.anonymised.isChecked(),
            version=self.version.text().strip() or "1",
            final=self.final.isChecked(),
        )

    def build_pdf(self) -> bytes:
        with self.context.workspace.reading() as session:
            return render_panel_pdf(collect_panel(session, self.review_uuid, self.options()))

    def open_preview(self) -> None:
        options = self.options()
        workspace, review = self.context.workspace, self.review_uuid

        def work(_progress: object) -> tuple[bytes, str]:
            with workspace.reading() as session:
                reference = get_review(session, review).reference
                return render_panel_pdf(collect_panel(session, review, options)), reference

        self.context.run("Laying out the chronology for printing…", work, self.show_preview)

    def show_preview(self, result: tuple[bytes, str]) -> None:
        pdf, reference = result
        options = self.options()
        name = (
            f"{reference}-chronology-v{options.version}-{options.marking.lower()}"
            + ("-anonymised" if options.anonymised else "")
            + f"-{export_stamp()}.pdf"
        )
        self.preview = PdfPreviewDialog(self, pdf, str(Path(name)), f"{reference} chronology")
        self.preview.open()

"""One table model for every list of records: columns are declared, not hand-written.

Every table in the workbench shows rows of plain objects (dataclasses from a
service) with a fixed set of columns. Declaring each column once (heading, how
its text is made, how it sorts, its tooltip, alignment, colours) keeps the Qt
boilerplate (`rowCount`, `data`, `headerData`, accessible text) in one place:

    class ContactsModel(ColumnTableModel[ContactRow]):
        columns = (
            TableColumn("Name", lambda c: c.display_name),
            number_column("Records", lambda c: c.total),
        )

Colours are never the only signal (the cell's text carries the word), and
screen readers hear "heading: text" for each cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter

#: the role under which a row's sort key is offered (for QSortFilterProxyModel.setSortRole)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: the role under which the row object itself is offered
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class TableColumn(Generic[Row]):
    """One column: its heading and how a row becomes the cell's text, sort key, tooltip, colours."""

    heading: str
    text: Callable[[Row], str]
    sort: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str] | None = None
    align: Qt.AlignmentFlag | None = None
    #: (background, foreground) colours as "#rrggbb", or None for the default look
    colours: Callable[[Row], tuple[str, str] | None] | None = None
    #: what a screen reader hears for the cell, when "heading: text" says too little
    accessible: Callable[[Row], str] | None = None
    #: the heading's tooltip (a short code's full title)
    heading_tooltip: str | None = None


def number_column(heading: str, value: Callable[[Any], int], align: Qt.AlignmentFlag = RIGHT) -> TableColumn[Any]:
    """A column of whole numbers: shown as digits, sorted as numbers, right-aligned unless `align` says."""
    return TableColumn(heading, lambda r: str(value(r)), sort=value, align=align)


class ColumnTableModel(QAbstractTableModel, Generic[Row]):
    """Rows of plain objects shown through declared `columns`; read-only."""

    columns: Sequence[TableColumn[Any]] = ()

    def __init__(self, columns: Sequence[TableColumn[Any]] | None = None) -> None:
        super().__init__()
        if columns is not None:
            self.columns = tuple(columns)
        self.rows: list[Row] = []
        self._keys: dict[int, list[Any]] = {}  # column -> every row's sort key, made on first sort

    # -- contents ----------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row], columns: Sequence[TableColumn[Any]] | None = None) -> None:
        """Show `rows`; `columns`, when given, replace the columns too (a table whose columns come
        with its data, such as a heat map's standards or the columns a reader chose)."""
        self.beginResetModel()
        if columns is not None:
            self.columns = tuple(columns)
        self.rows = list(rows)
        self._keys.clear()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> Row:
        return self.rows[row]

    def sort_keys(self, column: int) -> list[Any]:
        """Every row's sort key for one column, worked out once per load: a view sorting row
        numbers with `keys.__getitem__` sorts 10,000 rows with one Python list sort."""
        if column not in self._keys:
            declared = self.columns[column]
            key = declared.sort or declared.text
            self._keys[column] = [_sortable(key(r)) for r in self.rows]
        return self._keys[column]

    def cell_text(self, row: int, column: int) -> str:
        return self.columns[column].text(self.rows[row])

    def row_heading(self, row: int) -> str | None:
        """The row's text in the vertical header (a number, an agency's name); none unless a subclass says."""
        return None

    # -- Qt ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else column.text(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.accessible(item) if column.accessible else f"{column.heading}: {column.text(item)}"
        if role == SORT_ROLE:
            return column.sort(item) if column.sort else column.text(item)
        if role == ROW_ROLE:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return column.align
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and column.colours:
            pair = column.colours(item)
            if pair is None:
                return None
            return QBrush(QColor(pair[0] if role == Qt.ItemDataRole.BackgroundRole else pair[1]))
        return self.extra_data(item, index.column(), role)

    def extra_data(self, item: Row, column: int, role: int) -> Any:
        """Roles a subclass offers beyond the declared ones (e.g. a uuid under UserRole)."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.columns[section].heading
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].heading_tooltip
        elif orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.row_heading(section)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in place by the column's sort key (text when none is declared)."""
        if not 0 <= column < len(self.columns):
            return
        keys = self.sort_keys(column)
        order_of = sorted(range(len(self.rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self.rows = [self.rows[n] for n in order_of]
        self._keys.clear()
        self.layoutChanged.emit()


def current_row(view: QAbstractItemView) -> Any:
    """The row object under `view`'s current index (through a sorting proxy too); None when no row is current."""
    index = view.currentIndex()
    return index.data(ROW_ROLE) if index.isValid() else None


def current_key(view: QAbstractItemView, key: str = "uuid") -> Any:
    """The `key` attribute (the record's uuid by default) of the row under `view`'s current index, or None."""
    row = current_row(view)
    return None if row is None else getattr(row, key)


def select_key(view: QAbstractItemView, value: Any, key: str = "uuid") -> bool:
    """Make the row whose `key` attribute equals `value` current (a table selects the whole row);
    False, and nothing changes, when no row has it. The counterpart of `current_key`: a panel
    puts back the record it showed after a reload or a refused write without a loop of its own."""
    model = view.model()
    if model is None:
        return False
    for number in range(model.rowCount()):
        index = model.index(number, 0)
        row = index.data(ROW_ROLE)
        if row is not None and getattr(row, key) == value:
            if isinstance(view, QTableView):
                view.selectRow(number)
            else:
                view.setCurrentIndex(index)
            return True
    return False


def _sortable(value: Any) -> tuple[int, Any]:
    """Empty values last whatever their type; others compared among their own kind."""
    if value is None or value == "":
        return (1, "")
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)

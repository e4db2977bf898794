"""The integrated chronology as a table model: all agencies, sorted and filtered in the model.

Rows are the compact ``EntryRow`` objects of ``app.chronology.rows``, loaded
once; sorting and filtering work on lists of indices (no copies, no queries),
so a 100,000-entry chronology re-sorts or re-filters in well under 100 ms.

The rows are kept in chronology order (date, time, sequence), so the date
order is the identity and any other column sorts stably on its own value
alone: ties stay in chronology order, as ``app.chronology.rows.sorted_indices``
defines, without comparing tuples. Each order is computed once per load.
The case-folded texts for search and for sorting text columns (``RowIndex``)
are not part of filling the model: the first search builds them, unless the
tab's worker has handed them over by then (``adopt_index``); a sort by a text
column without them folds that column alone. An edit patches its rows in
(``patch``) instead of a reload.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter, le
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.chronology.rows import EntryRow, RowFilter, date_label, date_uncertainty, filter_rows, patch_rows, search_texts

_Index = QModelIndex | QPersistentModelIndex

#: (heading, EntryRow attribute used to sort, or None when the column does not sort)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Seq", "sequence"),
    ("Date", "date"),
    ("Time", "date"),
    ("Age", "age_months"),
    ("Interval", "interval_days"),
    ("Agency", "agency"),
    ("Source", "source"),
    ("Event / contact", "event"),
    ("Child seen", "child_seen"),
    ("Child's voice", "child_voice"),
    ("Action / outcome", None),
    ("Significant", "significant"),
    ("Duplicates", "duplicates"),
)
HEADINGS = tuple(h for h, _ in COLUMNS)
DATE_COLUMN = HEADINGS.index("Date")
AGENCY_COLUMN = HEADINGS.index("Agency")
EVENT_COLUMN = HEADINGS.index("Event / contact")
UUID_ROLE = Qt.ItemDataRole.UserRole + 1


_MAYBE = ("child_seen", "child_voice", "age_months", "interval_days")
_PLAIN = ("sequence", "significant", "duplicates")


#: text columns whose case-folded values the loader prepares (folding 100,000 long texts takes ~60 ms)
PREPARED_TEXT = ("source", "event")


@dataclass
class RowIndex:
    """Case-folded texts of the rows: one search haystack per row, and sort keys of long text columns."""

    haystacks: list[str]
    text_keys: dict[str, list[str]] = field(default_factory=dict)

    def reordered(self, order: Sequence[int]) -> RowIndex:
        return RowIndex(
            [self.haystacks[i] for i in order],
            {name: [keys[i] for i in order] for name, keys in self.text_keys.items()},
        )

    def follow(self, steps: Sequence[tuple[int, EntryRow | None]]) -> None:
        """Take the steps ``patch_rows`` took on the rows (row removed, or row inserted, at a position)."""
        for at, row in steps:
            if row is None:
                del self.haystacks[at]
                for keys in self.text_keys.values():
                    del keys[at]
            else:
                self.haystacks.insert(at, search_texts([row])[0])
                for name, keys in self.text_keys.items():
                    keys.insert(at, getattr(row, name).casefold())


def build_index(rows: Sequence[EntryRow]) -> RowIndex:
    """Pure Python, no Qt: the loader calls it in its worker thread."""
    return RowIndex(search_texts(rows), {name: [getattr(r, name).casefold() for r in rows] for name in PREPARED_TEXT})


_sort_key = attrgetter("sort_key")


def column_keys(rows: Sequence[EntryRow], attr: str) -> list[Any]:
    """One sort key per row for a column: unknown (None) first, text case-insensitive."""
    if attr in _MAYBE:
        return [(v is not None, v if v is not None else 0) for v in (getattr(r, attr) for r in rows)]
    if attr in _PLAIN:
        return [getattr(r, attr) for r in rows]
    return [getattr(r, attr).casefold() for r in rows]


def _yes_no(value: bool | None) -> str:
    return "Unknown" if value is None else ("Yes" if value else "No")


def interval_label(days: int | None) -> str:
    if days is None:
        return ""
    return "same day" if days == 0 else f"{days} day{'s' if days != 1 else ''}"


def cell_text(row: EntryRow, column: int) -> str:
    if column == 0:
        return str(row.sequence)
    if column == 1:
        return date_label(row.date_text, row.date.precision)
    if column == 2:
        return row.start_time or ""
    if column == 3:
        return row.age_text
    if column == 4:
        return interval_label(row.interval_days)
    if column == 5:
        return row.agency
    if column == 6:
        return row.source
    if column == 7:
        return row.event
    if column == 8:
        return _yes_no(row.child_seen)
    if column == 9:
        voice = "" if row.child_voice is None else _yes_no(row.child_voice)
        return f"{voice}: {row.child_voice_note}" if voice and row.child_voice_note else (voice or row.child_voice_note)
    if column == 10:
        return row.action_outcome
    if column == 11:
        return "Significant" if row.significant else ""
    if column == 12:
        return f"{row.duplicates} likely" if row.duplicates else ""
    return ""


class ChronologyTableModel(QAbstractTableModel):
    """One row per visible entry; ``visible`` maps view rows to indices of ``rows``.

    Not on ``ColumnTableModel``: it serves 100,000 rows through its own visible-row map, cached orders,
    prepared text keys and in-place patches, none of which the base's sort-the-rows-in-place design has."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[EntryRow] = []
        self._built_index: RowIndex | None = RowIndex([])
        self.generation = 0
        """Counts the changes of ``rows`` (loads and patches): an index built from older rows is not adopted."""
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._visible: list[int] = []
        self._filter = RowFilter()
        self._sort_column = DATE_COLUMN
        self._descending = False
        self._brushes: dict[str, tuple[QBrush, QBrush]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data in ---------------------------------------------------------------

    def set_rows(self, rows: Sequence[EntryRow], index: RowIndex | None = None) -> None:
        """Show these rows; ``index`` is ``build_index(rows)`` when the loader built it already
        (else it is built when first needed, or adopted from a worker with ``adopt_index``)."""
        self.beginResetModel()
        rows = list(rows)
        keys = list(map(_sort_key, rows))
        if not all(map(le, keys, islice(keys, 1, None))):
            order = sorted(range(len(rows)), key=keys.__getitem__)
            rows = [rows[i] for i in order]
            index = index.reordered(order) if index is not None else None
        self.rows = rows
        self._built_index = index
        self.generation += 1
        self._orders = {}
        self._brushes = {}
        self._visible = self._compute()
        self.endResetModel()

    def adopt_index(self, generation: int, index: RowIndex) -> bool:
        """Take ``build_index`` of the rows as they were at ``generation`` (built in a worker), unless the rows
        have changed since or the model built its own; True if taken."""
        if generation != self.generation or self._built_index is not None:
            return False
        self._built_index = index
        return True

    @property
    def _index(self) -> RowIndex:
        if self._built_index is None:
            self._built_index = build_index(self.rows)
        return self._built_index

    def patch(self, fresh: Sequence[EntryRow], gone: Collection[str] = frozenset()) -> None:
        """Show changed entries without a reload: ``fresh`` are their rows as ``load_rows`` now gives them (by
        uuid, replacing the shown ones), ``gone`` the entries no longer there (see ``patch_rows``)."""
        self.beginResetModel()
        steps = patch_rows(self.rows, fresh, gone)
        if self._built_index is not None:
            self._built_index.follow(steps)
        self.generation += 1
        self._orders = {}
        self._visible = self._compute()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def set_filter(self, wanted: RowFilter) -> None:
        if wanted == self._filter:
            return
        self._filter = wanted
        self._relayout()

    @property
    def current_filter(self) -> RowFilter:
        return self._filter

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._relayout()

    def _order(self) -> list[int]:
        attr = COLUMNS[self._sort_column][1] or "date"
        wanted = (attr, self._descending)
        order = self._orders.get(wanted)
        if order is None:
            count = len(self.rows)
            if attr == "date":
                order = list(range(count - 1, -1, -1)) if self._descending else list(range(count))
            else:
                prepared = self._built_index.text_keys.get(attr) if self._built_index is not None else None
                keys = prepared or column_keys(self.rows, attr)
                order = sorted(range(count), key=keys.__getitem__, reverse=self._descending)
            self._orders[wanted] = order
        return order

    def _compute(self) -> list[int]:
        order = self._order()
        if self._filter.is_empty:
            return list(order)
        haystacks = self._index.haystacks if self._filter.text.strip() else None  # the index only for a search
        return filter_rows(self.rows, self._filter, haystacks=haystacks, indices=order)

    def _relayout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        if not before:
            self._visible = self._compute()
            self.layoutChanged.emit()
            return
        uuids = [self.rows[self._visible[i.row()]].uuid if i.row() < len(self._visible) else None for i in before]
        self._visible = self._compute()
        where = {self.rows[j].uuid: n for n, j in enumerate(self._visible)}
        after = []
        for index, uuid in zip(before, uuids, strict=False):
            row = where.get(uuid) if uuid else None
            after.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # -- lookups -----------------------------------------------------------------

    def row_at(self, view_row: int) -> EntryRow:
        return self.rows[self._visible[view_row]]

    def visible_rows(self) -> list[EntryRow]:
        return [self.rows[i] for i in self._visible]

    def view_row_of(self, uuid: str) -> int:
        for number, index in enumerate(self._visible):
            if self.rows[index].uuid == uuid:
                return number
        return -1

    # -- Qt API --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def _colours(self, row: EntryRow) -> tuple[QBrush, QBrush]:
        pair = self._brushes.get(row.agency_colour)
        if pair is None:
            pair = self._brushes[row.agency_colour] = (
                QBrush(QColor(row.agency_colour)),
                QBrush(QColor(row.text_colour)),
            )
        return pair

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        row = self.rows[self._visible[index.row()]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DATE_COLUMN and row.uncertain:
                return f"{row.date_text}\n{date_uncertainty(row.date)}"
            return cell_text(row, column) or None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._colours(row)[0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colours(row)[1]
        if role == Qt.ItemDataRole.FontRole and row.significant:
            return self._bold
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADINGS[column]}: {cell_text(row, column)}"
        if role == UUID_ROLE:
            return row.uuid
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[section] if 0 <= section < len(HEADINGS) else None
        return None

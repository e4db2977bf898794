"""A short list edited in place: a small table of a few fields, rows added, removed and moved by keyboard.

For lists a form holds inside one record (the attendees of an interview): a few
rows of two or three fields, one of them perhaps a choice. Typing goes straight
into the cell (a letter starts editing, F2 or Enter too); a choice opens as a
combo of readable labels. Keys: Insert adds a row, Delete removes the current
one, Ctrl+Up / Ctrl+Down move it; Tab in a cell goes to the next cell and, after
the row's last, leaves the table. Every keystroke in a cell reaches the model
at once, so a form that autosaves or keeps a draft on lock has what was typed.

Validation belongs to the domain: `validate` takes the rows and returns them
cleaned or raises an `InvalidInput`; when the error carries ``row`` (from 1)
and ``field`` (a field's key) the cell is marked (a sign in the row header and
the message in its tooltip, the colour only repeating them) and gets the focus.

    editor = RowEditor("Attendees", (RowField("name", "Name"), RowField("kind", "Kind", choices=KINDS)),
                       noun="attendee", validate=check_attendees)
    editor.set_rows([{"name": "Dr Helen Marsh", "kind": "chair"}])
    rows = editor.checked_rows()  # InvalidInput after showing it

A draft on lock takes `draft_value()` and gives it back through `set_draft_value()`
(`ui.kit.edit_guard.field_values` and `fill_fields` know both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInput
from ui.kit.announce import announce
from ui.kit.controls import action, button
from ui.widgets import error_label

Index = QModelIndex | QPersistentModelIndex
#: the mark a row with a problem carries in its header (the colour only repeats it)
PROBLEM_SIGN = "\u26a0"
PROBLEM_BACKGROUND = "#f9dedc"


@dataclass(frozen=True)
class RowField:
    """One column: the key its value is stored under, its heading, and for a choice its (label, value)s."""

    key: str
    heading: str
    choices: tuple[tuple[str, str], ...] = ()
    default: str = ""
    placeholder: str = ""
    #: the column takes the room left over (else it fits its contents)
    stretch: bool = True

    def label_of(self, value: str) -> str:
        return next((label for label, data in self.choices if data == value), value)


class RowsModel(QAbstractTableModel):
    """The rows as plain dicts of text; `edited` when a cell is changed through the view.

    Not on ``ColumnTableModel``, which is read-only: this one is edited in place (EditRole, setData,
    rows inserted, removed and moved) and marks a cell's problem in its header and tooltip."""

    edited = Signal()

    def __init__(self, fields: Sequence[RowField], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fields = tuple(fields)
        self.rows: list[dict[str, str]] = []
        self.problem: tuple[int, str, str] | None = None  # row (from 0), field key, message

    # -- contents ----------------------------------------------------------------------------------

    def blank(self) -> dict[str, str]:
        return {f.key: f.default for f in self.fields}

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [{f.key: str(row.get(f.key, f.default) or f.default) for f in self.fields} for row in rows]
        self.problem = None
        self.endResetModel()

    def values(self) -> list[dict[str, str]]:
        return [dict(row) for row in self.rows]

    def insert(self, at: int, row: dict[str, str] | None = None) -> None:
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, {**self.blank(), **(row or {})})
        self.endInsertRows()
        self.mark(None)
        self._renumber()

    def remove(self, at: int) -> None:
        self.beginRemoveRows(QModelIndex(), at, at)
        del self.rows[at]
        self.endRemoveRows()
        self.mark(None)
        self._renumber()

    def move(self, at: int, to: int) -> None:
        """Row `at` to position `to` (next to it)."""
        destination = to + 1 if to > at else to  # Qt counts the destination before the move
        if not self.beginMoveRows(QModelIndex(), at, at, QModelIndex(), destination):
            return
        self.rows.insert(to, self.rows.pop(at))
        self.endMoveRows()
        self.mark(None)
        self._renumber()

    def mark(self, problem: tuple[int, str, str] | None) -> None:
        """Show one cell's problem (row from 0, field key, message), or none."""
        before, self.problem = self.problem, problem
        for shown in (before, problem):
            if shown is not None and 0 <= shown[0] < len(self.rows):
                self.headerDataChanged.emit(Qt.Orientation.Vertical, shown[0], shown[0])
                self.dataChanged.emit(self.index(shown[0], 0), self.index(shown[0], len(self.fields) - 1))

    def _renumber(self) -> None:
        if self.rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self.rows) - 1)

    # -- the Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def _problem_at(self, row: int, key: str | None = None) -> str | None:
        if self.problem is None or self.problem[0] != row or (key is not None and self.problem[1] != key):
            return None
        return self.problem[2]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        field = self.fields[index.column()]
        value = self.rows[index.row()][field.key]
        shown = field.label_of(value) if field.choices else value
        problem = self._problem_at(index.row(), field.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{PROBLEM_SIGN} {shown}" if problem and not shown else shown
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{field.heading}: {shown or 'empty'}" + (f". Problem: {problem}" if problem else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or (f"{field.heading}: {shown}" if shown else f"{field.heading}: type to fill in")
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QBrush(QColor(PROBLEM_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QBrush(QColor("#000000"))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.fields[index.column()].key
        text = "" if value is None else str(value)
        if self.rows[index.row()][key] == text:
            return True
        self.rows[index.row()][key] = text
        if self._problem_at(index.row(), key):
            self.mark(None)  # the cell with the problem was changed: checked again on saving
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole) and section < len(self.fields):
                return self.fields[section].heading
            return None
        problem = self._problem_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{section + 1} {PROBLEM_SIGN}" if problem else str(section + 1)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Row {section + 1}" + (f", problem: {problem}" if problem else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem
        return None


class _CellDelegate(QStyledItemDelegate):
    """Line edits for text, combos of labels for choices; every keystroke and choice committed at once."""

    def __init__(self, table: _Table) -> None:
        super().__init__(table)
        self.table = table

    def _field(self, index: Index) -> RowField:
        return self.table.rows_model.fields[index.column()]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        field = self._field(index)
        name = f"{field.heading}, row {index.row() + 1}"
        if field.choices:
            box = QComboBox(parent)
            box.setAccessibleName(name)
            for label, data in field.choices:
                box.addItem(label, data)
            box.currentIndexChanged.connect(lambda _i, b=box: self.commitData.emit(b))
            self.table.editor_made.emit(box)
            return box
        edit = QLineEdit(parent)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(field.placeholder)
        edit.textEdited.connect(lambda _t, e=edit: self.commitData.emit(e))
        self.table.editor_made.emit(edit)
        return edit

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            if found >= 0 and found != editor.currentIndex():
                editor.blockSignals(True)  # showing the stored value is no choice of the user's
                editor.setCurrentIndex(found)
                editor.blockSignals(False)
        elif isinstance(editor, QLineEdit) and editor.text() != value:  # not while typing: the cursor stays
            editor.setText(value)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab and Shift+Tab go along the row and, past its ends, out of the table: no trap for the keyboard."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(watched, QWidget):
            key = event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                forward = key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                self.table.step(forward)
                return True
        return super().eventFilter(watched, event)


class _Table(QTableView):
    #: a cell's editor was made (for a window's own keys, e.g. interview mode's PageDown)
    editor_made = Signal(QWidget)

    def __init__(self, model: RowsModel) -> None:
        super().__init__()
        self.rows_model = model
        self.setModel(model)
        self.setItemDelegate(_CellDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        for column, field in enumerate(model.fields):
            # the columns that take the room left over share it by what they hold (`_share_room`), not in
            # equal parts: "Head of Quality Assurance (Section 11 lead)" was cut short beside a Name column
            # three times wider than its names at 1280 pixels
            fixed = (
                QHeaderView.ResizeMode.Fixed
                if field.choices or field.stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, fixed)
        header.setStretchLastSection(False)
        self._fit_choices()
        for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(lambda *_a: self._share_room())
        header.sectionResized.connect(lambda column, *_a: self._fixed_resized(column))

    def _fixed_resized(self, column: int) -> None:
        if not self.rows_model.fields[column].stretch:  # a column fitting its contents changed: share again
            self._share_room()

    def _share_room(self) -> None:
        """Give the stretching columns the width the others leave, each first what its widest text needs
        (heading included), the narrowest needs first; what is over goes to them in equal parts, and when
        the room is short the widest text is the one shortened (water-filling)."""
        fields = self.rows_model.fields
        stretching = [c for c, f in enumerate(fields) if f.stretch]
        if not stretching:
            return
        metrics = self.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 8
        room = self.viewport().width() - sum(self.columnWidth(c) for c, f in enumerate(fields) if not f.stretch)
        if room <= 0:
            return
        wanted: dict[int, int] = {}
        for column in stretching:
            texts = [fields[column].heading] + [
                str(self.rows_model.data(self.rows_model.index(row, column)) or "")
                for row in range(self.rows_model.rowCount())
            ]
            wanted[column] = max(metrics.horizontalAdvance(text) for text in texts) + pad
        widths: dict[int, int] = {}
        left, waiting = room, sorted(stretching, key=lambda c: wanted[c])
        while waiting:
            share = left // len(waiting)
            if wanted[waiting[0]] <= share:
                column = waiting.pop(0)
                widths[column] = wanted[column]
                left -= wanted[column]
                continue
            for column in waiting:  # these all want more than an equal share of what is left: they split it
                widths[column] = share
            left -= share * len(waiting)
            waiting = []
        if left > 0:  # everyone has its text whole: the rest in equal parts, the remainder to the last
            extra, remainder = divmod(left, len(stretching))
            for column in stretching:
                widths[column] += extra
            widths[stretching[-1]] += remainder
        for column, width in widths.items():
            if self.columnWidth(column) != width:
                self.setColumnWidth(column, width)

    def viewportEvent(self, event: QEvent) -> bool:
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:  # the table's or a scroll bar's coming and going
            self._share_room()
        return handled

    def _fit_choices(self) -> None:
        """A choice column as wide as its longest label and the combo's arrow, whatever is chosen now."""
        metrics = self.fontMetrics()
        for column, field in enumerate(self.rows_model.fields):
            if field.choices and not field.stretch:
                widest = max(metrics.horizontalAdvance(label) for label, _value in field.choices)
                self.setColumnWidth(column, widest + 4 * metrics.averageCharWidth() + 16)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_choices()
            self._share_room()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and self.state() != QAbstractItemView.State.EditingState
            and self.currentIndex().isValid()
        ):
            self.edit(self.currentIndex())  # Enter edits the cell, as F2 does (not the dialog's OK)
            return
        super().keyPressEvent(event)

    def finish_editing(self) -> None:
        """Commit and close the cell being edited (before rows are added, removed or moved)."""
        index = self.currentIndex()
        editor = self.indexWidget(index) if index.isValid() else None
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def step(self, forward: bool) -> None:
        """After Tab in a cell: the next cell of the row to edit, or out of the table past its end."""
        index = self.currentIndex()
        column = index.column() + (1 if forward else -1)
        if index.isValid() and 0 <= column < self.rows_model.columnCount():
            target = self.rows_model.index(index.row(), column)
            self.setCurrentIndex(target)
            self.edit(target)
            return
        self.setFocus()
        self.focusNextPrevChild(forward)


class RowEditor(QWidget):
    """See the module docstring. `changed` on every edit the user makes (not on `set_rows`)."""

    changed = Signal()
    #: a cell's editor was made: a window whose keys work "anywhere" filters it too
    editor_made = Signal(QWidget)

    def __init__(
        self,
        name: str,
        fields: Sequence[RowField],
        *,
        noun: str = "row",
        validate: Callable[[list[dict[str, str]]], list[dict[str, str]]] | None = None,
        shown_rows: int = 4,
        says_problems: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """`says_problems`: the message under the table (False where the form says it once for all its fields)."""
        super().__init__(parent)
        self.name, self.noun = name, noun
        self.says_problems = says_problems
        self.validate = validate
        self.setAccessibleName(f"{name} editor")
        self.model = RowsModel(fields, self)
        self.table = _Table(self.model)
        self.table.setAccessibleName(name)
        self.table.setAccessibleDescription(
            f"One {noun} a row. Type or press F2 or Enter to edit a cell; Insert adds a {noun}, "
            "Delete removes one, Ctrl+Up and Ctrl+Down move one."
        )
        rows_high = self.table.verticalHeader().defaultSectionSize() * shown_rows
        self.table.setMinimumHeight(rows_high + self.table.horizontalHeader().sizeHint().height() + 4)
        self.table.setMaximumHeight(rows_high * 2)
        self.add_button = button(f"Add {noun} (Insert)", f"Add {article(noun)} {noun}", self.add_row)
        self.remove_button = button("Remove (Delete)", f"Remove the selected {noun}", self.remove_row)
        self.up_button = button("Move up (Ctrl+Up)", f"Move the selected {noun} up", lambda: self.move_row(-1))
        self.down_button = button("Move down (Ctrl+Down)", f"Move the selected {noun} down", lambda: self.move_row(1))
        self.error = error_label(f"{name} problem")
        self.error.hide()
        buttons = QHBoxLayout()
        for push in (self.add_button, self.remove_button, self.up_button, self.down_button):
            push.setAutoDefault(False)  # Enter on a dialog's table edits a cell; it never presses these
            buttons.addWidget(push)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.setFocusProxy(self.table)
        # a label's Alt key focuses its buddy only if the buddy takes focus; Tab skips proxied widgets
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.add_key = action(self.table, f"Add {article(noun)} {noun}", "Insert", self.add_row)
        self.remove_key = action(self.table, f"Remove the {noun}", "Delete", self._delete_key)
        self.up_key = action(self.table, f"Move the {noun} up", "Ctrl+Up", lambda: self.move_row(-1))
        self.down_key = action(self.table, f"Move the {noun} down", "Ctrl+Down", lambda: self.move_row(1))
        self.model.edited.connect(self._edited)
        self.table.editor_made.connect(self.editor_made)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self._enable()

    # -- contents ----------------------------------------------------------------------------------

    def rows(self) -> list[dict[str, str]]:
        """The rows as typed (blank rows included)."""
        return self.model.values()

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Show these rows (a record's own); no `changed`."""
        self.model.set_rows(rows)
        self.show_problem(None)
        if self.model.rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._enable()

    def draft_value(self) -> list[dict[str, str]]:
        return self.rows()

    def set_draft_value(self, value: Any) -> None:
        rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        self.set_rows(rows)

    def focus_name(self) -> str:
        """The name a draft keeps for the focus inside this editor (its cells' editors come and go)."""
        return self.table.accessibleName()

    # -- editing -----------------------------------------------------------------------------------

    def add_row(self, values: dict[str, str] | None = None) -> None:
        """A new row below the current one (at the end when none is current), its first cell being edited."""
        self.table.finish_editing()
        current = self.table.currentIndex()
        at = current.row() + 1 if current.isValid() else len(self.model.rows)
        self.model.insert(at, values)
        target = self.model.index(at, 0)
        self.table.setFocus()
        self.table.setCurrentIndex(target)
        self.table.edit(target)
        self._enable()
        self.show_problem(None)
        self.changed.emit()

    def _delete_key(self) -> None:
        if self.table.state() != QAbstractItemView.State.EditingState:  # in a kind's open list it is no removal
            self.remove_row()

    def remove_row(self) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        self.table.finish_editing()
        row, column = current.row(), current.column()
        self.model.remove(row)
        if self.model.rows:
            self.table.setCurrentIndex(self.model.index(min(row, len(self.model.rows) - 1), column))
        self.table.setFocus()
        self.show_problem(None)
        self._enable()
        self.changed.emit()

    def move_row(self, step: int) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        to = current.row() + step
        if not 0 <= to < len(self.model.rows):
            return
        self.table.finish_editing()
        column = current.column()
        self.model.move(current.row(), to)
        self.table.setCurrentIndex(self.model.index(to, column))
        self.table.setFocus()
        self.show_problem(None)
        self._enable()
        self.changed.emit()

    def _edited(self) -> None:
        if self.model.problem is None and self.error.text():
            self.show_problem(None)
        self.changed.emit()

    def _enable(self) -> None:
        current = self.table.currentIndex()
        has = current.isValid()
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and current.row() > 0)
        self.down_button.setEnabled(has and current.row() < len(self.model.rows) - 1)

    # -- checking ----------------------------------------------------------------------------------

    def problem(self) -> InvalidInput | None:
        """What `validate` refuses in the rows as typed, or None (nothing is shown)."""
        if self.validate is None:
            return None
        try:
            self.validate(self.rows())
        except InvalidInput as exc:
            return exc
        return None

    def checked_rows(self, *, focus: bool = True) -> list[dict[str, str]]:
        """The rows as `validate` cleans them; or the problem shown on its cell (focused) and raised."""
        self.table.finish_editing()
        if self.validate is None:
            return self.rows()
        try:
            cleaned = self.validate(self.rows())
        except InvalidInput as exc:
            self.show_problem(exc, focus=focus)
            raise
        self.show_problem(None)
        return cleaned

    def show_problem(self, problem: InvalidInput | None, *, focus: bool = False, prefix: str = "") -> None:
        """Say what is wrong under the table (aloud too) and mark its cell; None clears both."""
        if problem is None:
            self.model.mark(None)
            self.error.setText("")
            self.error.hide()
            return
        row, key = getattr(problem, "row", None), getattr(problem, "field", None)
        message = f"{prefix}{problem.message}"
        if self.says_problems:
            self.error.show()
            if message != self.error.text():  # said once, not again at every autosave
                announce(self.error, message, urgent=True)
        keys = [f.key for f in self.model.fields]
        if isinstance(row, int) and 1 <= row <= len(self.model.rows) and key in keys:
            self.model.mark((row - 1, str(key), message))
            if focus:
                self.table.setFocus()
                self.table.setCurrentIndex(self.model.index(row - 1, keys.index(str(key))))
        else:
            self.model.mark(None)


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"

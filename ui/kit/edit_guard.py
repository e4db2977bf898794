"""The unsaved edits of one form: asked about before they are left, kept as a draft on lock.

Every form that edits a stored record owns an `EditGuard`. It knows which record
the form holds (`shown`), whether what is typed differs from it (`dirty`), asks
Save / Discard / Cancel before the user leaves it (`settle`), and when the
workspace locks, hands its typed values to the window as a `Draft`, which is
kept encrypted in the workspace and offered back on unlock (nothing typed is
lost to Ctrl+L or the idle lock). In a dialog, Esc with something typed asks before throwing the
typing away (`AskBeforeEscape`): Cancel and the close button stay the deliberate ways to discard.

    self.guard = EditGuard(self, title="Finding", noun="finding", form=self._form_values,
                           save=self._save, draft_key="reviews.finding", restore=self._restore_draft,
                           scope=lambda: {"review": self.review_uuid})
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QWidget,
)
from shiboken6 import isValid

from ui.kit.announce import announce, speak
from ui.kit.controls import put_above, text_label
from ui.kit.mnemonics import letter_standard_buttons

Answer = QMessageBox.StandardButton


def ask_save_changes(parent: QWidget | None, title: str, text: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before unsaved edits are left. Blocking on purpose: the caller needs the answer.

    Returns ``Answer.Save``, ``Answer.Discard`` or ``Answer.Cancel`` (also for Esc or closing the box).
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, Answer.Save | Answer.Discard | Answer.Cancel, parent)
    box.setDefaultButton(Answer.Save)
    box.setEscapeButton(Answer.Cancel)
    letter_standard_buttons(box, Cancel="&Cancel")  # Alt+S / Alt+D / Alt+C: Discard had no key at all
    box.setAccessibleName(title)
    box.setObjectName("saveChangesMessage")
    box.exec()
    clicked = box.standardButton(box.clickedButton()) if box.clickedButton() is not None else Answer.Cancel
    return clicked if clicked in (Answer.Save, Answer.Discard) else Answer.Cancel


def ask_discard(parent: QWidget | None, title: str, text: str) -> bool:
    """Discard / Keep editing before a dialog with typing in it closes on Esc; True to discard.

    Keep editing is the default and the escape button, so a second Esc keeps the typing.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, Answer.Discard | Answer.Cancel, parent)
    box.setDefaultButton(Answer.Cancel)
    box.setEscapeButton(Answer.Cancel)
    letter_standard_buttons(box, Cancel="&Keep editing")
    box.setAccessibleName(title)
    box.setObjectName("discardTypingMessage")
    box.exec()
    return box.clickedButton() is not None and box.standardButton(box.clickedButton()) == Answer.Discard


class AskBeforeEscape(QObject):
    """Esc in a dialog holding unsaved typing asks first: one stray key must not lose a paragraph.

    Cancel and the window's close button stay deliberate ways to discard (and a close made by code,
    such as a test's teardown, must never wait on a question)."""

    def __init__(self, guard: EditGuard) -> None:
        super().__init__(guard.owner)
        self.guard = guard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_Escape or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        guard, dialog = self.guard, self.guard.owner
        if guard.quiet or not isinstance(dialog, QDialog) or not guard.dirty():
            return False  # nothing typed: Esc closes as always
        text = f"Discard what you typed in \u201c{dialog.windowTitle() or guard.title}\u201d?"
        if ask_discard(dialog, guard.title, text):
            guard.baseline = guard.form()  # discarded: nothing left to ask about or to keep on lock
            dialog.reject()
        return True


def normal(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Form values compared as the user sees them: surrounding spaces do not count."""
    return tuple(v.strip() if isinstance(v, str) else v for v in values)


def _as_text(value: Any) -> str:
    """A field's value as the user would write it down: a number or a tick box counts as typing too."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


@dataclass
class Draft:
    """What a form held when the workspace locked: enough to put the user back where they were."""

    key: str  # which form, e.g. "reviews.chronology_entry"
    area: str  # the area page to show, e.g. "reviews"
    record: str | None  # the record being edited; None for a new one
    values: Any  # what the form's snapshot gave: a list of field values, or the form's own dict
    focus: str = ""  # the accessible name of the field that had the focus
    scope: dict[str, str] = field(default_factory=dict)  # e.g. {"review": uuid}

    def typed_text(self) -> str:
        """What was typed, one field a line ("field: text" where the form names its fields), for the
        user to copy when it cannot be put back on its record."""
        named = self.values.items() if isinstance(self.values, dict) else ((None, v) for v in self.values or ())
        shown = ((name, _as_text(value)) for name, value in named)
        return "\n".join(f"{name}: {text}" if name else text for name, text in shown if text)

    def to_json(self) -> dict[str, Any]:
        """Every field by its name: what `from_json` reads back (kept encrypted in the workspace)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        return cls(
            str(data["key"]),
            str(data["area"]),
            data.get("record"),
            data.get("values", []),
            str(data.get("focus", "")),
            dict(data.get("scope", {})),
        )


_LIVE: weakref.WeakSet[EditGuard] = weakref.WeakSet()


class EditGuard:
    """The unsaved edits in one form; see the module docstring."""

    def __init__(
        self,
        owner: QWidget,
        *,
        title: str,
        noun: str,
        form: Callable[[], tuple[Any, ...]],
        save: Callable[[], bool],
        draft_key: str = "",
        area: str = "",
        restore: Callable[[Draft], None] | None = None,
        scope: Callable[[], dict[str, str]] | None = None,
        describe: Callable[[], str] | None = None,
        is_dirty: Callable[[], bool] | None = None,
        snapshot: Callable[[], Any] | None = None,
        record: Callable[[], str | None] | None = None,
        discard: Callable[[], None] | None = None,
    ) -> None:
        self.owner, self.title, self.noun = owner, title, noun
        self.form, self.save = form, save
        self._discard = discard  # for forms that judge edits themselves: put the stored values back
        # a draft key names its area first ("reviews.finding"): that area's page takes the draft back
        self.draft_key, self.area = draft_key, area or draft_key.partition(".")[0]
        self.restore, self.scope = restore, scope
        self._describe = describe
        self._is_dirty, self._snapshot = is_dirty, snapshot  # for forms that judge edits themselves
        self._record = record  # for forms that know which record they hold
        self.editing: str | None = None  # the record whose values are in the form
        self.creating = False
        #: the form holds a new record the user asked for (a New action, or its draft): reloads keep it until
        #: it is saved or another record is shown; `creating` alone is also true for an empty list's blank form
        self.asked_new = False
        self.baseline: tuple[Any, ...] = form()  # the blank form
        self.quiet = False
        if draft_key:
            _LIVE.add(self)
            owner.destroyed.connect(lambda *_: _LIVE.discard(self))
        if isinstance(owner, QDialog):
            owner.installEventFilter(AskBeforeEscape(self))

    # -- state -------------------------------------------------------------------

    def dirty(self) -> bool:
        if self._is_dirty is not None:
            return self._is_dirty()
        return normal(self.form()) != normal(self.baseline)

    def saving_over(self) -> str | None:
        """The record Save writes to; None adds a new one."""
        if self._record is not None:
            return self._record()
        return None if self.creating else self.editing

    def shown(self, uuid: str | None, *, creating: bool = False, asked: bool = False) -> None:
        """The form now holds ``uuid``'s stored values (or a blank new record; `asked`: one the user asked for)."""
        self.editing, self.creating = uuid, creating
        self.asked_new = asked and creating
        self.baseline = self.form()

    def load(
        self, uuid: str | None, fill: Callable[[], object], *, creating: bool = False, asked: bool = False
    ) -> None:
        """Put `uuid`'s stored values (or a blank new record's) in the form: `fill` writes the fields
        without a question about the edits they replace, and what it wrote is what Save compares with.
        `asked`: the blank record is one the user asked for (New), which reloads keep (`asked_new`)."""
        with self.quietly():
            fill()
        self.shown(uuid, creating=creating, asked=asked)

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """The owner's own saves and deletions: what they reload needs no question."""
        self.quiet = True
        try:
            yield
        finally:
            self.quiet = False

    # -- asking ------------------------------------------------------------------

    def may_leave(self) -> bool:
        """True when nothing is unsaved or the user saved or discarded it."""
        return self.quiet or not self.dirty() or self.settle()

    def settle(self, save: Callable[[], bool] | None = None) -> bool:
        """Save / Discard / Cancel; False for Cancel or a refused save. `save` replaces the guard's own
        save for this answer (e.g. a save that then moves on to the row being chosen)."""
        answer = ask_save_changes(self.owner, self.title, f"Save changes to {self.describe()}?")
        if answer == Answer.Save:
            with self.quietly():
                if not (save or self.save)():
                    return False
        elif answer != Answer.Discard:
            return False
        elif self._discard is not None:
            self._discard()
        self.baseline = self.form()  # saved or dropped: nothing left to ask about
        return True

    def describe(self) -> str:
        if self._describe is not None:
            return self._describe()
        return f"the new {self.noun}" if self.saving_over() is None else f"this {self.noun}"

    # -- drafts on lock ----------------------------------------------------------

    def draft(self) -> Draft | None:
        """The typed values as a draft, or None when nothing is unsaved."""
        if not self.draft_key or not isValid(self.owner):  # a form already destroyed holds nothing
            return None
        if isinstance(self.owner, QDialog) and not self.owner.isVisible():
            return None  # a dialog closed with Cancel (or saved) is kept for reuse; what it held was left on purpose
        if not self.dirty():
            return None
        focused = focus_name(self.owner)
        if self._snapshot is not None:
            values = self._snapshot()
        else:
            values = [v if isinstance(v, (str, int, float, bool, type(None))) else str(v) for v in self.form()]
        return Draft(self.draft_key, self.area, self.saving_over(), values, focused, self.scope() if self.scope else {})

    def take_back(self, draft: Draft) -> None:
        """Fill the form with a draft's values and put the focus back in its field."""
        if self.restore is None:
            return
        self.restore(draft)
        self.focus_field(draft)

    def focus_field(self, draft: Draft) -> None:
        """Put the focus back in the field that had it at the lock (also for a form filled later), the
        cursor after the text: typing goes on where it most often stopped."""
        if draft.focus:
            for child in self.owner.findChildren(QWidget):
                if child.accessibleName() == draft.focus and child.isEnabled():
                    child.setFocus()
                    if isinstance(child, QPlainTextEdit):  # a line edit's setText already leaves it at the end
                        child.moveCursor(QTextCursor.MoveOperation.End)
                    break


def dialog_guard(
    dialog: QDialog,
    fields: Mapping[str, QWidget],
    *,
    draft_key: str,
    record: Callable[[], str | None] = lambda: None,
    scope: Callable[[], dict[str, str]] | None = None,
    noun: str = "",
    save: Callable[[], bool] = lambda: False,
) -> EditGuard:
    """The guard of a dialog whose fields are named once, in `fields`: what is compared for unsaved edits,
    kept as a draft on lock and put back on unlock all come from them, so no dialog lists its fields again.

    A small dialog whose own buttons save leaves out `save`: nothing is asked on leaving (Save and Cancel are
    the dialog's). The page that opened the dialog opens it again for the same record in its
    ``restore_draft`` and hands the draft to ``take_back``. `noun` is the window title's by default.
    """
    return EditGuard(
        dialog,
        title=dialog.windowTitle(),
        noun=noun or dialog.windowTitle().lower(),
        form=lambda: tuple(field_values(fields).values()),
        save=save,
        draft_key=draft_key,
        restore=lambda draft: fill_fields(fields, draft.values if isinstance(draft.values, dict) else {}),
        record=record,
        scope=scope,
        snapshot=lambda: field_values(fields),
    )


def live_drafts() -> list[Draft]:
    """Drafts of every form with unsaved edits (asked by the window just before it locks)."""
    drafts = [guard.draft() for guard in list(_LIVE)]
    return [d for d in drafts if d is not None]


def typed_inside(widget: QWidget) -> list[tuple[EditGuard, Draft]]:
    """The unsaved edits of every form inside `widget` (a page about to reload what its forms show)."""
    kept = []
    for guard in list(_LIVE):
        if guard.quiet:
            continue  # the form's own save or deletion: what it reloads is what it wrote
        if isValid(guard.owner) and (guard.owner is widget or widget.isAncestorOf(guard.owner)):
            draft = guard.draft()
            if draft is not None:
                kept.append((guard, draft))
    return kept


def give_back_typing(kept: list[tuple[EditGuard, Draft]]) -> None:
    """After a reload: a form whose typing the reload replaced with the stored values gets it back.

    The same way back as after a lock (`take_back`), so every form that keeps drafts is covered;
    a form still holding what was typed (or already saved) is left alone; a form under a table whose
    record is gone keeps the typing, said to be unlisted (`TableFormGuard`), other forms' `restore` finds
    no record to put the text on.
    """
    for guard, draft in kept:
        if not isValid(guard.owner):
            continue
        now = guard.draft()
        if now is not None and now.record == draft.record and now.values == draft.values:
            continue
        guard.take_back(draft)  # the focus goes back only to a field of this form that had it before


def focus_name(owner: QWidget, focus: QWidget | None = None) -> str:
    """The accessible name of the field inside `owner` that has the focus, as a draft keeps it.

    Inside a widget that keeps its own draft value (a `ui.kit.row_editor.RowEditor`, whose cell editors
    come and go) it is that widget's `focus_name()`, so the focus can go back there after unlock.
    """
    focus = focus or QApplication.focusWidget()  # `focus`: a window's own focus widget, active or not
    if focus is None or not owner.isAncestorOf(focus):
        return ""
    widget: QWidget | None = focus
    while widget is not None and widget is not owner:
        if hasattr(widget, "draft_value") and hasattr(widget, "focus_name"):
            return str(widget.focus_name())
        widget = widget.parentWidget()
    return focus.accessibleName()


def field_values(fields: Mapping[str, QWidget]) -> dict[str, Any]:
    """A form's fields for a draft: text boxes and lines by their text, combos by their data, spin
    boxes by their number, check boxes by their tick, a widget with a `draft_value()` (a list editor)
    by what that gives (JSON-ready)."""
    values: dict[str, Any] = {}
    for name, widget in fields.items():
        if hasattr(widget, "draft_value"):
            values[name] = widget.draft_value()
        elif isinstance(widget, QPlainTextEdit):
            values[name] = widget.toPlainText()
        elif isinstance(widget, QComboBox):
            values[name] = combo_text(widget.currentData())
        elif isinstance(widget, QLineEdit):
            values[name] = widget.text()
        elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            values[name] = widget.value()
        elif isinstance(widget, QCheckBox):
            values[name] = widget.isChecked()
        elif isinstance(widget, QListWidget):  # a checklist: the texts of the ticked items, one per line
            items = (widget.item(row) for row in range(widget.count()))
            values[name] = "\n".join(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)
    return values


def combo_text(data: Any) -> str:
    """A combo item's data as a draft keeps it: text, "" for none (a score of 0 stays "0")."""
    return "" if data is None else str(data)


def fill_fields(fields: Mapping[str, QWidget], values: Mapping[str, Any]) -> None:
    """Put a draft's text back into the form's fields (a combo to the item with that data)."""
    for name, widget in fields.items():
        if name not in values:
            continue
        if hasattr(widget, "set_draft_value"):
            widget.set_draft_value(values[name])
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(values[name]))
        elif isinstance(widget, QComboBox):
            texts = [combo_text(widget.itemData(index)) for index in range(widget.count())]
            if str(values[name]) in texts:
                widget.setCurrentIndex(texts.index(str(values[name])))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(values[name]))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(values[name]))
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(values[name]))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(values[name]))
        elif isinstance(widget, QListWidget):
            ticked = set(str(values[name]).split("\n"))
            for row in range(widget.count()):
                item = widget.item(row)
                item.setCheckState(Qt.CheckState.Checked if item.text() in ticked else Qt.CheckState.Unchecked)


class GuardedChoice:
    """A control choosing which records guarded forms show (a quarter box, a list of frameworks or of agenda
    items): choosing another asks each guard first (Save / Discard / Cancel), never dropping the typing unasked.

    Cancel puts the control back on the choice the typing belongs to without a signal; Save or Discard go on to
    the choice made, even when the save reloaded the control, and then call `changed()`. The control is a
    QComboBox (its item data) or a QListWidget (its current item's UserRole data). `shown` is the choice the
    forms hold; a control refilled or set without signals tells it with `showing()`.
    """

    def __init__(
        self, control: QComboBox | QListWidget, guards: Sequence[EditGuard], changed: Callable[[], None]
    ) -> None:
        self.control, self.guards, self._changed = control, tuple(guards), changed
        self.shown: object = self.value()
        self._reselect = False
        if isinstance(control, QComboBox):
            control.currentIndexChanged.connect(lambda _i: self._chosen())
        else:
            control.currentRowChanged.connect(lambda _r: self._chosen())

    def value(self) -> object:
        if isinstance(self.control, QComboBox):
            return self.control.currentData()
        item = self.control.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def showing(self) -> None:
        """The forms now hold the control's choice (it was filled or set without a signal)."""
        self.shown = self.value()

    def put(self, value: object) -> None:
        """Choose `value` in the control without a signal (and without a question)."""
        control = self.control
        blocked = control.blockSignals(True)
        try:
            if isinstance(control, QComboBox):
                index = control.findData(value)
                if index >= 0:
                    control.setCurrentIndex(index)
            else:
                rows = (
                    row for row in range(control.count()) if control.item(row).data(Qt.ItemDataRole.UserRole) == value
                )
                control.setCurrentRow(next(rows, -1 if value is None else control.currentRow()))  # None: no item
        finally:
            control.blockSignals(blocked)

    def _chosen(self) -> None:
        wanted = self.value()
        if wanted != self.shown and not all(guard.may_leave() for guard in self.guards):
            self.put(self.shown)  # Cancel: back on the choice the typing belongs to
            if isinstance(self.control, QListWidget):  # a mouse press selects the clicked row after telling us
                self._reselect = True
                QTimer.singleShot(0, self.control, self._select_current)
            return
        if self.value() != wanted:  # the save reloaded the control: on to the choice made
            self.put(wanted)
        self.shown = wanted
        self._changed()

    def _select_current(self) -> None:
        if not self._reselect or not isValid(self.control) or not isinstance(self.control, QListWidget):
            return
        self._reselect = False
        item = self.control.currentItem()
        if item is None or not item.isSelected():
            blocked = self.control.blockSignals(True)
            try:
                self.control.clearSelection()
                if item is not None:  # (none: the typing is a new record's, no item is its)
                    item.setSelected(True)
            finally:
                self.control.blockSignals(blocked)


class TableFormGuard(EditGuard):
    """The guard of a form under a table of records (a people register, a glossary, an indicator
    catalogue): choosing another row asks first, and the typing is kept as a draft on lock and given
    back on that row.

    `table` is a QTableWidget or a QTableView over a model. `fields` name the form's fields; `record`
    gives the chosen row's record (None: the form adds a new one); `choose(uuid)` selects that row
    again (None: no row) without asking, and says if it could; `show()` fills the form from the chosen
    row. Save writes to `saving_over()`, the row the form was filled from: when another row is chosen
    the table's current row has already moved, and the edits must not land on it. `set_scope` (the
    inverse of `scope`) shows a draft's scope again, e.g. its quarter, before its row is chosen.

    A reload that takes away the row whose typing is unsaved (a merged bundle deleted it, a changed setting
    made it no exception) leaves the typing in the form, no row chosen, under a notice saying the row is no
    longer in the list (`unlisted`): there is nothing to save it on, so leaving asks Discard / Keep editing;
    a lock keeps it as a draft of that record, and a reload that brings the record back puts it there again.
    """

    def __init__(
        self,
        owner: QWidget,
        table: QTableView,
        fields: Mapping[str, QWidget],
        *,
        title: str,
        noun: str,
        save: Callable[[], bool],
        draft_key: str,
        record: Callable[[], str | None],
        choose: Callable[[str | None], bool],
        show: Callable[[], None],
        scope: Callable[[], dict[str, str]] | None = None,
        set_scope: Callable[[dict[str, str]], None] | None = None,
        describe: Callable[[], str] | None = None,
        on_unlisted: Callable[[str | None], None] | None = None,
    ) -> None:
        self.fields, self.table, self._choose, self._show_row = fields, table, choose, show
        #: told the record whose typing is kept unlisted, after the form showed no row: what the form says
        #: of its record (a detail line) can then say so, not "choose a row"
        self._on_unlisted = on_unlisted
        self._chosen_row, self._set_scope = record, set_scope
        self._going_back = False
        self.unlisted = False  # the typing in the form belongs to a record no longer in the table
        self._notice: QLabel | None = None
        self._unchosen = -1  # the row made current beside a new record without being chosen (selected)
        super().__init__(
            owner,
            title=title,
            noun=noun,
            form=lambda: tuple(field_values(fields).values()),
            save=save,
            draft_key=draft_key,
            restore=self._restore,
            scope=scope,
            describe=describe,
            snapshot=lambda: field_values(fields),
        )
        self.shown(None, creating=True)
        table.selectionModel().currentRowChanged.connect(
            lambda current, previous: self._row_changed(current.row(), previous.row())
        )
        table.selectionModel().selectionChanged.connect(lambda *_: self._row_selected())

    def shown(self, uuid: str | None, *, creating: bool = False, asked: bool = False) -> None:
        super().shown(uuid, creating=creating, asked=asked)
        self.unlisted = False
        if self._notice is not None and isValid(self._notice):
            self._notice.hide()

    def settle(self, save: Callable[[], bool] | None = None) -> bool:
        if not self.unlisted:
            return super().settle(save)
        text = f"The {self.noun} you typed is on a row no longer in the list, so it cannot be saved. Discard it?"
        if not ask_discard(self.owner, self.title, text):
            return False
        self.baseline = self.form()  # dropped: nothing left to ask about
        return True

    def show_first(self) -> bool:
        """Select the table's first row (in the order shown) and show it, without a question: where a
        list and its form open, and return after a reload that lost the row shown. False, and nothing
        changes, when the table has no rows."""
        model = self.table.model()
        if model is None or not model.rowCount():
            return False
        with self.quietly():
            self.table.selectRow(0)
            chosen = self._chosen_row()
            if self.editing != chosen or self.creating:  # row 0 was current already: no signal showed it
                self._show_row()
                self.shown(chosen, creating=chosen is None)
        return True

    def _row_changed(self, row: int, previous: int) -> None:
        if self._going_back or row == previous:
            return
        self._unchosen = -1
        if previous < 0 and self.asked_new and not self._is_selected(row):
            self._unchosen = row  # the table's focus put the current on a row, or a press selects it next
            return
        chosen = self._chosen_row()
        # no row before: a reload's first row, unless the form holds a new record the user asked for or
        # typing whose row a reload took away
        asking = previous >= 0 or self.asked_new or self.unlisted
        if not self.quiet and asking and self.dirty() and not self.settle():
            self._going_back = True  # Cancel: back to the row whose edits are kept (none for a new or unlisted one)
            try:
                if previous < 0 or self.asked_new:
                    self._no_row()
                else:
                    self.table.setCurrentIndex(self.table.model().index(previous, 0))
            finally:
                self._going_back = False
            # a mouse press selects the clicked row after telling us: select the kept row again once it has
            QTimer.singleShot(0, self._select_current_row)
            return
        if chosen is not None and self._chosen_row() != chosen:
            with self.quietly():  # the save reloaded the table onto the saved row: on to the row chosen
                self._choose(chosen)
        self._show_row()
        chosen = self._chosen_row()
        self.shown(chosen, creating=chosen is None)

    def _no_row(self) -> None:
        """No row current or selected. Through the view, which then leaves it so: a view cleared through its
        selection model makes its first row current when it next takes the focus, as if it were chosen."""
        self.table.setCurrentIndex(QModelIndex())
        self.table.clearSelection()

    def _is_selected(self, row: int) -> bool:
        return row >= 0 and self.table.selectionModel().isRowSelected(row, self.table.rootIndex())

    def _row_selected(self) -> None:
        """Beside a new record the user asked for, a row is chosen once it is selected (a press selects the row
        after making it current; the focus coming into the table makes a row current without choosing it)."""
        current = self.table.currentIndex().row()
        if current == self._unchosen and self.asked_new and not self._going_back and self._is_selected(current):
            self._row_changed(current, -1)

    def _select_current_row(self) -> None:
        if not isValid(self.table):  # the page went (a lock) before the deferred call came
            return
        current = self.table.currentIndex()
        if not current.isValid():  # no row is the form's: a new record kept, or typing whose row is unlisted
            self.table.selectionModel().clearSelection()
        else:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().select(current, flags)

    def _restore(self, draft: Draft) -> None:
        if self._set_scope is not None:
            self._set_scope(draft.scope)
        if self.saving_over() != draft.record:
            with self.quietly():
                if not self._choose(draft.record):
                    if draft.record is not None:  # the record is gone: the typing stays, said to be unlisted
                        self._keep_unlisted(draft)
                    return
        fill_fields(self.fields, self._typed(draft))

    def _typed(self, draft: Draft) -> dict[str, Any]:
        """A draft's values by field. A list is a draft an earlier version kept, in the form's field order
        (the meetings agenda before it was a `TableFormGuard`): its typing must come back too."""
        if isinstance(draft.values, dict):
            return draft.values
        if isinstance(draft.values, (list, tuple)) and len(draft.values) == len(self.fields):
            return dict(zip(self.fields, draft.values, strict=True))
        return {}

    def keep_if_gone(self, held: str | None, found: bool) -> bool:
        """After a page refilled the table itself: typing on `held`, whose row the refill did not find
        again, stays in the form, said to be unlisted (the form still shows it, so `give_back_typing` had
        nothing to give back). True when the form holds such typing."""
        if self.unlisted:
            return True
        typed = None if found or held is None else self.draft()
        if typed is None:
            return False
        self._keep_unlisted(typed)
        return True

    def _keep_unlisted(self, draft: Draft) -> None:
        """Keep a draft whose record is no longer in the table in the form, no row chosen, with a notice."""
        stored = self.baseline  # what the typing differs from: a form whose empty state is the typing is no blank
        with self.quietly():
            self._no_row()  # the form's empty state, which the typing then fills
        fill_fields(self.fields, self._typed(draft))
        for widget in self.fields.values():
            widget.setEnabled(True)  # to read, copy or go on typing; the form's Save has no record to write to
        self.editing, self.creating, self.unlisted, self.asked_new = draft.record, False, True, False
        self.baseline = stored  # still unsaved: leaving and locking ask and keep as before
        if self._on_unlisted is not None:
            self._on_unlisted(draft.record)
        text = (
            f"No longer in the list: a change made elsewhere took away the row this {self.noun} was typed on, so "
            "it cannot be saved. What you typed stays here, and goes back on the row if it returns; choosing "
            "another row asks first."
        )
        if self._notice is None or not isValid(self._notice):
            notice = text_label(f"{self.title} not listed", wrap=True)
            notice.setTextFormat(Qt.TextFormat.PlainText)
            notice.setStyleSheet("QLabel { font-weight: bold; }")
            self._notice = notice if put_above(next(iter(self.fields.values())), notice) else None
        if self._notice is None:  # a form laid out with no line above its first field: said aloud only
            speak(self.owner, text)
            return
        self._notice.show()
        announce(self._notice, text)

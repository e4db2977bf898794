"""The integrated chronology: filters, the table, the detail editor, undo/redo, anonymised view.

Keyboard: Ctrl+F search, Ctrl+N new entry, Ctrl+D duplicate, Del delete (asks
first), Ctrl+Z / Ctrl+Shift+Z undo / redo, F2 edit the selected entry,
Ctrl+Enter save the entry, Esc back to the table, Ctrl+Shift+A anonymised view.
A file dropped on the table opens the import dialog with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.agencies import list_agencies
from app.chronology.anonymise import Anonymiser
from app.chronology.gui_support import DuplicatePair, duplicates_of
from app.chronology.rows import EntryRow, RowFilter, build_rows, entries_to_patch, fetch_rows
from app.chronology.service import set_duplicate_status
from app.errors import WorkbenchError
from app.records import ChangeSet
from app.reviews.analysis import list_episodes
from ui import messages
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import action, button, check, combo, line, row_of, text_label
from ui.kit.dates import day_from_text
from ui.kit.edit_guard import Draft, EditGuard
from ui.kit.empty import change_empty_text, explain_when_empty
from ui.kit.shortcuts import ShortcutClaimer, reporting_input
from ui.operations import run_quietly
from ui.reviews.chronology_model import (
    DATE_COLUMN,
    EVENT_COLUMN,
    HEADINGS,
    ChronologyTableModel,
    build_index,
)
from ui.reviews.entry_editor import EntryEditor
from ui.reviews.undo import AddEntry, DeleteEntries, DuplicateEntry, EditEntry, EntryCommandContext, EntryIds

IMPORTABLE = (".xlsx", ".csv", ".docx")


NO_ENTRIES_YET = "No entries yet. Bring in an agency's chronology in the Import tab, or add an entry by hand with New entry (Ctrl+N)."


class ChronologyTable(reporting_input(QTableView)):  # type: ignore[misc]  # mypy cannot subclass a class made at run time
    """The table; accepts a dropped agency return."""

    file_dropped = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)

    @staticmethod
    def _file_of(event: QDragEnterEvent | QDropEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            path = url.toLocalFile()
            if path.lower().endswith(IMPORTABLE):
                return path
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._file_of(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        if self._file_of(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._file_of(event)
        if path:
            event.acceptProposedAction()
            self.file_dropped.emit(path)
        else:
            super().dropEvent(event)


#: entries shown as soon as a review's chronology opens; the rest are filled in behind them (issue 15)
FIRST_SCREEN = 500


@dataclass(slots=True)
class _Loaded:
    """One load's result for the GUI thread; ``complete`` is False for a first screen with more to come."""

    number: int
    complete: bool
    rows: list[EntryRow]
    agencies: list[tuple[str, str]] | None
    episodes: list[tuple[str, str]] | None


def _ignore(_error: BaseException) -> None:
    """A search index that could not be built in the background is built when a search needs it."""


class ChronologyTab(QWidget):
    """Needs the area context and the review's uuid; ``import_requested(path)`` opens the import dialog."""

    import_requested = Signal(str)

    def __init__(self, context: AreaContext, review_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.anonymised = False
        self.undo_stack = QUndoStack(self)
        #: what each of this tab's undoable commands writes to and tells (one `EntryIds` for them all)
        self.command_context = EntryCommandContext(context.workspace, EntryIds(), self._publish_own, self._refused_step)
        self._step_refused: WorkbenchError | None = None  # what the workspace refused of the undo or redo running
        self._select_after_load: str | None = None
        self._loads_in_flight = 0
        self._rows_loaded = False  # until the first load lands the table is empty, not the review
        self._load_number = 0  # each reload's number: a load overtaken by a newer one is not shown
        self._filling = False  # the first screen is shown and the rest of the review is loading
        self._rest_failed = False  # only the first screen is shown: the rest could not be read
        self._draft_after_load: Draft | None = None  # a draft handed back while the rows were loading
        self._keep_selected: list[str] = []
        self._updating = False
        self._returning = False  # set while the selection goes back to the entry with unsaved edits
        self._shown_uuid: str | None = None  # the table's entry when the editor was last filled
        self._patching = False  # reselecting after a change was patched into the rows
        self._reselect = False  # after Cancel: the key or mouse press selects its row after us; undo that

        self.model = ChronologyTableModel()
        self.table = ChronologyTable()
        self.table.setModel(self.model)
        explain_when_empty(self.table, NO_ENTRIES_YET)
        self.table.setAccessibleName("Integrated chronology")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(DATE_COLUMN, Qt.SortOrder.AscendingOrder)
        # short columns sized to what they hold, so the event text gets the room; the row's full text is
        # in the editor beside the table
        metrics = self.table.fontMetrics()
        self.table.setColumnWidth(EVENT_COLUMN, metrics.horizontalAdvance("x" * 40))
        self.table.setColumnWidth(HEADINGS.index("Source"), metrics.horizontalAdvance("x" * 18))
        for heading, sample in (
            ("Seq", "00000"),
            ("Date", "00/00/0000?"),
            ("Time", "00:00"),
            ("Age", "c. 10y 11m"),
            ("Interval", "999 days"),
            ("Agency", "Probation"),
            ("Child seen", "Unknown"),
            ("Child's voice", "Child's voice"),
            ("Significant", "Significant"),
        ):
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading)) + 24
            self.table.setColumnWidth(HEADINGS.index(heading), width)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.file_dropped.connect(self.import_requested.emit)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.table.input_handled.connect(self._select_current_row)

        # filters
        self.search = line("Search the chronology", placeholder="Search text (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.agency_filter = QListWidget()
        self.agency_filter.setAccessibleName("Show these agencies (none ticked: all)")
        self.agency_filter.setMaximumHeight(64)
        self.agency_filter.setFlow(QListWidget.Flow.LeftToRight)
        self.agency_filter.setWrapping(True)
        self.date_from = line("Show entries from date", placeholder="from dd/mm/yyyy")
        self.date_to = line("Show entries to date", placeholder="to dd/mm/yyyy")
        self.significant_only = check("Significant onl&y", "Show significant events only")
        self.episode_filter = combo("Filter by key practice episode", [("Any episode", "")])
        self.child_seen_filter = combo(
            "Filter by child seen", [("Child seen: any", ""), ("Child seen", "yes"), ("Child not seen", "no")]
        )
        self.anonymised_toggle = check("Anony&mised view", "Anonymised view (Ctrl+Shift+A)")
        self.filter_problem = text_label("Filter problem")
        self.count_label = text_label("Number of entries shown")
        self.search.textChanged.connect(self.apply_filters)
        self.agency_filter.itemChanged.connect(lambda _item: self.apply_filters())
        self.date_from.editingFinished.connect(self.apply_filters)
        self.date_to.editingFinished.connect(self.apply_filters)
        self.significant_only.toggled.connect(lambda _on: self.apply_filters())
        self.episode_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.child_seen_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.anonymised_toggle.toggled.connect(self.set_anonymised)

        self.editor = EntryEditor()
        self.editor.save_requested.connect(self.save_entry)
        self.guard = EditGuard(
            self,
            title="Chronology entry",
            noun="entry",
            form=tuple,
            save=lambda: self._save(self.editor.changes(), self.editor.checked_episodes()),
            discard=self.editor.discard,
            draft_key="reviews.chronology_entry",
            area="reviews",
            restore=self._take_back,
            scope=lambda: {"review": self.review_uuid},
            describe=self.editor.describe,
            is_dirty=self.editor.has_unsaved_changes,
            snapshot=self.editor.draft_values,
            record=lambda: self.editor.uuid,
        )
        self.editor.cancelled.connect(self.table.setFocus)
        self.duplicates: list[DuplicatePair] = []
        self.duplicate_list = QListWidget()
        explain_when_empty(self.duplicate_list, "No likely duplicates of this entry from another agency.")
        self.duplicate_list.setAccessibleName("Likely duplicates of this entry (recorded by another agency)")
        self.duplicate_list.setMaximumHeight(90)

        # actions (shortcuts live while focus is anywhere in this tab)
        self.new_action = action(self, "&New entry", "Ctrl+N", self.new_entry)
        self.duplicate_action = action(self, "&Duplicate entry", "Ctrl+D", self.duplicate_selected)
        # Del only on the table, so it still deletes characters in the editor's fields
        self.delete_action = action(
            self.table, "De&lete entries…", QKeySequence.StandardKey.Delete, self.delete_selected
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.undo_action = action(self, "&Undo", "Ctrl+Z", self.undo)
        self.redo_action = action(self, "&Redo", "Ctrl+Shift+Z", self.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda text: self.undo_action.setText(f"&Undo {text}".strip()))
        self.undo_stack.redoTextChanged.connect(lambda text: self.redo_action.setText(f"&Redo {text}".strip()))
        self.save_action = action(self, "&Save entry", "Ctrl+Return", self.editor.request_save)
        self.edit_action = action(self, "&Edit entry", "F2", self.focus_editor)
        self.find_action = action(self, "&Find", "Ctrl+F", self.focus_search)
        self.back_action = action(self, "Back to the table", "Escape", self.table.setFocus)
        self.anonymise_action = action(self, "&Anonymised view", "Ctrl+Shift+A", self.anonymised_toggle.toggle)
        self.import_action = action(self, "&Import agency return…", "Ctrl+I", lambda: self.import_requested.emit(""))

        self.claimer = ShortcutClaimer(
            self,
            [
                self.new_action,
                self.duplicate_action,
                self.delete_action,
                self.undo_action,
                self.redo_action,
                self.save_action,
                self.edit_action,
                self.find_action,
                self.back_action,
                self.anonymise_action,
                self.import_action,
            ],
            only_when={self.delete_action: self.table.hasFocus},
        )

        # Three short rows rather than one long one, so the tab fits a 1280-pixel laptop screen.
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to)
        filters.addWidget(self.episode_filter)
        toggles = row_of(self.child_seen_filter, self.significant_only, self.anonymised_toggle)
        toggles.addWidget(self.filter_problem)
        toggles.addWidget(self.count_label)
        second = QHBoxLayout()
        agencies_label = QLabel("Agencies:")
        agencies_label.setBuddy(self.agency_filter)
        second.addWidget(agencies_label)
        second.addWidget(self.agency_filter, 1)
        second.addWidget(button("Clear filters", "Clear all filters", self.clear_filters))
        buttons = QHBoxLayout()
        for act, name in (
            (self.new_action, "New entry (Ctrl+N)"),
            (self.duplicate_action, "Duplicate (Ctrl+D)"),
            (self.delete_action, "Delete (Del)"),
            (self.undo_action, "Undo (Ctrl+Z)"),
            (self.redo_action, "Redo (Ctrl+Shift+Z)"),
            (self.import_action, "Import… (Ctrl+I)"),
        ):
            buttons.addWidget(button(name, name.split(" (")[0], act.trigger))
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addLayout(toggles)
        left_layout.addLayout(second)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.table, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(QLabel("Likely duplicates (never deleted automatically):"))
        right_layout.addWidget(self.duplicate_list)
        duplicate_buttons = QHBoxLayout()
        duplicate_buttons.addWidget(
            button("Confirm", "Confirm the duplicate pairing", lambda: self.set_pair_status("confirmed"))
        )
        duplicate_buttons.addWidget(
            button("Dismiss", "Dismiss the duplicate pairing", lambda: self.set_pair_status("dismissed"))
        )
        duplicate_buttons.addWidget(button("Show both", "Show the two entries of the pairing", self.show_pair))
        right_layout.addLayout(duplicate_buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 380])  # the editor wide enough for its fields without scrolling sideways
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setAcceptDrops(True)

    # -- loading ------------------------------------------------------------------

    def reload(self) -> None:
        """Load every row in the background (a 100,000-entry chronology takes seconds).

        The first load of the tab shows the first screen of entries at once (``FIRST_SCREEN``, read
        in a few hundredths of a second) and fills in the rest behind it without a progress dialog;
        later reloads (after a change) replace the rows in one step, as they are on screen already.
        """
        current = self.current_uuid()
        if self._select_after_load is None:
            self._select_after_load = current
        # a reload (e.g. after an episode is saved) keeps every selected row, not only the current one:
        # "Link selected entries" once linked one of three
        self._keep_selected = [u for u in self.selected_uuids() if u != current]
        self._load_number += 1
        number = self._load_number
        first_screen = not self._rows_loaded and not self._loads_in_flight
        self._loads_in_flight += 1
        self.context.run("Loading the chronology…", self._load_work(number, first_screen), self._loaded)

    def _load_work(self, number: int, first_screen: bool, *, choices: bool = True) -> Callable[[object], _Loaded]:
        """The background work of one load: the first screen or every entry, with the filter choices or not."""
        workspace, review, anonymised = self.context.workspace, self.review_uuid, self.anonymised

        def work(_progress: object) -> _Loaded:
            agencies = episodes = None
            with workspace.reading() as session:  # the database lock is held for the query only
                anonymiser = Anonymiser.for_review(session, review) if anonymised else None
                # lean: only what the table shows, filters, searches and sorts by
                fetched = fetch_rows(session, review, limit=FIRST_SCREEN + 1 if first_screen else None, lean=True)
                if choices:
                    agencies = [(f"{a.short_name} - {a.name}", a.uuid) for a in list_agencies(session)]
                    episodes = [(f"KPE {e.number}: {e.title}", e.uuid) for e in list_episodes(session, review)]
            complete = not first_screen or len(fetched.entries) <= FIRST_SCREEN
            rows = build_rows(fetched, anonymiser)[: None if complete else FIRST_SCREEN]
            # the search index is built after the rows are shown (``_prepare_index``), not before
            return _Loaded(number, complete, rows, agencies, episodes)

        return work

    def _fill_rest(self, number: int) -> None:
        """Every entry, read behind the first screen; ``_loaded`` shows them when they come."""
        work = self._load_work(number, first_screen=False, choices=False)

        def failed(error: BaseException) -> None:
            self._loads_in_flight = max(0, self._loads_in_flight - 1)
            if number != self._load_number:  # overtaken, or the tab was shut down (locked): nothing to say
                return
            self._filling = False
            self._rest_failed = True
            self._rows_loaded = True  # the first screen stands; a reload (or reopening) tries the rest again
            self._update_count()
            message = error.message if isinstance(error, WorkbenchError) else f"{type(error).__name__}: {error}"
            messages.show_error(self, "Loading the chronology", f"Only the first entries are shown. {message}")
            if self._draft_after_load is not None and not self._loads_in_flight:
                draft, self._draft_after_load = self._draft_after_load, None
                self._fill_from_draft(draft)

        run_quietly(self, work, self._loaded, failed)

    def _loaded(self, result: _Loaded) -> None:
        if result.number != self._load_number:  # overtaken by a later reload: its rows will come
            self._loads_in_flight = max(0, self._loads_in_flight - 1)
            return
        if not result.complete:  # the first screen: show it, and load the rest behind it
            self._filling = True
            if result.agencies is not None and result.episodes is not None:
                self._fill_choices(result.agencies, result.episodes)
            self.model.set_rows(result.rows)
            self._update_count()
            self._fill_rest(result.number)
            return
        self._loads_in_flight = max(0, self._loads_in_flight - 1)
        self._rows_loaded = True
        self._rest_failed = False
        if self._filling:  # whatever the member chose on the first screen stays chosen
            self._filling = False
            self._select_after_load = self.current_uuid() or self._select_after_load
            self._keep_selected = [u for u in self.selected_uuids() if u != self._select_after_load]
        if result.agencies is not None and result.episodes is not None:
            self._fill_choices(result.agencies, result.episodes)
        self.model.set_rows(result.rows)
        self._prepare_index()
        self._update_count()
        self._reselect_after_change()
        if self._draft_after_load is not None and not self._loads_in_flight:
            draft, self._draft_after_load = self._draft_after_load, None
            self._fill_from_draft(draft)

    def _prepare_index(self) -> None:
        """Build the search and sort index of the rows just shown in a worker, so the first search does not wait
        for it (a search before it comes builds it at once; rows changed since make it useless)."""
        rows, generation = list(self.model.rows), self.model.generation
        run_quietly(
            self, lambda _progress: build_index(rows), lambda index: self.model.adopt_index(generation, index), _ignore
        )

    def on_changes(self, changes: ChangeSet) -> None:
        """After a change to the chronology's tables: the changed entries patched into the rows when nothing else
        changed (an entry edited, added or deleted here), or every row loaded again."""
        if not self._rows_loaded or self._loads_in_flight or self._filling or self._rest_failed:
            self.reload()
            return
        review = self.review_uuid
        with self.context.workspace.reading() as session:
            entries = entries_to_patch(session, changes)
            if entries is not None:
                anonymiser = Anonymiser.for_review(session, review) if self.anonymised else None
                fresh = build_rows(fetch_rows(session, review, lean=True, uuids=entries), anonymiser)
        if entries is None:
            self.reload()
            return
        if self._select_after_load is None:
            self._select_after_load = self.current_uuid()
        self._keep_selected = [u for u in self.selected_uuids() if u != self._select_after_load]
        self.model.patch(fresh, entries - {row.uuid for row in fresh})
        self._update_count()
        # Patched while this tab's own change is still being delivered: "made by this tab" must not
        # stand for "nothing to ask" here, or typing in another entry (or a new one) is thrown away.
        self._patching = True
        try:
            self._reselect_after_change()
        finally:
            self._patching = False

    def _reselect_after_change(self) -> None:
        """After the rows are replaced or patched: select again what was selected (or what a command chose)."""
        wanted, self._select_after_load = self._select_after_load, None
        kept, self._keep_selected = self._keep_selected, []
        if wanted and self.select_uuid(wanted):
            for uuid in kept:
                row = self.model.view_row_of(uuid)
                if row >= 0:
                    self.table.selectionModel().select(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                    )
        elif self._holds_other_edits():
            self._return_to_edited()  # the selected entry went: the editor's typing stays, nothing to ask
        else:
            self._show_current()

    def _holds_other_edits(self, leaving: Iterable[str] = ()) -> bool:
        """Does the editor hold unsaved edits of a new entry, or of an entry still here and not in ``leaving``?"""
        editor = self.editor
        if self.guard.quiet or not editor.has_unsaved_changes():
            return False
        return editor.uuid is None or (editor.uuid not in leaving and self.model.view_row_of(editor.uuid) >= 0)

    def _fill_choices(self, agencies: list[tuple[str, str]], episodes: list[tuple[str, str]]) -> None:
        self._updating = True
        try:
            ticked = set(self.checked_agencies())
            self.agency_filter.clear()
            for label, uuid in agencies:
                item = QListWidgetItem(label.split(" - ")[0])
                item.setToolTip(label)
                item.setData(Qt.ItemDataRole.UserRole, uuid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if uuid in ticked else Qt.CheckState.Unchecked)
                self.agency_filter.addItem(item)
            chosen = self.episode_filter.currentData()
            self.episode_filter.clear()
            self.episode_filter.addItem("Any episode", "")
            for label, uuid in episodes:
                self.episode_filter.addItem(label, uuid)
            index = self.episode_filter.findData(chosen)
            self.episode_filter.setCurrentIndex(max(index, 0))
            self.editor.set_choices(agencies, episodes)
        finally:
            self._updating = False

    # -- filters -------------------------------------------------------------------

    def checked_agencies(self) -> list[str]:
        return [
            self.agency_filter.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.agency_filter.count())
            if self.agency_filter.item(r).checkState() == Qt.CheckState.Checked
        ]

    def filter_from_controls(self) -> RowFilter:
        problems = []
        try:
            first = day_from_text(self.date_from.text(), "from date")
        except WorkbenchError as exc:
            first, problems = None, [exc.message]
        try:
            last = day_from_text(self.date_to.text(), "to date")
        except WorkbenchError as exc:
            last = None
            problems.append(exc.message)
        announce(self.filter_problem, " ".join(problems), urgent=True, if_changed=True)
        seen = self.child_seen_filter.currentData()
        return RowFilter(
            agencies=frozenset(self.checked_agencies()),
            date_from=first,
            date_to=last,
            text=self.search.text(),
            significant_only=self.significant_only.isChecked(),
            episode_uuid=self.episode_filter.currentData() or None,
            child_seen={"yes": True, "no": False}.get(seen),
        )

    def apply_filters(self) -> None:
        if self._updating:
            return
        self.model.set_filter(self.filter_from_controls())
        self._update_count()

    def clear_filters(self) -> None:
        self._updating = True
        try:
            self.search.clear()
            self.date_from.clear()
            self.date_to.clear()
            self.significant_only.setChecked(False)
            self.episode_filter.setCurrentIndex(0)
            self.child_seen_filter.setCurrentIndex(0)
            for r in range(self.agency_filter.count()):
                self.agency_filter.item(r).setCheckState(Qt.CheckState.Unchecked)
        finally:
            self._updating = False
        self.apply_filters()

    def show_episode(self, episode_uuid: str) -> None:
        index = self.episode_filter.findData(episode_uuid)
        if index >= 0:
            self.episode_filter.setCurrentIndex(index)

    def _update_count(self) -> None:
        if self._filling or self._rest_failed:
            rest = "the rest could not be read" if self._rest_failed else "loading the rest…"
            self.count_label.setText(
                f"{self.model.rowCount()} of the first {len(self.model.rows)} entries shown; {rest}"
            )
        else:
            self.count_label.setText(f"{self.model.rowCount()} of {len(self.model.rows)} entries shown")
        change_empty_text(
            self.table,
            NO_ENTRIES_YET
            if not self.model.rows
            else f"No entries match these filters. Clear filters to see all {len(self.model.rows)} entries.",
        )

    def set_anonymised(self, on: bool) -> None:
        if on == self.anonymised:
            return
        if on and self.editor.has_unsaved_changes() and not self._settle_edits():
            self.anonymised_toggle.blockSignals(True)
            self.anonymised_toggle.setChecked(False)
            self.anonymised_toggle.blockSignals(False)
            return
        self.anonymised = on
        if self.anonymised_toggle.isChecked() != on:
            self.anonymised_toggle.setChecked(on)
        self.context.show_status("Anonymised view: names replaced from the glossary" if on else "Showing the real text")
        self.reload()

    # -- selection -------------------------------------------------------------------

    def current_uuid(self) -> str | None:
        index = self.table.currentIndex()
        if index.isValid() and index.row() < self.model.rowCount():
            return self.model.row_at(index.row()).uuid
        return None

    def selected_uuids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        current = self.current_uuid()
        if not rows and current:
            return [current]
        return [self.model.row_at(r).uuid for r in rows]

    def describe_uuids(self, uuids: list[str]) -> list[str]:
        """ "22/05/2016 Police: Home visit…" for each entry, as the table shows it."""
        out = []
        for uuid in uuids:
            row = self.model.view_row_of(uuid)
            if row >= 0:
                entry = self.model.row_at(row)
                event = " ".join(entry.event.split())
                out.append(f"{entry.date_text} {entry.agency}: {event[:60]}{'…' if len(event) > 60 else ''}")
        return out

    def select_uuid(self, uuid: str) -> bool:
        row = self.model.view_row_of(uuid)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        moves = self.table.currentIndex().row() != index.row()
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        if not moves:  # no currentRowChanged: show it here (a moved current row has shown it, or asked once)
            self._show_current()
        return True

    def _show_current(self) -> None:
        if self._returning:
            return
        uuid = self.current_uuid()
        if not self._may_leave_editor(uuid):
            return
        try:
            self.editor.show_entry(self.context.workspace, uuid, read_only=self.anonymised)
        except WorkbenchError:
            self.editor.show_entry(self.context.workspace, None)
        self._shown_uuid = uuid
        self._show_duplicates(uuid)

    # -- unsaved edits -------------------------------------------------------------

    def _may_leave_editor(self, target: str | None) -> bool:
        """May the editor show ``target``? Asks first when that would lose unsaved edits.

        False keeps the edits in the editor: on a reload of the same entry, or when the user
        chose Cancel (the selection then goes back to the edited entry).
        """
        editor = self.editor
        made_here = self.context.made_by(self) and not self._patching
        if self.guard.quiet or made_here or not editor.has_unsaved_changes():
            return True
        if editor.uuid is not None and target == editor.uuid:
            return False  # the same entry again (a reload after another change): keep what is typed
        if self._settle_edits(target, moving=True):
            return True
        self._return_to_edited()
        return False

    def _settle_edits(self, move_to: str | None = None, moving: bool = False) -> bool:
        """The guard's Save / Discard / Cancel for the editor's unsaved edits; a Save then selects
        ``move_to`` when ``moving``. False for Cancel or a refused save."""
        return self.guard.settle(
            save=lambda: self._save(self.editor.changes(), self.editor.checked_episodes(), move_to, moving)
        )

    def _return_to_edited(self) -> None:
        back = self.editor.uuid or self._shown_uuid
        row = self.model.view_row_of(back) if back else -1
        self._returning = True
        try:
            if row < 0:  # filtered out, or a new entry: no row to go back to, the editor keeps the edits
                self.table.selectionModel().clear()
            else:
                index = self.model.index(row, 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.table.scrollTo(index)
        finally:
            self._returning = False
        self._reselect = True
        QTimer.singleShot(0, self, self._select_current_row)

    def _select_current_row(self) -> None:
        if not self._reselect:
            return
        self._reselect = False
        index = self.table.currentIndex()
        if index.isValid() and self.current_uuid() == (self.editor.uuid or self._shown_uuid):
            self.table.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )

    def _show_duplicates(self, uuid: str | None) -> None:
        self.duplicate_list.clear()
        self.duplicates = []
        if uuid is None or self.anonymised:
            return
        with self.context.workspace.reading() as session:
            self.duplicates = duplicates_of(session, uuid)
        for pair in self.duplicates:
            self.duplicate_list.addItem(pair.describe())
        if self.duplicates:
            self.duplicate_list.setCurrentRow(0)

    def _current_pair(self) -> DuplicatePair | None:
        row = self.duplicate_list.currentRow()
        return self.duplicates[row] if 0 <= row < len(self.duplicates) else None

    def set_pair_status(self, status: str) -> None:
        pair = self._current_pair()
        if pair is None or not self._writable():
            return
        if self.context.write(
            "Likely duplicate", lambda uow: set_duplicate_status(uow, pair.link_uuid, status), initiator=self
        ):
            self._show_duplicates(self.current_uuid())

    def show_pair(self) -> None:
        """Filter the table to the entry and its likely duplicate, side by side."""
        pair, uuid = self._current_pair(), self.current_uuid()
        if pair is None or uuid is None:
            return
        self.clear_filters()
        self.model.set_filter(RowFilter(uuids=frozenset({uuid, pair.other_uuid})))
        self._update_count()
        self.select_uuid(uuid)

    def focus_editor(self) -> None:
        if self.editor.isEnabled():
            self.editor.event_text.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- commands ----------------------------------------------------------------------

    def _push(self, command: Any, select: Callable[[], str | None] | None = None, *, editing: bool = False) -> bool:
        try:
            command.first_run()
        except WorkbenchError as exc:
            if editing:  # closing the message leaves the cursor in the field it names
                self.editor.focus_field_named(exc.message)
            messages.show_error(self, "Chronology entry", exc.message)
            return False
        self.undo_stack.push(command)
        wanted = select() if select is not None else None
        # the reload may already have happened (fast) or still be running (then it selects this)
        if wanted and not self.select_uuid(wanted):
            self._select_after_load = wanted
        return True

    def _publish_own(self, changes: ChangeSet) -> None:
        """Publish a change set this tab made (its own reload then asks nothing about it)."""
        self.context.publish(changes, self)

    def _take_back(self, draft: Draft) -> None:
        """Unsaved edits kept at the last lock: the entry (or a new one) with what was typed.

        While the rows are still loading (just after unlock) the draft waits for them, so the
        load's own selection cannot move the editor off it and ask about it.
        """
        if self._loads_in_flight or not self._rows_loaded:
            self._draft_after_load = draft
            self._select_after_load = draft.record
            return
        self._fill_from_draft(draft)

    def _fill_from_draft(self, draft: Draft) -> None:
        if draft.record is not None and self.select_uuid(draft.record):
            self.editor.show_entry(self.context.workspace, draft.record)
        else:
            self.editor.start_new({})
        self.editor.apply_draft(draft.values)
        self.guard.focus_field(draft)

    def _writable(self) -> bool:
        if self.anonymised:
            self.context.show_status("Switch off the anonymised view (Ctrl+Shift+A) to edit the chronology.")
            return False
        return True

    def new_entry(self) -> None:
        if not self._writable():
            return
        if self.editor.has_unsaved_changes() and not self._settle_edits():
            return
        current = self.current_uuid()
        defaults: dict[str, Any] = {}
        if current:
            row = self.model.row_at(self.table.currentIndex().row())
            defaults = {"start_date": row.date.to_storage(), "agency_uuid": row.agency_uuid}
        self.editor.start_new(defaults)

    def save_entry(self, changes: dict[str, Any], episodes: list[str]) -> None:
        self._save(changes, episodes)

    def _save(
        self, changes: dict[str, Any], episodes: list[str], move_to: str | None = None, moving: bool = False
    ) -> bool:
        """Save the editor's entry; then select it, or ``move_to`` when ``moving``. False if refused."""
        if not self._writable():
            return False
        if self.editor.uuid is None:
            if not changes.get("sequence"):
                changes = {k: v for k, v in changes.items() if k != "sequence"}  # the next free number
            adding = AddEntry(self.command_context, self.review_uuid, changes, episodes)
            if not self._push_saved(adding, lambda: move_to if moving else adding.uuid, lambda: adding.uuid):
                return False
            self.context.show_status("Entry added")
            if not moving:
                self.table.setFocus()
            return True
        episodes_changed = self.editor.episodes_changed()
        if not changes and not episodes_changed:
            self.context.show_status("No changes to save.")
            return True
        uuid = self.editor.uuid
        try:
            editing = EditEntry(self.command_context, uuid, changes, episodes if episodes_changed else None)
        except WorkbenchError as exc:
            self.editor.focus_field_named(exc.message)
            messages.show_error(self, "Chronology entry", exc.message)
            return False
        if not self._push_saved(editing, lambda: move_to if moving else uuid, lambda: uuid):
            return False
        self.context.show_status("Entry saved")
        return True

    def _push_saved(self, command: Any, select: Callable[[], str | None], saved: Callable[[], str | None]) -> bool:
        """Push a save: the reload it causes and the selection after it never ask about the saved edits."""
        with self.guard.quietly():
            pushed = self._push(command, select, editing=True)
        if pushed and self.editor.has_unsaved_changes():
            # the table has not caught up yet (it reloads in the background): show the entry as now stored
            self.editor.show_entry(self.context.workspace, saved())
        return pushed

    def duplicate_selected(self) -> None:
        uuid = self.current_uuid()
        if not uuid or not self._writable():
            self.context.show_status("Select an entry to duplicate.")
            return
        if self.editor.has_unsaved_changes() and not self._settle_edits():
            return
        uuid = self.current_uuid() or uuid
        command = DuplicateEntry(self.command_context, uuid)
        self._push(command, lambda: command.uuid)

    def delete_selected(self) -> None:
        uuids = self.selected_uuids()
        if not uuids or not self._writable():
            self.context.show_status("Select the entries to delete.")
            return
        what = "this entry" if len(uuids) == 1 else f"these {len(uuids)} entries"
        if not messages.confirm(
            self,
            "Delete chronology entries",
            f"Delete {what}? Other members will see the deletion after the next exchange. You can undo it with Ctrl+Z.",
            "Delete",
        ):
            return
        # while another entry (or a new one) is being typed, the selection stays with it, asking nothing
        following = self.editor.uuid if self._holds_other_edits(uuids) else self._neighbour_after(uuids)
        command = DeleteEntries(self.command_context, uuids)
        if self.editor.uuid in uuids:  # the edited entry goes: its edits go with it, no question
            with self.guard.quietly():
                self._push(command, lambda: following)
        else:
            self._push(command, lambda: following)

    def _neighbour_after(self, uuids: list[str]) -> str | None:
        gone = set(uuids)
        rows = [self.model.view_row_of(u) for u in uuids]
        start = max(rows) + 1 if rows else 0
        for row in list(range(start, self.model.rowCount())) + list(range(min(rows or [0]) - 1, -1, -1)):
            uuid = self.model.row_at(row).uuid
            if uuid not in gone:
                return uuid
        return None

    def undo(self) -> None:
        self._guarded(self.undo_stack.undo, "Undo")

    def redo(self) -> None:
        self._guarded(self.undo_stack.redo, "Redo")

    def _refused_step(self, error: WorkbenchError) -> None:
        """A command's undo or redo was refused (the commands' `on_refused`). Only noted here: the
        stack is still running that command, so clearing the stack waits until `_guarded`'s step returns."""
        self._step_refused = error

    def _guarded(self, step: Callable[[], None], title: str) -> None:
        """Run the stack's undo or redo; a refusal its command reported clears the history and is shown."""
        self._step_refused = None
        step()
        refused, self._step_refused = self._step_refused, None
        if refused is not None:
            # QUndoStack has already moved its index, so it no longer matches the data: start afresh
            self.undo_stack.clear()
            messages.show_error(self, title, f"{refused.message}\nThe undo history was cleared.")

    def shutdown(self) -> None:
        """On lock or close: unsaved edits are dropped (never written, never asked about)."""
        self._load_number += 1  # rows still loading are not shown
        self.editor.show_entry(self.context.workspace, None)
        self.undo_stack.clear()
        self.model.clear()
        self.editor.show_entry(self.context.workspace, None)

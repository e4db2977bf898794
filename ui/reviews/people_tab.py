"""The people register of a review and the scan for names it does not know, side by side.

Left: who the chronology is about and what replaces them (Child A, Mother,
GP1), with every other name they go by. Right: the name-like words still in
the anonymised text; the reviewer adds each to the register (a new person,
or another name of a listed one) or dismisses it as not identifying. The
anonymised exports stay refused until the list is empty. Everything works by
keyboard: the lists take Up/Down, the buttons have Alt letters, Delete
dismisses the selected words. Alt letters avoid the menus (F, G, A, H) and the tabs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.chronology.people import (
    NameSuspect,
    add_other_name,
    add_person,
    decide,
    delete_person,
    list_people,
    name_suspects,
    update_person,
)
from app.records import ChangeSet, UnitOfWork
from app.text import count_of
from ui import messages
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import add_captioned, add_labelled_rows, button, combo, item_text, line, row_of, text_label
from ui.kit.edit_guard import TableFormGuard
from ui.kit.empty import explain_when_empty
from ui.widgets import read_only_item

KEY = Qt.ItemDataRole.UserRole
#: the person form's draft, kept on lock and given back on unlock (issue 10, 2)
PERSON_DRAFT = "reviews.person"
PEOPLE_TABLES = ("review_person", "scan_decision", "glossary_term", "chronology_entry", "review")


def _table(columns: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class PeopleTab(QWidget):
    """People register editor and the name scan of one review."""

    def __init__(self, context: AreaContext, review_uuid: str, edit_entry: Callable[[str], None]) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.edit_entry = edit_entry
        self.suspects: list[NameSuspect] = []
        self.person_uuids: list[str] = []

        self.people = _table(["Pseudonym", "Real name", "Other names", "Role"], "People register")
        explain_when_empty(
            self.people,
            "No people yet: add each person in the family with the pseudonym the export uses (Child A, Mother...).",
        )
        self.real_name = line("Real name", placeholder="e.g. full name as agencies write it")
        self.pseudonym = line("Pseudonym", placeholder="the name the export uses, e.g. Child A or Mother")
        self.role = line("Role", placeholder="e.g. mother, child, GP")
        self.other_names = line("Other names, separated by commas", placeholder="nicknames, aliases, spellings")
        form = QFormLayout()
        add_labelled_rows(
            form,
            (
                ("Real name", self.real_name),
                ("Pse&udonym", self.pseudonym),
                ("Role", self.role),
                ("Other names (list with commas)", self.other_names),
            ),
        )
        self.guard = TableFormGuard(
            self,
            self.people,
            {"real_name": self.real_name, "pseudonym": self.pseudonym, "role": self.role, "others": self.other_names},
            title="People register",
            noun="person",
            save=self._save_form,
            draft_key=PERSON_DRAFT,
            record=self._current_person,
            choose=self._choose_person,
            show=self._show_person,
            scope=lambda: {"review": self.review_uuid},
        )
        person_buttons = row_of(
            button("A&dd person", "Add a person to the register", self.add),
            button("&Save changes", "Save the selected person", self.save),
            button("Remo&ve person", "Remove the selected person", self.remove),
            button("Cl&ear form", "Clear the person form", self.clear_form),
        )
        left_box = QGroupBox("People register: who the chronology names and what replaces them")
        left = QVBoxLayout(left_box)
        left.addWidget(self.people, 1)
        left.addLayout(form)
        left.addLayout(person_buttons)

        self.scan_table = _table(["Word", "Times", "Why flagged", "Example"], "Name-like words to decide")
        explain_when_empty(
            self.scan_table, "Nothing to decide: no word that looks like a name is left outside the register."
        )
        self.scan_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.scan_summary = text_label("Name scan summary", "Scan for names before an anonymised export.", wrap=True)
        self.target = combo("Person the word is another name of")
        scan_buttons = QHBoxLayout()
        scan_buttons.addWidget(button("Chec&k for names", "Check the anonymised text for names", self.run_scan))
        scan_buttons.addWidget(
            button(
                "Dis&miss as not identifying", "Dismiss the selected words as not identifying", self.dismiss_selected
            )
        )
        scan_buttons.addWidget(
            button(
                "Add as a new register entr&y…", "Add the selected word as a new person", self.add_selected_as_person
            )
        )
        scan_buttons.addStretch(1)
        other_row = QHBoxLayout()
        add_captioned(other_row, "&Belongs to (another name of):", self.target, 1)
        other_row.addWidget(
            button(
                "&Join to that person",
                "Add the selected words as other names of the chosen person",
                self.add_selected_as_other_name,
            )
        )
        other_row.addWidget(button("Show its entry", "Show the entry of the selected word", self.show_entry))
        right_box = QGroupBox("Names the register does not know (in the anonymised text)")
        right = QVBoxLayout(right_box)
        right.addLayout(scan_buttons)
        right.addWidget(self.scan_table, 1)
        right.addLayout(other_row)
        right.addWidget(self.scan_summary)
        dismiss_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.scan_table)
        dismiss_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        dismiss_key.activated.connect(self.dismiss_selected)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([520, 640])
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Anonymised exports replace every way a person is written (first name, surname, initials, "
            "possessives, nicknames) with the pseudonym. Every name-like word the register does not "
            "know must be added or dismissed first; decisions are recorded with your name and the time."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        self.reload()

    # -- register ---------------------------------------------------------------------

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            people = [
                (p.uuid, p.pseudonym, p.real_name, ", ".join(p.other_names), p.role)
                for p in list_people(session, self.review_uuid)
            ]
        current = self._current_person()
        self.person_uuids = [p[0] for p in people]
        with self.guard.quietly():  # the rows refilled: nothing to ask (typing survives it, see AreaPage)
            self.people.setRowCount(len(people))
            for row, (uuid, pseudonym, real, others, role) in enumerate(people):
                for column, text in enumerate((pseudonym, real, others, role)):
                    self.people.setItem(row, column, read_only_item(text, uuid if column == 0 else None))
            self.people.resizeColumnsToContents()
            if current in self.person_uuids:
                self.people.setCurrentCell(self.person_uuids.index(current), 0)
        held = self.guard.saving_over()  # typing on a person a change elsewhere removed: kept, said so
        self.guard.keep_if_gone(held, held in self.person_uuids)
        self.target.clear()
        for uuid, pseudonym, real, _others, _role in people:
            self.target.addItem(f"{pseudonym} ({real})", uuid)

    def on_changes(self, changes: ChangeSet) -> None:
        if self.context.made_by(self) or not changes.touches(*PEOPLE_TABLES):
            return
        self.reload()
        if changes.touches("review_person", "scan_decision", "glossary_term"):
            self.run_scan(quiet=True)  # someone else's decisions (or a merged bundle): the list is out of date
        elif self.suspects:
            announce(self.scan_summary, "The chronology changed since the last check: check for names again.")

    def _current_person(self) -> str | None:
        item = self.people.item(self.people.currentRow(), 0) if self.people.currentRow() >= 0 else None
        return item.data(KEY) if item is not None else None

    def _show_person(self) -> None:
        row = self.people.currentRow()
        if row < 0 or self.people.item(row, 0) is None:
            return
        self.pseudonym.setText(item_text(self.people, row, 0))
        self.real_name.setText(item_text(self.people, row, 1))
        self.other_names.setText(item_text(self.people, row, 2))
        self.role.setText(item_text(self.people, row, 3))

    def _choose_person(self, uuid: str | None) -> bool:
        if uuid is None:
            self.clear_form()
            return True
        if uuid not in self.person_uuids:
            return False
        self.people.setCurrentCell(self.person_uuids.index(uuid), 0)
        return True

    def _save_form(self) -> bool:
        return self.save() if self.guard.saving_over() else self.add()

    def _others(self) -> list[str]:
        return [n.strip() for n in self.other_names.text().split(",") if n.strip()]

    def _write(self, title: str, work: Callable[[UnitOfWork], Any]) -> bool:
        return self.context.write(title, work, initiator=self)

    def add(self) -> bool:
        real, pseudo, role, others = self.real_name.text(), self.pseudonym.text(), self.role.text(), self._others()

        def work(uow: UnitOfWork) -> None:
            add_person(uow, self.review_uuid, real, pseudo, role=role, other_names=others)
            for name in [real, *others]:
                decide(uow, self.review_uuid, name, "added")

        if not self._write("Person not added", work):
            return False
        self.clear_form()
        self.reload()
        self.run_scan(quiet=True)
        self.context.show_status(f"{real.strip()} is replaced by {pseudo.strip()} in anonymised text.")
        return True

    def save(self) -> bool:
        uuid = self.guard.saving_over()  # the person the form was filled from
        if uuid is None:
            messages.show_info(self, "People register", "Choose a person in the register first.")
            return False
        real, pseudo, role, others = self.real_name.text(), self.pseudonym.text(), self.role.text(), self._others()
        if not self._write(
            "Person not saved",
            lambda uow: update_person(uow, uuid, real_name=real, pseudonym=pseudo, role=role, other_names=others),
        ):
            return False
        self.guard.shown(uuid)
        self.reload()
        self.run_scan(quiet=True)
        return True

    def remove(self) -> None:
        uuid = self._current_person()
        if uuid is None:
            return
        name = item_text(self.people, self.people.currentRow(), 0)
        if messages.confirm(
            self,
            "Remove person",
            f"Remove {name} from the people register? Anonymised text will no longer replace their names.",
            "Remove person",
        ):
            if self._write("Person not removed", lambda uow: delete_person(uow, uuid)):
                self.clear_form()
                self.reload()

    def clear_form(self) -> None:
        """Empty the form for a new person (what was typed is dropped on purpose); a person clicked while
        one is typed there asks first (`asked`), as the focus coming into the register chooses nobody."""
        self.guard.load(None, self._blank_form, creating=True, asked=True)
        self.real_name.setFocus()

    def _blank_form(self) -> None:
        for edit in (self.real_name, self.pseudonym, self.role, self.other_names):
            edit.clear()
        self.people.clearSelection()
        self.people.setCurrentCell(-1, -1)

    # -- scan ---------------------------------------------------------------------------

    def run_scan(self, quiet: bool = False) -> None:
        """Scan on the GUI thread when quiet (after an edit, small), else as background work with progress."""
        workspace, review = self.context.workspace, self.review_uuid

        def work(_progress: object = None) -> list[NameSuspect]:
            with workspace.reading() as session:
                return name_suspects(session, review)

        if quiet:
            self.show_suspects(work())
        else:
            self.context.run("Scanning the anonymised chronology for names…", work, self.show_suspects)

    def show_suspects(self, suspects: list[NameSuspect]) -> None:
        self.suspects = suspects
        self.scan_table.setRowCount(len(suspects))
        for row, suspect in enumerate(suspects):
            self.scan_table.setItem(row, 0, read_only_item(suspect.text, suspect.key))
            self.scan_table.setItem(row, 1, read_only_item(str(suspect.count)))
            self.scan_table.setItem(row, 2, read_only_item(suspect.reason))
            entry, field, context = suspect.occurrences[0]
            example = read_only_item(f"{field.replace('_', ' ')}: {context}")
            example.setToolTip("\n".join(f"{f.replace('_', ' ')}: {c}" for _e, f, c in suspect.occurrences[:8]))
            self.scan_table.setItem(row, 3, example)
        self.scan_table.resizeColumnsToContents()
        self.scan_table.horizontalHeader().setStretchLastSection(True)
        if suspects:
            announce(
                self.scan_summary,
                f"{count_of(len(suspects), 'name-like word')} to decide before an anonymised export: "
                "add each to the register or dismiss it (Delete).",
            )
            self.scan_table.setCurrentCell(0, 0)
        else:
            announce(
                self.scan_summary,
                "No undecided name-like words: anonymised exports may go ahead "
                "(the identifying-data scan still applies).",
            )

    def _selected(self) -> list[NameSuspect]:
        rows = sorted(
            {i.row() for i in self.scan_table.selectedIndexes()}
            or ({self.scan_table.currentRow()} if self.scan_table.currentRow() >= 0 else set())
        )
        return [self.suspects[r] for r in rows if 0 <= r < len(self.suspects)]

    def dismiss_selected(self) -> None:
        chosen = self._selected()
        if not chosen:
            return
        row = self.scan_table.currentRow()

        def work(uow: UnitOfWork) -> None:
            for suspect in chosen:
                decide(uow, self.review_uuid, suspect.text, "not-identifying")

        if self._write("Not dismissed", work):
            self.run_scan(quiet=True)
            if self.scan_table.rowCount():
                self.scan_table.setCurrentCell(min(row, self.scan_table.rowCount() - 1), 0)
            self.scan_table.setFocus()
            self.context.show_status(f"Dismissed {', '.join(s.text for s in chosen)} as not identifying.")

    def add_selected_as_person(self) -> None:
        chosen = self._selected()
        if chosen:
            self.clear_form()
            self.real_name.setText(" ".join(s.text for s in chosen))
            self.pseudonym.setFocus()
            self.context.show_status("Type the pseudonym (and any other names), then Add person.")

    def add_selected_as_other_name(self) -> None:
        chosen, uuid = self._selected(), self.target.currentData()
        if not chosen or uuid is None:
            return

        def work(uow: UnitOfWork) -> None:
            for suspect in chosen:
                add_other_name(uow, uuid, suspect.text)
                decide(uow, self.review_uuid, suspect.text, "added")

        if self._write("Name not added", work):
            self.reload()
            self.run_scan(quiet=True)
            self.scan_table.setFocus()

    def show_entry(self) -> None:
        chosen = self._selected()
        if chosen and chosen[0].occurrences[0][0]:
            self.edit_entry(chosen[0].occurrences[0][0])

"""The detail editor beside the chronology table: every field of one entry.

It shows the stored entry (read fresh from the workspace) and hands back only
the fields the user changed, for an undoable ``EditEntry``; in "new" mode it
hands back every value for ``AddEntry``. Read-only in the anonymised view, so
pseudonyms never get written over real text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.chronology.service import entry_episode_uuids, entry_values, get_entry
from app.dates.fuzzy import FuzzyDate
from app.store.workspace import Workspace
from ui.kit.controls import (
    button,
    check,
    combo,
    get_tristate,
    line,
    set_combo_data,
    set_tristate,
    text_box,
    text_label,
    yes_no_unknown,
)
from ui.widgets import vertical_scroll


def _date_text(stored: str | None) -> str:
    return FuzzyDate.from_storage(stored).display() if stored else ""


class EntryEditor(QWidget):
    """Emits ``save_requested(changes, episodes)``; ``uuid`` is None while adding a new entry."""

    save_requested = Signal(dict, list)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.uuid: str | None = None
        self._loaded: dict[str, Any] = {}
        self._loaded_episodes: list[str] = []
        self._shown: tuple[dict[str, Any], list[str]] = ({}, [])  # the form as filled, before any typing
        self.read_only = False
        self.heading = text_label("Entry being edited", "No entry selected")
        self.sequence = QSpinBox()
        self.sequence.setRange(0, 10_000_000)
        self.sequence.setAccessibleName("Sequence")
        self.reference = line("Agency reference")
        # hints, not values: an empty editor must not look as if it held a date and a time
        self.start_date = line("Start date", placeholder="dd/mm/yyyy, or a month or year")
        self.start_time = line("Start time", placeholder="hh:mm (optional)")
        self.end_date = line("End date")
        self.end_time = line("End time")
        self.agency = combo("Agency")
        # a long agency name must not widen the editor past its panel
        self.agency.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.agency.setMinimumContentsLength(12)
        self.source = line("Source of information")
        self.event_text = text_box("Event or contact, who was present", 90)
        self.child_seen = yes_no_unknown("Child seen")
        self.child_voice = yes_no_unknown("Child's voice recorded")
        self.child_voice_note = line("What the child said")
        self.action_outcome = text_box("Action or outcome")
        self.agency_analysis = text_box("Agency analysis")
        self.reviewer_comment = text_box("Reviewer comment")
        self.significant = check("&Significant event", "Significant event")
        self.episodes = QListWidget()
        self.episodes.setAccessibleName("Key practice episodes of this entry")
        self.episodes.setMaximumHeight(80)
        self.author = text_label("Author and last change")
        self.author.setWordWrap(
            True
        )  # unwrapped, its one long line widened the form past the pane: fields were cut off
        self.save_button = button("Save entry (Ctrl+Enter)", "Save entry", self.request_save)
        self.revert_button = button("Revert", "Revert changes to the entry", self.revert)

        # the letters the chronology tab leaves free (menus, tabs, filters and Register take the rest): the
        # fields used most get them; the others are a Tab away and are written without one
        form = QFormLayout()
        form.addRow("Se&quence", self.sequence)
        form.addRow("Agency reference", self.reference)
        form.addRow("Start &date", self.start_date)
        form.addRow("Start time", self.start_time)
        form.addRow("End date", self.end_date)
        form.addRow("End time", self.end_time)
        form.addRow("Ag&ency", self.agency)
        form.addRow("So&urce", self.source)
        form.addRow("E&vent / contact", self.event_text)
        form.addRow("Child seen", self.child_seen)
        form.addRow("Child's voice", self.child_voice)
        form.addRow("Child said", self.child_voice_note)
        form.addRow("Action / outcome", self.action_outcome)
        form.addRow("Agency analysis", self.agency_analysis)
        form.addRow("Reviewer comment", self.reviewer_comment)
        form.addRow("", self.significant)
        form.addRow("Episodes", self.episodes)
        form.addRow("Author", self.author)
        scroll = vertical_scroll(form, "Entry details")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.setEnabled(False)

    # -- choices -------------------------------------------------------------------

    def set_choices(self, agencies: list[tuple[str, str]], episodes: list[tuple[str, str]]) -> None:
        """agencies: (label, uuid); episodes: (label, uuid)."""
        current = self.agency.currentData()
        self.agency.clear()
        for label, uuid in agencies:
            self.agency.addItem(label, uuid)
        if current:
            set_combo_data(self.agency, current)
        ticked = set(self.checked_episodes())  # a reload must not untick what the user ticked
        self.episodes.clear()
        for label, uuid in episodes:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if uuid in ticked else Qt.CheckState.Unchecked)
            self.episodes.addItem(item)

    # -- loading -----------------------------------------------------------------------

    def show_entry(self, workspace: Workspace, uuid: str | None, *, read_only: bool = False) -> None:
        if uuid is None:
            self.uuid, self._loaded, self._loaded_episodes = None, {}, []
            self._fill({}, [])  # a deleted or filtered-out entry's text must not linger beside the table
            self.agency.setCurrentIndex(-1)
            self.heading.setText("No entry selected")
            self.setEnabled(False)
            self._remember_shown()
            return
        with workspace.reading() as session:
            entry = get_entry(session, uuid)
            values = entry_values(entry)
            episodes = entry_episode_uuids(session, uuid)
            author = f"{entry.author or 'unknown'}; last change {entry.updated_stamp[:19]}"
            origin = f" (imported from {entry.imported_from})" if entry.imported_from else ""
        self.uuid = uuid
        self._loaded, self._loaded_episodes = values, episodes
        self._fill(values, episodes)
        self.author.setText(author + origin)
        self.heading.setText(f"Entry {values['sequence']}" + (" (anonymised view: read only)" if read_only else ""))
        self.setEnabled(True)
        self._set_read_only(read_only)
        self._remember_shown()

    def start_new(self, defaults: dict[str, Any]) -> None:
        """Blank form for a new entry (date and agency taken from the selected one)."""
        self.uuid = None
        self._loaded, self._loaded_episodes = {}, []
        values = {
            "sequence": 0,
            "reference": "",
            "start_date": defaults.get("start_date"),
            "start_time": None,
            "end_date": None,
            "end_time": None,
            "agency_uuid": defaults.get("agency_uuid"),
            "source": "",
            "event": "",
            "child_seen": None,
            "child_voice": None,
            "child_voice_note": "",
            "action_outcome": "",
            "agency_analysis": "",
            "reviewer_comment": "",
            "significant": False,
        }
        self._fill(values, [])
        self.author.setText("")
        self.heading.setText("New entry: fill in date, agency, source and event, then save")
        self.setEnabled(True)
        self._set_read_only(False)
        self._remember_shown()
        self.start_date.setFocus()
        self.start_date.selectAll()

    def focus_field_named(self, message: str) -> None:
        """Put the cursor in the field a refusal names ("The start date '31/02/2024' cannot be read"), its text
        selected, so the correction is typed there and not into whichever field Ctrl+Enter was pressed in."""
        text = message.casefold()
        fields: list[tuple[str, QWidget]] = [
            ("start date", self.start_date),
            ("start time", self.start_time),
            ("end date", self.end_date),
            ("end time", self.end_time),
            ("sequence", self.sequence),
            ("its source", self.source),
            ("its event", self.event_text),
        ]
        named = sorted(
            (text.find(words), order, widget) for order, (words, widget) in enumerate(fields) if words in text
        )
        if named and self.isEnabled():
            widget = named[0][2]
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _fill(self, values: dict[str, Any], episodes: list[str]) -> None:
        self.sequence.setValue(int(values.get("sequence") or 0))
        self.reference.setText(values.get("reference") or "")
        self.start_date.setText(_date_text(values.get("start_date")))
        self.start_time.setText(values.get("start_time") or "")
        self.end_date.setText(_date_text(values.get("end_date")))
        self.end_time.setText(values.get("end_time") or "")
        set_combo_data(self.agency, values.get("agency_uuid"))
        self.source.setText(values.get("source") or "")
        self.event_text.setPlainText(values.get("event") or "")
        set_tristate(self.child_seen, values.get("child_seen"))
        set_tristate(self.child_voice, values.get("child_voice"))
        self.child_voice_note.setText(values.get("child_voice_note") or "")
        self.action_outcome.setPlainText(values.get("action_outcome") or "")
        self.agency_analysis.setPlainText(values.get("agency_analysis") or "")
        self.reviewer_comment.setPlainText(values.get("reviewer_comment") or "")
        self.significant.setChecked(bool(values.get("significant")))
        wanted = set(episodes)
        for row in range(self.episodes.count()):
            item = self.episodes.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _set_read_only(self, read_only: bool) -> None:
        for widget in (
            self.reference,
            self.start_date,
            self.start_time,
            self.end_date,
            self.end_time,
            self.source,
            self.child_voice_note,
        ):
            widget.setReadOnly(read_only)
        for box in (self.event_text, self.action_outcome, self.agency_analysis, self.reviewer_comment):
            box.setReadOnly(read_only)
        for control in (
            self.sequence,
            self.agency,
            self.child_seen,
            self.child_voice,
            self.significant,
            self.episodes,
            self.save_button,
            self.revert_button,
        ):
            control.setEnabled(not read_only)
        self.read_only = read_only

    # -- values out ------------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        """Every editable value as typed (dates and times as text; the service reads them)."""
        return {
            "sequence": self.sequence.value(),
            "reference": self.reference.text(),
            "start_date": self.start_date.text(),
            "start_time": self.start_time.text(),
            "end_date": self.end_date.text(),
            "end_time": self.end_time.text(),
            "agency_uuid": self.agency.currentData(),
            "source": self.source.text(),
            "event": self.event_text.toPlainText(),
            "child_seen": get_tristate(self.child_seen),
            "child_voice": get_tristate(self.child_voice),
            "child_voice_note": self.child_voice_note.text(),
            "action_outcome": self.action_outcome.toPlainText(),
            "agency_analysis": self.agency_analysis.toPlainText(),
            "reviewer_comment": self.reviewer_comment.toPlainText(),
            "significant": self.significant.isChecked(),
        }

    def checked_episodes(self) -> list[str]:
        return [
            self.episodes.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.episodes.count())
            if self.episodes.item(r).checkState() == Qt.CheckState.Checked
        ]

    def draft_values(self) -> dict[str, Any]:
        """What is typed, to keep across a lock (see `ui.kit.edit_guard`)."""
        return {"values": self.form_values(), "episodes": self.checked_episodes()}

    def apply_draft(self, draft: Any) -> None:
        """Put kept typing back; the form then differs from the stored entry, so it counts as unsaved."""
        data = draft if isinstance(draft, dict) else {}
        values = dict(data.get("values") or {})
        typed_dates = {name: str(values.pop(name, "") or "") for name in ("start_date", "end_date")}
        self._fill(values, list(data.get("episodes") or []))
        self.start_date.setText(typed_dates["start_date"])
        self.end_date.setText(typed_dates["end_date"])
        self.setEnabled(True)

    def _remember_shown(self) -> None:
        self._shown = (self.form_values(), self.checked_episodes())

    def has_unsaved_changes(self) -> bool:
        """True when saving would write something: judged as ``request_save`` judges (against the stored
        entry), and only for what the user changed since the form was filled (never for how it was filled)."""
        if not self.isEnabled() or self.read_only:
            return False
        values, episodes = self._shown
        if self.form_values() == values and set(self.checked_episodes()) == set(episodes):
            return False
        return bool(self.changes()) or self.episodes_changed()

    def describe(self) -> str:
        """The entry as the question names it: "entry 12" or "the new entry"."""
        if self.uuid is None:
            return "the new entry"
        return f"entry {self._loaded.get('sequence', '')}".strip()

    def changes(self) -> dict[str, Any]:
        """Only the fields whose shown value differs from the stored one."""
        typed = self.form_values()
        if self.uuid is None:
            return typed
        shown = dict(self._loaded)
        for name in ("start_date", "end_date"):
            shown[name] = _date_text(shown.get(name))
        for name in ("start_time", "end_time"):
            shown[name] = shown.get(name) or ""
        changed = {}
        for name, value in typed.items():
            old = shown.get(name)
            if isinstance(value, str) and isinstance(old, str):
                if value.strip() != old.strip():
                    changed[name] = value
            elif value != old:
                changed[name] = value
        return changed

    def request_save(self) -> None:
        if not self.isEnabled() or self.read_only:
            return
        episodes = self.checked_episodes()
        self.save_requested.emit(self.changes(), episodes)

    def episodes_changed(self) -> bool:
        return set(self.checked_episodes()) != set(self._loaded_episodes)

    def discard(self) -> None:
        """Drop unsaved edits without a signal: the stored entry again, or (a new entry) nothing."""
        if self.uuid is None:
            self.uuid, self._loaded, self._loaded_episodes = None, {}, []
            self._fill({}, [])
            self.agency.setCurrentIndex(-1)
            self.heading.setText("No entry selected")
            self.setEnabled(False)
        else:
            self._fill(self._loaded, self._loaded_episodes)
        self._remember_shown()

    def revert(self) -> None:
        if self.uuid is not None:
            self._fill(self._loaded, self._loaded_episodes)
        self.cancelled.emit()

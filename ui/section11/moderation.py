"""Moderation by the QA panel: both scores side by side, a moderated score that differs needs its rationale.

The table lists every standard with the agency's own score, the panel's, the
RAG (words on its colour) and last cycle's result; below it the selected
standard's evidence, and the editor. The rationale rule is checked as the
panel types: the error says what is missing before Save is pressed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.records import ChangeSet
from app.section11.cycles import cycle_scale, get_cycle, get_participant
from app.section11.moderation import (
    MIN_RATIONALE,
    AssessmentRow,
    assessment_rows,
    moderate,
    rationale_needed,
)
from app.section11.returns import attach_evidence, evidence_content, evidence_files
from app.section11.scales import Scale
from app.store.user_files import write_user_file
from ui.areas.base import AreaContext
from ui.kit import files, table_model
from ui.kit.announce import announce
from ui.kit.controls import action, button, combo, row_of, set_combo_data, text_box, two_panes
from ui.kit.dates import uk
from ui.kit.edit_guard import TableFormGuard
from ui.section11.models import AssessmentModel
from ui.widgets import error_label, plain_record_table, read_only_text, refill

TABLES = ("s11_assessment", "s11_participant", "s11_standard")


class ModerationView(QWidget):
    def __init__(self, context: AreaContext, participant_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.participant_uuid = participant_uuid
        self.scale: Scale | None = None
        self.model = AssessmentModel()
        self.table = plain_record_table(self.model, "Standards with self and moderated scores")
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AssessmentModel.STANDARD, QHeaderView.ResizeMode.Stretch)
        # scores and the rationale get a fixed share (full text in their tooltips); the standard's title the rest
        for column, width in ((2, 130), (3, 180), (5, 130), (AssessmentModel.RATIONALE, 190)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

        self.heading = read_only_text("Standard being moderated")
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.good = read_only_text("What good looks like")
        self.evidence = read_only_text("Agency's evidence")
        self.impact = read_only_text("Agency's evidence of impact")
        self.improvement = read_only_text("Agency's areas for improvement")
        self.self_score = read_only_text("Self-assessed score")
        self.last_cycle = read_only_text("Last cycle's result")
        self.files = QListWidget()
        self.files.setAccessibleName("Evidence files for this standard")
        self.files.setMaximumHeight(52)
        self.attach_button = button("A&ttach file…", "Attach an evidence file to this standard", self.attach)
        self.copy_button = button("Save a &copy…", "Save a copy of the selected evidence file", self.save_copy)
        self.moderated = combo("Moderated score")
        self.rationale = text_box("Panel's rationale", 90)
        self.rationale.setPlaceholderText("Why the panel's score differs from the agency's own")
        self.error = error_label("Moderation problem")
        self.save_button = button(
            "&Save moderation (Ctrl+S)", "Save moderation", self.save, "Ctrl+Enter saves and moves to the next standard"
        )
        self.save_action = action(self, "Save moderation", "Ctrl+S", self.save)
        self.next_action = action(
            self, "Save moderation and go to the next standard", "Ctrl+Return", self.save_and_next
        )
        self.moderated.currentIndexChanged.connect(lambda _i: self._check())
        self.rationale.textChanged.connect(self._check)

        details = QFormLayout()
        details.addRow(self.heading)
        details.addRow("What good looks like", self.good)
        details.addRow("Evidence", self.evidence)
        details.addRow("Impact", self.impact)
        details.addRow("To improve", self.improvement)
        details.addRow("Last cycle", self.last_cycle)
        file_buttons = row_of(self.attach_button, self.copy_button)
        details.addRow("Evidence files", self.files)
        details.addRow("", file_buttons)
        editor = QFormLayout()
        editor.addRow("Self score (agency)", self.self_score)
        editor.addRow("Moderated sc&ore", self.moderated)
        editor.addRow("Rat&ionale", self.rationale)
        editor.addRow(self.error)
        editor.addRow(self.save_button)
        hint = QLabel("Ctrl+Enter: save and go to the next standard")
        hint.setWordWrap(True)
        editor.addRow(hint)
        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(details, 3)
        editor_column = QVBoxLayout()
        editor_column.addLayout(editor)
        editor_column.addStretch(1)  # Save sits under the rationale, not at the bottom of the panel
        lower_layout.addLayout(editor_column, 2)
        # nine standards fit above; the evidence and editor get the rest
        splitter = two_panes(self.table, lower, vertical=True, sizes=(320, 340))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.shown_standard: str | None = None
        self.guard = TableFormGuard(
            self,
            self.table,
            {"moderated": self.moderated, "rationale": self.rationale},
            title="Moderation",
            noun="moderation",
            save=self.save,
            draft_key="section11.moderation",
            record=lambda: table_model.current_key(self.table, "standard_uuid"),
            choose=self._choose,
            show=self._show_current,
            scope=lambda: {"participant": self.participant_uuid},
            describe=lambda: f"the moderation of {self.heading.text() or 'this standard'}",
        )
        self.reload()

    # -- data -------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.shown_standard
        with self.context.workspace.reading() as session:
            participant = get_participant(session, self.participant_uuid)
            self.scale = cycle_scale(get_cycle(session, participant.cycle_uuid))
            rows = assessment_rows(session, self.participant_uuid)
        refill(self.moderated, [("Not moderated", None), *((level.label, level.value) for level in self.scale.levels)])
        self.model.set_rows(rows)
        target = next((n for n, r in enumerate(rows) if r.standard_uuid == keep), 0)
        if rows:
            with self.guard.quietly():
                self.table.selectRow(target)
            self._show(rows[target])

    def current_row(self) -> AssessmentRow | None:
        return table_model.current_row(self.table)

    def _show_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self._show(row)

    def _choose(self, standard_uuid: str | None) -> bool:
        """Show the standard `standard_uuid` again (the guard asks nothing); False when it is not listed."""
        row = self.current_row() if table_model.select_key(self.table, standard_uuid, "standard_uuid") else None
        if row is None:
            return False
        self._show(row)
        return True

    def _show(self, row: AssessmentRow) -> None:
        self.shown_standard = row.standard_uuid
        self.heading.setText(f"Standard {row.number}: {row.title}")
        self.good.setText(row.good_practice or "-")
        self.evidence.setText(row.evidence or "None given")
        self.impact.setText(row.impact or "None given")
        self.improvement.setText(
            row.improvement + (f" (by {uk(row.target_date)})" if row.target_date else "")
            if row.improvement
            else "None given"
        )
        self.self_score.setText(row.self_text + (" (carried forward from last cycle)" if row.carried_forward else ""))
        self.last_cycle.setText(row.last_cycle_text or "Not assessed last cycle")
        self._show_files(row.standard_uuid)
        set_combo_data(self.moderated, row.moderated_score)
        self.rationale.setPlainText(row.rationale)
        self.guard.shown(row.standard_uuid)
        self._check()

    def _show_files(self, standard_uuid: str) -> None:
        with self.context.workspace.reading() as session:
            stored = [f for f in evidence_files(session, self.participant_uuid) if f[3] == standard_uuid]
        self.files.clear()
        for uuid, name, size, _standard in stored:
            item = QListWidgetItem(f"{name} ({max(1, size // 1024)} KB)")
            item.setData(Qt.ItemDataRole.UserRole, uuid)
            self.files.addItem(item)
        if not stored:
            self.files.addItem("No files attached")
        self.copy_button.setEnabled(bool(stored))

    def attach(self) -> None:
        standard = self.shown_standard
        if standard is None:
            return
        path = files.open_file(self, "Attach an evidence file", "All files (*)")
        if not path:
            return
        by = self.context.workspace.member.display_name
        if self.context.write(
            "Attach an evidence file",
            lambda uow: attach_evidence(uow, self.participant_uuid, Path(path), standard_uuid=standard, added_by=by),
            initiator=self,
        ):
            self._show_files(standard)

    def save_copy(self) -> None:
        item = self.files.currentItem() or self.files.item(0)
        uuid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not uuid:
            return
        with self.context.workspace.reading() as session:
            name, content = evidence_content(session, uuid)
        path = files.save_file(self, "Save a copy of the evidence file", name, "All files (*)")
        if path:
            target = write_user_file(path, content, overwrite=True)  # the save dialog asked before replacing
            self.context.show_status(f"Copy saved to {target}")

    # -- the rationale rule -------------------------------------------------------------

    def problem(self) -> str:
        """What stops the moderation being saved, in words; "" when it can be saved."""
        row = next((r for r in self.model.rows if r.standard_uuid == self.shown_standard), None)
        if row is None or self.scale is None:
            return ""
        score = self.moderated.currentData()
        if rationale_needed(row.self_score, score) and len(self.rationale.toPlainText().strip()) < MIN_RATIONALE:
            return (
                f"Rationale required: the moderated score ({self.scale.label(score)}) differs from the agency's "
                f"own ({row.self_text}). Write at least {MIN_RATIONALE} characters saying why."
            )
        return ""

    def _check(self) -> None:
        announce(self.error, self.problem(), urgent=True, if_changed=True)

    def save(self) -> bool:
        if self.shown_standard is None:
            return False
        problem = self.problem()
        if problem:
            announce(self.error, problem, urgent=True)
            self.rationale.setFocus()
            return False
        standard, score, text = self.shown_standard, self.moderated.currentData(), self.rationale.toPlainText()
        row = next((r for r in self.model.rows if r.standard_uuid == standard), None)
        if row is not None and score == row.moderated_score and text == row.rationale:
            # Ctrl+S with the score left at "Not moderated" said "Moderation saved": nothing was
            self.context.show_status(
                "Nothing to save: no score chosen" if score is None else "Nothing to save: no change"
            )
            return False
        by = self.context.workspace.member.display_name
        with self.guard.quietly():
            ok = self.context.write(
                "Save moderation",
                lambda uow: moderate(uow, self.participant_uuid, standard, score, text, moderated_by=by),
                initiator=self,
            )
        if ok:
            self.reload()
            self.context.show_status("Moderation saved")
        return ok

    def save_and_next(self) -> None:
        """The panel works down the standards: save this one, then the next is ready to score."""
        row = self.table.currentIndex().row()
        if self.save() and row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)
            self.moderated.setFocus()

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES) and not self.context.made_by(self) and not self.guard.dirty():
            self.reload()

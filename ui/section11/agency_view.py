"""One agency in one cycle: moderation of its return, its lines of enquiry, its feedback letter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from app.records import ChangeSet
from app.section11.cycles import cycle_register, get_cycle, get_participant
from ui.areas.base import AreaContext
from ui.kit.controls import button, text_label
from ui.kit.edit_guard import Draft
from ui.section11.dialogs import LETTERHEAD_DRAFT, LINE_DRAFT
from ui.section11.lines import LinesView
from ui.section11.moderation import ModerationView


class AgencyView(QWidget):
    def __init__(
        self,
        context: AreaContext,
        participant_uuid: str,
        back: Callable[[], None],
        interview: Callable[[], None],
        letter_factory: Callable[[AreaContext, str], QWidget] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.participant_uuid = participant_uuid
        self.title = text_label("Agency and cycle", bold=True)
        self.state = text_label("Where the agency is in the cycle", wrap=True)
        self.moderation = ModerationView(context, participant_uuid)
        self.lines = LinesView(context, participant_uuid)
        self.letter: Any = letter_factory(context, participant_uuid) if letter_factory else None
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Agency views")
        self.tabs.tabBar().setAccessibleName("Agency views")
        self.tabs.addTab(self.moderation, "&Moderation")
        self.tabs.addTab(self.lines, "&Lines of enquiry")
        if self.letter is not None:
            self.tabs.addTab(self.letter, "Feedback l&etter")
        top = QHBoxLayout()
        top.addWidget(button("← &Register (Alt+Left)", "Back to the cycle register", back))
        top.addWidget(self.title, 1)
        top.addWidget(button("Interview mode (F5)", "Open interview mode for this agency", interview))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(self.tabs, 1)
        self.refresh_header()

    def refresh_header(self) -> None:
        with self.context.workspace.reading() as session:
            participant = get_participant(session, self.participant_uuid)
            cycle_name = get_cycle(session, participant.cycle_uuid).name
            row = next(
                r
                for r in cycle_register(session, participant.cycle_uuid)
                if r.participant_uuid == self.participant_uuid
            )
        self.title.setText(f"{row.agency} in {cycle_name}")
        late = f" Late: {row.late}." if row.late else ""
        self.state.setText(
            f"Status: {row.status_label}. Next: {row.next_step}.{late} "
            f"Self-scored {row.scored} of {row.standards}; moderated {row.moderated} of {row.standards}."
        )

    def may_leave(self) -> bool:
        guards = [self.moderation.guard] + ([self.letter.guard] if hasattr(self.letter, "guard") else [])
        return all(guard.may_leave() for guard in guards)

    def restore_draft(self, draft: Draft) -> bool:
        if draft.key == LINE_DRAFT:  # a line of enquiry being written: its dialog again, as typed
            self.tabs.setCurrentWidget(self.lines)
            self.lines.add()
            assert self.lines.dialog.guard is not None
            self.lines.dialog.guard.take_back(draft)
            return True
        if draft.key == "section11.moderation":
            self.tabs.setCurrentWidget(self.moderation)
            self.moderation.guard.take_back(draft)
            return True
        if draft.key == "section11.letter" and hasattr(self.letter, "guard"):
            self.tabs.setCurrentWidget(self.letter)
            self.letter.guard.take_back(draft)
            return True
        if draft.key == LETTERHEAD_DRAFT and hasattr(self.letter, "edit_letterhead"):
            self.tabs.setCurrentWidget(self.letter)
            self.letter.edit_letterhead()  # the dialog again, filled with what was typed
            self.letter.dialog.guard.take_back(draft)
            return True
        return False

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("s11_participant", "s11_assessment"):
            self.refresh_header()
        self.moderation.on_changes(changes)
        self.lines.on_changes(changes)
        handler = getattr(self.letter, "on_changes", None)
        if handler is not None:
            handler(changes)

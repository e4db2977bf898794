"""One review's workspace: chronology, import, episodes, findings, glossary, timeline, export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.errors import InvalidInput
from app.records import ChangeSet
from app.reviews.clocks import review_clocks
from app.reviews.register import get_review
from ui.areas.base import AreaContext
from ui.kit.controls import action, button, text_label
from ui.kit.edit_guard import Draft, EditGuard
from ui.reviews.analysis_tabs import EpisodesTab, FindingsTab, changes_touch_analysis
from ui.reviews.chronology_tab import ChronologyTab
from ui.reviews.import_dialog import DRAFT_KEY as IMPORT_DRAFT
from ui.reviews.import_dialog import ImportDialog
from ui.reviews.milestones import DRAFT_KEY as MILESTONES_DRAFT
from ui.reviews.milestones import MilestonesDialog
from ui.reviews.people_tab import PeopleTab
from ui.reviews.publication_tabs import ExportTab, GlossaryTab, TimelineTab
from ui.reviews.reading_view import ReadingTab
from ui.reviews.register import clocks_html

CHRONOLOGY_TABLES = (
    "chronology_entry",
    "entry_episode_link",
    "duplicate_link",
    "agency",
    "key_practice_episode",
    "glossary_term",
    "review",
)


class ReviewView(QWidget):
    def __init__(self, context: AreaContext, review_uuid: str, back: Callable[[], None]) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid
        self.back = back
        self.dialog: ImportDialog | None = None
        self.milestones_dialog: MilestonesDialog | None = None
        self.title = text_label("Review")
        self.clocks = text_label("Clocks of the review")
        self.clocks.setTextFormat(Qt.TextFormat.RichText)
        self.clocks.setWordWrap(True)
        self.refresh_header()
        self.milestones_action = action(self, "&Milestones…", "Ctrl+Shift+L", self.open_milestones)
        self.chronology = ChronologyTab(context, review_uuid)
        self.chronology.import_requested.connect(self.open_import)
        self.episodes = EpisodesTab(
            context, review_uuid, self.chronology.selected_uuids, self.show_episode, self.chronology.describe_uuids
        )
        self.findings = FindingsTab(context, review_uuid)
        self.glossary = GlossaryTab(context, review_uuid, self.edit_entry)
        self.timeline = TimelineTab(context, review_uuid, self.chronology.model.visible_rows)
        self.people = PeopleTab(context, review_uuid, self.edit_entry)
        self.reading = ReadingTab(context, review_uuid)
        self.export = ExportTab(context, review_uuid, self.reading.options)
        import_page = QWidget()
        import_layout = QVBoxLayout(import_page)
        import_layout.addWidget(
            QLabel(
                "Import an agency's chronology (XLSX, CSV or DOCX). You can also drop a file on the chronology table."
            )
        )
        import_layout.addWidget(button("I&mport a return…", "Import an agency's return", lambda: self.open_import("")))
        import_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName("Review views")  # screen readers announce the tab bar too
        self.tabs.setAccessibleName("Review workspace")
        for widget, label in (
            (self.chronology, "&Chronology"),
            (self.reading, "Reading vie&w"),
            (import_page, "&Import"),
            (self.episodes, "E&pisodes"),
            (self.findings, "Findings && rec&ommendations"),
            (self.people, "People && &names"),
            (self.glossary, "G&lossary && anonymisation"),
            (self.timeline, "&Timeline"),
            (self.export, "E&xport"),
        ):
            self.tabs.addTab(widget, label)
        self.tabs.currentChanged.connect(self._tab_changed)
        top = QHBoxLayout()
        top.addWidget(button("← &Register", "Back to the reviews register (Alt+Left)", back))
        top.addWidget(self.title, 1)
        top.addWidget(button("Milestones… (Ctrl+Shift+L)", "Milestones of the review", self.open_milestones))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.clocks)
        layout.addWidget(self.tabs, 1)
        self.chronology.reload()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.timeline:
            self.timeline.draw()

    def refresh_header(self) -> None:
        with self.context.workspace.reading() as session:
            review = get_review(session, self.review_uuid)
            self.title.setText(f"{review.reference}: {review.title} ({review.subject_pseudonym})")
            clocks = review_clocks(
                review.kind, review.incident_known_on, review.notified_on, review.milestones, date.today()
            )
        self.clocks.setText(clocks_html(clocks))

    def open_milestones(self) -> None:
        self.milestones_dialog = MilestonesDialog(self, self.context, self.review_uuid)
        self.milestones_dialog.open()

    def open_import(self, path: str = "") -> None:
        self.dialog = ImportDialog(self, self.context, self.review_uuid, path)
        self.dialog.open()

    def show_episode(self, episode_uuid: str) -> None:
        self.chronology.show_episode(episode_uuid)
        self.tabs.setCurrentWidget(self.chronology)
        self.chronology.table.setFocus()

    def edit_entry(self, entry_uuid: str) -> None:
        """From the scan: show the entry in the real-text view, its editor ready."""
        self.tabs.setCurrentWidget(self.chronology)
        self.chronology.set_anonymised(False)
        self.chronology.clear_filters()
        if self.chronology.select_uuid(entry_uuid):
            self.chronology.focus_editor()

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("review"):
            try:
                self.refresh_header()
            except InvalidInput:  # deleted under us (a merged bundle): back to the register, saying why
                self.context.show_status("This review is no longer in the workspace (deleted by a merged bundle).")
                self.back()
                return
        if changes.touches(*CHRONOLOGY_TABLES):
            self.chronology.on_changes(changes)
        if changes_touch_analysis(changes):
            self.episodes.reload()
            self.findings.reload()
        if changes.touches("glossary_term"):
            self.glossary.reload()
        if changes.touches("scan_decision"):  # decided elsewhere (People & names, a bundle): the status says so
            self.glossary.refresh_decisions()
        self.people.on_changes(changes)
        self.reading.on_changes(changes)

    def _forms(self) -> dict[str, tuple[QWidget, EditGuard]]:
        """The tab and the guard of each form of the review, by its draft key."""
        return {
            "reviews.chronology_entry": (self.chronology, self.chronology.guard),
            "reviews.episode": (self.episodes, self.episodes.guard),
            "reviews.finding": (self.findings, self.findings.finding_guard),
            "reviews.recommendation": (self.findings, self.findings.recommendation_guard),
            "reviews.person": (self.people, self.people.guard),
            "reviews.glossary_term": (self.glossary, self.glossary.guard),
        }

    def may_leave(self) -> bool:
        """What is typed in the review's forms saved or dropped before the review closes; False for Cancel."""
        return all(guard.may_leave() for _tab, guard in self._forms().values())

    def restore_draft(self, draft: Draft) -> bool:
        """Show the tab whose form held `draft` and hand the draft to its guard."""
        guards = self._forms()
        if draft.key == IMPORT_DRAFT:  # an import under way: the wizard again, walked to the same step
            self.open_import()
            assert self.dialog is not None
            self.dialog.guard.take_back(draft)
            return True
        if draft.key == MILESTONES_DRAFT:  # the milestones dialog open at the lock: open it again
            self.open_milestones()
            assert self.milestones_dialog is not None
            self.milestones_dialog.guard.take_back(draft)
            return True
        if draft.key not in guards:
            return False
        tab, guard = guards[draft.key]
        self.tabs.setCurrentWidget(tab)
        guard.take_back(draft)
        return True

    def shutdown(self) -> None:
        self.chronology.shutdown()
        self.timeline.clear()
        self.glossary.clear_scan()  # the findings' texts are case data: not kept past a lock

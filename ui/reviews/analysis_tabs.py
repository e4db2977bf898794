"""Key practice episodes, findings and recommendations of a review: lists with an editor each.

"Create action…" on a recommendation opens the action tracker's form pre-filled
with it as the source.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSplitter,
                               QVBoxLayout, QWidget)

from app.actions.sources import REVIEW_RECOMMENDATION, recommendation_label
from app.chronology.service import link_episode
from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.reviews.analysis import (add_episode, add_finding, add_recommendation, delete_episode, delete_finding,
                                  delete_recommendation, list_episodes, list_findings, list_recommendations,
                                  update_episode, update_finding, update_recommendation)
from app.reviews.register import get_review
from ui import messages
from ui.actions.form import open_new_action_dialog
from ui.areas.base import AreaContext
from ui.reviews.common import button, combo, day_from_text, line, set_combo_data, text_box, uk

UUID = Qt.ItemDataRole.UserRole


def _list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    return widget


def _selected(widget: QListWidget) -> str | None:
    item = widget.currentItem()
    return item.data(UUID) if item is not None else None


class _AnalysisTab(QWidget):
    def __init__(self, context: AreaContext, review_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid

    def write(self, label: str, work: Callable[[UnitOfWork], Any]) -> bool:
        """One unit of work, now (these records are few); errors go to a dialog."""
        try:
            with self.context.workspace.unit_of_work() as uow:
                work(uow)
        except WorkbenchError as exc:
            messages.show_error(self, label, exc.message)
            return False
        self.context.publish(uow.changes)
        return True


class EpisodesTab(_AnalysisTab):
    """Key practice episodes: title, period, summary; link the chronology's selected entries."""

    def __init__(self, context: AreaContext, review_uuid: str, selected_entries: Callable[[], list[str]],
                 show_in_chronology: Callable[[str], None]) -> None:
        super().__init__(context, review_uuid)
        self.selected_entries = selected_entries
        self.show_in_chronology = show_in_chronology
        self.episodes = _list("Key practice episodes")
        self.episodes.currentItemChanged.connect(lambda *_: self._show())
        self.title = line("Episode title")
        self.period_from = line("Episode period from", placeholder="dd/mm/yyyy")
        self.period_to = line("Episode period to", placeholder="dd/mm/yyyy")
        self.description = text_box("Episode summary", 160)
        self.linked = QLabel()
        self.linked.setAccessibleName("Entries linked to the episode")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("Period &from", self.period_from)
        form.addRow("Period &to", self.period_to)
        form.addRow("&Summary", self.description)
        form.addRow("Entries", self.linked)
        buttons = QHBoxLayout()
        buttons.addWidget(button("&New episode", "New episode", self.new))
        buttons.addWidget(button("&Save episode", "Save episode", self.save))
        buttons.addWidget(button("&Delete episode…", "Delete episode", self.delete))
        buttons.addWidget(button("&Link selected entries", "Link the chronology's selected entries to the episode",
                                 self.link_selected))
        buttons.addWidget(button("Show its &entries", "Show the episode's entries in the chronology",
                                 self.show_entries))
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        editor_layout.addLayout(buttons)
        editor_layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.episodes)
        splitter.addWidget(editor)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self._creating = False
        self.reload()

    def reload(self) -> None:
        current = _selected(self.episodes)
        with self.context.workspace.reading() as session:
            episodes = [(e.uuid, f"KPE {e.number}: {e.title}") for e in list_episodes(session, self.review_uuid)]
        self.episodes.blockSignals(True)
        self.episodes.clear()
        for uuid, text in episodes:
            item = QListWidgetItem(text)
            item.setData(UUID, uuid)
            self.episodes.addItem(item)
            if uuid == current:
                self.episodes.setCurrentItem(item)
        self.episodes.blockSignals(False)
        if self.episodes.currentItem() is None and self.episodes.count():
            self.episodes.setCurrentRow(0)
        self._show()

    def _show(self) -> None:
        uuid = _selected(self.episodes)
        self._creating = False
        if uuid is None:
            for edit in (self.title, self.period_from, self.period_to):
                edit.clear()
            self.description.clear()
            self.linked.setText("")
            return
        from db.models.reviews import EntryEpisodeLink, KeyPracticeEpisode
        from db.base import live
        with self.context.workspace.reading() as session:
            episode = session.get(KeyPracticeEpisode, uuid)
            count = len(list(session.scalars(live(EntryEpisodeLink).where(EntryEpisodeLink.episode_uuid == uuid))))
            if episode is None:
                return
            self.title.setText(episode.title)
            self.period_from.setText(uk(episode.period_from))
            self.period_to.setText(uk(episode.period_to))
            self.description.setPlainText(episode.description)
        self.linked.setText(f"{count} linked entr{'y' if count == 1 else 'ies'}")

    def new(self) -> None:
        self.episodes.clearSelection()
        self.episodes.setCurrentItem(None)
        self._creating = True
        for edit in (self.title, self.period_from, self.period_to):
            edit.clear()
        self.description.clear()
        self.linked.setText("New episode: fill in and save")
        self.title.setFocus()

    def save(self) -> None:
        try:
            start = day_from_text(self.period_from.text(), "period start")
            end = day_from_text(self.period_to.text(), "period end")
        except WorkbenchError as exc:
            messages.show_error(self, "Key practice episode", exc.message)
            return
        title, text = self.title.text(), self.description.toPlainText()
        uuid = None if self._creating else _selected(self.episodes)
        if uuid is None:
            self.write("Key practice episode", lambda uow: add_episode(
                uow, self.review_uuid, title, period_from=start, period_to=end, description=text))
        else:
            self.write("Key practice episode", lambda uow: update_episode(
                uow, uuid, title=title, period_from=start, period_to=end, description=text.strip()))

    def delete(self) -> None:
        uuid = _selected(self.episodes)
        if uuid and messages.confirm(self, "Delete key practice episode",
                                     "Delete this episode? Its entries stay in the chronology.", "Delete"):
            self.write("Key practice episode", lambda uow: delete_episode(uow, uuid))

    def link_selected(self) -> None:
        uuid, entries = _selected(self.episodes), self.selected_entries()
        if not uuid or not entries:
            self.context.show_status("Select entries in the Chronology tab and an episode here.")
            return

        def work(uow: UnitOfWork) -> None:
            for entry in entries:
                link_episode(uow, entry, uuid)
        if self.write("Key practice episode", work):
            self.context.show_status(f"Linked {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")

    def show_entries(self) -> None:
        uuid = _selected(self.episodes)
        if uuid:
            self.show_in_chronology(uuid)


class FindingsTab(_AnalysisTab):
    """Findings (title, text, episode) and recommendations (text, finding) with "Create action…"."""

    def __init__(self, context: AreaContext, review_uuid: str) -> None:
        super().__init__(context, review_uuid)
        self.dialog: Any = None
        self.findings = _list("Findings")
        self.findings.currentItemChanged.connect(lambda *_: self._show_finding())
        self.finding_title = line("Finding title")
        self.finding_text = text_box("Finding text", 120)
        self.finding_episode = combo("Episode of the finding")
        self.recommendations = _list("Recommendations")
        self.recommendations.currentItemChanged.connect(lambda *_: self._show_recommendation())
        self.recommendation_text = text_box("Recommendation text", 100)
        self.recommendation_finding = combo("Finding of the recommendation")
        self._new_finding = self._new_recommendation = False

        finding_form = QFormLayout()
        finding_form.addRow("Finding &title", self.finding_title)
        finding_form.addRow("Finding te&xt", self.finding_text)
        finding_form.addRow("E&pisode", self.finding_episode)
        finding_buttons = QHBoxLayout()
        finding_buttons.addWidget(button("New finding", "New finding", self.new_finding))
        finding_buttons.addWidget(button("Save finding", "Save finding", self.save_finding))
        finding_buttons.addWidget(button("Delete finding…", "Delete finding", self.delete_finding))
        recommendation_form = QFormLayout()
        recommendation_form.addRow("Recommendation te&xt", self.recommendation_text)
        recommendation_form.addRow("From &finding", self.recommendation_finding)
        recommendation_buttons = QHBoxLayout()
        recommendation_buttons.addWidget(button("New recommendation", "New recommendation", self.new_recommendation))
        recommendation_buttons.addWidget(button("Save recommendation", "Save recommendation",
                                                self.save_recommendation))
        recommendation_buttons.addWidget(button("Delete recommendation…", "Delete recommendation",
                                                self.delete_recommendation))
        recommendation_buttons.addWidget(button("&Create action…", "Create an action from the recommendation",
                                                self.create_action))
        layout = QVBoxLayout(self)
        top, bottom = QSplitter(), QSplitter()
        top.addWidget(self.findings)
        finding_editor = QWidget()
        fe = QVBoxLayout(finding_editor)
        fe.addLayout(finding_form)
        fe.addLayout(finding_buttons)
        top.addWidget(finding_editor)
        bottom.addWidget(self.recommendations)
        recommendation_editor = QWidget()
        re_ = QVBoxLayout(recommendation_editor)
        re_.addLayout(recommendation_form)
        re_.addLayout(recommendation_buttons)
        bottom.addWidget(recommendation_editor)
        layout.addWidget(QLabel("Findings"))
        layout.addWidget(top, 1)
        layout.addWidget(QLabel("Recommendations"))
        layout.addWidget(bottom, 1)
        self.reload()

    def reload(self) -> None:
        current_f, current_r = _selected(self.findings), _selected(self.recommendations)
        with self.context.workspace.reading() as session:
            findings = [(f.uuid, f"Finding {f.number}: {f.title}") for f in list_findings(session, self.review_uuid)]
            recs = [(r.uuid, f"Recommendation {r.number}: {r.text}") for r in
                    list_recommendations(session, self.review_uuid)]
            episodes = [(f"KPE {e.number}: {e.title}", e.uuid) for e in list_episodes(session, self.review_uuid)]
            self.reference = get_review(session, self.review_uuid).reference
        for widget, items, current in ((self.findings, findings, current_f), (self.recommendations, recs, current_r)):
            widget.blockSignals(True)
            widget.clear()
            for uuid, text in items:
                item = QListWidgetItem(text)
                item.setData(UUID, uuid)
                widget.addItem(item)
                if uuid == current:
                    widget.setCurrentItem(item)
            widget.blockSignals(False)
        self.finding_episode.clear()
        self.finding_episode.addItem("(no episode)", "")
        for label, uuid in episodes:
            self.finding_episode.addItem(label, uuid)
        self.recommendation_finding.clear()
        self.recommendation_finding.addItem("(no finding)", "")
        for uuid, text in findings:
            self.recommendation_finding.addItem(text, uuid)
        self._show_finding()
        self._show_recommendation()

    def _show_finding(self) -> None:
        from db.models.reviews import Finding
        uuid = _selected(self.findings)
        self._new_finding = False
        with self.context.workspace.reading() as session:
            finding = session.get(Finding, uuid) if uuid else None
            self.finding_title.setText(finding.title if finding else "")
            self.finding_text.setPlainText(finding.text if finding else "")
            set_combo_data(self.finding_episode, (finding.episode_uuid or "") if finding else "")

    def _show_recommendation(self) -> None:
        from db.models.reviews import Recommendation
        uuid = _selected(self.recommendations)
        self._new_recommendation = False
        with self.context.workspace.reading() as session:
            rec = session.get(Recommendation, uuid) if uuid else None
            self.recommendation_text.setPlainText(rec.text if rec else "")
            set_combo_data(self.recommendation_finding, (rec.finding_uuid or "") if rec else "")

    def new_finding(self) -> None:
        self.findings.setCurrentItem(None)
        self._new_finding = True
        self.finding_title.clear()
        self.finding_text.clear()
        self.finding_title.setFocus()

    def save_finding(self) -> None:
        title, text = self.finding_title.text(), self.finding_text.toPlainText()
        episode = self.finding_episode.currentData() or None
        uuid = None if self._new_finding else _selected(self.findings)
        if uuid is None:
            self.write("Finding", lambda uow: add_finding(uow, self.review_uuid, title, text, episode_uuid=episode))
        else:
            self.write("Finding", lambda uow: update_finding(uow, uuid, title=title.strip(), text=text.strip(),
                                                             episode_uuid=episode))

    def delete_finding(self) -> None:
        uuid = _selected(self.findings)
        if uuid and messages.confirm(self, "Delete finding", "Delete this finding?", "Delete"):
            self.write("Finding", lambda uow: delete_finding(uow, uuid))

    def new_recommendation(self) -> None:
        self.recommendations.setCurrentItem(None)
        self._new_recommendation = True
        self.recommendation_text.clear()
        self.recommendation_text.setFocus()

    def save_recommendation(self) -> None:
        text, finding = self.recommendation_text.toPlainText(), self.recommendation_finding.currentData() or None
        uuid = None if self._new_recommendation else _selected(self.recommendations)
        if uuid is None:
            self.write("Recommendation", lambda uow: add_recommendation(uow, self.review_uuid, text,
                                                                        finding_uuid=finding))
        else:
            self.write("Recommendation", lambda uow: update_recommendation(uow, uuid, text=text.strip(),
                                                                           finding_uuid=finding))

    def delete_recommendation(self) -> None:
        uuid = _selected(self.recommendations)
        if uuid and messages.confirm(self, "Delete recommendation", "Delete this recommendation?", "Delete"):
            self.write("Recommendation", lambda uow: delete_recommendation(uow, uuid))

    def create_action(self) -> None:
        item = self.recommendations.currentItem()
        if item is None:
            self.context.show_status("Select a recommendation to turn into an action.")
            return
        number = int(item.text().split(":")[0].replace("Recommendation ", ""))
        self.dialog = open_new_action_dialog(self, self.context.workspace, REVIEW_RECOMMENDATION, item.data(UUID),
                                             recommendation_label(self.reference, number),
                                             on_saved=self.context.publish)


def changes_touch_analysis(changes: ChangeSet) -> bool:
    return changes.touches("key_practice_episode", "finding", "recommendation", "entry_episode_link")

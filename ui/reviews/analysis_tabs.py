"""Key practice episodes, findings and recommendations of a review: lists with an editor each.

"Create action…" on a recommendation opens the action tracker's form pre-filled
with it as the source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.chronology.service import link_episode
from app.contributions import SourceRef
from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.reviews.action_source import REVIEW_RECOMMENDATION, recommendation_label
from app.reviews.analysis import (
    add_episode,
    add_finding,
    add_recommendation,
    delete_episode,
    delete_finding,
    delete_recommendation,
    find_episode,
    find_finding,
    find_recommendation,
    linked_entry_count,
    list_episodes,
    list_findings,
    list_recommendations,
    update_episode,
    update_finding,
    update_recommendation,
)
from app.reviews.register import get_review
from ui import messages
from ui.areas.base import AreaContext
from ui.kit.controls import button, combo, form_with_buttons, line, set_combo_data, text_box, text_label
from ui.kit.dates import day_from_text, uk
from ui.kit.edit_guard import Draft, EditGuard, normal
from ui.kit.empty import explain_when_empty
from ui.kit.shortcuts import reporting_input

UUID = Qt.ItemDataRole.UserRole
NUMBER = Qt.ItemDataRole.UserRole + 1


if TYPE_CHECKING:  # what reporting_input makes, spelled out for mypy (it cannot follow a class made at run time)

    class _ItemList(QListWidget):
        input_handled: SignalInstance

else:
    _ItemList = reporting_input(QListWidget)


def _list(name: str) -> _ItemList:
    widget = _ItemList()
    widget.setAccessibleName(name)
    return widget


def _selected(widget: QListWidget) -> str | None:
    item = widget.currentItem()
    return item.data(UUID) if item is not None else None


def _item_of(widget: QListWidget, uuid: str | None) -> QListWidgetItem | None:
    for row in range(widget.count()):
        if widget.item(row).data(UUID) == uuid:
            return widget.item(row)
    return None


class _EditGuard(EditGuard):
    """The unsaved edits in the form of one list's item (see `ui.kit.edit_guard`).

    Cancel keeps the item selected and the edits as typed; a reload of the same item keeps
    what is typed.
    """

    def __init__(
        self,
        owner: QWidget,
        items: _ItemList,
        noun: str,
        title: str,
        form: Callable[[], tuple[Any, ...]],
        save: Callable[[], bool],
        *,
        draft_key: str = "",
        restore: Callable[[Draft], None] | None = None,
        scope: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        super().__init__(
            owner,
            title=title,
            noun=noun,
            form=form,
            save=save,
            draft_key=draft_key,
            restore=restore,
            scope=scope,
        )
        self.items = items
        self._reselect = False  # after Cancel: the key or mouse press selects its item after us; undo that
        items.input_handled.connect(self._select_current)

    def may_show(self, uuid: str | None, stored: Callable[[], tuple[Any, ...]]) -> bool:
        """May the form be filled with ``uuid`` (just selected, or reloaded)? Asks when edits would be lost."""
        if self.quiet or not self.dirty():
            return True
        if uuid is not None and uuid == self.editing and not self.creating:
            return normal(stored()) == normal(self.form())  # a reload of the edited item: keep what is typed
        if self.settle():
            return True
        self._go_back()
        return False

    def describe(self) -> str:
        if self.saving_over() is None:
            return f"the new {self.noun}"
        item = _item_of(self.items, self.editing)
        number = item.data(NUMBER) if item is not None else None
        return f"{self.noun} {number}" if number is not None else f"this {self.noun}"

    def _go_back(self) -> None:
        item = None if self.creating else _item_of(self.items, self.editing)
        self.items.blockSignals(True)
        try:
            if item is None:
                self.items.setCurrentRow(-1)
                self.items.clearSelection()
            else:
                self.items.setCurrentItem(item)
        finally:
            self.items.blockSignals(False)
        self._reselect = True
        QTimer.singleShot(0, self.items, self._select_current)

    def _select_current(self) -> None:
        if not self._reselect:
            return
        self._reselect = False
        item = self.items.currentItem()
        if _selected(self.items) != self.saving_over():
            return
        self.items.blockSignals(True)
        try:
            self.items.clearSelection()
            if item is not None:
                item.setSelected(True)
        finally:
            self.items.blockSignals(False)


class _AnalysisTab(QWidget):
    def __init__(self, context: AreaContext, review_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.review_uuid = review_uuid

    def write(self, label: str, work: Callable[[UnitOfWork], Any]) -> bool:
        """One unit of work, now (these records are few); errors go to a dialog."""
        return self.context.write(label, work, initiator=self)

    def add(self, label: str, work: Callable[[UnitOfWork], Any], items: QListWidget) -> bool:
        """Write a new record, then show it: the reload after the write would show the list's first."""

        def show_added(uuid: str) -> None:
            item = _item_of(items, uuid)
            if item is not None:
                items.setCurrentItem(item)

        return self.context.write(label, lambda uow: work(uow).uuid, initiator=self, on_done=show_added)

    def _scope(self) -> dict[str, str]:
        return {"review": self.review_uuid}

    def _take_back(
        self, items: _ItemList, draft: Draft, start_new: Callable[[], None], fill: Callable[[list[Any]], None]
    ) -> None:
        """Show the draft's record (or a new one) in the form, then its typed values."""
        if draft.record is None:
            start_new()
        else:
            item = _item_of(items, draft.record)
            if item is not None:
                items.setCurrentItem(item)
            else:
                start_new()  # gone meanwhile (merged away): offer the text as a new record
        fill(draft.values)


class EpisodesTab(_AnalysisTab):
    """Key practice episodes: title, period, summary; link the chronology's selected entries."""

    def __init__(
        self,
        context: AreaContext,
        review_uuid: str,
        selected_entries: Callable[[], list[str]],
        show_in_chronology: Callable[[str], None],
        describe_entries: Callable[[list[str]], list[str]] = lambda uuids: uuids,
    ) -> None:
        super().__init__(context, review_uuid)
        self.selected_entries = selected_entries
        self.describe_entries = describe_entries
        self.show_in_chronology = show_in_chronology
        self.episodes = _list("Key practice episodes")
        explain_when_empty(
            self.episodes,
            "No key practice episodes yet. Give one a title and period on the right "
            "and save it; then link chronology entries to it.",
        )
        self.title = line("Episode title")
        self.period_from = line("Episode period from", placeholder="dd/mm/yyyy")
        self.period_to = line("Episode period to", placeholder="dd/mm/yyyy")
        self.description = text_box("Episode summary", 160)
        self.linked = text_label("Entries linked to the episode")
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Period fro&m", self.period_from)
        form.addRow("Period to", self.period_to)
        form.addRow("S&ummary", self.description)
        form.addRow("Entries", self.linked)
        editor = form_with_buttons(
            form,
            (
                button("New &episode", "New episode", self.new),
                button("Sa&ve episode", "Save episode", self.save),
                button("&Delete episode…", "Delete episode", self.delete),
                button(
                    "Lin&k selected entries",
                    "Link the chronology's selected entries to the episode",
                    self.link_selected,
                ),
                button("&Show its entries", "Show the episode's entries in the chronology", self.show_entries),
            ),
            stretch=True,
        )
        splitter = QSplitter()
        splitter.addWidget(self.episodes)
        splitter.addWidget(editor)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self.guard = _EditGuard(
            self,
            self.episodes,
            "key practice episode",
            "Key practice episode",
            self._form,
            self.save,
            draft_key="reviews.episode",
            scope=self._scope,
            restore=lambda d: self._take_back(self.episodes, d, self.new, self._fill),
        )
        self.episodes.currentItemChanged.connect(lambda *_: self._show())
        self.reload()

    def _form(self) -> tuple[Any, ...]:
        return (self.title.text(), self.period_from.text(), self.period_to.text(), self.description.toPlainText())

    def _fill(self, values: list[Any]) -> None:
        title, start, end, description = (list(values) + ["", "", "", ""])[:4]
        self.title.setText(title)
        self.period_from.setText(start)
        self.period_to.setText(end)
        self.description.setPlainText(description)

    def reload(self) -> None:
        current = _selected(self.episodes)
        with self.context.workspace.reading() as session:
            episodes = [
                (e.uuid, e.number, f"KPE {e.number}: {e.title}") for e in list_episodes(session, self.review_uuid)
            ]
        self.episodes.blockSignals(True)
        self.episodes.clear()
        for uuid, number, text in episodes:
            item = QListWidgetItem(text)
            item.setData(UUID, uuid)
            item.setData(NUMBER, number)
            self.episodes.addItem(item)
            if uuid == current:
                self.episodes.setCurrentItem(item)
        self.episodes.blockSignals(False)
        if self.episodes.currentItem() is None and self.episodes.count():
            self.episodes.setCurrentRow(0)
        self._show()

    def _stored(self, uuid: str | None) -> tuple[tuple[Any, ...], int | None]:
        """The form's values of the episode as stored, and its number of linked entries."""
        if uuid is None:
            return ("", "", "", ""), None
        with self.context.workspace.reading() as session:
            episode = find_episode(session, uuid)
            if episode is None:
                return ("", "", "", ""), None
            return (
                (episode.title, uk(episode.period_from), uk(episode.period_to), episode.description),
                linked_entry_count(session, uuid),
            )

    def _show(self) -> None:
        uuid = _selected(self.episodes)
        if not self.guard.may_show(uuid, lambda: self._stored(uuid)[0]):
            return
        (title, start, end, description), count = self._stored(uuid)
        self.title.setText(title)
        self.period_from.setText(start)
        self.period_to.setText(end)
        self.description.setPlainText(description)
        self.linked.setText("" if count is None else f"{count} linked entr{'y' if count == 1 else 'ies'}")
        self.guard.shown(uuid)

    def new(self) -> None:
        if not self.guard.may_leave():
            return
        self.episodes.clearSelection()
        self.episodes.setCurrentRow(-1)
        for edit in (self.title, self.period_from, self.period_to):
            edit.clear()
        self.description.clear()
        self.linked.setText("New episode: fill in and save")
        self.guard.shown(None, creating=True)
        self.title.setFocus()

    def save(self) -> bool:
        try:
            start = day_from_text(self.period_from.text(), "period start")
            end = day_from_text(self.period_to.text(), "period end")
        except WorkbenchError as exc:
            messages.show_error(self, "Key practice episode", exc.message)
            return False
        title, text = self.title.text(), self.description.toPlainText()
        uuid = self.guard.saving_over()
        with self.guard.quietly():
            if uuid is None:
                return self.add(
                    "Key practice episode",
                    lambda uow: add_episode(
                        uow, self.review_uuid, title, period_from=start, period_to=end, description=text
                    ),
                    self.episodes,
                )
            return self.write(
                "Key practice episode",
                lambda uow: update_episode(
                    uow, uuid, title=title, period_from=start, period_to=end, description=text.strip()
                ),
            )

    def delete(self) -> None:
        uuid = _selected(self.episodes)
        if uuid and messages.confirm(
            self, "Delete key practice episode", "Delete this episode? Its entries stay in the chronology.", "Delete"
        ):
            with self.guard.quietly():  # its unsaved edits go with it
                self.write("Key practice episode", lambda uow: delete_episode(uow, uuid))

    def link_selected(self) -> None:
        uuid, entries = _selected(self.episodes), self.selected_entries()
        if not uuid or not entries:
            self.context.show_status("Select entries in the Chronology tab and an episode here.")
            return
        # say what will be linked before linking it
        item = self.episodes.currentItem()
        shown = self.describe_entries(entries)
        listing = "\n".join(f"• {text}" for text in shown[:12]) + (
            f"\n… and {len(shown) - 12} more" if len(shown) > 12 else ""
        )
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        if not messages.confirm(
            self,
            "Link selected entries",
            f"Link these {count} selected in the chronology to {item.text() if item else 'the episode'}?\n\n{listing}",
            f"Link {count}",
        ):
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
        explain_when_empty(self.findings, "No findings yet. Write what the review learned on the right and save it.")
        self.finding_title = line("Finding title")
        self.finding_text = text_box("Finding text", 120)
        self.finding_episode = combo("Episode of the finding")
        self.recommendations = _list("Recommendations")
        explain_when_empty(
            self.recommendations,
            "No recommendations yet. Write one on the right (it may follow a "
            "finding); then Create action… turns it into a tracked action.",
        )
        self.recommendation_text = text_box("Recommendation text", 100)
        self.recommendation_finding = combo("Finding of the recommendation")
        self.finding_guard = _EditGuard(
            self,
            self.findings,
            "finding",
            "Finding",
            self._finding_form,
            self.save_finding,
            draft_key="reviews.finding",
            scope=self._scope,
            restore=lambda d: self._take_back(self.findings, d, self.new_finding, self._fill_finding),
        )
        self.recommendation_guard = _EditGuard(
            self,
            self.recommendations,
            "recommendation",
            "Recommendation",
            self._recommendation_form,
            self.save_recommendation,
            draft_key="reviews.recommendation",
            scope=self._scope,
            restore=lambda d: self._take_back(
                self.recommendations, d, self.new_recommendation, self._fill_recommendation
            ),
        )
        self.findings.currentItemChanged.connect(lambda *_: self._show_finding())
        self.recommendations.currentItemChanged.connect(lambda *_: self._show_recommendation())

        finding_form = QFormLayout()
        finding_form.addRow("Fin&ding title", self.finding_title)
        finding_form.addRow("Finding text", self.finding_text)
        finding_form.addRow("Epi&sode", self.finding_episode)
        finding_editor = form_with_buttons(
            finding_form,
            (
                button("New finding", "New finding", self.new_finding),
                button("Save finding", "Save finding", self.save_finding),
                button("Delete finding…", "Delete finding", self.delete_finding),
            ),
        )
        recommendation_form = QFormLayout()
        recommendation_form.addRow("Reco&mmendation text", self.recommendation_text)
        recommendation_form.addRow("From finding", self.recommendation_finding)
        recommendation_editor = form_with_buttons(
            recommendation_form,
            (
                button("New recommendation", "New recommendation", self.new_recommendation),
                button("Save recommendation", "Save recommendation", self.save_recommendation),
                button("Delete recommendation…", "Delete recommendation", self.delete_recommendation),
                button("Cr&eate action…", "Create an action from the recommendation", self.create_action),
            ),
        )
        layout = QVBoxLayout(self)
        top, bottom = QSplitter(), QSplitter()
        top.addWidget(self.findings)
        top.addWidget(finding_editor)
        bottom.addWidget(self.recommendations)
        bottom.addWidget(recommendation_editor)
        layout.addWidget(QLabel("Findings"))
        layout.addWidget(top, 1)
        layout.addWidget(QLabel("Recommendations"))
        layout.addWidget(bottom, 1)
        self.reload()

    def _finding_form(self) -> tuple[Any, ...]:
        return (self.finding_title.text(), self.finding_text.toPlainText(), self.finding_episode.currentData() or "")

    def _recommendation_form(self) -> tuple[Any, ...]:
        return (self.recommendation_text.toPlainText(), self.recommendation_finding.currentData() or "")

    def _fill_finding(self, values: list[Any]) -> None:
        title, text, episode = (list(values) + ["", "", ""])[:3]
        self.finding_title.setText(title)
        self.finding_text.setPlainText(text)
        set_combo_data(self.finding_episode, episode)

    def _fill_recommendation(self, values: list[Any]) -> None:
        text, finding = (list(values) + ["", ""])[:2]
        self.recommendation_text.setPlainText(text)
        set_combo_data(self.recommendation_finding, finding)

    def reload(self) -> None:
        current_f, current_r = _selected(self.findings), _selected(self.recommendations)
        with self.context.workspace.reading() as session:
            findings = [
                (f.uuid, f.number, f"Finding {f.number}: {f.title}") for f in list_findings(session, self.review_uuid)
            ]
            recs = [
                (r.uuid, r.number, f"Recommendation {r.number}: {r.text}")
                for r in list_recommendations(session, self.review_uuid)
            ]
            episodes = [(f"KPE {e.number}: {e.title}", e.uuid) for e in list_episodes(session, self.review_uuid)]
            self.reference = get_review(session, self.review_uuid).reference
        for widget, items, current, guard in (
            (self.findings, findings, current_f, self.finding_guard),
            (self.recommendations, recs, current_r, self.recommendation_guard),
        ):
            widget.blockSignals(True)
            widget.clear()
            for uuid, number, text in items:
                item = QListWidgetItem(text)
                item.setData(UUID, uuid)
                item.setData(NUMBER, number)
                widget.addItem(item)
                if uuid == current:
                    widget.setCurrentItem(item)
            if widget.currentItem() is None and widget.count() and not guard.asked_new and not guard.dirty():
                widget.setCurrentRow(0)  # as every list and form opens; never over a new one or typing
            widget.blockSignals(False)
        chosen_episode, chosen_finding = self.finding_episode.currentData(), self.recommendation_finding.currentData()
        self.finding_episode.clear()
        self.finding_episode.addItem("(no episode)", "")
        for label, uuid in episodes:
            self.finding_episode.addItem(label, uuid)
        set_combo_data(self.finding_episode, chosen_episode or "")  # kept if the edits are kept
        self.recommendation_finding.clear()
        self.recommendation_finding.addItem("(no finding)", "")
        for uuid, _number, text in findings:
            self.recommendation_finding.addItem(text, uuid)
        set_combo_data(self.recommendation_finding, chosen_finding or "")
        self._show_finding()
        self._show_recommendation()

    def _stored_finding(self, uuid: str | None) -> tuple[Any, ...]:
        with self.context.workspace.reading() as session:
            finding = find_finding(session, uuid) if uuid else None
            if finding is None:
                return ("", "", "")
            return (finding.title, finding.text, finding.episode_uuid or "")

    def _stored_recommendation(self, uuid: str | None) -> tuple[Any, ...]:
        with self.context.workspace.reading() as session:
            rec = find_recommendation(session, uuid) if uuid else None
            return (rec.text, rec.finding_uuid or "") if rec is not None else ("", "")

    def _show_finding(self) -> None:
        uuid = _selected(self.findings)
        if not self.finding_guard.may_show(uuid, lambda: self._stored_finding(uuid)):
            return
        title, text, episode = self._stored_finding(uuid)
        self.finding_title.setText(title)
        self.finding_text.setPlainText(text)
        set_combo_data(self.finding_episode, episode)
        self.finding_guard.shown(uuid)

    def _show_recommendation(self) -> None:
        uuid = _selected(self.recommendations)
        if not self.recommendation_guard.may_show(uuid, lambda: self._stored_recommendation(uuid)):
            return
        text, finding = self._stored_recommendation(uuid)
        self.recommendation_text.setPlainText(text)
        set_combo_data(self.recommendation_finding, finding)
        self.recommendation_guard.shown(uuid)

    def new_finding(self) -> None:
        if not self.finding_guard.may_leave():
            return
        self.findings.setCurrentRow(-1)
        self.finding_title.clear()
        self.finding_text.clear()
        self.finding_guard.shown(None, creating=True, asked=True)
        self.finding_title.setFocus()

    def save_finding(self) -> bool:
        title, text = self.finding_title.text(), self.finding_text.toPlainText()
        episode = self.finding_episode.currentData() or None
        uuid = self.finding_guard.saving_over()
        with self.finding_guard.quietly():
            if uuid is None:
                return self.add(
                    "Finding",
                    lambda uow: add_finding(uow, self.review_uuid, title, text, episode_uuid=episode),
                    self.findings,
                )
            return self.write(
                "Finding",
                lambda uow: update_finding(uow, uuid, title=title.strip(), text=text.strip(), episode_uuid=episode),
            )

    def delete_finding(self) -> None:
        uuid = _selected(self.findings)
        if uuid and messages.confirm(self, "Delete finding", "Delete this finding?", "Delete"):
            with self.finding_guard.quietly():  # its unsaved edits go with it
                self.write("Finding", lambda uow: delete_finding(uow, uuid))

    def new_recommendation(self) -> None:
        if not self.recommendation_guard.may_leave():
            return
        self.recommendations.setCurrentRow(-1)
        self.recommendation_text.clear()
        self.recommendation_guard.shown(None, creating=True, asked=True)
        self.recommendation_text.setFocus()

    def save_recommendation(self) -> bool:
        text, finding = self.recommendation_text.toPlainText(), self.recommendation_finding.currentData() or None
        uuid = self.recommendation_guard.saving_over()
        with self.recommendation_guard.quietly():
            if uuid is None:
                return self.add(
                    "Recommendation",
                    lambda uow: add_recommendation(uow, self.review_uuid, text, finding_uuid=finding),
                    self.recommendations,
                )
            return self.write(
                "Recommendation", lambda uow: update_recommendation(uow, uuid, text=text.strip(), finding_uuid=finding)
            )

    def delete_recommendation(self) -> None:
        uuid = _selected(self.recommendations)
        if uuid and messages.confirm(self, "Delete recommendation", "Delete this recommendation?", "Delete"):
            with self.recommendation_guard.quietly():  # its unsaved edits go with it
                self.write("Recommendation", lambda uow: delete_recommendation(uow, uuid))

    def create_action(self) -> None:
        item = self.recommendations.currentItem()
        if item is None:
            self.context.show_status("Select a recommendation to turn into an action.")
            return
        number = int(item.text().split(":")[0].replace("Recommendation ", ""))
        source = SourceRef(
            REVIEW_RECOMMENDATION, recommendation_label(self.reference, number), item.data(UUID), self.review_uuid
        )
        text = item.text().split(":", 1)[1].strip() if ":" in item.text() else item.text()
        label = source.label

        def saved(changes: ChangeSet) -> None:
            self.context.publish(changes, self)  # its own write: context.made_by(self) while it is handled
            self.context.show_status(f"Action {self.dialog.reference} created from {label}.")

        self.dialog = self.context.open_form("new_action", self, source, on_saved=saved, source_text=text)


def changes_touch_analysis(changes: ChangeSet) -> bool:
    return changes.touches("key_practice_episode", "finding", "recommendation", "entry_episode_link")

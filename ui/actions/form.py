"""Add or edit an action; `open_new_action_dialog` lets other areas start one from a source."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from app.actions.proposals import ActionProposal, propose_action, proposed_due
from app.actions.rag import OVERRIDABLE, parse_rag
from app.actions.service import (
    Closure,
    add_action,
    clear_override,
    edit_action,
    get_action,
    override_rag,
    set_impact_evidence,
    set_status,
)
from app.actions.sources import NONE, SourceRef, source_labels
from app.actions.status import NOT_STARTED, ON_TRACK, STATUS_LABELS, TRACK_LABELS
from app.agencies import list_agencies
from app.errors import InvalidInput, WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.store.workspace import Workspace
from ui.kit.announce import announce
from ui.kit.controls import combo, line, text_box
from ui.kit.dates import DateField
from ui.kit.edit_guard import Draft, dialog_guard
from ui.kit.write import run_write
from ui.widgets import accept_or_cancel, error_label

OnSaved = Callable[[ChangeSet], None]


DRAFT_KEY = "actions.form"


class ActionFormDialog(QDialog):
    """One form for a new action (pre-filled with its source) or an existing one."""

    def __init__(
        self,
        parent: QWidget | None,
        workspace: Workspace,
        *,
        action_uuid: str | None = None,
        source: SourceRef | None = None,
        on_saved: OnSaved | None = None,
        proposal: ActionProposal | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.action_uuid = action_uuid
        self.on_saved = on_saved
        self.changes: ChangeSet | None = None
        #: the saved action's reference (ACT-0062), for the caller to confirm
        self.reference = ""
        self._given_source = source
        with workspace.reading() as session:
            agencies = [(f"{a.short_name} - {a.name}", a.short_name) for a in list_agencies(session)]
            existing = get_action(session, action_uuid) if action_uuid else None
            values = existing.content() if existing else {}
            reference = existing.reference if existing else ""
            owner_short = next(
                (a.short_name for a in list_agencies(session) if existing and a.uuid == existing.owner_agency_uuid), ""
            )
        # "Edit ACT-0001": the form hides the tracker row it came from, so it says which action it edits
        self.setWindowTitle(f"Edit {reference}" if existing is not None else "New action")
        self.setAccessibleName(self.windowTitle())
        if existing is None and proposal is not None:
            values = {"title": proposal.title, "due_date": proposal.due}
            owner_short = proposal.owner_short or ""

        self.title = text_box("Action", 70)
        self.title.setPlainText(values.get("title", ""))
        self.source_kind = combo("Source kind", [(label, key) for key, label in source_labels().items()])
        self.source_label = line("Source", values.get("source_label", source.label if source else ""))
        kind = values.get("source_kind", source.kind if source else NONE)
        self.source_kind.setCurrentIndex(self.source_kind.findData(kind))
        self.owner = combo("Owner agency", agencies)
        if owner_short:
            self.owner.setCurrentIndex(self.owner.findData(owner_short))
        self.lead = line("Lead officer", values.get("lead_officer", ""))
        self.due = DateField("Due date", values.get("due_date") or proposed_due(date.today()))
        self.measure = line("Success measure", values.get("success_measure", ""))
        self.track = combo("Progress flag", [(label, key) for key, label in TRACK_LABELS.items()])
        self.track.setCurrentIndex(self.track.findData(values.get("track", ON_TRACK)))

        form = QFormLayout()
        form.addRow("&Action:", self.title)
        form.addRow("Source &kind:", self.source_kind)
        form.addRow("So&urce:", self.source_label)  # Alt+S is Save, as in every form
        form.addRow("&Owner agency:", self.owner)
        form.addRow("&Lead officer:", self.lead)
        form.addRow("&Due date:", self.due)
        form.addRow("Success &measure:", self.measure)
        form.addRow("&Progress flag:", self.track)
        layout = QVBoxLayout(self)
        layout.addLayout(form)

        self.status = combo("Status", [(label, key) for key, label in STATUS_LABELS.items()])
        self.status.setCurrentIndex(self.status.findData(values.get("status", NOT_STARTED)))
        self.evidence = text_box("Evidence of impact", 70)
        self.evidence.setPlainText(values.get("impact_evidence", ""))
        self.approver = line("Closure approved by", values.get("approved_by", ""))
        self.meeting = line("Approved at meeting", values.get("approved_at_meeting", ""))
        self.reason = line("Reason for closing as not achieved or superseded", values.get("closure_reason", ""))
        self.override = combo(
            "RAG override", [("Computed (no override)", "")] + [(rag.label, rag.value) for rag in OVERRIDABLE]
        )
        self.override.setCurrentIndex(self.override.findData(values.get("rag_override") or ""))
        self.override_reason = line("Reason for the RAG override", values.get("rag_override_reason", ""))
        if existing is not None:
            closing = QGroupBox("Status, evidence and closure")
            closing_form = QFormLayout(closing)
            closing_form.addRow("S&tatus:", self.status)
            closing_form.addRow("&Evidence of impact:", self.evidence)
            closing_form.addRow("Approved &by:", self.approver)
            closing_form.addRow("At meetin&g:", self.meeting)
            closing_form.addRow("Closure &reason:", self.reason)
            closing_form.addRow("RAG o&verride:", self.override)
            closing_form.addRow("Override reaso&n:", self.override_reason)
            layout.addWidget(closing)

        self.error = error_label("Problem with this action")
        self.error.hide()
        layout.addWidget(self.error)
        buttons, self.save_button = accept_or_cancel(self, self.save)
        self.save_button.setAccessibleName("Save the action")
        layout.addWidget(buttons)
        self.title.setFocus()
        # what a draft keeps on lock, by name: the closing fields too, which a new action does not show
        fields: dict[str, QWidget] = {
            "title": self.title,
            "source_kind": self.source_kind,
            "source_label": self.source_label,
            "owner": self.owner,
            "lead": self.lead,
            "due": self.due,
            "measure": self.measure,
            "track": self.track,
            "status": self.status,
            "evidence": self.evidence,
            "approver": self.approver,
            "meeting": self.meeting,
            "reason": self.reason,
            "override": self.override,
            "override_reason": self.override_reason,
        }
        self.guard = dialog_guard(
            self,
            fields,
            draft_key=DRAFT_KEY,
            record=lambda: self.action_uuid,
            scope=self._draft_scope,
            noun="action",
            save=self._save_for_guard,
        )

    # -- drafts kept across a lock ----------------------------------------------

    def _draft_scope(self) -> dict[str, str]:
        given = self._given_source
        if given is None:
            return {}
        return {
            "source_kind": given.kind,
            "source_label": given.label,
            "source_uuid": given.uuid or "",
            "source_review": given.review_uuid or "",
        }

    def _save_for_guard(self) -> bool:
        self.save()
        return self.result() == QDialog.DialogCode.Accepted

    def _source(self) -> SourceRef:
        kind = self.source_kind.currentData()
        label = self.source_label.text().strip()
        if kind == NONE:
            return SourceRef()
        given = self._given_source
        if given is not None and given.kind == kind:  # the record it came from stays linked
            return SourceRef(kind, label, given.uuid, given.review_uuid)
        return SourceRef(kind, label)

    def save(self) -> None:
        """Write in one unit of work (`run_write`); on a refusal keep the form open and say why."""
        label = self.source_label.text().strip()
        if label and self.source_kind.currentData() == NONE:  # saving would drop the typed source unsaid
            self._refused(InvalidInput(f"The source '{label}' has no kind: choose its Source kind, or clear Source."))
            self.source_kind.setFocus()
            return
        if run_write(
            self, self.workspace, self.windowTitle(), self._write, self._written, self._saved, on_refused=self._refused
        ):
            self.accept()

    def _write(self, uow: UnitOfWork) -> tuple[str, str]:
        """The action's uuid and reference: the form takes them only once the write is committed (`_saved`),
        so a refused one leaves a new action's form new."""
        source = self._source()
        if self.action_uuid is None:
            action = add_action(
                uow,
                title=self.title.toPlainText(),
                owner=self.owner.currentData() or "",
                due=self.due.value(),
                source=source,
                lead_officer=self.lead.text(),
                success_measure=self.measure.text(),
                track=self.track.currentData(),
            )
        else:
            action = get_action(uow.session, self.action_uuid)
            edit_action(
                uow,
                action,
                title=self.title.toPlainText(),
                owner=self.owner.currentData() or "",
                lead_officer=self.lead.text(),
                due=self.due.value(),
                success_measure=self.measure.text(),
                track=self.track.currentData(),
                source=source,
            )
            set_impact_evidence(uow, action, self.evidence.toPlainText())
            status = self.status.currentData()
            if status != action.status:
                set_status(
                    uow,
                    action,
                    status,
                    Closure(self.approver.text(), self.meeting.text(), reason=self.reason.text()),
                )
            wanted = self.override.currentData()
            if wanted and (
                wanted != action.rag_override or self.override_reason.text().strip() != action.rag_override_reason
            ):
                override_rag(uow, action, parse_rag(wanted), self.override_reason.text())
            elif not wanted:
                clear_override(uow, action)
        return action.uuid, action.reference

    def _written(self, changes: ChangeSet) -> None:
        """Committed: kept for `_saved`, which publishes them once the form names the action."""
        self.changes = changes

    def _saved(self, written: tuple[str, str]) -> None:
        """Written: the form now names the action; `on_saved` publishes the change set (the caller's page,
        as its initiator), reading the new action's uuid and reference from the form."""
        self.action_uuid, self.reference = written
        if self.on_saved is not None and self.changes is not None:
            self.on_saved(self.changes)

    def _refused(self, error: WorkbenchError) -> None:
        announce(self.error, error.message, urgent=True)
        self.error.show()


def source_of_draft(draft: Draft) -> SourceRef | None:
    """The source a kept new-action form came from (a recommendation keeps its link)."""
    scope = draft.scope
    if not scope.get("source_kind"):
        return None
    return SourceRef(
        scope["source_kind"],
        scope.get("source_label", ""),
        scope.get("source_uuid") or None,
        scope.get("source_review") or None,
    )


def open_new_action_dialog(
    parent: QWidget | None,
    workspace: Workspace,
    source: SourceRef,
    on_saved: OnSaved | None = None,
    source_text: str = "",
) -> ActionFormDialog:
    """Open the new-action form pre-filled with its source (e.g. a review's recommendation).

    Non-blocking; `on_saved(changes)` runs after the action is written (pass the
    area context's `publish` so every page refreshes); the dialog's `reference` then
    names the new action. `source_text` (a recommendation's words) pre-fills the
    title, the owner agency it names and a proposed due date.
    """
    proposal = None
    if source_text.strip():  # start from the source's words, the agency they name and a due date
        with workspace.reading() as session:
            proposal = propose_action(session, source_text)
    dialog = ActionFormDialog(parent, workspace, source=source, on_saved=on_saved, proposal=proposal)
    dialog.open()
    return dialog

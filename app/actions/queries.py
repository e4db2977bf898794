"""Reading the tracker: one plain row per action, with its RAG worked out for today.

Rows are plain data (no ORM objects) so the GUI, exports and the CLI can hold
them after the session closes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actions.rag import Rag, computed_rag, is_due_soon, is_overdue
from app.actions.sources import source_label
from app.actions.status import STATUS_LABELS, TRACK_LABELS
from app.exchange.service import unsettled_rule_breaches
from app.records.live import live_counts
from db.models.actions import Action, EvidenceFile, ProgressUpdate
from db.models.core import Agency


@dataclass(frozen=True)
class ActionRow:
    uuid: str
    reference: str
    title: str
    source_kind: str
    source_label: str
    source_uuid: str | None
    review_uuid: str | None
    agency_uuid: str
    agency: str  # short name
    agency_name: str
    lead_officer: str
    due: date
    success_measure: str
    status: str
    track: str
    rag: Rag
    computed: Rag
    overridden: bool
    override_reason: str
    impact_evidence: str
    closure_reason: str
    approved_by: str
    approved_at_meeting: str
    approved_on: date | None
    progress_count: int
    last_progress_on: date | None
    last_progress: str
    evidence_files: int
    overdue: bool
    due_soon: bool
    #: a merge left this action breaking a rule and nobody has settled it yet ("closed without ...")
    unsettled: str = ""

    @property
    def rag_text(self) -> str:
        """The RAG as words, with any override shown: "Red (override; computed Green)"."""
        if self.overridden:
            return f"{self.rag.label} (override; computed {self.computed.label})"
        return self.rag.label

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def status_text(self) -> str:
        """The status as the tracker shows it: a merge's unsettled rule breach is said beside it."""
        return f"{self.status_label} (merge conflict to settle)" if self.unsettled else self.status_label

    @property
    def track_label(self) -> str:
        return TRACK_LABELS.get(self.track, self.track)

    @property
    def source_kind_label(self) -> str:
        return source_label(self.source_kind)

    @property
    def source_display(self) -> str:
        return self.source_label or self.source_kind_label

    @property
    def source_group(self) -> tuple[str, str]:
        """What "group by source" groups on (tracker and exports alike), in display order."""
        return (self.source_kind_label, self.source_label)

    @property
    def source_group_title(self) -> str:
        """ "External inspection: Ofsted ILACS 2025", or just the kind when there is no label, or just the label
        when it names the kind itself ("Multi-agency audit: neglect", not "Multi-agency audit: Multi-agency ...")."""
        if not self.source_label:
            return self.source_kind_label
        if self.source_label.casefold().startswith(self.source_kind_label.casefold()):
            return self.source_label
        return f"{self.source_kind_label}: {self.source_label}"

    def days_to_due(self, today: date) -> int:
        return (self.due - today).days

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            rag=self.rag.value,
            rag_label=self.rag_text,
            computed_rag=self.computed.value,
            status_label=self.status_label,
            due=self.due.isoformat(),
            approved_on=self.approved_on.isoformat() if self.approved_on else None,
            last_progress_on=self.last_progress_on.isoformat() if self.last_progress_on else None,
        )
        del data["computed"]
        return data


def list_actions(session: Session, today: date | None = None) -> list[ActionRow]:
    """Every live action, ordered by reference, in three queries whatever the count."""
    today = today or date.today()
    agencies = {a.uuid: a for a in session.scalars(select(Agency))}
    counts = live_counts(session, ProgressUpdate, ProgressUpdate.action_uuid)
    latest_subquery = (
        select(ProgressUpdate.action_uuid, func.max(ProgressUpdate.written_on).label("on"))
        .where(ProgressUpdate.deleted_stamp.is_(None))
        .group_by(ProgressUpdate.action_uuid)
        .subquery()
    )
    latest: dict[str, tuple[date, str]] = {}
    for action_uuid, written_on, text, _stamp in session.execute(
        select(ProgressUpdate.action_uuid, ProgressUpdate.written_on, ProgressUpdate.text, ProgressUpdate.updated_stamp)
        .join(
            latest_subquery,
            (latest_subquery.c.action_uuid == ProgressUpdate.action_uuid)
            & (latest_subquery.c.on == ProgressUpdate.written_on),
        )
        .where(ProgressUpdate.deleted_stamp.is_(None))
        .order_by(ProgressUpdate.updated_stamp)
    ):
        latest[action_uuid] = (written_on, text)  # the last written that day wins
    files = live_counts(session, EvidenceFile, EvidenceFile.action_uuid)
    unsettled = unsettled_rule_breaches(session, Action.__tablename__)
    rows = []
    for action in session.scalars(select(Action).where(Action.deleted_stamp.is_(None)).order_by(Action.reference)):
        agency = agencies.get(action.owner_agency_uuid)
        computed = computed_rag(action.status, action.track, action.due_date, today)
        last_on, last_text = latest.get(action.uuid, (None, ""))
        rows.append(
            ActionRow(
                uuid=action.uuid,
                reference=action.reference,
                title=action.title,
                source_kind=action.source_kind,
                source_label=action.source_label,
                source_uuid=action.source_uuid,
                review_uuid=action.review_uuid,
                agency_uuid=action.owner_agency_uuid,
                agency=agency.short_name if agency else "?",
                agency_name=agency.name if agency else "?",
                lead_officer=action.lead_officer,
                due=action.due_date,
                success_measure=action.success_measure,
                status=action.status,
                track=action.track,
                rag=Rag(action.rag_override) if action.rag_override else computed,
                computed=computed,
                overridden=action.rag_override is not None,
                override_reason=action.rag_override_reason,
                impact_evidence=action.impact_evidence,
                closure_reason=action.closure_reason,
                approved_by=action.approved_by,
                approved_at_meeting=action.approved_at_meeting,
                approved_on=action.approved_on,
                progress_count=counts.get(action.uuid, 0),
                last_progress_on=last_on,
                last_progress=last_text,
                evidence_files=files.get(action.uuid, 0),
                overdue=is_overdue(action.status, action.due_date, today),
                due_soon=is_due_soon(action.status, action.due_date, today),
                unsettled=unsettled.get(action.uuid, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class ProgressEntry:
    written_on: date
    author: str
    text: str


def progress_history(session: Session, action_uuid: str) -> list[ProgressEntry]:
    return [
        ProgressEntry(p.written_on, p.author, p.text)
        for p in session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.action_uuid == action_uuid, ProgressUpdate.deleted_stamp.is_(None))
            .order_by(ProgressUpdate.written_on, ProgressUpdate.updated_stamp)
        )
    ]


@dataclass(frozen=True)
class EvidenceEntry:
    uuid: str
    filename: str
    size: int
    added_on: date
    added_by: str


def evidence_files(session: Session, action_uuid: str) -> list[EvidenceEntry]:
    """File metadata only: the content is read when the user opens or saves one."""
    return [
        EvidenceEntry(*row)
        for row in session.execute(
            select(
                EvidenceFile.uuid,
                EvidenceFile.filename,
                EvidenceFile.size,
                EvidenceFile.added_on,
                EvidenceFile.added_by,
            )
            .where(EvidenceFile.action_uuid == action_uuid, EvidenceFile.deleted_stamp.is_(None))
            .order_by(EvidenceFile.added_on, EvidenceFile.filename)
        )
    ]

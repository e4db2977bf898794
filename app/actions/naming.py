"""The actions area's records as users know them (conflicts view), and the rules a merge must keep."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.actions.evidence import live_file_count
from app.actions.status import CLOSED_EVIDENCED, CLOSED_STATUSES, STATUS_LABELS, TRACK_LABELS
from app.contributions import MergeRule, RecordNaming, evidence_file_naming, named_or_gone
from db.models.actions import Action

ACTION_FIELDS = {
    "reference": "Reference",
    "title": "Action",
    "source_kind": "Source kind",
    "source_label": "Source",
    "source_uuid": "Source record",
    "review_uuid": "Review",
    "owner_agency_uuid": "Owner agency",
    "lead_officer": "Lead officer",
    "due_date": "Due date",
    "success_measure": "Success measure",
    "status": "Status",
    "track": "Progress flag",
    "rag_override": "RAG override",
    "rag_override_reason": "Override reason",
    "impact_evidence": "Evidence of impact",
    "closure_reason": "Closure reason",
    "approved_by": "Approved by",
    "approved_at_meeting": "At meeting",
    "approved_on": "Approved on",
    "created_on": "Created on",
}


def _action_of(session: Session, uuid: str | None) -> str:
    return named_or_gone(session, Action, uuid, lambda a: a.reference, "an action no longer here")


def _progress_name(session: Session, record: Any) -> str:
    return f"of {_action_of(session, record.action_uuid)} written {record.written_on:%d/%m/%Y}"


def _evidence_name(session: Session, record: Any) -> str:
    return f"{record.filename} of {_action_of(session, record.action_uuid)}"


NAMINGS = (
    RecordNaming(
        "action",
        "Action",
        lambda _s, a: a.reference,
        ACTION_FIELDS,
        groups={
            "status": "Status, evidence of impact and closure approval",
            "rag_override": "RAG override and its reason",
            "source_kind": "Source",
        },
        values={"status": STATUS_LABELS, "track": TRACK_LABELS},
    ),
    RecordNaming(
        "progress_update",
        "Progress update",
        _progress_name,
        {"written_on": "Written on", "author": "Author", "text": "Update"},
    ),
    evidence_file_naming("action_evidence_file", "Evidence file", _evidence_name),
)


def _closed_without_evidence(session: Session, uuid: str, values: Mapping[str, Any]) -> str | None:
    if values.get("status") != CLOSED_EVIDENCED or str(values.get("impact_evidence") or "").strip():
        return None
    files = live_file_count(session, uuid)
    return None if files else "closed as “impact evidenced” without any evidence of impact"


def _closed_without_approval(_session: Session, _uuid: str, values: Mapping[str, Any]) -> str | None:
    if values.get("status") in CLOSED_STATUSES and not str(values.get("approved_by") or "").strip():
        return "closed without anyone recorded as approving the closure"
    return None


RULES = (
    MergeRule(
        "action-closed-needs-evidence",
        "action",
        _closed_without_evidence,
        related={"action_evidence_file": "action_uuid"},
    ),
    MergeRule("action-closed-needs-approval", "action", _closed_without_approval),
)

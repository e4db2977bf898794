"""Writing to the action tracker. Every function takes a UnitOfWork and validates before writing.

Progress updates are append-only: there is deliberately no function to edit or
delete one. Closing an action as "impact evidenced" needs evidence of impact
(text or a file) and an approver with the meeting that agreed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actions.evidence import (
    check_evidence_size,
    live_file_count,
    load_evidence_file,
    require_evidence_kept,
)
from app.actions.rag import OVERRIDABLE, Rag
from app.actions.sources import SourceRef, check_kind
from app.actions.status import (
    CLOSED_EVIDENCED,
    CLOSED_NOT_ACHIEVED,
    CLOSED_STATUSES,
    NOT_STARTED,
    ON_TRACK,
    STATUS_LABELS,
    TRACK_LABELS,
)
from app.agencies import find_agency
from app.clock import uk
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.audit import MULTI_RECORD_SEPARATOR
from app.records.references import unambiguous
from app.text import count_of
from db.base import live
from db.models.actions import Action, EvidenceFile, ProgressUpdate

REFERENCE_PREFIX = "ACT-"


#: An action that is not closed: no approval, no reason for closing.
NOT_CLOSED_FIELDS: dict[str, Any] = {
    "approved_by": "",
    "approved_at_meeting": "",
    "approved_on": None,
    "closure_reason": "",
}
#: What a new action starts with besides what its author gives: no RAG override, no evidence, not closed.
NEW_ACTION_FIELDS: dict[str, Any] = {
    "rag_override": None,
    "rag_override_reason": "",
    "impact_evidence": "",
    **NOT_CLOSED_FIELDS,
}


def _required(value: str, what: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(f"The action's {what} must not be empty.")
    return value.strip()


def next_reference(session: Session) -> str:
    """ACT-0001, ACT-0002, ... counting deleted actions too, so a reference is never reused."""
    references = session.scalars(select(Action.reference).where(Action.reference.like(f"{REFERENCE_PREFIX}%")))
    highest = 0
    for reference in references:
        digits = reference[len(REFERENCE_PREFIX) :]
        if digits.isdigit():
            highest = max(highest, int(digits))
    return f"{REFERENCE_PREFIX}{highest + 1:04d}"


def get_action(session: Session, reference_or_uuid: str) -> Action:
    wanted = reference_or_uuid.strip()
    found = list(
        session.scalars(live(Action).where((func.upper(Action.reference) == wanted.upper()) | (Action.uuid == wanted)))
    )
    if not found:
        raise InvalidInput(f"Unknown action {reference_or_uuid!r}: no action with that reference.")
    return unambiguous(found, reference_or_uuid, "action")


def add_action(
    uow: UnitOfWork,
    *,
    title: str,
    owner: str,
    due: date,
    source: SourceRef | None = None,
    lead_officer: str = "",
    success_measure: str = "",
    status: str = NOT_STARTED,
    track: str = ON_TRACK,
    today: date | None = None,
    audit: bool = True,
) -> Action:
    """Create an action; `owner` is an agency's name or short name."""
    title = _required(title, "description")
    agency = find_agency(uow.session, owner)
    if status not in STATUS_LABELS or status in CLOSED_STATUSES:
        raise InvalidInput(
            f"A new action cannot start as {STATUS_LABELS.get(status, status)!r}; "
            "close it with an update once it is approved."
        )
    if track not in TRACK_LABELS:
        raise InvalidInput(f"Unknown progress flag {track!r}.")
    source = source or SourceRef()
    check_kind(source.kind)
    reference = next_reference(uow.session)
    return uow.create(
        Action,
        summary=f"Added action {reference}",
        audit=audit,
        reference=reference,
        title=title,
        source_kind=source.kind,
        source_uuid=source.uuid,
        source_label=source.label,
        review_uuid=source.review_uuid,
        owner_agency_uuid=agency.uuid,
        lead_officer=lead_officer.strip(),
        due_date=due,
        success_measure=success_measure.strip(),
        status=status,
        track=track,
        **NEW_ACTION_FIELDS,
        created_on=today or date.today(),
    )


def edit_action(
    uow: UnitOfWork,
    action: Action,
    *,
    title: str | None = None,
    owner: str | None = None,
    lead_officer: str | None = None,
    due: date | None = None,
    success_measure: str | None = None,
    track: str | None = None,
    source: SourceRef | None = None,
) -> bool:
    """Change the plain fields (status, closure and overrides have their own functions)."""
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _required(title, "description")
    if owner is not None:
        changes["owner_agency_uuid"] = find_agency(uow.session, owner).uuid
    if lead_officer is not None:
        changes["lead_officer"] = lead_officer.strip()
    if due is not None:
        changes["due_date"] = due
    if success_measure is not None:
        changes["success_measure"] = success_measure.strip()
    if track is not None:
        if track not in TRACK_LABELS:
            raise InvalidInput(f"Unknown progress flag {track!r}.")
        changes["track"] = track
    if source is not None:
        check_kind(source.kind)
        changes.update(
            source_kind=source.kind, source_uuid=source.uuid, source_label=source.label, review_uuid=source.review_uuid
        )
    return uow.update(action, summary=f"Edited action {action.reference}", **changes)


def add_progress(
    uow: UnitOfWork, action: Action, text: str, *, author: str, written_on: date | None = None, audit: bool = True
) -> ProgressUpdate:
    """Append a dated progress update; updates are never edited or deleted."""
    body = text.strip()
    if not body:
        raise InvalidInput(f"The progress update for {action.reference} is empty.")
    return uow.create(
        ProgressUpdate,
        summary=f"Progress on {action.reference}",
        audit=audit,
        action_uuid=action.uuid,
        written_on=written_on or date.today(),
        author=_required(author, "progress author"),
        text=body,
    )


def set_impact_evidence(uow: UnitOfWork, action: Action, text: str) -> bool:
    require_evidence_kept(uow.session, action, text=text, files=live_file_count(uow.session, action.uuid))
    return uow.update(action, summary=f"Evidence of impact for {action.reference}", impact_evidence=text.strip())


def attach_evidence(
    uow: UnitOfWork, action: Action, filename: str, content: bytes, *, added_by: str, added_on: date | None = None
) -> EvidenceFile:
    """Store a file of evidence inside the encrypted workspace (10 MiB at most)."""
    name = Path(filename).name
    if not name:
        raise InvalidInput("An evidence file needs a name.")
    check_evidence_size(name, len(content))
    return uow.create(
        EvidenceFile,
        summary=f"Evidence file {name} for {action.reference}",
        action_uuid=action.uuid,
        filename=name,
        size=len(content),
        content=content,
        added_on=added_on or date.today(),
        added_by=_required(added_by, "evidence author"),
    )


def attach_evidence_file(uow: UnitOfWork, action: Action, path: Path, *, added_by: str) -> EvidenceFile:
    name, content = load_evidence_file(path)
    return attach_evidence(uow, action, name, content, added_by=added_by)


@dataclass(frozen=True)
class Closure:
    approved_by: str = ""
    meeting: str = ""
    approved_on: date | None = None
    reason: str = ""


def check_status_change(
    session: Session,
    action: Action,
    status: str,
    closure: Closure,
    pending_evidence: str | None = None,
    pending_files: int = 0,
) -> None:
    """Refuse closures the partnership's rules do not allow, naming what is missing."""
    if status not in STATUS_LABELS:
        raise InvalidInput(f"Unknown action status {status!r}.")
    if status == CLOSED_EVIDENCED:
        evidence = pending_evidence if pending_evidence is not None else action.impact_evidence
        missing = []
        if not evidence.strip() and not pending_files and not live_file_count(session, action.uuid):
            missing.append("evidence of impact")
        if not closure.approved_by.strip():
            missing.append("an approver")
        if not closure.meeting.strip():
            missing.append("the meeting that approved it")
        if missing:
            needed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
            raise InvalidInput(f"{action.reference} cannot close as impact evidenced without {needed}.")
    if status == CLOSED_NOT_ACHIEVED and not closure.reason.strip():
        raise InvalidInput(f"{action.reference} cannot close as not achieved or superseded without a reason.")


def set_status(uow: UnitOfWork, action: Action, status: str, closure: Closure = Closure()) -> bool:
    check_status_change(uow.session, action, status, closure)
    changes: dict[str, Any] = {"status": status}
    if status in CLOSED_STATUSES:
        changes.update(
            approved_by=closure.approved_by.strip(),
            approved_at_meeting=closure.meeting.strip(),
            approved_on=(closure.approved_on or date.today()) if closure.approved_by.strip() else None,
            closure_reason=closure.reason.strip(),
        )
    else:
        changes.update(NOT_CLOSED_FIELDS)
    return uow.update(action, summary=f"{action.reference}: {STATUS_LABELS[status]}", **changes)


def override_rag(uow: UnitOfWork, action: Action, rag: Rag, reason: str) -> None:
    """Replace the computed colour; the reason is kept on the action and in the audit log."""
    if rag not in OVERRIDABLE:
        raise InvalidInput(f"RAG cannot be overridden to {rag.label}.")
    why = reason.strip()
    if not why:
        raise InvalidInput(f"Overriding the RAG status of {action.reference} needs a reason.")
    uow.update(
        action,
        summary=f"RAG of {action.reference} overridden to {rag.label}: {why}",
        rag_override=rag.value,
        rag_override_reason=why,
    )


def clear_override(uow: UnitOfWork, action: Action) -> None:
    if action.rag_override is None:
        return
    uow.update(
        action,
        summary=f"RAG override of {action.reference} removed; computed colour applies",
        rag_override=None,
        rag_override_reason="",
    )


#: references an audit summary names before it counts the rest
NAMED_IN_SUMMARY = 5


def _references(actions: list[Action]) -> str:
    """ "ACT-0001, ACT-0002" (or "12 actions: ACT-0001, ... and 7 more"): someone searching the audit log for
    why ACT-0001's date moved finds the entry, which "Due date of 1 action moved" did not let them."""
    named = ", ".join(a.reference for a in actions[:NAMED_IN_SUMMARY])
    if len(actions) <= NAMED_IN_SUMMARY:
        return named
    return f"{count_of(len(actions), 'action')}: {named} and {len(actions) - NAMED_IN_SUMMARY} more"


def bulk_change_due(uow: UnitOfWork, actions: Iterable[Action], due: date, reason: str) -> int:
    """Move several due dates at once, with one reason recorded for all of them."""
    why = reason.strip()
    if not why:
        raise InvalidInput("Changing due dates needs a reason.")
    changed = [a for a in actions if a.due_date != due]
    for action in changed:
        uow.update(action, audit=False, due_date=due)
    if changed:
        uow.audit.append(
            "update",
            "action",
            MULTI_RECORD_SEPARATOR.join(a.uuid for a in changed),
            f"Due date of {_references(changed)} moved to {uk(due)}: {why}",
            {"due_date": due.isoformat(), "reason": why, "actions": [a.reference for a in changed]},
        )
    return len(changed)


@dataclass(frozen=True)
class Update:
    """What `actions update` asks for; everything is checked before anything is written."""

    status: str | None = None
    progress: str | None = None
    evidence: str | None = None
    closure: Closure = Closure()
    #: files to attach as evidence of impact (each at most 10 MiB)
    evidence_files: tuple[Path, ...] = ()


def apply_update(uow: UnitOfWork, reference: str, update: Update, *, author: str) -> Action:
    action = get_action(uow.session, reference)
    if update.progress is not None and not update.progress.strip():
        raise InvalidInput(f"The progress update for {action.reference} is empty.")
    files = [load_evidence_file(path) for path in update.evidence_files]  # all read and checked first
    if update.status is not None:
        check_status_change(
            uow.session,
            action,
            update.status,
            update.closure,
            pending_evidence=(update.evidence if update.evidence is not None and update.evidence.strip() else None),
            pending_files=len(files),
        )
    # Closing as evidenced comes last (it rests on the new evidence); any other
    # status first, so that reopening an action and clearing its evidence works.
    status_first = update.status is not None and update.status != CLOSED_EVIDENCED
    if status_first and update.status is not None:
        set_status(uow, action, update.status, update.closure)
    if update.progress is not None:
        add_progress(uow, action, update.progress, author=author)
    if update.evidence is not None:
        set_impact_evidence(uow, action, update.evidence)
    for name, content in files:
        attach_evidence(uow, action, name, content, added_by=author)
    if update.status is not None and not status_first:
        set_status(uow, action, update.status, update.closure)
    return action

"""The reviews register: add, edit, find and list case reviews.

A review's ``reference`` is what people and other areas use to name it (the
action tracker links recommendations through it): ``<PREFIX>-<YEAR>-<NN>``,
e.g. "LCSPR-2026-01", numbered per prefix and year, or chosen by the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.agencies import find_agency
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.limits import check_text
from app.records.live import live_counts, live_or_none, live_record
from app.records.references import unambiguous
from app.reviews.clocks import Clock, most_urgent, planned_milestones, review_clocks
from app.reviews.kinds import (
    METHODS,
    REVIEW_KINDS,
    STATUSES,
    review_kind,
    review_method,
    review_status,
)
from db.base import live
from db.models.core import Agency
from db.models.reviews import ChronologyEntry, Review

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}\Z")


def _check_period(scope_from: date | None, scope_to: date | None) -> None:
    if scope_from and scope_to and scope_to < scope_from:
        raise InvalidInput(f"The scope period ends ({scope_to:%d/%m/%Y}) before it starts ({scope_from:%d/%m/%Y}).")


def next_reference(session: Session, prefix: str, year: int) -> str:
    """The first free ``PREFIX-YEAR-NN`` (tombstoned reviews keep their numbers)."""
    stem = f"{prefix}-{year}-"
    used = set(session.scalars(select(Review.reference).where(Review.reference.like(stem + "%"))))
    number = 1
    while f"{stem}{number:02d}" in used:
        number += 1
    return f"{stem}{number:02d}"


def _agency_uuids(session: Session, agencies: Iterable[str]) -> list[str]:
    result: list[str] = []
    for name in agencies:
        agency = live_or_none(session, Agency, name) if len(name) == 36 else None
        uuid = agency.uuid if agency is not None else find_agency(session, name).uuid
        if uuid not in result:
            result.append(uuid)
    return result


def add_review(
    uow: UnitOfWork,
    *,
    kind: str,
    title: str,
    subject_pseudonym: str,
    subject_dob: date | None = None,
    scope_from: date | None = None,
    scope_to: date | None = None,
    method: str = "other",
    lead_reviewers: str = "",
    agencies: Iterable[str] = (),
    status: str = "open",
    incident_known_on: date | None = None,
    notified_on: date | None = None,
    reference: str | None = None,
    today: date | None = None,
) -> Review:
    """Register a review; ``agencies`` are names, short names or uuids. Returns the new Review.

    Without a reference one is numbered from the kind's prefix and the year of
    the notification (else of today). Kind, method and status accept codes or labels.
    """
    kind_spec = review_kind(kind)
    if not title.strip():
        raise InvalidInput("A review needs a title.")
    if not subject_pseudonym.strip():
        raise InvalidInput('A review needs the subject\'s pseudonym, e.g. "Child A".')
    check_text("review", "title", title.strip(), label="The review's title")
    check_text("review", "subject_pseudonym", subject_pseudonym.strip(), label="The subject's pseudonym")
    _check_period(scope_from, scope_to)
    if notified_on and incident_known_on and notified_on < incident_known_on:
        raise InvalidInput("The notification date is before the incident became known.")
    session = uow.session
    if reference is None:
        year = (notified_on or today or date.today()).year
        reference = next_reference(session, kind_spec.prefix, year)
    else:
        reference = reference.strip()
        if not _REFERENCE.match(reference):
            raise InvalidInput(
                f"Review reference {reference!r} may use letters, digits and - / _ . only (at most 40 characters)."
            )
        if session.scalars(live(Review).where(func.lower(Review.reference) == reference.lower())).first():
            raise InvalidInput(f"There is already a review {reference}.")
    return uow.create(
        Review,
        summary=f"Registered review {reference}",
        reference=reference,
        kind=kind_spec.code,
        title=title.strip(),
        subject_pseudonym=subject_pseudonym.strip(),
        subject_dob=subject_dob,
        scope_from=scope_from,
        scope_to=scope_to,
        method=review_method(method),
        lead_reviewers=lead_reviewers.strip(),
        participating_agencies=_agency_uuids(session, agencies),
        status=review_status(status),
        incident_known_on=incident_known_on,
        notified_on=notified_on,
        milestones=planned_milestones(kind_spec.code, notified_on),
    )


_EDITABLE = {
    "title",
    "subject_pseudonym",
    "subject_dob",
    "scope_from",
    "scope_to",
    "method",
    "lead_reviewers",
    "status",
    "incident_known_on",
    "notified_on",
    "kind",
    "participating_agencies",
}


def update_review(uow: UnitOfWork, review_uuid: str, **changes: Any) -> bool:
    """Edit a review's register fields; returns whether anything changed.

    ``participating_agencies`` takes names or uuids; ``kind``, ``method`` and
    ``status`` take codes or labels. The reference never changes.
    """
    review = get_review(uow.session, review_uuid)
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(unknown))} of a review here.")
    if "kind" in changes:
        changes["kind"] = review_kind(changes["kind"]).code
    if "method" in changes:
        changes["method"] = review_method(changes["method"])
    if "status" in changes:
        changes["status"] = review_status(changes["status"])
    if "participating_agencies" in changes:
        changes["participating_agencies"] = _agency_uuids(uow.session, changes["participating_agencies"])
    for name in ("title", "subject_pseudonym"):
        if name in changes and not str(changes[name]).strip():
            raise InvalidInput(f"A review's {name.replace('_', ' ')} cannot be empty.")
    _check_period(changes.get("scope_from", review.scope_from), changes.get("scope_to", review.scope_to))
    return uow.update(review, summary=f"Edited review {review.reference}", **changes)


def set_milestone(
    uow: UnitOfWork,
    review_uuid: str,
    name: str,
    *,
    due: date | None = None,
    done: date | None = None,
    remove: bool = False,
) -> None:
    """Add, re-date, complete or remove a named milestone (the statutory rapid review included)."""
    review = get_review(uow.session, review_uuid)
    if not name.strip():
        raise InvalidInput("A milestone needs a name.")
    items = [dict(m) for m in review.milestones if m.get("name") != name]
    if not remove:
        old = next((m for m in review.milestones if m.get("name") == name), {})
        due_text = due.isoformat() if due else old.get("due")
        items.append({"name": name.strip(), "due": due_text, "done": done.isoformat() if done else old.get("done")})
    uow.update(review, summary=f"Milestone {name} of review {review.reference}", milestones=items)


def delete_review(uow: UnitOfWork, review_uuid: str) -> None:
    review = get_review(uow.session, review_uuid)
    uow.delete(review, summary=f"Deleted review {review.reference}")


def get_review(session: Session, review_uuid: str) -> Review:
    return live_record(session, Review, review_uuid, "That review no longer exists (it may have been deleted).")


def find_review(session: Session, reference: str) -> Review:
    """By reference (case-insensitive) or uuid; the error lists known references."""
    wanted = reference.strip()
    found = list(
        session.scalars(live(Review).where((func.lower(Review.reference) == wanted.lower()) | (Review.uuid == wanted)))
    )
    if not found:
        known = ", ".join(r.reference for r in list_reviews(session)) or "none yet"
        raise InvalidInput(f"Unknown review {reference!r}. Known reviews: {known}.")
    return unambiguous(found, reference, "review")


def list_reviews(session: Session) -> list[Review]:
    return list(session.scalars(live(Review).order_by(Review.reference)))


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of the reviews register, with its clocks computed for ``today``."""

    uuid: str
    reference: str
    kind: str
    kind_label: str
    title: str
    subject_pseudonym: str
    method: str
    status: str
    status_label: str
    lead_reviewers: str
    agencies: tuple[str, ...]
    scope_from: date | None
    scope_to: date | None
    notified_on: date | None
    entries: int
    clocks: tuple[Clock, ...]
    next_clock: Clock | None

    @property
    def overdue(self) -> bool:
        return any(c.state == "overdue" for c in self.clocks)

    @property
    def due_soon(self) -> bool:
        return any(c.state == "due-soon" for c in self.clocks)

    def as_json(self) -> dict[str, Any]:
        def clock(c: Clock) -> dict[str, Any]:
            return {
                "name": c.name,
                "due": c.due.isoformat(),
                "done": c.done.isoformat() if c.done else None,
                "state": c.state,
                "working_days_left": c.working_days_left,
                "statutory": c.statutory,
            }

        return {
            "reference": self.reference,
            "uuid": self.uuid,
            "kind": self.kind,
            "title": self.title,
            "subject": self.subject_pseudonym,
            "method": self.method,
            "status": self.status,
            "lead_reviewers": self.lead_reviewers,
            "agencies": list(self.agencies),
            "scope_from": self.scope_from.isoformat() if self.scope_from else None,
            "scope_to": self.scope_to.isoformat() if self.scope_to else None,
            "notified_on": self.notified_on.isoformat() if self.notified_on else None,
            "entries": self.entries,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "clocks": [clock(c) for c in self.clocks],
        }


def register(session: Session, today: date | None = None) -> list[RegisterRow]:
    """Every live review with its entry count and clocks; overdue and due-soon are flagged."""
    today = today or date.today()
    counts = live_counts(session, ChronologyEntry, ChronologyEntry.review_uuid)
    short = dict(session.execute(select(Agency.uuid, Agency.short_name)).all())
    kinds = {k.code: k.label for k in REVIEW_KINDS}
    rows = []
    for review in list_reviews(session):
        clocks = tuple(
            review_clocks(review.kind, review.incident_known_on, review.notified_on, review.milestones, today)
        )
        rows.append(
            RegisterRow(
                uuid=review.uuid,
                reference=review.reference,
                kind=review.kind,
                kind_label=kinds.get(review.kind, review.kind),
                title=review.title,
                subject_pseudonym=review.subject_pseudonym,
                method=METHODS.get(review.method, review.method),
                status=review.status,
                status_label=STATUSES.get(review.status, review.status),
                lead_reviewers=review.lead_reviewers,
                agencies=tuple(short.get(u, "?") for u in review.participating_agencies),
                scope_from=review.scope_from,
                scope_to=review.scope_to,
                notified_on=review.notified_on,
                entries=counts.get(review.uuid, 0),
                clocks=clocks,
                next_clock=most_urgent(list(clocks)),
            )
        )
    return rows

"""Analysis records of a review: key practice episodes, findings, recommendations.

Numbers (episode 1, finding 2, recommendation 3) are given in order of
creation and are what the report and the action tracker cite. Linking
entries to episodes lives in ``app.chronology.service``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_children, live_count, live_or_none, live_record
from app.reviews.register import get_review
from db.base import Exchangeable, live
from db.models.reviews import EntryEpisodeLink, Finding, KeyPracticeEpisode, Recommendation, Review

R = TypeVar("R", bound=Exchangeable)


def _add_numbered(uow: UnitOfWork, model: type[R], review: Review, what: str, **values: Any) -> R:
    """A record of the review numbered after its live others ("Added finding 3 to LCSPR-2026-01")."""
    column: Any = model  # every numbered model has review_uuid and number
    highest = uow.session.scalar(
        select(func.max(column.number)).where(column.review_uuid == review.uuid, column.deleted_stamp.is_(None))
    )
    number = (highest or 0) + 1
    return uow.create(
        model, summary=f"Added {what} {number} to {review.reference}", review_uuid=review.uuid, number=number, **values
    )


def _only(changes: dict[str, Any], allowed: set[str], a_what: str) -> None:
    """Refuse edits of fields the forms do not edit ("Cannot edit number of a finding.")."""
    if set(changes) - allowed:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(set(changes) - allowed))} of {a_what}.")


def _numbered(session: Session, model: type[R], review_uuid: str) -> list[R]:
    """The review's live records of this kind, by number."""
    column: Any = model
    return live_children(session, model, column.review_uuid, review_uuid, column.number)


def _get(session: Session, model: type[R], uuid: str, what: str) -> R:
    return live_record(session, model, uuid, f"That {what} no longer exists (it may have been deleted).")


def _update_numbered(
    uow: UnitOfWork, model: type[R], uuid: str, what: str, allowed: set[str], changes: dict[str, Any]
) -> bool:
    """Edit the fields its form edits ("Edited finding 2")."""
    record: Any = _get(uow.session, model, uuid, what)
    _only(changes, allowed, f"a {what}")
    return uow.update(record, summary=f"Edited {what} {record.number}", **changes)


def _delete_numbered(uow: UnitOfWork, model: type[R], uuid: str, what: str) -> None:
    record: Any = _get(uow.session, model, uuid, what)
    uow.delete(record, summary=f"Deleted {what} {record.number}")


# -- key practice episodes -------------------------------------------------------


def add_episode(
    uow: UnitOfWork,
    review_uuid: str,
    title: str,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    description: str = "",
) -> KeyPracticeEpisode:
    """Add an episode numbered after the review's others; ``description`` is its summary."""
    review = get_review(uow.session, review_uuid)
    if not title.strip():
        raise InvalidInput("A key practice episode needs a title.")
    if period_from and period_to and period_to < period_from:
        raise InvalidInput("The episode's period ends before it starts.")
    return _add_numbered(
        uow,
        KeyPracticeEpisode,
        review,
        "key practice episode",
        title=title.strip(),
        period_from=period_from,
        period_to=period_to,
        description=description.strip(),
    )


def update_episode(uow: UnitOfWork, episode_uuid: str, **changes: Any) -> bool:
    """Edit title, period_from, period_to or description (the episode's summary)."""
    episode = _get(uow.session, KeyPracticeEpisode, episode_uuid, "key practice episode")
    _only(changes, {"title", "period_from", "period_to", "description"}, "an episode")
    if "title" in changes and not str(changes["title"]).strip():
        raise InvalidInput("A key practice episode needs a title.")
    start, end = changes.get("period_from", episode.period_from), changes.get("period_to", episode.period_to)
    if start and end and end < start:
        raise InvalidInput("The episode's period ends before it starts.")
    return uow.update(episode, summary=f"Edited key practice episode {episode.number}", **changes)


def delete_episode(uow: UnitOfWork, episode_uuid: str) -> None:
    """Delete an episode and its links to entries (the entries stay)."""
    episode = _get(uow.session, KeyPracticeEpisode, episode_uuid, "key practice episode")
    for link in uow.session.scalars(live(EntryEpisodeLink).where(EntryEpisodeLink.episode_uuid == episode.uuid)):
        uow.delete(link, audit=False)
    uow.delete(episode, summary=f"Deleted key practice episode {episode.number}")


def list_episodes(session: Session, review_uuid: str) -> list[KeyPracticeEpisode]:
    return _numbered(session, KeyPracticeEpisode, review_uuid)


# -- findings and recommendations --------------------------------------------------


def add_finding(
    uow: UnitOfWork, review_uuid: str, title: str, text: str = "", *, episode_uuid: str | None = None
) -> Finding:
    review = get_review(uow.session, review_uuid)
    if not title.strip():
        raise InvalidInput("A finding needs a title.")
    if episode_uuid is not None:
        _get(uow.session, KeyPracticeEpisode, episode_uuid, "key practice episode")
    return _add_numbered(
        uow, Finding, review, "finding", title=title.strip(), text=text.strip(), episode_uuid=episode_uuid
    )


def update_finding(uow: UnitOfWork, finding_uuid: str, **changes: Any) -> bool:
    return _update_numbered(uow, Finding, finding_uuid, "finding", {"title", "text", "episode_uuid"}, changes)


def delete_finding(uow: UnitOfWork, finding_uuid: str) -> None:
    _delete_numbered(uow, Finding, finding_uuid, "finding")


def list_findings(session: Session, review_uuid: str) -> list[Finding]:
    return _numbered(session, Finding, review_uuid)


def add_recommendation(
    uow: UnitOfWork, review_uuid: str, text: str, *, finding_uuid: str | None = None
) -> Recommendation:
    review = get_review(uow.session, review_uuid)
    if not text.strip():
        raise InvalidInput("A recommendation needs its text.")
    if finding_uuid is not None:
        _get(uow.session, Finding, finding_uuid, "finding")
    return _add_numbered(uow, Recommendation, review, "recommendation", text=text.strip(), finding_uuid=finding_uuid)


def update_recommendation(uow: UnitOfWork, recommendation_uuid: str, **changes: Any) -> bool:
    return _update_numbered(
        uow, Recommendation, recommendation_uuid, "recommendation", {"text", "finding_uuid"}, changes
    )


def delete_recommendation(uow: UnitOfWork, recommendation_uuid: str) -> None:
    _delete_numbered(uow, Recommendation, recommendation_uuid, "recommendation")


def list_recommendations(session: Session, review_uuid: str) -> list[Recommendation]:
    return _numbered(session, Recommendation, review_uuid)


def find_episode(session: Session, episode_uuid: str) -> KeyPracticeEpisode | None:
    """The live episode, or None (deleted, or merged away under the form)."""
    return live_or_none(session, KeyPracticeEpisode, episode_uuid)


def linked_entry_count(session: Session, episode_uuid: str) -> int:
    return live_count(session, EntryEpisodeLink, EntryEpisodeLink.episode_uuid, episode_uuid)


def find_finding(session: Session, finding_uuid: str) -> Finding | None:
    return live_or_none(session, Finding, finding_uuid)


def find_recommendation(session: Session, recommendation_uuid: str) -> Recommendation | None:
    return live_or_none(session, Recommendation, recommendation_uuid)

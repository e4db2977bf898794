"""A review's recommendations as the source of actions (registered in `app.reviews.contributions`).

``review:REF`` names the review as a whole, ``review:REF#N`` its recommendation N.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session

from app.contributions import SourceLocation, SourceRef
from app.errors import InvalidInput
from app.records.live import live_or_none
from app.records.references import unambiguous
from db.base import live
from db.models.reviews import Recommendation, Review

REVIEW_RECOMMENDATION = "review_recommendation"


def recommendation_label(review_reference: str, number: int) -> str:
    return f"{review_reference} rec {number}"


def resolve(session: Session, text: str) -> SourceRef:
    """review:REF or review:REF#N; the review (and recommendation) must exist in the workspace."""
    reference, _, number = text.partition("#")
    found = list(session.scalars(live(Review).where(func.lower(Review.reference) == reference.strip().lower())))
    if not found:
        raise InvalidInput(f"Unknown review {reference.strip()!r}: no review with that reference in this workspace.")
    review = unambiguous(found, reference.strip(), "review")
    if not number.strip():
        return SourceRef(REVIEW_RECOMMENDATION, review.reference, None, review.uuid)
    try:
        wanted = int(number)
    except ValueError:
        raise InvalidInput(f"Recommendation number {number!r} in {text!r} is not a whole number.") from None
    recommendation = session.scalars(
        live(Recommendation).where(Recommendation.review_uuid == review.uuid, Recommendation.number == wanted)
    ).first()
    if recommendation is None:
        raise InvalidInput(f"Review {review.reference} has no recommendation {wanted}.")
    return SourceRef(
        REVIEW_RECOMMENDATION, recommendation_label(review.reference, wanted), recommendation.uuid, review.uuid
    )


def review_groups(session: Session) -> list[tuple[str, str]]:
    """Reviews to filter the tracker by: (uuid, reference)."""
    return [(r.uuid, r.reference) for r in session.scalars(live(Review).order_by(Review.reference))]


def locate(session: Session, recommendation_uuid: str) -> SourceLocation | None:
    recommendation = live_or_none(session, Recommendation, recommendation_uuid)
    if recommendation is None:
        return None
    review = live_or_none(session, Review, recommendation.review_uuid)
    if review is None:
        return None
    return SourceLocation(
        "reviews",
        recommendation.uuid,
        f"{recommendation_label(review.reference, recommendation.number)} ({review.title})",
    )

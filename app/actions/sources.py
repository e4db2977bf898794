"""Where an action came from: a review's recommendation, an audit, an inspection, Section 11, or none.

On the command line a source is written KIND:TEXT, e.g. ``review:LCSPR-2026-01``
(the review as a whole), ``review:LCSPR-2026-01#3`` (its recommendation 3), ``audit:Neglect audit 2025``,
``inspection:Ofsted ILACS 2025``, ``section11:Police 2026`` or ``none``.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.references import unambiguous

REVIEW_RECOMMENDATION = "review_recommendation"
AUDIT = "audit"
INSPECTION = "inspection"
SECTION11 = "section11"
NONE = "none"

SOURCE_LABELS: dict[str, str] = {
    REVIEW_RECOMMENDATION: "Review recommendation",
    AUDIT: "Multi-agency audit",
    INSPECTION: "External inspection",
    SECTION11: "Section 11 challenge",
    NONE: "No source",
}
SOURCE_KINDS = tuple(SOURCE_LABELS)


@dataclass(frozen=True)
class SourceRef:
    kind: str = NONE
    label: str = ""
    #: the source record (a recommendation, later a Section 11 interview); None if free text
    uuid: str | None = None
    #: the review, for actions from a review (filter "by review")
    review_uuid: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SOURCE_LABELS:
            raise InvalidInput(f"Unknown action source kind {self.kind!r}. "
                               f"Use one of: {', '.join(SOURCE_KINDS)}.")


def resolve_source(session: Session, text: str | None) -> SourceRef:
    """Read KIND:TEXT; a review reference must name a review that exists in the workspace."""
    if text is None or not text.strip() or text.strip().casefold() == NONE:
        return SourceRef()
    kind, sep, rest = text.strip().partition(":")
    kind = kind.strip().casefold()
    rest = rest.strip()
    if not sep or not rest:
        raise InvalidInput(f"Source {text!r} is not of the form KIND:TEXT "
                           "(review:REF, review:REF#N, audit:..., inspection:..., section11:... or none).")
    if kind == "review":
        return _review_source(session, rest)
    if kind in (AUDIT, INSPECTION, SECTION11):
        return SourceRef(kind, rest)
    raise InvalidInput(f"Unknown source kind {kind!r} in {text!r}. "
                       "Use review, audit, inspection, section11 or none.")


def _review_source(session: Session, text: str) -> SourceRef:
    """review:REF or review:REF#N, resolved through the reviews area."""
    from db.models.reviews import Recommendation, Review  # the reviews area is optional here

    from db.base import live
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
    recommendation = session.scalars(live(Recommendation).where(
        Recommendation.review_uuid == review.uuid, Recommendation.number == wanted)).first()
    if recommendation is None:
        raise InvalidInput(f"Review {review.reference} has no recommendation {wanted}.")
    return SourceRef(REVIEW_RECOMMENDATION, recommendation_label(review.reference, wanted),
                     recommendation.uuid, review.uuid)


def recommendation_label(review_reference: str, number: int) -> str:
    return f"{review_reference} rec {number}"


@dataclass(frozen=True)
class ReviewChoice:
    uuid: str
    reference: str
    title: str


def review_choices(session: Session) -> list[ReviewChoice]:
    """Reviews to filter the tracker by (none if the reviews area is absent)."""
    try:
        from db.models.reviews import Review
    except ImportError:
        return []
    from db.base import live
    return [ReviewChoice(r.uuid, r.reference, r.title)
            for r in session.scalars(live(Review).order_by(Review.reference))]


def review_of_recommendation(session: Session, recommendation_uuid: str | None) -> str | None:
    """The review a recommendation belongs to, so actions made from it filter by review."""
    if not recommendation_uuid:
        return None
    try:
        from db.models.reviews import Recommendation
    except ImportError:
        return None
    recommendation = session.get(Recommendation, recommendation_uuid)
    return recommendation.review_uuid if recommendation is not None else None

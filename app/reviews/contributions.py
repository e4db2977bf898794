"""What the reviews area offers the others: recommendations as action sources, and its demo part."""

from __future__ import annotations

from app.contributions import ActionSourceKind, PackReport, ReportFilter, lazy, offer
from app.reviews.kinds import REVIEW_KINDS
from app.reviews.naming import NAMINGS

offer(
    "reviews",
    action_source=ActionSourceKind.of_records(
        "app.reviews.action_source",
        "review_recommendation",
        "Review recommendation",
        "review",
        order=10,
        example="review:REF or review:REF#N",
        groups="review_groups",
    ),
    demo_order=30,
    pack_report=PackReport(
        "reviews",
        "Reviews register",
        lazy("app.reviews.pack_report:build"),
        order=20,
        filters={"kind": ReportFilter("Kind of review", lambda _session: [(k.label, k.code) for k in REVIEW_KINDS])},
        description="Every review with its statutory clocks, overdue first",
    ),
    # Conflicts name reviews by reference, entries by review, date and agency, people by pseudonym.
    namings=NAMINGS,
)

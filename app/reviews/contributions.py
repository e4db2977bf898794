"""What the reviews area offers the others: recommendations as action sources, and its demo part."""

from __future__ import annotations

from app.contributions import (
    ACTION_SOURCES,
    DEMO_PARTS,
    PACK_REPORTS,
    RECORD_NAMING,
    ActionSourceKind,
    PackReport,
    demo_part,
    lazy,
)
from app.reviews.naming import NAMINGS

ACTION_SOURCES.register(
    ActionSourceKind.of_records(
        "app.reviews.action_source",
        "review_recommendation",
        "Review recommendation",
        "review",
        order=10,
        example="review:REF or review:REF#N",
        groups="review_groups",
    )
)
DEMO_PARTS.register(demo_part("reviews", 30))
PACK_REPORTS.register(
    PackReport(
        "reviews",
        "Reviews register",
        lazy("app.reviews.pack_report:build"),
        order=20,
        filters=("kind",),
        description="Every review with its statutory clocks, overdue first",
    )
)

# Conflicts name reviews by reference, entries by review, date and agency, people by pseudonym.
RECORD_NAMING.register_all(NAMINGS)

"""What the reviews area offers the others: recommendations as action sources, and its demo part."""

from __future__ import annotations

from app.contributions import (
    ACTION_SOURCES,
    DEMO_PARTS,
    PACK_REPORTS,
    ActionSourceKind,
    DemoPart,
    PackReport,
    lazy,
)

ACTION_SOURCES.register(
    ActionSourceKind(
        "review_recommendation",
        "Review recommendation",
        "review",
        order=10,
        resolve=lazy("app.reviews.action_source:resolve"),
        locate=lazy("app.reviews.action_source:locate"),
        example="review:REF or review:REF#N",
        groups=lazy("app.reviews.action_source:review_groups"),
    )
)
DEMO_PARTS.register(DemoPart("reviews", 30, lazy("app.reviews.demo:populate")))
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

# Conflicts name reviews by reference and entries by review, date and agency.
from app.contributions import RECORD_NAMING  # noqa: E402
from app.reviews.naming import NAMINGS  # noqa: E402

for _naming in NAMINGS:
    RECORD_NAMING.register(_naming)

# Record kinds in users' words, for counts, the audit log and conflicts
from app.records.naming import kinds  # noqa: E402 - registered with the rest of this module

for _kind in kinds(
    {"review_person": "Person in a review", "scan_decision": "Name decision"},
    not_counted=(),
):
    RECORD_NAMING.register(_kind)

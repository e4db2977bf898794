"""Dashboard counts: overdue, due in the next 28 days, by agency and by RAG.

Each count carries the filter that shows exactly the actions it counts, so a
click on a count can filter the tracker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from app.actions.filters import ActionFilter
from app.actions.queries import ActionRow
from app.actions.rag import DUE_SOON_DAYS, Rag

RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY)


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    filter: ActionFilter


@dataclass
class Dashboard:
    total: Count
    overdue: Count
    due_soon: Count
    by_rag: list[Count] = field(default_factory=list)
    by_agency: list[Count] = field(default_factory=list)
    #: agency short name -> {rag value: count}, for the stacked chart
    agency_rag: dict[str, dict[str, int]] = field(default_factory=dict)


def compute_dashboard(rows: Iterable[ActionRow], today: date) -> Dashboard:
    rows = list(rows)
    rag_counts: Counter[Rag] = Counter()
    agency_counts: Counter[tuple[str, str]] = Counter()
    agency_rag: dict[str, Counter[str]] = {}
    overdue = due_soon = 0
    for row in rows:
        rag_counts[row.rag] += 1
        agency_counts[(row.agency, row.agency_uuid)] += 1
        agency_rag.setdefault(row.agency, Counter())[row.rag.value] += 1
        overdue += row.overdue
        due_soon += row.due_soon
    return Dashboard(
        total=Count("All actions", len(rows), ActionFilter()),
        overdue=Count("Overdue", overdue, ActionFilter(overdue=True)),
        due_soon=Count(f"Due in the next {DUE_SOON_DAYS} days", due_soon, ActionFilter(due_within_days=DUE_SOON_DAYS)),
        by_rag=[Count(rag.label, rag_counts[rag], ActionFilter(rag=rag)) for rag in RAG_ORDER],
        by_agency=[
            Count(short, n, ActionFilter(agency_uuid=uuid))
            for (short, uuid), n in sorted(agency_counts.items(), key=lambda item: item[0][0].casefold())
        ],
        agency_rag={short: dict(counter) for short, counter in sorted(agency_rag.items())},
    )

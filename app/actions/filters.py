"""Tracker filters, shared by the GUI table, the dashboard's click-through and the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.actions.queries import ActionRow
from app.actions.rag import Rag
from app.actions.status import OPEN_STATUSES


@dataclass(frozen=True)
class ActionFilter:
    source_kind: str | None = None
    review_uuid: str | None = None
    agency_uuid: str | None = None
    status: str | None = None
    rag: Rag | None = None
    #: open actions due between today and this many days ahead (both included)
    due_within_days: int | None = None
    overdue: bool = False
    text: str = ""

    def matches(self, row: ActionRow, today: date) -> bool:
        if self.source_kind and row.source_kind != self.source_kind:
            return False
        if self.review_uuid and row.review_uuid != self.review_uuid:
            return False
        if self.agency_uuid and row.agency_uuid != self.agency_uuid:
            return False
        if self.status and row.status != self.status:
            return False
        if self.rag is not None and row.rag is not self.rag:
            return False
        if self.overdue and not row.overdue:
            return False
        if self.due_within_days is not None and not (
            row.status in OPEN_STATUSES and 0 <= (row.due - today).days <= self.due_within_days
        ):
            return False
        if self.text:
            needle = self.text.casefold()
            haystack = " ".join((row.reference, row.title, row.lead_officer, row.source_label, row.agency))
            if needle not in haystack.casefold():
                return False
        return True

    def is_empty(self) -> bool:
        return self == ActionFilter()


def apply_filter(rows: Iterable[ActionRow], wanted: ActionFilter, today: date) -> list[ActionRow]:
    return [row for row in rows if wanted.matches(row, today)]

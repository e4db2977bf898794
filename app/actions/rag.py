"""THE RAG rules of the action tracker, in one place (documented in docs/actions.md).

In order, the first rule that applies wins:

1. BLUE  - closed, impact evidenced.
2. GREY  - closed, not achieved or superseded (label "Closed"): no longer
           tracked, so it is neither on nor off track.
3. RED   - flagged off track, or overdue. Overdue means the due date is before
           today while the action is not started or in progress; an action
           due today is not overdue yet.
4. AMBER - flagged at risk, or not started and due within 28 days
           (0 to 28 days from today, both included; 29 days is not amber).
5. GREEN - on track.

"Completed, awaiting evidence" is not overdue (the work was delivered): it is
green unless flagged at risk or off track. A manual override replaces the
computed colour; it needs a reason and is always shown as an override.
"""

from __future__ import annotations

import enum
from datetime import date

from app.actions.status import (
    AT_RISK,
    CLOSED_EVIDENCED,
    CLOSED_NOT_ACHIEVED,
    NOT_STARTED,
    OFF_TRACK,
    OPEN_STATUSES,
)
from app.errors import InvalidInput

DUE_SOON_DAYS = 28


class Rag(enum.Enum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    GREY = "grey"

    @property
    def label(self) -> str:
        return RAG_LABELS[self]

    @property
    def colour(self) -> str:
        """Background colour, light enough for black text (the label is always shown too)."""
        return RAG_COLOURS[self]


RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Blue", Rag.GREY: "Closed"}
RAG_COLOURS = {Rag.RED: "#f4a6a6", Rag.AMBER: "#ffd591", Rag.GREEN: "#b7e4b0", Rag.BLUE: "#a9ccf5", Rag.GREY: "#d9d9d9"}
#: colours a user may choose as a manual override
OVERRIDABLE = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


def is_overdue(status: str, due: date, today: date) -> bool:
    return status in OPEN_STATUSES and due < today


def is_due_soon(status: str, due: date, today: date) -> bool:
    """Open and due between today and 28 days from today, both included."""
    return status in OPEN_STATUSES and 0 <= (due - today).days <= DUE_SOON_DAYS


def computed_rag(status: str, track: str, due: date, today: date) -> Rag:
    """The RAG colour by the rules above, ignoring any manual override."""
    if status == CLOSED_EVIDENCED:
        return Rag.BLUE
    if status == CLOSED_NOT_ACHIEVED:
        return Rag.GREY
    if track == OFF_TRACK or is_overdue(status, due, today):
        return Rag.RED
    if track == AT_RISK or (status == NOT_STARTED and is_due_soon(status, due, today)):
        return Rag.AMBER
    return Rag.GREEN


def effective_rag(status: str, track: str, due: date, today: date, override: str | None) -> Rag:
    return Rag(override) if override else computed_rag(status, track, due, today)


def parse_rag(text: str, *, allow_grey: bool = True) -> Rag:
    wanted = text.strip().casefold()
    for rag in Rag:
        if wanted in (rag.value, rag.label.casefold()) and (allow_grey or rag is not Rag.GREY):
            return rag
    choices = "red, amber, green, blue" + (", grey" if allow_grey else "")
    raise InvalidInput(f"Unknown RAG colour {text!r}. Use one of: {choices}.")


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def rag_reason(status: str, track: str, due: date, today: date) -> str:
    """Which rule above gave the computed colour, in words ("overdue by 3 days")."""
    if status == CLOSED_EVIDENCED:
        return "closed with impact evidenced"
    if status == CLOSED_NOT_ACHIEVED:
        return "closed as not achieved or superseded"
    if track == OFF_TRACK:
        return "flagged off track"
    if is_overdue(status, due, today):
        return f"overdue by {_days((today - due).days)}"
    if track == AT_RISK:
        return "flagged at risk"
    if status == NOT_STARTED and is_due_soon(status, due, today):
        days = (due - today).days
        return "not started and due today" if days == 0 else f"not started and due in {_days(days)}"
    return "on track"

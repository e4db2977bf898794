"""Statutory and local clocks of a review: what is due, what is overdue.

Due dates count English working days (``app.dates.workdays``: weekends and bank
holidays out). A clock is "due soon" within ``DUE_SOON_WORKING_DAYS`` working
days of its due date, "overdue" after it, and "done" once a completion date is
recorded. Partnerships set their own milestones; ``MILESTONE_PLANS`` holds the
defaults added when a review is registered with a notification date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.dates import workdays

DUE_SOON_WORKING_DAYS = 5

NOTIFICATION = "Serious incident notification"
RAPID_REVIEW = "Rapid review to the national panel"

#: kind code -> (milestone name, working days after the notification date).
#: The rapid review itself is statutory and computed, not listed here.
MILESTONE_PLANS: dict[str, tuple[tuple[str, int], ...]] = {
    "lcspr": (
        ("Terms of reference agreed", 30),
        ("Agency chronologies returned", 45),
        ("Practitioner learning event", 80),
        ("Final report to the partnership", 125),
    ),
    "scr": (("Agency chronologies returned", 45), ("Final report to the partnership", 125)),
}


@dataclass(frozen=True, slots=True)
class Clock:
    """One dated milestone of a review and where it stands today."""

    name: str
    due: date
    done: date | None
    state: str  # "done", "overdue", "due-soon" or "pending"
    working_days_left: int
    """Working days from today to the due date (negative when overdue)."""
    statutory: bool = False


def clock_state(due: date, done: date | None, today: date) -> tuple[str, int]:
    left = workdays.working_days_between(today, due)
    if done is not None:
        return "done", left
    if due < today:
        return "overdue", left
    if left <= DUE_SOON_WORKING_DAYS:
        return "due-soon", left
    return "pending", left


def _milestone_done(milestones: list[dict[str, str | None]], name: str) -> date | None:
    for item in milestones:
        if item.get("name") == name and item.get("done"):
            return date.fromisoformat(str(item["done"]))
    return None


def review_clocks(
    kind: str,
    incident_known_on: date | None,
    notified_on: date | None,
    milestones: list[dict[str, str | None]],
    today: date,
) -> list[Clock]:
    """Every clock of a review, statutory first, then its milestones by due date.

    Takes plain values (not a Review) so the register and the GUI can call it on
    cached data; a milestone named like a statutory clock records its completion.
    """
    clocks: list[Clock] = []

    def add(name: str, due: date, done: date | None, statutory: bool = False) -> None:
        state, left = clock_state(due, done, today)
        clocks.append(Clock(name, due, done, state, left, statutory))

    if incident_known_on is not None:
        add(NOTIFICATION, workdays.notification_due(incident_known_on), notified_on, True)
    start = notified_on
    if start is None and incident_known_on is not None:
        start = workdays.notification_due(incident_known_on)
    if kind == "rapid" and start is not None:
        add(RAPID_REVIEW, workdays.rapid_review_due(start), _milestone_done(milestones, RAPID_REVIEW), True)
    for item in sorted(milestones, key=lambda m: str(m.get("due") or "")):
        if item.get("name") in (NOTIFICATION, RAPID_REVIEW) or not item.get("due"):
            continue
        done = date.fromisoformat(str(item["done"])) if item.get("done") else None
        add(str(item["name"]), date.fromisoformat(str(item["due"])), done)
    return clocks


def planned_milestones(kind: str, notified_on: date | None) -> list[dict[str, str | None]]:
    """The default milestones of a new review of this kind (none without a notification date)."""
    if notified_on is None:
        return []
    return [
        {"name": name, "due": workdays.add_working_days(notified_on, days).isoformat(), "done": None}
        for name, days in MILESTONE_PLANS.get(kind, ())
    ]


def most_urgent(clocks: list[Clock]) -> Clock | None:
    """The open clock due first (overdue ones included), or None when all are done."""
    open_clocks = [c for c in clocks if c.state != "done"]
    return min(open_clocks, key=lambda c: c.due) if open_clocks else None

"""What a new action made from a source (a recommendation) starts with, so the user edits rather than types."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.agencies import list_agencies

#: a recommendation's action is usually reviewed at the partnership's next quarter or so
PROPOSED_WEEKS = 13


@dataclass(frozen=True)
class ActionProposal:
    title: str
    #: short name of the agency the text names (None: it names none, or several equally)
    owner_short: str | None
    due: date


def proposed_due(today: date) -> date:
    """About three months ahead, at the end of that month (a date panels and owners plan to)."""
    ahead = today + timedelta(weeks=PROPOSED_WEEKS)
    return date(ahead.year, ahead.month, calendar.monthrange(ahead.year, ahead.month)[1])


def named_agency(session: Session, text: str) -> str | None:
    """The agency a text names by its full name, else by its short name as a word; the longest match wins."""
    folded = text.casefold()
    best: tuple[int, str] | None = None
    for agency in list_agencies(session):
        for candidate in (agency.name, agency.short_name):
            wanted = candidate.casefold().strip()
            if len(wanted) >= 2 and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded):
                if best is None or len(wanted) > best[0]:
                    best = (len(wanted), agency.short_name)
    return best[1] if best else None


def propose_action(session: Session, text: str, today: date | None = None) -> ActionProposal:
    today = today or date.today()
    return ActionProposal(" ".join(text.split()), named_agency(session, text), proposed_due(today))

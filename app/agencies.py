"""Partner agencies: every chronology entry and action names one."""
from __future__ import annotations

import re

from sqlalchemy import func
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.records import UnitOfWork
from db.base import live
from db.models.core import Agency

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def list_agencies(session: Session) -> list[Agency]:
    return list(session.scalars(live(Agency).order_by(Agency.name)))


def find_agency(session: Session, name: str) -> Agency:
    """By full or short name, case-insensitive; a clear error names the choices."""
    wanted = name.strip().casefold()
    query = live(Agency).where((func.lower(Agency.name) == wanted) | (func.lower(Agency.short_name) == wanted))
    agency = session.scalars(query).first()
    if agency is None:
        known = ", ".join(a.short_name or a.name for a in list_agencies(session)) or "none yet"
        raise InvalidInput(f"Unknown agency {name!r}. Known agencies: {known}.")
    return agency


def add_agency(uow: UnitOfWork, name: str, short_name: str, sector: str = "",
               colour: str = "#dddddd") -> Agency:
    if not name.strip() or not short_name.strip():
        raise InvalidInput("An agency needs a name and a short name.")
    if not _COLOUR.match(colour):
        raise InvalidInput(f"Agency colour {colour!r} is not of the form #rrggbb.")
    for existing in list_agencies(uow.session):
        if existing.name.casefold() == name.strip().casefold():
            raise InvalidInput(f"There is already an agency called {existing.name}.")
    return uow.create(Agency, name=name.strip(), short_name=short_name.strip(), sector=sector,
                      colour=colour.lower(), summary=f"Added agency {name.strip()}")

"""Partner agencies: every chronology entry and action names one."""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_record
from db.base import live
from db.models.core import Agency

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}\Z")
#: Agencies added by name get a UUID derived from the name, so two members who
#: each add "Police" end up with one agency after merging, not two.
_AGENCY_NAMESPACE = uuid.UUID("6f6e3c1e-3b52-4f8e-9f0a-5a3c1c1a9b11")


def list_agencies(session: Session) -> list[Agency]:
    return list(session.scalars(live(Agency).order_by(Agency.name)))


def known_agencies(agencies: list[Agency]) -> str:
    """The agencies a name may be, for a message refusing an unknown one: "HV, Police"."""
    return ", ".join(a.short_name or a.name for a in agencies) or "none yet (add one with `workbench agency add`)"


def find_agency(session: Session, name: str) -> Agency:
    """By full or short name, ignoring case (Unicode-aware); a clear error names the choices."""
    wanted = name.strip().casefold()
    agencies = list_agencies(session)
    for agency in agencies:
        if wanted in (agency.name.casefold(), agency.short_name.casefold()):
            return agency
    raise InvalidInput(f"Unknown agency {name!r}. Known agencies: {known_agencies(agencies)}.")


def agency_by_uuid(session: Session, agency_uuid: str) -> Agency:
    """A live agency by its identity; one clear error if it is gone."""
    return live_record(session, Agency, agency_uuid, "That agency no longer exists in this workspace.")


def _validate(uow: UnitOfWork, name: str, short_name: str, colour: str, *, exclude: str | None = None) -> None:
    if not name.strip() or not short_name.strip():
        raise InvalidInput("An agency needs a name and a short name.")
    if len(name.strip()) > 200 or len(short_name.strip()) > 40:
        raise InvalidInput("An agency's name is limited to 200 characters and its short name to 40.")
    if not _COLOUR.match(colour):
        raise InvalidInput(f"Agency colour {colour!r} is not of the form #rrggbb.")
    for existing in list_agencies(uow.session):
        if existing.uuid == exclude:
            continue
        if existing.name.casefold() == name.strip().casefold():
            raise InvalidInput(f"There is already an agency called {existing.name}.")
        if existing.short_name.casefold() == short_name.strip().casefold():
            raise InvalidInput(f"The short name {existing.short_name} is already used by {existing.name}.")


def add_agency(uow: UnitOfWork, name: str, short_name: str, sector: str = "", colour: str = "#dddddd") -> Agency:
    _validate(uow, name, short_name, colour)
    derived = str(uuid.uuid5(_AGENCY_NAMESPACE, name.strip().casefold()))
    if uow.session.get(Agency, derived) is not None:  # a deleted agency of that name keeps its id
        derived = str(uuid.uuid4())
    return uow.create(
        Agency,
        uuid=derived,
        name=name.strip(),
        short_name=short_name.strip(),
        sector=sector.strip(),
        colour=colour.lower(),
        summary=f"Added agency {name.strip()}",
    )


def update_agency(uow: UnitOfWork, agency_uuid: str, *, name: str, short_name: str, sector: str, colour: str) -> Agency:
    agency = agency_by_uuid(uow.session, agency_uuid)
    _validate(uow, name, short_name, colour, exclude=agency_uuid)
    uow.update(
        agency,
        name=name.strip(),
        short_name=short_name.strip(),
        sector=sector.strip(),
        colour=colour.lower(),
        summary=f"Edited agency {name.strip()}",
    )
    return agency

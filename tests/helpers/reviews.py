"""A review to test against: the learning review of a child born 10/03/2015 that most chronology tests use."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.agencies import add_agency
from app.chronology import service as chronology
from app.records import UnitOfWork
from app.reviews.register import add_review
from db.models.reviews import ChronologyEntry, Review

#: the police's entry of 22/05/2016, which a health visiting return of the same visit duplicates
POLICE_VISIT = "Joint home visit to mother with health visitor"


def child_review(
    uow: UnitOfWork,
    agencies: list[tuple[Any, ...]],
    *,
    title: str = "T",
    subject: str = "Child A",
    scoped: bool = False,
    reference: str | None = None,
) -> Review:
    """Add these agencies (add_agency's arguments), then an LCSPR of `subject`, born 10/03/2015,
    its scope 2015 to 2017 when `scoped`."""
    for agency in agencies:
        add_agency(uow, *agency)
    return add_review(
        uow,
        kind="lcspr",
        title=title,
        subject_pseudonym=subject,
        subject_dob=date(2015, 3, 10),
        scope_from=date(2015, 1, 1) if scoped else None,
        scope_to=date(2017, 12, 31) if scoped else None,
        reference=reference,
    )


def add_police_visit(uow: UnitOfWork, review_uuid: str) -> None:
    """The police's entry of the joint home visit on 22/05/2016: what an imported row of the same visit
    from another agency is a likely duplicate of (and a row of the police's own, a repeat of)."""
    chronology.add_entry(uow, review_uuid, start_date="22/05/2016", agency="Police", source="PPU", event=POLICE_VISIT)


def two_bare_reviews(uow: UnitOfWork) -> tuple[Review, Review]:
    """Rows written as they stand (no register rules): LCSPR-2026-01 of Child A and RR-2026-02 of Child B."""
    lcspr = uow.create(Review, reference="LCSPR-2026-01", kind="lcspr", title="Child A", subject_pseudonym="Child A")
    rapid = uow.create(Review, reference="RR-2026-02", kind="rapid", title="Child B", subject_pseudonym="Child B")
    return lcspr, rapid


def bare_entry(
    uow: UnitOfWork,
    review_uuid: str,
    agency_uuid: str,
    event: str,
    *,
    start_date: str = "2016-05-22",
    date_key: int = 1,
) -> str:
    """A chronology entry row written as it stands (no chronology service); its uuid."""
    return uow.create(
        ChronologyEntry,
        review_uuid=review_uuid,
        start_date=start_date,
        date_key=date_key,
        agency_uuid=agency_uuid,
        event=event,
    ).uuid

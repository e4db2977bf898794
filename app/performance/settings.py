"""The data area's partnership-wide settings: small-number threshold, comparator tolerance, when returns are due.

Stored as exchangeable records with an identity derived from the key, so the
partnership's choice travels between members and merges like any field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.records import UnitOfWork
from db.base import live
from db.models.performance import PerformanceSetting

_NAMESPACE = uuid.UUID("a1d5b0f4-61a4-4c4e-9d0e-2f6b1b7c3e21")
SMALL_NUMBER = "small_number_threshold"
TOLERANCE = "comparator_tolerance_percent"
RETURNS_DUE = "returns_due_days"
DEFAULTS = {SMALL_NUMBER: "5", TOLERANCE: "10", RETURNS_DUE: "30"}
MOST_DAYS_DUE = 366


@dataclass(frozen=True)
class DataSettings:
    #: counts below this are shown as "fewer than N" in every export and pack
    small_number_threshold: int = 5
    #: a gap to a comparator beyond this share of the comparator's value is an exception
    comparator_tolerance_percent: float = 10.0
    #: a quarter's returns are due this many days after it ends: before then no return is missing
    returns_due_days: int = 30


def load_settings(session: Session) -> DataSettings:
    values = dict(DEFAULTS)
    for record in session.scalars(live(PerformanceSetting)):
        values[record.key] = record.value
    try:
        return DataSettings(int(values[SMALL_NUMBER]), float(values[TOLERANCE]), int(values[RETURNS_DUE]))
    except ValueError:
        return DataSettings()


def save_settings(uow: UnitOfWork, settings: DataSettings) -> None:
    """Store every data setting; a caller changing one starts from `load_settings` (`dataclasses.replace`)."""
    if not 1 <= settings.small_number_threshold <= 100:
        raise InvalidInput("The small-number threshold must be a whole number from 1 to 100.")
    if not 0 < settings.comparator_tolerance_percent <= 1000:
        raise InvalidInput("The comparator tolerance must be a percentage above 0.")
    if not 0 <= settings.returns_due_days <= MOST_DAYS_DUE:
        raise InvalidInput(f"Returns must be due from 0 to {MOST_DAYS_DUE} days after the quarter ends.")
    _store(uow, SMALL_NUMBER, str(settings.small_number_threshold))
    _store(uow, TOLERANCE, f"{settings.comparator_tolerance_percent:g}")
    _store(uow, RETURNS_DUE, str(settings.returns_due_days))


def _store(uow: UnitOfWork, key: str, value: str) -> None:
    derived = str(uuid.uuid5(_NAMESPACE, key))
    record = uow.session.get(PerformanceSetting, derived)
    if record is None:
        uow.create(PerformanceSetting, uuid=derived, key=key, value=value, summary=f"Set {key} to {value}")
    elif not record.is_deleted:
        uow.update(record, value=value, summary=f"Set {key} to {value}")

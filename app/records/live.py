"""One live record by its id, or one clear refusal when it is gone; a record's live children.

Every area asks "the record with this id, unless it was deleted (here, or by a
merge)" and says in its own words what is gone; the check is the same for all.
Lists of what belongs to one record (a meeting's agenda items, a review's people)
are asked the same way too: `live_children`, and counted with `live_count` (one
parent) or `live_counts` (every parent at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func

from app.errors import InvalidInput
from db.base import Exchangeable, live

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

R = TypeVar("R", bound=Exchangeable)


def live_or_none(session: Session, model: type[R], uuid: str) -> R | None:
    """The record of `model` with this id; None if there is none or it is deleted."""
    record = session.get(model, uuid)
    if record is None or record.is_deleted:
        return None
    return record


def live_record(session: Session, model: type[R], uuid: str, gone: str) -> R:
    """The record of `model` with this id; InvalidInput(`gone`) if there is none or it is deleted."""
    record = live_or_none(session, model, uuid)
    if record is None:
        raise InvalidInput(gone)
    return record


def live_children(session: Session, model: type[R], parent: Any, parent_uuid: str, *order_by: Any) -> list[R]:
    """The live records of `model` whose `parent` column (e.g. ``AgendaItem.meeting_uuid``) is
    `parent_uuid`, in `order_by` order."""
    return list(session.scalars(live(model).where(parent == parent_uuid).order_by(*order_by)))


def live_count(session: Session, model: type[Exchangeable], parent: Any, parent_uuid: str) -> int:
    """How many live records of `model` have `parent_uuid` in their `parent` column."""
    return session.scalar(live(model).with_only_columns(func.count()).where(parent == parent_uuid)) or 0


def live_counts(session: Session, model: type[Exchangeable], parent: Any) -> dict[str, int]:
    """How many live records of `model` each parent has, by the parent's id (a parent with none is absent)."""
    return dict(session.execute(live(model).with_only_columns(parent, func.count()).group_by(parent)).all())

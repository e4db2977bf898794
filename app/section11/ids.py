"""Identities derived from what a record stands for, so members' copies merge into one.

Two members who each add the Police to the same cycle, or each record the
Police's score for standard 3, make the same UUID; the merge then joins the two
records field by field instead of keeping two.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from db.base import new_uuid

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_NAMESPACE = uuid.UUID("2c9f3a5e-8d1b-4b8e-a3e4-5e11c0f1a0b7")


def derived(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def unused_id(session: Session, model: type, derived_uuid: str) -> str:
    """`derived_uuid`, unless a record of `model` has it already (a deleted one keeps its tombstone, and its
    identity with it): then a new random id."""
    return new_uuid() if session.get(model, derived_uuid) is not None else derived_uuid


def framework_id(key: str) -> str:
    """A shipped framework's identity (the same in every workspace)."""
    return derived("framework", key)


def standard_id(framework_uuid: str, lineage: str) -> str:
    return derived("standard", framework_uuid, lineage)


def participant_id(cycle_uuid: str, agency_uuid: str) -> str:
    return derived("participant", cycle_uuid, agency_uuid)


def assessment_id(participant_uuid: str, standard_uuid: str) -> str:
    return derived("assessment", participant_uuid, standard_uuid)


def interview_id(participant_uuid: str) -> str:
    return derived("interview", participant_uuid)


def letter_id(participant_uuid: str, version: int) -> str:
    """A version of an agency's feedback letter: two members drafting it at once make one letter, not two."""
    return derived("letter", participant_uuid, str(version))


def suggestion_id(participant_uuid: str, reason: str, subject: str) -> str:
    """A suggested line of enquiry: the same suggestion is made once, and stays removed once removed."""
    return derived("enquiry", participant_uuid, reason, subject)


SETTINGS_ID = derived("settings")

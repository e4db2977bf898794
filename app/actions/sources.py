"""Where an action came from, through the kinds the areas register (`app.contributions.ACTION_SOURCES`).

On the command line a source is written PREFIX:TEXT, e.g. ``review:LCSPR-2026-01#3``
(a review's recommendation, registered by the reviews area), ``audit:Neglect audit 2025``,
``inspection:Ofsted ILACS 2025`` or ``none``. A kind without a resolver takes TEXT as a free label.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import (
    ACTION_SOURCES,
    NO_SOURCE,
    ActionSourceKind,
    SourceLocation,
    SourceRef,
)
from app.errors import InvalidInput

AUDIT = "audit"
INSPECTION = "inspection"
NONE = NO_SOURCE

__all__ = [
    "AUDIT",
    "INSPECTION",
    "NONE",
    "SourceRef",
    "locate_source",
    "resolve_source",
    "source_label",
    "source_labels",
    "source_groups",
    "check_kind",
]


def source_labels() -> dict[str, str]:
    """Kind -> label of every registered source kind, in display order."""
    return {kind.kind: kind.label for kind in ACTION_SOURCES.all()}


def source_label(kind: str) -> str:
    registered = ACTION_SOURCES.get(kind)
    return registered.label if registered is not None else kind


def check_kind(kind: str) -> None:
    if ACTION_SOURCES.get(kind) is None:
        raise InvalidInput(f"Unknown action source kind {kind!r}. Use one of: {', '.join(source_labels())}.")


def _usage() -> str:
    examples = [k.example or f"{k.prefix}:..." for k in ACTION_SOURCES.all() if k.kind != NONE]
    return ", ".join([*examples, "none"])


def resolve_source(session: Session, text: str | None) -> SourceRef:
    """Read PREFIX:TEXT; a kind with a resolver checks that its record exists in the workspace."""
    if text is None or not text.strip() or text.strip().casefold() == NONE:
        return SourceRef()
    prefix, sep, rest = text.strip().partition(":")
    prefix = prefix.strip().casefold()
    rest = rest.strip()
    if not sep or not rest:
        raise InvalidInput(f"Source {text!r} is not of the form KIND:TEXT ({_usage()}).")
    kind = _by_prefix(prefix)
    if kind is None:
        prefixes = ", ".join(k.prefix for k in ACTION_SOURCES.all())
        raise InvalidInput(f"Unknown source kind {prefix!r} in {text!r}. Use {prefixes}.")
    if kind.resolve is None:
        return SourceRef(kind.kind, rest)
    return kind.resolve(session, rest)


def _by_prefix(prefix: str) -> ActionSourceKind | None:
    return next((k for k in ACTION_SOURCES.all() if k.prefix == prefix), None)


def source_groups(session: Session) -> list[tuple[str, str]]:
    """(uuid, label) of every record that groups action sources (reviews), for the tracker's filter."""
    return [group for kind in ACTION_SOURCES.all() if kind.groups is not None for group in kind.groups(session)]


def locate_source(session: Session, kind: str, source_uuid: str | None) -> SourceLocation | None:
    """Where the action's source record is shown, if its area knows it."""
    registered = ACTION_SOURCES.get(kind)
    if registered is None or registered.locate is None or not source_uuid:
        return None
    return registered.locate(session, source_uuid)

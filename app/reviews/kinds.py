"""The vocabularies of case reviews: kinds, methods and statuses.

Each is keyed by a short, stable code stored in the database; people may type
the code, the label or an alias (case and punctuation do not matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ReviewKind:
    code: str
    label: str
    prefix: str
    aliases: tuple[str, ...] = ()


REVIEW_KINDS: tuple[ReviewKind, ...] = (
    ReviewKind("rapid", "Rapid review", "RR", ("rapid review", "rr")),
    ReviewKind(
        "lcspr",
        "Local child safeguarding practice review",
        "LCSPR",
        ("cspr", "child safeguarding practice review", "practice review"),
    ),
    ReviewKind("scr", "Serious case review", "SCR", ("serious case review",)),
    ReviewKind("management", "Management review", "MR", ("management review", "mr")),
    ReviewKind("audit", "Multi-agency case audit", "MACA", ("case audit", "multi-agency case audit", "maca")),
    ReviewKind("good-practice", "Good-practice review", "GPR", ("good practice", "good practice review", "gpr")),
)

METHODS: dict[str, str] = {
    "learning-together": "Learning Together (SCIE)",
    "silp": "SILP",
    "imr": "IMR-based review",
    "other": "Other",
}

STATUSES: dict[str, str] = {
    "open": "Open",
    "in-progress": "In progress",
    "draft-report": "Draft report",
    "published": "Published",
    "closed": "Closed",
}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def review_kind(text: str) -> ReviewKind:
    """The kind named by a code, label or alias; the error lists the choices."""
    wanted = _key(text)
    for kind in REVIEW_KINDS:
        if wanted in {_key(kind.code), _key(kind.label), _key(kind.prefix), *map(_key, kind.aliases)}:
            return kind
    choices = ", ".join(k.code for k in REVIEW_KINDS)
    raise InvalidInput(f"Unknown review kind {text!r}. Choose one of: {choices}.")


def _lookup(table: dict[str, str], text: str, what: str) -> str:
    wanted = _key(text)
    for code, label in table.items():
        if wanted in (_key(code), _key(label)):
            return code
    raise InvalidInput(f"Unknown {what} {text!r}. Choose one of: {', '.join(table)}.")


def review_method(text: str) -> str:
    return _lookup(METHODS, text, "review method")


def review_status(text: str) -> str:
    return _lookup(STATUSES, text, "review status")

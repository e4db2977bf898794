"""Human references (ACT-0007, LCSPR-2026-01) that may collide after a merge."""

from __future__ import annotations

from typing import Any

from app.errors import InvalidInput


def unambiguous(found: list[Any], reference: str, kind: str) -> Any:
    """The one record a reference names.

    Members number their records independently, so after a merge two records
    may share a reference. Then refuse, naming them by id, instead of silently
    picking one.
    """
    if len(found) == 1:
        return found[0]
    ids = ", ".join(record.uuid for record in found)
    raise InvalidInput(
        f"{len(found)} {kind}s have the reference {reference!r} (made by different members "
        f"before a merge); name one by its id: {ids}."
    )

"""Unsaved form edits kept across a lock, inside the encrypted store.

On lock the window hands over what every form held unsaved; on the next unlock
it takes them back (and they are gone from the store). They live in the
workspace's local key-value table, never in a file, a setting or a log, and
are not shared with other members (a draft is not a record).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from db.models.core import WorkspaceMeta

if TYPE_CHECKING:
    from app.store.workspace import Workspace

DRAFTS_KEY = "ui_drafts"


def keep_drafts(workspace: Workspace, drafts: list[dict[str, Any]]) -> None:
    """Store `drafts` (replacing any kept before); an empty list clears them."""
    with workspace.unit_of_work() as uow:
        row = uow.session.get(WorkspaceMeta, DRAFTS_KEY)
        if not drafts:
            if row is not None:
                uow.session.delete(row)
            return
        text = json.dumps(drafts, ensure_ascii=False, sort_keys=True)
        if row is None:
            uow.session.add(WorkspaceMeta(key=DRAFTS_KEY, value=text))
        else:
            row.value = text


def take_drafts(workspace: Workspace) -> list[dict[str, Any]]:
    """The drafts kept at the last lock, removed from the store as they are handed back."""
    with workspace.reading() as session:
        row = session.get(WorkspaceMeta, DRAFTS_KEY)
        if row is None:
            return []
        try:
            drafts = json.loads(row.value)
        except ValueError:
            drafts = []
    keep_drafts(workspace, [])
    return [d for d in drafts if isinstance(d, dict)] if isinstance(drafts, list) else []

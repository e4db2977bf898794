"""Undoable edits of chronology entries (QUndoStack commands), one unit of work each.

A deleted entry is a content-less tombstone; the command keeps what it held
(``DeletedEntry``, in memory only) and undoing the deletion restores a live copy
of that with a NEW uuid (``restore_entry``). ``EntryIds`` remembers old -> new so
that every command further down the stack still finds its entry.

Each command's work runs once before it is pushed (so a refused edit never
reaches the stack); ``push`` then skips that first ``redo``. QUndoStack calls
``undo``/``redo`` from C++, where a Python exception cannot reach the caller: a
refusal there is handed to the context's ``on_refused`` for the chronology tab to show.
Every command takes the same ``EntryCommandContext``, which the tab builds once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.chronology.service import (
    DeletedEntry,
    add_entry,
    delete_entry,
    duplicate_entry,
    entry_episode_uuids,
    entry_values,
    get_entry,
    restore_entry,
    set_entry_episodes,
    update_entry,
)
from app.dates.fuzzy import FuzzyDate
from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.store.workspace import Workspace
from ui.kit.write import write_or_raise

Publish = Callable[[ChangeSet], None]
#: told of an undo or redo the workspace refused (the stack has moved on regardless)
Refused = Callable[[WorkbenchError], None]


class EntryIds:
    """Follows an entry across delete/restore cycles (each restore gives a new uuid)."""

    def __init__(self) -> None:
        self._moved: dict[str, str] = {}

    def current(self, uuid: str) -> str:
        seen = set()
        while uuid in self._moved and uuid not in seen:
            seen.add(uuid)
            uuid = self._moved[uuid]
        return uuid

    def moved(self, old: str, new: str) -> None:
        if old != new:
            self._moved[old] = new


@dataclass(frozen=True)
class EntryCommandContext:
    """What every entry command of one chronology tab shares, so the tab hands it over in one piece."""

    workspace: Workspace
    #: shared by all the tab's commands: an entry restored by one is found by the others
    ids: EntryIds
    publish: Publish
    on_refused: Refused


class _EntryCommand(QUndoCommand):
    def __init__(self, text: str, context: EntryCommandContext) -> None:
        super().__init__(text)
        self.workspace = context.workspace
        self.ids = context.ids
        self.publish = context.publish
        self.on_refused = context.on_refused
        self._skip_redo = False
        #: what each entry this command deleted held, by its uuid: the tombstone keeps nothing
        self.deleted: dict[str, DeletedEntry] = {}

    def _write(self, work: Callable[[UnitOfWork], Any]) -> Any:
        """The kit's write, raising on a refusal: the chronology tab shows it and keeps the stack as it was
        (or, for undo and redo, clears it)."""
        return write_or_raise(self.workspace, work, self.publish)

    def first_run(self) -> None:
        """Do the work now (errors propagate, nothing is pushed); the stack's first redo is skipped."""
        self.do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._step(self.do)

    def undo(self) -> None:
        self._step(self.revert)

    def _step(self, step: Callable[[], None]) -> None:
        """An undo or redo from the stack: a refusal cannot propagate through C++, so it is reported."""
        try:
            step()
        except WorkbenchError as exc:
            self.on_refused(exc)

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _restore(self, uuid: str) -> str:
        """Bring an entry this command deleted back; returns its (new) uuid."""
        old = self.ids.current(uuid)
        kept = self.deleted.pop(old)
        new = self._write(lambda uow: restore_entry(uow, kept).uuid)
        self.ids.moved(old, new)
        return new

    def _delete(self, uuid: str) -> None:
        current = self.ids.current(uuid)
        self.deleted[current] = self._write(lambda uow: delete_entry(uow, current))


class EditEntry(_EntryCommand):
    """Change fields (and the episode checklist) of one entry."""

    def __init__(
        self,
        context: EntryCommandContext,
        uuid: str,
        changes: dict[str, Any],
        episodes: list[str] | None = None,
    ) -> None:
        super().__init__("Edit entry", context)
        self.uuid = uuid
        self.changes = changes
        self.episodes = episodes
        with context.workspace.reading() as session:
            entry = get_entry(session, uuid)
            values = entry_values(entry)
            self.old_episodes = entry_episode_uuids(session, uuid)
        for name in ("start_date", "end_date"):  # stored text back to a date the service re-reads exactly
            if values.get(name):
                values[name] = FuzzyDate.from_storage(values[name])
        self.before = {name: values[name] for name in changes if name in values}

    def _apply(self, values: dict[str, Any], episodes: list[str] | None) -> None:
        uuid = self.ids.current(self.uuid)

        def work(uow: UnitOfWork) -> None:
            if values:
                update_entry(uow, uuid, **values)
            if episodes is not None:
                set_entry_episodes(uow, uuid, episodes)

        self._write(work)

    def do(self) -> None:
        self._apply(self.changes, self.episodes)

    def revert(self) -> None:
        self._apply(self.before, self.old_episodes if self.episodes is not None else None)


class _NewEntry(_EntryCommand):
    """A command that makes one entry: the first do() creates it, undo deletes it, redo restores it."""

    uuid: str | None = None

    def _create(self, uow: UnitOfWork) -> str:
        raise NotImplementedError

    def do(self) -> None:
        if self.uuid is None:
            self.uuid = self._write(self._create)
        else:
            self._restore(self.uuid)

    def revert(self) -> None:
        assert self.uuid is not None
        self._delete(self.uuid)  # keeps what it held, for the redo


class AddEntry(_NewEntry):
    def __init__(
        self,
        context: EntryCommandContext,
        review_uuid: str,
        values: dict[str, Any],
        episodes: list[str],
    ) -> None:
        super().__init__("Add entry", context)
        self.review_uuid = review_uuid
        self.values = values
        self.episodes = episodes

    def _create(self, uow: UnitOfWork) -> str:
        values = dict(self.values)
        return add_entry(
            uow,
            self.review_uuid,
            start_date=values.pop("start_date"),
            agency=values.pop("agency_uuid"),
            source=values.pop("source"),
            event=values.pop("event"),
            episodes=self.episodes,
            **values,
        ).uuid


class DuplicateEntry(_NewEntry):
    def __init__(self, context: EntryCommandContext, source_uuid: str) -> None:
        super().__init__("Duplicate entry", context)
        self.source_uuid = source_uuid

    def _create(self, uow: UnitOfWork) -> str:
        return duplicate_entry(uow, self.ids.current(self.source_uuid)).uuid


class DeleteEntries(_EntryCommand):
    def __init__(self, context: EntryCommandContext, uuids: list[str]) -> None:
        what = f"Delete {len(uuids)} entr{'y' if len(uuids) == 1 else 'ies'}"
        super().__init__(what, context)
        self.uuids = list(uuids)

    def do(self) -> None:
        current = [self.ids.current(u) for u in self.uuids]

        def work(uow: UnitOfWork) -> list[DeletedEntry]:
            return [delete_entry(uow, uuid) for uuid in current]

        for kept in self._write(work):
            self.deleted[kept.uuid] = kept

    def revert(self) -> None:
        current = [self.ids.current(u) for u in self.uuids]
        kept = [self.deleted.pop(uuid) for uuid in current]

        def work(uow: UnitOfWork) -> list[str]:
            return [restore_entry(uow, each).uuid for each in kept]

        for old, new in zip(current, self._write(work), strict=False):
            self.ids.moved(old, new)

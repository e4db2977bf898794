"""The one way a widget writes: a unit of work, its error in a dialog, its changes published.

Six places used to hand-roll this; forms and dialogs outside an area page call
`run_write` directly, area pages call `AreaContext.write`. A caller that must learn
of a refusal by its exception (an undo command: the stack must not move) calls
`write_or_raise`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QWidget

from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from ui import messages

if TYPE_CHECKING:
    from app.store.workspace import Workspace

T = TypeVar("T")


def in_one_unit(workspace: Workspace, work: Callable[[UnitOfWork], T]) -> tuple[T, ChangeSet]:
    """`work(uow)` in one transaction: its result and what it changed. A refusal propagates; nothing is written."""
    with workspace.unit_of_work() as uow:
        result = work(uow)
    return result, uow.changes


def write_or_raise(workspace: Workspace, work: Callable[[UnitOfWork], T], publish: Callable[[ChangeSet], None]) -> T:
    """`work(uow)` in one transaction, its changes published; a `WorkbenchError` propagates before anything
    is published (the caller shows it)."""
    result, changes = in_one_unit(workspace, work)
    publish(changes)
    return result


def run_write(
    parent: QWidget | None,
    workspace: Workspace,
    title: str,
    work: Callable[[UnitOfWork], T],
    publish: Callable[[ChangeSet], None],
    on_done: Callable[[T], None] | None = None,
    on_refused: Callable[[WorkbenchError], None] | None = None,
) -> bool:
    """`work(uow)` in one transaction; False if it was refused.

    A refusal goes to `on_refused` (a form showing it beside its fields) or else to a
    dialog titled `title`.
    """
    try:
        result, changes = in_one_unit(workspace, work)
    except WorkbenchError as exc:
        refused(parent, title, exc, on_refused)
        return False
    publish(changes)
    if on_done is not None:
        on_done(result)
    return True


def refused(
    parent: QWidget | None, title: str, error: WorkbenchError, on_refused: Callable[[WorkbenchError], None] | None
) -> None:
    """Tell of a refused write: to `on_refused` if given, else in a dialog titled `title`."""
    if on_refused is not None:
        on_refused(error)
    else:
        messages.show_error(parent, title, error.message)

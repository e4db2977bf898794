"""The one way a widget writes: a unit of work, its error in a dialog, its changes published.

Six places used to hand-roll this; forms and dialogs outside an area page call
`run_write` directly, area pages call `AreaContext.write`.
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
        with workspace.unit_of_work() as uow:
            result = work(uow)
    except WorkbenchError as exc:
        if on_refused is not None:
            on_refused(exc)
        else:
            messages.show_error(parent, title, exc.message)
        return False
    publish(uow.changes)
    if on_done is not None:
        on_done(result)
    return True

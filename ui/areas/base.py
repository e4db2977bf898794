"""The contract between the main window and its areas.

An area is a module in `ui/areas/` that defines `AREA = AreaSpec(...)`. The main
window lists the areas in its navigation, builds each page when the workspace
is unlocked and destroys every page when it locks (so no model keeps case data
in memory). Pages talk to `app/` services only, through `AreaContext`.

    AREA = AreaSpec(key="actions", title="Actions", order=40, factory=ActionsPage)

    class ActionsPage(AreaPage):
        def __init__(self, context: AreaContext) -> None:
            super().__init__(context)
            ...  # build widgets, load data with context.workspace.reading()

        def on_changes(self, changes: ChangeSet) -> None:
            if changes.touches("action", "progress_update"):
                self.reload()

Writes that may take more than a moment go through `context.run(...)`, which
runs the function off the GUI thread with a progress dialog and hands back the
result (for a unit of work: return `uow.changes` and let `context.publish`
tell every page).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.records import ChangeSet

if TYPE_CHECKING:
    from app.store.workspace import Workspace
    from ui.operations import Progress


class AreaContext:
    """What a page may use: the workspace, background runs, change broadcasts."""

    def __init__(self, workspace: "Workspace", window: QWidget,
                 runner: Callable[..., None], publisher: Callable[[ChangeSet], None],
                 status: Callable[[str], None], navigate: Callable[[str], None]) -> None:
        self.workspace = workspace
        self.window = window
        self._runner = runner
        self._publisher = publisher
        self._status = status
        self._navigate = navigate

    def run(self, label: str, work: Callable[["Progress"], Any], on_done: Callable[[Any], None] | None = None,
            *, cancellable: bool = False) -> None:
        """Run `work(progress)` in a worker thread; `on_done(result)` runs on the GUI thread.

        Errors (WorkbenchError) are shown to the user in a dialog by the window.
        If the result is a ChangeSet it is published to every page first.
        """
        self._runner(label, work, on_done, cancellable)

    def publish(self, changes: ChangeSet) -> None:
        self._publisher(changes)

    def show_status(self, text: str) -> None:
        self._status(text)

    def navigate(self, area_key: str) -> None:
        self._navigate(area_key)


class AreaPage(QWidget):
    """Base of every area page. Subclasses build their widgets in __init__."""

    def __init__(self, context: AreaContext) -> None:
        super().__init__()
        self.context = context

    def on_changes(self, changes: ChangeSet) -> None:
        """Refresh if the change set touches what this page shows. Default: nothing."""

    def area_actions(self) -> list[QAction]:
        """Actions for the window's area menu and toolbar while this page is shown."""
        return []

    def shutdown(self) -> None:
        """Drop models and data before the page is destroyed on lock."""


@dataclass(frozen=True)
class AreaSpec:
    key: str
    title: str
    order: int
    factory: Callable[[AreaContext], AreaPage]
    description: str = ""
    #: optional short text for the status bar (e.g. "3 unresolved conflicts"),
    #: recomputed after unlock and after every published change set; "" hides it
    status_provider: Callable[["Workspace"], str] | None = None

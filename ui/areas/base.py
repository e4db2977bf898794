"""The contract between the main window and its areas.

An area is a module in `ui/areas/` that defines `AREA = AreaSpec(...)`. The main
window lists the areas in its navigation, builds each page the first time it is
shown and destroys every page when it locks (so no model keeps case data
in memory). Pages talk to `app/` services only, through `AreaContext`.

    AREA = AreaSpec(key="actions", title="Actions", order=40, factory=ActionsPage)

    class ActionsPage(AreaPage):
        def __init__(self, context: AreaContext) -> None:
            super().__init__(context)
            ...  # build widgets, load data with context.workspace.reading()

        def on_changes(self, changes: ChangeSet) -> None:
            if changes.touches("action", "progress_update"):
                self.reload()

Writes go through one call, in the spirit of Anki's `CollectionOp`:

    self.context.write("Save finding", lambda uow: save_finding(uow, ...), initiator=self)

runs the service in one unit of work, shows a `WorkbenchError` in a dialog (and
returns False), and publishes the change set with the widget that made it, so
that widget can tell its own saves from others' (`ChangeSet` handlers read
`self.context.initiator`). `background=True` runs it off the GUI thread with a
progress dialog, for work that can take long.

A page that is not visible does not reload on every change: it keeps the
change sets it missed and handles them together when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.errors import WorkbenchError
from app.records import ChangeSet, UnitOfWork
from app.store.user_files import write_user_file
from ui.kit import files
from ui.kit.announce import speak
from ui.kit.edit_guard import give_back_typing, typed_inside
from ui.kit.write import in_one_unit, refused, run_write

T = TypeVar("T")

if TYPE_CHECKING:
    from app.store.workspace import Workspace
    from ui.kit.edit_guard import Draft
    from ui.operations import Progress


#: Forms an area owns and other areas may open ("new_action": the tracker's new-action form),
#: each `opener(parent, workspace, *args, **kwargs) -> QWidget`; filled by the owning area's module.
FORM_OPENERS: dict[str, Callable[..., QWidget]] = {}


class AreaContext:
    """What a page may use: the workspace, background runs, change broadcasts."""

    def __init__(
        self,
        workspace: Workspace,
        window: QWidget,
        runner: Callable[..., None],
        publisher: Callable[[ChangeSet, object | None], None],
        status: Callable[[str], None],
        navigate: Callable[[str], None],
    ) -> None:
        self.workspace = workspace
        self.window = window
        self._runner = runner
        self._publisher = publisher
        self._status = status
        self._navigate = navigate
        #: the object that made the change set being handled now (None: another member, a merge...)
        self.initiator: object | None = None

    def run(
        self,
        label: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        cancellable: bool = False,
    ) -> None:
        """Run `work(progress)` in a worker thread; `on_done(result)` runs on the GUI thread.

        Errors (WorkbenchError) are shown to the user in a dialog by the window.
        If the result is a ChangeSet it is published to every page first.
        """
        self._runner(label, work, on_done, cancellable)

    def write(
        self,
        title: str,
        work: Callable[[UnitOfWork], T],
        *,
        initiator: object | None = None,
        on_done: Callable[[T], None] | None = None,
        background: bool = False,
        on_refused: Callable[[WorkbenchError], None] | None = None,
    ) -> bool:
        """Run `work(uow)` in one unit of work and publish its changes; see the module docstring.

        In the foreground returns whether it was written; in the background returns True at once
        and calls `on_done(result)` once written. Either way a refusal goes to `on_refused`, or
        else to a dialog titled `title`.
        """
        if background:
            self.write_in_steps(
                title, lambda uow, _progress: work(uow), initiator=initiator, on_done=on_done, on_refused=on_refused
            )
            return True
        return run_write(
            self.window,
            self.workspace,
            title,
            work,
            lambda changes: self.publish(changes, initiator),
            on_done,
            on_refused,
        )

    def write_in_steps(
        self,
        title: str,
        work: Callable[[UnitOfWork, Progress], T],
        *,
        initiator: object | None = None,
        on_done: Callable[[T], None] | None = None,
        on_refused: Callable[[WorkbenchError], None] | None = None,
        cancellable: bool = False,
    ) -> None:
        """`write` in the background for long work that reports `progress` (and, `cancellable`, may be
        stopped: cancelling raises inside the unit of work, which then writes nothing). A lock cancels it
        too, whatever `cancellable` says: up to its commit, a lock leaves nothing of it written."""
        workspace = self.workspace

        def steps(uow: UnitOfWork, progress: Progress) -> T:
            result = work(uow, progress)
            # the work checks between its steps only: a lock (or Cancel) after its last check, while it
            # finished, would otherwise still be committed after the window locked
            progress.check()
            return result

        def in_worker(progress: Progress) -> tuple[T, ChangeSet] | WorkbenchError:
            try:
                return in_one_unit(workspace, lambda uow: steps(uow, progress))
            except WorkbenchError as exc:  # told on the GUI thread, under this write's own title
                return exc

        def finished(outcome: tuple[T, ChangeSet] | WorkbenchError) -> None:
            if isinstance(outcome, WorkbenchError):
                refused(self.window, title, outcome, on_refused)
                return
            result, changes = outcome
            self.publish(changes, initiator)
            if on_done is not None:
                on_done(result)

        self._runner(title, in_worker, finished, cancellable)

    def save_generated(
        self, label: str, path: str, make: Callable[[Any], bytes], on_done: Callable[[Path], None]
    ) -> None:
        """In a worker, write the bytes `make(session)` reads from the workspace to `path`, a name the
        save dialog gave (it asked before replacing a file); `on_done(path written)` runs on the GUI thread."""
        workspace = self.workspace

        def work(progress: Progress) -> Path:
            with workspace.reading() as session:
                data = make(session)
            progress.check()  # a lock meanwhile cancels it: nothing of a locked workspace is written
            return write_user_file(path, data, overwrite=True)

        self.run(label, work, on_done)

    def save_generated_as(
        self,
        parent: QWidget,
        caption: str,
        suggested: str,
        filters: str,
        label: str,
        make: Callable[[Any], bytes],
        on_done: Callable[[Path], None],
    ) -> None:
        """Ask where to save (`files.save_file`), then `save_generated` there; nothing when the user cancels."""
        path = files.save_file(parent, caption, suggested, filters)
        if path:
            self.save_generated(label, path, make, on_done)

    def publish(self, changes: ChangeSet, initiator: object | None = None) -> None:
        self._publisher(changes, initiator)

    def made_by(self, widget: object) -> bool:
        """Is the change set being handled now the result of `widget`'s own write?"""
        return self.initiator is not None and self.initiator is widget

    def open_form(self, name: str, parent: QWidget, *args: Any, **kwargs: Any) -> QWidget:
        """Open a form another area owns, found by name in FORM_OPENERS (areas never import each other)."""
        if name not in FORM_OPENERS:
            from ui.areas import discover_areas

            discover_areas()
        return FORM_OPENERS[name](parent, self.workspace, *args, **kwargs)

    def show_status(self, text: str) -> None:
        """A result or a hint in the status bar, announced to screen readers (it is no dialog)."""
        self._status(text)
        speak(self.window, text)

    def navigate(self, area_key: str) -> None:
        self._navigate(area_key)


class RegisterStack(QStackedWidget):
    """The whole of an area page: its register at index 0, a record opened from it shown on top."""

    def __init__(self, page: QWidget, register: QWidget) -> None:
        super().__init__()
        self.addWidget(register)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self)

    def push(self, view: QWidget) -> None:
        """Show `view` (a record opened from the register) in place of the register."""
        self.addWidget(view)
        self.setCurrentWidget(view)

    def drop(self, view: QWidget) -> None:
        """Take `view` out for good (the caller has let it save or shut down)."""
        self.removeWidget(view)
        view.deleteLater()


class AreaPage(QWidget):
    """Base of every area page. Subclasses build their widgets in __init__."""

    def __init__(self, context: AreaContext) -> None:
        super().__init__()
        self.context = context
        self._missed: ChangeSet | None = None

    def on_changes(self, changes: ChangeSet) -> None:
        """Refresh if the change set touches what this page shows. Default: nothing."""

    def deliver(self, changes: ChangeSet, initiator: object | None) -> None:
        """From the window: handle now if shown, else remember for when the page is shown."""
        if self.isHidden():  # another area is shown (the stack hides the rest)
            if self._missed is None:
                self._missed = ChangeSet()
            self._missed.merge(changes)
            return
        self._handle(changes, initiator)

    def catch_up(self) -> None:
        """Handle the change sets missed while hidden (called when the page is shown)."""
        if self._missed is not None:
            missed, self._missed = self._missed, None
            self._handle(missed, None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.catch_up()

    def _handle(self, changes: ChangeSet, initiator: object | None) -> None:
        typed = typed_inside(self)  # a reload shows the stored values: what is typed must survive it
        self.context.initiator = initiator
        try:
            self.on_changes(changes)
        finally:
            self.context.initiator = None
        give_back_typing(typed)

    def restore_draft(self, draft: Draft) -> bool:
        """Unsaved edits kept at the last lock: show their record and form again. False: not ours."""
        return False

    def on_backed_up(self) -> None:
        """A restore point was written (it is no record change, so no change set says so). Default: nothing."""

    def area_actions(self) -> list[QAction]:
        """Actions for the window's area menu and toolbar while this page is shown."""
        return []

    def main_view(self) -> QWidget | None:
        """Where Ctrl+1..9 puts the focus on a first visit: the page's list, so Enter opens its row
        (None: the first control in the tab order)."""
        return None

    def shutdown(self) -> None:
        """Drop models and data before the page is destroyed on lock."""

    def open_on(self, context: AreaContext) -> None:
        """A page built ahead of unlock (`AreaSpec.built_ahead`) takes the workspace and shows its data."""
        self.context = context


@dataclass(frozen=True)
class AreaSpec:
    key: str
    title: str
    order: int
    factory: Callable[[AreaContext], AreaPage]
    description: str = ""
    #: optional short text for the status bar (e.g. "3 unresolved conflicts"),
    #: recomputed after unlock and after every published change set; "" hides it
    status_provider: Callable[[Workspace], str] | None = None
    #: optional: the page's widgets alone, holding nothing of any workspace, built while the lock screen
    #: waits (MainWindow.build_pages_ahead); unlocking then only fills them (`AreaPage.open_on`)
    built_ahead: Callable[[], AreaPage] | None = None

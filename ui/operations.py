"""Background operations with progress, in the manner of Anki's `aqt.operations`.

The work function runs in a worker thread and must not touch widgets; it may
report progress and check for cancellation through `Progress`. Its result (or
error) comes back to the GUI thread by signal. While it runs, a modal progress
dialog keeps the user from starting a second operation on the same workspace.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import WorkbenchError

_log = logging.getLogger("workbench.operations")


#: wide enough for the window title and a label such as "Checking 50,000 rows of Police.xlsx…"
PROGRESS_MIN_WIDTH = 440


class Cancelled(Exception):
    """Raised inside the work function when the user cancelled."""


class Progress:
    """Handed to the work function; thread-safe."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancelled = threading.Event()

    @classmethod
    def unwatched(cls) -> Progress:
        """Progress for work run in line (the tests' runner): reported to no one, never cancelled."""
        return cls(_Relay())

    def report(self, done: int, total: int, text: str = "") -> None:
        self._relay.progressed.emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancelled.set()


class _Relay(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], progress: Progress, relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._progress = progress
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:
            self._relay.failed.emit(exc, traceback.format_exc())
        else:
            self._relay.succeeded.emit(result)


class _Receiver(QObject):
    """Takes a job's result or error on the GUI thread: `_end()` first, then the caller's callback."""

    #: what the log calls a job that failed
    what = "background job"

    def __init__(
        self, parent: QObject, on_done: Callable[[Any], object] | None, on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__(parent)
        # let go of once called: the callback holds the page that asked, and with it the records it showed
        self._on_done = on_done
        self._on_error = on_error

    def _end(self) -> None:
        """What the receiver does once the job is over, before the callback runs."""

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._end()
        on_done, self._on_done = self._on_done, None
        if on_done is not None:
            on_done(result)

    @Slot(object, str)
    def _failed(self, error: BaseException, trace: str) -> None:
        self._end()
        if not isinstance(error, (WorkbenchError, OSError, Cancelled)):
            # a fault of ours (a file or disk refusing is not: the user is told which):
            # keep the worker's traceback for the report (stderr only, never a file)
            _log.error("%s failed:\n%s", self.what, trace)
        self._on_done = None
        self._on_error(error)


class Operation(_Receiver):
    """One running background operation. Keep a reference until it finishes."""

    finished = Signal()
    what = "background operation"

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None],
        cancellable: bool = False,
        show_after_ms: int = 300,
    ) -> None:
        super().__init__(parent, on_done, on_error)
        self._relay = _Relay()
        self.progress = Progress(self._relay)
        self.running = True
        self._dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        self._dialog.setWindowTitle("Safeguarding Workbench")
        self._dialog.setMinimumWidth(PROGRESS_MIN_WIDTH)  # the window manager cut its title to "Safeg… bench"
        self._dialog.setAccessibleName(label)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(show_after_ms)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        if not cancellable:
            self._dialog.setCancelButton(None)
        self._dialog.canceled.connect(self.progress.cancel)
        self._relay.progressed.connect(self._on_progress)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self._dialog.setValue(0)
        QThreadPool.globalInstance().start(_Job(work, self.progress, self._relay))

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if text:
            self._dialog.setLabelText(text)

    def _end(self) -> None:
        self.running = False
        self._dialog.reset()
        self._dialog.hide()
        self._dialog.deleteLater()
        self.finished.emit()
        self.deleteLater()  # a finished operation left under the window kept every page it served after a lock


class _Quiet(_Receiver):
    """Receives a quiet job's result on the GUI thread (slots of a GUI-thread object)."""

    def __init__(
        self, parent: QObject, on_done: Callable[[Any], object], on_error: Callable[[BaseException], None]
    ) -> None:
        super().__init__(parent, on_done, on_error)
        self.relay = _Relay(self)
        self.relay.succeeded.connect(self._succeeded)
        self.relay.failed.connect(self._failed)

    def _end(self) -> None:
        self.deleteLater()


def run_quietly(
    parent: QObject,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], object],
    on_error: Callable[[BaseException], None],
) -> None:
    """Run `work` in the thread pool without a progress dialog; the callbacks run on the GUI thread.

    For housekeeping the member need not wait for (the backup made on unlock).
    """
    receiver = _Quiet(parent, on_done, on_error)
    QThreadPool.globalInstance().start(_Job(work, Progress(receiver.relay), receiver.relay))


def wait_for_idle() -> None:
    """Block until every background job has finished (for shutdown and tests)."""
    QThreadPool.globalInstance().waitForDone()

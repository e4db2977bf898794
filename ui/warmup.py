"""Start fast, then get ready: the lock screen first, the heavy imports behind it.

`run_gui` shows the window, and after its first paint starts one background
thread that imports what unlocking and the area pages will need (the database
stack, the areas with matplotlib, openpyxl, reportlab...). By the time the
member has typed a passphrase most of it is loaded; whatever is not loads on
first use as before. The GUI thread calls `wait()` before it imports area
modules itself, so two threads never race through the same imports.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app import timing

#: imported in this order: unlocking needs the first ones, the pages the rest
MODULES = ("app.store.workspace", "ui.dialogs.unlock", "ui.areas.base", "zxcvbn")

_thread: threading.Thread | None = None


class _Finished(QObject):
    """Tells the GUI thread that the warm-up is done (a signal emitted from its thread is queued)."""

    finished = Signal()


_finished: _Finished | None = None


def _import_all() -> None:
    for name in MODULES:
        importlib.import_module(name)
    import ui.areas

    for module in pkgutil.iter_modules(ui.areas.__path__):
        importlib.import_module(f"ui.areas.{module.name}")
    # every model is imported now: alembic reads the migration scripts (0.7 s of a cold unlock)
    # and the ORM sets up its mappers here rather than on the first query
    from app.store.warm import warm_up

    warm_up()
    # the statutory clocks on the status bar build England's bank holidays by rule (0.4 s, cached)
    from app.dates.workdays import bank_holidays

    this_year = date.today().year
    for year in (this_year - 1, this_year, this_year + 1):
        bank_holidays(year)


def _quietly() -> None:
    try:
        _import_all()
    except Exception:  # only a head start: what failed here is imported again, and reported, when used
        logging.getLogger("workbench.warmup").warning("warm-up stopped early", exc_info=True)
        timing.mark("warm_up_done")
        return
    timing.mark("warm_up_done")
    if _finished is not None:
        _finished.finished.emit()


def done() -> bool:
    return _thread is not None and not _thread.is_alive()


def start(then: Callable[[], None] | None = None) -> None:
    """Import in the background (once); `then` (a method of a QObject of the GUI thread) is called
    there once every import succeeded."""
    global _thread, _finished
    if _thread is None:
        if then is not None:
            _finished = _Finished()
            _finished.finished.connect(then, Qt.ConnectionType.QueuedConnection)
        _thread = threading.Thread(target=_quietly, name="workbench-warm-up", daemon=True)
        _thread.start()


def wait() -> None:
    """Let a running warm-up finish (called on the GUI thread before it imports areas)."""
    if _thread is not None and _thread.is_alive() and _thread is not threading.current_thread():
        _thread.join()


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, callback)  # after the paint: the event loop is running, input works
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call `callback` once `widget` has been painted and the event loop takes input."""
    _FirstPaint(widget, callback)

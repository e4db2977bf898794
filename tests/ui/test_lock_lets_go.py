"""A lock lets go of every page: no Python object of a page, panel or model outlives its widget.

The pages' Python side holds what they showed (rows, names, figures). Destroying the widgets at a lock
is not enough if something still refers to the Python objects: a finished background operation, left
under the window with the callback of the page that asked for it, kept every such page for the
rest of the session.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from app.store.workspace import Workspace
from tests.helpers.shell import wait_for_idle
from ui.main_window import MainWindow
from ui.operations import Operation


def _kept_after_destruction() -> list[str]:
    """Python objects of destroyed Qt objects that carry state of their own (attributes set by our code)."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()
    return sorted(
        type(obj).__qualname__
        for obj in gc.get_objects()
        if isinstance(obj, QObject) and not isValid(obj) and getattr(obj, "__dict__", None)
    )


def test_after_a_lock_no_page_of_the_session_is_kept(window: MainWindow, demo_workspace: Workspace) -> None:
    window._on_unlocked(demo_workspace)
    for spec in window.areas:  # each area loads in the background, as when the member goes through them
        window.show_area(spec.key)
        wait_for_idle()
        QApplication.processEvents()
    pages = {type(page).__qualname__ for page in window.pages.values()}
    assert "PerformancePage" in pages  # the page the old code kept

    window.lock()
    wait_for_idle()
    kept = _kept_after_destruction()

    assert not pages & set(kept), f"pages kept after the lock: {sorted(pages & set(kept))}"
    assert kept == []
    assert window.findChildren(Operation) == []  # finished operations go too

"""Keep `None` alive under PySide6 6.12 on Python 3.11.

PySide6 6.12.0 returns `None` from every Qt method that returns nothing (setText, QTimer.start,
update...) without taking a reference to it. Python 3.12 made `None` immortal, so there the lost
references do no harm; on 3.11 each call takes one away, and once a session has made more such calls
than `None` has references Python frees `None` and aborts with "none_dealloc", taking unsaved typing
with it. Measured here: 20,000 `QLabel.setText` calls abort a bare interpreter; in the window on the
demo workspace each visit to Performance data took about 470 references, and the 321st visit aborted.

The fix is the one Python 3.12 made: give `None` a reference count no session can use up. Done
once, when `ui` is first imported, before any Qt call. Remove it when PySide6 returns `None`
correctly or the project requires Python 3.12 (tests/ui/test_none_refcount.py says which).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 48  # references: a billion calls a second would take three days to use them up


def needed() -> bool:
    """True where `None` is mortal and its count is the object's first word (CPython 3.11 release builds)."""
    return (
        sys.implementation.name == "cpython"
        and sys.version_info < (3, 12)
        and not hasattr(sys, "gettotalrefcount")  # a debug build puts trace links before the count
    )


def keep_none_alive() -> None:
    if needed():
        ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM

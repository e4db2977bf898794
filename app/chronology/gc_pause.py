"""Cyclic garbage collection paused while many small rows are built or streamed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside: rows of plain values hold no cycles, and with a large heap each
    collection walks every object alive (a tenth to a third of a 100,000-row load or import)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

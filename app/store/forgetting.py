"""Caches of workspace text kept in memory for speed, dropped at every lock.

The anonymiser caches folded words and compiled name patterns (the names of a family among them) so that
a chronology is not re-read word by word. Locking is the member's promise that nothing of the workspace stays
readable, so each such cache registers here and the workspace clears them all when it locks.
"""

from __future__ import annotations

from collections.abc import Callable

_CLEARERS: list[Callable[[], None]] = []


def forget_at_lock(clear: Callable[[], None]) -> Callable[[], None]:
    """Have `clear` called at every lock; returns it, so it can decorate the module's own clearing function."""
    _CLEARERS.append(clear)
    return clear


def forget_cached_text() -> None:
    """Clear every registered cache (the workspace's lock calls this)."""
    for clear in _CLEARERS:
        clear()

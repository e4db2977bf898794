"""Hybrid logical clock stamps for per-field merge.

A stamp is (wall milliseconds, counter, member id). Stamps from one clock only
grow, stamps of different members never tie (the member id breaks ties), and a
stamp received from a peer moves our clock forward so that a later local edit
beats it. The string form sorts like the tuple, so stamps can be compared and
indexed as plain text in the database.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

_STAMP_RE = re.compile(r"^(\d{15})\.(\d{6})\.([0-9a-f]{32})\Z")

#: How far ahead of our own wall clock a peer's stamp may be. Without a bound,
#: one laptop with its clock set a day ahead would win every edit for a day.
#: A bundle carrying a stamp further ahead than this is refused whole (see
#: docs/merge.md): clamping it instead would make members store different
#: stamps and break convergence. Our own clock never jumps further than this.
MAX_DRIFT_MS = 5 * 60 * 1000


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    member: str  # 32 lowercase hex digits (a UUID without dashes)

    def __str__(self) -> str:
        return f"{self.wall_ms:015d}.{self.counter:06d}.{self.member}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        match = _STAMP_RE.match(text)
        if not match:
            raise ValueError(f"not a change stamp: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)), match.group(3))


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """One member's clock. Not thread-safe: owned by one unit of work at a time."""

    def __init__(self, member: str, last: Stamp | None = None, wall: Callable[[], int] = now_ms) -> None:
        if not re.fullmatch(r"[0-9a-f]{32}", member):
            raise ValueError("member id must be 32 lowercase hex digits")
        self.member = member
        self._wall = wall
        self._last_wall = last.wall_ms if last else 0
        self._last_counter = last.counter if last else 0

    @property
    def last(self) -> Stamp:
        return Stamp(self._last_wall, self._last_counter, self.member)

    def tick(self) -> Stamp:
        """A new stamp for a local change, greater than every stamp seen."""
        wall = self._wall()
        if wall > self._last_wall:
            self._last_wall, self._last_counter = wall, 0
        else:
            self._last_counter += 1
        return self.last

    def observe(self, remote: Stamp) -> None:
        """Move forward past a received stamp, never beyond the drift bound."""
        bound = self._wall() + MAX_DRIFT_MS
        remote_wall = min(remote.wall_ms, bound)
        if remote_wall > self._last_wall:
            self._last_wall, self._last_counter = remote_wall, remote.counter
        elif remote_wall == self._last_wall:
            self._last_counter = max(self._last_counter, remote.counter)

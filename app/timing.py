"""Wall-clock marks of start-up milestones (the start-up benchmark and probe read them).

Pure Python and always on: a mark is one dict write. Holds names and times only,
never anything of a workspace's content.
"""

from __future__ import annotations

import time

_marks: dict[str, float] = {}


def mark(name: str) -> None:
    """Record when `name` first happened (epoch seconds, comparable across processes)."""
    _marks.setdefault(name, time.time())


def marks() -> dict[str, float]:
    return dict(_marks)


def clear() -> None:
    _marks.clear()

"""Which restore points to keep: by age, so routine saves never push out yesterday.

A plain "newest ten" rotation let four lock/unlock cycles in a minute push out
the previous day's state. Automatic points are instead kept in tiers (like
rsnapshot or Time Machine): the newest few, the newest of each day for a
fortnight, the newest of each week for about three months. Points a person made
on purpose (a named point) are pinned: rotation never removes them. A point
holding the state a restore replaced is kept for the whole weekly horizon (and
the newest few always), then ages out like the rest: records deleted for data
retention must not live on for ever in copies nobody asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

AUTOMATIC = "automatic"
NAMED = "named"
PRE_RESTORE = "pre-restore"
PINNED_KINDS = frozenset({NAMED})


@dataclass(frozen=True)
class RetentionPolicy:
    recent: int = 10
    daily_days: int = 14
    weekly_weeks: int = 13
    pre_restore_newest: int = 3

    def describe(self) -> str:
        return (
            f"the newest {self.recent}, one a day for {self.daily_days} days, "
            f"one a week for {self.weekly_weeks} weeks; points from before a restore for {self.weekly_weeks} "
            f"weeks; named points until deleted"
        )


DEFAULT_POLICY = RetentionPolicy()


@dataclass(frozen=True)
class PointAge:
    """What retention needs to know of a restore point."""

    name: str
    created: datetime  # timezone-aware UTC
    kind: str = AUTOMATIC


def points_to_keep(points: Iterable[PointAge], now: datetime, policy: RetentionPolicy = DEFAULT_POLICY) -> set[str]:
    """Names of the points to keep; every other automatic point may be removed."""
    points = list(points)
    kept = {p.name for p in points if p.kind in PINNED_KINDS}
    pre_restore = sorted((p for p in points if p.kind == PRE_RESTORE), key=lambda p: (p.created, p.name), reverse=True)
    kept.update(p.name for p in pre_restore[: policy.pre_restore_newest])
    kept.update(p.name for p in pre_restore if now - p.created <= timedelta(weeks=policy.weekly_weeks))
    automatic = sorted(
        (p for p in points if p.kind not in PINNED_KINDS and p.kind != PRE_RESTORE),
        key=lambda p: (p.created, p.name),
        reverse=True,
    )
    kept.update(p.name for p in automatic[: max(policy.recent, 1)])  # the newest is always kept
    newest_of_day: dict[object, str] = {}
    newest_of_week: dict[object, str] = {}
    for point in automatic:  # newest first: the first seen in a day or week is its newest
        age = now - point.created
        if age <= timedelta(days=policy.daily_days):
            newest_of_day.setdefault(point.created.date(), point.name)
        if age <= timedelta(weeks=policy.weekly_weeks):
            newest_of_week.setdefault(tuple(point.created.isocalendar())[:2], point.name)
    kept.update(newest_of_day.values())
    kept.update(newest_of_week.values())
    return kept

"""Laws of restore-point retention (issue 10.3), over any history of points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.retention import AUTOMATIC, NAMED, PRE_RESTORE, PointAge, RetentionPolicy, points_to_keep

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

policies = st.builds(
    RetentionPolicy,
    recent=st.integers(1, 12),
    daily_days=st.integers(0, 20),
    weekly_weeks=st.integers(0, 20),
    pre_restore_newest=st.integers(0, 4),
)
ages = st.integers(min_value=0, max_value=200 * 24 * 60)  # minutes, up to 200 days back
histories = st.lists(
    st.tuples(ages, st.sampled_from([AUTOMATIC, AUTOMATIC, AUTOMATIC, NAMED, PRE_RESTORE])),
    max_size=60,
    unique_by=lambda t: t[0],
).map(lambda items: [PointAge(f"p{minutes}", NOW - timedelta(minutes=minutes), kind) for minutes, kind in items])


@settings(max_examples=200, deadline=None)
@given(histories, policies)
def test_newest_automatic_and_every_named_point_are_kept(points: list[PointAge], policy: RetentionPolicy) -> None:
    kept = points_to_keep(points, NOW, policy)
    automatic = [p for p in points if p.kind == AUTOMATIC]
    if automatic:
        assert max(automatic, key=lambda p: p.created).name in kept
    assert {p.name for p in points if p.kind == NAMED} <= kept


@settings(max_examples=200, deadline=None)
@given(histories, policies)
def test_retention_is_idempotent(points: list[PointAge], policy: RetentionPolicy) -> None:
    kept = points_to_keep(points, NOW, policy)
    survivors = [p for p in points if p.name in kept]
    assert points_to_keep(survivors, NOW, policy) == kept


@settings(max_examples=200, deadline=None)
@given(histories, policies, st.integers(min_value=1, max_value=60 * 24))
def test_a_new_point_never_pushes_out_an_earlier_days_state(
    points: list[PointAge], policy: RetentionPolicy, later_minutes: int
) -> None:
    """The failure users met: routine points must not evict the newest state of a previous day."""
    later = NOW + timedelta(minutes=later_minutes)
    before = points_to_keep(points, NOW, policy)
    after = points_to_keep([*points, PointAge("new", later)], later, policy)
    automatic = [p for p in points if p.kind == AUTOMATIC]
    for point in automatic:
        same_day = [p for p in automatic if p.created.date() == point.created.date()]
        newest_of_its_day = point == max(same_day, key=lambda p: p.created)
        if (
            point.name in before
            and newest_of_its_day
            and point.created.date() != later.date()
            and later - point.created <= timedelta(days=policy.daily_days)
        ):
            assert point.name in after


@settings(max_examples=200, deadline=None)
@given(histories, policies)
def test_automatic_points_kept_are_bounded(points: list[PointAge], policy: RetentionPolicy) -> None:
    kept = points_to_keep(points, NOW, policy)
    automatic_kept = [p for p in points if p.kind == AUTOMATIC and p.name in kept]
    assert len(automatic_kept) <= policy.recent + policy.daily_days + 1 + policy.weekly_weeks + 2

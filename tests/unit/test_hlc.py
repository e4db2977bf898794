"""Hybrid logical clock: monotonic, unique, bounded drift; text form sorts like the tuple."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.records.hlc import MAX_DRIFT_MS, HybridLogicalClock, Stamp

A = "a" * 32
B = "b" * 32


def fixed(ms: int):
    return lambda: ms


def test_ticks_grow_even_when_wall_stands_still() -> None:
    clock = HybridLogicalClock(A, wall=fixed(1000))
    stamps = [clock.tick() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5


def test_observe_moves_past_remote() -> None:
    clock = HybridLogicalClock(A, wall=fixed(1000))
    clock.observe(Stamp(2000, 7, B))
    assert clock.tick() > Stamp(2000, 7, B)


def test_drift_is_bounded() -> None:
    clock = HybridLogicalClock(A, wall=fixed(1000))
    clock.observe(Stamp(1000 + 10 * MAX_DRIFT_MS, 0, B))
    assert clock.tick().wall_ms <= 1000 + MAX_DRIFT_MS


stamps = st.builds(Stamp, st.integers(0, 10**14), st.integers(0, 999_999), st.sampled_from([A, B, "0" * 32, "f" * 32]))


@given(stamps, stamps)
def test_text_order_matches_tuple_order(x: Stamp, y: Stamp) -> None:
    assert (str(x) < str(y)) == (x < y)
    assert Stamp.parse(str(x)) == x


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=50))
def test_monotonic_under_any_wall_clock(walls: list[int]) -> None:
    it = iter(walls + [walls[-1]] * 100)
    clock = HybridLogicalClock(A, wall=lambda: next(it))
    produced = [clock.tick() for _ in walls]
    assert all(a < b for a, b in zip(produced, produced[1:], strict=False))

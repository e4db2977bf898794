"""The meetings benchmark's words follow its figures (they once said "copies meet it" and "not safely
past it" whatever was measured). The benchmark itself is not run here: only its paragraph, on figures."""

from __future__ import annotations

from tests.bench.meetings_prose import aim_paragraph


def test_a_fast_run_says_every_build_passed_and_the_copies_meet_the_aim() -> None:
    text = aim_paragraph(200, [2.5, 2.9, 3.0], 2.4, 0.05, 0.2)
    assert "The copies meet it (0.020 of the build)" in text
    assert "The best build reaches it in this run: 80.0 pages/s" in text
    assert "every build of this run was past the aim (the slowest 66.7 pages/s)" in text
    assert "66.7 to 80.0 pages/s" in text and "4.8 times as fast" in text


def test_a_slow_run_says_no_build_reached_the_aim_and_slow_copies_miss_theirs() -> None:
    text = aim_paragraph(200, [5.0, 6.0, 8.0], 4.0, 0.9, 0.3)
    assert "The copies do not meet it (0.180 of the build)" in text
    assert "The best build does not reach it in this run: 40.0 pages/s" in text
    assert "no build of this run reached the aim (the fastest 40.0 pages/s)" in text
    assert "safely" not in text and "between about 40 and 65" not in text


def test_a_mixed_run_is_at_the_aims_edge() -> None:
    text = aim_paragraph(200, [3.0, 3.5, 4.0], 3.0, 0.1, 0.2)
    assert "the build is at the aim's edge: 1 of 3 builds of this run reached it" in text

"""Scales and THE RAG RULE at their boundaries: every score, any scale shape (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.section11.scales import (
    AMBER,
    GREEN,
    GREY,
    RED,
    Level,
    Scale,
    all_scales,
    get_scale,
)


def test_shipped_scales_map_every_level_to_the_documented_rag() -> None:
    for key in ("score-0-3", "met-words"):
        scale = get_scale(key)
        assert [scale.rag(v) for v in scale.values()] == [RED, AMBER, GREEN, GREEN]
        assert scale.rag(None) == GREY
    words = get_scale("met-words")
    assert [words.short(v) for v in words.values()] == ["Not met", "Partially", "Mostly", "Fully"]
    assert words.parse("mostly met") == 2 and words.parse("Fully") == 3 and words.parse(" ") is None


@given(low=st.integers(-5, 5), size=st.integers(2, 12), data=st.data())
def test_rag_follows_the_position_on_the_scale(low: int, size: int, data: st.DataObject) -> None:
    scale = Scale("s", "S", "", tuple(Level(v, str(v), f"level {v}") for v in range(low, low + size)))
    value = data.draw(st.sampled_from(scale.values()))
    position = Fraction(value - low, size - 1)
    expected = GREEN if position >= Fraction(2, 3) else AMBER if position >= Fraction(1, 3) else RED
    assert scale.rag(value) == expected
    # monotone: a higher score is never a worse RAG
    order = {RED: 0, AMBER: 1, GREEN: 2}
    ranks = [order[scale.rag(v)] for v in scale.values()]
    assert ranks == sorted(ranks)
    assert scale.rag(scale.lowest) == RED and scale.rag(scale.highest) == GREEN
    assert scale.is_bottom(scale.lowest) and not scale.is_bottom(scale.highest)


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=12)))
def test_parse_accepts_only_the_scale_s_own_values(text: object) -> None:
    scale = get_scale("score-0-3")
    try:
        value = scale.parse(text)
    except InvalidInput as exc:
        assert "is not a score" in exc.message
        return
    assert value is None or value in scale.values()


@pytest.mark.parametrize("scale", all_scales(), ids=lambda s: s.key)
def test_every_label_and_short_form_parses_back(scale: Scale) -> None:
    for level in scale.levels:
        assert scale.parse(level.label) == level.value
        assert scale.parse(level.short.upper()) == level.value
        assert scale.parse(level.value) == level.value
    with pytest.raises(InvalidInput):
        scale.parse(scale.highest + 1)
    with pytest.raises(InvalidInput):
        scale.parse(True)

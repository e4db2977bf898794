"""`only_match`: the one record a user's reference names, or one clear message (none, or how many)."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput, only_match


def test_one_match_is_returned() -> None:
    assert only_match(["QA-2026-03-12"], none="none", many="many") == "QA-2026-03-12"


def test_no_match_says_the_none_message() -> None:
    with pytest.raises(InvalidInput) as raised:
        only_match([], none="Unknown meeting 'QA': give its reference.", many="meetings match 'QA'.")
    assert raised.value.message == "Unknown meeting 'QA': give its reference."


def test_several_matches_say_how_many() -> None:
    with pytest.raises(InvalidInput) as raised:
        only_match(["a", "b", "c"], none="none", many="meetings match 'QA'; give its id instead.")
    assert raised.value.message == "3 meetings match 'QA'; give its id instead."

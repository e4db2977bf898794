"""What a draft that cannot be put back shows to copy: every field the user set, numbers and tick boxes too."""

from __future__ import annotations

from ui.kit.edit_guard import Draft


def test_named_fields_read_as_field_and_value_with_numbers_and_tick_boxes() -> None:
    draft = Draft("meetings.item", "meetings", "x", {"title": " Neglect audit ", "minutes": 20, "restricted": True})
    assert draft.typed_text() == "title: Neglect audit\nminutes: 20\nrestricted: yes"


def test_a_list_of_values_reads_one_a_line_and_empty_ones_are_left_out() -> None:
    draft = Draft("reviews.finding", "reviews", "x", ["Late referral", "", None, 3, False])
    assert draft.typed_text() == "Late referral\n3\nno"


def test_a_draft_of_only_a_spin_box_still_has_something_to_show() -> None:
    assert Draft("performance.target", "performance", "x", {"target": 72.5}).typed_text() == "target: 72.5"

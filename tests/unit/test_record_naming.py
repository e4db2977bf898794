"""Kinds of record counted on the workspace page read as English plurals."""

from __future__ import annotations

import pytest

from app.records.naming import kind_plural


@pytest.mark.parametrize(
    ("table", "plural"),
    [
        ("action", "Actions"),
        ("chronology_entry", "Chronology entries"),
        ("review_person", "People in a review"),
        ("agency", "Agencies"),
    ],
)
def test_kinds_of_record_are_plural_as_people_say_them(table: str, plural: str) -> None:
    assert kind_plural(table) == plural

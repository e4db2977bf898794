"""Registered name parts written in lower case inside hyphenated names are replaced; ordinary compounds are not."""

from __future__ import annotations

import pytest

from app.chronology.name_finder import NameFinder, Person


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kayden-jay went home.", "Child A went home."),
        ("Kayden-Jay went home.", "Child A went home."),
        ("Saw Kayden-jay's mum.", "Saw Child A's mum."),
        ("kayden-jay said he was hungry.", "Child A said he was hungry."),
        ("Seen with Kayden-\njay today.", "Seen with Child A today."),
        ("Smith-jay attended.", "Child A attended."),
    ],
)
def test_a_registered_part_in_lower_case_inside_a_compound_name_is_replaced(text: str, expected: str) -> None:
    """With only "Jay Smith" registered, "Kayden-Jay" was replaced but "Kayden-jay" left as written."""
    finder = NameFinder([Person("k", "Jay Smith", "Child A")])
    assert finder.apply(text) == expected


@pytest.mark.parametrize(
    ("register", "text"),
    [
        ("Jay Smith", "A blue-jay was on the feeder."),
        ("Jay Smith", "Reported jay-walking near school."),
        ("Ann Young", "Support for the young-ish parents; young-looking for her age."),
        ("Ann Young", "A young-carers group for the young people."),
        ("Rose Turner", "She saw things through rose-tinted glasses."),
        ("Dawn Brook", "Police made a dawn-raid on the flat."),
    ],
)
def test_an_ordinary_compound_with_a_word_that_is_a_name_part_is_left(register: str, text: str) -> None:
    assert NameFinder([Person("p", register, "Child A")]).apply(text) == text


def test_a_lower_case_part_of_a_double_barrelled_registered_name_in_a_compound_is_replaced() -> None:
    finder = NameFinder([Person("s", "Summer Smith-Jones", "Child B")])
    assert finder.apply("Kayden-smith was collected.") == "Child B was collected."
    assert finder.apply("A smith-made gate.") == "A smith-made gate."

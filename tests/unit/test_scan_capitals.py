"""Words in capitals the name scan must not take for names or initials; names and initials it still flags."""

from __future__ import annotations

import pytest

from app.chronology.name_finder import find_suspects

REGISTER = ["Kayden Morris", "Ian Norris", "Stephen Ellis Evans Norris"]


@pytest.mark.parametrize(
    "text",
    [
        "Child SEEN by Health Visitor",
        "MOTHER SEEN AT HOME",
        "Home visit: MOTHER SEEN",
        "Child VISITED by HV",
        "Police ATTENDED address; entry REFUSED",
        "Child SEEN and SPOKEN TO ALONE",
        "Mother did NOT attend, Child NOT SEEN",
    ],
)
def test_an_ordinary_word_in_capitals_is_neither_a_name_nor_initials(text: str) -> None:
    """ "SEEN" was flagged beside capitalised words ("MOTHER SEEN"), and as the initials of a registered
    Stephen Ellis Evans Norris; "VISITED" as a word capitalised mid-sentence."""
    assert [(s.text, s.reason) for s in find_suspects(text, registered=REGISTER)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seen by BEVERLEY SANDS", ["BEVERLEY", "SANDS"]),  # a surname that is also a plural noun
        ("Mother seen with Gary YOUNG", ["Gary", "YOUNG"]),  # a name that is also a word
        ("KM SEEN AT HOME", ["KM"]),  # initials of a registered person, not a word
        ("Mother seen, IN present.", ["IN"]),  # two capitals in a sentence: initials
        ("Seen by Dr SEEN", ["SEEN"]),  # after a title, whatever the word
        ("Home visit to JOANNE KETTLE", ["JOANNE", "KETTLE"]),  # a surname that is a word, after a first name
        ("CARER: JOANNE KETTLE SEEN", ["JOANNE", "KETTLE"]),  # ... and the word after it stays a word
        ("Mother SEEN with KETTLE, JOANNE", ["KETTLE", "JOANNE"]),  # surname first, as registers write it
    ],
)
def test_names_and_initials_in_capitals_are_still_flagged(text: str, expected: list[str]) -> None:
    assert [s.text for s in find_suspects(text, registered=REGISTER)] == expected

"""Counted nouns in user-facing text: "1 action", "3 actions", never "3 action(s)".

One way to say a count everywhere (services, CLI, GUI), so no Qt here. A tests/unit meta-test keeps "(s)"
out of the string literals of app/ and ui/.
"""

from __future__ import annotations

#: Nouns whose plural the rule in `plural_of` would get wrong.
_IRREGULAR_PLURALS = {"Person": "People", "person": "people"}


def plural_of(noun: str) -> str:
    """The plural of a noun phrase, by its last word: "Action" -> "Actions", "Chronology entry" -> "Chronology entries"."""
    words = noun.split(" ")
    last = words[-1]
    if last in _IRREGULAR_PLURALS:
        last = _IRREGULAR_PLURALS[last]
    elif last.endswith("y") and not last.endswith(("ey", "ay", "oy")):
        last = last[:-1] + "ies"
    elif not last.endswith("s"):
        last += "s"
    return " ".join([*words[:-1], last])


def noun_for(n: int, singular: str, plural: str | None = None) -> str:
    """The word that agrees with a count of n, without the count: for "the column 'X' was" / "the columns 'X', 'Y' were"."""
    if n == 1:
        return singular
    return plural if plural is not None else plural_of(singular)


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun: count_of(1, "action") -> "1 action", count_of(1000, "action") -> "1,000 actions".

    The plural is `plural_of(singular)` ("entry" -> "entries") unless given: count_of(n, "index", "indices").
    """
    return f"{n:,} {noun_for(n, singular, plural)}"

"""A registered alias with a title ("Ms Dawson") names one person even where the surname is shared.

The demo's register lists Kerry Dawson "(also Ms Dawson)" as Mother and the child Lily Dawson:
"assault on Ms Dawson" must read "assault on Mother", while "Dawson" alone, which could be either,
stays the neutral placeholder.
"""

from __future__ import annotations

import pytest

from app.chronology.name_finder import AMBIGUOUS, NameFinder, Person

FAMILY = [
    Person("m", "Kerry Dawson", "Mother", ("Ms Dawson",)),
    Person("c", "Lily Dawson", "Child A"),
    Person("f", "Gary Smith", "Father", ("Mr Smith",)),
    Person("n", "Nora Smith", "Grandmother", ("Mrs Smith",)),
]


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder(FAMILY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arrested for common assault on Ms Dawson", "arrested for common assault on Mother"),
        (
            "Telephone contact with Ms Dawson about missed appointment",
            "Telephone contact with Mother about missed appointment",
        ),
        ("Ms. Dawson attended", "Mother attended"),
        ("MS DAWSON ATTENDED", "MOTHER ATTENDED"),
        ("ms dawson attended", "Mother attended"),
        ("Ms Dawson's flat", "Mother's flat"),
        ("mother Ms Dawson attended", "Mother attended"),  # no "mother Mother"
        ("Mr Smith and Mrs Smith", "Father and Grandmother"),
        ("Mr. Smith and Mrs. Smith", "Father and Grandmother"),
        ("MR SMITH; MRS SMITH", "FATHER; GRANDMOTHER"),
    ],
)
def test_a_titled_alias_names_its_person(finder: NameFinder, text: str, expected: str) -> None:
    assert finder.apply(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dawson attended", f"{AMBIGUOUS} attended"),
        ("seen by Dawson's school", f"seen by {AMBIGUOUS}'s school"),
        ("Smith rang", f"{AMBIGUOUS} rang"),
        # a title the register does not list with the surname points to nobody in particular
        ("Miss Dawson attended", f"{AMBIGUOUS} attended"),
        ("Mrs Dawson attended", f"{AMBIGUOUS} attended"),
        ("Ms Smith rang", f"{AMBIGUOUS} rang"),
        ("Kerry Dawson and Lily Dawson", "Mother and Child A"),
    ],
)
def test_the_bare_shared_surname_stays_ambiguous(finder: NameFinder, text: str, expected: str) -> None:
    assert finder.apply(text) == expected


def test_an_alias_registered_with_a_dot_matches_without_one() -> None:
    finder = NameFinder([Person("m", "Kerry Dawson", "Mother", ("Ms. Dawson",)), Person("c", "Lily Dawson", "Child A")])
    assert finder.apply("Ms Dawson and Ms. Dawson and MS. DAWSON") == "Mother and Mother and MOTHER"
    assert finder.apply("Dawson") == AMBIGUOUS


def test_two_people_with_the_same_titled_alias_stay_ambiguous() -> None:
    finder = NameFinder(
        [Person("m", "Kerry Dawson", "Mother", ("Ms Dawson",)), Person("a", "Jo Dawson", "Aunt", ("Ms. Dawson",))]
    )
    assert finder.apply("Ms Dawson rang") == f"{AMBIGUOUS} rang"

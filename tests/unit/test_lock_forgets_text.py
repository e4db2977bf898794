"""Locking drops the anonymiser's in-memory caches of the workspace's words and names.

The scan and the name finder cache folded words and compiled name patterns for speed; after a lock the
family's names must not stay behind in them.
"""

from __future__ import annotations

from datetime import date

from app.chronology import anonymise, name_finder
from app.store.workspace import Workspace


def _cached_entries() -> dict[str, int]:
    caches = {
        "fold": name_finder.fold,
        "registered forms": name_finder._registered_forms,
        "glossary patterns": anonymise._glossary_patterns,
        "dates of birth": anonymise._dob_patterns,
    }
    return {name: cache.cache_info().currsize for name, cache in caches.items()}


def test_a_lock_clears_the_caches_that_hold_the_familys_names(workspace: Workspace) -> None:
    text = "Kerry Dawson took Lily-Mae to the GP; Wayne was at home."
    name_finder.find_suspects(text, registered=("Kerry Dawson", "Lily-Mae Dawson"))
    anonymise.scan_text(text, glossary_names=("Dawson",), dates_of_birth=(date(2019, 3, 14),))
    before = _cached_entries()
    assert all(before.values()), before  # the scan really cached what it read

    workspace.lock()

    assert _cached_entries() == dict.fromkeys(before, 0)

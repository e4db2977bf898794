"""The chronology table's lean load, and rows patched after a change instead of loaded again (issue 15).

Every patched list is compared with a fresh load of the same review on the demo workspace: the same rows,
in the same order, with the same intervals.
"""

from __future__ import annotations

from dataclasses import astuple, replace

import pytest

from app.chronology import service as svc
from app.chronology.rows import EntryRow, build_rows, entries_to_patch, fetch_rows, load_rows, patch_rows
from app.reviews.analysis import list_episodes
from app.store.workspace import Workspace
from tests.helpers.areas import largest_review


def _lean(workspace: Workspace, review: str) -> list[tuple]:
    with workspace.reading() as session:
        return [astuple(r) for r in load_rows(session, review, lean=True)]


def _patched(workspace: Workspace, review: str, rows: list[EntryRow], changes) -> list[tuple]:
    """Patch ``rows`` as the chronology tab does after ``changes``; the rows as tuples."""
    with workspace.reading() as session:
        entries = entries_to_patch(session, changes)
        assert entries is not None, changes
        fresh = build_rows(fetch_rows(session, review, lean=True, uuids=entries))
    patch_rows(rows, fresh, entries - {r.uuid for r in fresh})
    return [astuple(r) for r in rows]


def test_the_lean_load_is_the_full_load_without_what_the_table_never_shows(demo_workspace: Workspace) -> None:
    review = largest_review(demo_workspace)
    with demo_workspace.reading() as session:
        some = load_rows(session, review)[3].uuid
    with demo_workspace.unit_of_work() as uow:
        svc.update_entry(uow, some, end_date="05/05/2020", end_time="10:00")
    with demo_workspace.reading() as session:
        full = load_rows(session, review)
        lean = load_rows(session, review, lean=True)
        first = load_rows(session, review, lean=True, limit=10)
    assert any(r.end_text for r in full) and all(r.author for r in full)
    assert [astuple(replace(r, end_text="", author="", updated_stamp="")) for r in full] == [astuple(r) for r in lean]
    assert [astuple(r) for r in first] == [astuple(r) for r in lean[:10]]


@pytest.mark.parametrize("new_date", ["01/01/2000", "c. June 2016", "2019", "15/03/2031"])
def test_an_edited_entry_is_patched_into_its_place_as_a_load_would_put_it(
    demo_workspace: Workspace, new_date: str
) -> None:
    review = largest_review(demo_workspace)
    with demo_workspace.reading() as session:
        rows = load_rows(session, review, lean=True)
    moved = rows[len(rows) // 2]
    with demo_workspace.unit_of_work() as uow:
        svc.update_entry(uow, moved.uuid, start_date=new_date, event="Moved by the test")
    patched = _patched(demo_workspace, review, rows, uow.changes)
    assert patched == _lean(demo_workspace, review)  # its new place, and every interval around both places
    where = [r[0] for r in patched].index(moved.uuid)
    assert patched[where][rows[where].__slots__.index("event")] == "Moved by the test"


def test_added_deleted_and_relinked_entries_are_patched_as_a_load_would_show_them(
    demo_workspace: Workspace,
) -> None:
    review = largest_review(demo_workspace)
    with demo_workspace.reading() as session:
        rows = load_rows(session, review, lean=True)
        agency = rows[0].agency_uuid
        episode = list_episodes(session, review)[0].uuid
    with demo_workspace.unit_of_work() as uow:
        added = svc.add_entry(
            uow, review, start_date="03/04/2018", agency=agency, source="Note", event="Added", episodes=[episode]
        ).uuid
    assert _patched(demo_workspace, review, rows, uow.changes) == _lean(demo_workspace, review)
    assert episode in next(r for r in rows if r.uuid == added).episodes

    unpaired = next(r.uuid for r in rows if not r.duplicates and r.uuid != added)
    with demo_workspace.unit_of_work() as uow:
        svc.delete_entry(uow, unpaired)
    assert _patched(demo_workspace, review, rows, uow.changes) == _lean(demo_workspace, review)
    assert unpaired not in {r.uuid for r in rows}

    with demo_workspace.unit_of_work() as uow:
        svc.set_entry_episodes(uow, added, [])
    assert set(uow.changes.tables()) == {"entry_episode_link"}  # the link alone: its entry is found from it
    assert _patched(demo_workspace, review, rows, uow.changes) == _lean(demo_workspace, review)
    assert next(r for r in rows if r.uuid == added).episodes == ()


def test_changes_beyond_the_entries_ask_for_a_whole_load(demo_workspace: Workspace) -> None:
    review = largest_review(demo_workspace)
    with demo_workspace.reading() as session:
        paired = next(r.uuid for r in load_rows(session, review) if r.duplicates)
    with demo_workspace.unit_of_work() as uow:
        svc.delete_entry(uow, paired)  # its pairings go too: the other entry's count changes
    with demo_workspace.reading() as session:
        assert entries_to_patch(session, uow.changes) is None

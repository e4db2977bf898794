"""Conflicts on a chronology entry, as the coordinator reads them in the conflicts view."""

from __future__ import annotations

from app.chronology import service as svc
from app.exchange import service
from tests.helpers.members import introduced, send, swap
from tests.helpers.reviews import child_review


def test_a_date_conflict_shows_the_dates_as_typed_and_never_the_sort_key(tmp_path):
    """Both members re-date one entry: the conflict names the record and field, shows each side's date as
    the chronology shows it ("May 2016", "23/05/2016?"), and not the internal date order number."""
    with introduced(tmp_path, "Ann", "Bob") as (ann, bob):
        with ann.unit_of_work() as uow:
            review = child_review(uow, [("Northbridge Police", "Police")], reference="LCSPR-2026-01")
            entry = svc.add_entry(
                uow, review.uuid, start_date="22/05/2016", agency="Police", source="Police log", event="Call."
            )
        service.import_bundle(bob, send(ann, [bob], tmp_path / "start.bundle"))
        with ann.unit_of_work() as uow:
            svc.update_entry(uow, entry.uuid, start_date="May 2016")
        with bob.unit_of_work() as uow:
            svc.update_entry(uow, entry.uuid, start_date="c. 23/05/2016")
        swap(ann, bob, tmp_path, "dates")
        with ann.reading() as session:
            (conflict,) = service.list_conflicts(ann, session)
    assert conflict.record_title.startswith("Chronology entry of LCSPR-2026-01, ")
    assert conflict.field_title == "Start date and time"
    shown = {conflict.losing_text, conflict.current_text}
    assert shown == {"Start date: May 2016", "Start date: 23/05/2016?"}, shown

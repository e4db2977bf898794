"""Every kind of scan finding is decided once, stored with who and when, audited and exchanged (issue 10, point 1).

Accepted phone numbers, postcodes, addresses and dates of birth were kept in
memory for one session; every value of the agency returns' "source" column
only had the name-like-word check. These tests pin both on real encrypted
workspaces.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.chronology import service as svc
from app.chronology.exports import export_chronology
from app.chronology.name_finder import source_person_words
from app.chronology.panel_pdf import PanelOptions, export_panel_pdf
from app.chronology.people import (
    add_person,
    decide,
    decide_findings,
    list_decisions,
    scan_with_decisions,
    undecided_findings,
    undo_decision,
)
from app.errors import InvalidInput
from app.reviews.register import add_review
from db.models.core import AuditEntry
from tests.helpers.reviews import child_review


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        created = child_review(uow, [("Health Visiting", "HV"), ("Northbridge Police", "Police")], reference="R-1")
        entries = [
            ("HV", "HV", "Home visit; mother's phone 01632 960123, address NB4 7QT"),
            ("Police", "Police log (Tom)", "Call back on 01632960123"),
            ("HV", "Social worker", "Strategy discussion"),
            ("HV", "Dr Okoro", "Child seen"),
            ("HV", "School log", "Attendance 92%"),
            ("HV", "HV record (HV1)", "Weighed"),
        ]
        uuids = [
            svc.add_entry(uow, created.uuid, start_date="22/05/2016", agency=a, source=s, event=e).uuid
            for a, s, e in entries
        ]
        return workspace, created.uuid, uuids


def _undecided(workspace, review_uuid):
    with workspace.reading() as session:
        return sorted((f.kind, f.matched) for f in undecided_findings(session, review_uuid))


def test_identifier_decisions_are_stored_audited_and_keyed_by_kind_and_text(review):
    workspace, review_uuid, uuids = review
    assert _undecided(workspace, review_uuid) == [
        ("phone", "01632 960123"),
        ("phone", "01632960123"),
        ("postcode", "NB4 7QT"),
        ("source-person", "Dr Okoro"),
        ("source-person", "Police log (Tom)"),
    ]
    with workspace.reading() as session:
        first_phone = next(s.finding for s in scan_with_decisions(session, review_uuid) if s.finding.kind == "phone")
    with workspace.unit_of_work() as uow:
        assert decide_findings(uow, review_uuid, [first_phone]) == 1
    # one decision covers the number however it is spaced, wherever it occurs
    assert [k for k, _ in _undecided(workspace, review_uuid)] == ["postcode", "source-person", "source-person"]
    with workspace.reading() as session:
        (stored,) = list_decisions(session, review_uuid, "phone")
        assert (stored.text, stored.decision, stored.decided_by) == ("01632 960123", "accepted", "Alex Reviewer")
        assert stored.decided_at.startswith("20")
        audit = session.execute(
            select(AuditEntry.action, AuditEntry.summary).where(AuditEntry.record_id == stored.uuid)
        ).all()
        assert audit == [("create", "Decided a phone number finding of R-1: Accepted in the export")]
        statuses = {s.finding.matched: s.status for s in scan_with_decisions(session, review_uuid)}
        assert statuses["01632960123"] == "accepted" and statuses["NB4 7QT"] == "undecided"

    with workspace.unit_of_work() as uow:  # the entry changes: the number found changes, so it is asked again
        svc.update_entry(uow, uuids[0], event="Home visit; mother's new phone 01632 960999, address NB4 7QT")
        decide(uow, review_uuid, "01632 960999", "accepted", kind="postcode")  # another kind decides nothing here
    assert ("phone", "01632 960999") in _undecided(workspace, review_uuid)
    assert ("phone", "01632960123") not in _undecided(workspace, review_uuid)
    with workspace.unit_of_work() as uow:
        undo_decision(uow, review_uuid, "01632960123", kind="phone")
        with pytest.raises(InvalidInput, match="Unknown kind"):
            decide(uow, review_uuid, "x", "accepted", kind="shoe-size")
    assert ("phone", "01632960123") in _undecided(workspace, review_uuid)


def test_every_source_value_that_may_name_someone_is_a_finding_until_decided(review, tmp_path):
    workspace, review_uuid, uuids = review
    with workspace.reading() as session:
        sources = {f.matched for f in undecided_findings(session, review_uuid) if f.kind == "source-person"}
    assert sources == {"Police log (Tom)", "Dr Okoro"}  # "HV", "Social worker", "School log", "HV1" are roles
    with workspace.unit_of_work() as uow:
        for word in ("Tom", "Okoro"):  # the name scan's own decisions do not decide the source values
            decide(uow, review_uuid, word)
    out = tmp_path / "anon.csv"
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="undecided findings? of the identifying-data scan"):
            export_chronology(session, review_uuid, "csv", out, anonymised=True)
        with pytest.raises(InvalidInput, match="undecided findings? of the identifying-data scan"):
            export_panel_pdf(session, review_uuid, PanelOptions(anonymised=True), tmp_path / "p.pdf")
    assert not out.exists() and not (tmp_path / "p.pdf").exists()

    with workspace.unit_of_work() as uow:
        add_person(uow, review_uuid, "Dr Ada Okoro", "GP1")  # the register covers "Dr Okoro" now
        decide(uow, review_uuid, "Police log (Tom)", "not-identifying", kind="source-person")
        decide_findings(uow, review_uuid, undecided_findings(uow.session, review_uuid))
    assert _undecided(workspace, review_uuid) == []
    with workspace.reading() as session:
        export_chronology(session, review_uuid, "csv", out, anonymised=True)
        (decision,) = list_decisions(session, review_uuid, "source-person")
        assert (decision.decision, decision.decided_by) == ("not-identifying", "Alex Reviewer")
    text = out.read_text(encoding="utf-8-sig")
    assert "Okoro" not in text and "GP1" in text

    with workspace.unit_of_work() as uow:  # a changed source value is a new finding
        svc.update_entry(uow, uuids[1], source="Police log (Tom Beck)")
    assert _undecided(workspace, review_uuid) == [("source-person", "Police log (Tom Beck)")]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("HV", []),
        ("Social worker", []),
        ("GP1", []),
        ("School log", []),
        ("ED record", []),
        ("Case note", []),
        ("PPU", []),
        ("Health visitor 2 (duty)", []),
        ("Mother's partner", []),
        ("Police log (Tom)", ["Tom"]),
        ("HV record (Ms Qureshi)", ["Qureshi"]),
        ("JS", ["JS"]),
        ("AINSWORTH, Rupert GP record", ["AINSWORTH", "Rupert"]),
        ("dawn email", ["dawn"]),  # the source column names people: "dawn" there is not the time of day
        ("Ms Kettle", ["Kettle"]),  # after a title, an English word is a name too
        ("D. Brook email", ["Brook"]),
        ("Foster carer", []),
        ("Mosaic case note", []),
    ],
)
def test_a_source_value_made_only_of_role_agency_and_record_words_is_not_a_finding(value, words):
    assert source_person_words(value, known=["Child A", "Mother's partner"]) == words


def test_decisions_of_every_kind_travel_in_bundles(tmp_path):
    from app.exchange import service
    from tests.helpers.members import introduced, send

    with introduced(tmp_path, "Ann", "Ben") as (a, b):
        with a.unit_of_work() as uow:
            review = child_review(uow, [("Northbridge Police", "Police")], title="Learning", reference="X-1")
            svc.add_entry(
                uow,
                review.uuid,
                start_date="01/02/2016",
                agency="Police",
                source="PC Ashdown",
                event="Tel 01632 960123",
            )
            decide(uow, review.uuid, "Ashdown")
            decide_findings(uow, review.uuid, undecided_findings(uow.session, review.uuid))
            review_uuid = review.uuid
        service.import_bundle(b, send(a, [b], tmp_path / "1.bundle"))
        with b.reading() as session:
            assert undecided_findings(session, review_uuid) == []
            kinds = {(d.kind, d.decision, d.decided_by) for d in list_decisions(session, review_uuid)}
        assert kinds == {
            ("possible-name", "not-identifying", "Ann"),
            ("phone", "accepted", "Ann"),
            ("source-person", "accepted", "Ann"),
        }


def test_a_decision_without_a_kind_is_about_a_name(workspace):
    """Decisions stored before kinds existed, and bundles from builds without them, are name decisions."""
    from app.exchange.changeset import table_codecs

    assert table_codecs()["scan_decision"].new_record_default("kind") == "possible-name"
    with workspace.unit_of_work() as uow:
        review = add_review(uow, kind="lcspr", title="T", subject_pseudonym="Child A", reference="K-1")
        uow.session.flush()
        uow.session.connection().exec_driver_sql(  # a row as the build before migration 0013 left it
            "INSERT INTO scan_decision (review_uuid, text, decision, decided_by, decided_at, uuid, origin_member,"
            " field_stamps, updated_stamp) VALUES (?, 'Tesco', 'not-identifying', 'Ann', '2026-01-01', ?, 'm', '{}', 's')",
            (review.uuid, "00000000-0000-4000-8000-000000000001"),
        )
    with workspace.reading() as session:
        (stored,) = list_decisions(session, review.uuid, "possible-name")
        assert stored.text == "Tesco"

"""A review's people register, decisions on name-like words, and the anonymised export built on them."""

from __future__ import annotations

import pytest

from app.chronology import service as svc
from app.chronology.exports import collect, export_chronology
from app.chronology.people import (
    add_other_name,
    add_person,
    decide,
    delete_person,
    find_person,
    list_decisions,
    list_people,
    name_suspects,
    undo_decision,
    update_person,
)
from app.errors import InvalidInput
from db.base import exchangeable_models
from tests.helpers.reviews import child_review


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        created = child_review(uow, [("Riverside GP", "GP")], title="Review of Rose's care", reference="LCSPR-2026-09")
        svc.add_entry(
            uow,
            created.uuid,
            start_date="22/05/2016",
            agency="GP",
            source="Dr Patel",
            event="mother Sarah Turner brought Rose; Liam O'Neill waited outside. Tension rose.",
            action_outcome="Sarah's partner Liam to be seen",
            reviewer_comment="Neighbour Mrs Pettifer called",
        )
        return workspace, created.uuid


def test_register_validates_and_edits(review):
    workspace, review_uuid = review
    with workspace.unit_of_work() as uow:
        sarah = add_person(uow, review_uuid, " Sarah  Turner ", "Mother", role="mother", other_names=["Shaz", "shaz"])
        with pytest.raises(InvalidInput, match="already used"):
            add_person(uow, review_uuid, "Someone Else", "mother")
        with pytest.raises(InvalidInput, match="needs a pseudonym"):
            add_person(uow, review_uuid, "Rose Turner", " ")
        with pytest.raises(InvalidInput, match="cannot be one of their real names"):
            add_person(uow, review_uuid, "Rose Turner", "rose turner")
        add_other_name(uow, sarah.uuid, "Sarah Blake")
        assert sarah.real_name == "Sarah Turner" and sarah.other_names == ["Shaz", "Sarah Blake"]
        update_person(uow, sarah.uuid, pseudonym="Birth mother")
    with workspace.reading() as session:
        assert find_person(session, review_uuid, "shaz").pseudonym == "Birth mother"
        with pytest.raises(InvalidInput, match="People: Birth mother"):
            find_person(session, review_uuid, "Nobody")
    with workspace.unit_of_work() as uow:
        delete_person(uow, sarah.uuid)
    with workspace.reading() as session:
        assert list_people(session, review_uuid) == []


def test_tables_travel_in_bundles():
    tables = {m.__tablename__ for m in exchangeable_models()}
    assert {"review_person", "scan_decision"} <= tables


def test_export_names_nobody_once_register_and_decisions_are_complete(review, tmp_path):
    workspace, review_uuid = review
    with workspace.reading() as session:
        suspects = {s.key: s for s in name_suspects(session, review_uuid)}
        assert {"sarah", "turner", "rose", "liam", "pettifer", "patel"} <= set(suspects)  # nothing registered yet
        with pytest.raises(InvalidInput, match="may still name people"):
            export_chronology(session, review_uuid, "csv", tmp_path / "a.csv", anonymised=True)
    assert not (tmp_path / "a.csv").exists()
    with workspace.unit_of_work() as uow:
        add_person(uow, review_uuid, "Rose Turner", "Child A", role="child")
        add_person(uow, review_uuid, "Sarah Turner", "Mother", role="mother")
        add_person(uow, review_uuid, "Liam O'Neill", "Mother's partner", role="partner")
        add_person(uow, review_uuid, "Dr Anil Patel", "GP1")
    with workspace.reading() as session:
        left = {s.key for s in name_suspects(session, review_uuid)}
    assert left == {"pettifer"}
    with workspace.unit_of_work() as uow:
        add_person(uow, review_uuid, "Doreen Pettifer", "Neighbour 1")
        decision = decide(uow, review_uuid, "Pettifer", "added")
    with workspace.reading() as session:
        assert name_suspects(session, review_uuid) == []
        decided = list_decisions(session, review_uuid)[0]
        assert decided.decided_by == "Alex Reviewer" and decided.decided_at.startswith("20")
        data = collect(session, review_uuid, anonymised=True)
    event = data.rows[0][data.header.index("Event / contact")]
    assert event == "Mother brought Child A; Mother's partner waited outside. Tension rose."
    assert data.rows[0][data.header.index("Action / outcome")] == "Mother's partner to be seen"
    assert data.title == "Review of Child A's care"
    flat = " ".join(" ".join(r) for r in data.rows)
    for name in ("Sarah", "Turner", "Liam", "Neill", "Patel", "Pettifer"):
        assert name not in flat
    with workspace.unit_of_work() as uow:
        undo_decision(uow, review_uuid, "pettifer")
        assert list_decisions(uow.session, review_uuid) == [] and decision.text == "Pettifer"
        with pytest.raises(InvalidInput, match="No decision"):
            undo_decision(uow, review_uuid, "pettifer")


def test_register_and_decisions_travel_and_merge(tmp_path):
    """A member's register, other names and dismissals reach a colleague's workspace in a bundle; a removal too."""
    from app.exchange import service
    from tests.helpers.members import introduced, send

    with introduced(tmp_path, "Ann", "Ben") as (a, b):
        with a.unit_of_work() as uow:
            review = child_review(uow, [("Riverside GP", "GP")], title="Learning", reference="LCSPR-X")
            svc.add_entry(
                uow, review.uuid, start_date="01/02/2016", agency="GP", source="GP", event="Shaz brought Rose to Tesco"
            )
            mother = add_person(uow, review.uuid, "Sarah Turner", "Mother", other_names=["Shaz"])
            add_person(uow, review.uuid, "Rose Turner", "Child A")
            decide(uow, review.uuid, "Tesco")
            review_uuid, mother_uuid = review.uuid, mother.uuid
        service.import_bundle(b, send(a, [b], tmp_path / "1.bundle"))
        with b.reading() as session:
            assert [p.pseudonym for p in list_people(session, review_uuid)] == ["Child A", "Mother"]
            assert name_suspects(session, review_uuid) == []
            assert list_decisions(session, review_uuid)[0].decided_by == "Ann"
            assert collect(session, review_uuid, anonymised=True).rows[0][6] == "Mother brought Child A to Tesco"
        with a.unit_of_work() as uow:
            delete_person(uow, mother_uuid)
        service.import_bundle(b, send(a, [b], tmp_path / "2.bundle"))
        with b.reading() as session:
            assert [p.pseudonym for p in list_people(session, review_uuid)] == ["Child A"]
            assert {s.key for s in name_suspects(session, review_uuid)} == {"shaz"}


def test_a_registered_name_written_without_its_apostrophe_or_as_bare_initials_stops_the_export(workspace, tmp_path):
    """Agency notes drop apostrophes ("Deans car", "the Prices moved") and write initials without dots ("KM
    absent"). The finder does not replace those forms; before, the scan passed them too (an English word at
    the start of a sentence, a short acronym), so the anonymised export named the family."""
    with workspace.unit_of_work() as uow:
        created = child_review(uow, [("Northfield School", "School")], reference="LCSPR-2026-10")
        for event in ("Deans car seen outside. The Prices moved in.", "KM absent 4 days. KJM and LMM late."):
            svc.add_entry(uow, created.uuid, start_date="02/03/2024", agency="School", source="School log", event=event)
        add_person(uow, created.uuid, "Kayden Jay Mitchell", "Child A", role="child")
        add_person(uow, created.uuid, "Lily-Mae Mitchell", "Sibling 1")
        add_person(uow, created.uuid, "Dean O'Connor", "Mother's partner")
        add_person(uow, created.uuid, "Gary Price", "Maternal grandfather")
    with workspace.reading() as session:
        left = {s.key for s in name_suspects(session, created.uuid)}
        assert {"deans", "prices", "km", "kjm", "lmm"} <= left
        with pytest.raises(InvalidInput, match="may still name people"):
            export_chronology(session, created.uuid, "csv", tmp_path / "a.csv", anonymised=True)
    assert not (tmp_path / "a.csv").exists()


def test_initials_that_are_note_abbreviations_or_service_acronyms_are_not_flagged(workspace):
    """ "NB" (nota bene) and "SW" (social worker) are not Nadia Brennan and Sam Walker: flagging them in every
    review that has such a person would bury the real finds."""
    with workspace.unit_of_work() as uow:
        created = child_review(uow, [("Northfield School", "School")], reference="LCSPR-2026-11")
        event = "NB: SW informed. NBR seen."
        svc.add_entry(uow, created.uuid, start_date="02/03/2024", agency="School", source="School log", event=event)
        add_person(uow, created.uuid, "Nadia Brennan", "Aunt")
        add_person(uow, created.uuid, "Sam Walker", "Uncle")
        add_person(uow, created.uuid, "Noah Blake Reid", "Cousin")
    with workspace.reading() as session:
        left = {s.key for s in name_suspects(session, created.uuid)}
    assert "nb" not in left and "sw" not in left and "nbr" in left

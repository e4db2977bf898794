"""Every Section 11 table travels in bundles; members' concurrent edits merge field by field and
records both created for the same thing (an agency in a cycle, a score, a suggestion) become one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.agencies import add_agency
from app.exchange import service
from app.section11 import cycles, enquiry, interview, letters, moderation
from app.section11.frameworks import standards_of
from db.base import exchangeable_models
from db.models.section11 import S11Draft, S11EvidenceFile
from tests.helpers.members import introduce, make_member, send, snapshot
from tests.helpers.section11 import police_cycle

S11_TABLES = {
    "s11_framework",
    "s11_standard",
    "s11_cycle",
    "s11_participant",
    "s11_assessment",
    "s11_enquiry",
    "s11_interview",
    "s11_letter",
    "s11_evidence_file",
    "s11_settings",
}


def s11_only(snap: dict) -> dict:
    return {k: v for k, v in snap.items() if k.split("/")[0].startswith("s11_")}


def content(snap: dict) -> dict:
    return {k: {f: v for f, v in row.items() if f != "origin_member"} for k, row in s11_only(snap).items()}


def test_every_table_but_the_drafts_is_exchangeable() -> None:
    names = {m.__tablename__ for m in exchangeable_models()}
    assert S11_TABLES <= names and S11Draft.__tablename__ not in names


def test_members_exchange_the_cycle_and_concurrent_edits_converge(tmp_path: Path) -> None:
    chair, officer = make_member(tmp_path, "Chair"), make_member(tmp_path, "Officer")
    try:
        introduce(chair, officer)
        with chair.unit_of_work() as uow:
            add_agency(uow, "Northbridge Police", "Police", "Police")
            cycle, police = police_cycle(uow)
            standards = [s.uuid for s in standards_of(uow.session, cycle.framework_uuid)]
            for uuid in standards:
                moderation.record_self_assessment(uow, police, uuid, score=3, evidence="Board report")
            booked = interview.book_interview(uow, police, on=date(2026, 5, 12), place="HQ")
            interview_uuid = booked.uuid
            letters.save_letter_settings(
                uow,
                partnership_name="Northbridge SCP",
                letterhead="Civic Centre",
                signatory_name="Dr Helen Marsh",
                signatory_role="Chair",
            )
            uow.create(
                S11EvidenceFile,
                participant_uuid=police,
                standard_uuid=standards[0],
                filename="report.pdf",
                size=3,
                content=b"pdf",
                added_on=date(2026, 4, 1),
                added_by="Chair",
            )
        service.import_bundle(officer, send(chair, [officer], tmp_path / "start.bundle"))
        assert s11_only(snapshot(chair)) == s11_only(snapshot(officer))
        assert {k.split("/")[0] for k in s11_only(snapshot(officer))} >= S11_TABLES - {"s11_enquiry", "s11_letter"}

        # concurrently: the chair moderates and writes notes; the officer moderates another standard,
        # records strengths, and both ask for suggestions (same derived identities) and draft a letter
        with chair.unit_of_work() as uow:
            moderation.moderate(uow, police, standards[0], 1, "No training data for staff.")
            interview.update_interview(uow, interview_uuid, notes="Chair's notes")
            enquiry.suggest_lines(uow, police)
        with officer.unit_of_work() as uow:
            moderation.moderate(uow, police, standards[1], 2, "Policy out of date by a year.")
            interview.update_interview(uow, interview_uuid, strengths="Officer's strengths")
            moderation.moderate(uow, police, standards[0], 2, "Officer thinks partly evidenced.")
            enquiry.suggest_lines(uow, police)
            cycles.edit_cycle(uow, cycle.uuid, return_due=date(2026, 3, 31))
        from_chair = send(chair, [officer], tmp_path / "chair.bundle", service.Scope("since_last"))
        from_officer = send(officer, [chair], tmp_path / "officer.bundle", service.Scope("since_last"))
        service.import_bundle(chair, from_officer)
        service.import_bundle(officer, from_chair)
        # content, stamps and tombstones converge; a record both members created under the same derived
        # identity keeps each side's own origin_member (the merge sets it only on insert)
        assert content(snapshot(chair)) == content(snapshot(officer))
        with chair.reading() as session:
            record = interview.interview_record(session, police)
            rows = {r.number: r for r in moderation.assessment_rows(session, police)}
            lines = enquiry.lines_of_enquiry(session, police)
            due = cycles.cycle_view(session, cycle.uuid).return_due
            conflicts = service.list_conflicts(chair, session)
        assert record.notes == "Chair's notes" and record.strengths == "Officer's strengths"
        assert rows[2].moderated_score == 2 and due == date(2026, 3, 31)
        # the two moderations of standard 1 merge whole: one member's score with that member's rationale
        assert (rows[1].moderated_score, rows[1].rationale) in (
            (1, "No training data for staff."),
            (2, "Officer thinks partly evidenced."),
        )
        assert {c.field for c in conflicts} >= {"group:moderated_score"}
        assert len([ln for ln in lines if ln.reason == "over_rated"]) == len(
            {ln.standard_uuid for ln in lines if ln.reason == "over_rated"}
        )

        # a removed line of enquiry stays removed at the other member
        with officer.unit_of_work() as uow:
            enquiry.remove_line(uow, lines[0].uuid)
        service.import_bundle(chair, send(officer, [chair], tmp_path / "removal.bundle", service.Scope("since_last")))
        with chair.reading() as session:
            assert lines[0].uuid not in {ln.uuid for ln in enquiry.lines_of_enquiry(session, police)}
        with chair.unit_of_work() as uow:
            assert enquiry.suggest_lines(uow, police) == 0
    finally:
        chair.lock()
        officer.lock()

"""Every Section 11 table travels in bundles; members' concurrent edits merge field by field and
records both created for the same thing (an agency in a cycle, a score, a suggestion) become one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.exchange import service
from app.section11 import cycles, enquiry, interview, letters, moderation
from app.section11.frameworks import edit_standard, get_standard
from app.store.workspace import Workspace
from db.base import exchangeable_models
from db.models.section11 import S11Draft, S11EvidenceFile
from tests.helpers.members import introduced, send, snapshot, swap
from tests.helpers.section11 import assessed_police_cycle, shared_cycle

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
    with introduced(tmp_path, "Chair", "Officer") as (chair, officer):
        with chair.unit_of_work() as uow:
            cycle, police, standards, interview_uuid = assessed_police_cycle(uow)
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
        swap(chair, officer, tmp_path, "concurrent")
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


# -- merge groups, the moderation rule and conflicts named as users know them (issue 10.4, 11.4/6/9) --


def _assessment(ws: Workspace, participant: str, standard: str) -> tuple[object, ...]:
    with ws.reading() as session:
        row = next(r for r in moderation.assessment_rows(session, participant) if r.standard_uuid == standard)
        return row.self_score, row.moderated_score, row.rationale


def test_probe_moderated_score_against_a_changed_self_score_is_a_conflict_on_both_members(tmp_path: Path) -> None:
    """The audit's probe: the Chair moderates standard 1 to 3 with no rationale (it agrees with the agency's
    3) while the Officer corrects the agency's own score to 1. Each edit alone keeps the rule; merged, the
    record holds moderated 3 against self 1 with no rationale. That is shown for a person to settle."""
    with shared_cycle(tmp_path) as (chair, officer, police, standards):
        with chair.unit_of_work() as uow:
            moderation.moderate(uow, police, standards[0], 3, moderated_by="QA panel")
        with officer.unit_of_work() as uow:
            moderation.record_self_assessment(uow, police, standards[0], score=1, evidence="Board report")
        reports = swap(chair, officer, tmp_path, "probe")
        for ws, report in zip((chair, officer), reports, strict=True):
            assert _assessment(ws, police, standards[0]) == (1, 3, "")  # the deterministic merge, written
            assert report.totals.get("conflicts") == 1
            with ws.reading() as session:
                (conflict,) = service.list_conflicts(ws, session)
                breaches = service.unsettled_rule_breaches(session, "s11_assessment")
            assert conflict.is_rule and not conflict.restorable
            assert conflict.record_title == "Section 11 score of Police, standard 1 (S11 2026)"
            assert "no rationale" in conflict.current_text and "(record" not in conflict.record_title
            assert set(breaches) == {conflict.record_uuid}
            with ws.reading() as session:  # the moderation screen says so beside the score, until settled
                shown = {r.number: r.unsettled for r in moderation.assessment_rows(session, police)}
            assert "no rationale" in shown[1] and shown[2] == ""
        assert content(snapshot(chair)) == content(snapshot(officer))
        # the Chair settles it: a rationale (a new edit that travels), then marks the conflict settled
        with chair.unit_of_work() as uow:
            moderation.moderate(uow, police, standards[0], 3, "Board minutes show training at every level.")
            service.resolve_conflict(uow, conflict.id, restore=False)
        with chair.reading() as session:
            assert service.unsettled_rule_breaches(session, "s11_assessment") == {}
            assert all(r.unsettled == "" for r in moderation.assessment_rows(session, police))


def test_a_moderation_merges_whole_and_its_conflict_is_named(tmp_path: Path) -> None:
    with shared_cycle(tmp_path) as (chair, officer, police, standards):
        with chair.unit_of_work() as uow:
            moderation.moderate(uow, police, standards[1], 1, "No training data for staff.", moderated_by="Chair")
        with officer.unit_of_work() as uow:  # later: the Officer's moderation wins whole, rationale and all
            moderation.moderate(uow, police, standards[1], 2, "Policy out of date by a year.", moderated_by="Officer")
        swap(chair, officer, tmp_path, "moderation")
        for ws in (chair, officer):
            assert _assessment(ws, police, standards[1]) == (3, 2, "Policy out of date by a year.")
        with chair.reading() as session:
            (conflict,) = service.list_conflicts(chair, session)
        assert conflict.record_title == "Section 11 score of Police, standard 2 (S11 2026)"
        assert conflict.field_title == "Moderated score, rationale and who moderated it"
        assert "Rationale: No training data for staff." in conflict.losing_text
        assert "Moderated by: Chair" in conflict.losing_text
        with chair.unit_of_work() as uow:  # restoring brings the Chair's moderation back whole
            service.resolve_conflict(uow, conflict.id, restore=True)
        assert _assessment(chair, police, standards[1]) == (3, 1, "No training data for staff.")


def test_an_issued_letter_never_carries_another_member_s_draft_text(tmp_path: Path) -> None:
    """The Officer edits the draft while the Chair issues it (the Officer had not seen the issue). Either the
    issued letter (its text, PDF and hash together) or the Officer's draft wins whole; the other side's is a
    conflict on both members, and restoring an issued state brings back a letter whose PDF matches its hash."""
    with shared_cycle(tmp_path) as (chair, officer, police, _standards):
        with chair.unit_of_work() as uow:
            letter_uuid = letters.draft_letter(uow, police).uuid
        service.import_bundle(officer, send(chair, [officer], tmp_path / "draft.bundle", service.Scope("since_last")))
        with chair.unit_of_work() as uow:
            letters.issue_letter(uow, letter_uuid, issued_by="Dr Helen Marsh", today=date(2026, 6, 1))
        with officer.unit_of_work() as uow:  # later than the issue: the draft wins whole
            letters.edit_letter(uow, letter_uuid, {"strengths": "Officer's late wording."})
        swap(chair, officer, tmp_path, "letter")
        assert content(snapshot(chair)) == content(snapshot(officer))
        for ws in (chair, officer):
            with ws.reading() as session:
                (view,) = letters.letters_of(session, police)
                conflicts = [c for c in service.list_conflicts(ws, session) if c.table == "s11_letter"]
            assert view.state == letters.DRAFT and view.sha256 == "" and view.issued_on is None
            assert view.sections["strengths"] == "Officer's late wording."
            assert len(conflicts) == 1, ws.member.display_name
            assert conflicts[0].record_title == "Feedback letter version 1 to Police (S11 2026)"
            assert conflicts[0].field_title == "The letter (state, text and issued files)"
        with chair.reading() as session:
            (conflict,) = [c for c in service.list_conflicts(chair, session) if c.table == "s11_letter"]
        assert "State: Issued" in conflict.losing_text and conflict.restorable
        with chair.unit_of_work() as uow:
            service.resolve_conflict(uow, conflict.id, restore=True)
        service.import_bundle(
            officer, send(chair, [officer], tmp_path / "restored.bundle", service.Scope("since_last"))
        )
        for ws in (chair, officer):
            with ws.reading() as session:
                (view,) = letters.letters_of(session, police)
                assert view.state == letters.ISSUED and letters.verify_issued(session, letter_uuid)
                assert view.sections["strengths"] != "Officer's late wording."


def test_agency_status_and_standard_text_merge_with_what_belongs_to_them(tmp_path: Path) -> None:
    with shared_cycle(tmp_path) as (chair, officer, police, standards):
        with chair.unit_of_work() as uow:
            cycles.set_status(uow, police, "closed", today=date(2026, 6, 1))
            edit_standard(uow, standards[2], title="Safer recruitment", good_practice="Every post is checked.")
            edit_standard(uow, standards[3], questions=["Who audits supervision?"])
        with officer.unit_of_work() as uow:  # later: the Officer's status wins with its own day
            cycles.set_status(uow, police, "sent", today=date(2026, 6, 2))
            edit_standard(uow, standards[2], good_practice="Posts are checked before starting.")
            edit_standard(uow, standards[3], evidence_prompts=["Supervision audit"])
        swap(chair, officer, tmp_path, "status")
        assert content(snapshot(chair)) == content(snapshot(officer))
        with chair.reading() as session:
            participant = cycles.get_participant(session, police)
            status = (participant.status, participant.status_changed_on)
            title = get_standard(session, standards[2])
            third = (title.title, title.good_practice)
            fourth = get_standard(session, standards[3])
            lists = (fourth.questions, fourth.evidence_prompts)
            named = {c.field: c for c in service.list_conflicts(chair, session)}
        assert status == ("sent", date(2026, 6, 2))
        # the title and what good looks like come from one member; separate lists merge field by field
        assert third[1] == "Posts are checked before starting." and third[0] != "Safer recruitment"
        assert lists == (["Who audits supervision?"], ["Supervision audit"])
        assert named["group:status"].record_title == "Agency in a Section 11 cycle Police in S11 2026"
        assert named["group:status"].field_title == "Status and the day it was set"
        assert "Status: Closed" in named["group:status"].losing_text
        assert named["group:title"].record_title.startswith("Section 11 standard 3 of ")


def test_two_members_drafting_the_same_letter_make_one_letter(tmp_path: Path) -> None:
    """The Chair and the Officer each draft version 1 for the Police before either has the other's: one letter
    (its identity comes from the agency and the version), whose text is one member's whole; the other's
    wording is a conflict to restore, not a second "version 1"."""
    with shared_cycle(tmp_path) as (chair, officer, police, _standards):
        for ws, words in ((chair, "Chair's wording."), (officer, "Officer's wording.")):
            with ws.unit_of_work() as uow:
                draft = letters.draft_letter(uow, police)
                letters.edit_letter(uow, draft.uuid, {"strengths": words})
        swap(chair, officer, tmp_path, "drafts")
        assert content(snapshot(chair)) == content(snapshot(officer))
        with chair.reading() as session:
            (view,) = letters.letters_of(session, police)
            (conflict,) = [c for c in service.list_conflicts(chair, session) if c.table == "s11_letter"]
        assert view.version == 1 and view.sections["strengths"] == "Officer's wording."
        assert conflict.record_title == "Feedback letter version 1 to Police (S11 2026)"
        assert "Chair's wording." in conflict.losing_text
        with chair.unit_of_work() as uow:  # the next draft after issuing is version 2, again one identity
            letters.issue_letter(uow, view.uuid, issued_by="Dr Helen Marsh", today=date(2026, 6, 1))
            second = letters.reissue_letter(uow, police)
        assert second.version == 2 and second.uuid != view.uuid

"""The interview record: autosave that survives a crash, drafts folded into records, agreed actions
linked both ways with the tracker."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from app.actions.queries import list_actions
from app.actions.sources import locate_source
from app.agencies import add_agency
from app.errors import InvalidInput
from app.section11 import cycles, enquiry, interview, moderation
from app.section11 import status as st
from app.section11.frameworks import standards_of
from app.store.workspace import Workspace
from tests.helpers.section11 import police_cycle
from tests.helpers.workspaces import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


def booked_interview(ws: Workspace) -> dict[str, str]:
    with ws.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        cycle, police = police_cycle(uow, scale_key="met-words")
        standard = standards_of(uow.session, cycle.framework_uuid)[2]
        moderation.record_self_assessment(uow, police, standard.uuid, score=3)
        moderation.moderate(uow, police, standard.uuid, 1, "No escalation log was offered.")
        enquiry.suggest_lines(uow, police)
        booked = interview.book_interview(
            uow,
            police,
            on=date(2026, 5, 12),
            start_time="10:30",
            place="HQ",
            attendees=[
                interview.Attendee("Dr Helen Marsh", "Chair", "chair"),
                {"name": "Supt Ray Cole", "role": "Board lead", "kind": "agency"},
            ],
        )
        line = enquiry.lines_of_enquiry(uow.session, police)[0]
        return {
            "cycle": cycle.uuid,
            "police": police,
            "interview": booked.uuid,
            "line": line.uuid,
            "standard": standard.uuid,
        }


def test_typing_survives_a_crash_mid_sentence(workspace: Workspace, workspace_path: Path) -> None:
    ids = booked_interview(workspace)
    workspace.lock()
    crash = textwrap.dedent(f"""
        import os
        from app.store.workspace import Workspace
        from app.section11 import interview
        ws = Workspace.open({str(workspace_path)!r}, {PASSPHRASE!r}, backup_on_unlock=False)
        text = ""
        for ch in "The board lead said escalations are logged since Ma":
            text += ch
            with ws.unit_of_work() as uow:
                interview.save_draft(uow, {ids["interview"]!r}, {ids["line"]!r}, "answer", text)
        with ws.unit_of_work() as uow:
            interview.save_draft(uow, {ids["interview"]!r}, {ids["interview"]!r}, "notes", "Frank and op")
        os._exit(9)  # the laptop dies: no lock, no engine dispose, no commit of anything else
    """)
    env = dict(os.environ, PYTHONPATH=str(REPO), WORKBENCH_KDF_ITERATIONS="1")
    result = subprocess.run(
        [sys.executable, "-c", crash], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 9, result.stderr
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        with reopened.reading() as session:
            record = interview.interview_record(session, ids["police"])
        assert record is not None and record.notes == "Frank and op"
        assert record.lines[0].answer == "The board lead said escalations are logged since Ma"
        assert len(record.pending) == 2
        with reopened.unit_of_work() as uow:
            assert interview.commit_drafts(uow, ids["interview"]) == 2
        with reopened.reading() as session:
            record = interview.interview_record(session, ids["police"])
            line = enquiry.get_line(session, ids["line"])
            stored_answer = line.answer
        assert record.pending == () and stored_answer.endswith("since Ma")
    finally:
        reopened.lock()


def test_interview_record_lines_and_agreed_actions_link_both_ways(workspace: Workspace) -> None:
    ids = booked_interview(workspace)
    with workspace.unit_of_work() as uow:
        interview.record_line(
            uow,
            ids["line"],
            question_asked="Show us the escalation log.",
            answer="It starts next month.",
            evidence_promised="The first month's log",
            evidence_due=date(2026, 7, 1),
            judgement=1,
            judgement_note="Not yet in place",
        )
        with pytest.raises(InvalidInput, match="not a score"):
            interview.record_line(uow, ids["line"], judgement=9)
    with workspace.unit_of_work() as uow:
        interview.update_interview(uow, ids["interview"], strengths="Candid leadership.", challenges="Escalation.")
        interview.mark_held(uow, ids["interview"], held_on=date(2026, 5, 12))
        reference = interview.agree_action(
            uow,
            ids["police"],
            title="Keep an escalation log",
            due=date.today() + timedelta(days=60),
            enquiry_uuid=ids["line"],
            lead_officer="DCI Patel",
        )
    with workspace.reading() as session:
        record = interview.interview_record(session, ids["police"])
        assert record.state == interview.HELD and record.attendees[1].name == "Supt Ray Cole"
        assert record.lines[0].judgement_text == "Partially met" and record.lines[0].evidence_due == date(2026, 7, 1)
        assert [a.reference for a in record.actions] == [reference]
        action = next(a for a in list_actions(session) if a.reference == reference)
        where = locate_source(session, "section11", action.source_uuid)
        row = cycles.cycle_register(session, ids["cycle"])[0]
    assert action.source_uuid == ids["line"]
    assert where is not None and where.record_uuid == ids["police"]
    assert "standard 3" in where.description and "12/05/2026" in where.description and "S11 2026" in where.description
    assert row.status == st.INTERVIEWED


def test_booking_checks_its_input(workspace: Workspace) -> None:
    ids = booked_interview(workspace)
    with pytest.raises(InvalidInput, match="not a time of day"):
        with workspace.unit_of_work() as uow:
            interview.book_interview(uow, ids["police"], on=date(2026, 5, 12), start_time="25:00")
    with pytest.raises(InvalidInput, match="unknown kind"):
        with workspace.unit_of_work() as uow:
            interview.update_interview(uow, ids["interview"], attendees=[{"name": "X", "kind": "press"}])
    with pytest.raises(InvalidInput, match="no text field"):
        with workspace.unit_of_work() as uow:
            interview.save_draft(uow, ids["interview"], ids["interview"], "state", "held")


def test_attendees_are_checked_row_by_row_naming_the_field() -> None:
    rows = [
        {"name": " Dr Helen Marsh ", "role": "Chair", "kind": "chair"},
        {"name": "", "role": "", "kind": "agency"},  # a blank row is dropped, not refused
        {"name": "Supt Ray Cole", "role": "", "kind": ""},  # no kind: an agency representative
    ]
    assert interview.check_attendees(rows) == [
        {"name": "Dr Helen Marsh", "role": "Chair", "kind": "chair"},
        {"name": "Supt Ray Cole", "role": "", "kind": "agency"},
    ]
    cases = [
        ([{"name": "", "role": "Observer"}], 1, "name", "Attendees, row 1: the name is empty"),
        (
            [{"name": "A"}, {"name": "B", "role": "r" * 201}],
            2,
            "role",
            "Attendees, row 2: the role is 201 characters long; at most 200 are allowed.",
        ),
        ([{"name": "x" * 201}], 1, "name", "Attendees, row 1: the name is 201 characters long"),
        ([{"name": "A\u202eB"}], 1, "name", "Attendees, row 1: the name contains"),
        ([{"name": "A", "kind": "press"}], 1, "kind", "Attendees, row 1: unknown kind 'press'"),
    ]
    for typed, row, field, message in cases:
        with pytest.raises(interview.AttendeeProblem) as refused:
            interview.check_attendees(typed)
        assert (refused.value.row, refused.value.field) == (row, field)
        assert refused.value.message.startswith(message)
    with pytest.raises(interview.AttendeeProblem, match="at most 40"):
        interview.check_attendees([{"name": f"P{n}"} for n in range(41)])


def test_a_bad_attendee_writes_nothing(workspace: Workspace) -> None:
    ids = booked_interview(workspace)
    with pytest.raises(InvalidInput, match="row 2: the name is empty"):
        with workspace.unit_of_work() as uow:
            interview.update_interview(
                uow, ids["interview"], place="Elsewhere", attendees=[{"name": "A"}, {"name": "", "role": "Lead"}]
            )
    with workspace.reading() as session:
        record = interview.interview_record(session, ids["police"])
    assert (
        record is not None
        and record.place == "HQ"
        and [a.name for a in record.attendees]
        == [
            "Dr Helen Marsh",
            "Supt Ray Cole",
        ]
    )


def test_a_first_booking_proposes_the_chair_and_the_agency_lead(workspace: Workspace) -> None:
    from app.section11 import letters

    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        _last, before = police_cycle(uow, 2025)
        # nothing known: the member booking is a lead reviewer, not a Chair; no lead named; no last cycle
        assert interview.proposed_attendees(uow.session, before, "Alex Reviewer", "Lead reviewer") == []
        # the member's own identity says Chair
        assert interview.proposed_attendees(uow.session, before, "Dr Helen Marsh", "Independent Chair") == [
            interview.Attendee("Dr Helen Marsh", "Independent Chair", "chair")
        ]
        interview.book_interview(
            uow,
            before,
            on=date(2025, 5, 1),
            attendees=[
                {"name": "Dr Helen Marsh", "role": "Chair", "kind": "chair"},
                {"name": "Priya Nair", "role": "Panel", "kind": "panel"},
                {"name": "Supt Ray Cole", "role": "Board lead", "kind": "agency"},
            ],
        )
        _this, police = police_cycle(uow, 2026)
        # last cycle's interview: its Chair and the agency's people (not the panel, who change)
        assert interview.proposed_attendees(uow.session, police, "Alex Reviewer", "Lead reviewer") == [
            interview.Attendee("Dr Helen Marsh", "Chair", "chair"),
            interview.Attendee("Supt Ray Cole", "Board lead", "agency"),
        ]
        # the agency named its lead for this cycle; the partnership set the letters' signatory (the Chair)
        uow.update(cycles.get_participant(uow.session, police), contact_name="Ch Supt Dee Ward")
        letters.save_letter_settings(
            uow, partnership_name="NSCP", letterhead="", signatory_name="Dr Ann Lee", signatory_role="Chair"
        )
        assert interview.proposed_attendees(uow.session, police, "Alex Reviewer", "Lead reviewer") == [
            interview.Attendee("Dr Ann Lee", "Chair", "chair"),
            interview.Attendee("Ch Supt Dee Ward", "Senior lead", "agency"),
        ]


#: letters, spaces, an accent, a control character and a right-to-left override (both refused)
_CHARS = "ab .\u00e9\t\x07\u202e"
_SHORT = hs.text(alphabet=_CHARS, max_size=12)
_LONG = hs.text(alphabet="ab .", min_size=2, max_size=3).map(lambda t: (t * 101)[:201])  # about the limit
_ROWS = hs.lists(
    hs.fixed_dictionaries(
        {
            "name": hs.one_of(hs.just(""), hs.just("  "), _SHORT, _LONG),
            "role": hs.one_of(hs.just(""), _SHORT, _LONG),
            "kind": hs.sampled_from(["", "agency", "chair", "panel", "other", "press", " chair "]),
        }
    ),
    max_size=6,
)


@given(_ROWS)
def test_checked_attendees_are_storable_or_refused_at_a_named_row(rows: list[dict[str, str]]) -> None:
    try:
        kept = interview.check_attendees(rows)
    except interview.AttendeeProblem as refused:
        assert 1 <= refused.row <= len(rows) and refused.field in ("name", "role", "kind")
        assert refused.message.startswith(f"Attendees, row {refused.row}: the {refused.field}") or (
            refused.field == "kind" and f"row {refused.row}: unknown kind" in refused.message
        )
        return
    assert len(kept) == sum(1 for r in rows if r["name"].strip() or r["role"].strip())
    for person in kept:
        assert person["name"] and person["name"] == person["name"].strip() and len(person["name"]) <= 200
        assert len(person["role"]) <= 200 and person["kind"] in interview.ATTENDEE_KINDS

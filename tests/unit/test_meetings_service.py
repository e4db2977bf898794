"""Meetings on a real encrypted workspace: agenda order, issue and versions, meeting mode, minutes, approval."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from app.agencies import add_agency
from app.errors import InvalidInput
from app.meetings import issue, minutes, service
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from tests.helpers.meetings_corpus import paper_pdf
from tests.helpers.meetings_pdf import page_texts


@pytest.fixture
def meeting(workspace: Workspace) -> str:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        found = service.add_meeting(
            uow, body="QA", meets_on=date(2026, 3, 12), start_time="10:00", venue="Room 4", chair="Dr Helen Marsh"
        )
        uow.session.flush()
        for title, restricted in (("Minutes", False), ("Action log", False), ("Named cases", True)):
            service.add_item(uow, found.uuid, title, restricted=restricted)
        service.add_member(uow, found.uuid, "Jo Cleared", cleared_restricted=True)
        service.add_member(uow, found.uuid, "Pat Open")
        return found.uuid


def _titles(workspace: Workspace, meeting_uuid: str) -> list[str]:
    with workspace.reading() as session:
        return [i.title for i in service.items(session, meeting_uuid)]


def test_items_reorder_and_numbering_follows(workspace: Workspace, meeting: str) -> None:
    with workspace.reading() as session:
        last = service.items(session, meeting)[2].uuid
    with workspace.unit_of_work() as uow:
        service.move_item(uow, last, 0)
    assert _titles(workspace, meeting) == ["Named cases", "Minutes", "Action log"]
    with workspace.reading() as session:
        assert service.find_item(session, meeting, 1).title == "Named cases"
        assert [i.position for i in service.items(session, meeting)] == [1, 2, 3]


def test_issue_versions_keep_earlier_packs_and_list_changes(workspace: Workspace, meeting: str) -> None:
    with workspace.unit_of_work() as uow:
        items = service.items(uow.session, meeting)
        service.add_report_paper(uow, items[1].uuid, "actions")
        paper = service.add_file_paper(uow, items[2].uuid, "cases.pdf", paper_pdf("Cases", 2, marker="CHILD-Q"))
        paper_uuid = paper.uuid
    with workspace.unit_of_work() as uow:
        first = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert first.version == 1 and first.changes == []
    with workspace.unit_of_work() as uow:
        service.replace_file_paper(uow, paper_uuid, "cases-v2.pdf", paper_pdf("Cases corrected", 3, marker="CHILD-Q"))
        service.add_item(uow, meeting, "Late item")
    with workspace.unit_of_work() as uow:
        second = issue.issue_pack(uow, meeting, today=date(2026, 3, 2))
    assert second.version == 2
    assert "Item 3: paper replaced: cases" in second.changes and "Item 4 added: Late item" in second.changes
    with workspace.reading() as session:
        versions = service.packs(session, meeting)
        assert [p.version for p in versions] == [1, 2]
        assert service.get_meeting(session, meeting).status == service.PACK_ISSUED
        open_copy = issue.copy_for(session, versions[1], "Pat Open")
        cleared_copy = issue.copy_for(session, versions[1], "Jo Cleared")
        old = issue.get_pack(session, meeting, 1)
        assert old.page_count < versions[1].page_count
    assert not any("CHILD-Q" in t for t in page_texts(open_copy))
    assert any("CHILD-Q" in t for t in page_texts(cleared_copy))
    assert "What changed since version 1" in page_texts(open_copy)[1]


def test_meeting_mode_actions_reach_the_tracker_and_minutes_freeze(workspace: Workspace, meeting: str) -> None:
    from app.actions.queries import list_actions

    with workspace.unit_of_work() as uow:
        item = service.items(uow.session, meeting)[1]
        from app.agencies import list_agencies

        police = list_agencies(uow.session)[0]
        minutes.record_item(uow, item.uuid, notes="Discussed as typed: 3 overdue.", decisions="Escalate to board.")
        reference = minutes.raise_action(
            uow,
            item.uuid,
            title="Report overdue actions to the board",
            owner_agency_uuid=police.uuid,
            due=date(2026, 4, 30),
        )
        people = service.members(uow.session, meeting)
        service.set_attendance(uow, people[0].uuid, "present")
        service.set_attendance(uow, people[1].uuid, "apologies")
        minutes.mark_held(uow, meeting)
    with workspace.reading() as session:
        action = next(a for a in list_actions(session) if a.reference == reference)
        assert action.source_kind == "meeting_item" and action.source_label == "QA-2026-03-12 item 2"
        record = minutes.minutes_of(session, meeting)
        pdf = minutes.export_minutes(session, meeting, "pdf")
        docx = minutes.export_minutes(session, meeting, "docx")
    assert record.present == ["Jo Cleared"] and record.apologies == ["Pat Open"]
    assert record.items[1].actions[0].reference == reference
    text = "\n".join(page_texts(pdf))
    for expected in (
        "Discussed as typed: 3 overdue.",
        "Escalate to board.",
        reference,
        "Jo Cleared",
        "OFFICIAL-SENSITIVE",
    ):
        assert expected in text
    import io

    from docx import Document

    words = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "Escalate to board." in words and "Apologies" in words
    with workspace.unit_of_work() as uow:
        service.add_meeting(uow, body="QA", meets_on=date(2026, 4, 9))  # the meeting approving them
    with workspace.unit_of_work() as uow:
        digest = minutes.approve_minutes(uow, meeting, at_meeting="QA-2026-04-09")
    with workspace.reading() as session:
        assert service.get_meeting(session, meeting).minutes_hash == digest
        audit = [e.summary for e in session.scalars(select(AuditEntry))]
    assert any(digest in summary for summary in audit)
    with pytest.raises(InvalidInput, match="frozen"):
        with workspace.unit_of_work() as uow:
            minutes.record_item(uow, item.uuid, notes="changed afterwards")


def test_unknown_meeting_and_report_are_named(workspace: Workspace, meeting: str) -> None:
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="Unknown meeting 'QA-1999-01-01'"):
            service.find_meeting(session, "QA-1999-01-01")
    with pytest.raises(InvalidInput, match="Unknown meeting-pack report 'nope'"):
        with workspace.unit_of_work() as uow:
            service.add_report_paper(uow, service.items(uow.session, meeting)[0].uuid, "nope")


def test_demo_has_a_past_meeting_with_minutes_and_a_coming_pack(demo_workspace: Workspace) -> None:
    with demo_workspace.reading() as session:
        rows = service.list_meetings(session)
        coming = next(r for r in rows if r.meets_on > date.today())
        past = next(r for r in rows if r.meets_on < date.today())
        pack = issue.get_pack(session, coming.uuid)
        content, open_content, page_count = pack.content, pack.open_content, pack.page_count
        record = minutes.minutes_of(session, past.uuid)
    assert past.status == service.HELD and record.items[0].actions
    texts = page_texts(content)
    assert page_count == len(texts) > 6
    assert any("Action log" in t for t in texts) and any("Neglect re-audit plan" in t for t in texts)
    assert any("Child P" in t for t in texts)
    assert open_content is not None and not any("Child P" in t for t in page_texts(open_content))


def test_issuing_again_with_nothing_changed_makes_no_new_version(workspace: Workspace, meeting: str) -> None:
    """Issue 12: a new version follows "a late or replaced paper"; an identical one would only confuse members."""
    with workspace.unit_of_work() as uow:
        item = service.items(uow.session, meeting)[0]
        service.add_file_paper(uow, item.uuid, "minutes.pdf", paper_pdf("Minutes", 2))
    with workspace.unit_of_work() as uow:
        first = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    with workspace.unit_of_work() as uow:
        again = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert again.unchanged and (again.version, again.pack_uuid) == (1, first.pack_uuid)
    assert "Nothing changed since QA-2026-03-12-v1" in again.message and "no new version" in again.message
    with workspace.reading() as session:
        assert [p.version for p in service.packs(session, meeting)] == [1]
    with workspace.unit_of_work() as uow:
        service.add_item(uow, meeting, "Late item")
    with workspace.unit_of_work() as uow:
        second = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert not second.unchanged and second.version == 2 and second.changes == ["Item 4 added: Late item"]
    # what the cover and the agenda show counts too, not only the papers
    with workspace.unit_of_work() as uow:
        service.update_meeting(uow, meeting, venue="Room 9")
        service.update_item(uow, service.items(uow.session, meeting)[0].uuid, restricted=True, presenter="Sam")
    with workspace.unit_of_work() as uow:
        third = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert third.version == 3
    assert third.changes == ["Meeting's venue changed", "Item 1: presenter, restricted changed"]


def test_minutes_are_not_approved_before_the_meeting_is_held(workspace: Workspace, meeting: str) -> None:
    with workspace.unit_of_work() as uow:
        service.add_report_paper(uow, service.items(uow.session, meeting)[0].uuid, "actions")
    with workspace.unit_of_work() as uow:
        issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    for status in (service.PLANNED, service.PACK_ISSUED):
        with workspace.unit_of_work() as uow:
            uow.update(service.get_meeting(uow.session, meeting), status=status, summary="test")
        with pytest.raises(InvalidInput) as refused:
            with workspace.unit_of_work() as uow:
                minutes.approve_minutes(uow, meeting)
        assert refused.value.message == (
            "QA-2026-03-12 has not been held yet: mark it as held after the meeting, "
            "then approve its minutes (at the next meeting)."
        )
    with workspace.reading() as session:
        assert service.get_meeting(session, meeting).minutes_hash == ""


def test_a_damaged_paper_is_named_in_one_line_without_internals(workspace: Workspace, meeting: str) -> None:
    from app.meetings.pack import check_paper_pdf

    with pytest.raises(InvalidInput) as refused:
        check_paper_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "board-report.pdf")
    message = refused.value.message
    assert message.startswith("board-report.pdf is a damaged PDF")
    assert "0x" not in message and "BytesIO" not in message and "stream" not in message and "\n" not in message


def test_demo_chair_of_the_coming_meeting_gets_a_sealed_copy(demo_workspace: Workspace) -> None:
    """The demo shows the sealed-copy route: its Chair is a trusted exchange contact, the others are not."""
    with demo_workspace.reading() as session:
        coming = next(r for r in service.list_meetings(session) if r.meets_on > date.today())
        contacts = {m.name: m.contact_name for m in service.members(session, coming.uuid)}
    assert contacts["Dr Helen Marsh"] == "Dr Helen Marsh"
    assert [name for name, contact in contacts.items() if contact] == ["Dr Helen Marsh"]


def test_an_action_log_filtered_by_body_lists_only_actions_raised_at_its_meetings(demo_workspace: Workspace) -> None:
    """Issue 12: the action log paper "filtered by body, source or agency"."""
    from app.actions.pack_report import select_rows
    from app.actions.queries import list_actions
    from app.contributions import ReportRequest

    with demo_workspace.unit_of_work() as uow:
        rows = service.list_meetings(uow.session)
        coming = next(r for r in rows if r.meets_on > date.today())
        past = next(r for r in rows if r.meets_on < date.today())
        item = service.items(uow.session, coming.uuid)[1]
        paper = service.add_report_paper(uow, item.uuid, "actions", filters={"body": "qa"})
        stored, title = dict(paper.report_filters), paper.title
        qa_body = service.find_body(uow.session, "QA").uuid
        past_items = {i.uuid for i in service.items(uow.session, past.uuid)}
        with pytest.raises(InvalidInput, match="Unknown meeting body 'Nope'"):
            service.add_report_paper(uow, item.uuid, "actions", filters={"body": "Nope"})
    assert stored == {"body": qa_body} and title == "Action log (QA)"
    with demo_workspace.reading() as session:
        every = list_actions(session)
        raised_here = {a.reference for a in every if a.source_uuid in past_items}
        elsewhere = {a.reference for a in every if a.source_uuid not in past_items}
        built = issue.build_preview(session, coming.uuid)
        name, sources = service.body_sources(session, qa_body)
        request = ReportRequest(date.today(), {"body": qa_body, "body_name": name, "body_sources": ",".join(sources)})
        assert {r.reference for r in select_rows(session, request)} == raised_here
        assert select_rows(session, ReportRequest(date.today(), {"body": qa_body})) == []  # no ids: empty, not all
    assert raised_here and elsewhere
    texts = page_texts(built.full.content)
    start = next(n for n, t in enumerate(texts) if "Showing only: actions raised at Quality Assurance subgroup" in t)
    log = texts[start]
    assert all(reference in log for reference in raised_here)
    assert not any(reference in log for reference in elsewhere)


def test_report_filters_are_offered_by_name_and_stored_by_identity(workspace: Workspace, meeting: str) -> None:
    with workspace.unit_of_work() as uow:
        fields = {f.name: f for f in service.report_filter_fields(uow.session, "actions")}
        police = fields["agency"].choices[0][1]
        item = service.items(uow.session, meeting)[1].uuid
        paper = service.add_report_paper(
            uow, item, "actions", filters={"agency": "police", "source": "meeting", "open_only": "yes"}
        )
        stored, title = dict(paper.report_filters), paper.title
        with pytest.raises(InvalidInput, match="Unknown source 'gossip'"):
            service.add_report_paper(uow, item, "actions", filters={"source": "gossip"})
    assert set(fields) == {"body", "source", "agency", "source_label", "open_only"}
    assert ("Quality Assurance subgroup (QA)", "QA") in fields["body"].choices
    assert ("Meeting", "meeting_item") in fields["source"].choices and fields["source_label"].choices is None
    assert stored == {"agency": police, "source": "meeting_item", "open_only": "yes"}
    assert title == "Action log (Police, Meeting, open only)"


def test_the_previous_minutes_paper_names_no_restricted_item(workspace: Workspace, meeting: str) -> None:
    """Its pages go to every member: a restricted item's title ("Named cases") can name the case."""
    from reportlab.platypus import SimpleDocTemplate

    from app.contributions import ReportRequest
    from app.meetings.minutes import previous_minutes_report

    with workspace.unit_of_work() as uow:
        named = service.items(uow.session, meeting)[2]
        minutes.record_item(uow, named.uuid, notes="Child X discussed.", decisions="Refer to the panel.")
        minutes.mark_held(uow, meeting)
        following = service.add_meeting(uow, body="QA", meets_on=date(2026, 6, 11))
        uow.session.flush()
        following_uuid = following.uuid
    with workspace.reading() as session:
        story = previous_minutes_report(
            session, ReportRequest(as_of=date(2026, 6, 1), filters={"meeting": following_uuid})
        )
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(story)
    text = " ".join(page_texts(buffer.getvalue()))
    assert "Action log" in text and "3. Restricted item: minutes to members only." in text
    assert "Named cases" not in text and "Child X" not in text


def test_a_paper_added_after_one_is_removed_goes_last(workspace: Workspace, meeting: str) -> None:
    """Papers were placed by how many were left: after removing the first of three, the next one
    took the last one's place and the pack put the two in either order (by record id)."""
    with workspace.unit_of_work() as uow:
        item = service.items(uow.session, meeting)[0].uuid
        first = service.add_file_paper(uow, item, "a.pdf", paper_pdf("A", 1)).uuid
        service.add_file_paper(uow, item, "b.pdf", paper_pdf("B", 1))
        service.add_report_paper(uow, item, "actions", title="c")
    with workspace.unit_of_work() as uow:
        service.delete_paper(uow, first)
    with workspace.unit_of_work() as uow:
        service.add_file_paper(uow, item, "d.pdf", paper_pdf("D", 1))
        service.add_report_paper(uow, item, "actions", title="e")
    with workspace.reading() as session:
        listed = service.papers(session, item)
        assert [p.title for p in listed] == ["b", "c", "d", "e"]
        assert len({p.position for p in listed}) == 4


def test_a_copy_without_restricted_papers_names_none_in_its_change_list(workspace: Workspace, meeting: str) -> None:
    """Version 2's "What changed" page is in every member's copy: it named a restricted item's old and new
    title and its papers' titles to members not cleared for them, whose agenda line hides them."""
    with workspace.reading() as session:
        named = service.items(session, meeting)[2].uuid
    with workspace.unit_of_work() as uow:
        service.add_file_paper(uow, named, "c.pdf", paper_pdf("Cases", 1), title="Child Q chronology")
    with workspace.unit_of_work() as uow:
        issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    with workspace.unit_of_work() as uow:
        service.update_item(uow, named, title="Child R and Child S")
        service.add_file_paper(uow, named, "s.pdf", paper_pdf("Strategy", 1), title="Strategy meeting notes")
        items = service.items(uow.session, meeting)
        service.add_file_paper(uow, items[0].uuid, "m.pdf", paper_pdf("Minutes", 1), title="Draft minutes")
    with workspace.unit_of_work() as uow:
        second = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert any("Child R" in line for line in second.changes)  # the coordinator's own list names everything
    with workspace.reading() as session:
        pack = issue.get_pack(session, meeting)
        uncleared = page_texts(issue.copy_for(session, pack, "Pat Open"))
        cleared = page_texts(issue.copy_for(session, pack, "Jo Cleared"))
    assert "What changed since version 1" in uncleared[1]
    assert "Draft minutes" in uncleared[1]
    for secret in ("Named cases", "Child Q", "Child R", "Strategy meeting"):
        assert not any(secret in text for text in uncleared), secret
    assert "Child R and Child S" in cleared[1] and "Strategy meeting notes" in cleared[1]


def test_the_change_list_says_an_item_was_renamed_and_keeps_two_items_of_one_title_apart(
    workspace: Workspace, meeting: str
) -> None:
    """Items were compared by title: a renamed item read as one removed and another added, and a second
    item titled like an earlier one read as that item moved."""
    with workspace.unit_of_work() as uow:
        issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    with workspace.unit_of_work() as uow:
        first, _log, named = service.items(uow.session, meeting)
        service.update_item(uow, first.uuid, title="Minutes of 21 January")
        service.update_item(uow, named.uuid, title="Named cases: Child R")
        service.add_item(uow, meeting, "Action log")
    with workspace.unit_of_work() as uow:
        second = issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert second.changes == [
        "Item 1 renamed: 'Minutes' is now 'Minutes of 21 January'",
        "Item 3 renamed: 'Named cases' is now 'Named cases: Child R'",
        "Item 4 added: Action log",
    ]
    with workspace.reading() as session:
        uncleared = page_texts(issue.copy_for(session, issue.get_pack(session, meeting), "Pat Open"))
    assert "Item 3: title changed" in uncleared[1] and "Child R" not in "".join(uncleared)


def test_a_paper_stored_damaged_before_the_check_stops_the_pack_naming_item_and_paper(
    workspace: Workspace, meeting: str
) -> None:
    """A paper attached before the cut-short check (the demo board meeting's item 6) was built into the pack
    as blank pages without a word: members got a pack with a paper missing and nobody knew."""
    whole = paper_pdf("Exploitation audit", 3, marker="CHILD-Z")
    with workspace.unit_of_work() as uow:
        items = service.items(uow.session, meeting)
        service.add_report_paper(uow, items[1].uuid, "actions")
        # stored as the check did not yet refuse it (a page count given skips the check, as a bundle's paper does)
        service.add_file_paper(
            uow, items[2].uuid, "audit.pdf", whole[: int(len(whole) * 0.7)], title="Exploitation audit", page_count=3
        )
    for attempt in ("issue", "preview"):
        with pytest.raises(InvalidInput) as refused, workspace.unit_of_work() as uow:
            if attempt == "issue":
                issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
            else:
                issue.build_preview(uow.session, meeting, today=date(2026, 3, 1))
        message = refused.value.message
        assert message.startswith("Item 3 (Named cases): the paper 'Exploitation audit' (audit.pdf) cannot be read"), (
            message
        )
        assert "attach it again" in message and "\n" not in message
    with workspace.reading() as session:
        assert service.packs(session, meeting) == []


def _embedded_fonts(data: bytes) -> set[str]:
    import pikepdf

    found = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get("/FontDescriptor")
                    if descriptor is not None and "/FontFile2" in descriptor:
                        found.add(str(descendant.BaseFont).split("+")[-1])
    return found


def test_letters_outside_winansi_are_drawn_in_the_minutes_and_the_pack(workspace: Workspace, meeting: str) -> None:
    """The names "Łukasz Dvořák" in the attendance and "Łódź" in an action's owner came out as black boxes or "?":
    the base fonts draw WinAnsi only. They are drawn in an embedded font now, in paragraphs and table cells."""
    with workspace.unit_of_work() as uow:
        agency = add_agency(uow, "Policja Łódź", "Łódź")
        member = service.add_member(uow, meeting, "Łukasz Dvořák", role="Niña's social worker")
        uow.session.flush()
        service.set_attendance(uow, member.uuid, "present")
        first = service.items(uow.session, meeting)[0]
        minutes.record_item(uow, first.uuid, notes="Małgorzata presented.", decisions="Zoë's plan agreed.")
        minutes.raise_action(
            uow, first.uuid, title="Write to Łukasz", owner_agency_uuid=agency.uuid, due=date(2026, 4, 1)
        )
        service.add_report_paper(uow, service.items(uow.session, meeting)[1].uuid, "actions")
    with workspace.reading() as session:
        data = minutes.export_minutes(session, meeting, "pdf")
        pack = issue.build_preview(session, meeting, today=date(2026, 3, 1)).full.content
    text = "\n".join(page_texts(data))
    for shown in ("Łukasz Dvořák", "Małgorzata presented.", "Zoë's plan agreed.", "Write to Łukasz", "Łódź"):
        assert shown in text, shown
    assert "?" not in text
    assert "DejaVuSans" in _embedded_fonts(data)
    pack_text = "\n".join(page_texts(pack))
    assert "Write to Łukasz" in pack_text and "Łódź" in pack_text
    assert "DejaVuSans" in _embedded_fonts(pack)


def test_the_status_says_when_the_agenda_has_changed_since_the_pack_was_issued(
    workspace: Workspace, meeting: str
) -> None:
    """ "Pack issued" stayed after the agenda changed, as if members held the agenda of the meeting."""

    def status() -> tuple[str, list[str], str]:
        with workspace.reading() as session:
            found = service.get_meeting(session, meeting)
            row = next(r for r in service.list_meetings(session) if r.uuid == meeting)
            return issue.status_text(session, found), issue.changed_since_issue(session, found), row.status_label

    with workspace.unit_of_work() as uow:
        items = service.items(uow.session, meeting)
        service.add_report_paper(uow, items[1].uuid, "actions")
        service.add_file_paper(uow, items[2].uuid, "cases.pdf", paper_pdf("Cases", 2))
        issue.issue_pack(uow, meeting, today=date(2026, 3, 1))
    assert status() == ("Pack issued", [], "Pack issued")
    with workspace.unit_of_work() as uow:  # the actions it reports may move: the agenda has not
        add_agency(uow, "Northbridge Health", "Health")
    assert status()[1] == []
    with workspace.unit_of_work() as uow:
        service.move_item(uow, items[0].uuid, 2)
        service.add_report_paper(uow, items[0].uuid, "reviews")
    said, changes, listed = status()
    assert said == listed == "Issued 1 Mar; agenda changed since: re-issue"
    assert "Item 'Minutes' is now item 3 (was 1)" in changes and "Item 3: paper added: Reviews register" in changes
    with workspace.unit_of_work() as uow:
        issue.issue_pack(uow, meeting, today=date(2026, 3, 2))
    assert status() == ("Pack issued", [], "Pack issued")


def test_an_overdue_action_flagged_on_track_is_shown_overdue_in_the_packs_action_log(
    workspace: Workspace, meeting: str
) -> None:
    """The owner's "on track" flag never stands beside an overdue date as the action's state: the RAG from
    the date (Red, overdue) is what the pack's action log says."""
    from app.actions.service import add_action
    from app.actions.status import IN_PROGRESS, ON_TRACK

    with workspace.unit_of_work() as uow:
        add_action(
            uow,
            title="Audit strategy meetings",
            owner="Police",
            due=date(2020, 1, 31),
            status=IN_PROGRESS,
            track=ON_TRACK,
        )
        service.add_report_paper(uow, service.items(uow.session, meeting)[1].uuid, "actions")
    with workspace.reading() as session:
        built = issue.build_preview(session, meeting)
    text = "\n".join(page_texts(built.full.content))
    row = text[text.index("Audit strategy") :][:200]
    assert "31/01/2020" in row and "Red" in row and "overdue" in row
    assert "On track" not in text and "Green" not in row

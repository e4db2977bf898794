"""A member's copy sealed to their key: only they (and the sender) open it, it merges into their workspace,
and an uncleared member's copy carries no restricted paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import InvalidInput
from app.exchange import service as exchange
from app.meetings import issue, service
from app.meetings.sealed import seal_copy
from app.records import UnitOfWork
from db.models.meetings import Meeting, MeetingPack
from tests.helpers.meetings_corpus import paper_pdf
from tests.helpers.meetings_pdf import page_texts
from tests.helpers.members import introduce, make_member


def _meeting_with_named_cases(uow: UnitOfWork) -> Meeting:
    """QA on 12/03/2026: an open item with its paper (OPEN-TEXT), a restricted one naming cases (CHILD-S)."""
    meeting = service.add_meeting(uow, body="QA", meets_on=date(2026, 3, 12))
    uow.session.flush()
    open_item = service.add_item(uow, meeting.uuid, "Open item")
    secret = service.add_item(uow, meeting.uuid, "Named cases", presenter="DS Sable", restricted=True)
    uow.session.flush()
    service.add_file_paper(uow, open_item.uuid, "open.pdf", paper_pdf("Open", 1, marker="OPEN-TEXT"))
    service.add_file_paper(uow, secret.uuid, "cases.pdf", paper_pdf("Cases", 1, marker="CHILD-S"))
    return meeting


def test_sealed_copy_reaches_only_the_member_without_restricted_papers(tmp_path: Path) -> None:
    ann, bob, cat = (make_member(tmp_path, name) for name in ("Ann", "Bob", "Cat"))
    try:
        introduce(ann, bob)
        introduce(cat)
        with ann.unit_of_work() as uow:
            meeting = _meeting_with_named_cases(uow)
            service.add_member(uow, meeting.uuid, "Bob", contact_name="Bob")
            service.add_member(uow, meeting.uuid, "Dee")
            meeting_uuid = meeting.uuid
        with ann.unit_of_work() as uow:
            pack_uuid = issue.issue_pack(uow, meeting_uuid).pack_uuid
        out = tmp_path / "bob.bundle"
        seal_copy(ann, pack_uuid, "Bob", out)
        with pytest.raises(InvalidInput, match="no exchange contact"):
            seal_copy(ann, pack_uuid, "Dee", tmp_path / "dee.bundle")
        assert not (tmp_path / "dee.bundle").exists()

        data = out.read_bytes()
        with pytest.raises(exchange.BundleRefused):
            exchange.import_bundle(cat, data)
        exchange.import_bundle(bob, data)
        with bob.reading() as session:
            [copy] = session.scalars(select(MeetingPack)).all()
            content, pack_id = copy.content, copy.pack_id
            assert service.find_meeting(session, "QA-2026-03-12").uuid == meeting_uuid
        texts = page_texts(content)
        assert pack_id.endswith("(copy for Bob)")
        assert any("OPEN-TEXT" in t for t in texts)
        assert not any("CHILD-S" in t or "Named cases" in t for t in texts)
        assert all("Copy for Bob" in t for t in texts)
    finally:
        for ws in (ann, bob, cat):
            ws.lock()


def test_everything_bundles_leave_restricted_items_out_for_uncleared_recipients(tmp_path: Path) -> None:
    ann, bob, cat = (make_member(tmp_path, name) for name in ("Ann", "Bob", "Cat"))
    try:
        introduce(ann, bob, cat)
        with ann.unit_of_work() as uow:
            meeting = _meeting_with_named_cases(uow)
            service.add_member(uow, meeting.uuid, "Bob", contact_name="Bob", cleared_restricted=True)
            service.add_member(uow, meeting.uuid, "Cat", contact_name="Cat")
            meeting_uuid = meeting.uuid
        with ann.unit_of_work() as uow:
            issue.issue_pack(uow, meeting_uuid)
        for member, sees in ((bob, True), (cat, False)):
            path = tmp_path / f"to-{member.member.display_name}.bundle"
            exchange.export_bundle(ann, [member.member.display_name], exchange.Scope(), path)
            exchange.import_bundle(member, path.read_bytes())
            with member.reading() as session:
                titles = [i.title for i in service.items(session, meeting_uuid)]
                packs = service.packs(session, meeting_uuid)
                papers = [
                    p.title for i in service.items(session, meeting_uuid) for p in service.papers(session, i.uuid)
                ]
            assert ("Named cases" in titles) is sees and ("cases" in papers) is sees
            assert bool(packs) is sees
            assert "Open item" in titles and "open" in papers
    finally:
        for ws in (ann, bob, cat):
            ws.lock()


def test_an_uncleared_members_sealed_copy_carries_no_restricted_title_in_its_record(tmp_path: Path) -> None:
    """The copy's pages left restricted items out, but the record around it (the version's manifest and
    change list, read on the member's side) named the restricted item and its papers."""
    ann, bob = (make_member(tmp_path, name) for name in ("Ann", "Bob"))
    try:
        introduce(ann, bob)
        with ann.unit_of_work() as uow:
            meeting = _meeting_with_named_cases(uow)
            service.add_member(uow, meeting.uuid, "Bob", contact_name="Bob")
            meeting_uuid = meeting.uuid
        with ann.unit_of_work() as uow:
            issue.issue_pack(uow, meeting_uuid)
        with ann.unit_of_work() as uow:
            secret = service.items(uow.session, meeting_uuid)[1]
            service.add_file_paper(uow, secret.uuid, "more.pdf", paper_pdf("More", 1), title="Child S strategy")
        with ann.unit_of_work() as uow:
            pack_uuid = issue.issue_pack(uow, meeting_uuid).pack_uuid
        out = tmp_path / "bob.bundle"
        seal_copy(ann, pack_uuid, "Bob", out)
        exchange.import_bundle(bob, out.read_bytes())
        with bob.reading() as session:
            [copy] = session.scalars(select(MeetingPack)).all()
            record = repr((copy.manifest, copy.changes))
            changes = list(copy.changes)
            pages, told = len(page_texts(copy.content)), copy.page_count
        for secret_text in ("Named cases", "cases.pdf", "Child S", "CHILD-S", "DS Sable"):
            assert secret_text not in record, secret_text
        assert told == pages  # the full pack's count told how many pages of restricted papers there are
        assert changes == ["1 paper of restricted items changed (papers to members only)"]
    finally:
        for ws in (ann, bob):
            ws.lock()


def test_a_restricted_item_removed_since_the_last_version_is_not_named_in_an_uncleared_copy(tmp_path: Path) -> None:
    """No item of version 2 was restricted, so every member got the full copy, whose change list named the
    removed restricted item and its paper ("Item removed: Named cases")."""
    ann = make_member(tmp_path, "Ann")
    try:
        with ann.unit_of_work() as uow:
            meeting_uuid = _meeting_with_named_cases(uow).uuid
        with ann.unit_of_work() as uow:
            issue.issue_pack(uow, meeting_uuid)
        with ann.unit_of_work() as uow:
            service.delete_item(uow, service.items(uow.session, meeting_uuid)[1].uuid)
        with ann.unit_of_work() as uow:
            issue.issue_pack(uow, meeting_uuid)
        with ann.reading() as session:
            pack = service.latest_pack(session, meeting_uuid)
            full = "\n".join(page_texts(issue.copy_for(session, pack, "Chair", cleared=True)))
            uncleared = "\n".join(page_texts(issue.copy_for(session, pack, "Grace Adeyemi", cleared=False)))
        assert "Named cases" in full  # the full copy's change list says which item went
        for secret_text in ("Named cases", "cases.pdf", "Cases"):
            assert secret_text not in uncleared, secret_text
        assert "OPEN-TEXT" in uncleared
    finally:
        ann.lock()

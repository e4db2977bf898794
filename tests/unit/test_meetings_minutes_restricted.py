"""Minutes with restricted items, as a pack withholds them: every item with the restricted ones marked in
words, or a copy without them for members not cleared (`open_only`, or a member's copy by name)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from app.errors import InvalidInput
from app.meetings import minutes, service
from app.store.workspace import Workspace
from tests.helpers.meetings_pdf import page_texts

SECRET_TITLE = "Child Q: allegation against a named teacher"
SECRET_NOTES = "LADO-REFERRAL-NOTES"
SECRET_DECISION = "GOVERNORS-LETTER-DECISION"


@pytest.fixture
def meeting(workspace: Workspace) -> str:
    with workspace.unit_of_work() as uow:
        found = service.add_meeting(uow, body="QA", meets_on=date(2026, 12, 15), start_time="10:00")
        uow.session.flush()
        plain = service.add_item(uow, found.uuid, "Action log")
        secret = service.add_item(uow, found.uuid, SECRET_TITLE, restricted=True)
        uow.session.flush()
        minutes.record_item(uow, plain.uuid, notes="Open notes.", decisions="Open decision.")
        minutes.record_item(uow, secret.uuid, notes=SECRET_NOTES, decisions=SECRET_DECISION)
        service.add_member(uow, found.uuid, "Jo Cleared", cleared_restricted=True)
        service.add_member(uow, found.uuid, "Łukasz Dvořák")
        return found.uuid


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _exports(workspace: Workspace, meeting: str, **options: object) -> list[str]:
    with workspace.reading() as session:
        pdf = minutes.export_minutes(session, meeting, "pdf", **options)  # type: ignore[arg-type]
        docx = minutes.export_minutes(session, meeting, "docx", **options)  # type: ignore[arg-type]
    return ["\n".join(page_texts(pdf)), _docx_text(docx)]


def test_minutes_with_every_item_mark_each_restricted_item_and_say_so_at_the_top(
    workspace: Workspace, meeting: str
) -> None:
    """Found by review: item 2 came out with its title, notes and decisions and no word that it was restricted,
    while the agenda marked it: a coordinator sending these to every member disclosed it."""
    for text in _exports(workspace, meeting):
        assert f"2. {SECRET_TITLE} (Restricted)" in text
        assert "Restricted: for members cleared for restricted items only." in text
        assert "RESTRICTED: these minutes contain restricted item 2" in text
        assert text.index("RESTRICTED:") < text.index("1. Action log")  # at the top, before any item
        assert "1. Action log (Restricted)" not in text and SECRET_NOTES in text


def test_minutes_without_restricted_items_hold_none_of_their_words(workspace: Workspace, meeting: str) -> None:
    for text in _exports(workspace, meeting, open_only=True):
        assert "2. Restricted item: minutes to members only." in text
        assert "Restricted item 2 left out of this copy" in text
        assert "Child Q" not in text and SECRET_NOTES not in text and SECRET_DECISION not in text
        assert "Open notes." in text


def test_a_members_copy_has_restricted_items_only_if_they_are_cleared(workspace: Workspace, meeting: str) -> None:
    for text in _exports(workspace, meeting, recipient="łukasz dvořák"):  # the name as invited, any case
        assert "Copy for Łukasz Dvořák" in text
        assert SECRET_TITLE not in text and SECRET_NOTES not in text
    for text in _exports(workspace, meeting, recipient="Jo Cleared"):
        assert "Copy for Jo Cleared" in text and f"{SECRET_TITLE} (Restricted)" in text and SECRET_NOTES in text


def test_a_copy_for_someone_not_invited_is_refused(workspace: Workspace, meeting: str) -> None:
    with workspace.reading() as session, pytest.raises(InvalidInput, match="not invited"):
        minutes.export_minutes(session, meeting, "pdf", recipient="Nobody Known")


def test_minutes_without_restricted_items_say_nothing_of_them(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        found = service.add_meeting(uow, body="QA", meets_on=date(2026, 12, 16))
        uow.session.flush()
        service.add_item(uow, found.uuid, "Action log")
        uuid = found.uuid
    for text in _exports(workspace, uuid):
        assert "estricted" not in text
    with workspace.reading() as session:
        assert minutes.restricted_item_numbers(session, uuid) == []

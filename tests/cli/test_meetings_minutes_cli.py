"""`workbench minutes export --for NAME | --open-only`: the minutes without restricted items for members not
cleared, as `pack build --for` leaves out restricted papers; by default every item, restricted ones marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.meetings import minutes, service
from app.records import UnitOfWork
from tests.helpers.cli import made_workspace, ok, refused, run
from tests.helpers.meetings_pdf import page_texts

pytestmark = pytest.mark.cli


def _meeting(uow: UnitOfWork) -> None:
    from datetime import date

    found = service.add_meeting(uow, body="QA", meets_on=date(2026, 12, 15))
    uow.session.flush()
    service.add_item(uow, found.uuid, "Action log")
    secret = service.add_item(uow, found.uuid, "Named case CHILD-Q", restricted=True)
    uow.session.flush()
    minutes.record_item(uow, secret.uuid, notes="SECRET-NOTES")
    service.add_member(uow, found.uuid, "Jo Cleared", cleared_restricted=True)
    service.add_member(uow, found.uuid, "Pat Open")


def test_minutes_export_for_a_member_or_open_only(tmp_path: Path) -> None:
    ws = str(made_workspace(tmp_path / "ws", [("Northbridge Police", "Police")], then=_meeting))
    export = ("minutes", "export", ws, "--meeting", "QA-2026-12-15", "--format", "pdf")

    def text(name: str, *options: str) -> str:
        out = tmp_path / name
        said = ok(*export, *options, "--out", str(out))
        return said + "\n".join(page_texts(out.read_bytes()))

    every = text("all.pdf")
    assert "2. Named case CHILD-Q (Restricted)" in every and "RESTRICTED: these minutes contain" in every
    for name, options in (("open.pdf", ("--open-only",)), ("pat.pdf", ("--for", "Pat Open"))):
        shown = text(name, *options)
        assert "CHILD-Q" not in shown and "SECRET-NOTES" not in shown
        assert "2. Restricted item: minutes to members only." in shown
    assert "Wrote Pat Open's copy of the minutes" in text("pat2.pdf", "--for", "Pat Open")
    jo = text("jo.pdf", "--for", "Jo Cleared")
    assert "Copy for Jo Cleared" in jo and "SECRET-NOTES" in jo

    refused(*export, "--for", "Nobody", "--out", str(tmp_path / "x.pdf"), message="'Nobody' is not invited")
    assert not (tmp_path / "x.pdf").exists()
    both = run(*export, "--for", "Pat Open", "--open-only", "--out", str(tmp_path / "y.pdf"))
    assert both.returncode == 2 and "not allowed with" in both.stderr and not (tmp_path / "y.pdf").exists()

"""Evidence files: the size limit, copies the user asks for, removal as a tombstone."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.actions.evidence import (
    MAX_EVIDENCE_BYTES,
    get_evidence,
    load_evidence_file,
    remove_evidence,
    save_evidence_copy,
    size_text,
)
from app.actions.queries import evidence_files, list_actions
from app.actions.service import (
    Closure,
    Update,
    add_action,
    apply_update,
    attach_evidence_file,
    get_action,
)
from app.actions.status import CLOSED_EVIDENCED
from app.agencies import add_agency
from app.errors import InvalidInput
from app.store.workspace import Workspace
from db.models.actions import EvidenceFile


@pytest.fixture
def tracker(workspace: Workspace) -> Workspace:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Children's Social Care", "CSC")
        add_action(uow, title="Audit supervision", owner="CSC", due=date.today() + timedelta(days=40))
    return workspace


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "video.mp4"
    with big.open("wb") as handle:
        handle.truncate(MAX_EVIDENCE_BYTES + 1)  # sparse: no 10 MiB written to disk
    with pytest.raises(InvalidInput, match=r"Evidence file video\.mp4 is 10\.0 MiB; the limit is 10 MiB"):
        load_evidence_file(big)
    exact = tmp_path / "exact.bin"
    with exact.open("wb") as handle:
        handle.truncate(MAX_EVIDENCE_BYTES)
    assert load_evidence_file(exact)[0] == "exact.bin"
    with pytest.raises(InvalidInput, match="does not exist"):
        load_evidence_file(tmp_path / "missing.pdf")


def test_size_text_reads_like_a_person_would_write_it() -> None:
    assert (size_text(12), size_text(2048), size_text(3 * 1048576)) == ("12 bytes", "2 KiB", "3.0 MiB")


def test_attach_save_a_copy_and_remove(tracker: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "re-audit.pdf"
    source.write_bytes(b"%PDF re-audit results")
    with tracker.unit_of_work() as uow:
        attach_evidence_file(uow, get_action(uow.session, "ACT-0001"), source, added_by="Sam Okafor")
    source.unlink()  # the workspace holds its own copy
    with tracker.reading() as session:
        action_uuid = get_action(session, "ACT-0001").uuid
        [entry] = evidence_files(session, action_uuid)
    assert (entry.filename, entry.size, entry.added_by, entry.added_on) == (
        "re-audit.pdf",
        21,
        "Sam Okafor",
        date.today(),
    )

    out = tmp_path / "copy.pdf"
    with tracker.reading() as session:
        save_evidence_copy(session, entry.uuid, out)
    assert out.read_bytes() == b"%PDF re-audit results"
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    out.write_bytes(b"the user's own file")
    with tracker.reading() as session:
        with pytest.raises(InvalidInput, match="already exists"):
            save_evidence_copy(session, entry.uuid, out)
        assert out.read_bytes() == b"the user's own file"
        save_evidence_copy(session, entry.uuid, out, overwrite=True)  # the save dialog asked
        assert out.read_bytes() == b"%PDF re-audit results"
        sidecar = tracker.path / "workspace.json"
        before = sidecar.read_bytes()
        with pytest.raises(InvalidInput, match="inside the workspace folder"):
            save_evidence_copy(session, entry.uuid, sidecar, overwrite=True)
        assert sidecar.read_bytes() == before

    with tracker.unit_of_work() as uow:
        assert remove_evidence(uow, entry.uuid) == "re-audit.pdf"
    with tracker.reading() as session:
        assert evidence_files(session, action_uuid) == []
        tombstone = session.scalars(select(EvidenceFile)).one()
        assert tombstone.deleted_stamp is not None
        with pytest.raises(InvalidInput, match="no longer exists"):
            get_evidence(session, entry.uuid)
        assert list_actions(session)[0].evidence_files == 0


def test_update_attaches_several_files_and_they_count_as_evidence(tracker: Workspace, tmp_path: Path) -> None:
    first, second = tmp_path / "audit.xlsx", tmp_path / "survey.docx"
    first.write_bytes(b"a" * 10)
    second.write_bytes(b"b" * 20)
    update = Update(
        status=CLOSED_EVIDENCED, evidence_files=(first, second), closure=Closure("Dr Marsh", "QA subgroup June 2026")
    )
    with tracker.unit_of_work() as uow:
        apply_update(uow, "ACT-0001", update, author="Sam")
    with tracker.reading() as session:
        row = list_actions(session)[0]
        names = [e.filename for e in evidence_files(session, row.uuid)]
    assert row.status == CLOSED_EVIDENCED and row.evidence_files == 2 and sorted(names) == ["audit.xlsx", "survey.docx"]


def test_one_file_too_large_means_nothing_is_written(tracker: Workspace, tmp_path: Path) -> None:
    small, big = tmp_path / "small.pdf", tmp_path / "big.pdf"
    small.write_bytes(b"ok")
    with big.open("wb") as handle:
        handle.truncate(MAX_EVIDENCE_BYTES + 5)
    with pytest.raises(InvalidInput, match="big.pdf"):
        with tracker.unit_of_work() as uow:
            apply_update(uow, "ACT-0001", Update(progress="Files sent", evidence_files=(small, big)), author="Sam")
    with tracker.reading() as session:
        row = list_actions(session)[0]
    assert (row.evidence_files, row.progress_count) == (0, 0)


def test_closed_evidenced_action_keeps_its_evidence(demo_workspace) -> None:
    from app.actions.evidence import remove_evidence
    from app.actions.queries import evidence_files, list_actions
    from app.actions.service import Update, apply_update, get_action
    from app.actions.status import CLOSED_EVIDENCED, IN_PROGRESS
    from app.errors import InvalidInput

    with demo_workspace.reading() as session:
        closed = [r.reference for r in list_actions(session) if r.status == CLOSED_EVIDENCED]
    reference = closed[0]
    with pytest.raises(InvalidInput, match="must keep evidence"):
        with demo_workspace.unit_of_work() as uow:
            action = get_action(uow.session, reference)
            for entry in evidence_files(uow.session, action.uuid):
                remove_evidence(uow, entry.uuid)
            apply_update(uow, reference, Update(evidence=""), author="Chair")
    with demo_workspace.unit_of_work() as uow:  # reopening first makes it allowed
        apply_update(uow, reference, Update(status=IN_PROGRESS, evidence=""), author="Chair")
        assert get_action(uow.session, reference).impact_evidence == ""

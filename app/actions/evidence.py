"""Evidence files: read from disk once, kept only inside the encrypted workspace.

A file is checked against the size limit BEFORE it is read, so a 2 GiB video is
refused at once with a message naming the file and the limit. Nothing is ever
written to a temporary file: a copy leaves the workspace only when the user
asks for one ("Save a copy…"), written atomically where they chose.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.actions.status import CLOSED_EVIDENCED
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_count, live_record
from app.store.user_files import write_user_file
from db.models.actions import MAX_EVIDENCE_BYTES, Action, EvidenceFile

LIMIT_TEXT = f"{MAX_EVIDENCE_BYTES // 1048576} MiB"


def size_text(size: int) -> str:
    """1.2 MiB, 340 KiB or 12 bytes, as people read sizes."""
    if size >= 1048576:
        return f"{size / 1048576:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"


def check_evidence_size(filename: str, size: int) -> None:
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidInput(
            f"Evidence file {filename} is {size_text(size)}; the limit is {LIMIT_TEXT} per file. Nothing was attached."
        )


def load_evidence_file(path: Path) -> tuple[str, bytes]:
    """(name, content) of a file the user chose, refusing it before reading if it is too large."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Evidence file {path} does not exist.")
    check_evidence_size(path.name, path.stat().st_size)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Evidence file {path} cannot be read: {exc.strerror or exc}.") from None
    check_evidence_size(path.name, len(content))  # it may have grown since stat()
    return path.name, content


def get_evidence(session: Session, file_uuid: str) -> EvidenceFile:
    return live_record(session, EvidenceFile, file_uuid, "That evidence file no longer exists in this workspace.")


def save_evidence_copy(session: Session, file_uuid: str, out: Path, *, overwrite: bool = False) -> Path:
    """Write a copy of a stored file where the user asked (`write_user_file`: atomic, owner-only)."""
    record = get_evidence(session, file_uuid)
    write_user_file(Path(out), bytes(record.content), overwrite=overwrite)
    return Path(out)


def live_file_count(session: Session, action_uuid: str) -> int:
    return live_count(session, EvidenceFile, EvidenceFile.action_uuid, action_uuid)


def require_evidence_kept(session: Session, action: Action, *, text: str, files: int) -> None:
    """An action closed as "impact evidenced" must keep some evidence: the closure rests on it."""
    if action.status == CLOSED_EVIDENCED and not text.strip() and files <= 0:
        raise InvalidInput(
            f"{action.reference} is closed with impact evidenced; it must keep evidence of impact "
            "(text or a file). Reopen it first to remove the last evidence."
        )


def remove_evidence(uow: UnitOfWork, file_uuid: str) -> str:
    """Tombstone a file (it merges as a deletion); returns its name for the status line."""
    record = get_evidence(uow.session, file_uuid)
    action = uow.session.get(Action, record.action_uuid)
    reference = action.reference if action is not None else "?"
    if action is not None:
        require_evidence_kept(
            uow.session, action, text=action.impact_evidence, files=live_file_count(uow.session, action.uuid) - 1
        )
    filename = record.filename  # the tombstone keeps no name
    uow.delete(record, summary=f"Removed an evidence file from {reference}")
    return filename

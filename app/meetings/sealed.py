"""A member's copy of the pack sealed to their key, through the existing bundle mechanism.

The bundle carries three records: the meeting's body and the meeting (so the
copy has somewhere to live on the member's side) and one `meeting_pack` record
whose content is that member's watermarked copy (restricted papers only if they
are cleared). It is signed by us and encrypted to the member (and to us) like
any bundle; the member imports it in the Exchange area and finds the copy under
the meeting. Stronger than a passphrase-encrypted PDF: only their key opens it,
and the signature says who sent it.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.meetings import service
from app.meetings.issue import copy_for, withheld_record
from app.records.live import live_record
from app.store.user_files import check_user_target, write_user_file
from db.models.meetings import Meeting, MeetingBody, MeetingPack


def _row(record: Any, **override: Any) -> dict[str, Any]:
    mapping = {column.name: getattr(record, column.key) for column in type(record).__table__.columns}
    mapping.update(override)
    return mapping


def seal_copy(workspace: Any, pack_uuid: str, member_name: str, out: Path, *, overwrite: bool = False) -> str:
    """Write `out`: a bundle sealed to the member's exchange contact holding their copy. Returns the bundle id."""
    from app.exchange import changeset as cs
    from app.exchange import contacts as contacts_service
    from app.exchange.bundle_format import Manifest, seal
    from app.exchange.errors import BundleError
    from app.exchange.service import SCHEMA_MINOR, clock_frontier, log_sent, trusted_recipients
    from db.schema import SCHEMA_MAJOR

    target = check_user_target(Path(out), overwrite=overwrite)
    with workspace.unit_of_work() as uow:
        session = uow.session
        pack = live_record(session, MeetingPack, pack_uuid, "That pack version no longer exists.")
        member = service.find_member(session, pack.meeting_uuid, member_name)
        if not member.contact_name:
            raise InvalidInput(
                f"{member.name} has no exchange contact: choose theirs beside the meeting's members (Set contact) "
                "once their identity card is imported and trusted in the Exchange area."
            )
        [contact] = trusted_recipients(session, [member.contact_name])
        copy = copy_for(session, pack, member.name)
        # the record around the copy names no restricted item either (its manifest and change list did)
        withheld = withheld_record(session, pack) if not member.cleared_restricted else {}
        meeting = session.get(Meeting, pack.meeting_uuid)
        body = session.get(MeetingBody, meeting.body_uuid)
        codecs = cs.table_codecs()
        copy_uuid = str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, f"workbench:{pack.uuid}:{member.name}"))
        tables = {
            "meeting_body": cs.encode_rows(codecs["meeting_body"], [_row(body)]),
            "meeting": cs.encode_rows(codecs["meeting"], [_row(meeting)]),
            "meeting_pack": cs.encode_rows(
                codecs["meeting_pack"],
                [
                    _row(
                        pack,
                        uuid=copy_uuid,
                        content=copy,
                        open_content=None,
                        sha256=hashlib.sha256(copy).hexdigest(),
                        pack_id=f"{pack.pack_id} (copy for {member.name})"[:60],
                        page_count=_page_count(copy),  # the full pack's told how many restricted pages there are
                        **withheld,
                    )
                ],
            ),
        }
        payload = cs.serialise(tables, codecs)
        counts = {name: len(rows) for name, rows in tables.items()}
        scope = f"sealed copy of {pack.pack_id} for {member.name}"
        manifest = Manifest(
            schema_version=(SCHEMA_MAJOR, SCHEMA_MINOR),
            record_counts=counts,
            clock_frontier=clock_frontier(session, uow, scope),
        )
        try:
            data = seal(
                payload,
                manifest,
                contacts_service.member_keys(workspace.key_pairs),
                [contacts_service.public_keys(contact)],
                sender_name=workspace.member.display_name[:120],
            )
        except BundleError as exc:
            raise InvalidInput(str(exc)) from None
        uow.audit.append(
            "export",
            "meeting_pack",
            pack.uuid,
            f"Sealed copy of {pack.pack_id} sent to {member.name}",
            {"recipient": contact.display_name, "bundle": manifest.bundle_id, "file": target.name},
        )
        log_sent(session, manifest, contact.display_name, scope, counts)  # in the Exchange area's history too
        write_user_file(target, data, overwrite=overwrite)  # inside the unit: a refused file logs no bundle
    return manifest.bundle_id


def _page_count(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)

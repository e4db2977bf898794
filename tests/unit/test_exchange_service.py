"""Every refusal of an incoming bundle: one message, nothing written, nothing on disk."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pyrage
import pytest
from sqlalchemy import select

from app.exchange import changeset as cs
from app.exchange import contacts as contacts_service
from app.exchange import service
from app.exchange.bundle_format import decode_frame, encode_frame
from app.store.workspace import Workspace
from db.models.core import Agency
from tests.helpers.members import introduce, make_member, raw_bundle, send, state
from tests.helpers.reviews import bare_entry, two_bare_reviews


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temp files of this test land in a folder of its own, so we can see none is made."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def trio(tmp_path: Path):
    a, b, c = (make_member(tmp_path, n) for n in ("Ann", "Bob", "Cat"))
    introduce(a, b)
    with a.unit_of_work() as uow:
        uow.create(Agency, name="Children's Social Care", short_name="CSC")
    yield a, b, c, tmp_path
    for ws in (a, b, c):
        ws.lock()


def files_in(*folders: Path) -> set[str]:
    return {str(p) for folder in folders for p in folder.rglob("*")}


def assert_refused(ws: Workspace, data: bytes, match: str, **kwargs: Any) -> service.BundleRefused:
    before = state(ws)
    on_disk = files_in(ws.path, Path(tempfile.gettempdir()))
    with pytest.raises(service.BundleRefused, match=match) as info:
        service.import_bundle(ws, data, **kwargs)
    assert state(ws) == before
    assert files_in(ws.path, Path(tempfile.gettempdir())) - on_disk == set()
    assert "\n" not in str(info.value)
    return info.value


STAMP = "000001700000000.000000." + "a" * 32


def one_record(table: str, fields: list[str], uuid: str, values: list[Any]) -> dict[str, Any]:
    """A change set document holding one live record of `table`, last changed by member "a" * 32."""
    record = [uuid, "a" * 32, None, values, STAMP]
    return {"kind": cs.CHANGE_SET_KIND, "version": 1, "tables": {table: {"fields": fields, "records": [record]}}}


def agency_payload(**overrides: Any) -> dict[str, Any]:
    document = one_record(
        "agency",
        ["name", "short_name", "sector", "colour"],
        "0b0e7d2e-5a8c-4a5e-9d3c-1f2e3d4c5b6a",
        ["Police", "Police", "", "#112233"],
    )
    for key, value in overrides.items():
        document[key] = value
    return document


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def test_a_good_bundle_imports(trio) -> None:
    a, b, _c, tmp = trio
    report = service.import_bundle(b, send(a, [b], tmp / "ok.bundle"))
    assert report.applied and report.totals["new"] == 1


def test_any_flipped_byte_across_the_file_is_refused(trio) -> None:
    a, b, _c, tmp = trio
    data = send(a, [b], tmp / "x.bundle")
    positions = sorted({0, 1, len(data) - 1, len(data) // 2, *range(0, len(data), max(1, len(data) // 40))})
    for position in positions:
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        assert_refused(b, bytes(tampered), "damaged|tampered|not a Safeguarding|not addressed")


@pytest.mark.parametrize("keep", [0, 10, 100, -1, -17])
def test_truncated_files_are_refused(trio, keep: int) -> None:
    a, b, _c, tmp = trio
    data = send(a, [b], tmp / "x.bundle")
    assert_refused(b, data[:keep], "damaged|not a Safeguarding")


def test_not_addressed_to_me(trio) -> None:
    a, b, c, tmp = trio
    introduce(a, c)
    assert_refused(c, send(a, [b], tmp / "x.bundle"), "not addressed to you")


def test_a_damaged_recipient_list_is_not_reported_only_as_not_addressed_to_me(trio) -> None:
    """A flipped byte in the age recipient stanzas leaves no stanza for my key: say it may be damage."""
    a, b, _c, tmp = trio
    data = bytearray(send(a, [b], tmp / "x.bundle"))
    header = bytes(data[: data.index(b"\n---")])
    starts = [m.start() for m in re.finditer(rb"\n-> X25519 ", header)]
    assert len(starts) == 2  # Bob and Ann herself
    for start in starts:
        data[start + 4] ^= 0x01  # "X25519" -> "Y25519": no longer a stanza for anyone's key
    refusal = assert_refused(b, bytes(data), "not addressed to you, or its recipient list is damaged")
    assert type(refusal.error).__name__ == "NotAddressedToYouError"


def test_unknown_sender_is_refused_until_the_fingerprint_is_confirmed(trio) -> None:
    a, b, c, tmp = trio
    with c.unit_of_work() as uow:  # Cat knows Bob, Bob does not know Cat
        contacts_service.import_card(
            uow,
            contacts_service.read_card(
                contacts_service.export_own_card(b.key_pairs, display_name="Bob", agency="", role="")
            ),
            trust=True,
            own_key_id=contacts_service.member_keys(c.key_pairs).key_id,
        )
    with c.unit_of_work() as uow:
        uow.create(Agency, name="School", short_name="School")
    data = send(c, [b], tmp / "c.bundle")
    refusal = assert_refused(b, data, "not among your trusted contacts")
    assert isinstance(refusal, service.UnknownSender)
    assert refusal.fingerprint == c.member.fingerprint and c.member.fingerprint in str(refusal)
    with pytest.raises(service.InvalidInput, match="does not match"):
        service.trust_unknown_sender(b, refusal, "12345 " * 8)
    service.trust_unknown_sender(b, refusal, c.member.fingerprint)
    assert service.import_bundle(b, data).applied


def test_revoked_sender(trio) -> None:
    a, b, _c, tmp = trio
    data = send(a, [b], tmp / "x.bundle")
    with b.unit_of_work() as uow:
        contacts_service.revoke_contact(uow, "Ann")
    assert_refused(b, data, "revoked")


def test_bad_signature(trio) -> None:
    a, b, _c, tmp = trio
    data = send(a, [b], tmp / "x.bundle")
    identity = contacts_service.member_keys(b.key_pairs).age_identity()
    frame = decode_frame(pyrage.decrypt(data, [identity]))
    forged = encode_frame(frame.manifest, bytes([frame.signature[0] ^ 1]) + frame.signature[1:], frame.payload)
    recipient = contacts_service.PublicKeys(b.member.x25519_public, b.member.ed25519_public).age_recipient()
    assert_refused(b, pyrage.encrypt(forged, [recipient]), "signature")


def test_newer_schema_major(trio) -> None:
    a, b, _c, _tmp = trio
    assert_refused(b, raw_bundle(a, b, encode(agency_payload()), schema=(2, 0)), "newer version")


def test_oversized_file_and_decompression_bomb(trio) -> None:
    a, b, _c, tmp = trio
    data = send(a, [b], tmp / "x.bundle")
    assert_refused(b, data, "too large", max_bundle_size=len(data) - 1)
    bomb = encode(agency_payload()) + b" " * (4 * 1024 * 1024)  # compresses to almost nothing
    assert_refused(b, raw_bundle(a, b, bomb), "larger than this app accepts", max_payload=1024 * 1024)


MALFORMED = {
    "unknown table": (lambda d: d["tables"].update(secret_table={"fields": [], "records": []}), "unknown table"),
    "unknown field": (lambda d: d["tables"]["agency"]["fields"].__setitem__(2, "password"), "unknown field"),
    "wrong type": (lambda d: d["tables"]["agency"]["records"][0][3].__setitem__(0, 42), "expected text"),
    "string over the limit": (
        lambda d: d["tables"]["agency"]["records"][0][3].__setitem__(3, "#" * 8),
        "over the limit of 7",
    ),
    "missing required value": (
        lambda d: d["tables"]["agency"]["records"][0][3].__setitem__(0, None),
        "a value is required",
    ),
    "bad uuid": (lambda d: d["tables"]["agency"]["records"][0].__setitem__(0, "../../etc"), "not a UUID"),
    "bad stamp": (lambda d: d["tables"]["agency"]["records"][0].__setitem__(4, "yesterday"), "change stamp"),
    "short record": (lambda d: d["tables"]["agency"]["records"][0].pop(), "malformed record"),
    "duplicate uuid": (
        lambda d: d["tables"]["agency"]["records"].append(list(d["tables"]["agency"]["records"][0])),
        "appears twice",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_records_name_table_record_and_field(trio, case: str) -> None:
    a, b, _c, _tmp = trio
    mutate, message = MALFORMED[case]
    document = agency_payload()
    mutate(document)
    payload = encode(document)
    counts = {name: len(body["records"]) for name, body in document["tables"].items() if body["records"]}
    refusal = assert_refused(b, raw_bundle(a, b, payload, counts=counts), message)
    assert "table" in str(refusal) and "Nothing was imported" in str(refusal)


def sample_values(codec: cs.TableCodec) -> list[Any]:
    """A plausible value for every field, from the column types alone."""
    values: list[Any] = []
    for fc in codec.fields:
        column = codec.model.__table__.columns[fc.name]
        try:
            python_type = column.type.python_type
        except NotImplementedError:
            python_type = list
        values.append(
            {
                "str": "x",
                "int": 1,
                "bool": True,
                "date": "2026-01-01",
                "datetime": "2026-01-01T10:00:00",
                "list": [],
                "dict": {},
                "bytes": "",
            }.get(python_type.__name__, "x")
        )
    return values


def test_uuid_reused_for_another_kind_of_record(trio) -> None:
    a, b, _c, tmp = trio
    service.import_bundle(b, send(a, [b], tmp / "x.bundle"))
    with b.reading() as session:
        existing = session.scalars(select(Agency.uuid)).first()
    codecs = cs.table_codecs()
    other = next(
        c
        for name, c in codecs.items()
        if name != "agency" and not any(col.foreign_keys for col in c.model.__table__.columns)
    )
    document = one_record(other.name, [f.name for f in other.fields], existing, sample_values(other))
    assert_refused(b, raw_bundle(a, b, encode(document)), "already names a record of table 'agency'")


def test_counts_that_do_not_match_the_records(trio) -> None:
    a, b, _c, _tmp = trio
    assert_refused(b, raw_bundle(a, b, encode(agency_payload()), counts={"agency": 5}), "record counts")


def test_reference_to_a_record_nobody_has_is_refused(trio) -> None:
    a, b, _c, _tmp = trio
    codecs = cs.table_codecs()
    child = next(
        c
        for c in codecs.values()
        if any(fk.column.table.name == "agency" for col in c.model.__table__.columns for fk in col.foreign_keys)
    )
    values = sample_values(child)
    for index, fc in enumerate(child.fields):
        if child.model.__table__.columns[fc.name].foreign_keys:
            values[index] = "0b0e7d2e-5a8c-4a5e-9d3c-000000000000"
    document = one_record(child.name, [f.name for f in child.fields], "1b0e7d2e-5a8c-4a5e-9d3c-1f2e3d4c5b6a", values)
    assert_refused(b, raw_bundle(a, b, encode(document)), "neither in this workspace nor in the bundle")


def test_passphrase_bundle_round_trip_is_labelled_weaker(trio) -> None:
    a, b, _c, tmp = trio
    service.export_bundle(a, [], service.Scope(), tmp / "p.bundle", passphrase="a long one-off passphrase")
    data = (tmp / "p.bundle").read_bytes()
    with pytest.raises(service.BundleRefused, match="passphrase"):
        service.import_bundle(b, data)
    report = service.import_bundle(b, data, passphrase="a long one-off passphrase")
    assert report.applied and report.passphrase_protected
    assert any("weaker" in line for line in report.lines())


def test_bundle_files_are_private(trio) -> None:
    a, b, _c, tmp = trio
    send(a, [b], tmp / "x.bundle")
    assert os.stat(tmp / "x.bundle").st_mode & 0o077 == 0


# --- "since last" bookkeeping ------------------------------------------------------


def test_a_one_review_bundle_does_not_hide_other_changes_from_the_next_since_last(trio) -> None:
    """Only an "everything" or "since last" bundle moves the since-last marker."""
    from db.models.reviews import ChronologyEntry

    a, b, c, tmp = trio
    introduce(a, c)
    with a.unit_of_work() as uow:
        lcspr, _rapid = two_bare_reviews(uow)
    service.import_bundle(b, send(a, [b], tmp / "to-bob.bundle"))
    service.import_bundle(c, send(a, [c], tmp / "all.bundle"))  # Carol has everything
    with a.unit_of_work() as uow:
        csc = uow.session.scalars(select(Agency).where(Agency.short_name == "CSC")).one()
        entries = {bare_entry(uow, lcspr.uuid, csc.uuid, f"Visit {i}") for i in range(2)}
    with b.unit_of_work() as uow:
        uow.create(Agency, name="Police", short_name="Police")
    service.import_bundle(a, send(b, [a], tmp / "from-bob.bundle"))
    review_only = service.preview_export(a, ["Cat"], service.Scope(service.SCOPE_REVIEW, "RR-2026-02"))
    assert "chronology_entry" not in review_only.counts
    service.import_bundle(c, send(a, [c], tmp / "rr.bundle", service.Scope(service.SCOPE_REVIEW, "RR-2026-02")))

    since = service.preview_export(a, ["Cat"], service.Scope(service.SCOPE_SINCE_LAST))
    assert since.counts.get("chronology_entry") == 2 and since.counts.get("agency") == 1
    service.import_bundle(c, send(a, [c], tmp / "since.bundle", service.Scope(service.SCOPE_SINCE_LAST)))
    with c.reading() as session:
        assert {e.uuid for e in session.scalars(select(ChronologyEntry))} == entries
        assert session.scalars(select(Agency).where(Agency.short_name == "Police")).one()
    # that since-last bundle did move the marker: nothing is left to send
    assert service.preview_export(a, ["Cat"], service.Scope(service.SCOPE_SINCE_LAST)).total == 0


def test_opening_a_bundle_you_sent_says_it_is_yours_not_that_you_imported_it(tmp_path: Path) -> None:
    """A coordinator who picks their own outgoing bundle by mistake was told "This bundle was already
    imported", which they never did: they could think the colleague's bundle had been taken in."""
    ann, bob = make_member(tmp_path, "Ann"), make_member(tmp_path, "Bob")
    try:
        introduce(ann, bob)
        data = send(ann, [bob], tmp_path / "to-bob.bundle")
        before = state(ann)
        for dry_run in (True, False):
            report = service.import_bundle(ann, data, dry_run=dry_run)
            assert report.already_applied and not report.applied
            assert report.lines()[0] == "This is a bundle you sent (to Bob); nothing to import.", report.lines()
        assert state(ann) == before
        received = service.import_bundle(bob, data)
        assert service.import_bundle(bob, data).lines()[0] == "This bundle was already imported; nothing changed."
        assert received.applied
    finally:
        ann.lock()
        bob.lock()

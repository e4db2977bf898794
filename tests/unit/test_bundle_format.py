"""Bundle sealing and opening: round trips, and every refusal being a
BundleError with one plain sentence."""

from __future__ import annotations

import hashlib
import time
import tracemalloc
import uuid
import zlib
from collections.abc import Callable
from dataclasses import replace

import pyrage
import pytest

from app.exchange import (
    BadSignatureError,
    BundleError,
    BundleTooLargeError,
    DamagedBundleError,
    KeysRequiredError,
    Manifest,
    MemberKeys,
    NewerSchemaError,
    NotABundleError,
    NotAddressedToYouError,
    PassphraseRequiredError,
    PayloadTooLargeError,
    RevokedSenderError,
    SenderInfo,
    UnknownSenderError,
    UnsupportedFormatError,
    WrongPassphraseError,
    open_bundle,
    open_with_passphrase,
    seal,
    seal_with_passphrase,
)
from app.exchange import bundle_format as bf
from app.exchange import frame as fr
from app.exchange import manifest as mf
from app.exchange.canonical import b64encode, canonical_json

SCHEMA = (3, 2)
CHANGES = b'{"cases": [{"id": 1, "note": "seen at home"}]}' * 20

ALICE = MemberKeys.generate()
BOB = MemberKeys.generate()
CAROL = MemberKeys.generate()
EVE = MemberKeys.generate()

TRUST = {
    k.key_id: SenderInfo(name, k.public)
    for k, name in [(ALICE, "Alice Ames"), (BOB, "Bob Brown"), (CAROL, "Carol Cole")]
}


def lookup(key_id: str) -> SenderInfo | None:
    return TRUST.get(key_id)


def make_manifest(**overrides: object) -> Manifest:
    fields: dict[str, object] = {
        "schema_version": SCHEMA,
        "record_counts": {"cases": 1, "actions": 0},
        "clock_frontier": "1700000000000:0:alice",
    }
    fields.update(overrides)
    return Manifest(**fields)


def seal_from_alice(change_set: bytes = CHANGES, **overrides: object) -> bytes:
    return seal(
        change_set,
        make_manifest(**overrides),
        ALICE,
        [BOB.public, CAROL.public],
        sender_name="Alice Ames",
    )


def open_as(data: bytes, keys: MemberKeys = BOB, **kwargs: object) -> bf.OpenedBundle:
    kwargs.setdefault("current_schema_major", SCHEMA[0])
    return open_bundle(data, keys, lookup, **kwargs)


def rewrap(
    data: bytes,
    change: Callable[[fr.Frame], bytes],
    *,
    reader: MemberKeys = BOB,
    to: MemberKeys = BOB,
) -> bytes:
    """Decrypt as ``reader``, rebuild the frame with ``change`` and encrypt
    again to ``to``: what a malicious recipient could do."""
    frame = fr.decode_frame(pyrage.decrypt(data, [reader.age_identity()]))
    return pyrage.encrypt(change(frame), [to.public.age_recipient()])


def resign(manifest_json: dict[str, object], signer: MemberKeys, payload: bytes) -> bytes:
    manifest_bytes = canonical_json(manifest_json)
    signature = signer.sign(bf._SIGNING_CONTEXT + manifest_bytes)
    return fr.encode_frame(manifest_bytes, signature, payload)


@pytest.fixture(scope="module")
def bundle() -> bytes:
    return seal_from_alice()


# --- Round trips ------------------------------------------------------------


def test_every_recipient_opens_the_same_bundle(bundle: bytes) -> None:
    for member in (BOB, CAROL):
        opened = open_as(bundle, member)
        assert opened.change_set == CHANGES
        assert opened.sender.key_id == ALICE.key_id
        assert opened.sender.display_name == "Alice Ames"
        assert not opened.passphrase_protected


def test_manifest_fields_round_trip() -> None:
    manifest = make_manifest(record_counts={"cases": 7, "people": 2}, clock_frontier="f")
    data = seal(CHANGES, manifest, ALICE, [BOB.public], sender_name="  Alice Ames ")
    got = open_as(data).manifest
    assert got.bundle_id == manifest.bundle_id
    assert uuid.UUID(got.bundle_id).version == 4
    assert got.created == manifest.created
    assert got.schema_version == SCHEMA
    assert got.record_counts == {"cases": 7, "people": 2}
    assert got.clock_frontier == "f"
    assert got.format_version == mf.FORMAT_VERSION
    assert got.sender is not None
    assert got.sender.name == "Alice Ames"
    assert got.sender.key_id == ALICE.key_id
    assert got.recipient_key_ids == (BOB.key_id,)
    assert got.payload_length == len(CHANGES)
    assert got.payload_sha256 == hashlib.sha256(zlib.compress(CHANGES, bf.ZLIB_LEVEL)).hexdigest()


def test_manifest_lists_recipients_sorted_without_duplicates(bundle: bytes) -> None:
    ids = open_as(bundle).manifest.recipient_key_ids
    assert ids == tuple(sorted({BOB.key_id, CAROL.key_id}))


def test_empty_and_large_change_sets_round_trip() -> None:
    for change_set in (b"", bytes(range(256)) * 2000):
        data = seal(change_set, make_manifest(), ALICE, [BOB.public], sender_name="Alice")
        assert open_as(data).change_set == change_set


def test_sender_opens_their_own_bundle_without_trusting_themselves(bundle: bytes) -> None:
    opened = open_bundle(bundle, ALICE, lambda _key_id: None, current_schema_major=SCHEMA[0])
    assert opened.change_set == CHANGES
    assert opened.sender.key_id == ALICE.key_id


def test_third_party_cannot_open(bundle: bytes) -> None:
    with pytest.raises(NotAddressedToYouError) as info:
        open_as(bundle, EVE)
    assert str(info.value) == "This bundle is not addressed to you, or its recipient list is damaged."


def test_forwarded_bundle_is_refused() -> None:
    """Bob re-encrypts Alice's signed frame to Eve: Alice never addressed
    Eve, so Eve must not treat it as Alice's message to her."""

    def unchanged(frame: fr.Frame) -> bytes:
        return fr.encode_frame(frame.manifest, frame.signature, frame.payload)

    forwarded = rewrap(seal_from_alice(), unchanged, to=EVE)
    trusting = {**TRUST, EVE.key_id: SenderInfo("Eve", EVE.public)}
    with pytest.raises(NotAddressedToYouError):
        open_bundle(forwarded, EVE, trusting.get, current_schema_major=SCHEMA[0])


# --- Damage and tampering ---------------------------------------------------


def test_every_single_byte_flip_is_refused() -> None:
    data = seal(b"small", make_manifest(), ALICE, [BOB.public], sender_name="Alice")
    assert len(data) < 2000
    for position in range(len(data)):
        for mask in (0x01, 0x80):
            damaged = bytearray(data)
            damaged[position] ^= mask
            with pytest.raises(BundleError):
                open_as(bytes(damaged))


def test_every_truncation_is_refused() -> None:
    data = seal(b"small", make_manifest(), ALICE, [BOB.public], sender_name="Alice")
    for length in range(len(data)):
        with pytest.raises(BundleError):
            open_as(data[:length])


def test_trailing_bytes_after_the_envelope_are_refused(bundle: bytes) -> None:
    for extra in (b"\x00", b"x" * 100):
        with pytest.raises(BundleError):
            open_as(bundle + extra)


def test_frame_truncation_and_trailing_bytes_are_refused() -> None:
    frame = fr.encode_frame(b"{}", bytes(64), b"payload")
    assert fr.decode_frame(frame).payload == b"payload"
    for length in range(len(frame)):
        with pytest.raises(DamagedBundleError):
            fr.decode_frame(frame[:length])
    with pytest.raises(DamagedBundleError):
        fr.decode_frame(frame + b"\x00")


@pytest.mark.parametrize(
    ("manifest_len", "signature_len", "payload_len"),
    [(0, 64, 0), (fr.MAX_MANIFEST_SIZE + 1, 64, 0), (2, 63, 0), (2, 65, 0), (2, 64, 2**64 - 1)],
)
def test_frame_lengths_out_of_range_are_refused(manifest_len: int, signature_len: int, payload_len: int) -> None:
    header = fr.FRAME_HEADER.pack(fr.MAGIC, manifest_len, signature_len, payload_len)
    with pytest.raises(DamagedBundleError):
        fr.decode_frame(header + b"{}" + bytes(64))


def test_newer_frame_layout_asks_for_an_update() -> None:
    header = fr.FRAME_HEADER.pack(fr.MAGIC_PREFIX + b"2", 2, 64, 0)
    with pytest.raises(UnsupportedFormatError):
        fr.decode_frame(header + b"{}" + bytes(64))


def test_signature_by_another_key_is_refused(bundle: bytes) -> None:
    """Eve re-signs Alice's manifest (still naming Alice) with her own key."""

    def eve_signs(frame: fr.Frame) -> bytes:
        signature = EVE.sign(bf._SIGNING_CONTEXT + frame.manifest)
        return fr.encode_frame(frame.manifest, signature, frame.payload)

    with pytest.raises(BadSignatureError):
        open_as(rewrap(bundle, eve_signs))


def test_eve_cannot_pass_off_her_key_under_alices_key_id(bundle: bytes) -> None:
    def impersonate(frame: fr.Frame) -> bytes:
        manifest = mf.parse_manifest(frame.manifest)
        doc = manifest.to_json()
        doc["sender"]["x25519"] = b64encode(EVE.public.x25519)
        doc["sender"]["ed25519"] = b64encode(EVE.public.ed25519)
        return resign(doc, EVE, frame.payload)

    with pytest.raises(DamagedBundleError):  # key id no longer matches the keys
        open_as(rewrap(bundle, impersonate))


def test_changed_payload_with_valid_signature_fails_the_hash(bundle: bytes) -> None:
    """A recipient (Bob) cannot sign as Alice, but check the hash is really
    compared: Alice's own signature over a manifest whose hash no longer
    matches the payload."""

    def swap_payload(frame: fr.Frame) -> bytes:
        return fr.encode_frame(frame.manifest, frame.signature, zlib.compress(b"other"))

    with pytest.raises(DamagedBundleError) as info:
        open_as(rewrap(bundle, swap_payload))
    assert "integrity check failed" in str(info.value)


def test_not_an_age_file_is_refused() -> None:
    for data in (b"", b"PK\x03\x04zipfile", b"hello world" * 10):
        with pytest.raises(NotABundleError):
            open_as(data)


def test_oversized_input_is_refused_before_decrypting(bundle: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_decrypt(*_args: object) -> bytes:
        raise AssertionError("decrypted an oversized bundle")

    monkeypatch.setattr(bf.pyrage, "decrypt", must_not_decrypt)
    with pytest.raises(BundleTooLargeError):
        open_as(bundle, max_bundle_size=len(bundle) - 1)


# --- Senders ---------------------------------------------------------------


def test_unknown_sender_exposes_name_and_fingerprint(bundle: bytes) -> None:
    with pytest.raises(UnknownSenderError) as info:
        open_bundle(bundle, BOB, lambda _key_id: None, current_schema_major=SCHEMA[0])
    error = info.value
    assert error.claimed_name == "Alice Ames"
    assert error.fingerprint == ALICE.fingerprint
    assert error.key_id == ALICE.key_id
    assert error.ed25519_public == ALICE.public.ed25519
    assert error.x25519_public == ALICE.public.x25519
    assert "Alice Ames" in str(error)


def test_unknown_sender_with_broken_signature_is_not_offered_for_trust(bundle: bytes) -> None:
    def break_signature(frame: fr.Frame) -> bytes:
        return fr.encode_frame(frame.manifest, bytes(64), frame.payload)

    with pytest.raises(BadSignatureError):
        open_bundle(rewrap(bundle, break_signature), BOB, lambda _k: None, current_schema_major=SCHEMA[0])


def test_revoked_sender_is_refused(bundle: bytes) -> None:
    revoked = {**TRUST, ALICE.key_id: SenderInfo("Alice Ames", ALICE.public, revoked=True)}
    with pytest.raises(RevokedSenderError) as info:
        open_bundle(bundle, BOB, revoked.get, current_schema_major=SCHEMA[0])
    assert "revoked" in str(info.value)


def test_lookup_returning_other_keys_is_refused(bundle: bytes) -> None:
    wrong = SenderInfo("Alice Ames", EVE.public)
    with pytest.raises(BadSignatureError):
        open_bundle(bundle, BOB, lambda _k: wrong, current_schema_major=SCHEMA[0])


# --- Versions ------------------------------------------------------------------


def test_newer_schema_major_is_refused() -> None:
    data = seal_from_alice(schema_version=(SCHEMA[0] + 1, 0))
    with pytest.raises(NewerSchemaError) as info:
        open_as(data)
    assert "newer version" in str(info.value)


def test_newer_schema_minor_and_older_major_are_accepted() -> None:
    for version in ((SCHEMA[0], SCHEMA[1] + 5), (SCHEMA[0] - 1, 9)):
        opened = open_as(seal_from_alice(schema_version=version))
        assert opened.manifest.schema_version == version


def _with_manifest_change(bundle: bytes, change: Callable[[dict[str, object]], None]) -> bytes:
    """Alice (who holds her key) signs a manifest changed by ``change``."""

    def rebuild(frame: fr.Frame) -> bytes:
        doc = mf.parse_manifest(frame.manifest).to_json()
        change(doc)
        return resign(doc, ALICE, frame.payload)

    return rewrap(bundle, rebuild)


def test_newer_format_major_is_refused(bundle: bytes) -> None:
    def bump(doc: dict[str, object]) -> None:
        doc["format"] = "2.0"
        doc["something_new"] = {"a": 1}

    with pytest.raises(UnsupportedFormatError):
        open_as(_with_manifest_change(bundle, bump))


def test_newer_format_minor_with_extra_fields_is_accepted(bundle: bytes) -> None:
    def bump(doc: dict[str, object]) -> None:
        doc["format"] = f"{mf.FORMAT_MAJOR}.{mf.FORMAT_MINOR + 1}"
        doc["priority"] = "high"

    assert open_as(_with_manifest_change(bundle, bump)).change_set == CHANGES


def test_unknown_field_in_current_format_is_refused(bundle: bytes) -> None:
    def add(doc: dict[str, object]) -> None:
        doc["priority"] = "high"

    with pytest.raises(DamagedBundleError):
        open_as(_with_manifest_change(bundle, add))


def test_non_canonical_manifest_is_refused(bundle: bytes) -> None:
    def spaced(frame: fr.Frame) -> bytes:
        manifest = frame.manifest.replace(b'":', b'": ', 1)
        signature = ALICE.sign(bf._SIGNING_CONTEXT + manifest)
        return fr.encode_frame(manifest, signature, frame.payload)

    with pytest.raises(DamagedBundleError):
        open_as(rewrap(bundle, spaced))


# --- Decompression bombs ----------------------------------------------------


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> bytes:
    compressor = zlib.compressobj(1)
    chunk = bytes(1 << 20)
    parts = [compressor.compress(chunk) for _ in range(1024)]
    parts.append(compressor.flush())
    return b"".join(parts)


def _bomb(compressed: bytes, declared_length: int) -> bytes:
    frame, _ = bf._sign_and_frame(
        compressed,
        declared_length,
        make_manifest(),
        ALICE,
        "Alice",
        [BOB.key_id],
        mf.PROTECTION_RECIPIENTS,
    )
    return pyrage.encrypt(frame, [BOB.public.age_recipient()])


@pytest.mark.parametrize("declared_length", [1000, 2**30])
def test_decompression_bomb_is_refused_quickly_in_bounded_memory(
    gigabyte_of_zeros: bytes, declared_length: int
) -> None:
    """Whether the sender declares the true size (over the limit) or lies
    about it, opening stops long before a gigabyte is allocated."""
    data = _bomb(gigabyte_of_zeros, declared_length)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(PayloadTooLargeError) as info:
            open_as(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10
    assert peak < 64 * 1024 * 1024
    assert "decompression bomb" in str(info.value)


def test_payload_over_the_callers_limit_is_refused() -> None:
    data = seal_from_alice(b"x" * 5000)
    with pytest.raises(PayloadTooLargeError):
        open_as(data, max_payload=4999)
    assert open_as(data, max_payload=5000).change_set == b"x" * 5000


def test_payload_shorter_than_declared_is_refused() -> None:
    data = _bomb(zlib.compress(b"abc"), 4)
    with pytest.raises(DamagedBundleError):
        open_as(data)


def test_garbage_payload_with_valid_hash_is_refused() -> None:
    with pytest.raises(DamagedBundleError):
        open_as(_bomb(b"not zlib at all", 10))


# --- Passphrase variant -----------------------------------------------------


@pytest.fixture(scope="module")
def passphrase_bundle() -> bytes:
    return seal_with_passphrase(CHANGES, make_manifest(), ALICE, "correct horse battery", sender_name="Alice Ames")


@pytest.mark.slow
def test_passphrase_bundle_round_trip_is_marked_weaker(passphrase_bundle: bytes) -> None:
    opened = open_with_passphrase(passphrase_bundle, "correct horse battery", lookup, current_schema_major=SCHEMA[0])
    assert opened.change_set == CHANGES
    assert opened.passphrase_protected
    assert opened.manifest.protection == "passphrase"
    assert opened.manifest.recipient_key_ids == ()
    assert opened.sender.key_id == ALICE.key_id


@pytest.mark.slow
def test_passphrase_bundle_still_needs_a_trusted_sender(passphrase_bundle: bytes) -> None:
    with pytest.raises(UnknownSenderError):
        open_with_passphrase(passphrase_bundle, "correct horse battery", lambda _k: None, current_schema_major=3)


@pytest.mark.slow
def test_wrong_passphrase_is_refused(passphrase_bundle: bytes) -> None:
    with pytest.raises(WrongPassphraseError):
        open_with_passphrase(passphrase_bundle, "wrong", lookup, current_schema_major=SCHEMA[0])


def test_keys_and_passphrase_bundles_are_told_apart(bundle: bytes, passphrase_bundle: bytes) -> None:
    with pytest.raises(PassphraseRequiredError):
        open_as(passphrase_bundle)
    with pytest.raises(KeysRequiredError):
        open_with_passphrase(bundle, "anything", lookup, current_schema_major=SCHEMA[0])


@pytest.mark.slow
def test_keys_frame_rewrapped_with_a_passphrase_is_refused(bundle: bytes) -> None:
    frame = pyrage.decrypt(bundle, [BOB.age_identity()])
    rewrapped = pyrage.passphrase.encrypt(frame, "pw")
    with pytest.raises(DamagedBundleError):
        open_with_passphrase(rewrapped, "pw", lookup, current_schema_major=SCHEMA[0])


# --- Sealing input checks and messages ---------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"bundle_id": "not-a-uuid"},
        {"bundle_id": str(uuid.uuid1())},
        {"bundle_id": str(uuid.uuid4()).upper()},
        {"created": "yesterday"},
        {"schema_version": (-1, 0)},
        {"record_counts": {"cases": -1}},
        {"record_counts": {"cases": True}},
        {"record_counts": {"": 1}},
        {"clock_frontier": 12},
    ],
)
def test_seal_rejects_caller_mistakes(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        seal(CHANGES, make_manifest(**overrides), ALICE, [BOB.public], sender_name="Alice")


def test_seal_needs_recipients_and_a_name() -> None:
    with pytest.raises(ValueError):
        seal(CHANGES, make_manifest(), ALICE, [], sender_name="Alice")
    with pytest.raises(ValueError):
        seal(CHANGES, make_manifest(), ALICE, [BOB.public], sender_name="   ")


def test_seal_fills_computed_fields_itself() -> None:
    """Whatever a caller put in the computed fields is replaced."""
    stale = replace(make_manifest(), payload_sha256="0" * 64, payload_length=1, protection="x")
    data = seal(CHANGES, stale, ALICE, [BOB.public], sender_name="Alice")
    assert open_as(data).manifest.payload_length == len(CHANGES)


def test_refusal_messages_are_single_plain_sentences(bundle: bytes) -> None:
    errors: list[BundleError] = []
    for attempt in (
        lambda: open_as(bundle, EVE),
        lambda: open_as(b"junk"),
        lambda: open_as(bundle[:-1]),
        lambda: open_bundle(bundle, BOB, lambda _k: None, current_schema_major=3),
        lambda: open_as(bundle, current_schema_major=1),
        lambda: open_as(bundle, max_bundle_size=10),
    ):
        with pytest.raises(BundleError) as info:
            attempt()
        errors.append(info.value)
    for error in errors:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message
        assert message[0].isupper() and message.endswith(".")

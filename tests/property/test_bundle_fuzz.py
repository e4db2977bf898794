"""Hostile input never escapes as anything but a BundleError, and never
opens. Keys are made at import time because hypothesis re-runs a test body
many times and function-scoped fixtures would not be re-made between runs."""

from __future__ import annotations

import json
from typing import Any

import pyrage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exchange import (
    BundleError,
    InvalidCardError,
    Manifest,
    MemberKeys,
    SenderInfo,
    export_card,
    open_bundle,
    open_with_passphrase,
    parse_card,
    seal,
)
from app.exchange import bundle_format as bf
from app.exchange import frame as fr
from app.exchange import manifest as mf
from app.exchange.canonical import canonical_json

SENDER = MemberKeys.generate()
ME = MemberKeys.generate()
TRUST = {SENDER.key_id: SenderInfo("Sender", SENDER.public)}
MANIFEST = Manifest(schema_version=(1, 0), record_counts={"cases": 3}, clock_frontier="f")
SMALL = seal(b"small change set", MANIFEST, SENDER, [ME.public], sender_name="Sender")
# Big enough for several 64 KiB age chunks; random-looking so zlib keeps it big.
BIG_PAYLOAD = b"".join(i.to_bytes(4, "big") * 3 for i in range(20_000))
BIG = seal(BIG_PAYLOAD, MANIFEST, SENDER, [ME.public], sender_name="Sender")
CARD = export_card(SENDER, display_name="Sender", agency="Agency", role="Role")

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def refused(data: bytes) -> BundleError:
    try:
        open_bundle(data, ME, TRUST.get, current_schema_major=1)
    except BundleError as error:
        return error
    raise AssertionError("hostile bundle was opened")


def test_fixtures_open() -> None:
    assert open_bundle(SMALL, ME, TRUST.get, current_schema_major=1).change_set
    assert open_bundle(BIG, ME, TRUST.get, current_schema_major=1).change_set == BIG_PAYLOAD
    assert parse_card(CARD).key_id == SENDER.key_id


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_are_refused(data: bytes) -> None:
    refused(data)


@FUZZ
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_after_age_magic_are_refused(tail: bytes) -> None:
    refused(b"age-encryption.org/v1\n" + tail)
    refused(b"age-encryption.org/v1\n-> X25519 " + tail)


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_passphrase_input_is_refused(data: bytes) -> None:
    """Cheap rejections only: real scrypt headers are not generated here."""
    try:
        open_with_passphrase(data, "pw", TRUST.get, current_schema_major=1)
    except BundleError:
        return
    raise AssertionError("hostile bundle was opened")


@FUZZ
@given(st.binary(max_size=2048))
def test_arbitrary_frames_inside_a_valid_envelope_are_refused(frame: bytes) -> None:
    """Anyone with my public key can encrypt anything to me."""
    refused(pyrage.encrypt(frame, [ME.public.age_recipient()]))


@FUZZ
@given(
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=0, max_value=2**16 - 1),
    st.integers(min_value=0, max_value=2**64 - 1),
    st.binary(max_size=512),
)
def test_frames_with_arbitrary_lengths_are_refused(
    manifest_len: int, signature_len: int, payload_len: int, body: bytes
) -> None:
    header = fr.FRAME_HEADER.pack(fr.MAGIC, manifest_len, signature_len, payload_len)
    refused(pyrage.encrypt(header + body, [ME.public.age_recipient()]))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _set_at(document: dict[str, Any], key: str, value: object) -> bool:
    """Set the dotted `key` of `document` ("sender.name": its sender's name) to `value`; False if it held it."""
    *parents, leaf = key.split(".")
    target = document
    for parent in parents:
        target = target[parent]
    changed = target.get(leaf) != value
    target[leaf] = value
    return changed


MANIFEST_KEYS = [
    *sorted(mf._TOP_FIELDS),
    "sender.name",
    "sender.key_id",
    "schema.major",
    "payload.length",
]


@FUZZ
@given(st.sampled_from(MANIFEST_KEYS), JSON_VALUES)
def test_signed_manifests_with_odd_values_are_refused_or_sound(key: str, value: object) -> None:
    """Even the trusted sender's key cannot make a malformed manifest pass
    or raise anything but a BundleError."""
    frame = fr.decode_frame(pyrage.decrypt(SMALL, [ME.age_identity()]))
    document = json.loads(frame.manifest)
    _set_at(document, key, value)
    manifest = canonical_json(document)
    rebuilt = fr.encode_frame(manifest, SENDER.sign(bf._SIGNING_CONTEXT + manifest), frame.payload)
    try:
        open_bundle(
            pyrage.encrypt(rebuilt, [ME.public.age_recipient()]),
            ME,
            TRUST.get,
            current_schema_major=1,
        )
    except BundleError:
        pass


@settings(FUZZ, max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(BIG) - 1),
            st.integers(min_value=1, max_value=255),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda flip: flip[0],  # two flips of one byte could cancel
    )
)
def test_random_damage_to_a_big_bundle_is_refused(flips: list[tuple[int, int]]) -> None:
    damaged = bytearray(BIG)
    for position, mask in flips:
        damaged[position] ^= mask
    refused(bytes(damaged))


@FUZZ
@given(st.integers(min_value=0, max_value=len(BIG) - 1))
def test_truncations_of_a_big_bundle_are_refused(length: int) -> None:
    refused(BIG[:length])


@FUZZ
@given(st.binary(max_size=20_000))
def test_parse_card_refuses_arbitrary_bytes(data: bytes) -> None:
    try:
        parse_card(data)
    except InvalidCardError:
        return
    raise AssertionError("garbage parsed as a card")


CARD_KEYS = [
    "card",
    "signature",
    "card.display_name",
    "card.format",
    "card.x25519",
    "card.created",
    "card.type",
]


@FUZZ
@given(st.sampled_from(CARD_KEYS), JSON_VALUES)
def test_parse_card_refuses_edited_cards(key: str, value: object) -> None:
    document = json.loads(CARD)
    if not _set_at(document, key, value):
        return
    try:
        parse_card(json.dumps(document).encode())
    except InvalidCardError:
        return
    raise AssertionError("edited card was accepted")


@FUZZ
@given(st.data())
def test_parse_card_refuses_byte_damage(data: st.DataObject) -> None:
    damaged = bytearray(CARD)
    position = data.draw(st.integers(min_value=0, max_value=len(CARD) - 1))
    damaged[position] ^= data.draw(st.integers(min_value=1, max_value=255))
    try:
        card = parse_card(bytes(damaged))
    except InvalidCardError:
        return
    # Damage to insignificant whitespace may leave the signed content intact.
    assert card.public == SENDER.public and card.display_name == "Sender"

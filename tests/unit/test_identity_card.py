"""Member keys (age strings, fingerprints) and self-signed identity cards."""

from __future__ import annotations

import json
import re

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.exchange import (
    BundleError,
    CardSignatureError,
    CardTooLargeError,
    InvalidCardError,
    MemberKeys,
    PublicKeys,
    UnsupportedCardVersionError,
    export_card,
    parse_card,
)
from app.exchange.canonical import b64encode
from app.exchange.identity_card import MAX_CARD_SIZE
from app.exchange.keys import bech32_decode, bech32_encode

KEYS = MemberKeys.generate()
OTHER = MemberKeys.generate()


def make_card(keys: MemberKeys = KEYS, **fields: str) -> bytes:
    fields.setdefault("display_name", "Dana Doe")
    fields.setdefault("agency", "Northshire Police")
    fields.setdefault("role", "Detective Sergeant")
    return export_card(keys, **fields)


def edited(card: bytes, change: object) -> bytes:
    document = json.loads(card)
    change(document)
    return json.dumps(document).encode()


# --- Keys ---------------------------------------------------------------------


def test_age_strings_match_pyrage() -> None:
    identity = pyrage.x25519.Identity.generate()
    hrp, secret = bech32_decode(str(identity))
    assert hrp == "age-secret-key-"
    keys = MemberKeys(X25519PrivateKey.from_private_bytes(secret), OTHER.ed25519)
    assert keys.age_identity_str() == str(identity)
    assert keys.age_recipient_str == str(identity.to_public())


def test_age_identity_and_recipient_work_together() -> None:
    sealed = pyrage.encrypt(b"hello", [KEYS.public.age_recipient()])
    assert pyrage.decrypt(sealed, [KEYS.age_identity()]) == b"hello"
    assert KEYS.age_recipient_str.startswith("age1")
    assert KEYS.age_identity_str().startswith("AGE-SECRET-KEY-1")


def test_bech32_round_trip_and_checksum() -> None:
    text = bech32_encode("age", bytes(range(32)))
    assert bech32_decode(text) == ("age", bytes(range(32)))
    broken = text[:-1] + ("q" if text[-1] != "q" else "p")
    with pytest.raises(ValueError):
        bech32_decode(broken)
    with pytest.raises(ValueError):
        bech32_decode(text[:5] + text[5:].upper())


def test_private_bytes_round_trip() -> None:
    raw = KEYS.private_bytes()
    assert len(raw) == 64
    again = MemberKeys.from_private_bytes(raw)
    assert again.public == KEYS.public
    x25519 = KEYS.x25519.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert KEYS.public.x25519 == x25519
    with pytest.raises(ValueError):
        MemberKeys.from_private_bytes(raw[:-1])


def test_repr_hides_private_keys() -> None:
    assert repr(KEYS) == "MemberKeys()"


def test_fingerprint_is_eight_groups_of_five_digits_and_stable() -> None:
    assert re.fullmatch(r"\d{5}( \d{5}){7}", KEYS.fingerprint)
    assert KEYS.fingerprint == MemberKeys.from_private_bytes(KEYS.private_bytes()).fingerprint
    assert KEYS.fingerprint != OTHER.fingerprint
    assert re.fullmatch(r"[0-9a-f]{32}", KEYS.key_id)
    assert KEYS.key_id != OTHER.key_id


def test_fingerprint_covers_both_keys() -> None:
    mixed = PublicKeys(KEYS.public.x25519, OTHER.public.ed25519)
    assert mixed.fingerprint not in (KEYS.fingerprint, OTHER.fingerprint)
    assert mixed.key_id not in (KEYS.key_id, OTHER.key_id)


def test_public_keys_must_be_32_bytes() -> None:
    with pytest.raises(ValueError):
        PublicKeys(bytes(31), bytes(32))


# --- Cards --------------------------------------------------------------------


def test_card_round_trip() -> None:
    card = parse_card(make_card(created="2025-03-01T10:00:00Z"))
    assert card.display_name == "Dana Doe"
    assert card.agency == "Northshire Police"
    assert card.role == "Detective Sergeant"
    assert card.public == KEYS.public
    assert card.key_id == KEYS.key_id
    assert card.fingerprint == KEYS.fingerprint
    assert card.created == "2025-03-01T10:00:00Z"
    assert card.created_at.year == 2025
    assert card.format_version == "1.0"


def test_card_is_readable_json_and_layout_does_not_matter() -> None:
    raw = make_card()
    document = json.loads(raw)
    assert set(document) == {"card", "signature"}
    compact = json.dumps(document, separators=(",", ":")).encode()
    assert parse_card(compact).public == KEYS.public
    assert parse_card(b"\xef\xbb\xbf" + raw).public == KEYS.public


def test_export_normalises_text() -> None:
    card = parse_card(make_card(display_name="  Zoe\u0301 Roe  ", agency="", role=""))
    assert card.display_name == "Zo\u00e9 Roe"
    assert card.agency == "" and card.role == ""


@pytest.mark.parametrize(
    "fields",
    [
        {"display_name": ""},
        {"display_name": "x" * 121},
        {"display_name": "Eve\u202eecilA"},  # right-to-left override
        {"agency": "Line\nbreak"},
    ],
)
def test_export_refuses_unusable_text(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        make_card(**fields)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "Mallory"),
        ("agency", "Other Agency"),
        ("role", "Chair"),
        ("created", "2030-01-01T00:00:00Z"),
        ("x25519", b64encode(OTHER.public.x25519)),
        ("ed25519", b64encode(OTHER.public.ed25519)),
    ],
    # ids by field name only: the key values are random per process, and pytest-xdist
    # workers must collect identical test ids
    ids=["display_name", "agency", "role", "created", "x25519", "ed25519"],
)
def test_any_edit_breaks_the_signature(field: str, value: str) -> None:
    def change(document: dict) -> None:
        document["card"][field] = value

    with pytest.raises(CardSignatureError) as info:
        parse_card(edited(make_card(), change))
    assert "signature" in str(info.value)


def test_swapped_signature_is_refused() -> None:
    other = json.loads(make_card(OTHER))

    def change(document: dict) -> None:
        document["signature"] = other["signature"]

    with pytest.raises(CardSignatureError):
        parse_card(edited(make_card(), change))


def test_newer_card_major_asks_for_update() -> None:
    def change(document: dict) -> None:
        document["card"]["format"] = "2.0"

    with pytest.raises(UnsupportedCardVersionError):
        parse_card(edited(make_card(), change))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("signature"),
        lambda d: d.update(extra=1),
        lambda d: d["card"].pop("role"),
        lambda d: d["card"].update(extra="x"),
        lambda d: d["card"].update(type="something-else"),
        lambda d: d["card"].update(format="1"),
        lambda d: d["card"].update(format=1.0),
        lambda d: d["card"].update(x25519="AAAA"),
        lambda d: d["card"].update(x25519=b64encode(bytes(32)) + "\n"),
        lambda d: d["card"].update(display_name=None),
        lambda d: d["card"].update(created="2025-03-01 10:00"),
        lambda d: d.update(signature="!!"),
        lambda d: d.update(card=[]),
    ],
)
def test_malformed_cards_are_refused(change: object) -> None:
    with pytest.raises(InvalidCardError):
        parse_card(edited(make_card(), change))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"null",
        b"[]",
        b"\xff\xfe",
        b'{"card": {}, "card": {}, "signature": ""}',
        b'{"card": NaN}',
        b"[" * 5000,
    ],
)
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidCardError):
        parse_card(data)


def test_oversized_card_is_refused() -> None:
    with pytest.raises(CardTooLargeError) as info:
        parse_card(b" " * (MAX_CARD_SIZE + 1))
    assert isinstance(info.value, BundleError)
    assert str(info.value) == "This file is too large to be an identity card."

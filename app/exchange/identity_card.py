"""Identity cards: how members introduce their public keys to each other.

A card is a small JSON file a member sends to the partnership (by email, a
USB stick, anything). It is self-signed, which proves only that whoever made
it holds the Ed25519 key in it, not who that person is: the receiver must
still compare the fingerprint with the member in person or by phone before
trusting the card.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature

from .canonical import (
    CanonicalJSONError,
    b64decode_strict,
    b64encode,
    canonical_json,
    check_text,
    clean_text,
    parse_utc_iso,
    strict_loads,
    utc_now_iso,
)
from .errors import (
    CardSignatureError,
    CardTooLargeError,
    InvalidCardError,
    UnsupportedCardVersionError,
)
from .keys import KEY_SIZE, MemberKeys, NamedByPublicKeys, PublicKeys

CARD_TYPE = "safeguarding-workbench/identity-card"
CARD_FORMAT_MAJOR = 1
CARD_FORMAT_MINOR = 0
CARD_FORMAT = f"{CARD_FORMAT_MAJOR}.{CARD_FORMAT_MINOR}"
MAX_CARD_SIZE = 16 * 1024
MAX_NAME_LEN = 120
MAX_AGENCY_LEN = 200
MAX_ROLE_LEN = 120

# Domain separation: a card signature can never pass as a manifest signature.
_SIGNING_CONTEXT = b"safeguarding-workbench/identity-card/v1\x00"
_BODY_FIELDS = frozenset({"type", "format", "display_name", "agency", "role", "x25519", "ed25519", "created"})


@dataclass(frozen=True)
class IdentityCard(NamedByPublicKeys):
    """A verified card. Only ``parse_card`` and ``export_card`` make these."""

    format_version: str
    display_name: str
    agency: str
    role: str
    public: PublicKeys
    created: str
    signature: bytes

    @property
    def created_at(self) -> datetime:
        return parse_utc_iso(self.created)


def _signed_bytes(body: dict[str, object]) -> bytes:
    return _SIGNING_CONTEXT + canonical_json(body)


def export_card(
    keys: MemberKeys,
    *,
    display_name: str,
    agency: str = "",
    role: str = "",
    created: str | None = None,
) -> bytes:
    """Make a signed card for ``keys``; ValueError if a field is unusable."""
    name, agency, role = clean_text(display_name), clean_text(agency), clean_text(role)
    check_text(name, max_len=MAX_NAME_LEN, allow_empty=False)
    check_text(agency, max_len=MAX_AGENCY_LEN, allow_empty=True)
    check_text(role, max_len=MAX_ROLE_LEN, allow_empty=True)
    created = created or utc_now_iso()
    parse_utc_iso(created)
    public = keys.public
    body: dict[str, object] = {
        "type": CARD_TYPE,
        "format": CARD_FORMAT,
        "display_name": name,
        "agency": agency,
        "role": role,
        "x25519": b64encode(public.x25519),
        "ed25519": b64encode(public.ed25519),
        "created": created,
    }
    signature = keys.sign(_signed_bytes(body))
    document = {"card": body, "signature": b64encode(signature)}
    # Indented for people who open it in a text editor; the signature covers
    # the canonical form of "card", so layout does not matter to readers.
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def _parse_version(value: object) -> str:
    if not isinstance(value, str) or value.count(".") != 1:
        raise InvalidCardError(detail="bad format version")
    major, minor = value.split(".")
    if not (major.isdigit() and minor.isdigit() and major.isascii() and minor.isascii()):
        raise InvalidCardError(detail="bad format version")
    if len(major) > 4 or len(minor) > 4:
        raise InvalidCardError(detail="bad format version")
    if int(major) > CARD_FORMAT_MAJOR:
        raise UnsupportedCardVersionError(detail=f"card format {value}")
    if int(major) < CARD_FORMAT_MAJOR:
        raise InvalidCardError(detail=f"card format {value} is not supported")
    return value


def parse_card(data: bytes) -> IdentityCard:
    """Read and verify a card; any problem is an ``InvalidCardError``.

    Checks run cheapest first: size, JSON, shape and version, then the
    self-signature. Unknown extra fields are allowed only inside a newer
    minor version (they are signed like the rest).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("parse_card expects bytes")
    data = bytes(data)
    if len(data) > MAX_CARD_SIZE:
        raise CardTooLargeError(detail=f"{len(data)} bytes")
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM some editors add on save
        data = data[3:]
    try:
        document = strict_loads(data)
    except CanonicalJSONError as exc:
        raise InvalidCardError(detail=str(exc)) from None
    if not isinstance(document, dict) or set(document) != {"card", "signature"}:
        raise InvalidCardError(detail="top level must hold card and signature")
    body = document["card"]
    if not isinstance(body, dict) or body.get("type") != CARD_TYPE:
        raise InvalidCardError(detail="not an identity card")
    version = _parse_version(body.get("format"))
    missing = _BODY_FIELDS - set(body)
    if missing:
        raise InvalidCardError(detail=f"missing {sorted(missing)}")
    if version == CARD_FORMAT and set(body) != _BODY_FIELDS:
        raise InvalidCardError(detail="unexpected fields")
    try:
        name = check_text(body["display_name"], max_len=MAX_NAME_LEN, allow_empty=False)
        agency = check_text(body["agency"], max_len=MAX_AGENCY_LEN, allow_empty=True)
        role = check_text(body["role"], max_len=MAX_ROLE_LEN, allow_empty=True)
        public = PublicKeys(
            b64decode_strict(body["x25519"], length=KEY_SIZE),
            b64decode_strict(body["ed25519"], length=KEY_SIZE),
        )
        parse_utc_iso(body["created"])
        signature = b64decode_strict(document["signature"], length=64)
        signed = _signed_bytes(body)
    except (ValueError, TypeError) as exc:
        raise InvalidCardError(detail=str(exc)) from None
    try:
        public.ed25519_key().verify(signature, signed)
    except InvalidSignature:
        raise CardSignatureError() from None
    except ValueError as exc:  # a malformed public key
        raise CardSignatureError(detail=str(exc)) from None
    return IdentityCard(version, name, agency, role, public, body["created"], signature)

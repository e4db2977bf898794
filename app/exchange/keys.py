"""A member's long-term keys: X25519 to receive bundles, Ed25519 to sign them.

The same X25519 key is used as an age recipient. pyrage 1.4 has no
constructor from raw key bytes (``pyrage.x25519.Identity`` only offers
``generate`` and ``from_str``), so the age strings ``age1...`` and
``AGE-SECRET-KEY-1...`` are produced here with a small hand-written Bech32
encoder (BIP 173, the variant age uses, without the 90-character limit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from app.security.fingerprint import fingerprint_for, key_id_for

KEY_SIZE = 32
PRIVATE_KEYS_SIZE = 2 * KEY_SIZE
AGE_RECIPIENT_HRP = "age"
AGE_IDENTITY_HRP = "age-secret-key-"

# --- Bech32 (BIP 173) -------------------------------------------------------

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= _GENERATOR[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & maxv)
    elif bits >= from_bits or ((acc << (to_bits - bits)) & maxv):
        raise ValueError("invalid Bech32 padding")
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    """Encode bytes as lower-case Bech32 (checksum constant 1)."""
    hrp = hrp.lower()
    words = _convert_bits(data, 8, 5, pad=True)
    polymod = _polymod(_hrp_expand(hrp) + words + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[w] for w in words + checksum)


def bech32_decode(text: str) -> tuple[str, bytes]:
    """Decode a Bech32 string (all lower or all upper case) to (hrp, bytes)."""
    if text.lower() != text and text.upper() != text:
        raise ValueError("mixed-case Bech32 string")
    text = text.lower()
    sep = text.rfind("1")
    if sep < 1 or sep + 7 > len(text):
        raise ValueError("malformed Bech32 string")
    hrp, rest = text[:sep], text[sep + 1 :]
    if any(ord(c) < 33 or ord(c) > 126 for c in hrp):
        raise ValueError("invalid Bech32 prefix")
    try:
        words = [_CHARSET.index(c) for c in rest]
    except ValueError:
        raise ValueError("invalid Bech32 character") from None
    if _polymod(_hrp_expand(hrp) + words) != 1:
        raise ValueError("bad Bech32 checksum")
    return hrp, bytes(_convert_bits(words[:-6], 5, 8, pad=False))


# --- Public half ------------------------------------------------------------


@dataclass(frozen=True)
class PublicKeys:
    """Raw public keys of a member, as carried in cards and manifests."""

    x25519: bytes
    ed25519: bytes

    def __post_init__(self) -> None:
        if not (isinstance(self.x25519, bytes) and len(self.x25519) == KEY_SIZE):
            raise ValueError("an X25519 public key is 32 bytes")
        if not (isinstance(self.ed25519, bytes) and len(self.ed25519) == KEY_SIZE):
            raise ValueError("an Ed25519 public key is 32 bytes")

    @property
    def key_id(self) -> str:
        return key_id_for(self.x25519, self.ed25519)

    @property
    def fingerprint(self) -> str:
        return fingerprint_for(self.x25519, self.ed25519)

    @property
    def age_recipient_str(self) -> str:
        return bech32_encode(AGE_RECIPIENT_HRP, self.x25519)

    def age_recipient(self) -> pyrage.x25519.Recipient:
        return pyrage.x25519.Recipient.from_str(self.age_recipient_str)

    def ed25519_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.ed25519)

    def x25519_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.x25519)


# --- Private keys -----------------------------------------------------------


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


class NamedByPublicKeys:
    """Key id and fingerprint of anything that carries a member's `public` keys."""

    public: PublicKeys

    @property
    def key_id(self) -> str:
        return self.public.key_id

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


@dataclass(frozen=True, eq=False)
class MemberKeys(NamedByPublicKeys):
    """A member's private keys. ``repr`` never shows key material; equality
    is identity (compare ``public`` to compare members)."""

    x25519: X25519PrivateKey = field(repr=False)
    ed25519: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> MemberKeys:
        return cls(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, data: bytes) -> MemberKeys:
        """Inverse of ``private_bytes``: 32 bytes X25519 then 32 bytes Ed25519."""
        if len(data) != PRIVATE_KEYS_SIZE:
            raise ValueError("member private keys are 64 bytes")
        return cls(
            X25519PrivateKey.from_private_bytes(bytes(data[:KEY_SIZE])),
            Ed25519PrivateKey.from_private_bytes(bytes(data[KEY_SIZE:])),
        )

    def private_bytes(self) -> bytes:
        """Raw secret keys (X25519 || Ed25519); the caller must encrypt them."""
        return _raw_private(self.x25519) + _raw_private(self.ed25519)

    @property
    def public(self) -> PublicKeys:  # type: ignore[override]  # derived from the private keys, never set
        return PublicKeys(
            self.x25519.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            self.ed25519.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        )

    @property
    def age_recipient_str(self) -> str:
        return self.public.age_recipient_str

    def age_identity_str(self) -> str:
        """``AGE-SECRET-KEY-1...``: secret, never log or store it in clear."""
        return bech32_encode(AGE_IDENTITY_HRP, _raw_private(self.x25519)).upper()

    def age_identity(self) -> pyrage.x25519.Identity:
        return pyrage.x25519.Identity.from_str(self.age_identity_str())

    def sign(self, message: bytes) -> bytes:
        return self.ed25519.sign(message)

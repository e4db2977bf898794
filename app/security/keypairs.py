"""The member's key pairs: X25519 to receive bundles, Ed25519 to sign them.

Private keys are kept inside the encrypted store and, in addition, wrapped with
AES-GCM under a key derived from the passphrase, so a copy of the database
opened by some other means still does not hand out the signing key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from app.security.fingerprint import fingerprint_for


@dataclass(frozen=True)
class KeyPairs:
    x25519: X25519PrivateKey
    ed25519: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> KeyPairs:
        return cls(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    @property
    def x25519_public(self) -> bytes:
        return self.x25519.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def ed25519_public(self) -> bytes:
        return self.ed25519.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def wrap(self, wrapping_key: bytes, member_id: str) -> tuple[bytes, bytes]:
        return (
            _wrap(
                wrapping_key,
                self.x25519.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
                member_id + "/x25519",
            ),
            _wrap(
                wrapping_key,
                self.ed25519.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
                member_id + "/ed25519",
            ),
        )

    @classmethod
    def unwrap(cls, wrapping_key: bytes, member_id: str, x_wrapped: bytes, ed_wrapped: bytes) -> KeyPairs:
        return cls(
            X25519PrivateKey.from_private_bytes(_unwrap(wrapping_key, x_wrapped, member_id + "/x25519")),
            Ed25519PrivateKey.from_private_bytes(_unwrap(wrapping_key, ed_wrapped, member_id + "/ed25519")),
        )


def _wrap(key: bytes, secret: bytes, label: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, secret, label.encode())


def _unwrap(key: bytes, blob: bytes, label: str) -> bytes:
    return AESGCM(key).decrypt(blob[:12], blob[12:], label.encode())


def fingerprint(x25519_public: bytes, ed25519_public: bytes) -> str:
    """Forty digits in eight groups of five, to read aloud and compare.

    One definition for the whole app (the identity card and bundles use it too).
    """
    return fingerprint_for(x25519_public, ed25519_public)

"""Key ids and fingerprints of a member's public keys: one definition for the whole app.

The workspace shows its member's fingerprint; identity cards and bundles name
keys by the same id and fingerprint.
"""

from __future__ import annotations

import hashlib

KEY_ID_HEX_LEN = 32  # 128 bits: short, yet no practical collisions
FINGERPRINT_GROUPS = 8

_FINGERPRINT_DOMAIN = b"safeguarding-workbench/member-fingerprint/v1\x00"


def _digest(x25519_public: bytes, ed25519_public: bytes) -> bytes:
    return hashlib.sha256(_FINGERPRINT_DOMAIN + x25519_public + ed25519_public).digest()


def key_id_for(x25519_public: bytes, ed25519_public: bytes) -> str:
    """Stable hex id naming a member's key pair in manifests and lookups."""
    return _digest(x25519_public, ed25519_public).hex()[:KEY_ID_HEX_LEN]


def fingerprint_for(x25519_public: bytes, ed25519_public: bytes) -> str:
    """Eight groups of five digits, to be read aloud and compared.

    Each group is a 4-byte slice of SHA-256(domain || X25519 || Ed25519)
    taken modulo 100000 (bias below 0.003 %), so 8 groups use the whole
    digest, about 132 bits shown.
    """
    digest = _digest(x25519_public, ed25519_public)
    groups = (int.from_bytes(digest[i * 4 : i * 4 + 4], "big") % 100_000 for i in range(FINGERPRINT_GROUPS))
    return " ".join(f"{g:05d}" for g in groups)

"""Passphrase to keys: Argon2id, calibrated once per workspace, then HKDF.

The salt and cost parameters live in a non-secret sidecar next to the database
so the same passphrase derives the same key on any machine. The derived keys are
held in memory only for as long as the workspace is unlocked.
"""

from __future__ import annotations

import base64
import math
import os
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import InvalidInput

MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
MAX_ITERATIONS = 200
DEFAULT_TARGET_SECONDS = 0.6
LANES = 4

#: Scripts and tests may lower the iteration count (never the memory) so that
#: creating many throwaway workspaces stays quick. Documented in the README.
ITERATIONS_ENV = "WORKBENCH_KDF_ITERATIONS"


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    iterations: int
    memory_kib: int = MIN_MEMORY_KIB
    lanes: int = LANES

    def to_json(self) -> dict[str, object]:
        return {
            "algorithm": "argon2id",
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "iterations": self.iterations,
            "memory_kib": self.memory_kib,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KdfParams:
        if data.get("algorithm") != "argon2id":
            raise ValueError("unsupported key derivation algorithm")
        params = cls(
            salt=base64.b64decode(str(data["salt"]), validate=True),
            iterations=int(str(data["iterations"])),
            memory_kib=int(str(data["memory_kib"])),
            lanes=int(str(data["lanes"])),
        )
        if len(params.salt) < 16 or params.iterations < 1 or params.memory_kib < MIN_MEMORY_KIB:
            raise ValueError("key derivation parameters are below the minimum")
        return params


@dataclass(frozen=True)
class DerivedKeys:
    """Keys split from the master key, so one key never serves two purposes."""

    database: bytes  # raw 256-bit SQLCipher key
    wrapping: bytes  # wraps the member's private keys inside the store

    def sqlcipher_key_literal(self) -> str:
        """The PRAGMA key value: a raw key skips SQLCipher's own PBKDF2."""
        return f"x'{self.database.hex()}'"


def _argon2(passphrase: str, params: KdfParams) -> bytes:
    return Argon2id(
        salt=params.salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(passphrase.encode("utf-8"))


def _hkdf(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"safeguarding-workbench/" + purpose).derive(
        master
    )


def derive_keys(passphrase: str, params: KdfParams) -> DerivedKeys:
    master = _argon2(passphrase, params)
    return DerivedKeys(database=_hkdf(master, b"database-v1"), wrapping=_hkdf(master, b"key-wrapping-v1"))


def calibrate(target_seconds: float = DEFAULT_TARGET_SECONDS) -> KdfParams:
    """Pick iterations so that derivation takes about target_seconds here."""
    salt = os.urandom(16)
    override = os.environ.get(ITERATIONS_ENV)
    if override:
        if not override.isdigit() or int(override) < 1:
            raise InvalidInput(f"{ITERATIONS_ENV} must be a whole number of 1 or more (it is for tests only)")
        return KdfParams(salt=salt, iterations=int(override))
    probe = KdfParams(salt=salt, iterations=2)
    started = time.perf_counter()
    _argon2("calibration", probe)
    per_iteration = max((time.perf_counter() - started) / 2, 1e-4)
    iterations = math.ceil(target_seconds / per_iteration)
    return KdfParams(salt=salt, iterations=min(MAX_ITERATIONS, max(MIN_ITERATIONS, iterations)))

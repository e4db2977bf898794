"""The frame: the container inside the age envelope.

Fixed 22-byte header (magic, three big-endian lengths), then manifest,
signature and payload with nothing before, between or after them. The
reader is strict about every length so that truncation and appended bytes
are refused rather than silently tolerated.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from .errors import DamagedBundleError, UnsupportedFormatError

MAGIC_PREFIX = b"SGWBNDL"
FRAME_LAYOUT = b"1"
MAGIC = MAGIC_PREFIX + FRAME_LAYOUT
# magic, manifest length, signature length, payload length (big-endian)
FRAME_HEADER = struct.Struct(">8sIHQ")
SIGNATURE_SIZE = 64
MAX_MANIFEST_SIZE = 1024 * 1024


@dataclass(frozen=True)
class Frame:
    """The decrypted container, split but not yet verified."""

    manifest: bytes
    signature: bytes
    payload: bytes


def encode_frame(manifest: bytes, signature: bytes, payload: bytes) -> bytes:
    if not 0 < len(manifest) <= MAX_MANIFEST_SIZE:
        raise ValueError("manifest size out of range")
    if len(signature) != SIGNATURE_SIZE:
        raise ValueError("an Ed25519 signature is 64 bytes")
    header = FRAME_HEADER.pack(MAGIC, len(manifest), len(signature), len(payload))
    return b"".join((header, manifest, signature, payload))


def decode_frame(data: bytes) -> Frame:
    """Split a frame, refusing truncation, trailing bytes and bad lengths."""
    if len(data) < FRAME_HEADER.size:
        raise DamagedBundleError(detail="frame shorter than its header")
    magic, manifest_len, signature_len, payload_len = FRAME_HEADER.unpack_from(data)
    if magic != MAGIC:
        if magic.startswith(MAGIC_PREFIX) and magic[-1:].isdigit() and magic[-1:] > FRAME_LAYOUT:
            raise UnsupportedFormatError(detail=f"frame layout {magic[-1:]!r}")
        raise DamagedBundleError(detail="bad frame magic")
    if not 0 < manifest_len <= MAX_MANIFEST_SIZE:
        raise DamagedBundleError(detail="manifest length out of range")
    if signature_len != SIGNATURE_SIZE:
        raise DamagedBundleError(detail="signature length out of range")
    expected = FRAME_HEADER.size + manifest_len + signature_len + payload_len
    if len(data) != expected:
        raise DamagedBundleError(detail=f"frame is {len(data)} bytes, its header says {expected}")
    start = FRAME_HEADER.size
    manifest = data[start : start + manifest_len]
    start += manifest_len
    signature = data[start : start + signature_len]
    start += signature_len
    return Frame(manifest, signature, data[start:])

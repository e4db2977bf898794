"""The bundle manifest: what a bundle holds, who sealed it, for whom.

Serialised as canonical JSON so that the Ed25519 signature covers exactly
one byte string. ``parse_manifest`` checks shape only; the signature is
checked by ``bundle_format`` against the sender's *stored* key.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.security.fingerprint import KEY_ID_HEX_LEN

from .canonical import (
    CanonicalJSONError,
    b64decode_strict,
    b64encode,
    canonical_json,
    check_text,
    loads_canonical,
    parse_utc_iso,
    utc_now_iso,
)
from .errors import DamagedBundleError, UnsupportedFormatError
from .keys import KEY_SIZE, NamedByPublicKeys, PublicKeys

FORMAT_MAJOR = 1
FORMAT_MINOR = 0
FORMAT_VERSION = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"

PROTECTION_RECIPIENTS = "recipients"
PROTECTION_PASSPHRASE = "passphrase"
COMPRESSION_ZLIB = "zlib"

MAX_SENDER_NAME_LEN = 120
MAX_RECIPIENTS = 1000
MAX_TABLES = 1000
MAX_TABLE_NAME_LEN = 128
MAX_FRONTIER_LEN = 64 * 1024
MAX_COUNT = 2**63 - 1
MAX_SCHEMA_PART = 1_000_000

_TOP_FIELDS = frozenset(
    {
        "format",
        "bundle_id",
        "created",
        "protection",
        "sender",
        "recipients",
        "schema",
        "record_counts",
        "clock_frontier",
        "payload",
    }
)
_SENDER_FIELDS = frozenset({"key_id", "name", "x25519", "ed25519"})
_SCHEMA_FIELDS = frozenset({"major", "minor"})
_PAYLOAD_FIELDS = frozenset({"compression", "sha256", "length"})


@dataclass(frozen=True)
class SenderStamp(NamedByPublicKeys):
    """Who the manifest says sealed the bundle, with their public keys, so
    an unknown sender can still be shown by name and fingerprint."""

    name: str
    public: PublicKeys


@dataclass(frozen=True)
class Manifest:
    """What a bundle holds. Callers fill the first three fields (and may
    choose ``bundle_id``/``created``); ``seal`` fills the rest and replaces
    whatever was there."""

    schema_version: tuple[int, int]
    record_counts: Mapping[str, int]
    clock_frontier: str
    bundle_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: str = field(default_factory=utc_now_iso)
    format_version: str = FORMAT_VERSION
    protection: str = PROTECTION_RECIPIENTS
    sender: SenderStamp | None = None
    recipient_key_ids: tuple[str, ...] = ()
    compression: str = COMPRESSION_ZLIB
    payload_sha256: str = ""
    payload_length: int = 0

    @property
    def passphrase_protected(self) -> bool:
        """True for the weaker passphrase-only variant."""
        return self.protection == PROTECTION_PASSPHRASE

    def to_json(self) -> dict[str, Any]:
        if self.sender is None:
            raise ValueError("manifest has no sender yet")
        return {
            "format": self.format_version,
            "bundle_id": self.bundle_id,
            "created": self.created,
            "protection": self.protection,
            "sender": {
                "key_id": self.sender.key_id,
                "name": self.sender.name,
                "x25519": b64encode(self.sender.public.x25519),
                "ed25519": b64encode(self.sender.public.ed25519),
            },
            "recipients": list(self.recipient_key_ids),
            "schema": {"major": self.schema_version[0], "minor": self.schema_version[1]},
            "record_counts": dict(self.record_counts),
            "clock_frontier": self.clock_frontier,
            "payload": {
                "compression": self.compression,
                "sha256": self.payload_sha256,
                "length": self.payload_length,
            },
        }

    def to_bytes(self) -> bytes:
        """The canonical bytes that are signed."""
        return canonical_json(self.to_json())


def _damaged(detail: str) -> DamagedBundleError:
    return DamagedBundleError(detail=f"manifest: {detail}")


def _version_pair(value: object) -> tuple[int, int]:
    if not isinstance(value, str) or value.count(".") != 1:
        raise _damaged("bad format version")
    major, minor = value.split(".")
    for part in (major, minor):
        if not (part.isascii() and part.isdigit() and len(part) <= 6):
            raise _damaged("bad format version")
        if len(part) > 1 and part.startswith("0"):
            raise _damaged("bad format version")
    return int(major), int(minor)


def _exact_fields(obj: object, fields: frozenset[str], name: str, allow_extra: bool) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise _damaged(f"{name} is not an object")
    missing = fields - set(obj)
    if missing:
        raise _damaged(f"{name} lacks {sorted(missing)}")
    if not allow_extra and set(obj) != fields:
        raise _damaged(f"{name} has unexpected fields")
    return obj


def _small_int(value: object, limit: int, what: str) -> int:
    if type(value) is not int or not 0 <= value <= limit:
        raise _damaged(f"{what} out of range")
    return value


def _is_hex(value: object, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and all(c in "0123456789abcdef" for c in value)


def _is_key_id(value: object) -> bool:
    return _is_hex(value, KEY_ID_HEX_LEN)


def parse_manifest(data: bytes) -> Manifest:
    """Parse and validate a manifest's shape (not its signature).

    A newer format *major* is refused before anything else is read, since
    its fields may mean something else; a newer *minor* may add fields,
    which are tolerated (and signed) but ignored.
    """
    try:
        raw = loads_canonical(data)
    except CanonicalJSONError as exc:
        raise _damaged(str(exc)) from None
    if not isinstance(raw, dict):
        raise _damaged("not an object")
    major, minor = _version_pair(raw.get("format"))
    if major > FORMAT_MAJOR:
        raise UnsupportedFormatError(detail=f"bundle format {major}.{minor}")
    if major < FORMAT_MAJOR:
        raise _damaged(f"bundle format {major}.{minor} is not supported")
    newer = minor > FORMAT_MINOR
    top = _exact_fields(raw, _TOP_FIELDS, "manifest", newer)
    sender = _exact_fields(top["sender"], _SENDER_FIELDS, "sender", newer)
    schema = _exact_fields(top["schema"], _SCHEMA_FIELDS, "schema", newer)
    payload = _exact_fields(top["payload"], _PAYLOAD_FIELDS, "payload", newer)

    bundle_id = top["bundle_id"]
    try:
        parsed_id = uuid.UUID(bundle_id) if isinstance(bundle_id, str) else None
    except ValueError:
        parsed_id = None
    if parsed_id is None or parsed_id.version != 4 or str(parsed_id) != bundle_id:
        raise _damaged("bundle id is not a UUID4")
    try:
        parse_utc_iso(top["created"])
        name = check_text(sender["name"], max_len=MAX_SENDER_NAME_LEN, allow_empty=False)
        public = PublicKeys(
            b64decode_strict(sender["x25519"], length=KEY_SIZE),
            b64decode_strict(sender["ed25519"], length=KEY_SIZE),
        )
    except (ValueError, TypeError) as exc:
        raise _damaged(str(exc)) from None
    if sender["key_id"] != public.key_id:
        raise _damaged("sender key id does not match the sender's keys")

    protection = top["protection"]
    if protection not in (PROTECTION_RECIPIENTS, PROTECTION_PASSPHRASE):
        raise _damaged("unknown protection")
    recipients = top["recipients"]
    if not isinstance(recipients, list) or len(recipients) > MAX_RECIPIENTS:
        raise _damaged("recipients is not a list of key ids")
    if not all(_is_key_id(r) for r in recipients) or recipients != sorted(set(recipients)):
        raise _damaged("recipients must be sorted, distinct key ids")
    if protection == PROTECTION_PASSPHRASE and recipients:
        raise _damaged("a passphrase bundle names no recipients")

    counts = top["record_counts"]
    if not isinstance(counts, dict) or len(counts) > MAX_TABLES:
        raise _damaged("record counts is not an object")
    for table, count in counts.items():
        if not table or len(table) > MAX_TABLE_NAME_LEN:
            raise _damaged("bad table name in record counts")
        _small_int(count, MAX_COUNT, "record count")
    frontier = top["clock_frontier"]
    if not isinstance(frontier, str) or len(frontier) > MAX_FRONTIER_LEN:
        raise _damaged("clock frontier is not short text")

    if payload["compression"] != COMPRESSION_ZLIB:
        raise _damaged("unknown compression")
    digest = payload["sha256"]
    if not _is_hex(digest, 64):
        raise _damaged("payload hash is not SHA-256 hex")

    return Manifest(
        schema_version=(
            _small_int(schema["major"], MAX_SCHEMA_PART, "schema major"),
            _small_int(schema["minor"], MAX_SCHEMA_PART, "schema minor"),
        ),
        record_counts=dict(counts),
        clock_frontier=frontier,
        bundle_id=bundle_id,
        created=top["created"],
        format_version=top["format"],
        protection=protection,
        sender=SenderStamp(name, public),
        recipient_key_ids=tuple(recipients),
        compression=COMPRESSION_ZLIB,
        payload_sha256=digest,
        payload_length=_small_int(payload["length"], MAX_COUNT, "payload length"),
    )


def check_for_sealing(manifest: Manifest) -> None:
    """Turn caller mistakes into ValueError now rather than into bundles
    every receiver would refuse."""
    major, minor = manifest.schema_version
    for part in (major, minor):
        if type(part) is not int or not 0 <= part <= MAX_SCHEMA_PART:
            raise ValueError("schema version parts must be small non-negative ints")
    try:
        parsed = uuid.UUID(manifest.bundle_id)
    except ValueError:
        raise ValueError("bundle_id must be a UUID4 string") from None
    if parsed.version != 4 or str(parsed) != manifest.bundle_id:
        raise ValueError("bundle_id must be a lower-case UUID4 string")
    parse_utc_iso(manifest.created)
    if len(manifest.record_counts) > MAX_TABLES:
        raise ValueError("too many tables in record_counts")
    for table, count in manifest.record_counts.items():
        if not isinstance(table, str) or not 0 < len(table) <= MAX_TABLE_NAME_LEN:
            raise ValueError("record_counts keys must be table names")
        if type(count) is not int or not 0 <= count <= MAX_COUNT:
            raise ValueError("record_counts values must be non-negative ints")
    frontier = manifest.clock_frontier
    if not isinstance(frontier, str) or len(frontier) > MAX_FRONTIER_LEN:
        raise ValueError("clock_frontier must be text of at most 64 KiB")

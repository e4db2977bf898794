"""Sealing and opening bundles: the files members exchange.

Layers, outside in (docs/bundle-format.md has the full description):

1. an age envelope (pyrage), encrypted to every recipient and the sender,
   or to a passphrase (scrypt) for one-off transfers;
2. a frame: magic, three lengths, then manifest, signature, payload;
3. a canonical-JSON manifest, an Ed25519 signature over it, and the
   zlib-compressed change set whose SHA-256 the manifest records.

age gives confidentiality and integrity but says nothing about who wrote
the file (anyone with a recipient's public key can encrypt to them), hence
the signature. Everything here works in memory and writes nothing to disk.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import uuid
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature

from .canonical import (
    CanonicalJSONError,
    b64decode_strict,
    b64encode,
    canonical_json,
    check_text,
    clean_text,
    loads_canonical,
    parse_utc_iso,
    utc_now_iso,
)
from .errors import (
    BadSignatureError,
    BundleError,
    BundleTooLargeError,
    DamagedBundleError,
    KeysRequiredError,
    NewerSchemaError,
    NotABundleError,
    NotAddressedToYouError,
    PassphraseRequiredError,
    PayloadTooLargeError,
    RevokedSenderError,
    SealError,
    UnknownSenderError,
    UnsupportedFormatError,
    WrongPassphraseError,
)
from .keys import KEY_ID_HEX_LEN, KEY_SIZE, MemberKeys, PublicKeys

FORMAT_MAJOR = 1
FORMAT_MINOR = 0
FORMAT_VERSION = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"

MAGIC_PREFIX = b"SGWBNDL"
FRAME_LAYOUT = b"1"
MAGIC = MAGIC_PREFIX + FRAME_LAYOUT
# magic, manifest length, signature length, payload length (big-endian)
FRAME_HEADER = struct.Struct(">8sIHQ")
SIGNATURE_SIZE = 64
MAX_MANIFEST_SIZE = 1024 * 1024

DEFAULT_MAX_BUNDLE_SIZE = 256 * 1024 * 1024
DEFAULT_MAX_PAYLOAD = 512 * 1024 * 1024

PROTECTION_RECIPIENTS = "recipients"
PROTECTION_PASSPHRASE = "passphrase"
COMPRESSION_ZLIB = "zlib"
ZLIB_LEVEL = 6

MAX_SENDER_NAME_LEN = 120
MAX_RECIPIENTS = 1000
MAX_TABLES = 1000
MAX_TABLE_NAME_LEN = 128
MAX_FRONTIER_LEN = 64 * 1024
MAX_COUNT = 2**63 - 1
MAX_SCHEMA_PART = 1_000_000

# Domain separation: a manifest signature can never pass as a card signature.
_SIGNING_CONTEXT = b"safeguarding-workbench/bundle-manifest/v1\x00"
_AGE_MAGIC = b"age-encryption.org/v1\n"
_AGE_HEADER_SCAN = 64 * 1024
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


# --- Data types ---------------------------------------------------------------


@dataclass(frozen=True)
class SenderStamp:
    """Who the manifest says sealed the bundle, with their public keys, so
    an unknown sender can still be shown by name and fingerprint."""

    name: str
    public: PublicKeys

    @property
    def key_id(self) -> str:
        return self.public.key_id

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


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


@dataclass(frozen=True)
class SenderInfo:
    """What the caller's trust store knows about a member (``lookup_sender``)."""

    display_name: str
    public: PublicKeys
    revoked: bool = False

    @property
    def key_id(self) -> str:
        return self.public.key_id

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check, from a trusted, unrevoked sender."""

    manifest: Manifest
    change_set: bytes = field(repr=False)
    sender: SenderInfo

    @property
    def passphrase_protected(self) -> bool:
        return self.manifest.passphrase_protected


@dataclass(frozen=True)
class Frame:
    """The decrypted container, split but not yet verified."""

    manifest: bytes
    signature: bytes
    payload: bytes


SenderLookup = Callable[[str], "SenderInfo | None"]


# --- Frame ----------------------------------------------------------------


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
        raise DamagedBundleError(
            detail=f"frame is {len(data)} bytes, its header says {expected}"
        )
    start = FRAME_HEADER.size
    manifest = data[start : start + manifest_len]
    start += manifest_len
    signature = data[start : start + signature_len]
    start += signature_len
    return Frame(manifest, signature, data[start:])


# --- Manifest parsing ------------------------------------------------------


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


def _is_key_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) == KEY_ID_HEX_LEN
        and all(c in "0123456789abcdef" for c in value)
    )


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
    if not (isinstance(digest, str) and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
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


# --- Sealing ---------------------------------------------------------------


def _check_caller_manifest(manifest: Manifest) -> None:
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
    if not isinstance(manifest.clock_frontier, str) or len(manifest.clock_frontier) > MAX_FRONTIER_LEN:
        raise ValueError("clock_frontier must be text of at most 64 KiB")


def _sign_and_frame(
    compressed: bytes,
    payload_length: int,
    manifest: Manifest,
    sender: MemberKeys,
    sender_name: str,
    recipient_key_ids: Sequence[str],
    protection: str,
) -> tuple[bytes, Manifest]:
    """Fill the manifest's computed fields, sign it and build the frame.

    Separate from compression so tests can frame hostile payloads.
    """
    name = check_text(clean_text(sender_name), max_len=MAX_SENDER_NAME_LEN, allow_empty=False)
    final = replace(
        manifest,
        format_version=FORMAT_VERSION,
        protection=protection,
        sender=SenderStamp(name, sender.public),
        recipient_key_ids=tuple(sorted(set(recipient_key_ids))),
        compression=COMPRESSION_ZLIB,
        payload_sha256=hashlib.sha256(compressed).hexdigest(),
        payload_length=payload_length,
    )
    manifest_bytes = final.to_bytes()
    if len(manifest_bytes) > MAX_MANIFEST_SIZE:
        raise ValueError("manifest too large")
    signature = sender.sign(_SIGNING_CONTEXT + manifest_bytes)
    return encode_frame(manifest_bytes, signature, compressed), final


def _compress(change_set: bytes, max_payload: int) -> bytes:
    if not isinstance(change_set, (bytes, bytearray, memoryview)):
        raise TypeError("change_set must be bytes")
    if len(change_set) > max_payload:
        raise SealError(
            "The change set is too large to send in one bundle.",
            detail=f"{len(change_set)} bytes",
        )
    return zlib.compress(change_set, ZLIB_LEVEL)


def seal(
    change_set: bytes,
    manifest: Manifest,
    sender: MemberKeys,
    recipients: Sequence[PublicKeys],
    *,
    sender_name: str,
    max_payload: int = DEFAULT_MAX_PAYLOAD,
) -> bytes:
    """Sign and encrypt a change set to ``recipients`` and to the sender.

    Recipients are ``PublicKeys`` (both halves, e.g. ``card.public``)
    rather than bare X25519 keys, because the manifest names them by key
    id, which covers both keys.
    """
    _check_caller_manifest(manifest)
    if not recipients:
        raise ValueError("a bundle needs at least one recipient")
    for recipient in recipients:
        if not isinstance(recipient, PublicKeys):
            raise TypeError("recipients must be PublicKeys")
    compressed = _compress(change_set, max_payload)
    frame, _ = _sign_and_frame(
        compressed,
        len(change_set),
        manifest,
        sender,
        sender_name,
        [r.key_id for r in recipients],
        PROTECTION_RECIPIENTS,
    )
    unique: dict[bytes, PublicKeys] = {r.x25519: r for r in (*recipients, sender.public)}
    try:
        return pyrage.encrypt(frame, [r.age_recipient() for r in unique.values()])
    except (pyrage.EncryptError, pyrage.RecipientError) as exc:
        raise SealError(detail=str(exc)) from None


def seal_with_passphrase(
    change_set: bytes,
    manifest: Manifest,
    sender: MemberKeys,
    passphrase: str,
    *,
    sender_name: str,
    max_payload: int = DEFAULT_MAX_PAYLOAD,
) -> bytes:
    """Like ``seal`` but encrypted to a passphrase (age scrypt).

    Weaker: anyone who learns or guesses the passphrase can read it, and the
    manifest says so (``protection: passphrase``). It is still signed.
    Slow by design (scrypt, about a second or more).
    """
    _check_caller_manifest(manifest)
    if not isinstance(passphrase, str) or not passphrase:
        raise ValueError("a passphrase is required")
    compressed = _compress(change_set, max_payload)
    frame, _ = _sign_and_frame(
        compressed, len(change_set), manifest, sender, sender_name, [], PROTECTION_PASSPHRASE
    )
    try:
        return pyrage.passphrase.encrypt(frame, passphrase)
    except pyrage.EncryptError as exc:
        raise SealError(detail=str(exc)) from None


# --- Opening ------------------------------------------------------------------


def _is_panic(exc: BaseException) -> bool:
    """pyo3 turns a Rust panic into PanicException, a BaseException."""
    return type(exc).__name__ == "PanicException"


def _envelope_protection(data: bytes, max_bundle_size: int) -> str:
    """Cheap checks before any decryption: size, age magic, stanza kind."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("bundle data must be bytes")
    if len(data) > max_bundle_size:
        raise BundleTooLargeError(detail=f"{len(data)} bytes, limit {max_bundle_size}")
    if not bytes(data[: len(_AGE_MAGIC)]) == _AGE_MAGIC:
        raise NotABundleError()
    header = bytes(data[:_AGE_HEADER_SCAN])
    end = header.find(b"\n---")
    if end != -1:
        header = header[:end]
    return PROTECTION_PASSPHRASE if b"\n-> scrypt " in header else PROTECTION_RECIPIENTS


def _decrypt_with_keys(data: bytes, my_keys: MemberKeys) -> bytes:
    try:
        return pyrage.decrypt(bytes(data), [my_keys.age_identity()])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise NotAddressedToYouError(detail=str(exc)) from None
        raise DamagedBundleError(detail=f"age: {exc}") from None
    except Exception as exc:
        raise DamagedBundleError(detail=f"age: {exc}") from None
    except BaseException as exc:
        if _is_panic(exc):
            raise DamagedBundleError(detail="age: decoder panic") from None
        raise


def _decrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    try:
        return pyrage.passphrase.decrypt(bytes(data), passphrase)
    except pyrage.DecryptError as exc:
        if str(exc) == "Decryption failed":
            raise WrongPassphraseError(detail=str(exc)) from None
        raise DamagedBundleError(detail=f"age: {exc}") from None
    except Exception as exc:
        raise DamagedBundleError(detail=f"age: {exc}") from None
    except BaseException as exc:
        if _is_panic(exc):
            raise DamagedBundleError(detail="age: decoder panic") from None
        raise


def _verify(public: PublicKeys, signature: bytes, manifest_bytes: bytes) -> bool:
    try:
        public.ed25519_key().verify(signature, _SIGNING_CONTEXT + manifest_bytes)
    except (InvalidSignature, ValueError):
        return False
    return True


def _authenticate(
    frame: Frame, manifest: Manifest, lookup_sender: SenderLookup, my_keys: MemberKeys | None
) -> SenderInfo:
    """Find the sender in the trust store and check the signature with the
    *stored* key; the keys the bundle carries are only used to describe an
    unknown sender."""
    assert manifest.sender is not None
    stamp = manifest.sender
    info = lookup_sender(stamp.key_id)
    if info is None and my_keys is not None and stamp.key_id == my_keys.key_id:
        info = SenderInfo(stamp.name, my_keys.public)
    if info is None:
        if not _verify(stamp.public, frame.signature, frame.manifest):
            raise BadSignatureError(detail="unknown sender, signature invalid")
        raise UnknownSenderError(
            claimed_name=stamp.name,
            key_id=stamp.key_id,
            fingerprint=stamp.fingerprint,
            x25519_public=stamp.public.x25519,
            ed25519_public=stamp.public.ed25519,
        )
    if info.public != stamp.public or not _verify(info.public, frame.signature, frame.manifest):
        raise BadSignatureError(detail=f"sender {stamp.key_id}")
    if info.revoked:
        raise RevokedSenderError(sender_name=info.display_name, key_id=info.key_id)
    return info


def _decompress(payload: bytes, declared_length: int, max_payload: int) -> bytes:
    """Inflate at most ``declared_length + 1`` bytes, so a bomb is caught
    after a bounded allocation instead of after filling memory."""
    if declared_length > max_payload:
        raise PayloadTooLargeError(detail=f"declares {declared_length} bytes")
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(payload, declared_length + 1)
    except zlib.error as exc:
        raise DamagedBundleError(detail=f"zlib: {exc}") from None
    if len(out) > declared_length or inflater.unconsumed_tail:
        raise PayloadTooLargeError(detail="inflates beyond its declared length")
    if not inflater.eof or inflater.unused_data or len(out) != declared_length:
        raise DamagedBundleError(detail="compressed payload truncated or padded")
    return out


def _open_frame(
    plaintext: bytes,
    envelope: str,
    lookup_sender: SenderLookup,
    my_keys: MemberKeys | None,
    current_schema_major: int,
    max_payload: int,
) -> OpenedBundle:
    frame = decode_frame(plaintext)
    manifest = parse_manifest(frame.manifest)
    sender = _authenticate(frame, manifest, lookup_sender, my_keys)
    # From here on the manifest is known to come from a trusted member.
    if manifest.protection != envelope:
        # A signed inner frame re-wrapped in another kind of envelope.
        raise DamagedBundleError(detail="protection does not match the envelope")
    if envelope == PROTECTION_RECIPIENTS:
        assert my_keys is not None
        me = my_keys.key_id
        if me not in manifest.recipient_key_ids and me != sender.key_id:
            # Decryptable by me, but the sender did not address it to me:
            # someone re-encrypted (forwarded) it.
            raise NotAddressedToYouError(detail="not among the signed recipients")
    if manifest.schema_version[0] > current_schema_major:
        raise NewerSchemaError(
            detail=f"schema {manifest.schema_version[0]}.{manifest.schema_version[1]}, "
            f"this app reads {current_schema_major}.x"
        )
    actual = hashlib.sha256(frame.payload).hexdigest()
    if not hmac.compare_digest(actual, manifest.payload_sha256):
        raise DamagedBundleError(detail="payload hash mismatch")
    change_set = _decompress(frame.payload, manifest.payload_length, max_payload)
    return OpenedBundle(manifest, change_set, sender)


def open_bundle(
    data: bytes,
    my_keys: MemberKeys,
    lookup_sender: SenderLookup,
    *,
    current_schema_major: int,
    max_payload: int = DEFAULT_MAX_PAYLOAD,
    max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE,
) -> OpenedBundle:
    """Decrypt and verify a bundle addressed to ``my_keys``.

    Raises a ``BundleError`` subclass for every refusal. The caller's
    ``lookup_sender`` maps a key id to its trusted ``SenderInfo`` or None;
    the member's own key id is recognised even if the lookup omits it.
    """
    envelope = _envelope_protection(data, max_bundle_size)
    if envelope == PROTECTION_PASSPHRASE:
        raise PassphraseRequiredError()
    plaintext = _decrypt_with_keys(data, my_keys)
    return _open_frame(plaintext, envelope, lookup_sender, my_keys, current_schema_major, max_payload)


def open_with_passphrase(
    data: bytes,
    passphrase: str,
    lookup_sender: SenderLookup,
    *,
    current_schema_major: int,
    my_keys: MemberKeys | None = None,
    max_payload: int = DEFAULT_MAX_PAYLOAD,
    max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE,
) -> OpenedBundle:
    """Open a passphrase-protected bundle; the sender must still be trusted.

    ``my_keys`` only lets a member open their own passphrase bundles without
    listing themselves in ``lookup_sender``.
    """
    envelope = _envelope_protection(data, max_bundle_size)
    if envelope != PROTECTION_PASSPHRASE:
        raise KeysRequiredError()
    plaintext = _decrypt_with_passphrase(data, passphrase)
    return _open_frame(plaintext, envelope, lookup_sender, my_keys, current_schema_major, max_payload)


__all__ = [
    "BundleError",
    "DEFAULT_MAX_BUNDLE_SIZE",
    "DEFAULT_MAX_PAYLOAD",
    "FORMAT_VERSION",
    "Frame",
    "Manifest",
    "OpenedBundle",
    "SenderInfo",
    "SenderLookup",
    "SenderStamp",
    "decode_frame",
    "encode_frame",
    "open_bundle",
    "open_with_passphrase",
    "parse_manifest",
    "seal",
    "seal_with_passphrase",
]

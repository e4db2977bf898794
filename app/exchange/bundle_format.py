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
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pyrage
from cryptography.exceptions import InvalidSignature

from .canonical import check_text, clean_text
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
    WrongPassphraseError,
)
from .frame import MAX_MANIFEST_SIZE, Frame, decode_frame, encode_frame
from .keys import MemberKeys, NamedByPublicKeys, PublicKeys
from .manifest import (
    COMPRESSION_ZLIB,
    FORMAT_VERSION,
    MAX_SENDER_NAME_LEN,
    PROTECTION_PASSPHRASE,
    PROTECTION_RECIPIENTS,
    Manifest,
    SenderStamp,
    check_for_sealing,
    parse_manifest,
)

DEFAULT_MAX_BUNDLE_SIZE = 256 * 1024 * 1024
DEFAULT_MAX_PAYLOAD = 512 * 1024 * 1024
ZLIB_LEVEL = 6

# Domain separation: a manifest signature can never pass as a card signature.
_SIGNING_CONTEXT = b"safeguarding-workbench/bundle-manifest/v1\x00"
_AGE_MAGIC = b"age-encryption.org/v1\n"
_AGE_HEADER_SCAN = 64 * 1024


# --- Data types ---------------------------------------------------------------


@dataclass(frozen=True)
class SenderInfo(NamedByPublicKeys):
    """What the caller's trust store knows about a member (``lookup_sender``)."""

    display_name: str
    public: PublicKeys
    revoked: bool = False


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check, from a trusted, unrevoked sender."""

    manifest: Manifest
    change_set: bytes = field(repr=False)
    sender: SenderInfo

    @property
    def passphrase_protected(self) -> bool:
        return self.manifest.passphrase_protected


SenderLookup = Callable[[str], "SenderInfo | None"]


# --- Sealing ---------------------------------------------------------------


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
    check_for_sealing(manifest)
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
    check_for_sealing(manifest)
    if not isinstance(passphrase, str) or not passphrase:
        raise ValueError("a passphrase is required")
    compressed = _compress(change_set, max_payload)
    frame, _ = _sign_and_frame(compressed, len(change_set), manifest, sender, sender_name, [], PROTECTION_PASSPHRASE)
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


def is_passphrase_bundle(data: bytes, max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE) -> bool:
    """Whether the file is sealed to a passphrase (so the user must be asked for it).

    Reads only the age header; raises the same refusals as opening for a file
    that is not a bundle at all.
    """
    return _envelope_protection(data, max_bundle_size) == PROTECTION_PASSPHRASE


@contextmanager
def _age_failures(known: Callable[[str], BundleError | None]) -> Iterator[None]:
    """Every way age can fail, as a bundle error: `known` names the meaningful ones (not for
    me, wrong passphrase); anything else, a Rust panic included, is a damaged bundle."""
    try:
        yield
    except pyrage.DecryptError as exc:
        raise (known(str(exc)) or DamagedBundleError(detail=f"age: {exc}")) from None
    except Exception as exc:
        raise DamagedBundleError(detail=f"age: {exc}") from None
    except BaseException as exc:
        if _is_panic(exc):
            raise DamagedBundleError(detail="age: decoder panic") from None
        raise


def _decrypt_with_keys(data: bytes, my_keys: MemberKeys) -> bytes:
    with _age_failures(
        lambda text: NotAddressedToYouError(detail=text) if "no matching keys" in text.lower() else None
    ):
        return pyrage.decrypt(bytes(data), [my_keys.age_identity()])


def _decrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    with _age_failures(lambda text: WrongPassphraseError(detail=text) if text == "Decryption failed" else None):
        return pyrage.passphrase.decrypt(bytes(data), passphrase)


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
    "is_passphrase_bundle",
    "open_with_passphrase",
    "parse_manifest",
    "seal",
    "seal_with_passphrase",
]

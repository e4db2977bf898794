"""Refusals raised while reading or writing bundles and identity cards.

Every refusal is a ``BundleError`` whose ``str()`` is one sentence a member
can act on; the UI shows it as is. ``detail`` carries a short technical note
for the log (never secret material), so nobody needs a traceback to
understand what went wrong.
"""

from __future__ import annotations


class BundleError(Exception):
    """Base class: something about a bundle or card was refused."""

    default_message = "The bundle could not be read."

    def __init__(self, message: str | None = None, *, detail: str = "") -> None:
        self.message = message or self.default_message
        self.detail = detail
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class BundleTooLargeError(BundleError):
    default_message = "The bundle file is too large to open safely."


class NotABundleError(BundleError):
    default_message = "This file is not a Safeguarding Workbench bundle."


class NotAddressedToYouError(BundleError):
    # age cannot tell "no stanza for my key" from "my stanza was damaged in
    # transit", so the message names both.
    default_message = "This bundle is not addressed to you, or its recipient list is damaged."


class PassphraseRequiredError(BundleError):
    default_message = "This bundle is protected by a passphrase, not by member keys: open it with its passphrase."


class KeysRequiredError(BundleError):
    default_message = (
        "This bundle is addressed to named members, not protected by a passphrase: open it with your own keys."
    )


class WrongPassphraseError(BundleError):
    default_message = "The passphrase is wrong, or the bundle file is damaged."


class DamagedBundleError(BundleError):
    default_message = "The bundle file is damaged or has been tampered with (integrity check failed)."


class UnsupportedFormatError(BundleError):
    default_message = "This bundle was made by a newer version of Safeguarding Workbench: update the app to open it."


class NewerSchemaError(BundleError):
    default_message = (
        "This bundle holds data from a newer version of Safeguarding Workbench: update the app to open it."
    )


class BadSignatureError(BundleError):
    default_message = (
        "The bundle's signature does not match its sender's key: it may have "
        "been forged or altered, so it was not opened."
    )


class UnknownSenderError(BundleError):
    """The signature is valid for the keys the bundle carries, but nobody
    has trusted those keys yet. Carries what the UI needs to offer
    "compare the fingerprint and trust this member"."""

    def __init__(
        self,
        *,
        claimed_name: str,
        key_id: str,
        fingerprint: str,
        x25519_public: bytes,
        ed25519_public: bytes,
    ) -> None:
        super().__init__(
            f"This bundle is signed by {claimed_name!r}, who is not yet among "
            "your trusted members. Compare their fingerprint with them "
            "before trusting them.",
            detail=f"key id {key_id}",
        )
        self.claimed_name = claimed_name
        self.key_id = key_id
        self.fingerprint = fingerprint
        self.x25519_public = x25519_public
        self.ed25519_public = ed25519_public


class RevokedSenderError(BundleError):
    def __init__(self, *, sender_name: str, key_id: str) -> None:
        super().__init__(
            f"This bundle is signed with a key of {sender_name!r} that has been revoked, so it was not opened.",
            detail=f"key id {key_id}",
        )
        self.sender_name = sender_name
        self.key_id = key_id


class PayloadTooLargeError(BundleError):
    default_message = (
        "The bundle's contents are larger than this app accepts (possible decompression bomb), so it was not opened."
    )


class SealError(BundleError):
    default_message = "The bundle could not be sealed."


class InvalidCardError(BundleError):
    default_message = "This file is not a valid identity card."


class CardTooLargeError(InvalidCardError):
    default_message = "This file is too large to be an identity card."


class CardSignatureError(InvalidCardError):
    default_message = "The identity card's signature is not valid: it has been altered or damaged."


class UnsupportedCardVersionError(InvalidCardError):
    default_message = (
        "This identity card was made by a newer version of Safeguarding Workbench: update the app to read it."
    )

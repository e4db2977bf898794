"""Contacts: the members whose identity cards this member imported.

A card proves only that its author holds the keys in it. A contact becomes
trusted (can send us bundles, can be a recipient) only after the user has
compared its fingerprint with the member by phone or in person; a revoked
contact's bundles are refused for good.

Fingerprints shown to people are `app.security.keypairs.fingerprint`, the same one
`workbench info` shows for the member's own keys, so both sides read the same
forty digits. Key ids (hex) only name keys inside bundles.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utc_timestamp
from app.errors import InvalidInput, only_match
from app.exchange.bundle_format import SenderInfo
from app.exchange.errors import InvalidCardError
from app.exchange.identity_card import IdentityCard, export_card, parse_card
from app.exchange.keys import MemberKeys, PublicKeys, key_id_for
from app.records import UnitOfWork
from app.security.keypairs import KeyPairs, fingerprint
from db.models.exchange import Contact


def member_keys(pairs: KeyPairs) -> MemberKeys:
    """Adapter: the workspace's KeyPairs as the bundle code's MemberKeys."""
    return MemberKeys(x25519=pairs.x25519, ed25519=pairs.ed25519)


@dataclass(frozen=True)
class ContactView:
    key_id: str
    display_name: str
    agency: str
    role: str
    fingerprint: str
    status: str  # "trusted" | "not yet trusted" | "revoked"
    member_id: str | None
    added_at: str
    trusted_at: str | None
    revoked_at: str | None


def contact_fingerprint(contact: Contact) -> str:
    return fingerprint(contact.x25519_public, contact.ed25519_public)


def status_of(contact: Contact) -> str:
    if contact.revoked_at:
        return "revoked"
    return "trusted" if contact.trusted_at else "not yet trusted"


def view(contact: Contact) -> ContactView:
    return ContactView(
        contact.key_id,
        contact.display_name,
        contact.agency,
        contact.role,
        contact_fingerprint(contact),
        status_of(contact),
        contact.member_id,
        contact.added_at,
        contact.trusted_at,
        contact.revoked_at,
    )


def export_own_card(pairs: KeyPairs, *, display_name: str, agency: str, role: str) -> bytes:
    """This member's signed identity card (names are cut to the card's limits)."""
    return export_card(member_keys(pairs), display_name=display_name[:120], agency=agency[:200], role=role[:120])


def read_card(data: bytes) -> IdentityCard:
    try:
        return parse_card(data)
    except InvalidCardError as exc:
        raise InvalidInput(f"The identity card was refused: {exc}") from None


def card_fingerprint(card: IdentityCard) -> str:
    return fingerprint(card.public.x25519, card.public.ed25519)


def import_card(uow: UnitOfWork, card: IdentityCard, *, trust: bool, own_key_id: str) -> ContactView:
    """Add (or refresh) a contact from a verified card; trusted only if asked."""
    if card.key_id == own_key_id:
        raise InvalidInput("This identity card is your own; it cannot be added as a contact.")
    session = uow.session
    contact = session.get(Contact, card.key_id)
    if contact is None:
        contact = Contact(
            key_id=card.key_id,
            display_name=card.display_name,
            agency=card.agency,
            role=card.role,
            x25519_public=card.public.x25519,
            ed25519_public=card.public.ed25519,
            added_at=utc_timestamp(),
        )
        session.add(contact)
        action = "Imported the identity card of"
    else:
        contact.display_name, contact.agency, contact.role = card.display_name, card.agency, card.role
        action = "Refreshed the identity card of"
    if trust and contact.revoked_at:
        raise InvalidInput(f"{contact.display_name} was revoked and cannot be trusted again with the same keys.")
    if trust and not contact.trusted_at:
        contact.trusted_at = utc_timestamp()
    session.flush()
    uow.audit.append(
        "contact",
        "contact",
        card.key_id,
        f"{action} {card.display_name}",
        {"fingerprint": card_fingerprint(card), "trusted": bool(contact.trusted_at)},
    )
    return view(contact)


def sender_contact(
    session: Session, *, name: str, x25519_public: bytes, ed25519_public: bytes, confirmed_fingerprint: str
) -> tuple[Contact, bool]:
    """The contact of a bundle's sender whose fingerprint the user typed or confirmed, added (not yet trusted)
    when there is none; and whether it was added. A fingerprint that is not the keys' is refused.

    Shared by trusting the sender for good and a dry run's trust for one read transaction."""
    if _digits(confirmed_fingerprint) != _digits(fingerprint(x25519_public, ed25519_public)):
        raise InvalidInput("The fingerprint does not match the sender's keys; the sender was not trusted.")
    key_id = key_id_for(x25519_public, ed25519_public)
    contact = session.get(Contact, key_id)
    if contact is not None:
        return contact, False
    contact = Contact(
        key_id=key_id,
        display_name=name,
        agency="",
        role="",
        x25519_public=x25519_public,
        ed25519_public=ed25519_public,
        added_at=utc_timestamp(),
    )
    session.add(contact)
    return contact, True


def add_unknown_sender(
    uow: UnitOfWork, *, name: str, x25519_public: bytes, ed25519_public: bytes, confirmed_fingerprint: str
) -> ContactView:
    """Trust the sender of a bundle after the user typed or confirmed its fingerprint."""
    contact, _added = sender_contact(
        uow.session,
        name=name,
        x25519_public=x25519_public,
        ed25519_public=ed25519_public,
        confirmed_fingerprint=confirmed_fingerprint,
    )
    if contact.revoked_at:
        raise InvalidInput(f"{contact.display_name} was revoked and cannot be trusted again with the same keys.")
    contact.trusted_at = contact.trusted_at or utc_timestamp()
    uow.session.flush()
    uow.audit.append(
        "contact",
        "contact",
        contact.key_id,
        f"Trusted {name} after comparing the fingerprint",
        {"fingerprint": contact_fingerprint(contact)},
    )
    return view(contact)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def list_contacts(session: Session) -> list[ContactView]:
    contacts = session.scalars(select(Contact).order_by(Contact.display_name, Contact.key_id))
    return [view(c) for c in contacts]


def find_contact(session: Session, ref: str) -> Contact:
    """A contact by display name (case-insensitive), key id (prefix) or fingerprint."""
    wanted = ref.strip()
    contacts = list(session.scalars(select(Contact)))
    by_name = [c for c in contacts if c.display_name.casefold() == wanted.casefold()]
    matches = by_name or [
        c
        for c in contacts
        if (len(wanted) >= 6 and c.key_id.startswith(wanted.lower()))
        or (
            _digits(wanted)
            and len(_digits(wanted)) >= 10
            and _digits(contact_fingerprint(c)).startswith(_digits(wanted))
        )
    ]
    return only_match(
        matches,
        none=f"No contact called {ref!r}; list them with `workbench contact list`.",
        many=f"contacts match {ref!r}; give a key id or fingerprint instead.",
    )


def trust_contact(uow: UnitOfWork, ref: str) -> ContactView:
    contact = find_contact(uow.session, ref)
    if contact.revoked_at:
        raise InvalidInput(f"{contact.display_name} was revoked and cannot be trusted again with the same keys.")
    if not contact.trusted_at:
        contact.trusted_at = utc_timestamp()
        _audit_contact(uow, contact, "Trusted")
    return view(contact)


def revoke_contact(uow: UnitOfWork, ref: str) -> ContactView:
    contact = find_contact(uow.session, ref)
    if not contact.revoked_at:
        contact.revoked_at = utc_timestamp()
        _audit_contact(uow, contact, "Revoked")
    return view(contact)


def _audit_contact(uow: UnitOfWork, contact: Contact, done: str) -> None:
    """ "Trusted Bob" / "Revoked Bob" in the audit log, with the fingerprint that was trusted or revoked."""
    uow.audit.append(
        "contact",
        "contact",
        contact.key_id,
        f"{done} {contact.display_name}",
        {"fingerprint": contact_fingerprint(contact)},
    )


def public_keys(contact: Contact) -> PublicKeys:
    return PublicKeys(contact.x25519_public, contact.ed25519_public)


def sender_lookup(session: Session):
    """The trust store as bundle_format.open_bundle wants it: trusted or revoked contacts only."""

    def lookup(key_id: str) -> SenderInfo | None:
        contact = session.get(Contact, key_id)
        if contact is None or (not contact.trusted_at and not contact.revoked_at):
            return None
        return SenderInfo(contact.display_name, public_keys(contact), revoked=bool(contact.revoked_at))

    return lookup

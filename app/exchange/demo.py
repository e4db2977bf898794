"""Demo contacts: fictional colleagues whose identity cards the coordinator has checked."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select

from app.exchange.contacts import export_own_card, import_card, read_card
from app.exchange.keys import key_id_for
from app.records import UnitOfWork
from app.security.keypairs import KeyPairs
from db.models.core import MemberIdentity

DEMO_CONTACTS = [
    ("Dr Helen Marsh", "Independent Chair", "Northbridge Safeguarding Children Partnership", True),
    ("Dr Morgan Hale", "Independent lead reviewer", "Independent", True),
    ("Sgt Chris Doyle", "Subgroup member", "Northbridge Police Public Protection Unit", False),
]


def populate(uow: UnitOfWork, rng: random.Random, context: dict[str, Any]) -> None:
    me = uow.session.scalars(select(MemberIdentity)).one()
    own_key_id = key_id_for(me.x25519_public, me.ed25519_public)
    for name, role, agency, trusted in DEMO_CONTACTS:
        card = read_card(export_own_card(KeyPairs.generate(), display_name=name, agency=agency, role=role))
        import_card(uow, card, trust=trusted, own_key_id=own_key_id)

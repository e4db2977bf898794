"""Exchange members for tests: real encrypted workspaces that trust each other and send bundles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from app.exchange import contacts as contacts_service
from app.exchange import service
from app.exchange.bundle_format import Manifest, seal
from app.store.workspace import Workspace
from db.base import exchangeable_models
from db.models.actions import Action
from db.models.core import Agency, AuditEntry
from db.models.exchange import BundleLog
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE


def make_member(root: Path, name: str) -> Workspace:
    return Workspace.create(
        root / name, PASSPHRASE, display_name=name, role="Member", agency="Agency", kdf_params=FAST_KDF
    )


def own_card(ws: Workspace) -> bytes:
    return contacts_service.export_own_card(
        ws.key_pairs, display_name=ws.member.display_name, agency=ws.member.agency, role=ws.member.role
    )


def introduce(*members: Workspace) -> None:
    """Every member trusts every other (as after comparing fingerprints)."""
    for ws in members:
        own = contacts_service.member_keys(ws.key_pairs).key_id
        with ws.unit_of_work() as uow:
            for other in members:
                if other is not ws:
                    contacts_service.import_card(
                        uow, contacts_service.read_card(own_card(other)), trust=True, own_key_id=own
                    )


@contextmanager
def introduced(root: Path, *names: str) -> Iterator[tuple[Workspace, ...]]:
    """Members of these names who trust each other, locked again when the block ends."""
    members = tuple(make_member(root, name) for name in names)
    try:
        introduce(*members)
        yield members
    finally:
        for ws in members:
            ws.lock()


def trusting_pair(root: Path, *agencies: tuple[str, str]) -> tuple[Workspace, Workspace]:
    """Ann and Bob, who trust each other and both hold these agencies (name, short name) from Ann's first
    bundle: where most exchange tests start."""
    a, b = make_member(root, "Ann"), make_member(root, "Bob")
    introduce(a, b)
    with a.unit_of_work() as uow:
        for name, short in agencies:
            uow.create(Agency, name=name, short_name=short)
    service.import_bundle(b, send(a, [b], root / "start.bundle"))
    return a, b


def trusting_pair_for_a_test(root: Path, *agencies: tuple[str, str]) -> Iterator[tuple[Workspace, Workspace, Path]]:
    """A fixture's body (``yield from``): `trusting_pair` and its folder for one test, both locked after it."""
    a, b = trusting_pair(root, *agencies)
    yield a, b, root
    a.lock()
    b.lock()


def send(sender: Workspace, to: list[Workspace], path: Path, scope: service.Scope | None = None) -> bytes:
    service.export_bundle(sender, [w.member.display_name for w in to], scope or service.Scope(), path)
    return path.read_bytes()


def swap(
    a: Workspace, b: Workspace, folder: Path, name: str, scope: service.Scope | None = None
) -> tuple[service.BundleImportReport, service.BundleImportReport]:
    """The concurrent case: each sends the other a bundle (`scope`, by default what changed since the last
    one), then each imports the other's. The two import reports, `a`'s first."""
    scope = scope or service.Scope("since_last")
    from_a = send(a, [b], folder / f"{name}-a.bundle", scope)
    from_b = send(b, [a], folder / f"{name}-b.bundle", scope)
    return service.import_bundle(a, from_b), service.import_bundle(b, from_a)


def snapshot(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every exchangeable record with content, stamps and tombstone: what must converge."""
    out: dict[str, dict[str, Any]] = {}
    with ws.reading() as session:
        for model in exchangeable_models():
            table = model.__table__
            for row in session.execute(select(table)):
                data = dict(row._mapping)
                out[f"{table.name}/{data.pop('uuid')}"] = data
    return out


def agency(ws: Workspace, short: str) -> SimpleNamespace:
    with ws.reading() as session:
        record = session.scalars(select(Agency).where(Agency.short_name == short)).one()
        return SimpleNamespace(**record.content(), field_stamps=dict(record.field_stamps), is_deleted=record.is_deleted)


def edit(ws: Workspace, short: str, **changes: Any) -> None:
    with ws.unit_of_work() as uow:
        record = uow.session.scalars(select(Agency).where(Agency.short_name == short)).one()
        uow.update(record, **changes)


def delete(ws: Workspace, short: str) -> None:
    with ws.unit_of_work() as uow:
        uow.delete(uow.session.scalars(select(Agency).where(Agency.short_name == short)).one())


def state(ws: Workspace) -> tuple[Any, ...]:
    with ws.reading() as session:
        logs = session.scalar(select(func.count()).select_from(BundleLog))
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
    return snapshot(ws), logs, audit


def raw_bundle(
    sender: Workspace,
    to: Workspace,
    payload: bytes,
    *,
    counts: dict[str, int] | None = None,
    schema: tuple[int, int] = (1, 0),
) -> bytes:
    """Sign and encrypt any change-set bytes, as a sender with a modified app could."""
    if counts is None:
        counts = {name: len(body["records"]) for name, body in json.loads(payload)["tables"].items()}
    manifest = Manifest(
        schema_version=schema,
        record_counts=counts,
        clock_frontier=json.dumps({"member": sender.member.member_id, "seen": {}}),
    )
    recipient = contacts_service.PublicKeys(to.member.x25519_public, to.member.ed25519_public)
    return seal(
        payload,
        manifest,
        contacts_service.member_keys(sender.key_pairs),
        [recipient],
        sender_name=sender.member.display_name,
    )


def police_action(ws: Workspace, **fields: Any) -> None:
    """Action ACT-0061 of the Northbridge Police, written in `ws` as its first member makes it
    (the action the merge-group tests edit from several members); `fields` add to it."""
    with ws.unit_of_work() as uow:
        owner = uow.create(Agency, name="Northbridge Police", short_name="Police")
        uow.create(
            Action,
            reference="ACT-0061",
            title="Audit strategy meetings",
            owner_agency_uuid=owner.uuid,
            due_date=date(2027, 3, 31),
            created_on=date(2026, 12, 1),
            **fields,
        )


def two_police_actions(ws: Workspace) -> None:
    """ACT-0061 (`police_action`) and ACT-0062, due in 2014: the pair a bulk due-date change moves
    together in the purge tests."""
    police_action(ws)
    with ws.unit_of_work() as uow:
        first = uow.session.scalars(select(Action)).one()
        uow.create(
            Action,
            reference="ACT-0062",
            title="Refresh training",
            owner_agency_uuid=first.owner_agency_uuid,
            due_date=date(2014, 3, 31),
            created_on=date(2013, 12, 1),
        )

"""Bundle export and import for a workspace: the services the CLI and GUI call.

Export gathers records (everything, one review with everything linked to it,
or what changed since the last bundle to the same recipients), encodes them
(app.exchange.changeset), seals them (app.exchange.bundle_format) and writes
the file atomically. Import opens the bundle in memory, validates every
record, previews the merge and applies it in one transaction
(app.exchange.merge). Every refusal is a `BundleRefused` with one message and
leaves the workspace untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import utc_timestamp
from app.errors import InvalidInput, WeakPassphrase, only_match
from app.exchange import changeset as cs
from app.exchange import contacts as contacts_service
from app.exchange.bundle_format import (
    DEFAULT_MAX_BUNDLE_SIZE,
    DEFAULT_MAX_PAYLOAD,
    Manifest,
    OpenedBundle,
    is_passphrase_bundle,
    open_bundle,
    open_with_passphrase,
    seal,
    seal_with_passphrase,
)
from app.exchange.errors import BundleError, UnknownSenderError
from app.exchange.merge import (
    DELETED_FIELD,
    GROUP_PREFIX,
    RULE_PREFIX,
    MergePlan,
    apply_plan,
    check_drift,
    check_kinds_and_references,
    chunks,
    plan_merge,
    seen_frontier,
)
from app.exchange.purge_notices import apply_notices, check_notices
from app.records import ChangeSet, UnitOfWork, knowledge, naming
from app.security.keypairs import fingerprint
from app.security.passphrase import assess as assess_passphrase
from app.store.user_files import check_user_target, write_user_file
from app.store.workspace import Workspace
from app.text import count_of
from db.base import Exchangeable
from db.models.exchange import (
    BundleLog,
    ConflictEntry,
    Contact,
    ReceivedChange,
    SentFrontier,
)
from db.schema import SCHEMA_MAJOR

SCHEMA_MINOR = 0
#: progress(done, total, text): what a long step reports (the GUI shows it in a progress dialog)
Progress = Callable[[int, int, str], None]
#: checkpoint(): raises to cancel; called only where stopping leaves nothing half done
Checkpoint = Callable[[], None]

IMPORT_STEPS = (
    "Decrypting and verifying the signature",
    "Validating every record",
    "Planning the merge",
    "Applying in one transaction",
)

PASSPHRASE_WARNING = (
    "Passphrase only: weaker than member keys, since anyone who learns or guesses the "
    "passphrase can read the bundle. Send the passphrase by another route."
)

#: the history's scope of a received bundle whose sender did not say what it held (an older version)
NO_SCOPE = "not stated by the sender"

SCOPE_ALL = "all"
SCOPE_REVIEW = "review"
SCOPE_SINCE_LAST = "since_last"


class BundleRefused(InvalidInput):
    """A bundle was refused; nothing was written. `error` is the container's refusal."""

    def __init__(self, error: BundleError) -> None:
        super().__init__(str(error))
        self.error = error


class UnknownSender(BundleRefused):
    """Signed by someone not yet trusted: the GUI offers to compare the fingerprint."""

    def __init__(self, error: UnknownSenderError) -> None:
        self.sender_name = error.claimed_name
        self.fingerprint = fingerprint(error.x25519_public, error.ed25519_public)
        self.x25519_public = error.x25519_public
        self.ed25519_public = error.ed25519_public
        super().__init__(error)
        self.message = (
            f"This bundle is signed by {error.claimed_name!r}, who is not among your trusted "
            f"contacts. Their fingerprint is {self.fingerprint}: compare it with them by phone or "
            "in person, then run `workbench bundle import PATH FILE --trust-sender` (or import "
            "their identity card with `workbench contact import PATH CARD --trust`, or trust them "
            "in the Exchange area). Nothing was imported."
        )
        self.args = (self.message,)


def _refused(error: BundleError) -> BundleRefused:
    if isinstance(error, UnknownSenderError):
        return UnknownSender(error)
    return BundleRefused(error)


# --- export ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    kind: str = SCOPE_ALL
    review: str | None = None

    def describe(self) -> str:
        if self.kind == SCOPE_REVIEW:
            return f"review {self.review}"
        return {"all": "everything", "since_last": "changes since the last bundle"}[self.kind]


@dataclass
class ExportPreview:
    recipients: list[str]
    scope: str
    counts: dict[str, int]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ExportResult:
    path: Path
    bundle_id: str
    recipients: list[str]
    counts: dict[str, int]
    scope: str
    passphrase_protected: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _recipients(session: Session, names: list[str]) -> list[Contact]:
    if not names:
        raise InvalidInput("Choose at least one recipient.")
    found: dict[str, Contact] = {}
    for name in names:
        contact = contacts_service.find_contact(session, name)
        if contact.revoked_at:
            raise InvalidInput(f"{contact.display_name} was revoked; bundles cannot be sent to them.")
        if not contact.trusted_at:
            raise InvalidInput(
                f"{contact.display_name} is not trusted yet: compare their fingerprint, then "
                "trust them (`workbench contact import PATH CARD --trust`)."
            )
        found[contact.key_id] = contact
    return list(found.values())


def trusted_recipients(session: Session, names: list[str]) -> list[Contact]:
    """The trusted, unrevoked contacts of these display names (for other areas sealing to members)."""
    return _recipients(session, names)


def _recipients_key(contacts: list[Contact]) -> str:
    return ",".join(sorted(c.key_id for c in contacts))


def _find_review(session: Session, codecs: dict[str, cs.TableCodec], ref: str) -> tuple[str, str]:
    codec = codecs.get("review")
    if codec is None:
        raise InvalidInput("This workspace has no reviews to export.")
    table = codec.model.__table__
    conditions = [table.c.uuid == ref]
    if "reference" in table.c:
        conditions.append(func.lower(table.c.reference) == ref.strip().lower())
    rows = session.execute(select(table.c.uuid).where(or_(*conditions), table.c.deleted_stamp.is_(None))).all()
    if not rows and len(ref) >= 6:
        rows = session.execute(
            select(table.c.uuid).where(table.c.uuid.startswith(ref.lower()), table.c.deleted_stamp.is_(None))
        ).all()
    row = only_match(
        rows,
        none=f"No review {ref!r}: give its reference (e.g. LCSPR-2026-01) or its id.",
        many=f"reviews match {ref!r}; give its id instead.",
    )
    return "review", row[0]


def _review_closure(session: Session, codecs: dict[str, cs.TableCodec], ref: str) -> dict[str, set[str]]:
    """The review, every record linked to it (downwards), then what those refer to (upwards).

    Generic: follows foreign keys to a record's uuid and columns named *_uuid.
    """
    from app.exchange.merge import _reference_columns  # one definition of "a link"

    root_table, root = _find_review(session, codecs, ref)
    included: dict[str, set[str]] = {name: set() for name in codecs}
    included[root_table].add(root)
    links = {name: _reference_columns(codec) for name, codec in codecs.items()}
    for _ in range(10):  # downwards to a fixed point
        grew = False
        every = set().union(*included.values())
        for name, codec in codecs.items():
            table = codec.model.__table__
            for column, target in links[name]:
                targets = sorted(every if target is None else included.get(target, set()))
                if not targets:
                    continue
                for chunk in chunks(targets, 900):
                    found = set(session.execute(select(table.c.uuid).where(table.c[column].in_(chunk))).scalars())
                    if not found <= included[name]:
                        included[name] |= found
                        grew = True
        if not grew:
            break
    for _ in range(10):  # upwards: what the included records refer to
        grew = False
        for name, codec in codecs.items():
            table = codec.model.__table__
            for column, target in links[name]:
                if target is None or target not in included or not included[name]:
                    continue
                for chunk in chunks(sorted(included[name]), 900):
                    found = {
                        v
                        for v in session.execute(select(table.c[column]).where(table.c.uuid.in_(chunk))).scalars()
                        if v
                    }
                    if not found <= included[target]:
                        included[target] |= found
                        grew = True
        if not grew:
            break
    return included


def _gather(
    session: Session, codecs: dict[str, cs.TableCodec], scope: Scope, recipients_key: str, progress: Progress | None
) -> tuple[dict[str, list[list[Any]]], str]:
    note = ""
    selected: dict[str, list[list[Any]]] = {}
    review_ids: dict[str, set[str]] | None = None
    since: str | None = None
    if scope.kind == SCOPE_REVIEW:
        if not scope.review:
            raise InvalidInput("Say which review to send (--review REF).")
        review_ids = _review_closure(session, codecs, scope.review)
    elif scope.kind == SCOPE_SINCE_LAST:
        last = session.get(SentFrontier, recipients_key)
        if last is None:
            note = "No earlier bundle went to exactly these recipients, so everything is included."
        else:
            since = last.clock_stamp
    elif scope.kind != SCOPE_ALL:
        raise InvalidInput(f"Unknown scope {scope.kind!r}.")
    names = list(codecs)
    known = knowledge.load_all(session)
    withheld = _withheld(session, recipients_key)
    for index, name in enumerate(names):
        codec = codecs[name]
        table = codec.model.__table__
        if progress:
            progress(index, len(names), f"Collecting {name}")
        if review_ids is not None:
            rows: list[Any] = []
            for chunk in chunks(sorted(review_ids[name]), 900):
                rows.extend(session.execute(select(table).where(table.c.uuid.in_(chunk))))
        elif since is not None:
            received = select(ReceivedChange.uuid).where(
                ReceivedChange.table_name == name, ReceivedChange.import_stamp > since
            )
            rows = list(
                session.execute(select(table).where(or_(table.c.updated_stamp > since, table.c.uuid.in_(received))))
            )
        else:
            rows = list(session.execute(select(table)))
        if withheld.get(name):
            rows = [row for row in rows if row._mapping["uuid"] not in withheld[name]]
        if rows:
            selected[name] = cs.encode_rows(codec, rows, known)
    return selected, note


def _withheld(session: Session, recipients_key: str) -> dict[str, set[str]]:
    """What areas keep out of a bundle for these recipients (restricted meeting papers...)."""
    from app.contributions import BUNDLE_WITHHOLDING

    keys = [k for k in recipients_key.split(",") if k]
    names = [c.display_name for c in session.scalars(select(Contact).where(Contact.key_id.in_(keys)))] if keys else []
    found: dict[str, set[str]] = {}
    for contribution in BUNDLE_WITHHOLDING.all():
        for table, uuids in contribution.withheld(session, names).items():
            found.setdefault(table, set()).update(uuids)
    return found


def _chosen_recipients(session: Session, recipients: list[str], passphrase_only: bool) -> list[Contact]:
    """Passphrase bundles need no recipients; named ones are only listed (no `--since-last` bookkeeping)."""
    if passphrase_only and not recipients:
        return []
    return _recipients(session, recipients)


def preview_export(
    workspace: Workspace, recipients: list[str], scope: Scope, *, passphrase_only: bool = False
) -> ExportPreview:
    with workspace.reading() as session:
        contacts = _chosen_recipients(session, recipients, passphrase_only)
        codecs = cs.table_codecs()
        selected, note = _gather(session, codecs, scope, _recipients_key(contacts), None)
        names = [c.display_name for c in contacts] or ["whoever has the passphrase"]
        if passphrase_only:
            note = (note + " " if note else "") + PASSPHRASE_WARNING
        return ExportPreview(names, scope.describe(), {name: len(rows) for name, rows in selected.items()}, note)


def clock_frontier(session: Session, uow: UnitOfWork, scope: str = "") -> str:
    """What this member has seen, for a bundle's manifest (for other areas sealing records), with what
    the bundle holds in words (`scope`), so the receiver's history can say it too."""
    return _frontier_text(session, uow, scope)


#: the longest scope text a bundle carries and a history line keeps
MAX_SCOPE_CHARS = 200


def _frontier_text(session: Session, uow: UnitOfWork, scope: str = "") -> str:
    seen = seen_frontier(session)
    seen[uow.member_id] = max(seen.get(uow.member_id, ""), str(uow.clock.last))
    value: dict[str, Any] = {"member": uow.member_id, "seen": seen}
    if scope:  # receivers before this key ignore it (the frontier is opaque to the container)
        value["scope"] = scope[:MAX_SCOPE_CHARS]
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def log_sent(session: Session, manifest: Manifest, peers: str, scope: str, counts: dict[str, int]) -> None:
    """The history line of a bundle this member sealed (a bundle of records, or another area's sealed copy)."""
    session.add(
        BundleLog(
            bundle_id=manifest.bundle_id,
            direction="sent",
            peer_names=peers,
            created=manifest.created,
            applied_at=utc_timestamp(),
            scope=scope[:MAX_SCOPE_CHARS],
            counts=counts,
            frontier=manifest.clock_frontier,
        )
    )


def export_bundle(
    workspace: Workspace,
    recipients: list[str],
    scope: Scope,
    out: Path,
    *,
    passphrase: str | None = None,
    progress: Progress | None = None,
    checkpoint: Checkpoint | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Seal the chosen records to the recipients (and to us) and write them to `out` (`write_user_file`).

    With `passphrase`, the bundle is sealed to the passphrase only (weaker;
    at least 12 characters, as for a workspace). Cancelling (`checkpoint`
    raising) is safe at any point before the file is written.
    """
    out = Path(out)
    check_user_target(out, overwrite=overwrite)  # before the work; again at the write
    if passphrase is not None:
        strength = assess_passphrase(passphrase)
        if not strength.acceptable:
            raise WeakPassphrase(f"The bundle passphrase is too short: {strength.hint}")
    with workspace.unit_of_work() as uow:
        session = uow.session
        contacts = _chosen_recipients(session, recipients, passphrase is not None)
        key = _recipients_key(contacts)
        codecs = cs.table_codecs()
        steps = len(codecs) + 2

        def gathering(done: int, _total: int, text: str) -> None:
            if checkpoint:
                checkpoint()
            if progress:
                progress(done, steps, text)

        selected, _note = _gather(session, codecs, scope, key, gathering)
        if progress:
            progress(len(codecs), steps, "Encoding the records")
        payload = cs.serialise(selected, codecs)
        if checkpoint:
            checkpoint()
        counts = {name: len(rows) for name, rows in selected.items()}
        manifest = Manifest(
            schema_version=(SCHEMA_MAJOR, SCHEMA_MINOR),
            record_counts=counts,
            clock_frontier=_frontier_text(session, uow, scope.describe()),
        )
        keys = contacts_service.member_keys(workspace.key_pairs)
        name = workspace.member.display_name[:120]
        if progress:
            progress(
                len(codecs) + 1,
                steps,
                "Signing and encrypting" + (" to the passphrase" if passphrase is not None else " to the recipients"),
            )
        if checkpoint:
            checkpoint()
        try:
            if passphrase is not None:
                data = seal_with_passphrase(payload, manifest, keys, passphrase, sender_name=name)
            else:
                data = seal(
                    payload, manifest, keys, [contacts_service.public_keys(c) for c in contacts], sender_name=name
                )
        except BundleError as exc:
            raise InvalidInput(str(exc)) from None
        peers = ", ".join(c.display_name for c in contacts) or "(passphrase)"
        log_sent(session, manifest, peers, scope.describe(), counts)
        # Only a bundle that carried everything "since last" would select moves the marker: a
        # one-review bundle leaves out whatever else changed, which the next --since-last must still send.
        if contacts and passphrase is None and scope.kind in (SCOPE_ALL, SCOPE_SINCE_LAST):
            existing = session.get(SentFrontier, key)
            stamp = str(uow.clock.last)
            if existing is None:
                session.add(
                    SentFrontier(
                        recipients=key, clock_stamp=stamp, bundle_id=manifest.bundle_id, sent_at=utc_timestamp()
                    )
                )
            else:
                existing.clock_stamp, existing.bundle_id, existing.sent_at = stamp, manifest.bundle_id, utc_timestamp()
        uow.audit.append(
            "export",
            "bundle",
            manifest.bundle_id,
            f"Bundle of {count_of(sum(counts.values()), 'record')} sent to {peers}",
            {"scope": scope.describe(), "counts": counts, "file": out.name},
        )
        write_user_file(out, data, overwrite=overwrite)  # inside the unit: a refused file logs no bundle
        if progress:
            progress(steps, steps, "Saved")
    return ExportResult(
        out, manifest.bundle_id, [c.display_name for c in contacts], counts, scope.describe(), passphrase is not None
    )


# --- import ----------------------------------------------------------------------


@dataclass
class BundleImportReport:
    bundle_id: str
    sender: str
    sender_fingerprint: str
    created: str
    passphrase_protected: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    already_applied: bool = False
    applied: bool = False
    dry_run: bool = False
    #: what the import changed, for views to refresh (empty for dry runs)
    changes: ChangeSet = field(default_factory=ChangeSet)
    #: this member's audit entries emptied because the bundle's purge notices name their records
    audit_emptied: int = 0
    #: for a bundle this member made: whom it was sent to (it holds nothing new here)
    sent_to: str | None = None
    #: each conflict as users know it: "Action ACT-0061: Due date"
    conflicts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What changed first (zero counts left out), then where the bundle came from."""
        origin = [
            f"Bundle {self.bundle_id} from {self.sender}, created {self.created}",
            f"Sender fingerprint: {self.sender_fingerprint}",
        ]
        if self.passphrase_protected:
            origin.append("Protected by a passphrase only (weaker than member keys).")
        if self.sent_to is not None:
            return [f"This is a bundle you sent (to {self.sent_to}); nothing to import.", *origin]
        if self.already_applied:
            return ["This bundle was already imported; nothing changed.", *origin]
        t = self.totals
        summary = counts_text(t) or "nothing new"
        out = [f"Dry run, nothing written. Would import: {summary}." if self.dry_run else f"Imported: {summary}."]
        if self.conflicts:
            out.append(f"{'Would be in' if self.dry_run else 'In'} conflict ({len(self.conflicts)}):")
            out += [f"  {name}" for name in self.conflicts]
        if t.get("conflicts") and not self.dry_run:
            out.append("Review the conflicts: the replaced values are kept in the conflict log.")
        for table, counts in self.counts.items():  # by kind of record; nothing for zeros
            text_ = counts_text(counts)
            if text_:
                out.append(f"  {table_title(table)}: {text_}")
        if self.audit_emptied:
            out.append(
                f"Emptied {count_of(self.audit_emptied, 'audit entry', 'audit entries')} about records "
                "purged under a retention rule by another member (as their purge emptied theirs)."
            )
        return [*out, *origin]

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle_id": self.bundle_id,
            "sender": self.sender,
            "fingerprint": self.sender_fingerprint,
            "created": self.created,
            "passphrase_protected": self.passphrase_protected,
            "already_applied": self.already_applied,
            "sent_to": self.sent_to,
            "applied": self.applied,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "totals": self.totals,
            "audit_emptied": self.audit_emptied,
            "conflicts_named": self.conflicts,
        }


@dataclass
class _Opened:
    bundle: OpenedBundle
    sender_member: str | None
    sender_seen: dict[str, str]
    #: what the sender said the bundle holds ("everything"), "" from senders that did not say
    sender_scope: str = ""
    _change_set: cs.BundleChangeSet | None = None

    @property
    def change_set(self) -> cs.BundleChangeSet:
        """Decoded on first use, so re-importing a known bundle skips the work."""
        if self._change_set is None:
            try:
                change_set = cs.parse(self.bundle.change_set)
                expected = {k: v for k, v in self.bundle.manifest.record_counts.items() if v}
                if change_set.counts() != expected:
                    raise cs.refuse("manifest", "the record counts do not match the records")
            except BundleError as exc:
                raise _refused(exc) from None
            self._change_set = change_set
        return self._change_set


def _scope_of(text: str) -> str:
    """The scope a sender wrote beside its frontier (already parsed once by `_parse_frontier`)."""
    scope = json.loads(text).get("scope", "") if text else ""
    return scope[:MAX_SCOPE_CHARS] if isinstance(scope, str) else ""


def _parse_frontier(text: str) -> tuple[str | None, dict[str, str]]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        raise cs.refuse("manifest", "the clock frontier is not JSON") from None
    if not isinstance(value, dict):
        raise cs.refuse("manifest", "the clock frontier is not an object")
    member = value.get("member")
    seen = value.get("seen", {})
    if member is not None and not (isinstance(member, str) and cs.MEMBER_RE.match(member)):
        raise cs.refuse("manifest", "the clock frontier names no member")
    if not isinstance(seen, dict) or not all(
        isinstance(k, str) and cs.MEMBER_RE.match(k) and cs.valid_stamp(v) and v.endswith(k) for k, v in seen.items()
    ):
        raise cs.refuse("manifest", "the clock frontier is malformed")
    return member, seen


def _open(
    workspace: Workspace, session: Session, data: bytes, passphrase: str | None, max_payload: int, max_bundle_size: int
) -> _Opened:
    keys = contacts_service.member_keys(workspace.key_pairs)
    lookup = contacts_service.sender_lookup(session)
    try:
        if passphrase is not None:
            bundle = open_with_passphrase(
                data,
                passphrase,
                lookup,
                current_schema_major=SCHEMA_MAJOR,
                my_keys=keys,
                max_payload=max_payload,
                max_bundle_size=max_bundle_size,
            )
        else:
            bundle = open_bundle(
                data,
                keys,
                lookup,
                current_schema_major=SCHEMA_MAJOR,
                max_payload=max_payload,
                max_bundle_size=max_bundle_size,
            )
        member, seen = _parse_frontier(bundle.manifest.clock_frontier)
    except BundleError as exc:
        raise _refused(exc) from None
    return _Opened(bundle, member, seen, _scope_of(bundle.manifest.clock_frontier))


def _member_namer(session: Session, workspace: Workspace) -> Callable[[str], str]:
    names = {c.member_id: c.display_name for c in session.scalars(select(Contact).where(Contact.member_id.isnot(None)))}
    names[workspace.member.member_id] = f"{workspace.member.display_name} (you)"
    return lambda member: names.get(member, f"member {member[:8]}")


def _plan(workspace: Workspace, session: Session, opened: _Opened, my_clock: str | None) -> MergePlan:
    codecs = cs.table_codecs()
    try:
        check_kinds_and_references(session, opened.change_set, codecs)
        check_notices(opened.change_set)
        from app.exchange.merge import received_frontier

        check_drift(received_frontier(opened.change_set), _member_namer(session, workspace))
    except BundleError as exc:
        raise _refused(exc) from None
    my_seen = seen_frontier(session)
    if my_clock:
        my_seen[workspace.member.member_id] = my_clock
    return plan_merge(
        session,
        opened.change_set,
        codecs,
        me=workspace.member.member_id,
        my_seen=my_seen,
        sender_seen=opened.sender_seen,
    )


def _already(session: Session, opened: _Opened, *, dry_run: bool) -> BundleImportReport | None:
    """The report of a bundle this workspace already holds: imported before, or one it sent itself."""
    logged = session.scalars(select(BundleLog).where(BundleLog.bundle_id == opened.bundle.manifest.bundle_id)).first()
    if logged is None:
        return None
    report = _report(opened, None, already=True, dry_run=dry_run)
    if logged.direction == "sent":
        report.sent_to = logged.peer_names
    return report


def _report(
    opened: _Opened, plan: MergePlan | None, *, already: bool, dry_run: bool, session: Session | None = None
) -> BundleImportReport:
    manifest = opened.bundle.manifest
    sender = opened.bundle.sender
    report = BundleImportReport(
        manifest.bundle_id,
        sender.display_name,
        fingerprint(sender.public.x25519, sender.public.ed25519),
        manifest.created,
        manifest.passphrase_protected,
        already_applied=already,
        dry_run=dry_run,
    )
    if plan is not None:
        report.counts = plan.counts()
        report.totals = plan.totals()
        if session is not None:
            codecs = cs.table_codecs()
            report.conflicts = [conflict_name(session, codecs, c.table, c.uuid, c.field) for c in plan.conflicts]
    return report


def read_bundle_file(path: Path, max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE) -> bytes:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"No bundle file at {path}.")
    if path.stat().st_size > max_bundle_size:
        raise InvalidInput(f"{path.name} is too large to be a bundle ({path.stat().st_size} bytes).")
    return path.read_bytes()


def _step(progress: Progress | None, checkpoint: Checkpoint | None, index: int, total: int) -> None:
    """Report import step `index`; cancelling is allowed here (nothing applied yet)."""
    if checkpoint:
        checkpoint()
    if progress:
        progress(index, total, IMPORT_STEPS[index] + "…")


def _open_checked(
    workspace: Workspace,
    session: Session,
    data: bytes,
    passphrase: str | None,
    max_payload: int,
    max_bundle_size: int,
    *,
    dry_run: bool,
    step: Callable[[int], None],
) -> _Opened | BundleImportReport:
    """The first import steps, the same for a dry run and an import: the bundle opened (decrypted, signature
    verified) and its records decoded and validated; or, for a bundle this workspace already holds, its report."""
    step(0)
    opened = _open(workspace, session, data, passphrase, max_payload, max_bundle_size)
    already = _already(session, opened, dry_run=dry_run)
    if already is not None:
        return already
    step(1)
    _ = opened.change_set  # decode and validate now, so progress tells the truth
    step(2)
    return opened


def import_bundle(
    workspace: Workspace,
    data: bytes,
    *,
    dry_run: bool = False,
    passphrase: str | None = None,
    max_payload: int = DEFAULT_MAX_PAYLOAD,
    max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE,
    progress: Progress | None = None,
    checkpoint: Checkpoint | None = None,
    trust_sender: UnknownSender | None = None,
    confirmed_fingerprint: str = "",
) -> BundleImportReport:
    """Open, validate, preview and (unless dry_run) apply a bundle in one transaction.

    Progress goes through IMPORT_STEPS (a dry run stops before applying).
    `checkpoint` may raise to cancel; it is called only before applying starts.
    `trust_sender` (with the fingerprint the user confirmed) trusts an unknown
    sender inside the same transaction: if the bundle is then refused, or this is
    a dry run, the sender is not trusted either.
    """
    total = len(IMPORT_STEPS) - 1 if dry_run else len(IMPORT_STEPS)

    def step(index: int) -> None:
        _step(progress, checkpoint, index, total)

    if dry_run:
        with workspace.reading() as session:  # rolled back at the end, provisional trust included
            if trust_sender is not None:
                _provisionally_trust(session, trust_sender, confirmed_fingerprint)
            opened = _open_checked(
                workspace, session, data, passphrase, max_payload, max_bundle_size, dry_run=True, step=step
            )
            if isinstance(opened, BundleImportReport):
                return opened
            plan = _plan(workspace, session, opened, None)
            if progress:
                progress(total, total, "Checked")
            return _report(opened, plan, already=False, dry_run=True, session=session)
    with workspace.unit_of_work() as uow:
        session = uow.session
        if trust_sender is not None:
            _trust(uow, trust_sender, confirmed_fingerprint)
        opened = _open_checked(
            workspace, session, data, passphrase, max_payload, max_bundle_size, dry_run=False, step=step
        )
        if isinstance(opened, BundleImportReport):
            return opened
        manifest = opened.bundle.manifest
        plan = _plan(workspace, session, opened, str(uow.clock.last))
        step(3)  # the last chance to cancel
        try:
            apply_plan(uow, plan, cs.table_codecs(), bundle_id=manifest.bundle_id)
            session.flush()
        except IntegrityError as exc:
            raise BundleRefused(cs.refuse("the records", f"they break a rule of this workspace ({exc.orig})")) from None
        sender_key = opened.bundle.sender.key_id
        contact = session.get(Contact, sender_key)
        if contact is not None and opened.sender_member and contact.member_id != opened.sender_member:
            contact.member_id = opened.sender_member
        session.add(
            BundleLog(
                bundle_id=manifest.bundle_id,
                direction="received",
                peer_names=opened.bundle.sender.display_name,
                created=manifest.created,
                applied_at=utc_timestamp("microseconds"),  # to the microsecond: conflicts resolved since are shown
                scope=opened.sender_scope or NO_SCOPE,
                counts=plan.totals(),
                frontier=manifest.clock_frontier,
            )
        )
        report = _report(opened, plan, already=False, dry_run=False, session=session)
        report.applied = True
        report.changes = uow.changes
        uow.audit.append(
            "import", "bundle", manifest.bundle_id, f"Bundle from {report.sender} imported", {"totals": report.totals}
        )
        report.audit_emptied = apply_notices(
            uow,
            opened.change_set,
            bundle_id=manifest.bundle_id,
            sender_name=report.sender,
            sender_member=opened.sender_member,
            name_of=_member_namer(session, workspace),
        )
    if progress:
        progress(total, total, "Imported")
    return report


def _provisionally_trust(session: Session, refused: UnknownSender, confirmed_fingerprint: str) -> None:
    """For a dry run: the contact exists only inside the read transaction, which is rolled back."""
    contact, added = contacts_service.sender_contact(
        session,
        name=refused.sender_name,
        x25519_public=refused.x25519_public,
        ed25519_public=refused.ed25519_public,
        confirmed_fingerprint=confirmed_fingerprint,
    )
    if added:
        contact.trusted_at = utc_timestamp()
        session.flush()


def needs_passphrase(data: bytes) -> bool:
    """Whether the bundle is sealed to a passphrase (ask for it before importing)."""
    try:
        return is_passphrase_bundle(data)
    except BundleError as exc:
        raise _refused(exc) from None


def sender_of(workspace: Workspace, data: bytes, *, passphrase: str | None = None) -> UnknownSender | None:
    """The refusal an untrusted sender causes (with name and fingerprint), or None if the sender is known."""
    try:
        import_bundle(workspace, data, dry_run=True, passphrase=passphrase)
    except UnknownSender as refusal:
        return refusal
    return None


def trust_unknown_sender(workspace: Workspace, refused: UnknownSender, confirmed_fingerprint: str) -> None:
    with workspace.unit_of_work() as uow:
        _trust(uow, refused, confirmed_fingerprint)


def _trust(uow: UnitOfWork, refused: UnknownSender, confirmed_fingerprint: str) -> None:
    """Add the refused bundle's sender to the trusted members, under the fingerprint the user confirmed."""
    contacts_service.add_unknown_sender(
        uow,
        name=refused.sender_name,
        x25519_public=refused.x25519_public,
        ed25519_public=refused.ed25519_public,
        confirmed_fingerprint=confirmed_fingerprint,
    )


COUNT_ORDER = ("changed", "new", "deleted", "conflicts")


def counts_text(counts: dict[str, int]) -> str:
    """ "changed 3, new 1" : what changed first, zero counts left out (unchanged records are not news)."""
    return ", ".join(f"{key} {counts[key]}" for key in COUNT_ORDER if counts.get(key))


def table_title(table: str) -> str:
    return naming.kind_plural(table)


# --- history and conflicts -----------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    bundle_id: str
    direction: str
    peers: str
    created: str
    applied_at: str
    scope: str
    #: records sent, or records a received bundle added, changed or deleted here
    total: int
    #: records a received bundle held that were already as here (not in `total`)
    unchanged: int = 0
    conflicts: int = 0

    @property
    def records_text(self) -> str:
        """ "12 records (3 unchanged not counted), 1 conflict": what the count leaves out is said."""
        text = count_of(self.total, "record")
        if self.unchanged:
            text += f" ({self.unchanged:,} unchanged not counted)"
        if self.conflicts:
            text += f", {count_of(self.conflicts, 'conflict')}"
        return text


def history(session: Session) -> list[HistoryEntry]:
    rows = session.scalars(select(BundleLog).order_by(BundleLog.id.desc()))
    out = []
    for row in rows:
        counts = {k: v for k, v in (row.counts or {}).items() if isinstance(v, int)}
        if row.direction == "received":  # the merge's tally: records by what happened to them, and conflicts
            total = sum(counts.get(k, 0) for k in ("new", "changed", "deleted"))
            unchanged, conflicts = counts.get("unchanged", 0), counts.get("conflicts", 0)
        else:  # records sent, by kind
            total, unchanged, conflicts = sum(counts.values()), 0, 0
        out.append(
            HistoryEntry(
                row.bundle_id,
                row.direction,
                row.peer_names,
                row.created,
                row.applied_at,
                row.scope,
                total,
                unchanged,
                conflicts,
            )
        )
    return out


def unresolved_conflict_count(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(ConflictEntry).where(ConflictEntry.resolved_at.is_(None))) or 0
    )


def unsettled_rule_breaches(session: Session, table: str) -> dict[str, str]:
    """Records of ``table`` a merge left breaking a domain rule, not yet settled: uuid to the breach.

    The merged state is written (members converge), so the area's own views must say so
    where the record is shown, or the breach would pass silently there."""
    query = select(ConflictEntry.record_uuid, ConflictEntry.winning_value).where(
        ConflictEntry.table_name == table,
        ConflictEntry.field.startswith(RULE_PREFIX),
        ConflictEntry.resolved_at.is_(None),
    )
    breaches: dict[str, list[str]] = {}
    for uuid, reason in session.execute(query.order_by(ConflictEntry.id)):
        breaches.setdefault(uuid, []).append(str(reason))
    return {uuid: "; ".join(reasons) for uuid, reasons in breaches.items()}


@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    record_uuid: str
    field: str
    losing_value: Any
    losing_by: str
    current_value: Any
    winning_by: str
    recorded_at: str
    resolution: str | None
    restorable: bool
    #: as users know them: "Action ACT-0061", "Evidence of impact"
    record_title: str = ""
    field_title: str = ""
    #: the values as the forms show them (a group's as "Label: value" lines)
    losing_text: str = ""
    current_text: str = ""
    #: once restored: the value the restore replaced (bundle encoding), kept in the log
    replaced_by_restore: Any = None
    #: once resolved: what was decided, "Resolved: kept Police" / "Resolved: restored ... (replacing ...)"
    resolved_text: str = ""

    @property
    def is_rule(self) -> bool:
        return self.field.startswith(RULE_PREFIX)


def _group_fields(codec: Any, field_name: str) -> tuple[str, ...]:
    lead = field_name[len(GROUP_PREFIX) :]
    return next((unit for unit in codec.model.merge_units() if unit[0] == lead), ())


def _values_text(table: str, fields: tuple[str, ...], value: Any, other: Any = None) -> str:
    """A value as the forms show it; of a group, only the fields where the two sides differ."""
    if not isinstance(value, dict):
        return naming.value_text(table, fields[0] if fields else "", value)
    fields = naming.shown_fields(table, fields)
    differ = [f for f in fields if f in value and (not isinstance(other, dict) or other.get(f) != value.get(f))]
    return "\n".join(
        f"{naming.field_title(table, f)}: {naming.value_text(table, f, value.get(f))}"
        for f in differ or [f for f in fields if f in value]
    )


DELETED_TITLE = "Deleted while someone edited it"
RULE_TITLE = "Needs a decision: the merged record breaks a rule"


def _field_title(codec: cs.TableCodec | None, table: str, field_name: str) -> str:
    """A conflict's field as users know it: a field's or a group's label, or what kind of conflict it is."""
    if field_name == DELETED_FIELD:
        return DELETED_TITLE
    if field_name.startswith(RULE_PREFIX):
        return RULE_TITLE
    fields = _group_fields(codec, field_name) if codec is not None and field_name.startswith(GROUP_PREFIX) else ()
    return naming.field_title(table, field_name, fields if len(fields) > 1 else ())


def conflict_name(session: Session, codecs: dict[str, cs.TableCodec], table: str, uuid: str, field_name: str) -> str:
    """ "Action ACT-0061: Due date": the record and field in conflict, for summaries."""
    codec = codecs.get(table)
    record = session.get(codec.model, uuid) if codec is not None else None
    return f"{naming.record_title(session, table, record)}: {_field_title(codec, table, field_name)}"


def list_conflicts(workspace: Workspace, session: Session, *, include_resolved: bool = False) -> list[ConflictView]:
    codecs = cs.table_codecs()
    name_of = _member_namer(session, workspace)
    query = select(ConflictEntry).order_by(ConflictEntry.id.desc())
    if not include_resolved:  # the undecided, and what was decided since the last import
        last_import = session.scalar(select(func.max(BundleLog.applied_at)).where(BundleLog.direction == "received"))
        query = query.where(or_(ConflictEntry.resolved_at.is_(None), ConflictEntry.resolved_at > (last_import or "")))
    out = []
    for entry in session.scalars(query):
        codec = codecs.get(entry.table_name)
        current: Any = None
        live = False
        record = None
        fields: tuple[str, ...] = (entry.field,)
        if codec is not None:
            record = session.get(codec.model, entry.record_uuid)
            if entry.field.startswith(GROUP_PREFIX):
                fields = _group_fields(codec, entry.field)
            if record is not None:
                live = not record.is_deleted
                if entry.field in codec.by_name:
                    current = codec.encode_value(entry.field, getattr(record, entry.field))
                elif entry.field.startswith(GROUP_PREFIX):
                    current = {f: codec.encode_value(f, getattr(record, f)) for f in fields}
                elif entry.field == DELETED_FIELD:
                    current = "(deleted)" if record.is_deleted else "(restored)"
                elif entry.field.startswith(RULE_PREFIX):
                    current = entry.winning_value
        table = entry.table_name
        field_title = _field_title(codec, table, entry.field)
        if entry.field == DELETED_FIELD:
            shown_fields = tuple(entry.losing_value or ())  # field names only: the edits went with the deletion
            losing_text = "Edited, then discarded with the deletion: " + ", ".join(
                naming.field_title(table, name) for name in shown_fields
            )
            current_text = "Deleted" if record is not None and record.is_deleted else "Restored"
        elif entry.field.startswith(RULE_PREFIX):
            losing_text = "(a merge of two members' edits)"
            current_text = f"The merged record is {entry.winning_value}. Open it and correct it."
        else:
            losing_text = _values_text(table, fields, entry.losing_value, current)
            current_text = _values_text(table, fields, current, entry.losing_value)
        resolved_text = ""
        in_use_stamp = entry.winning_stamp
        if entry.resolution == "restored":
            if record is not None:  # the value in use is the restore's: its writer, not the displaced value's
                in_use_stamp = _stamp_of(record, dict.fromkeys(fields))
            resolved_text = f"Resolved: restored {_one_line(losing_text)}"
            if entry.winning_value is not None:
                replaced = _values_text(table, fields, entry.winning_value, entry.losing_value)
                resolved_text += f" (replacing {_one_line(replaced)}, kept here)"
        elif entry.resolution == "kept":
            kept = current_text
            if _plain_value(entry) and entry.winning_value is not None:
                kept = _values_text(table, fields, entry.winning_value, entry.losing_value)
            resolved_text = f"Resolved: kept {_one_line(kept)}"
        out.append(
            ConflictView(
                entry.id,
                table,
                entry.record_uuid,
                entry.field,
                entry.losing_value,
                name_of(entry.losing_stamp[-32:]),
                current,
                name_of(in_use_stamp[-32:]),
                entry.recorded_at,
                entry.resolution,
                live
                and entry.field != DELETED_FIELD
                and not entry.field.startswith(RULE_PREFIX)
                and entry.resolved_at is None,
                naming.record_title(session, table, record),
                field_title,
                losing_text,
                current_text,
                entry.winning_value if entry.resolution == "restored" else None,
                resolved_text,
            )
        )
    return out


def _plain_value(entry: ConflictEntry) -> bool:
    """A conflict over a value (not a deletion's discarded edits nor a broken rule)."""
    return entry.field != DELETED_FIELD and not entry.field.startswith(RULE_PREFIX)


def _stamp_of(record: Any, fields: dict[str, Any]) -> str:
    """The newest stamp among these fields of the record: who wrote the value in use."""
    stamps = record.field_stamps or {}
    return max((stamps.get(name) or "" for name in fields), default="") or record.updated_stamp or ""


def _one_line(text: str) -> str:
    """A group's "Label: value" lines on one line, for a status cell."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _value_held(session: Session, entry: ConflictEntry) -> tuple[cs.TableCodec, Exchangeable, bool] | None:
    """The codec and record of a conflict over a value (a field, or a group when `True`), or None for
    a record or field no longer here, a deletion's discarded edits and a broken rule."""
    codec = cs.table_codecs().get(entry.table_name)
    record = session.get(codec.model, entry.record_uuid) if codec else None
    grouped = entry.field.startswith(GROUP_PREFIX) and isinstance(entry.losing_value, dict)
    if codec is None or record is None or not (grouped or entry.field in codec.by_name):
        return None
    return codec, record, grouped


def _encoded_now(codec: cs.TableCodec, record: Exchangeable, entry: ConflictEntry, grouped: bool) -> Any:
    """The value in use of the conflict's field (or group), in the log's bundle encoding."""
    if grouped:
        names = [name for name in entry.losing_value if name in codec.by_name]
        return {name: codec.encode_value(name, getattr(record, name)) for name in names}
    return codec.encode_value(entry.field, getattr(record, entry.field))


def resolve_conflict(uow: UnitOfWork, conflict_id: int, *, restore: bool) -> None:
    """Restore the losing value (a new edit that wins everywhere) or keep the winner."""
    entry = uow.session.get(ConflictEntry, conflict_id)
    if entry is None:
        raise InvalidInput(f"No conflict number {conflict_id}.")
    if entry.resolved_at:
        raise InvalidInput(f"Conflict {conflict_id} was already resolved ({entry.resolution}).")
    held = _value_held(uow.session, entry)
    if restore:
        if held is None:
            raise InvalidInput("This conflict cannot be restored: the record or field no longer exists.")
        codec, record, grouped = held
        if record.is_deleted:
            raise InvalidInput(
                "The record was deleted, and its content went with it; a deleted record cannot be edited."
            )
        losing = entry.losing_value if grouped else {entry.field: entry.losing_value}
        try:  # a group comes back whole: never one member's status with another's evidence
            values = {name: codec.decode_value(name, value) for name, value in losing.items() if name in codec.by_name}
        except ValueError as exc:
            raise InvalidInput(f"The replaced value cannot be restored: {exc}.") from None
        # the value the restore replaces stays in the log in the winner's place, so nothing is lost either way
        entry.winning_value = _encoded_now(codec, record, entry, grouped)
        entry.winning_stamp = _stamp_of(record, values)
        uow.update(record, summary=f"Restored a value from conflict {conflict_id}", **values)
    elif held is not None and not held[1].is_deleted:  # the value kept, as it is when the decision is made
        codec, record, grouped = held
        entry.winning_value = _encoded_now(codec, record, entry, grouped)
    entry.resolved_at = utc_timestamp("microseconds")  # shown as decided until the next import
    entry.resolution = "restored" if restore else "kept"
    uow.audit.append(
        "conflict", entry.table_name, entry.record_uuid, f"Conflict {conflict_id} on {entry.field}: {entry.resolution}"
    )

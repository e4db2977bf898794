"""A member's encrypted workspace: create, unlock, work, lock.

`Workspace` is the one object the rest of the app holds while the store is
unlocked. It owns the engine and the derived keys; `lock()` disposes the one and
drops the other. Services get a `UnitOfWork` from `unit_of_work()`, which is one
transaction.
"""

from __future__ import annotations

import dataclasses
import functools
import hmac
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from sqlalchemy import Engine, func, literal, select, text, union_all
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import timing
from app.clock import utc_timestamp
from app.errors import (
    IntegrityFailure,
    InvalidInput,
    NewerSchema,
    WorkbenchError,
    WorkspaceLocked,
    WrongPassphrase,
    storage_failure,
)
from app.records import UnitOfWork
from app.records.audit import AuditLog, ChainReport, verify_chain
from app.records.hlc import HybridLogicalClock, Stamp
from app.records.limits import check_text
from app.security.kdf import DerivedKeys, KdfParams, calibrate, derive_keys
from app.security.keypairs import KeyPairs, fingerprint
from app.security.passphrase import require_acceptable
from app.store import backups
from app.store.atomic import create_private_file, make_private_dir
from app.store.forgetting import forget_cached_text
from app.store.leftovers import CleanupReport, clear_leftovers
from app.store.names import SIDECAR_NAME
from app.store.process_lock import ProcessLock
from app.store.storage import (
    Sidecar,
    database_size,
    export_encrypted_copy,
    new_database_name,
    remove_database,
    verify_encrypted_copy,
)
from db import schema
from db.base import exchangeable_models
from db.engine import (
    KeyRejected,
    create_encrypted_engine,
    forget_key,
    integrity_problems,
    raw_connection,
    verify_key,
)
from db.models.core import AuditEntry, MemberIdentity, WorkspaceMeta

CLOCK_KEY = "clock"
#: what the unlock dialog says during the one-time steps of opening a workspace made by an older version
UPGRADE_BACKUP_STEP = "Backing up before upgrading the workspace to this version…"
UPGRADE_STEP = "Upgrading the workspace to this version (once; a large workspace takes a minute or two)…"


@contextmanager
def _named_storage_failures(doing: str) -> Iterator[None]:
    """A disk's refusal (full, read-only, failing) inside the block becomes a StorageFailure saying so."""
    try:
        yield
    except (OperationalError, DatabaseError) as exc:
        failure = storage_failure(exc, doing=doing)
        if failure is None:
            raise
        raise failure from exc


@functools.lru_cache(maxsize=4)
def counts_sql(tables: tuple[str, ...]) -> str:
    """One statement counting the live records of every table (~40 separate counts cost a noticeable
    part of unlock), compiled once per process: SQLAlchemy's own cache of compiled statements belongs
    to an engine, and each unlock makes a new one, so every unlock paid about 13 ms to compile it.
    Table names only; the warm-up compiles it before the first unlock."""
    by_name = {model.__tablename__: model for model in exchangeable_models()}
    every = union_all(
        *(
            select(literal(name), func.count()).select_from(by_name[name]).where(by_name[name].deleted_stamp.is_(None))
            for name in tables
        )
    )
    return str(every.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


class WorkspaceInfo(TypedDict):
    """What `Workspace.info` reports: the CLI prints it (or its JSON), the overview page shows it."""

    workspace: str
    member: str
    role: str
    agency: str
    member_id: str
    fingerprint: str
    schema_version: int
    schema_revisions: list[str]
    records: dict[str, int]  # table -> live rows
    audit_entries: int
    backups: int  # restore points
    backup_bytes: int
    database_bytes: int
    backup_policy: str
    kdf: dict[str, object]


@dataclass(frozen=True)
class Member:
    member_id: str
    display_name: str
    role: str
    agency: str
    x25519_public: bytes
    ed25519_public: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.x25519_public, self.ed25519_public)


@dataclass(frozen=True)
class CheckReport:
    integrity_problems: list[str]
    audit: ChainReport
    #: leftovers of interrupted operations cleared by this check (repaired, so not a failure)
    leftovers: CleanupReport = CleanupReport()

    @property
    def ok(self) -> bool:
        return not self.integrity_problems and self.audit.ok


class Workspace:
    def __init__(
        self,
        path: Path,
        sidecar: Sidecar,
        keys: DerivedKeys,
        engine: Engine,
        lock: ProcessLock,
        member: Member,
        key_pairs: KeyPairs,
    ) -> None:
        self.path = path
        self._sidecar = sidecar
        self._keys: DerivedKeys | None = keys
        self._engine: Engine | None = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.member = member
        self._key_pairs: KeyPairs | None = key_pairs
        self.last_backup: Path | None = None
        #: what the unlock cleared of interrupted passphrase changes, restores and backups (one line to show)
        self.leftovers = CleanupReport()
        #: One connection serves the workspace (SQLCipher keys it once); the GUI
        #: thread and workers take turns on it. Without this a read on one thread
        #: would end another thread's open transaction half way.
        self._db_lock = threading.RLock()

    # -- opening and closing -------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        display_name: str,
        role: str,
        agency: str,
        kdf_params: KdfParams | None = None,
    ) -> Workspace:
        """Create a new workspace folder and return it unlocked."""
        require_acceptable(passphrase)
        for label, field, value in (
            ("name", "display_name", display_name),
            ("role", "role", role),
            ("agency", "agency", agency),
        ):
            if not value.strip():
                raise InvalidInput(f"The member's {label} must not be empty.")
            # What is stored must be sendable: a name the identity card or a bundle would refuse is refused here.
            check_text("member_identity", field, value.strip(), label=f"The member's {label}")
        path = Path(path).absolute()
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise InvalidInput(f"{path} already exists and is not an empty folder.")
        params = kdf_params or calibrate()
        created_folder = not path.exists()
        make_private_dir(path)
        lock = ProcessLock.acquire(path)
        try:
            keys = derive_keys(passphrase, params)
            workspace_id = str(uuid.uuid4())
            sidecar = Sidecar(new_database_name(), params, utc_timestamp(), workspace=workspace_id)
            db_file = path / sidecar.database
            create_private_file(db_file)
            engine = create_encrypted_engine(db_file, keys.sqlcipher_key_literal())
            schema.upgrade(engine)
            member_id = uuid.uuid4().hex
            pairs = KeyPairs.generate()
            x_wrapped, ed_wrapped = pairs.wrap(keys.wrapping, member_id)
            with Session(engine) as session, session.begin():
                session.add(
                    MemberIdentity(
                        member_id=member_id,
                        display_name=display_name.strip(),
                        role=role.strip(),
                        agency=agency.strip(),
                        created_at=utc_timestamp(),
                        x25519_public=pairs.x25519_public,
                        ed25519_public=pairs.ed25519_public,
                        x25519_private_wrapped=x_wrapped,
                        ed25519_private_wrapped=ed_wrapped,
                    )
                )
                session.add(WorkspaceMeta(key="workspace_id", value=workspace_id))
                session.add(WorkspaceMeta(key="created", value=utc_timestamp()))
                AuditLog(session, member_id, display_name).append(
                    "create", "workspace", member_id, f"Workspace created by {display_name}"
                )
            sidecar.write(path / SIDECAR_NAME)
            member = Member(
                member_id, display_name.strip(), role.strip(), agency.strip(), pairs.x25519_public, pairs.ed25519_public
            )
            return cls(path, sidecar, keys, engine, lock, member, pairs)
        except BaseException:
            lock.release()
            if created_folder:  # a half-made workspace is of no use to anyone
                shutil.rmtree(path, ignore_errors=True)
            raise

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str,
        *,
        backup_on_unlock: bool = True,
        keep_backups: int = backups.DEFAULT_KEEP,
        on_step: Callable[[str], None] | None = None,
    ) -> Workspace:
        """Unlock: check the key, both integrity checks, back up, migrate, load the member.

        `on_step` hears of the slow one-time steps of an upgrade (a progress label): migrating a
        large workspace takes a minute, which under "Deriving the key" looked like a hang.
        """
        say = on_step or (lambda _text: None)
        path = Path(path).absolute()
        sidecar = Sidecar.read(path / SIDECAR_NAME)
        lock = ProcessLock.acquire(path)
        engine: Engine | None = None
        try:
            keys = derive_keys(passphrase, sidecar.kdf)
            timing.mark("key_derived")
            literal = keys.sqlcipher_key_literal()
            db_file = path / sidecar.database
            if not db_file.is_file():
                raise IntegrityFailure(f"The database file {db_file.name} of workspace {path} is missing.")
            try:
                verify_key(db_file, literal)
            except KeyRejected:
                raise WrongPassphrase(f"The passphrase does not open the workspace {path}.") from None
            pending, state, workspace_id = cls._preflight(db_file, literal)
            timing.mark("integrity_checked")
            # only now: a wrong passphrase or a refused workspace changes no byte
            leftovers = clear_leftovers(path, sidecar)
            if workspace_id and sidecar.workspace != workspace_id:  # made before sidecars named the workspace
                sidecar = dataclasses.replace(sidecar, workspace=workspace_id)
                sidecar.write(path / SIDECAR_NAME)
            backup = None
            if pending or (backup_on_unlock and not backups.has_point_at(path, state)):
                note = "before upgrading the schema" if pending else "on unlock"
                if pending:
                    say(UPGRADE_BACKUP_STEP)
                backup = backups.make_backup(path, sidecar, literal, note=note, keep=keep_backups, state=state)
            engine = create_encrypted_engine(db_file, literal)
            if pending:
                say(UPGRADE_STEP)
                schema.upgrade(engine)
            with Session(engine) as session:
                row = session.scalars(select(MemberIdentity)).one()
                pairs = KeyPairs.unwrap(
                    keys.wrapping, row.member_id, row.x25519_private_wrapped, row.ed25519_private_wrapped
                )
                member = Member(
                    row.member_id, row.display_name, row.role, row.agency, row.x25519_public, row.ed25519_public
                )
            workspace = cls(path, sidecar, keys, engine, lock, member, pairs)
            workspace.last_backup = backup
            workspace.leftovers = leftovers
            timing.mark("workspace_opened")
            return workspace
        except BaseException:
            if engine is not None:
                engine.dispose()
            lock.release()
            raise

    @staticmethod
    def _preflight(db_file: Path, literal: str) -> tuple[bool, str, str]:
        """Refuse damaged or newer workspaces; say whether migrations are pending, where the audit log is
        and the workspace's id."""
        connection = raw_connection(db_file, literal)
        try:
            problems = integrity_problems(connection)
            if problems:
                raise IntegrityFailure(
                    f"The workspace database {db_file.name} failed its integrity check: {problems[0]}. "
                    "Restore a backup (workbench restore) or contact support."
                )
            user_version = connection.execute("PRAGMA user_version").fetchone()[0]
            has_versions = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()[0]
            revisions = (
                {r[0] for r in connection.execute("SELECT version_num FROM alembic_version")} if has_versions else set()
            )
            state = backups.audit_state(connection)
            found = connection.execute("SELECT value FROM workspace_meta WHERE key = 'workspace_id'").fetchone()
        finally:
            connection.close()
        reason = schema.newer_schema_reason(int(user_version), revisions)
        if reason:
            raise NewerSchema(reason)
        return schema.needs_upgrade(revisions), state, str(found[0]) if found else ""

    def lock(self) -> None:
        """Dispose the engine, drop the keys, release the workspace to other processes.

        Waits for a unit of work running on another thread to finish first.
        """
        with self._db_lock:
            if self._engine is not None:
                forget_key(self._engine)  # a session or object still holding the engine cannot reconnect
                self._engine.dispose()
            self._engine = None
            self._sessions = sessionmaker(expire_on_commit=False)  # bound to nothing
            self._keys = None
            self._key_pairs = None
            self._lock.release()
        forget_cached_text()  # the anonymiser's caches hold names and words of the workspace

    close = lock

    @property
    def is_locked(self) -> bool:
        return self._engine is None

    def _require_engine(self) -> Engine:
        if self._engine is None:
            raise WorkspaceLocked("The workspace is locked; unlock it first.")
        return self._engine

    def _require_keys(self) -> DerivedKeys:
        if self._keys is None:
            raise WorkspaceLocked("The workspace is locked; unlock it first.")
        return self._keys

    @property
    def key_pairs(self) -> KeyPairs:
        if self._key_pairs is None:
            raise WorkspaceLocked("The workspace is locked; unlock it first.")
        return self._key_pairs

    @property
    def database_file(self) -> Path:
        return self.path / self._sidecar.database

    @property
    def kdf_params(self) -> KdfParams:
        return self._sidecar.kdf

    # -- units of work ---------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction: commit at the end, roll back everything on any error.

        A disk that refuses the write (full, read-only, failing) becomes a StorageFailure
        naming the cause; the transaction is rolled back either way.
        """
        with _named_storage_failures("write to"), self._unit_of_work() as uow:
            yield uow

    @contextmanager
    def _unit_of_work(self) -> Iterator[UnitOfWork]:
        with self._db_lock, self._sessions() as session, session.begin():
            self._require_engine()
            # Checked at commit: records may be added in any order within a unit.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            meta = session.get(WorkspaceMeta, CLOCK_KEY)
            clock = HybridLogicalClock(self.member.member_id, Stamp.parse(meta.value) if meta else None)
            uow = UnitOfWork(session, clock, AuditLog(session, self.member.member_id, self.member.display_name))
            yield uow
            if uow.changes or meta is None or meta.value != str(clock.last):
                if meta is None:
                    session.add(WorkspaceMeta(key=CLOCK_KEY, value=str(clock.last)))
                else:
                    meta.value = str(clock.last)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only view in one transaction (rolled back at the end).

        A disk that refuses even the reading transaction (read-only, failing) becomes a StorageFailure too.
        """
        with _named_storage_failures("read"), self._db_lock, self._sessions() as session:
            self._require_engine()
            try:
                yield session
            finally:
                session.rollback()

    # -- maintenance -----------------------------------------------------------

    def check(self) -> CheckReport:
        """Both integrity checks and the audit chain; leftovers of interrupted operations are cleared on the way."""
        with self._db_lock:
            engine = self._require_engine()
            leftovers = clear_leftovers(self.path, self._sidecar)
            with engine.connect() as connection:
                problems = integrity_problems(connection.connection.dbapi_connection)
            with self.reading() as session:
                chain = verify_chain(session)
        return CheckReport(problems, chain, leftovers)

    def info(self) -> WorkspaceInfo:
        with self.reading() as session:
            models = list(exchangeable_models())
            sql = counts_sql(tuple(model.__tablename__ for model in models))
            found: dict[str, int] = {str(name): int(count) for name, count in session.execute(text(sql))}
            counts = {model.__tablename__: int(found.get(model.__tablename__, 0)) for model in models}
            audit_entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
            user_version = int(session.execute(text("PRAGMA user_version")).scalar_one())
            revisions = sorted(str(r[0]) for r in session.execute(text("SELECT version_num FROM alembic_version")))
        return {
            "workspace": str(self.path),
            "member": self.member.display_name,
            "role": self.member.role,
            "agency": self.member.agency,
            "member_id": self.member.member_id,
            "fingerprint": self.member.fingerprint,
            "schema_version": user_version,
            "schema_revisions": revisions,
            "records": counts,
            "audit_entries": audit_entries,
            "backups": len(backups.list_backups(self.path)),
            "backup_bytes": backups.disk_usage(self.path),
            "database_bytes": database_size(self.database_file),
            "backup_policy": backups.DEFAULT_POLICY.describe(),
            "kdf": {
                "algorithm": "argon2id",
                "iterations": self.kdf_params.iterations,
                "memory_kib": self.kdf_params.memory_kib,
                "lanes": self.kdf_params.lanes,
            },
        }

    def backup(self, note: str = "on request", keep: int = backups.DEFAULT_KEEP, *, name: str = "") -> Path:
        """Write a restore point now (a named one, kept until deleted, when `name` is given)."""
        with self._db_lock:
            engine = self._require_engine()
            self._checkpoint(engine)
            with engine.connect() as connection:
                raw = connection.connection.dbapi_connection
                assert raw is not None  # a live connection always has its DB-API connection
                state = backups.audit_state(raw)  # type: ignore[arg-type]  # a DB-API connection, as sqlite3 gives
            kind = backups.NAMED if name.strip() else backups.AUTOMATIC
            return backups.make_backup(
                self.path,
                self._sidecar,
                self._require_keys().sqlcipher_key_literal(),
                note=name.strip() or note,
                keep=keep,
                kind=kind,
                state=state,
            )

    def replace_restore_points(self, note: str = "after a purge") -> int:
        """One new restore point, then every older one removed (named ones too); how many went.

        A purge cannot reach inside the encrypted restore points made before it: without this,
        what it removed lives on in them until they age out (three months at most)."""
        newest = self.backup(note=note)
        return backups.remove_all_but(self.path, newest)

    def restore_points(self) -> list[backups.RestorePointView]:
        """The restore points, newest first, each with what has changed since it (by table)."""
        found = backups.list_backups(self.path)
        with self.reading() as session:
            rows = session.execute(select(AuditEntry.id, AuditEntry.table_name)).all()
        views = []
        for point in found:
            if point.workspace and self._sidecar.workspace and point.workspace != self._sidecar.workspace:
                views.append(backups.RestorePointView(point, None, {}, of_another_workspace=True))
                continue
            position = point.audit_position
            if position is None:
                views.append(backups.RestorePointView(point, None, {}))
                continue
            tables: dict[str, int] = {}
            for entry_id, table in rows:
                if entry_id > position:
                    tables[table] = tables.get(table, 0) + 1
            views.append(backups.RestorePointView(point, sum(tables.values()), tables))
        return views

    @staticmethod
    def _checkpoint(engine: Engine) -> None:
        """Fold the WAL into the main file so a file-level copy sees everything.

        Run on the raw connection: a checkpoint cannot run inside the
        transaction that SQLAlchemy would begin.
        """
        with engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None  # a live connection always has its DB-API connection
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def verify_passphrase(self, passphrase: str) -> bool:
        candidate = derive_keys(passphrase, self._sidecar.kdf)
        return hmac.compare_digest(candidate.database, self._require_keys().database)

    def change_passphrase(self, current: str, new: str, *, kdf_params: KdfParams | None = None) -> None:
        """Re-key into a new file, verify it, then switch the sidecar atomically.

        Until the switch the old database and sidecar are untouched, so any
        failure leaves the workspace exactly as it was.
        """
        with self._db_lock:
            self._change_passphrase(current, new, kdf_params)

    def _change_passphrase(self, current: str, new: str, kdf_params: KdfParams | None) -> None:
        engine = self._require_engine()
        old_keys = self._require_keys()
        if not self.verify_passphrase(current):
            raise WrongPassphrase("The current passphrase is not correct.")
        require_acceptable(new)
        params = kdf_params or calibrate()
        new_keys = derive_keys(new, params)
        new_literal = new_keys.sqlcipher_key_literal()
        self._checkpoint(engine)
        new_sidecar = Sidecar(new_database_name(), params, self._sidecar.created, workspace=self._sidecar.workspace)
        new_file = self.path / new_sidecar.database
        old_file = self.database_file
        try:
            export_encrypted_copy(old_file, old_keys.sqlcipher_key_literal(), new_file, new_literal)
            self._rewrap_private_keys(new_file, new_literal, new_keys)
            verify_encrypted_copy(new_file, new_literal)
        except WorkbenchError:
            remove_database(new_file)
            raise
        except Exception as exc:
            remove_database(new_file)
            raise IntegrityFailure(f"Changing the passphrase failed and nothing was changed: {exc}") from exc
        forget_key(engine)
        engine.dispose()
        new_sidecar.write(self.path / SIDECAR_NAME)
        self._sidecar = new_sidecar
        self._keys = new_keys
        self._engine = create_encrypted_engine(new_file, new_literal)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        remove_database(old_file)
        with self.unit_of_work() as uow:
            uow.audit.append("passphrase", "workspace", self.member.member_id, "Passphrase changed")

    def _rewrap_private_keys(self, db_file: Path, literal: str, keys: DerivedKeys) -> None:
        x_wrapped, ed_wrapped = self.key_pairs.wrap(keys.wrapping, self.member.member_id)
        connection = raw_connection(db_file, literal)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "UPDATE member_identity SET x25519_private_wrapped = ?, ed25519_private_wrapped = ? "
                "WHERE member_id = ?",
                (x_wrapped, ed_wrapped, self.member.member_id),
            )
            connection.execute("COMMIT")
        finally:
            connection.close()


def restore(path: Path, backup: Path, passphrase: str, *, even_if_not_ours: bool = False) -> None:
    """Restore a backup into a workspace that no process has open (see backups.restore_backup)."""
    path = Path(path).absolute()
    Sidecar.read(path / SIDECAR_NAME)
    lock = ProcessLock.acquire(path)
    try:
        backups.restore_backup(path, Path(backup), passphrase, even_if_not_ours=even_if_not_ours)
    finally:
        lock.release()


def default_workspace_dir() -> Path:
    return Path(os.path.expanduser("~")) / "Safeguarding Workbench"

"""The encrypted SQLCipher engine.

The raw 256-bit key is sent first on every connection, before SQLAlchemy or
anything else touches the file; then the pragmas that make the store durable.
Writes run in BEGIN IMMEDIATE transactions so a unit of work never fails half
way through on a lock upgrade.
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

#: 64 MiB page cache: SQLCipher decrypts each page it reads, so a small cache
#: makes scans several times slower than plain SQLite (measured: 2.7x at 2 MB,
#: 1.3x at 64 MB).
CACHE_SIZE_KIB = 64 * 1024

_KEY_LITERAL = re.compile(r"^x'[0-9a-f]{64}'$")


class KeyRejected(Exception):
    """The key does not open the file (wrong passphrase, or not a workspace)."""


def _send_key(connection: Any, key_literal: str) -> None:
    if not _KEY_LITERAL.match(key_literal):
        raise ValueError("malformed key literal")
    cursor = connection.cursor()
    cursor.execute("PRAGMA cipher_log_level = NONE")
    # PRAGMA key takes no bound parameter; the literal is validated hex above.
    cursor.execute(f'PRAGMA key = "{key_literal}"')
    cursor.close()


def verify_key(path: Path, key_literal: str, *, immutable: bool = False) -> None:
    """Open the file read-only and read its schema, raising KeyRejected if the key is wrong.

    Read-only so that a wrong passphrase cannot create a -wal or -journal file
    or change a single byte; `immutable` (see `read_only_connection`) not even with the right key.
    """
    connection = sqlcipher3.connect(f"file:{path}?mode=ro{'&immutable=1' if immutable else ''}", uri=True)
    try:
        _send_key(connection, key_literal)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.DatabaseError as exc:
        raise KeyRejected(str(exc)) from exc
    finally:
        connection.close()


def read_only_connection(path: Path, key_literal: str) -> Any:
    """A keyed connection that changes no byte, for looking at a database no process has open.

    `immutable=1`: no locks and no -shm or -wal files are made (a WAL-mode database closed cleanly has
    none, and plain `mode=ro` would still create them); the caller holds the workspace's process lock.
    """
    connection = sqlcipher3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    _send_key(connection, key_literal)
    return connection


def raw_connection(path: Path, key_literal: str) -> Any:
    """A plain DB-API connection for maintenance (export, checks, rekey)."""
    connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    _send_key(connection, key_literal)
    return connection


def integrity_problems(connection: Any) -> list[str]:
    """Both checks: SQLCipher's page HMACs, then SQLite's structure."""
    try:
        problems = [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
        rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    except sqlcipher3.DatabaseError as exc:  # damage bad enough that the check itself fails
        return [str(exc)]
    if rows != ["ok"]:
        problems.extend(rows)
    return problems


class KeyForgotten(Exception):
    """A locked workspace's engine was asked for a new connection."""


_SECRETS: weakref.WeakKeyDictionary[Engine, dict[str, str]] = weakref.WeakKeyDictionary()


def forget_key(engine: Engine) -> None:
    """Drop the key, so that nothing still holding this engine can open the database again."""
    _SECRETS.pop(engine, {}).clear()


def create_encrypted_engine(path: Path, key_literal: str, *, echo: bool = False) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher3,
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
        echo=echo,
        hide_parameters=True,  # error messages must not carry case data
    )

    secret = {"key": key_literal}  # the listener's only hold on the key: forget_key() empties it
    _SECRETS[engine] = secret
    del key_literal

    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        if "key" not in secret:
            raise KeyForgotten("This workspace is locked: its key was dropped.")
        _send_key(dbapi_connection, secret["key"])
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine

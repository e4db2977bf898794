"""Real encrypted workspaces for tests: their passphrase and quick KDF, a way to make their disk
refuse a write, and one to change their database behind the application's back. tests/conftest.py's
fixtures use these; a test or helper imports them from here, not from a conftest."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.security.kdf import KdfParams
from app.store.workspace import Workspace
from db.engine import raw_connection

PASSPHRASE = "correct horse battery staple"
#: one iteration of the full-memory KDF, so that hundreds of throwaway workspaces stay quick
FAST_KDF = KdfParams(salt=b"0123456789abcdef", iterations=1)


@contextmanager
def behind_the_app(workspace: Workspace) -> Iterator[Any]:
    """Lock the workspace and open its database raw (each statement committed as it runs), as someone
    holding the file and the passphrase but not the application would; closed when the block ends."""
    literal = workspace._keys.sqlcipher_key_literal()
    db_file = workspace.database_file
    workspace.lock()
    connection = raw_connection(db_file, literal)
    try:
        yield connection
    finally:
        connection.close()


def refuse_writes(workspace: Workspace, refuse: bool = True) -> None:
    """From now on the workspace's database refuses every write as a read-only file or disk does
    (SQLite's "attempt to write a readonly database"); `refuse=False` lets it write again.

    chmod cannot do it here: the tests run as root, whom a read-only mode does not stop, and the
    open connection keeps its file open for writing anyway. `query_only` holds for the connection,
    the one the workspace keeps open while unlocked. It is set on the driver's connection, outside
    a transaction: the workspace begins each one with BEGIN IMMEDIATE, which a read-only database
    refuses too (so while writes are refused, `workspace.reading()` fails as well).
    """
    connection = workspace._require_engine().raw_connection()
    try:
        connection.cursor().execute(f"PRAGMA query_only = {'ON' if refuse else 'OFF'}")
    finally:
        connection.close()  # back to the pool: the workspace's one connection stays open


def refuse_commits(workspace: Workspace, refuse: bool = True) -> None:
    """From now on the disk refuses each write as it is committed, after the unit's work has run (as a
    disk that fills during the commit does); `refuse=False` lets it write again.

    `refuse_writes` refuses at BEGIN, before any work: a form that takes a new record's uuid inside the
    work is only caught out by a refusal after it. The unit of work stores the workspace's clock last
    (app/store/workspace.py), so a temporary trigger on that row fails the commit with SQLite's own
    words for a full disk, which the workspace names as a StorageFailure. The trigger lives on the
    workspace's one open connection, as `refuse_writes`' pragma does.
    """
    connection = workspace._require_engine().raw_connection()
    try:
        cursor = connection.cursor()
        for event in ("INSERT", "UPDATE"):
            name = f"refuse_commit_{event.lower()}"
            cursor.execute(f"DROP TRIGGER IF EXISTS temp.{name}")
            if refuse:
                cursor.execute(
                    f"CREATE TEMP TRIGGER {name} BEFORE {event} ON workspace_meta "
                    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
                )
    finally:
        connection.close()

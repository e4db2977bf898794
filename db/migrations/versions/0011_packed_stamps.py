"""records: field stamps stored packed, each distinct stamp once (db.base.pack_stamps)

Revision ID: 0011_packed_stamps
Revises: 0009_people

Rewrites the stamps of every record already stored: a 100,000-entry chronology kept the
same 56-character stamp once per field (about 1.4 KB of a row's 1.7 KB), and every scan of
the table read and decrypted it. Only the stored form changes: each record's stamps read
back as exactly the same dict. Tables of other branches not created yet are empty; any row
still in the plain form is read as before (``unpack_stamps`` takes both forms).
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

from alembic import op

from db.base import pack_stamps, unpack_stamps

revision: str = "0011_packed_stamps"
down_revision: str | Sequence[str] | None = "0009_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000


def _tables(connection: Any) -> list[str]:
    names = [row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [
        name
        for name in names
        if any(column[1] == "field_stamps" for column in connection.exec_driver_sql(f'PRAGMA table_info("{name}")'))
    ]


def _rewrite(form: Callable[[dict[str, str]], Any]) -> None:
    """Every table's rows re-written with their stamps in ``form``, inside the upgrade's one transaction.

    Rewriting the stamps in place would leave each page as sparse as before (a scan reads as many
    pages): rows are taken out batch by batch in rowid order and put back, whole and unchanged but for
    their stamps, at the end of the table, where they fill fresh pages. Row ids change, nothing refers
    to them; the references to a record's uuid are checked at commit (``defer_foreign_keys``), when
    every row is back.
    """
    connection = op.get_bind()
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for table in _tables(connection):
        cursor = connection.exec_driver_sql(f'SELECT * FROM "{table}" LIMIT 0')
        names = [d[0] for d in cursor.cursor.description]
        cursor.close()
        at = names.index("field_stamps")
        quoted = ", ".join(f'"{name}"' for name in names)
        insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" for _ in names)})'
        (end,) = connection.exec_driver_sql(f'SELECT max(rowid) FROM "{table}"').one()
        last = -(2**63)
        while end is not None and last < end:
            rows = connection.exec_driver_sql(
                f'SELECT rowid, {quoted} FROM "{table}" WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?',
                (last, end, _BATCH),
            ).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            again = []
            for row in rows:
                values = list(row[1:])
                if values[at] is not None:
                    values[at] = json.dumps(form(unpack_stamps(json.loads(values[at]))))
                again.append(tuple(values))
            connection.exec_driver_sql(f'DELETE FROM "{table}" WHERE rowid >= ? AND rowid <= ?', (rows[0][0], last))
            connection.exec_driver_sql(insert, again)


def upgrade() -> None:
    _rewrite(pack_stamps)


def downgrade() -> None:
    _rewrite(lambda stamps: stamps)

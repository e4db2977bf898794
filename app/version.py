"""The application's version, and the versions of what it is built on (`workbench --version`).

`__version__` is the one place the version is written; pyproject.toml reads it
(`[tool.setuptools.dynamic]`), the About box and the packaging scripts print it.
The rest are looked up only when asked for, so importing this module stays free.
"""

from __future__ import annotations

import platform

__version__ = "0.2.0"
APP_NAME = "Safeguarding Workbench"


def sqlcipher_version() -> str:
    """SQLCipher's own version, from a throwaway in-memory connection (no key, nothing written)."""
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return str(row[0]) if row and row[0] else "unknown"


def version_report(qt: str) -> str:
    """Lines for `--version`: the app, its schema, SQLCipher, Qt (from the caller: app/ imports no Qt)
    and Python."""
    from db.schema import SCHEMA_MAJOR

    return "\n".join(
        [
            f"{APP_NAME} {__version__}",
            f"schema version {SCHEMA_MAJOR}",
            f"SQLCipher {sqlcipher_version()}",
            f"Qt {qt}",
            f"Python {platform.python_version()} ({platform.python_implementation()})",
        ]
    )

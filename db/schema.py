"""Schema versions and migrations (alembic, run in-process on unlock).

Each area of the app owns a migration branch that starts from the foundation
revision, so areas can add tables independently; the workspace is upgraded to
all heads. `PRAGMA user_version` holds the schema MAJOR version: a workspace
with a higher one, or with an alembic revision this build does not know, was
written by a newer Safeguarding Workbench and is refused rather than damaged.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

# alembic is imported inside the functions: it is needed on unlock, not to
# start the window (about 0.1 s of start-up).

SCHEMA_MAJOR = 1
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads) of this build's migration scripts.

    Read once per process: the scripts do not change while it runs, and reading them
    (alembic imports each script) took most of an unlock after the key derivation (issue 14);
    ui/warmup.py reads them in the background before the first unlock.
    """
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return frozenset(rev.revision for rev in script.walk_revisions()), frozenset(script.get_heads())


def warm_up() -> None:
    """Do start-up's one-off work ahead of the first unlock (ui/warmup.py, off the GUI thread):
    read the migration scripts and set up the ORM mappers of every model imported so far."""
    from sqlalchemy.orm import configure_mappers

    _revisions()
    configure_mappers()


def known_revisions() -> set[str]:
    return set(_revisions()[0])


def head_revisions() -> set[str]:
    return set(_revisions()[1])


def stored_revisions(connection: Any) -> set[str]:
    """The alembic revisions recorded in the workspace (empty if brand new)."""
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def newer_schema_reason(user_version: int, revisions: set[str]) -> str | None:
    """Why this build must refuse the workspace, or None if it can open it."""
    if user_version > SCHEMA_MAJOR:
        return (
            f"This workspace uses schema version {user_version}, written by a newer "
            f"Safeguarding Workbench; this version reads up to {SCHEMA_MAJOR}. "
            "Update the application to open it."
        )
    unknown = revisions - known_revisions()
    if unknown:
        return (
            "This workspace was written by a newer Safeguarding Workbench "
            f"(unknown schema revision {', '.join(sorted(unknown))}). "
            "Update the application to open it."
        )
    return None


def needs_upgrade(revisions: set[str]) -> bool:
    return revisions != head_revisions()


def upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
        connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_MAJOR}")

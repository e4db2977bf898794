"""Start-up's one-off work ahead of the first unlock, for ui/warmup.py to run off the GUI thread.

The GUI reaches the database layer only through the domain, so it asks here rather than of db.schema.
"""

from __future__ import annotations


def warm_up() -> None:
    """Read the migration scripts and set up the ORM mappers of every model imported so far."""
    from db import schema

    schema.warm_up()

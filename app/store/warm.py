"""Start-up's one-off work ahead of the first unlock, for ui/warmup.py to run off the GUI thread.

The GUI reaches the database layer only through the domain, so it asks here rather than of db.schema.
"""

from __future__ import annotations


def warm_up() -> None:
    """Read the migration scripts, set up the ORM mappers of every model imported so far, compile the
    overview's statement counting every table's records, and import every area's contributions (the
    overview names the kinds it counts through them): about 20 ms less between the key and the first page."""
    from app.contributions import discover
    from app.store.workspace import counts_sql
    from db import schema
    from db.base import exchangeable_models

    schema.warm_up()
    discover()
    counts_sql(tuple(model.__tablename__ for model in exchangeable_models()))

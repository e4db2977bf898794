"""The one place that says what time it is (UTC), so stamps, backups and records agree."""
from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_timestamp(timespec: str = "seconds") -> str:
    """ISO 8601 text of now in UTC, e.g. 2026-12-01T11:27:15+00:00."""
    return utc_now().isoformat(timespec=timespec)

"""Due dates as people type them: ISO (2026-05-22) or UK day-first (22/05/2026); see app.clock."""

from __future__ import annotations

from app.clock import parse_day, uk

__all__ = ["parse_day", "uk"]

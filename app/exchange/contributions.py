"""What the exchange area offers the others: its demo part (contacts whose cards were checked)."""

from __future__ import annotations

from app.contributions import DEMO_PARTS, demo_part

DEMO_PARTS.register(demo_part("exchange", 50))

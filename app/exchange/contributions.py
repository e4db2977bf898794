"""What the exchange area offers the others: its demo part (contacts whose cards were checked)."""

from __future__ import annotations

from app.contributions import DEMO_PARTS, DemoPart, lazy

DEMO_PARTS.register(DemoPart("exchange", 50, lazy("app.exchange.demo:populate")))

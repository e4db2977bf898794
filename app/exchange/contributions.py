"""What the exchange area offers the others: its demo part (contacts whose cards were checked), and the
name of the purge notices that travel in bundles (records users do not count: overview lists leave them out)."""

from __future__ import annotations

from app.contributions import offer
from app.records.naming import register_kinds

offer("exchange", demo_order=50)
register_kinds({"purge_notice": "Purge notice"}, not_counted=("purge_notice",))

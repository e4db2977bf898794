"""The demo's foundation: the fictional partnership's agencies, before every area's own demo part."""

from __future__ import annotations

from app.contributions import DEMO_PARTS, DemoPart, lazy

DEMO_PARTS.register(DemoPart("agencies", 10, lazy("app.demo.agencies:populate")))

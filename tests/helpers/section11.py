"""Section 11 set-up the unit tests share: a calendar-year cycle with the Police taking part."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.records import UnitOfWork
from app.section11 import cycles
from db.models.section11 import S11Cycle


def police_cycle(
    uow: UnitOfWork, year: int = 2026, *, scale_key: str = "score-0-3", **options: Any
) -> tuple[S11Cycle, str]:
    """Cycle "S11 <year>" on the classic framework with the Police (already added) alone taking part;
    the cycle and the Police's participant uuid. `options` go to add_cycle (e.g. return_due)."""
    cycle = cycles.add_cycle(
        uow,
        name=f"S11 {year}",
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        framework="classic",
        scale_key=scale_key,
        agencies=["Police"],
        **options,
    )
    return cycle, cycles.find_participant(uow.session, cycle.uuid, "Police").uuid

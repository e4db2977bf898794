"""Section 11 set-up the tests share: the Chair's workspace, a calendar-year cycle with the Police taking part."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from app.agencies import add_agency
from app.records import UnitOfWork
from app.section11 import cycles
from app.store.workspace import Workspace
from db.models.section11 import S11Cycle
from tests.conftest import FAST_KDF, PASSPHRASE


def chair_workspace(path: Path, role: str, agencies: Iterable[tuple[str, str, str]]) -> Workspace:
    """A new encrypted workspace of Dr Helen Marsh's (in `role`, independent of the agencies), holding
    these agencies (name, short name, sector) and nothing of Section 11 yet; unlocked."""
    workspace = Workspace.create(
        path, PASSPHRASE, display_name="Dr Helen Marsh", role=role, agency="Independent", kdf_params=FAST_KDF
    )
    with workspace.unit_of_work() as uow:
        for agency in agencies:
            add_agency(uow, *agency)
    return workspace


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

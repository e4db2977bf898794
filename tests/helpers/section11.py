"""Section 11 set-up the tests share: the Chair's workspace, a calendar-year cycle with the Police taking
part, and two exchange members (the Chair and an officer) holding it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from app.agencies import add_agency
from app.exchange import service
from app.records import UnitOfWork
from app.section11 import cycles, interview, letters, moderation
from app.section11.frameworks import standards_of
from app.store.workspace import Workspace
from db.models.section11 import S11Cycle
from tests.helpers.members import introduced, send
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE


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


def assessed_police_cycle(uow: UnitOfWork) -> tuple[S11Cycle, str, list[str], str]:
    """The Police added and `police_cycle`, self-assessed 3 on every standard, an interview booked for 12/05/2026
    and letter settings saved. (cycle, Police participant uuid, standard uuids, interview uuid)"""
    add_agency(uow, "Northbridge Police", "Police", "Police")
    cycle, police = police_cycle(uow)
    standards = [s.uuid for s in standards_of(uow.session, cycle.framework_uuid)]
    for uuid in standards:
        moderation.record_self_assessment(uow, police, uuid, score=3, evidence="Board report")
    booked = interview.book_interview(uow, police, on=date(2026, 5, 12), place="HQ")
    letters.save_letter_settings(
        uow,
        partnership_name="Northbridge SCP",
        letterhead="Civic Centre",
        signatory_name="Dr Helen Marsh",
        signatory_role="Chair",
    )
    return cycle, police, standards, booked.uuid


@contextmanager
def shared_cycle(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, str, list[str]]]:
    """Chair and Officer holding the same cycle: the Police self-assessed 3 on every standard, an interview
    held on 12/05/2026 and letter settings saved. (chair, officer, Police participant uuid, standard uuids),
    both locked again when the block ends."""
    with introduced(tmp_path, "Chair", "Officer") as (chair, officer):
        with chair.unit_of_work() as uow:
            _cycle, police, standards, booked = assessed_police_cycle(uow)
            interview.mark_held(uow, booked, today=date(2026, 5, 12))  # a letter is issued only after it
        service.import_bundle(officer, send(chair, [officer], tmp_path / "start.bundle"))
        yield chair, officer, police, standards

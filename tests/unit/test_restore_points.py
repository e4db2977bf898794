"""Restore points that last (issue 10.3): routine unlocks never push out yesterday's state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.store import backups
from app.store.retention import AUTOMATIC, NAMED, PRE_RESTORE, PointAge, RetentionPolicy, points_to_keep
from app.store.workspace import Workspace, restore
from db.models.core import Agency
from tests.helpers.workspaces import PASSPHRASE

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def add_agency(ws: Workspace, name: str) -> None:
    with ws.unit_of_work() as uow:
        uow.create(Agency, name=name, short_name=name[:6], sector="", colour="#aabbcc")


def age_point(path: Path, created: datetime) -> None:
    """Pretend a restore point was made at `created` (its sidecar carries the date)."""
    sidecar = path.with_suffix(".json")
    data = json.loads(sidecar.read_text())
    data["created"] = created.isoformat(timespec="seconds")
    sidecar.write_text(json.dumps(data))


def test_unlocking_without_changes_makes_no_new_point(workspace: Workspace, workspace_path: Path) -> None:
    add_agency(workspace, "Health")
    workspace.lock()
    for _ in range(4):  # four lock/unlock cycles in a minute
        Workspace.open(workspace_path, PASSPHRASE).lock()
    assert len(backups.list_backups(workspace_path)) == 1


def test_a_change_since_the_last_point_makes_a_new_one(workspace: Workspace, workspace_path: Path) -> None:
    workspace.lock()
    first = Workspace.open(workspace_path, PASSPHRASE)
    add_agency(first, "Police")
    first.lock()
    second = Workspace.open(workspace_path, PASSPHRASE)
    second.lock()
    assert first.last_backup is not None and second.last_backup is not None
    assert len(backups.list_backups(workspace_path)) == 2


def test_many_routine_points_do_not_push_out_yesterdays_state(workspace: Workspace, workspace_path: Path) -> None:
    yesterday = workspace.backup()
    age_point(yesterday, datetime.now(UTC) - timedelta(days=1))
    for number in range(12):
        add_agency(workspace, f"Agency {number}")
        workspace.backup(keep=3)
    names = {b.path.name for b in backups.list_backups(workspace_path)}
    assert yesterday.name in names
    assert len(names) == 4  # yesterday's newest and today's three newest


def test_named_points_survive_rotation_and_say_their_name(workspace: Workspace, workspace_path: Path) -> None:
    named = workspace.backup(name="Before the panel merge")
    age_point(named, datetime.now(UTC) - timedelta(days=400))
    for _ in range(3):
        workspace.backup(keep=1)
    found = {b.path.name: b for b in backups.list_backups(workspace_path)}
    assert found[named.name].kind == NAMED and found[named.name].note == "Before the panel merge"


def test_old_pre_restore_points_age_out(workspace: Workspace, workspace_path: Path) -> None:
    point = workspace.backup()
    workspace.lock()
    for _ in range(5):
        restore(workspace_path, point, PASSPHRASE)
    undo_points = [b for b in backups.list_backups(workspace_path) if b.kind == PRE_RESTORE]
    for item in undo_points:
        age_point(item.path, datetime.now(UTC) - timedelta(weeks=20))
    backups.apply_retention(workspace_path)
    assert len([b for b in backups.list_backups(workspace_path) if b.kind == PRE_RESTORE]) == 3


def test_points_say_what_changed_since(workspace: Workspace, workspace_path: Path) -> None:
    point = workspace.backup()
    add_agency(workspace, "Police")
    add_agency(workspace, "Health")
    views = {v.point.path: v for v in workspace.restore_points()}
    assert views[point].changes_since == 2
    assert views[point].tables == {"agency": 2}


def test_info_reports_the_disk_cost(workspace: Workspace, workspace_path: Path) -> None:
    workspace.backup()
    info = workspace.info()
    on_disk = sum(p.stat().st_size for p in (workspace_path / "backups").iterdir())
    assert info["backup_bytes"] == on_disk > 0
    assert info["backups"] == 1


def test_retention_keeps_one_a_day_for_a_fortnight_and_one_a_week_after() -> None:
    hourly = [PointAge(f"p{hour}", NOW - timedelta(hours=hour)) for hour in range(24 * 120)]
    kept = points_to_keep(hourly, NOW, RetentionPolicy(recent=10, daily_days=14, weekly_weeks=13))
    kept_ages = sorted(NOW - p.created for p in hourly if p.name in kept)
    days = {(NOW - age).date() for age in kept_ages if age <= timedelta(days=14)}
    assert len(days) >= 14
    assert all(age <= timedelta(weeks=13) for age in kept_ages)
    assert len(kept) <= 10 + 15 + 14


def test_pinned_kinds() -> None:
    points = [
        PointAge("named", NOW - timedelta(days=900), NAMED),
        PointAge("auto-old", NOW - timedelta(days=900), AUTOMATIC),
        PointAge("auto-new", NOW, AUTOMATIC),
    ]
    assert points_to_keep(points, NOW, RetentionPolicy(recent=1)) == {"named", "auto-new"}


def test_sidecars_name_their_workspace_and_older_ones_learn_it_on_unlock(
    workspace: Workspace, workspace_path: Path
) -> None:
    """A restore tells another workspace's backup from a pre-passphrase-change one by this id."""
    sidecar = workspace_path / "workspace.json"
    workspace_id = json.loads(sidecar.read_text())["workspace"]
    assert len(workspace_id) == 36
    point = workspace.backup(name="named point")
    assert json.loads(point.with_suffix(".json").read_text())["workspace"] == workspace_id
    workspace.lock()
    older = json.loads(sidecar.read_text())
    del older["workspace"]  # as written before sidecars named the workspace
    sidecar.write_text(json.dumps(older))
    Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False).lock()
    assert json.loads(sidecar.read_text())["workspace"] == workspace_id

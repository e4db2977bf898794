"""Foundation benchmarks: unlock time, SQLCipher against plain SQLite, cold start to the window.

Ratios are measured in one run on one machine (ours against a baseline), since
absolute times on shared machines are noisy. Run with scripts/bench.sh.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.pool import StaticPool

from app.kdf import calibrate
from app.workspace import Workspace
from db.base import Base
from db.engine import CACHE_SIZE_KIB, create_encrypted_engine
from db.models.core import Agency
from tests.bench.benchlib import best_of, machine_line, timed, write_section

ROOT = Path(__file__).resolve().parents[2]
ROWS = 100_000
LOOKUPS = 2_000
RESULTS: dict[str, str] = {}


def _plain_engine(path: Path) -> Engine:
    """Plain SQLite with the same pragmas and transaction handling as ours: the fair baseline."""
    engine = create_engine(f"sqlite:///{path}", module=sqlite3, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None
        for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL",
                       f"cache_size = -{CACHE_SIZE_KIB}"):
            dbapi.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _rows() -> list[dict[str, Any]]:
    stamp = "000001732560000000.000000." + "a" * 32
    return [{"uuid": str(uuid.uuid4()), "origin_member": "a" * 32, "field_stamps": {"name": stamp},
             "deleted_stamp": None, "updated_stamp": stamp, "name": f"Agency number {n} of the partnership",
             "short_name": f"A{n}", "sector": ("Health", "Police", "Education", "Local authority")[n % 4],
             "colour": "#aabbcc"} for n in range(ROWS)]


def _exercise(engine: Engine) -> dict[str, float]:
    Base.metadata.create_all(engine, tables=[Agency.__table__])
    rows = _rows()
    ids = [r["uuid"] for r in rows[:: ROWS // LOOKUPS]]

    def insert_all() -> None:
        with engine.begin() as conn:
            conn.execute(insert(Agency), rows)

    def scan() -> int:
        with engine.begin() as conn:
            return len(conn.execute(select(Agency).order_by(Agency.name)).all())

    def lookups() -> None:
        with engine.begin() as conn:
            for key in ids:
                conn.execute(select(Agency.name).where(Agency.uuid == key)).one()

    def aggregate() -> None:
        with engine.begin() as conn:
            conn.execute(text("SELECT sector, count(*) FROM agency GROUP BY sector")).all()

    insert_seconds, _ = timed(insert_all)
    result = {"insert": insert_seconds,
              "scan": best_of(3, scan), "lookups": best_of(3, lookups), "aggregate": best_of(3, aggregate)}
    engine.dispose()
    return result


def test_sqlcipher_against_plain_sqlite(tmp_path: Path) -> None:
    key = "x'" + os.urandom(32).hex() + "'"
    ours = _exercise(create_encrypted_engine(tmp_path / "cipher.db", key))
    plain = _exercise(_plain_engine(tmp_path / "plain.db"))
    lines = [f"| {name} | {plain[name] * 1000:,.0f} ms | {ours[name] * 1000:,.0f} ms | {ours[name] / plain[name]:.2f}x |"
             for name in ("insert", "scan", "lookups", "aggregate")]
    RESULTS["sql"] = "\n".join([
        f"{ROWS:,} agency rows on the real schema (SQLAlchemy Core, WAL, synchronous=FULL, 64 MiB cache); "
        f"scan = all rows ordered by name; lookups = {LOOKUPS:,} primary-key reads; best of 3 for reads.", "",
        "| operation | plain SQLite | SQLCipher (ours) | ratio |", "| --- | ---: | ---: | ---: |", *lines])
    print(RESULTS["sql"])
    assert ours["scan"] > 0 and plain["scan"] > 0


def test_unlock_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_KDF_ITERATIONS", raising=False)
    params = calibrate()
    workspace = Workspace.create(tmp_path / "ws", "benchmark passphrase", display_name="Bench",
                                 role="Chair", agency="Partnership", kdf_params=params)
    with workspace.unit_of_work() as uow:
        for n in range(2000):
            uow.create(Agency, audit=False, name=f"Agency {n}", short_name=f"A{n}", sector="", colour="#aabbcc")
    workspace.lock()
    from app.kdf import derive_keys
    kdf_seconds = best_of(3, lambda: derive_keys("benchmark passphrase", params))

    def unlock(backup: bool) -> None:
        Workspace.open(tmp_path / "ws", "benchmark passphrase", backup_on_unlock=backup).lock()

    without_backup = best_of(3, lambda: unlock(False))
    with_backup = best_of(3, lambda: unlock(True))
    RESULTS["unlock"] = "\n".join([
        f"Argon2id calibrated here to {params.iterations} iterations x {params.memory_kib // 1024} MiB "
        f"x {params.lanes} lanes (target about 0.6 s). Workspace with 2,000 records; best of 3.", "",
        "| step | time |", "| --- | ---: |",
        f"| key derivation alone | {kdf_seconds * 1000:,.0f} ms |",
        f"| unlock (KDF, key check, both integrity checks, member keys) | {without_backup * 1000:,.0f} ms |",
        f"| unlock with the rotating backup (default) | {with_backup * 1000:,.0f} ms |",
        f"| share of unlock spent in the KDF | {kdf_seconds / with_backup:.0%} |"])
    print(RESULTS["unlock"])


_SHOW_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from ui.main_window import MainWindow
window = MainWindow()
window.show()
app.processEvents()
"""
_BARE_QT = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
app.processEvents()
"""


def _spawn(code: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(ROOT / ".venv")}

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)

    return best_of(3, run)


def test_cold_start_to_main_window() -> None:
    interpreter = _spawn("pass")
    bare = _spawn(_BARE_QT)
    ours = _spawn(_SHOW_WINDOW)
    RESULTS["start"] = "\n".join([
        "Process start to the main window shown (offscreen), best of 3, against an empty QMainWindow "
        "in the same run.", "",
        "| program | time |", "| --- | ---: |",
        f"| Python interpreter alone | {interpreter * 1000:,.0f} ms |",
        f"| empty PySide6 window | {bare * 1000:,.0f} ms |",
        f"| Safeguarding Workbench main window | {ours * 1000:,.0f} ms ({ours / bare:.2f}x the empty window) |"])
    print(RESULTS["start"])
    write_section("workspace", "\n\n".join([
        "## Workspace foundation (`tests/bench/bench_workspace.py`)", machine_line(),
        "### SQLCipher against plain SQLite", RESULTS.get("sql", "(not run)"),
        "### Unlock", RESULTS.get("unlock", "(not run)"),
        "### Cold start", RESULTS["start"]]))

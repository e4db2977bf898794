"""Foundation benchmarks: unlock time, SQLCipher against plain SQLite, cold start to the window.

Ratios are measured in one run on one machine (ours against a baseline), since
absolute times on shared machines are noisy. Run with scripts/bench.sh.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.pool import StaticPool

from app.security.kdf import calibrate
from app.store.workspace import Workspace
from db.base import Base
from db.engine import CACHE_SIZE_KIB, create_encrypted_engine
from db.models.core import Agency
from tests.bench.benchlib import best_in_turns, machine_line, write_section

ROOT = Path(__file__).resolve().parents[2]
ROWS = 100_000
LOOKUPS = 2_000
ROUNDS = 3
OPERATIONS = ("insert", "scan", "lookups", "aggregate")
RESULTS: dict[str, str] = {}


def _plain_engine(path: Path) -> Engine:
    """Plain SQLite with the same pragmas and transaction handling as ours: the fair baseline."""
    engine = create_engine(f"sqlite:///{path}", module=sqlite3, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None
        for pragma in (
            "foreign_keys = ON",
            "journal_mode = WAL",
            "synchronous = FULL",
            f"cache_size = -{CACHE_SIZE_KIB}",
        ):
            dbapi.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _rows() -> list[dict[str, Any]]:
    stamp = "000001732560000000.000000." + "a" * 32
    return [
        {
            "uuid": str(uuid.uuid4()),
            "origin_member": "a" * 32,
            "field_stamps": {"name": stamp},
            "deleted_stamp": None,
            "updated_stamp": stamp,
            "name": f"Agency number {n} of the partnership",
            "short_name": f"A{n}",
            "sector": ("Health", "Police", "Education", "Local authority")[n % 4],
            "colour": "#aabbcc",
        }
        for n in range(ROWS)
    ]


class _Workload:
    """The same operations on one engine; a fresh table before each insert so every round does the same work."""

    def __init__(self, engine: Engine, rows: list[dict[str, Any]]) -> None:
        self.engine, self.rows = engine, rows
        self.ids = [r["uuid"] for r in rows[:: ROWS // LOOKUPS]]

    def insert(self) -> float:
        Base.metadata.drop_all(self.engine, tables=[Agency.__table__])
        Base.metadata.create_all(self.engine, tables=[Agency.__table__])
        started = time.perf_counter()
        with self.engine.begin() as conn:
            conn.execute(insert(Agency), self.rows)
        return time.perf_counter() - started

    def scan(self) -> None:
        with self.engine.begin() as conn:
            assert len(conn.execute(select(Agency).order_by(Agency.name)).all()) == ROWS

    def lookups(self) -> None:
        with self.engine.begin() as conn:
            for key in self.ids:
                conn.execute(select(Agency.name).where(Agency.uuid == key)).one()

    def aggregate(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("SELECT sector, count(*) FROM agency GROUP BY sector")).all()


def test_sqlcipher_against_plain_sqlite(tmp_path: Path) -> None:
    key = "x'" + os.urandom(32).hex() + "'"
    rows = _rows()
    ours_engine = create_encrypted_engine(tmp_path / "cipher.db", key)
    plain_engine = _plain_engine(tmp_path / "plain.db")
    try:
        workloads = (_Workload(ours_engine, rows), _Workload(plain_engine, rows))
        best = best_in_turns(
            ROUNDS,
            {
                f"{name}/{side}": getattr(workload, name)
                for name in OPERATIONS
                for side, workload in zip(("ours", "plain"), workloads, strict=False)
            },
        )
        results = {name: (best[f"{name}/ours"], best[f"{name}/plain"]) for name in OPERATIONS}
    finally:
        ours_engine.dispose()
        plain_engine.dispose()
    lines = [
        f"| {name} | {plain * 1000:,.0f} ms | {ours * 1000:,.0f} ms | {ours / plain:.2f}x |"
        for name, (ours, plain) in results.items()
    ]
    RESULTS["sql"] = "\n".join(
        [
            f"{ROWS:,} agency rows on the real schema (SQLAlchemy Core, WAL, synchronous=FULL, 64 MiB cache); "
            f"scan = all rows ordered by name; lookups = {LOOKUPS:,} primary-key reads. Best of {ROUNDS} rounds "
            "for every operation, SQLCipher and plain SQLite taking turns within each round.",
            "",
            "| operation | plain SQLite | SQLCipher (ours) | ratio |",
            "| --- | ---: | ---: | ---: |",
            *lines,
        ]
    )
    print(RESULTS["sql"])
    assert all(ours > 0 and plain > 0 for ours, plain in results.values())


def test_unlock_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_KDF_ITERATIONS", raising=False)
    params = calibrate()
    workspace = Workspace.create(
        tmp_path / "ws",
        "benchmark passphrase",
        display_name="Bench",
        role="Chair",
        agency="Partnership",
        kdf_params=params,
    )
    with workspace.unit_of_work() as uow:
        for n in range(2000):
            uow.create(Agency, audit=False, name=f"Agency {n}", short_name=f"A{n}", sector="", colour="#aabbcc")
    workspace.lock()
    from app.security.kdf import derive_keys

    def unlock(backup: bool) -> None:
        Workspace.open(tmp_path / "ws", "benchmark passphrase", backup_on_unlock=backup).lock()

    best = best_in_turns(
        ROUNDS,
        {
            "kdf": lambda: derive_keys("benchmark passphrase", params),
            "plain": lambda: unlock(False),
            "backup": lambda: unlock(True),
        },
    )
    kdf_seconds, without_backup, with_backup = best["kdf"], best["plain"], best["backup"]
    RESULTS["unlock"] = "\n".join(
        [
            f"Argon2id calibrated here to {params.iterations} iterations x {params.memory_kib // 1024} MiB "
            f"x {params.lanes} lanes (target about 0.6 s). Workspace with 2,000 records; best of {ROUNDS} rounds, "
            "the three steps taking turns.",
            "",
            "| step | time |",
            "| --- | ---: |",
            f"| key derivation alone | {kdf_seconds * 1000:,.0f} ms |",
            f"| unlock (KDF, key check, both integrity checks, member keys) | {without_backup * 1000:,.0f} ms |",
            f"| unlock with the rotating backup (default) | {with_backup * 1000:,.0f} ms |",
            f"| share of unlock (without backup) spent in the KDF | {kdf_seconds / without_backup:.0%} |",
        ]
    )
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


def _spawn(code: str) -> Callable[[], None]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(ROOT / ".venv")}

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)

    return run


def test_cold_start_to_main_window() -> None:
    best = best_in_turns(
        ROUNDS, {"interpreter": _spawn("pass"), "bare": _spawn(_BARE_QT), "ours": _spawn(_SHOW_WINDOW)}
    )
    interpreter, bare, ours = best["interpreter"], best["bare"], best["ours"]
    RESULTS["start"] = "\n".join(
        [
            f"Process start to the main window shown (offscreen), best of {ROUNDS} rounds taking turns, "
            "against an empty QMainWindow in the same run.",
            "",
            "| program | time |",
            "| --- | ---: |",
            f"| Python interpreter alone | {interpreter * 1000:,.0f} ms |",
            f"| empty PySide6 window | {bare * 1000:,.0f} ms |",
            f"| Safeguarding Workbench main window | {ours * 1000:,.0f} ms ({ours / bare:.2f}x the empty window) |",
        ]
    )
    print(RESULTS["start"])
    write_section(
        "workspace",
        "\n\n".join(
            [
                machine_line(),
                "### SQLCipher against plain SQLite",
                RESULTS.get("sql", "(not run)"),
                "### Unlock",
                RESULTS.get("unlock", "(not run)"),
                "### Cold start",
                RESULTS["start"],
            ]
        ),
        heading="## Workspace foundation (`tests/bench/bench_workspace.py`)",
    )

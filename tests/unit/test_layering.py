"""ui/ runs no SQL of its own (import-linter holds the import layers; this catches SQL text)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ui_runs_no_sql() -> None:
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("from sqlalchemy", "import sqlalchemy", "session.execute(", "exec_driver_sql"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []

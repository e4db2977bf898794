"""app/ and db/ must not import Qt: the domain runs headless (CLI, tests, workers)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "matplotlib.backends.backend_qt")


def test_domain_layers_import_no_qt() -> None:
    offenders = []
    for layer in ("app", "db"):
        for path in (ROOT / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []


def test_ui_runs_no_sql() -> None:
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("from sqlalchemy", "import sqlalchemy", "session.execute(", "exec_driver_sql"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []

"""Start-up (issue 14): the lock screen appears before any heavy library is imported.

The window runs in a real subprocess with the start-up probe on (ui/startup_probe.py):
it reports which of the named heavy modules were loaded when the lock screen was first
painted and took input, then quits. No timings are asserted here (tests/bench measures
them); only what was imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.version import __version__
from tests.helpers.processes import clean_env, run_program
from ui.startup_probe import HEAVY_MODULES

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.gui


def probe(tmp_path: Path, *args: str, passphrase: str | None = None) -> dict:
    out = tmp_path / "probe.json"
    env = clean_env(passphrase, QT_QPA_PLATFORM="offscreen", WORKBENCH_STARTUP_PROBE=str(out))
    result = run_program([sys.executable, "main.py", *args], cwd=ROOT, timeout=180, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_lock_screen_shows_before_any_heavy_module_is_imported(tmp_path: Path) -> None:
    report = probe(tmp_path)
    assert "lock_screen_interactive" in report["marks"]
    assert report["heavy_loaded"] == []
    assert {"matplotlib", "openpyxl", "docx", "reportlab", "sqlalchemy"} <= set(HEAVY_MODULES)


def test_unlock_dialog_on_a_workspace_imports_none_either_and_unlock_shows_the_first_page(
    tmp_path: Path, workspace, passphrase: str
) -> None:
    workspace.lock()
    report = probe(tmp_path, "--workspace", str(workspace.path), passphrase=passphrase)
    assert report["heavy_loaded"] == []
    marks = report["marks"]
    assert marks["lock_screen_interactive"] <= marks["key_derived"] <= marks["first_page_interactive"]
    assert report["first_page"].startswith("area-")


def test_version_names_the_app_schema_sqlcipher_qt_and_python() -> None:
    result = run_program([sys.executable, "main.py", "--version"], cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Safeguarding Workbench {__version__}"
    assert lines[1].startswith("schema version ")
    assert lines[2].startswith("SQLCipher 4.")
    assert lines[3].startswith("Qt 6.")
    assert lines[4].startswith(f"Python {sys.version_info.major}.{sys.version_info.minor}")

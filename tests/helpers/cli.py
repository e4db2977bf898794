"""The command line run as a user runs it: `python main.py ...` in a subprocess, passphrase from the env."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, timeout: int = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """`workbench ARGS...` with the test passphrase and a one-iteration KDF; `env` adds variables."""
    full = dict(os.environ, WORKBENCH_PASSPHRASE=PASSPHRASE, WORKBENCH_KDF_ITERATIONS="1", **env)
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=REPO, env=full, capture_output=True, text=True, timeout=timeout
    )


def reviewer_workspace(tmp_path: Path) -> str:
    """A lead reviewer's new workspace with two partner agencies, made through the command line."""
    ws = str(tmp_path / "ws")
    assert run("init", ws, "--name", "Alex", "--agency", "Independent", "--role", "Lead reviewer").returncode == 0
    for name, short in (("Health Visiting", "HV"), ("Northbridge Police", "Police")):
        added = run("agency", "add", ws, "--name", name, "--short", short)
        assert added.returncode == 0, added.stderr
    return ws

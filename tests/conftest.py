"""Shared fixtures: real encrypted workspaces in tmp_path, never a mocked database.

The KDF keeps its full 64 MiB memory cost in tests but runs one iteration, so
that creating hundreds of throwaway workspaces stays quick; calibration itself
is tested separately.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # Qt's offscreen screen is 800x800 by default: a window maximised on it is narrower than the
    # smallest laptop the layout is made for. Tests run on a 1280x800 laptop screen instead.
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('offscreen_screen.json')}"
os.environ["WORKBENCH_KDF_ITERATIONS"] = "1"
os.environ.pop("WORKBENCH_PASSPHRASE", None)
os.environ.pop("WORKBENCH_NEW_PASSPHRASE", None)

from app.store.workspace import Workspace
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE  # tests import them from there, not from here

# The gate (README test command, CI) draws the same examples every run, so a
# landing never hangs on a lucky draw; `scripts/test.sh --hypothesis-profile=explore`
# searches fresh examples, ten times as many, to find what the gate cannot.
settings.register_profile("gate", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=1000, print_blob=True)
settings.load_profile("gate")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, caches and temp files of each test go to its own folders, to be inspected."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    return home


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    """A new, unlocked, encrypted workspace with no records."""
    ws = Workspace.create(
        workspace_path,
        PASSPHRASE,
        display_name="Alex Reviewer",
        role="Lead reviewer",
        agency="Independent",
        kdf_params=FAST_KDF,
    )
    yield ws
    ws.lock()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace built once per session (about 8 s), locked, for tests to copy."""
    from app.demo import create_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo"
    create_demo(path, kdf_params=FAST_KDF).lock()
    return path


@pytest.fixture
def demo_workspace(tmp_path: Path, demo_template: Path) -> Iterator[Workspace]:
    """The full demo workspace (every area's demo data), unlocked: a fresh copy of the session's."""
    from app.demo import DEMO_PASSPHRASE

    target = tmp_path / "demo"
    shutil.copytree(demo_template, target, ignore=shutil.ignore_patterns(".lock"))
    ws = Workspace.open(target, DEMO_PASSPHRASE, backup_on_unlock=False)
    yield ws
    ws.lock()

"""The command line run as a user runs it: `python main.py ...` in a subprocess, passphrase from the env;
and the workspaces those tests start from and look into afterwards."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from app.agencies import add_agency
from app.records import UnitOfWork
from app.store.workspace import Workspace
from tests.helpers.processes import clean_env, run_program
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


def run(
    *args: str, timeout: int = 300, passphrase: str | None = PASSPHRASE, **env: str
) -> subprocess.CompletedProcess[str]:
    """`workbench ARGS...` with a one-iteration KDF and `passphrase` (None: none given, so the command
    must ask for it); `env` adds variables. No other WORKBENCH_ variable of this process leaks in."""
    return run_program([sys.executable, "main.py", *args], cwd=REPO, timeout=timeout, env=clean_env(passphrase, **env))


def ok(*args: str, **env: str) -> str:
    """`workbench ARGS...` that must succeed; its standard output."""
    result = run(*args, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(*args: str, message: str) -> None:
    """`workbench ARGS...` that must fail as a user error: exit 1, one line naming `message`, no traceback."""
    result = run(*args)
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def reviewer_workspace(tmp_path: Path) -> str:
    """A lead reviewer's new workspace with two partner agencies, made through the command line."""
    ws = str(tmp_path / "ws")
    assert run("init", ws, "--name", "Alex", "--agency", "Independent", "--role", "Lead reviewer").returncode == 0
    for name, short in (("Health Visiting", "HV"), ("Northbridge Police", "Police")):
        added = run("agency", "add", ws, "--name", name, "--short", short)
        assert added.returncode == 0, added.stderr
    return ws


def made_workspace(
    path: Path,
    agencies: list[tuple[str, ...]],
    *,
    name: str = "Sam Okafor",
    role: str = "Business coordinator",
    then: Callable[[UnitOfWork], None] | None = None,
) -> Path:
    """A locked workspace at `path` (fast KDF) with these agencies (add_agency's arguments) and
    whatever `then` writes in the same unit of work, for a subprocess to open."""
    workspace = Workspace.create(
        path, PASSPHRASE, display_name=name, role=role, agency="Partnership", kdf_params=FAST_KDF
    )
    try:
        with workspace.unit_of_work() as uow:
            for agency in agencies:
                add_agency(uow, *agency)
            if then is not None:
                then(uow)
    finally:
        workspace.lock()
    return path


@contextmanager
def opened(path: Path) -> Iterator[Workspace]:
    """The workspace a subprocess wrote, opened in this process (no backup) and locked again after."""
    workspace = Workspace.open(path, PASSPHRASE, backup_on_unlock=False)
    try:
        yield workspace
    finally:
        workspace.lock()


def row_count(path: Path, model: type) -> int:
    """How many rows of `model` the workspace at `path` holds (e.g. audit entries before and after)."""
    with opened(path) as workspace, workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0

"""Programs run as a user runs them (the command line, the window, the built app): a clean environment,
no input, the output captured as text."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def clean_env(passphrase: str | None, *, drop: tuple[str, ...] = ("WORKBENCH_",), **extra: str) -> dict[str, str]:
    """This process's environment without the variables starting with `drop` (no WORKBENCH_ setting of the
    test run leaks in), with a one-iteration KDF, `passphrase` (None: the program must ask) and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(WORKBENCH_KDF_ITERATIONS="1", **extra)
    if passphrase is not None:
        env["WORKBENCH_PASSPHRASE"] = passphrase
    return env


def run_program(
    command: list[str], *, cwd: Path, timeout: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`command` in `cwd` with nothing on its input (a question it asks fails at once instead of hanging)."""
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )

"""Run a passphrase change or a restore and SIGKILL this very process at a chosen point.

The kill is real (the OS ends the process: no `finally`, no clean-up, no flush);
only its moment is chosen, deterministically, by wrapping the step it follows.
Used by tests/unit/test_leftovers.py (issue 16.4):

    python -m tests.helpers.crash_midway passwd WORKSPACE POINT
    python -m tests.helpers.crash_midway restore WORKSPACE POINT BACKUP

Passphrases come from CRASH_PASSPHRASE and CRASH_NEW_PASSPHRASE. Points:

* ``export``   - inside `sqlcipher_export`, part way through writing the new copy
* ``copied``   - the new copy written and verified, the sidecar not yet switched
* ``kept``     - restore only: the "before a restore" sidecar written, nothing switched
* ``switched`` - the sidecar switched, the replaced database not yet removed or moved
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import app.store.backups as backups_module
import app.store.storage as storage_module
import app.store.workspace as workspace_module
from app.store.names import SIDECAR_NAME


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def kill_after(module: Any, name: str, on_call: int, when: Callable[..., bool] = lambda *a: True) -> None:
    """Wrap `module.name` so that its `on_call`-th call (among those `when` accepts) ends the process after it."""
    real = getattr(module, name)
    seen = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if when(*args):
            seen[0] += 1
            if seen[0] == on_call:
                die()
        return result

    setattr(module, name, wrapper)


def kill_inside_export(on_call: int) -> None:
    """The `on_call`-th connection opened by storage.py gets a progress handler that kills part way."""
    real = storage_module.raw_connection
    seen = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        connection = real(*args, **kwargs)
        seen[0] += 1
        if seen[0] == on_call:
            steps = [0]

            def progress() -> int:
                steps[0] += 1
                if steps[0] == 40:  # well past ATTACH, well before the end of the export
                    die()
                return 0

            connection.set_progress_handler(progress, 100)
        return connection

    storage_module.raw_connection = wrapper


def main(argv: list[str]) -> None:
    operation, workspace, point = argv[0], Path(argv[1]), argv[2]
    passphrase = os.environ["CRASH_PASSPHRASE"]
    restoring = operation == "restore"
    if point == "export":  # restore opens the backup once to verify it before it exports it
        kill_inside_export(2 if restoring else 1)
    elif point == "copied":
        module = backups_module if restoring else workspace_module
        kill_after(module, "verify_encrypted_copy", 2 if restoring else 1)
    elif point == "kept":
        kill_after(storage_module.Sidecar, "write", 1, lambda _self, path: path.parent.name == "backups")
    elif point == "switched":
        kill_after(storage_module.Sidecar, "write", 1, lambda _self, path: path.name == SIDECAR_NAME)
    else:
        raise SystemExit(f"unknown point {point}")
    if restoring:
        workspace_module.restore(workspace, Path(argv[3]), passphrase)
    else:
        opened = workspace_module.Workspace.open(workspace, passphrase, backup_on_unlock=False)
        opened.change_passphrase(passphrase, os.environ["CRASH_NEW_PASSPHRASE"])
    raise SystemExit("the operation finished: the chosen point was never reached")


if __name__ == "__main__":
    main(sys.argv[1:])

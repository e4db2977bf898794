"""Every file written at a user's choice (exports, cards, bundles, reports, letters, packs).

One gate for all writers, because a careless `--out` once replaced the encrypted
database with a plaintext CSV under its name. A target is refused when it:

* lies inside a workspace folder (any folder holding a `workspace.json` sidecar);
* is a directory, a device, a FIFO, a socket or a symlink (the atomic rename
  would replace the node with a regular file holding plaintext);
* already exists and the caller did not pass ``overwrite=True`` (the GUI's save
  dialog has already asked; the CLI needs `--overwrite`).

The write itself is atomic and private (``write_atomic``).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import InvalidInput
from app.store.atomic import refuse_special_target, write_atomic

SIDECAR_NAME = "workspace.json"


def workspace_folder_containing(path: Path) -> Path | None:
    """The workspace folder that `path` would fall inside, if any."""
    for folder in [path.parent, *path.parent.parents]:
        try:
            if (folder / SIDECAR_NAME).is_file():
                return folder
        except OSError:
            continue
    return None


def check_user_target(path: Path, *, overwrite: bool = False) -> Path:
    """Raise InvalidInput naming the file and the reason if `path` may not be written."""
    target = Path(os.path.abspath(os.path.expanduser(path)))
    refuse_special_target(target)
    if not target.parent.is_dir():
        raise InvalidInput(f"Cannot write {target.name}: the folder {target.parent} does not exist.")
    # the real folder: a symlink to a workspace folder is that folder
    workspace = workspace_folder_containing(Path(os.path.realpath(target.parent)) / target.name)
    if workspace is not None:
        raise InvalidInput(
            f"{target} is inside the workspace folder {workspace}; exports are "
            "never written there. Choose a folder outside the workspace."
        )
    if target.exists() and not overwrite:
        raise InvalidInput(
            f"{target} already exists; choose another name or allow overwriting (--overwrite on the command line)."
        )
    return target


def write_user_file(path: Path | str, data: bytes, *, overwrite: bool = False) -> Path:
    """Write `data` to a file the user chose, after `check_user_target`; returns the path."""
    target = check_user_target(Path(path), overwrite=overwrite)
    write_atomic(target, data)
    return target

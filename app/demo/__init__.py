"""The fictional demo workspace.

Each area adds its own demo data by registering a `DemoPart` in its
contributions module (`app.contributions.DEMO_PARTS`); each part runs in one
unit of work, lower `order` first, and shares a `context` dict with the others
(e.g. agencies by short name). All names, places and events are invented.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from app.contributions import DEMO_PARTS
from app.security.kdf import KdfParams
from app.store.workspace import Workspace

DEMO_PASSPHRASE = "demo-workbench-2026"
DEMO_SEED = 20261125


def create_demo(path: Path, *, kdf_params: KdfParams | None = None) -> Workspace:
    workspace = Workspace.create(
        path,
        DEMO_PASSPHRASE,
        display_name="Sam Okafor",
        role="Business coordinator",
        agency="Northbridge Safeguarding Children Partnership",
        kdf_params=kdf_params,
    )
    rng = random.Random(DEMO_SEED)
    context: dict[str, Any] = {}
    try:
        for part in DEMO_PARTS.all():
            with workspace.unit_of_work() as uow:
                part.populate(uow, rng, context)
    except BaseException:
        workspace.lock()
        raise
    return workspace

"""The fictional demo workspace.

Each area adds its demo data from a module in this package that defines
`ORDER` (int, lower runs first) and `populate(uow, rng, context)`; `context`
is a dict the modules share (e.g. agencies by short name). All names, places
and events are invented.
"""
from __future__ import annotations

import importlib
import pkgutil
import random
from pathlib import Path
from typing import Any

from app.kdf import KdfParams
from app.workspace import Workspace

DEMO_PASSPHRASE = "demo-workbench-2026"
DEMO_SEED = 20261125


def _contributors() -> list[Any]:
    modules = [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]
    return sorted((m for m in modules if hasattr(m, "populate")), key=lambda m: (m.ORDER, m.__name__))


def create_demo(path: Path, *, kdf_params: KdfParams | None = None) -> Workspace:
    workspace = Workspace.create(path, DEMO_PASSPHRASE, display_name="Sam Okafor",
                                 role="Business coordinator", agency="Northbridge Safeguarding Children Partnership",
                                 kdf_params=kdf_params)
    rng = random.Random(DEMO_SEED)
    context: dict[str, Any] = {}
    try:
        for module in _contributors():
            with workspace.unit_of_work() as uow:
                module.populate(uow, rng, context)
    except BaseException:
        workspace.lock()
        raise
    return workspace

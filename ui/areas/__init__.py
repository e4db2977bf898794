"""Area discovery: every module here that defines AREA joins the navigation."""

from __future__ import annotations

import importlib
import pkgutil

from ui.areas.base import AreaSpec


def discover_areas() -> list[AreaSpec]:
    specs = []
    for module in pkgutil.iter_modules(__path__):
        if module.name == "base":
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        spec = getattr(loaded, "AREA", None)
        if isinstance(spec, AreaSpec):
            specs.append(spec)
    return sorted(specs, key=lambda s: (s.order, s.key))

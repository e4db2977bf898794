"""Demo agencies of the fictional Northbridge partnership.

Colours are light enough for black text at WCAG AA contrast (checked in tests).
"""

from __future__ import annotations

import random
from typing import Any

from app.agencies import add_agency
from app.records import UnitOfWork

DEMO_AGENCIES = [
    ("Northbridge Children's Social Care", "CSC", "Local authority", "#f4c7c3"),
    ("Northbridge Police Public Protection Unit", "Police", "Police", "#c6dafc"),
    ("Northbridge Community Health (Health Visiting)", "HV", "Health", "#b7e1cd"),
    ("Riverside Medical Practice", "GP", "Health", "#fce8b2"),
    ("Northbridge University Hospitals (Emergency Department)", "ED", "Health", "#e1c6f4"),
    ("St Aidan's Primary School", "School", "Education", "#c9f0f4"),
    ("Northbridge Housing", "Housing", "Housing", "#f9d8b4"),
    ("Probation Service (Northbridge)", "Probation", "Justice", "#d9d9d9"),
]


def populate(uow: UnitOfWork, rng: random.Random, context: dict[str, Any]) -> None:
    agencies = {}
    for name, short, sector, colour in DEMO_AGENCIES:
        agencies[short] = add_agency(uow, name, short, sector, colour)
    context["agencies"] = agencies

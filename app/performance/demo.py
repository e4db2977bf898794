"""The demo's performance data: three years of quarterly figures with real signals in them.

- REF-REPEAT (re-referrals, lower is better) shifts up for the last seven quarters: a concern;
- ASMT-45 (assessment timeliness, higher is better) rises for seven quarters: an improvement trend;
- MISS-EPIS (missing episodes) has an outlier in the latest quarter;
- HV-NBV changed definition in 2025Q2 (the chart does not join across it);
- ED-SELFHARM has small counts (shown as "fewer than 5" in exports);
- Housing has not sent its latest return; comparators for the rates and percentages;
- commentary and the panel's view on the latest exceptions, and one action raised from one.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from app.office.validation_report import ValidationReport
from app.performance.annotations import add_annotation
from app.performance.catalogue import (
    IndicatorDraft,
    find_indicator,
    install_starter,
    save_indicator,
)
from app.performance.exceptions import create_action, list_exceptions, save_commentary
from app.performance.figures import Figure, FigurePlan, commit_plan
from app.performance.periods import Period, period_range
from app.records import UnitOfWork
from db.models.performance import Comparator, Indicator

QUARTERS = 12
#: code -> (baseline, noise, denominator) for the demo's level of each indicator
LEVELS: dict[str, tuple[float, float, float]] = {
    "REF-RATE": (520, 25, 48000),
    "REF-REPEAT": (19, 1.5, 600),
    "REF-NFA": (34, 2.5, 600),
    "ASMT-45": (78, 2.0, 520),
    "S47-RATE": (150, 10, 48000),
    "ICPC-15": (84, 4, 60),
    "CPP-RATE": (42, 2.5, 48000),
    "CPP-REPEAT": (21, 3, 70),
    "CPP-2YR": (3.5, 1.2, 80),
    "RCPC-ONTIME": (93, 2.5, 120),
    "CLA-RATE": (68, 1.5, 48000),
    "MISS-EPIS": (140, 12, 0),
    "MISS-RHI": (71, 4, 140),
    "DA-NOTIF": (310, 25, 0),
    "STRAT-POL": (88, 3, 210),
    "HV-NBV": (91, 2, 650),
    "ED-SELFHARM": (7, 2.5, 0),
    "EH-ASSESS": (24, 4, 0),
    "TRAIN-REACH": (82, 4, 400),
    "CONF-ATTEND": (76, 6, 45),
    "SUP-OVERDUE": (14, 3, 90),
}


def latest_demo_period(today: date | None = None) -> Period:
    return Period.containing(today or date.today()) - 1


def _series(code: str, rng: random.Random, periods: list[Period], indicator: Indicator) -> list[float]:
    base, noise, _denominator = LEVELS[code]
    values = [rng.gauss(base, noise) for _ in periods]
    n = len(values)
    if code == "REF-REPEAT":
        values = [v + (7.0 if i >= n - 7 else 0) for i, v in enumerate(values)]
    elif code == "ASMT-45":
        values = [base + rng.gauss(0, noise) for _ in range(n - 7)] + [base - 3 + 2.2 * k for k in range(7)]
    elif code == "MISS-EPIS":
        values[-1] = base + 9 * noise
    elif code == "HV-NBV":
        values = [v - (9 if i >= n - 7 else 0) for i, v in enumerate(values)]
    if indicator.unit == "percent":
        values = [min(99.5, max(0.5, v)) for v in values]
    return [max(0.0, v) for v in values]


#: the area's own random stream: its signals do not move when other areas' demo parts draw more numbers
DEMO_SEED = 2026_13


def populate(uow: UnitOfWork, _shared_rng: random.Random, context: dict[str, Any]) -> None:
    rng = random.Random(DEMO_SEED)
    today = date.today()
    install_starter(uow)
    for code, target in (("ASMT-45", 85.0), ("REF-REPEAT", 18.0), ("ICPC-15", 90.0), ("TRAIN-REACH", 85.0)):
        uow.update(find_indicator(uow.session, code), target=target, summary=f"Demo: target for {code}")
    latest = latest_demo_period(today)
    periods = period_range(latest - (QUARTERS - 1), latest)
    agencies = context.get("agencies", {})
    plan = FigurePlan(ValidationReport("demo"))
    hv = find_indicator(uow.session, "HV-NBV")
    for code in LEVELS:
        indicator = find_indicator(uow.session, code)
        reporters = [a for a in agencies.values() if indicator.owner_agency_uuid in (None, a.uuid)]
        for agency in reporters:
            values = _series(code, rng, periods, indicator)
            for period, value in zip(periods, values, strict=False):
                if agency.short_name == "Housing" and period == latest:
                    continue
                denominator = LEVELS[code][2]
                if indicator.unit in ("percent", "rate"):
                    denominator = (
                        round(denominator * rng.uniform(0.9, 1.1))
                        if indicator.owner_agency_uuid is None
                        else denominator
                    )
                    numerator = round(value * denominator / indicator.per)
                    value = numerator / denominator * indicator.per
                    plan.new.append(
                        Figure(
                            indicator.uuid,
                            agency.uuid,
                            str(period),
                            value,
                            float(numerator),
                            float(denominator),
                            "demo",
                        )
                    )
                else:
                    plan.new.append(
                        Figure(indicator.uuid, agency.uuid, str(period), float(round(value)), None, None, "demo")
                    )
        if indicator.unit in ("percent", "rate"):
            base = LEVELS[code][0]
            for period in periods:
                neighbours = base * (0.8 if code == "REF-REPEAT" else rng.uniform(0.95, 1.05))
                for kind, value in (("neighbours", neighbours), ("england", base * rng.uniform(0.92, 1.04))):
                    uow.create(
                        Comparator,
                        audit=False,
                        indicator_uuid=indicator.uuid,
                        period=str(period),
                        kind=kind,
                        value=round(value, 1),
                        source="Demo: published comparator table",
                        source_date=period.first_day,
                    )
    commit_plan(uow, plan, today=today)
    save_indicator(
        uow,
        IndicatorDraft(
            code="HV-NBV",
            name=hv.name,
            theme=hv.theme,
            unit="percent",
            polarity="higher",
            owner="HV",
            numerator="New birth visits within 10 to 14 days",
            denominator=hv.denominator,
            definition="Health visiting new birth visits completed between 10 and 14 days of birth.",
            source_system=hv.source_system,
            new_version_from=str(latest - 6),
            change_note="New definition: visits before day 10 no longer count",
        ),
        existing_uuid=hv.uuid,
    )
    add_annotation(uow, "REF-REPEAT", str(latest - 1), "Front-door practice changed")
    for row in list_exceptions(uow.session, latest):
        if row.code == "REF-REPEAT" and row.kind == "special_cause":
            save_commentary(
                uow,
                row,
                agency_commentary=(
                    "A change of front-door practice in spring led to more contacts being logged as referrals; "
                    "we are auditing 30 re-referrals to check thresholds."
                ),
                panel_view="Not assured yet: bring the audit findings to the next QA subgroup.",
                status="open",
            )
            create_action(
                uow,
                row,
                title="Audit 30 re-referrals and report threshold findings to the QA subgroup",
                lead_officer="Head of Front Door",
            )
        elif row.code == "MISS-EPIS" and row.kind == "special_cause":
            save_commentary(
                uow,
                row,
                agency_commentary="Three young people accounted for 40% of episodes; "
                "exploitation panel oversight in place.",
                status="explained",
            )
        elif row.kind == "missing_return":
            save_commentary(uow, row, panel_view="Chair to write to Housing for the return.")
    context["performance_period"] = str(latest)

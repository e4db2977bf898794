"""The indicator catalogue: indicators as data, edited in the app, versioned when a definition changes.

An indicator's identity is derived from its code (like agencies from their
name), so two members who each add "CPP-NEW" end up with one indicator after a
merge. Changing what an indicator counts (its definition, numerator or
denominator) from some quarter on is a new version: a `DefinitionBreak` records
the quarter, the old definition and why, and charts do not join across it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies import find_agency
from app.errors import InvalidInput
from app.performance.periods import parse_period
from app.records import UnitOfWork
from app.records.live import live_children, live_or_none, live_record
from app.text import count_of
from db.base import live
from db.models.core import Agency
from db.models.performance import DefinitionBreak, Indicator

_INDICATOR_NAMESPACE = uuid.UUID("0b6f3f0c-8f1e-4f38-9a4c-7d3e0c5a2e11")

#: unit -> (label, default "per")
UNITS: dict[str, tuple[str, int]] = {
    "count": ("Count", 1),
    "percent": ("Percentage", 100),
    "rate": ("Rate per 10,000", 10_000),
    "days": ("Days (average)", 1),
    "number": ("Number", 1),
}
POLARITIES = {"higher": "Higher is better", "lower": "Lower is better", "neither": "Neither"}
FREQUENCIES = ("quarterly", "annual")
#: fields whose change means the indicator now counts something else
DEFINING_FIELDS = ("definition", "numerator", "denominator", "unit", "per")


def indicator_uuid(code: str) -> str:
    return str(uuid.uuid5(_INDICATOR_NAMESPACE, code.strip().casefold()))


@dataclass
class IndicatorDraft:
    """What the editor and the catalogue import hand to `save_indicator`."""

    code: str
    name: str
    definition: str = ""
    numerator: str = ""
    denominator: str = ""
    unit: str = "count"
    per: int | None = None
    polarity: str = "neither"
    frequency: str = "quarterly"
    owner: str = ""  # agency name or short name; "" = every agency reports it
    source_system: str = ""
    theme: str = ""
    target: float | None = None
    active: bool = True
    #: when a defining field changes: the first quarter counted the new way, and why
    new_version_from: str = ""
    change_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def list_indicators(session: Session, *, include_inactive: bool = True) -> list[Indicator]:
    query = live(Indicator).order_by(Indicator.theme, Indicator.code)
    if not include_inactive:
        query = query.where(Indicator.active.is_(True))
    return list(session.scalars(query))


def find_indicator(session: Session, code: str) -> Indicator:
    found = session.get(Indicator, indicator_uuid(code))
    if found is None or found.is_deleted:
        found = session.scalars(live(Indicator).where(Indicator.code == code.strip())).first()
    if found is None:
        raise InvalidInput(f"Unknown indicator {code!r}. See `workbench data indicator list`.")
    return found


def breaks_of(session: Session, indicator_uuid_: str) -> list[DefinitionBreak]:
    return live_children(
        session, DefinitionBreak, DefinitionBreak.indicator_uuid, indicator_uuid_, DefinitionBreak.from_period
    )


def all_breaks(session: Session) -> dict[str, list[str]]:
    """Indicator uuid -> the quarters from which a new definition applies, in order."""
    out: dict[str, list[str]] = {}
    for row in session.execute(
        select(DefinitionBreak.indicator_uuid, DefinitionBreak.from_period)
        .where(DefinitionBreak.deleted_stamp.is_(None))
        .order_by(DefinitionBreak.from_period)
    ):
        out.setdefault(row[0], []).append(row[1])
    return out


def _fields(session: Session, draft: IndicatorDraft) -> dict[str, Any]:
    code = draft.code.strip()
    if not code or not draft.name.strip():
        raise InvalidInput("An indicator needs a code and a name.")
    if len(code) > 40 or any(c.isspace() for c in code):
        raise InvalidInput(f"Indicator code {code!r}: at most 40 characters, no spaces (e.g. CPP-REPEAT).")
    if draft.unit not in UNITS:
        raise InvalidInput(f"Indicator {code}: unit {draft.unit!r} is not one of {', '.join(UNITS)}.")
    if draft.polarity not in POLARITIES:
        raise InvalidInput(f"Indicator {code}: polarity {draft.polarity!r} is not one of {', '.join(POLARITIES)}.")
    if draft.frequency not in FREQUENCIES:
        raise InvalidInput(f"Indicator {code}: frequency {draft.frequency!r} is not one of {', '.join(FREQUENCIES)}.")
    per = draft.per if draft.per else UNITS[draft.unit][1]
    if per < 1:
        raise InvalidInput(f"Indicator {code}: 'per' must be a positive whole number.")
    if draft.unit in ("percent", "rate") and not draft.denominator.strip():
        raise InvalidInput(f"Indicator {code}: a {UNITS[draft.unit][0].lower()} needs a denominator.")
    owner: Agency | None = find_agency(session, draft.owner) if draft.owner.strip() else None
    return dict(
        code=code,
        name=draft.name.strip()[:200],
        definition=draft.definition.strip(),
        numerator=draft.numerator.strip(),
        denominator=draft.denominator.strip(),
        unit=draft.unit,
        per=per,
        polarity=draft.polarity,
        frequency=draft.frequency,
        owner_agency_uuid=owner.uuid if owner else None,
        source_system=draft.source_system.strip()[:200],
        theme=draft.theme.strip()[:100],
        target=draft.target,
        active=draft.active,
    )


def check_indicator(
    session: Session, draft: IndicatorDraft, existing_uuid: str | None = None
) -> tuple[dict[str, Any], Indicator | None, str | None]:
    """(fields, the record edited or None, quarter a new definition starts or None); InvalidInput if it cannot be saved.

    Writes nothing, so an import can check every row before saving any.
    """
    fields = _fields(session, draft)
    record = session.get(Indicator, existing_uuid) if existing_uuid else None
    if existing_uuid and (record is None or record.is_deleted):
        raise InvalidInput("That indicator no longer exists in this workspace.")
    if record is None:
        clash = session.get(Indicator, indicator_uuid(fields["code"]))
        if clash is not None and not clash.is_deleted:
            raise InvalidInput(f"There is already an indicator with code {clash.code}.")
        return fields, None, None
    if fields["code"] != record.code:
        other = session.scalars(live(Indicator).where(Indicator.code == fields["code"])).first()
        if other is not None and other.uuid != record.uuid:
            raise InvalidInput(f"There is already an indicator with code {fields['code']}.")
    changed = [name for name in DEFINING_FIELDS if getattr(record, name) != fields[name]]
    if changed and _has_figures(session, record.uuid):
        if not draft.new_version_from.strip():
            raise InvalidInput(
                f"Indicator {record.code}: changing its {', '.join(changed)} changes what it counts; "
                "give the first quarter counted the new way (e.g. 2026Q3) so charts mark the break."
            )
        return fields, record, parse_period(draft.new_version_from)
    return fields, record, None


def save_indicator(uow: UnitOfWork, draft: IndicatorDraft, *, existing_uuid: str | None = None) -> Indicator:
    """Add an indicator, or edit one; a change to what it counts needs the quarter it applies from."""
    fields, record, from_period = check_indicator(uow.session, draft, existing_uuid)
    if record is None:
        derived = indicator_uuid(fields["code"])
        if uow.session.get(Indicator, derived) is not None:  # a deleted indicator keeps its identity (tombstone)
            derived = str(uuid.uuid4())
        return uow.create(Indicator, uuid=derived, version=1, **fields, summary=f"Added indicator {fields['code']}")
    if from_period is not None:
        changed = [name for name in DEFINING_FIELDS if getattr(record, name) != fields[name]]
        uow.create(
            DefinitionBreak,
            indicator_uuid=record.uuid,
            version=record.version + 1,
            from_period=from_period,
            note=draft.change_note.strip() or f"New definition ({', '.join(changed)} changed)",
            previous_definition=record.definition,
            summary=f"New definition of {record.code} from {from_period}",
        )
        fields["version"] = record.version + 1
    uow.update(record, **fields, summary=f"Edited indicator {fields['code']}")
    return record


def _has_figures(session: Session, indicator: str) -> bool:
    from db.models.performance import FigureValue

    return (
        session.scalar(
            select(FigureValue.uuid)
            .where(FigureValue.indicator_uuid == indicator, FigureValue.deleted_stamp.is_(None))
            .limit(1)
        )
        is not None
    )


def delete_indicator(uow: UnitOfWork, indicator: str) -> None:
    record = live_record(uow.session, Indicator, indicator, "That indicator no longer exists in this workspace.")
    if _has_figures(uow.session, record.uuid):
        raise InvalidInput(f"Indicator {record.code} has figures; mark it inactive instead of deleting it.")
    uow.delete(record, summary=f"Deleted indicator {record.code}")


def owner_name(session: Session, indicator: Indicator) -> str:
    if not indicator.owner_agency_uuid:
        return ""
    agency = session.get(Agency, indicator.owner_agency_uuid)
    return (agency.short_name or agency.name) if agency else ""


def indicator_draft(session: Session, uuid: str) -> tuple[IndicatorDraft, int] | None:
    """An indicator as the catalogue form shows it, with its version; None once deleted."""
    record = live_or_none(session, Indicator, uuid)
    if record is None:
        return None
    return draft_of(session, record), record.version


def draft_of(session: Session, indicator: Indicator) -> IndicatorDraft:
    return IndicatorDraft(
        code=indicator.code,
        name=indicator.name,
        definition=indicator.definition,
        numerator=indicator.numerator,
        denominator=indicator.denominator,
        unit=indicator.unit,
        per=indicator.per,
        polarity=indicator.polarity,
        frequency=indicator.frequency,
        owner=owner_name(session, indicator),
        source_system=indicator.source_system,
        theme=indicator.theme,
        target=indicator.target,
        active=indicator.active,
    )


# -- the starter catalogue (our own words) ---------------------------------------------

#: (code, name, theme, unit, polarity, owner short name or "", numerator, denominator, definition, source)
STARTER: list[tuple[str, str, str, str, str, str, str, str, str, str]] = [
    (
        "REF-RATE",
        "Referrals to children's social care",
        "Front door",
        "rate",
        "neither",
        "CSC",
        "Referrals received in the quarter",
        "Children aged 0-17 in the area (mid-year estimate)",
        "How many referrals children's social care received, per 10,000 children.",
        "Case management system",
    ),
    (
        "REF-REPEAT",
        "Re-referrals within 12 months",
        "Front door",
        "percent",
        "lower",
        "CSC",
        "Referrals in the quarter for a child referred in the previous 12 months",
        "Referrals in the quarter",
        "Share of referrals that are for a child already referred in the year before.",
        "Case management system",
    ),
    (
        "REF-NFA",
        "Referrals closed with no further action",
        "Front door",
        "percent",
        "neither",
        "CSC",
        "Referrals closed with no further action",
        "Referrals completed in the quarter",
        "Share of completed referrals that needed nothing further from social care.",
        "Case management system",
    ),
    (
        "ASMT-45",
        "Assessments completed within 45 working days",
        "Timeliness",
        "percent",
        "higher",
        "CSC",
        "Assessments completed within 45 working days",
        "Assessments completed in the quarter",
        "Timeliness of statutory assessments against the 45 working day limit.",
        "Case management system",
    ),
    (
        "S47-RATE",
        "Section 47 enquiries started",
        "Front door",
        "rate",
        "neither",
        "CSC",
        "Section 47 enquiries started in the quarter",
        "Children aged 0-17 in the area",
        "Child protection enquiries started, per 10,000 children.",
        "Case management system",
    ),
    (
        "ICPC-15",
        "Initial conferences within 15 working days",
        "Timeliness",
        "percent",
        "higher",
        "CSC",
        "Initial child protection conferences held within 15 working days of the strategy discussion",
        "Initial child protection conferences held in the quarter",
        "Timeliness of initial child protection conferences.",
        "Case management system",
    ),
    (
        "CPP-RATE",
        "Children on a child protection plan",
        "Child protection",
        "rate",
        "neither",
        "CSC",
        "Children on a plan at the end of the quarter",
        "Children aged 0-17 in the area",
        "Children subject to a child protection plan at quarter end, per 10,000 children.",
        "Case management system",
    ),
    (
        "CPP-REPEAT",
        "Second or later child protection plans",
        "Child protection",
        "percent",
        "lower",
        "CSC",
        "Plans started in the quarter for a child who had a plan before",
        "Plans started in the quarter",
        "Share of new plans for children who have been on a plan before.",
        "Case management system",
    ),
    (
        "CPP-2YR",
        "Plans lasting two years or more",
        "Child protection",
        "percent",
        "lower",
        "CSC",
        "Plans ended in the quarter that had lasted two years or more",
        "Plans ended in the quarter",
        "Share of ended plans that had run for two years or longer.",
        "Case management system",
    ),
    (
        "RCPC-ONTIME",
        "Review conferences on time",
        "Timeliness",
        "percent",
        "higher",
        "CSC",
        "Review conferences held on time",
        "Review conferences held in the quarter",
        "Timeliness of child protection review conferences.",
        "Case management system",
    ),
    (
        "CLA-RATE",
        "Children looked after",
        "Children in care",
        "rate",
        "neither",
        "CSC",
        "Children looked after at quarter end",
        "Children aged 0-17 in the area",
        "Children in the care of the local authority at quarter end, per 10,000 children.",
        "Case management system",
    ),
    (
        "MISS-EPIS",
        "Missing episodes reported",
        "Exploitation",
        "count",
        "neither",
        "Police",
        "",
        "",
        "Episodes of children reported missing from home or care in the quarter.",
        "Police records",
    ),
    (
        "MISS-RHI",
        "Return home interviews within 72 hours",
        "Exploitation",
        "percent",
        "higher",
        "CSC",
        "Return home interviews offered within 72 hours",
        "Missing episodes ended in the quarter",
        "Share of missing episodes followed by a return home interview offer within 72 hours.",
        "Case management system",
    ),
    (
        "DA-NOTIF",
        "Domestic abuse notifications to schools",
        "Domestic abuse",
        "count",
        "neither",
        "Police",
        "",
        "",
        "Notifications sent to schools after police attended a domestic abuse incident.",
        "Police records",
    ),
    (
        "STRAT-POL",
        "Police attendance at strategy discussions",
        "Partnership working",
        "percent",
        "higher",
        "Police",
        "Strategy discussions with police present",
        "Strategy discussions held",
        "Share of strategy discussions the police attended.",
        "Police records",
    ),
    (
        "HV-NBV",
        "New birth visits within 14 days",
        "Early help",
        "percent",
        "higher",
        "HV",
        "New birth visits within 14 days",
        "Births notified in the quarter",
        "Health visiting new birth visits completed within 14 days of birth.",
        "Community health records",
    ),
    (
        "ED-SELFHARM",
        "Emergency attendances for self-harm (under 18)",
        "Health",
        "count",
        "lower",
        "ED",
        "",
        "",
        "Attendances at the emergency department by under-18s for self-harm.",
        "Hospital records",
    ),
    (
        "EH-ASSESS",
        "Early help assessments started",
        "Early help",
        "count",
        "higher",
        "",
        "",
        "",
        "Early help assessments started by the agency in the quarter.",
        "Agency records",
    ),
    (
        "TRAIN-REACH",
        "Staff completing safeguarding training",
        "Workforce",
        "percent",
        "higher",
        "",
        "Staff up to date with the partnership's safeguarding training",
        "Staff who need the training",
        "Share of staff in roles that need it who are up to date with safeguarding training.",
        "Training records",
    ),
    (
        "CONF-ATTEND",
        "Agency attendance at child protection conferences",
        "Partnership working",
        "percent",
        "higher",
        "",
        "Conferences the agency was invited to and attended",
        "Conferences the agency was invited to",
        "How often the agency attended the conferences it was invited to.",
        "Agency records",
    ),
    (
        "SUP-OVERDUE",
        "Practitioners with supervision overdue",
        "Workforce",
        "percent",
        "lower",
        "",
        "Practitioners whose safeguarding supervision is overdue",
        "Practitioners who need supervision",
        "Share of practitioners whose safeguarding supervision is overdue.",
        "Agency records",
    ),
]


STARTER_SIZE = len(STARTER)


def install_starter(uow: UnitOfWork, *, owners_known: bool = True) -> int:
    """Add the starter catalogue's indicators that are not there yet; returns how many were added.

    Safe to run again: a code already in the catalogue (in any case, edited or not) is left as it is, so
    a second run adds nothing. Each added indicator takes the identity its code derives, so two members
    who both add the starter catalogue hold the same indicators after a merge. An owner is kept only
    where an agency of that short name exists; otherwise every agency reports the indicator.
    """
    existing = {i.code.casefold() for i in list_indicators(uow.session)}
    agencies = {a.short_name.casefold() for a in uow.session.scalars(live(Agency))}
    added = 0
    for code, name, theme, unit, polarity, owner, numerator, denominator, definition, source in STARTER:
        if code.casefold() in existing:
            continue
        usable_owner = owner if owners_known and owner.casefold() in agencies else ""
        save_indicator(
            uow,
            IndicatorDraft(
                code=code,
                name=name,
                theme=theme,
                unit=unit,
                polarity=polarity,
                owner=usable_owner,
                numerator=numerator,
                denominator=denominator,
                definition=definition,
                source_system=source,
            ),
        )
        added += 1
    return added


def starter_outcome(added: int, size: int = STARTER_SIZE) -> str:
    """What adding the starter catalogue did, in one line (the command line and the window say the same)."""
    if added == 0:
        return f"All {size} starter indicators are in the catalogue already; nothing was added."
    kept = size - added
    return f"Added {count_of(added, 'starter indicator')}" + (
        f"; {kept} {'was' if kept == 1 else 'were'} in the catalogue already." if kept else "."
    )

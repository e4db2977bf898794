"""Frameworks of standards as data: the two shipped ones, editing, copying forward.

Shipped frameworks (resources/section11/frameworks/*.json, in our own words) are
installed with fixed identities, so every member's copy is the same record.
A standard keeps its `lineage` when its framework is copied, which is how last
cycle's answers find this cycle's standard.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_record
from app.section11.ids import framework_id, standard_id
from db.base import live, new_uuid
from db.models.section11 import S11Cycle, S11Framework, S11Standard

FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "resources" / "section11" / "frameworks"
SHIPPED = ("classic", "schools")


@dataclass(frozen=True)
class StandardView:
    uuid: str
    number: int
    title: str
    good_practice: str
    questions: tuple[str, ...]
    evidence_prompts: tuple[str, ...]
    lineage: str
    retired: bool


@dataclass(frozen=True)
class FrameworkView:
    uuid: str
    name: str
    version_label: str
    description: str
    kind: str
    retired: bool
    standards: tuple[StandardView, ...] = field(default=())

    @property
    def title(self) -> str:
        return f"{self.name} ({self.version_label})" if self.version_label else self.name

    def live_standards(self) -> list[StandardView]:
        return [s for s in self.standards if not s.retired]


@cache
def shipped_definition(key: str) -> dict[str, Any]:
    return json.loads((FRAMEWORKS_DIR / f"{key}.json").read_text(encoding="utf-8"))


def ensure_shipped(uow: UnitOfWork) -> None:
    """Install the shipped frameworks if this workspace has none of their records yet (also tombstones)."""
    for key in SHIPPED:
        data = shipped_definition(key)
        uuid = framework_id(key)
        if uow.session.get(S11Framework, uuid) is not None:
            continue
        uow.create(
            S11Framework,
            uuid=uuid,
            name=data["name"],
            version_label=data.get("version_label", ""),
            description=data.get("description", ""),
            kind=key,
            based_on_uuid=None,
            retired=False,
            summary=f"Installed Section 11 framework {data['name']}",
        )
        for raw in data["standards"]:
            uow.create(
                S11Standard,
                uuid=standard_id(uuid, raw["lineage"]),
                framework_uuid=uuid,
                number=int(raw["number"]),
                title=raw["title"],
                good_practice=raw.get("good_practice", ""),
                questions=list(raw.get("questions", [])),
                evidence_prompts=list(raw.get("evidence_prompts", [])),
                lineage=raw["lineage"],
                retired=False,
                audit=False,
            )


def _standard_view(s: S11Standard) -> StandardView:
    return StandardView(
        s.uuid,
        s.number,
        s.title,
        s.good_practice,
        tuple(s.questions or ()),
        tuple(s.evidence_prompts or ()),
        s.lineage,
        s.retired,
    )


def standards_of(session: Session, framework_uuid: str, *, include_retired: bool = False) -> list[S11Standard]:
    query = live(S11Standard).where(S11Standard.framework_uuid == framework_uuid)
    if not include_retired:
        query = query.where(S11Standard.retired.is_(False))
    return list(session.scalars(query.order_by(S11Standard.number, S11Standard.title)))


def framework_view(session: Session, framework: S11Framework) -> FrameworkView:
    return FrameworkView(
        framework.uuid,
        framework.name,
        framework.version_label,
        framework.description,
        framework.kind,
        framework.retired,
        tuple(_standard_view(s) for s in standards_of(session, framework.uuid, include_retired=True)),
    )


def list_frameworks(session: Session, *, include_retired: bool = False) -> list[FrameworkView]:
    query = live(S11Framework)
    if not include_retired:
        query = query.where(S11Framework.retired.is_(False))
    return [
        framework_view(session, f)
        for f in session.scalars(query.order_by(S11Framework.name, S11Framework.version_label))
    ]


def get_framework(session: Session, framework_uuid: str) -> S11Framework:
    return live_record(
        session, S11Framework, framework_uuid, "That Section 11 framework no longer exists in this workspace."
    )


def find_framework(session: Session, text: str) -> S11Framework:
    """By shipped key (classic, schools), uuid, name or "name (version)", ignoring case."""
    wanted = " ".join(text.split()).casefold()
    frameworks = list(session.scalars(live(S11Framework)))
    for f in frameworks:
        names = {f.uuid, f.name.casefold(), f"{f.name} ({f.version_label})".casefold()}
        if f.kind in SHIPPED and f.uuid == framework_id(f.kind):
            names.add(f.kind)
        if wanted in names:
            return f
    matches = [f for f in frameworks if wanted and wanted in f.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(f"{f.name} ({f.version_label})" for f in frameworks) or "none"
    raise InvalidInput(f"Unknown Section 11 framework {text!r}. Known: {known}.")


def get_standard(session: Session, standard_uuid: str) -> S11Standard:
    return live_record(
        session, S11Standard, standard_uuid, "That Section 11 standard no longer exists in this workspace."
    )


def find_standard(session: Session, framework_uuid: str, number: int | str) -> S11Standard:
    try:
        wanted = int(str(number).strip().lstrip("Ss"))
    except ValueError:
        raise InvalidInput(f"Standard {number!r} is not a standard number (e.g. 3).") from None
    for standard in standards_of(session, framework_uuid):
        if standard.number == wanted:
            return standard
    raise InvalidInput(f"The framework has no standard {wanted} in use.")


def _texts(values: list[str] | tuple[str, ...]) -> list[str]:
    return [" ".join(v.split()) if "\n" not in v else v.strip() for v in values if v and v.strip()]


def _in_use(session: Session, framework_uuid: str) -> bool:
    return session.scalars(live(S11Cycle).where(S11Cycle.framework_uuid == framework_uuid)).first() is not None


def add_standard(
    uow: UnitOfWork,
    framework_uuid: str,
    *,
    title: str,
    number: int | None = None,
    good_practice: str = "",
    questions: list[str] | tuple[str, ...] = (),
    evidence_prompts: list[str] | tuple[str, ...] = (),
) -> S11Standard:
    framework = get_framework(uow.session, framework_uuid)
    if not title.strip():
        raise InvalidInput("A standard needs a title.")
    existing = standards_of(uow.session, framework.uuid, include_retired=True)
    if number is None:
        number = max((s.number for s in existing), default=0) + 1
    if any(s.number == number and not s.retired for s in existing):
        raise InvalidInput(f"{framework.name} already has a standard {number}.")
    lineage = f"custom-{new_uuid()}"
    return uow.create(
        S11Standard,
        uuid=standard_id(framework.uuid, lineage),
        framework_uuid=framework.uuid,
        number=number,
        title=title.strip(),
        good_practice=good_practice.strip(),
        questions=_texts(questions),
        evidence_prompts=_texts(evidence_prompts),
        lineage=lineage,
        retired=False,
        summary=f"Added standard {number} to {framework.name}",
    )


def edit_standard(
    uow: UnitOfWork,
    standard_uuid: str,
    *,
    title: str | None = None,
    number: int | None = None,
    good_practice: str | None = None,
    questions: list[str] | None = None,
    evidence_prompts: list[str] | None = None,
) -> bool:
    standard = get_standard(uow.session, standard_uuid)
    changes: dict[str, Any] = {}
    if title is not None:
        if not title.strip():
            raise InvalidInput("A standard needs a title.")
        changes["title"] = title.strip()
    if number is not None and number != standard.number:
        if any(s.number == number for s in standards_of(uow.session, standard.framework_uuid)):
            raise InvalidInput(f"The framework already has a standard {number}.")
        changes["number"] = number
    if good_practice is not None:
        changes["good_practice"] = good_practice.strip()
    if questions is not None:
        changes["questions"] = _texts(questions)
    if evidence_prompts is not None:
        changes["evidence_prompts"] = _texts(evidence_prompts)
    return uow.update(standard, summary=f"Edited Section 11 standard {standard.number}", **changes)


def retire_standard(uow: UnitOfWork, standard_uuid: str, retired: bool = True) -> bool:
    """Retire (or bring back) a standard: kept for past cycles, left out of new returns."""
    standard = get_standard(uow.session, standard_uuid)
    return uow.update(
        standard,
        retired=retired,
        summary=f"{'Retired' if retired else 'Restored'} Section 11 standard {standard.number}",
    )


def copy_framework(
    uow: UnitOfWork, framework_uuid: str, *, version_label: str, name: str | None = None
) -> S11Framework:
    """Copy a framework forward (e.g. for a new cycle); standards keep their lineage."""
    source = get_framework(uow.session, framework_uuid)
    if not version_label.strip():
        raise InvalidInput("Give the copy a version label, e.g. 2026-27.")
    new_name = (name or source.name).strip()
    for other in uow.session.scalars(live(S11Framework)):
        if (
            other.name.casefold() == new_name.casefold()
            and other.version_label.casefold() == version_label.strip().casefold()
        ):
            raise InvalidInput(f"There is already a framework {new_name} ({version_label.strip()}).")
    copy = uow.create(
        S11Framework,
        name=new_name,
        version_label=version_label.strip(),
        description=source.description,
        kind="custom",
        based_on_uuid=source.uuid,
        retired=False,
        summary=f"Copied framework {source.name} as {version_label.strip()}",
    )
    for standard in standards_of(uow.session, source.uuid):
        uow.create(
            S11Standard,
            uuid=standard_id(copy.uuid, standard.lineage),
            framework_uuid=copy.uuid,
            number=standard.number,
            title=standard.title,
            good_practice=standard.good_practice,
            questions=list(standard.questions or []),
            evidence_prompts=list(standard.evidence_prompts or []),
            lineage=standard.lineage,
            retired=False,
            audit=False,
        )
    return copy


def retire_framework(uow: UnitOfWork, framework_uuid: str, retired: bool = True) -> bool:
    framework = get_framework(uow.session, framework_uuid)
    return uow.update(framework, retired=retired, summary=f"{'Retired' if retired else 'Restored'} {framework.name}")


def all_standards(session: Session) -> dict[str, S11Standard]:
    return {s.uuid: s for s in session.scalars(select(S11Standard))}

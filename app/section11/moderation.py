"""Self-assessment scores and the QA panel's moderation of them.

Both scores stay visible side by side. A moderated score that differs from the
agency's own needs a rationale (so the agency can be told why); every
moderation is audited with the before and after values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.records import UnitOfWork
from app.section11 import status as st
from app.section11.cycles import (
    advance,
    assessments_of,
    cycle_scale,
    get_cycle,
    get_or_create_assessment,
    get_participant,
    previous_participant,
)
from app.section11.frameworks import get_standard, standards_of
from app.section11.scales import RAG_LABELS, Scale
from db.models.core import Agency
from db.models.section11 import S11Assessment, S11Participant, S11Standard

#: a rationale shorter than this is not a reason ("no", "x")
MIN_RATIONALE = 10


@dataclass(frozen=True)
class AssessmentRow:
    """One standard of one agency's return, as the moderation and interview screens show it."""

    standard_uuid: str
    number: int
    title: str
    good_practice: str
    self_score: int | None
    self_text: str
    moderated_score: int | None
    moderated_text: str
    #: RAG of the moderated score (the self score when not moderated yet, its words then saying "(agency's own)")
    rag: str
    rag_text: str
    differs: bool
    rationale: str
    moderated_by: str
    moderated_on: date | None
    evidence: str
    impact: str
    improvement: str
    target_date: date | None
    carried_forward: bool
    #: last cycle's moderated (or self) score on this standard, in words; "" when none
    last_cycle_text: str
    last_cycle_score: int | None
    #: the rule a merge left this score breaking, until a person settles it (docs/merge.md); "" when none
    unsettled: str = ""


def rationale_needed(self_score: int | None, moderated_score: int | None) -> bool:
    """A moderated score needs a reason when it differs from the agency's own (or the agency gave none)."""
    return moderated_score is not None and moderated_score != self_score


def check_rationale(self_score: int | None, moderated_score: int | None, rationale: str, scale: Scale) -> str:
    text = rationale.strip()
    if rationale_needed(self_score, moderated_score) and len(text) < MIN_RATIONALE:
        raise InvalidInput(
            f"The moderated score {scale.short(moderated_score)} differs from the agency's own "
            f"({scale.short(self_score)}): give the panel's rationale (at least {MIN_RATIONALE} characters)."
        )
    return text


def _names(session: Session, participant: S11Participant, standard: S11Standard) -> str:
    agency = session.get(Agency, participant.agency_uuid)
    return f"{agency.short_name if agency else 'agency'} standard {standard.number}"


def moderate(
    uow: UnitOfWork,
    participant_uuid: str,
    standard_uuid: str,
    score: int | None,
    rationale: str = "",
    *,
    moderated_by: str = "",
    today: date | None = None,
) -> S11Assessment:
    """Record the panel's score for one standard; None clears it. Moves the agency to 'moderated'
    once every standard in use has a moderated score."""
    participant = get_participant(uow.session, participant_uuid)
    cycle = get_cycle(uow.session, participant.cycle_uuid)
    scale = cycle_scale(cycle)
    standard = get_standard(uow.session, standard_uuid)
    if standard.framework_uuid != cycle.framework_uuid:
        raise InvalidInput("That standard is not part of this cycle's framework.")
    if score is not None:
        scale.level(score)
    assessment = get_or_create_assessment(uow, participant, standard.uuid)
    text = check_rationale(assessment.self_score, score, rationale, scale)
    uow.update(
        assessment,
        moderated_score=score,
        rationale=text,
        moderated_by=moderated_by.strip(),
        moderated_on=(today or date.today()) if score is not None else None,
        summary=f"Moderated {_names(uow.session, participant, standard)}: self {scale.short(assessment.self_score)}, "
        f"moderated {scale.short(score)}",
    )
    if score is not None:
        live_standards = {s.uuid for s in standards_of(uow.session, cycle.framework_uuid)}
        scored = assessments_of(uow.session, participant.uuid)
        if all(scored.get(s) is not None and scored[s].moderated_score is not None for s in live_standards):
            advance(uow, participant, st.MODERATED, today=today)
    return assessment


def record_self_assessment(
    uow: UnitOfWork,
    participant_uuid: str,
    standard_uuid: str,
    *,
    score: int | None,
    evidence: str | None = None,
    impact: str | None = None,
    improvement: str | None = None,
    target_date: date | None = None,
) -> S11Assessment:
    """Type in (or correct) an agency's own answer for one standard, e.g. from a paper return."""
    participant = get_participant(uow.session, participant_uuid)
    cycle = get_cycle(uow.session, participant.cycle_uuid)
    scale = cycle_scale(cycle)
    standard = get_standard(uow.session, standard_uuid)
    if score is not None:
        scale.level(score)
    assessment = get_or_create_assessment(uow, participant, standard.uuid)
    changes: dict[str, Any] = {"self_score": score, "carried_forward": False, "target_date": target_date}
    for name, value in (("evidence", evidence), ("impact", impact), ("improvement", improvement)):
        if value is not None:
            changes[name] = value.strip()
    uow.update(
        assessment, summary=f"Self-assessment of {_names(uow.session, participant, standard)} recorded", **changes
    )
    return assessment


def _score_of(assessment: S11Assessment | None) -> int | None:
    if assessment is None:
        return None
    return assessment.moderated_score if assessment.moderated_score is not None else assessment.self_score


def assessment_rows(session: Session, participant_uuid: str) -> list[AssessmentRow]:
    """Every standard in use for this agency, in order, with both scores and last cycle's result."""
    from app.exchange.service import unsettled_rule_breaches  # the bundles layer, only when rows are shown

    participant = get_participant(session, participant_uuid)
    cycle = get_cycle(session, participant.cycle_uuid)
    scale = cycle_scale(cycle)
    mine = assessments_of(session, participant.uuid)
    last: dict[str, S11Assessment] = {}
    last_scale: Scale | None = None
    before = previous_participant(session, participant)
    if before is not None:
        last_scale = cycle_scale(get_cycle(session, before.cycle_uuid))
        for assessment in assessments_of(session, before.uuid).values():
            standard = session.get(S11Standard, assessment.standard_uuid)
            if standard is not None:
                last[standard.lineage] = assessment
    unsettled = unsettled_rule_breaches(session, S11Assessment.__tablename__)
    rows = []
    for standard in standards_of(session, cycle.framework_uuid):
        a = mine.get(standard.uuid)
        self_score = a.self_score if a else None
        moderated = a.moderated_score if a else None
        shown = moderated if moderated is not None else self_score
        rag = scale.rag(shown)
        previous = last.get(standard.lineage)
        previous_score = _score_of(previous)
        rows.append(
            AssessmentRow(
                standard.uuid,
                standard.number,
                standard.title,
                standard.good_practice,
                self_score,
                scale.label(self_score),
                moderated,
                scale.label(moderated) if moderated is not None else "Not moderated",
                rag,
                # the agency's own RAG until the panel moderates: said in words, as the colour cannot say it
                RAG_LABELS[rag] + (" (agency's own)" if moderated is None and self_score is not None else ""),
                rationale_needed(self_score, moderated),
                a.rationale if a else "",
                a.moderated_by if a else "",
                a.moderated_on if a else None,
                a.evidence if a else "",
                a.impact if a else "",
                a.improvement if a else "",
                a.target_date if a else None,
                bool(a and a.carried_forward),
                last_scale.label(previous_score) if (last_scale and previous_score is not None) else "",
                previous_score,
                unsettled.get(a.uuid, "") if a else "",
            )
        )
    return rows

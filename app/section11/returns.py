"""Agency returns without the app: an XLSX template per agency, and importing it back.

The template (app.office.return_workbook) has one row per standard in use, with
the guidance, a dropdown for the score, evidence, evidence of impact, areas for
improvement and a target date; structure protected; a very hidden sheet names the
cycle, agency and each row's standard. Last cycle's answers are carried forward
(same standard lineage) and marked as such in a locked column.

Importing checks everything before writing anything, and reports problems by
row and column (app.office.validation_report): the wrong cycle or agency, a
changed, unknown, repeated or missing standard, a score outside the scale, a date
that does not parse. One transaction; `dry_run` writes nothing; a re-import lists
what changes (self-assessed score 2 -> 3 ...) before it replaces anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.agencies import agency_by_uuid
from app.clock import impossible_day, uk
from app.errors import InvalidInput
from app.office.return_workbook import (
    Column,
    ReadReturn,
    ReturnIdentity,
    ReturnSheet,
    build_return,
    iter_references,
    read_return_bytes,
    read_return_file,
)
from app.office.validation_report import ValidationReport
from app.records import UnitOfWork
from app.records.live import live_record
from app.section11 import status as st
from app.section11.cycles import (
    advance,
    assessments_of,
    cycle_scale,
    get_cycle,
    get_or_create_assessment,
    get_participant,
    participants,
    previous_participant,
)
from app.section11.frameworks import standards_of
from db.base import live
from db.models.section11 import (
    MAX_S11_FILE_BYTES,
    S11Assessment,
    S11Cycle,
    S11EvidenceFile,
    S11Participant,
    S11Standard,
)

RETURN_KIND = "section11-return"
REF, STANDARD, GUIDANCE, SCORE = "Ref", "Standard", "What good looks like and questions", "Self-assessed score"
EVIDENCE, IMPACT, IMPROVEMENT, TARGET = "Evidence", "Evidence of impact", "Areas for improvement", "Target date"
FILES, CARRIED = "Evidence files (names)", "Carried forward"
HEADINGS = [REF, STANDARD, GUIDANCE, SCORE, EVIDENCE, IMPACT, IMPROVEMENT, TARGET, FILES, CARRIED]
#: answer columns and the assessment field each fills
ANSWER_FIELDS = {EVIDENCE: "evidence", IMPACT: "impact", IMPROVEMENT: "improvement"}
CARRIED_MARK = "Yes: last cycle's answer, please check and update"
FIELD_LABELS = {
    "self_score": SCORE,
    "evidence": EVIDENCE,
    "impact": IMPACT,
    "improvement": IMPROVEMENT,
    "target_date": TARGET,
}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")


def reference(standard: S11Standard) -> str:
    return f"S{standard.number}"


def _guidance(standard: S11Standard) -> str:
    parts = [standard.good_practice.strip()]
    if standard.questions:
        parts.append("Questions:\n" + "\n".join(f"- {q}" for q in standard.questions))
    if standard.evidence_prompts:
        parts.append("Evidence you might give:\n" + "\n".join(f"- {p}" for p in standard.evidence_prompts))
    return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Prefill:
    score: int | None
    evidence: str
    impact: str
    improvement: str
    target_date: date | None
    carried: bool


def _prefill(session: Session, participant: S11Participant) -> dict[str, Prefill]:
    """Standard uuid -> what the template shows: this cycle's answers, else last cycle's (carried forward)."""
    cycle = get_cycle(session, participant.cycle_uuid)
    current = assessments_of(session, participant.uuid)
    last_by_lineage: dict[str, S11Assessment] = {}
    before = previous_participant(session, participant)
    if before is not None:
        for a in assessments_of(session, before.uuid).values():
            standard = session.get(S11Standard, a.standard_uuid)
            if standard is not None:
                last_by_lineage[standard.lineage] = a
    out = {}
    for standard in standards_of(session, cycle.framework_uuid):
        a = current.get(standard.uuid)  # type: ignore[assignment]  # None is handled just below
        if a is not None and (a.self_score is not None or a.evidence or a.impact or a.improvement):
            out[standard.uuid] = Prefill(
                a.self_score, a.evidence, a.impact, a.improvement, a.target_date, a.carried_forward
            )
            continue
        old = last_by_lineage.get(standard.lineage)
        if old is not None:
            out[standard.uuid] = Prefill(old.self_score, old.evidence, old.impact, old.improvement, None, True)
    return out


def template_bytes(session: Session, participant_uuid: str, today: date | None = None) -> bytes:
    """The agency's return as XLSX bytes (nothing written anywhere)."""
    participant = get_participant(session, participant_uuid)
    cycle = get_cycle(session, participant.cycle_uuid)
    agency = agency_by_uuid(session, participant.agency_uuid)
    scale = cycle_scale(cycle)
    standards = standards_of(session, cycle.framework_uuid)
    if not standards:
        raise InvalidInput(f"The framework of {cycle.name} has no standards in use.")
    prefill = _prefill(session, participant)
    # a dropdown list is comma-separated in the file: a label with a comma would split in two
    labels = [level.label for level in scale.levels]
    choices = tuple(labels if not any("," in label for label in labels) else [ln.short for ln in scale.levels])
    columns = [
        Column(REF, 6),
        Column(STANDARD, 28),
        Column(GUIDANCE, 48),
        Column(SCORE, 22, answer=True, choices=choices),
        Column(EVIDENCE, 40, answer=True),
        Column(IMPACT, 36, answer=True),
        Column(IMPROVEMENT, 32, answer=True),
        Column(TARGET, 13, answer=True, kind="date", wrap=False),
        Column(FILES, 22, answer=True),
        Column(CARRIED, 18),
    ]
    rows = []
    for standard in standards:
        p = prefill.get(standard.uuid)
        rows.append(
            [
                reference(standard),
                f"{standard.number}. {standard.title}",
                _guidance(standard),
                (scale.label(p.score) if "," not in scale.label(p.score) else scale.short(p.score))
                if p and p.score is not None
                else None,
                p.evidence if p else "",
                p.impact if p else "",
                p.improvement if p else "",
                p.target_date if p else None,
                "",
                CARRIED_MARK if p and p.carried else "",
            ]
        )
    due = f" by {uk(cycle.return_due)}" if cycle.return_due else ""
    intro = [
        f"Agency: {agency.name}. Cycle: {cycle.name} ({uk(cycle.period_start)} to {uk(cycle.period_end)}).",
        f"Please fill in the yellow cells and return this workbook{due}. Scores: "
        + "; ".join(level.label for level in scale.levels)
        + ".",
        (
            "Rows marked 'Carried forward' show last cycle's answer: check and update them. Dates as dd/mm/yyyy. "
            "Do not change the Ref column; you may sort rows or resize them."
        ),
    ]
    sheet = ReturnSheet(f"Section 11 self-assessment: {agency.name}", columns, rows, intro)
    identity = ReturnIdentity(
        RETURN_KIND,
        {
            "cycle": cycle.uuid,
            "agency": agency.uuid,
            "participant": participant.uuid,
            "framework": cycle.framework_uuid,
            "scale": cycle.scale_key,
            "cycle_name": cycle.name,
            "agency_name": agency.name,
        },
        {reference(s): s.uuid for s in standards},
    )
    return build_return(sheet, identity)


def template_filename(session: Session, participant_uuid: str) -> str:
    participant = get_participant(session, participant_uuid)
    agency = agency_by_uuid(session, participant.agency_uuid)
    cycle = get_cycle(session, participant.cycle_uuid)
    safe = "".join(
        ch if ch.isalnum() or ch in "-_" else "-" for ch in f"{cycle.name}-{agency.short_name or agency.name}"
    )
    return f"S11-return-{safe.strip('-')}.xlsx"


def mark_sent(uow: UnitOfWork, participant_uuid: str, today: date | None = None) -> bool:
    participant = get_participant(uow.session, participant_uuid)
    changed = False
    if participant.sent_on is None:
        changed = uow.update(participant, sent_on=today or date.today(), summary="Section 11 return sent")
    return advance(uow, participant, st.SENT, today=today) or changed


# -- import ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowAnswer:
    row: int
    standard_uuid: str
    self_score: int | None
    values: dict[str, Any]
    carried_marked: bool
    files: tuple[str, ...]


@dataclass
class ReturnPreview:
    """A return read and checked against the workspace; nothing written."""

    report: ValidationReport
    participant_uuid: str | None = None
    agency: str = ""
    answers: list[RowAnswer] = field(default_factory=list)
    #: "S3 Self-assessed score: 2 -> 3" for a re-import
    changes: list[str] = field(default_factory=list)
    reimport: bool = False
    sha256: str = ""
    missing_columns: list[str] = field(default_factory=list)
    #: the very file imported last time (same SHA-256): importing it again writes nothing
    same_file: bool = False

    @property
    def ok(self) -> bool:
        return not self.report.has_errors


@dataclass(frozen=True)
class ReturnImportResult:
    report: ValidationReport
    agency: str
    written: bool
    changes: tuple[str, ...]
    standards: int
    files: int


def _parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if text.startswith("'") and len(text) > 1 and text[1] in "=+-@" else text


def read_completed_return(session: Session, cycle_uuid: str, data: bytes, source_name: str) -> ReturnPreview:
    """Read and check a completed return against the cycle; report every problem by row and column."""
    cycle = get_cycle(session, cycle_uuid)
    scale = cycle_scale(cycle)
    read: ReadReturn = read_return_bytes(data, source_name, RETURN_KIND, HEADINGS)
    report = ValidationReport(source_name)
    preview = ReturnPreview(report, sha256=hashlib.sha256(data).hexdigest(), missing_columns=list(read.missing_columns))
    ids = read.identity.identities
    if ids.get("cycle") != cycle.uuid:
        own = session.get(S11Cycle, ids.get("cycle") or "")
        if own is not None and not own.is_deleted:
            report.error(
                None,
                None,
                f"this return is for the cycle {own.name!r}, not {cycle.name!r}; import it into its own cycle",
            )
        else:  # a template saved from another workspace (often with the same cycle name), or a cycle removed
            report.error(
                None,
                None,
                f"this return was made for a cycle {ids.get('cycle_name') or '(unnamed)'!r} that is not in this "
                "workspace (a template saved from another workspace, or a cycle since removed); send the agency "
                f"a template saved from {cycle.name!r} here",
            )
        return preview
    participant = session.get(S11Participant, ids.get("participant", ""))
    if (
        participant is None
        or participant.is_deleted
        or participant.cycle_uuid != cycle.uuid
        or participant.agency_uuid != ids.get("agency")
    ):
        found = [p for p in participants(session, cycle.uuid) if p.agency_uuid == ids.get("agency")]
        if not found:
            report.error(
                None,
                None,
                f"{ids.get('agency_name') or 'the agency'} named in this return does not take part in {cycle.name}",
            )
            return preview
        participant = found[0]
    agency = agency_by_uuid(session, participant.agency_uuid)
    preview.participant_uuid, preview.agency = participant.uuid, agency.name
    for heading in (REF, SCORE):
        if heading in read.missing_columns:
            report.error(
                None,
                heading,
                "this column was deleted or renamed; the return cannot be read without it "
                "(send the agency a new template)",
            )
    if report.has_errors:
        return preview
    for heading in read.missing_columns:
        if heading in ANSWER_FIELDS or heading in (TARGET,):
            report.warning(None, heading, "this column was deleted; what the workspace holds for it is kept")
    live_standards = {s.uuid: s for s in standards_of(session, cycle.framework_uuid)}
    seen: dict[str, int] = {}
    for number, ref, values in iter_references(read, REF):
        if ref is None:
            filled = [h for h in HEADINGS[3:9] if read.value(values, h) not in (None, "")]
            if filled:
                report.warning(number, REF, "a row without a standard reference (added by hand?) was ignored")
            continue
        ref = ref.strip().upper()
        standard_uuid = read.identity.rows.get(ref)
        if standard_uuid is None:
            report.error(number, REF, f"{ref!r} is not a standard of this return (was the reference changed?)")
            continue
        if standard_uuid not in live_standards:
            report.error(
                number,
                REF,
                f"standard {ref} has been retired or changed since the template was made; "
                "send the agency a new template",
            )
            continue
        if ref in seen:
            report.error(number, REF, f"standard {ref} appears twice (also row {seen[ref]})")
            continue
        seen[ref] = number
        raw_score = read.value(values, SCORE)
        # every cell of the row is checked (a bad score used to hide a bad date on the same row, so the
        # agency corrected one, sent the return again, and only then heard of the other)
        row_ok = True
        score: int | None = None
        try:
            score = scale.parse(raw_score)
        except InvalidInput:
            report.error(
                number,
                SCORE,
                f"{_text(raw_score)!r} is not on the scale ({', '.join(ln.short for ln in scale.levels)})",
            )
            row_ok = False
        answer_values: dict[str, Any] = {}
        for heading, name in ANSWER_FIELDS.items():
            if heading in read.columns:
                answer_values[name] = _text(read.value(values, heading))
        if TARGET in read.columns:
            try:
                answer_values["target_date"] = _parse_date(read.value(values, TARGET))
            except ValueError as exc:
                reason = impossible_day(exc.args[0])
                report.error(
                    number,
                    TARGET,
                    f"{exc.args[0]!r} is not a date" + (f": {reason}" if reason else "; write it as dd/mm/yyyy"),
                )
                row_ok = False
        if not row_ok:
            continue
        files = (
            tuple(f.strip() for f in _text(read.value(values, FILES)).replace(";", ",").split(",") if f.strip())
            if FILES in read.columns
            else ()
        )
        carried = _text(read.value(values, CARRIED)).startswith("Yes") if CARRIED in read.columns else False
        preview.answers.append(RowAnswer(number, standard_uuid, score, answer_values, carried, files))
    by_uuid = {s.uuid: ref for ref, s in ((reference(s), s) for s in live_standards.values())}
    for uuid, standard in sorted(live_standards.items(), key=lambda kv: kv[1].number):
        if by_uuid[uuid] not in seen and uuid in read.identity.rows.values():
            report.error(
                None,
                REF,
                f"standard {by_uuid[uuid]} ({standard.title}) is missing from the return (was its row deleted?)",
            )
        elif uuid not in read.identity.rows.values():
            report.error(
                None,
                REF,
                f"standard {by_uuid[uuid]} ({standard.title}) was added to the framework after "
                "this template was made; send the agency a new template",
            )
    current = assessments_of(session, participant.uuid)
    preview.reimport = participant.return_version > 0
    preview.same_file = bool(participant.return_sha256) and participant.return_sha256 == preview.sha256
    if preview.same_file:  # said before Import is pressed, not only after (when it said "imported")
        report.warning(None, None, "this exact file was imported before; importing it again changes nothing")
    for answer in preview.answers:
        old = current.get(answer.standard_uuid)
        ref = reference(live_standards[answer.standard_uuid])
        new_fields = {"self_score": answer.self_score, **answer.values}
        for name, new in new_fields.items():
            before = getattr(old, name) if old is not None else (None if name in ("self_score", "target_date") else "")
            if before != new and (preview.reimport or (old is not None and before not in (None, ""))):
                shown_old = (
                    scale.short(before)  # type: ignore[arg-type]  # a score field holds an int
                    if name == "self_score"
                    else (uk(before) if isinstance(before, date) else before)
                )
                shown_new = scale.short(new) if name == "self_score" else (uk(new) if isinstance(new, date) else new)
                preview.changes.append(f"{ref} {FIELD_LABELS[name]}: {_short(shown_old)} -> {_short(shown_new)}")
                report.change(answer.row, FIELD_LABELS[name], f"{_short(shown_old)} -> {_short(shown_new)}")
        if old is not None and old.moderated_score is not None and old.self_score != answer.self_score:
            report.warning(
                answer.row,
                SCORE,
                f"{ref} was already moderated ({scale.short(old.moderated_score)}); "
                "the moderation is kept: check it against the new self-assessment",
            )
    report.counts = {"standards": len(preview.answers), "changes": len(preview.changes)}
    return preview


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return repr(text[:60] + ("..." if len(text) > 60 else "")) if text else "(blank)"


def import_return(
    uow: UnitOfWork,
    cycle_uuid: str,
    path: Path,
    *,
    dry_run: bool = False,
    today: date | None = None,
    added_by: str = "",
) -> ReturnImportResult:
    """Check the return, then (unless dry_run or any error) write it all in this unit of work.

    Evidence files the return names are attached when found beside the return file.
    """
    path = Path(path)
    return import_checked_return(
        uow, cycle_uuid, read_return_file(path), path, dry_run=dry_run, today=today, added_by=added_by
    )


def import_checked_return(
    uow: UnitOfWork,
    cycle_uuid: str,
    data: bytes,
    path: Path,
    *,
    dry_run: bool = False,
    today: date | None = None,
    added_by: str = "",
) -> ReturnImportResult:
    """`import_return` of the bytes a report was shown from (`path` names them and the folder of their evidence
    files), not the file read again: a file saved over in between would import answers no report showed. Checked
    again inside this unit of work against what is stored now."""
    path = Path(path)
    preview = read_completed_return(uow.session, cycle_uuid, data, path.name)
    files = _evidence_files(preview, path.parent)
    if not preview.ok or dry_run:
        return ReturnImportResult(
            preview.report, preview.agency, False, tuple(preview.changes), len(preview.answers), len(files)
        )
    if preview.same_file:  # the report says so already
        return ReturnImportResult(preview.report, preview.agency, False, (), len(preview.answers), 0)
    apply_preview(uow, preview, files=files, today=today, added_by=added_by)
    return ReturnImportResult(
        preview.report, preview.agency, True, tuple(preview.changes), len(preview.answers), len(files)
    )


def _evidence_files(preview: ReturnPreview, folder: Path) -> list[tuple[str | None, str, bytes]]:
    found = []
    for answer in preview.answers:
        for name in answer.files:
            candidate = folder / Path(name).name
            if not candidate.is_file():
                preview.report.warning(
                    answer.row, FILES, f"evidence file {name!r} was not found beside the return; attach it later"
                )
                continue
            if candidate.stat().st_size > MAX_S11_FILE_BYTES:
                preview.report.warning(
                    answer.row,
                    FILES,
                    f"evidence file {name!r} is over {MAX_S11_FILE_BYTES // 1048576} MiB and was not attached",
                )
                continue
            found.append((answer.standard_uuid, candidate.name, candidate.read_bytes()))
    return found  # type: ignore[return-value]  # a standard uuid is never None here


def apply_preview(
    uow: UnitOfWork,
    preview: ReturnPreview,
    *,
    files: Sequence[tuple[str | None, str, bytes]] = (),
    today: date | None = None,
    added_by: str = "",
) -> None:
    """Write a checked return (from `read_completed_return`) in the caller's unit of work."""
    if not preview.ok or preview.participant_uuid is None:
        raise InvalidInput(preview.report.first_error() or "The return has errors; nothing was imported.")
    participant = get_participant(uow.session, preview.participant_uuid)
    carried = _prefill(uow.session, participant)
    for answer in preview.answers:
        assessment = get_or_create_assessment(uow, participant, answer.standard_uuid)
        changes: dict[str, Any] = {"self_score": answer.self_score, **answer.values}
        was = carried.get(answer.standard_uuid)
        unchanged = (
            was is not None
            and was.carried
            and was.score == answer.self_score
            and all(
                getattr(was, k) == v for k, v in answer.values.items() if k in ("evidence", "impact", "improvement")
            )
        )
        changes["carried_forward"] = bool(answer.carried_marked and unchanged)
        uow.update(assessment, summary=f"Section 11 return imported ({preview.report.source_name})", **changes)
    stamp_today = today or date.today()
    for standard_uuid, name, content in files:
        uow.create(
            S11EvidenceFile,
            participant_uuid=participant.uuid,
            standard_uuid=standard_uuid,
            filename=name,
            size=len(content),
            content=content,
            added_on=stamp_today,
            added_by=added_by,
            summary=f"Evidence file {name} attached from a Section 11 return",
        )
    uow.update(
        participant,
        returned_on=stamp_today,
        return_version=participant.return_version + 1,
        return_sha256=preview.sha256,
        summary=f"Section 11 return imported ({preview.report.source_name})",
    )
    advance(uow, participant, st.RETURNED, today=today)


def evidence_files(session: Session, participant_uuid: str) -> list[tuple[str, str, int, str | None]]:
    """(uuid, filename, size, standard uuid) of the agency's stored evidence files."""
    return [
        (f.uuid, f.filename, f.size, f.standard_uuid)
        for f in session.scalars(
            live(S11EvidenceFile)
            .where(S11EvidenceFile.participant_uuid == participant_uuid)
            .order_by(S11EvidenceFile.filename)
        )
    ]


def attach_evidence(
    uow: UnitOfWork,
    participant_uuid: str,
    path: Path,
    *,
    standard_uuid: str | None = None,
    added_by: str = "",
    today: date | None = None,
) -> str:
    """Store a file the agency sent as evidence (refused before reading if over the limit); returns its uuid."""
    participant = get_participant(uow.session, participant_uuid)
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Evidence file {path} does not exist.")
    size = path.stat().st_size
    if size > MAX_S11_FILE_BYTES:
        raise InvalidInput(
            f"Evidence file {path.name} is over {MAX_S11_FILE_BYTES // 1048576} MiB; nothing was attached."
        )
    content = path.read_bytes()
    record = uow.create(
        S11EvidenceFile,
        participant_uuid=participant.uuid,
        standard_uuid=standard_uuid,
        filename=path.name,
        size=len(content),
        content=content,
        added_on=today or date.today(),
        added_by=added_by,
        summary=f"Evidence file {path.name} attached to a Section 11 return",
    )
    return record.uuid


def evidence_content(session: Session, file_uuid: str) -> tuple[str, bytes]:
    """(filename, bytes) of a stored evidence file, for "Save a copy" (write it with write_user_file)."""
    record = live_record(session, S11EvidenceFile, file_uuid, "That evidence file is no longer in the workspace.")
    return record.filename, bytes(record.content)

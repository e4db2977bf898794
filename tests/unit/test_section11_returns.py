"""Agency returns: template to import for every demo agency, including returns edited by hand
the way agencies do (extra rows, a sorted sheet, a deleted column), and the refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.errors import InvalidInput
from app.section11 import cycles, returns
from app.section11.moderation import assessment_rows
from app.section11.scales import get_scale
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from db.models.section11 import S11EvidenceFile


@pytest.fixture
def demo(demo_workspace: Workspace) -> Workspace:
    """A private copy of the session's demo workspace (tests/conftest.py)."""
    return demo_workspace


def this_cycle(ws: Workspace) -> cycles.CycleView:
    with ws.reading() as session:
        return cycles.list_cycles(session)[0]


def audit_count(ws: Workspace) -> int:
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def header_row(sheet) -> int:
    return next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Ref")


def column(sheet, heading: str) -> int:
    row = header_row(sheet)
    return next(c for c in range(1, sheet.max_column + 1) if sheet.cell(row, c).value == heading)


def write_template(ws: Workspace, participant_uuid: str, path: Path) -> Path:
    with ws.reading() as session:
        path.write_bytes(returns.template_bytes(session, participant_uuid))
    return path


def fill(path: Path, answers: dict[str, tuple[str, str, str]], edit: str = "none") -> None:
    """Type answers (score label, evidence, target date) per Ref, then edit the sheet as agencies do."""
    book = load_workbook(path)
    sheet = book["Return"]
    top = header_row(sheet)
    score_col, evidence_col, target_col = (
        column(sheet, "Self-assessed score"),
        column(sheet, "Evidence"),
        column(sheet, "Target date"),
    )
    for row in range(top + 1, sheet.max_row + 1):
        ref = sheet.cell(row, 1).value
        if ref in answers:
            score, evidence, target = answers[ref]
            sheet.cell(row, score_col).value = score
            sheet.cell(row, evidence_col).value = evidence
            sheet.cell(row, target_col).value = target
    if edit == "extra rows":
        sheet.insert_rows(top + 3)
        sheet.cell(top + 3, 2).value = "Our own extra notes row"
        sheet.cell(top + 3, evidence_col).value = "See the annex"
        sheet.cell(sheet.max_row + 2, 1).value = None
        sheet.cell(sheet.max_row + 2, 2).value = "Signed off by the director"
    elif edit == "sorted":
        rows = [
            [sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)] for r in range(top + 1, sheet.max_row + 1)
        ]
        rows.sort(key=lambda values: str(values[score_col - 1] or ""), reverse=True)
        for offset, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                sheet.cell(top + offset, c).value = value
    elif edit == "deleted column":
        sheet.delete_cols(column(sheet, "Evidence of impact"))
    book.save(path)


EDITS = ["none", "extra rows", "sorted", "deleted column"]


def test_round_trip_for_every_agency_with_hand_edits(demo: Workspace, tmp_path: Path) -> None:
    cycle = this_cycle(demo)
    with demo.reading() as session:
        register = cycles.cycle_register(session, cycle.uuid)
        scale = cycles.cycle_scale(cycles.get_cycle(session, cycle.uuid))
        impact_before = {
            r.participant_uuid: {a.standard_uuid: a.impact for a in assessment_rows(session, r.participant_uuid)}
            for r in register
        }
    assert len(register) == 8
    for index, row in enumerate(register):
        edit = EDITS[index % len(EDITS)]
        path = write_template(demo, row.participant_uuid, tmp_path / f"{row.short_name}.xlsx")
        with demo.reading() as session:
            standards = assessment_rows(session, row.participant_uuid)
        typed = {
            f"S{s.number}": (
                scale.label((s.number + index) % 4),
                f"{row.short_name} evidence {s.number}",
                "01/09/2027" if s.number % 2 else "",
            )
            for s in standards
        }
        fill(path, typed, edit)
        with demo.unit_of_work() as uow:
            result = returns.import_return(uow, cycle.uuid, path, today=date(2026, 12, 1))
        assert result.written and not result.report.has_errors, result.report.to_text()
        if edit == "extra rows":
            assert any("without a standard reference" in i.message for i in result.report.issues)
        if edit == "deleted column":
            assert any(i.column == "Evidence of impact" and "kept" in i.message for i in result.report.issues)
        with demo.reading() as session:
            stored = {f"S{a.number}": a for a in assessment_rows(session, row.participant_uuid)}
            status = next(
                r for r in cycles.cycle_register(session, cycle.uuid) if r.participant_uuid == row.participant_uuid
            )
        for ref, (label, evidence, target) in typed.items():
            assert stored[ref].self_text == label, (row.short_name, edit, ref)
            assert stored[ref].evidence == evidence
            assert stored[ref].target_date == (date(2027, 9, 1) if target else None)
            if edit == "deleted column":
                assert stored[ref].impact == impact_before[row.participant_uuid][stored[ref].standard_uuid]
        assert status.status in ("returned", "moderated", "interview_booked", "interviewed")


def test_last_cycle_answers_are_carried_forward_and_marked(demo: Workspace, tmp_path: Path) -> None:
    cycle = this_cycle(demo)
    with demo.reading() as session:
        school = cycles.find_participant(session, cycle.uuid, "School").uuid
    path = write_template(demo, school, tmp_path / "school.xlsx")
    sheet = load_workbook(path)["Return"]
    top, carried = header_row(sheet), column(sheet, "Carried forward")
    dropdown = next(v for v in sheet.data_validations.dataValidation if v.type == "list")
    assert dropdown.formula1.strip('"').split(",") == [level.label for level in get_scale("score-0-3").levels]
    marks = {sheet.cell(r, 1).value: sheet.cell(r, carried).value for r in range(top + 1, sheet.max_row + 1)}
    assert all(marks[f"S{n}"] == returns.CARRIED_MARK for n in range(1, 9))
    assert not marks["S9"]  # the standard added this year has no past answer
    assert sheet.cell(top + 1, column(sheet, "Self-assessed score")).value  # last year's score is there
    fill(
        path, {"S2": ("1 - Partly in place", "New evidence", ""), "S9": ("2 - Mostly in place", "Children's panel", "")}
    )
    with demo.unit_of_work() as uow:
        returns.import_return(uow, cycle.uuid, path)
    with demo.reading() as session:
        rows = {a.number: a for a in assessment_rows(session, school)}
    assert rows[1].carried_forward and not rows[2].carried_forward and not rows[9].carried_forward


def test_refusals_name_row_and_column_and_write_nothing(demo: Workspace, tmp_path: Path) -> None:
    cycle = this_cycle(demo)
    with demo.reading() as session:
        probation = cycles.find_participant(session, cycle.uuid, "Probation").uuid
        last = cycles.list_cycles(session)[1]
    path = write_template(demo, probation, tmp_path / "probation.xlsx")
    fill(path, {"S1": ("3", "ok", ""), "S2": ("7", "", ""), "S3": ("2", "", "31/02/2027")})
    book = load_workbook(path)
    sheet = book["Return"]
    top = header_row(sheet)
    sheet.cell(top + 4, 1).value = "S1"  # S4 becomes a second S1
    sheet.delete_rows(top + 6)  # S6 gone
    book.save(path)
    before = audit_count(demo)
    with demo.unit_of_work() as uow:
        result = returns.import_return(uow, cycle.uuid, path)
    text = result.report.to_text()
    assert not result.written
    assert f"row {top + 2}, column 'Self-assessed score': error: '7' is not on the scale" in text
    assert f"row {top + 3}, column 'Target date': error: '31/02/2027' is not a date: February 2027 has 28 days" in text
    assert "standard S1 appears twice" in text
    assert "standard S4" in text and "standard S6" in text and "missing from the return" in text
    with demo.unit_of_work() as uow:
        wrong = returns.import_return(uow, last.uuid, path)
    assert "not 'Section 11 audit" in wrong.report.to_text() or "is for the cycle" in wrong.report.to_text()
    assert audit_count(demo) == before
    with pytest.raises(InvalidInput, match="not an Excel workbook"):
        bad = tmp_path / "bad.xlsx"
        bad.write_text("nope")
        with demo.unit_of_work() as uow:
            returns.import_return(uow, cycle.uuid, bad)


def test_reimport_lists_changes_before_replacing_and_attaches_evidence(demo: Workspace, tmp_path: Path) -> None:
    cycle = this_cycle(demo)
    with demo.reading() as session:
        probation = cycles.find_participant(session, cycle.uuid, "Probation").uuid
    folder = tmp_path / "from-probation"
    folder.mkdir()
    path = write_template(demo, probation, folder / "probation.xlsx")
    (folder / "audit.pdf").write_bytes(b"%PDF-1.4 evidence")
    answers = {f"S{n}": ("2 - Mostly in place", f"evidence {n}", "") for n in range(1, 10)}
    fill(path, answers)
    book = load_workbook(path)
    sheet = book["Return"]
    sheet.cell(header_row(sheet) + 1, column(sheet, "Evidence files (names)")).value = "audit.pdf, missing.docx"
    book.save(path)
    with demo.unit_of_work() as uow:
        first = returns.import_return(uow, cycle.uuid, path)
    assert first.written and first.files == 1
    assert any("missing.docx" in i.message for i in first.report.issues)
    answers["S4"] = ("0 - Not in place", "evidence 4", "")
    fill(path, answers)
    with demo.unit_of_work() as uow:
        preview = returns.import_return(uow, cycle.uuid, path, dry_run=True)
    assert preview.changes == ("S4 Self-assessed score: '2' -> '0'",) and not preview.written
    with demo.reading() as session:
        assert {a.number: a.self_score for a in assessment_rows(session, probation)}[4] == 2
    with demo.unit_of_work() as uow:
        second = returns.import_return(uow, cycle.uuid, path)
    assert second.written
    with demo.reading() as session:
        assert {a.number: a.self_score for a in assessment_rows(session, probation)}[4] == 0
        assert session.scalar(select(func.count()).select_from(S11EvidenceFile)) == 2  # attached twice: two versions
        assert returns.evidence_files(session, probation)[0][1] == "audit.pdf"
    with demo.unit_of_work() as uow:
        again = returns.import_return(uow, cycle.uuid, path)
    assert not again.written and "imported before" in again.report.to_text()


def test_evidence_is_attached_by_hand_and_copied_out_unchanged(demo: Workspace, tmp_path: Path) -> None:
    cycle = this_cycle(demo)
    with demo.reading() as session:
        housing = cycles.find_participant(session, cycle.uuid, "Housing").uuid
    source = tmp_path / "board-minutes.pdf"
    source.write_bytes(b"%PDF-1.4 minutes")
    with demo.unit_of_work() as uow:
        file_uuid = returns.attach_evidence(uow, housing, source, added_by="Chair")
        with pytest.raises(InvalidInput, match="does not exist"):
            returns.attach_evidence(uow, housing, tmp_path / "missing.pdf")
    with demo.reading() as session:
        assert returns.evidence_content(session, file_uuid) == ("board-minutes.pdf", b"%PDF-1.4 minutes")
        assert [f[1] for f in returns.evidence_files(session, housing)] == ["board-minutes.pdf"]


def test_a_row_with_a_bad_score_and_a_bad_date_reports_both(demo: Workspace, tmp_path: Path) -> None:
    """A score off the scale hid a date that does not parse on the same row: the agency corrected the score,
    sent the return again, and only then heard of the date."""
    cycle = this_cycle(demo)
    with demo.reading() as session:
        school = cycles.find_participant(session, cycle.uuid, "School").uuid
    path = write_template(demo, school, tmp_path / "school.xlsx")
    fill(path, {"S1": ("3", "ok", ""), "S2": ("Fully", "", "next June"), "S3": ("4", "", "31/06/2027")})
    top = header_row(load_workbook(path)["Return"])
    before = audit_count(demo)
    with demo.unit_of_work() as uow:
        result = returns.import_return(uow, cycle.uuid, path)
    text = result.report.to_text()
    assert not result.written and audit_count(demo) == before
    assert f"row {top + 2}, column 'Self-assessed score': error: 'Fully' is not on the scale" in text
    assert f"row {top + 2}, column 'Target date': error: 'next June' is not a date" in text
    assert f"row {top + 3}, column 'Self-assessed score': error: '4' is not on the scale" in text
    assert f"row {top + 3}, column 'Target date': error: '31/06/2027' is not a date" in text
    assert "missing from the return" not in text  # the rows are there, only their cells are wrong


def test_a_return_from_another_workspaces_cycle_of_the_same_name_says_so(demo: Workspace, tmp_path: Path) -> None:
    """A template saved from another workspace (its cycle named the same) was refused with "this return is for
    the cycle 'Section 11 audit 2026', not 'Section 11 audit 2026'; import it into its own cycle"."""
    import json

    cycle = this_cycle(demo)
    with demo.reading() as session:
        school = cycles.find_participant(session, cycle.uuid, "School").uuid
        last = cycles.list_cycles(session)[1]
    path = write_template(demo, school, tmp_path / "school.xlsx")
    fill(path, {"S1": ("3", "ok", "")})
    book = load_workbook(path)
    hidden = book["wb_identity"]
    for row in hidden.iter_rows():
        if row[0].value == "identities":
            ids = json.loads(row[1].value)
            ids["cycle"] = "0" * 32  # the same cycle name, made in another workspace
            row[1].value = json.dumps(ids, sort_keys=True)
    book.save(tmp_path / "elsewhere.xlsx")
    with demo.unit_of_work() as uow:
        result = returns.import_return(uow, cycle.uuid, tmp_path / "elsewhere.xlsx")
    text = result.report.to_text()
    assert not result.written
    assert f"not {cycle.name!r}" not in text and "not in this workspace" in text and "another workspace" in text
    with demo.unit_of_work() as uow:  # a return of this workspace, into the other cycle: into its own
        wrong = returns.import_return(uow, last.uuid, path)
    assert f"is for the cycle {cycle.name!r}, not {last.name!r}; import it into its own cycle" in wrong.report.to_text()

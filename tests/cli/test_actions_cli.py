"""`workbench actions ...` end to end, in a subprocess on a real encrypted workspace."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.records import UnitOfWork
from db.models.core import AuditEntry
from db.models.reviews import Recommendation, Review
from tests.helpers.cli import made_workspace, ok, row_count, run

pytestmark = pytest.mark.cli


def _review_with_recommendation(uow: UnitOfWork) -> None:
    review = uow.create(Review, reference="LCSPR-2026-01", kind="lcspr", title="Child A", subject_pseudonym="Child A")
    uow.session.flush()  # the review row must exist before its recommendation's FK is checked
    uow.create(Recommendation, review_uuid=review.uuid, number=3, text="Improve information sharing")


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    agencies = [("Northbridge Children's Social Care", "CSC"), ("Riverside Medical Practice", "GP")]
    return made_workspace(tmp_path / "ws", agencies, then=_review_with_recommendation)


def audit_count(path: Path) -> int:
    return row_count(path, AuditEntry)


def add_csc_action(ws_path: Path, title: str = "t", due: str = "2026-06-01") -> str:
    """`actions add` of an action the CSC owns, which must succeed; its reference."""
    return ok("actions", "add", str(ws_path), "--title", title, "--owner", "CSC", "--due", due).strip()


def close_evidenced(ws_path: Path, *evidence: str) -> None:
    """`actions update ACT-0001` closing it as impact evidenced, approved by Dr Marsh at the QA subgroup of
    June 2026, with these evidence options; it must succeed."""
    ok(
        "actions",
        "update",
        str(ws_path),
        "ACT-0001",
        "--status",
        "closed-impact-evidenced",
        *evidence,
        "--approved-by",
        "Dr Marsh",
        "--meeting",
        "QA subgroup June 2026",
    )


def test_add_update_list_export(ws_path: Path, tmp_path: Path) -> None:
    soon = (date.today() + timedelta(days=10)).strftime("%d/%m/%Y")
    added = ok(
        "actions",
        "add",
        str(ws_path),
        "--title",
        "Share chronologies at strategy meetings",
        "--owner",
        "gp",
        "--due",
        soon,
        "--source",
        "review:LCSPR-2026-01#3",
        "--lead",
        "Dr Patel",
        "--measure",
        "90% of strategy meetings have GP information",
    )
    assert added.strip() == "ACT-0001"
    late = (date.today() - timedelta(days=1)).isoformat()
    assert add_csc_action(ws_path, "Refresh thresholds", late) == "ACT-0002"

    listed = run("actions", "list", str(ws_path), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["reference"]: r for r in json.loads(listed.stdout)}
    assert rows["ACT-0001"]["source_label"] == "LCSPR-2026-01 rec 3"
    assert rows["ACT-0001"]["rag"] == "amber" and rows["ACT-0002"]["rag"] == "red"
    overdue = run("actions", "list", str(ws_path), "--overdue")
    assert [line.split("\t")[0] for line in overdue.stdout.splitlines()] == ["ACT-0002"]
    assert "\tRed\t" in overdue.stdout

    close_evidenced(ws_path, "--progress", "Re-audit done", "--evidence", "GP information at 27 of 30 meetings")
    blue = run("actions", "list", str(ws_path), "--rag", "blue", "--json")
    assert [r["reference"] for r in json.loads(blue.stdout)] == ["ACT-0001"]

    out = tmp_path / "tracker.pdf"
    exported = run("actions", "export", str(ws_path), "--format", "pdf", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "--title", "x", "--owner", "Nowhere", "--due", "2026-06-01"), "Unknown agency 'Nowhere'"),
        (
            ("add", "--title", "x", "--owner", "CSC", "--due", "2026-06-01", "--source", "review:LCSPR-1999-09"),
            "Unknown review 'LCSPR-1999-09'",
        ),
        (("add", "--title", "x", "--owner", "CSC", "--due", "31/02/2026"), "is not a date"),
        (
            ("update", "ACT-0001", "--status", "closed-impact-evidenced", "--progress", "done"),
            "cannot close as impact evidenced without evidence of impact",
        ),
    ],
)
def test_invalid_input_exits_1_with_one_line_and_writes_nothing(
    ws_path: Path, args: tuple[str, ...], message: str
) -> None:
    if args[0] == "update":
        add_csc_action(ws_path)
    before = audit_count(ws_path)
    result = run("actions", args[0], str(ws_path), *args[1:])
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert audit_count(ws_path) == before


def test_update_with_nothing_to_do_is_a_usage_error(ws_path: Path) -> None:
    add_csc_action(ws_path)
    before = audit_count(ws_path)
    result = run("actions", "update", str(ws_path), "ACT-0001")
    assert result.returncode == 2 and "Nothing to do" in result.stderr and result.stdout == ""
    assert audit_count(ws_path) == before


def test_evidence_files_are_attached_and_counted(ws_path: Path, tmp_path: Path) -> None:
    add_csc_action(ws_path, "Re-audit neglect")
    audit_file, survey = tmp_path / "re-audit.pdf", tmp_path / "survey.xlsx"
    audit_file.write_bytes(b"%PDF results")
    survey.write_bytes(b"PK survey")
    close_evidenced(ws_path, "--evidence-file", str(audit_file), "--evidence-file", str(survey))
    [row] = json.loads(run("actions", "list", str(ws_path), "--json").stdout)
    assert row["evidence_files"] == 2 and row["rag"] == "blue"


def test_a_file_over_10_mib_exits_1_naming_file_and_limit(ws_path: Path, tmp_path: Path) -> None:
    add_csc_action(ws_path)
    big = tmp_path / "bodycam.mp4"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    before = audit_count(ws_path)
    result = run(
        "actions", "update", str(ws_path), "ACT-0001", "--progress", "video attached", "--evidence-file", str(big)
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "bodycam.mp4" in result.stderr and "limit is 10 MiB" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert audit_count(ws_path) == before


def test_a_document_named_as_another_kind_is_refused_before_anything_is_written(ws_path: Path, tmp_path: Path) -> None:
    """`--format pdf --out letter.docx` once wrote a PDF under a .docx name and exited 0."""
    out = tmp_path / "actions.docx"
    result = run("actions", "export", str(ws_path), "--format", "pdf", "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "workbench: --out actions.docx ends in .docx but --format is pdf: name the file .pdf or choose --format docx."
    )
    assert not out.exists()
    refused = run("actions", "export", str(ws_path), "--format", "txt", "--out", str(tmp_path / "a.txt"))
    assert refused.returncode == 1 and "invalid choice: 'txt'" in refused.stderr  # a refused value is invalid input

"""`s11 letter` on the command line says what a draft still waits for, as the draft and the letter tab do,
and `--issue` after the interview replaces the opening written before it."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.demo import DEMO_PASSPHRASE
from tests.helpers.cli import ok
from tests.helpers.letters_read import pdf_pages

CYCLE = "Section 11 audit 2026"


def test_a_police_letter_before_the_interview_then_issued_after_it(demo_template: Path, tmp_path: Path) -> None:
    ws = tmp_path / "demo"
    shutil.copytree(demo_template, ws, ignore=shutil.ignore_patterns(".lock"))
    police = ("s11", "letter", str(ws), "--cycle", CYCLE, "--agency", "Police", "--format", "pdf")
    drafted = ok(*police, "--out", str(tmp_path / "draft.pdf"), passphrase=DEMO_PASSPHRASE)
    assert "(draft, not final: Northbridge Police Public Protection Unit has not been interviewed yet)" in (drafted)
    assert "DRAFT - not final" in pdf_pages((tmp_path / "draft.pdf").read_bytes())[-1]
    interview = ("s11", "interview", str(ws), "--cycle", CYCLE, "--agency", "Police", "--on", "2026-11-02")
    ok(*interview, "--held", passphrase=DEMO_PASSPHRASE)
    issued = ok(*police, "--out", str(tmp_path / "issued.pdf"), "--issue", passphrase=DEMO_PASSPHRASE)
    assert "issued" in issued and "not final" not in issued
    text = " ".join(pdf_pages((tmp_path / "issued.pdf").read_bytes()))
    assert "Thank you for meeting the partnership on 2 November 2026" in text
    assert "[Draft prepared before the interview" not in text and "DRAFT" not in text

"""Tests share set-up through tests/helpers, never by importing another test module: such an import runs
that module's tests in a second place, and breaks when the test it borrows from moves (the bench and crash
harnesses are code under test, and may be imported)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
FROM_A_TEST_MODULE = re.compile(r"^\s*(from|import)\s+tests\.(unit|ui|cli|property|packaging)\b", re.M)


def test_no_test_module_imports_another() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}: {match.group(0).strip()}"
        for path in sorted(TESTS.rglob("test_*.py"))
        for match in FROM_A_TEST_MODULE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "import these from tests/helpers instead:\n" + "\n".join(offenders)

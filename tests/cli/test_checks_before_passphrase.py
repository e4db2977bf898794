"""Commands that check their arguments and files before the passphrase is asked (`on_workspace(check=...)`):
a bad argument is refused as such, even with a wrong passphrase, and the workspace is never opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ok
from tests.helpers.cli import run as workbench

pytestmark = pytest.mark.cli

WRONG = "not the passphrase of this workspace"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checks") / "ws"
    ok("init", str(path), "--name", "Jo Coordinator", "--agency", "Northbridge SCP", "--role", "Business coordinator")
    return path


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["contact", "export", "{ws}", "--out", "{taken}"], "exists"),
        (["s11", "framework", "export", "{ws}", "--framework", "x", "--out", "{taken}"], "exists"),
        (
            ["s11", "letter", "{ws}", "--cycle", "x", "--agency", "x", "--format", "pdf", "--out", "{taken}"],
            "--format is pdf",
        ),
        (["s11", "return", "template", "{ws}", "--cycle", "x", "--out", "{taken}"], "Give either --agency"),
        (["s11", "return", "template", "{ws}", "--cycle", "x", "--agency", "x", "--out", "{taken}"], "exists"),
        (["chronology", "export", "{ws}", "--review", "x", "--format", "csv", "--out", "{taken}"], "--format is csv"),
        (["chronology", "export", "{ws}", "--review", "x", "--format", "xlsx", "--out", "{taken}"], "exists"),
        (["s11", "return", "import", "{ws}", "{missing}", "--cycle", "x"], "missing.xlsx"),
        (["chronology", "person", "{ws}", "--review", "x", "--list", "--name", "Jo"], ""),
    ],
    ids=lambda value: " ".join(value[:2]) if isinstance(value, list) else None,
)
def test_a_bad_argument_is_refused_before_the_passphrase(
    ws: Path, tmp_path: Path, command: list[str], said: str
) -> None:
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"the user's own file")
    args = [part.format(ws=ws, taken=taken, missing=tmp_path / "missing.xlsx") for part in command]
    result = workbench(*args, passphrase=WRONG)
    assert result.returncode in (1, 2), result.stderr  # a wrong passphrase would be 3
    assert "passphrase" not in result.stderr.lower() and said in result.stderr
    assert taken.read_bytes() == b"the user's own file"

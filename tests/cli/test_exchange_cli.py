"""End-to-end exchange through `python main.py`: cards, trust, bundles, refusals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import ok, run


@pytest.mark.cli
def test_cards_trust_bundles_and_refusals(tmp_path: Path) -> None:
    ann, bob = str(tmp_path / "ann"), str(tmp_path / "bob")
    ok("init", ann, "--name", "Ann", "--agency", "CSC", "--role", "Chair")
    ok("init", bob, "--name", "Bob", "--agency", "Police", "--role", "Lead reviewer")
    ann_card, bob_card = str(tmp_path / "ann.card"), str(tmp_path / "bob.card")
    assert "Fingerprint:" in ok("contact", "export", ann, "--out", ann_card)
    ok("contact", "export", bob, "--out", bob_card)

    imported = ok("contact", "import", ann, bob_card)
    assert "Not yet trusted" in imported
    bundle = str(tmp_path / "one.bundle")
    refused = run("bundle", "export", ann, "--to", "Bob", "--out", bundle)
    assert refused.returncode == 1 and "not trusted yet" in refused.stderr and not Path(bundle).exists()
    ok("contact", "trust", ann, "Bob")
    ok("contact", "import", bob, ann_card, "--trust")
    listing = ok("contact", "list", ann)
    assert "Bob" in listing and "trusted" in listing

    exported = ok("bundle", "export", ann, "--to", "Bob", "--out", bundle)
    assert "written to" in exported
    dry = ok("bundle", "import", bob, bundle, "--dry-run")
    assert "Dry run, nothing written" in dry
    applied = ok("bundle", "import", bob, bundle)
    assert "Imported:" in applied
    assert "already imported" in ok("bundle", "import", bob, bundle)
    assert "changes since the last bundle" in ok(
        "bundle", "export", ann, "--to", "Bob", "--since-last", "--out", str(tmp_path / "two.bundle")
    )

    tampered = tmp_path / "tampered.bundle"
    data = bytearray(Path(bundle).read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    result = run("bundle", "import", bob, str(tampered))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "damaged" in result.stderr

    ok("contact", "revoke", bob, "Ann")
    result = run("bundle", "import", bob, str(tmp_path / "two.bundle"))
    assert result.returncode == 1 and "revoked" in result.stderr

    result = run("bundle", "export", ann, "--to", "Nobody", "--out", str(tmp_path / "x.bundle"))
    assert result.returncode == 1 and "No contact called" in result.stderr


def run_with(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run(*args, timeout=120, **env_extra)


@pytest.mark.cli
def test_passphrase_bundle_and_trusting_an_unknown_sender(tmp_path: Path) -> None:
    ann, cat = str(tmp_path / "ann"), str(tmp_path / "cat")
    ok("init", ann, "--name", "Ann", "--agency", "CSC", "--role", "Chair")
    ok("init", cat, "--name", "Cat", "--agency", "School", "--role", "Panel member")
    fingerprint = ok("contact", "export", ann, "--out", str(tmp_path / "ann.card")).split("Fingerprint: ")[1]
    fingerprint = fingerprint.splitlines()[0].strip()
    bundle = tmp_path / "oneoff.bundle"
    good = {"WORKBENCH_BUNDLE_PASSPHRASE": "long enough passphrase"}

    short = run_with(
        {"WORKBENCH_BUNDLE_PASSPHRASE": "too short"}, "bundle", "export", ann, "--passphrase", "--out", str(bundle)
    )
    assert short.returncode == 1 and "too short" in short.stderr and not bundle.exists()
    nobody = run_with(good, "bundle", "export", ann, "--out", str(bundle))
    assert nobody.returncode == 1 and "--passphrase" in nobody.stderr
    exported = run_with(good, "bundle", "export", ann, "--passphrase", "--out", str(bundle))
    assert exported.returncode == 0, exported.stderr
    assert "passphrase only" in exported.stdout and "weaker" in exported.stdout

    no_passphrase = run_with({}, "bundle", "import", cat, str(bundle))
    assert no_passphrase.returncode == 1 and "WORKBENCH_BUNDLE_PASSPHRASE" in no_passphrase.stderr
    wrong = run_with({"WORKBENCH_BUNDLE_PASSPHRASE": "not the right passphrase"}, "bundle", "import", cat, str(bundle))
    assert wrong.returncode == 1 and "passphrase is wrong" in wrong.stderr
    unknown = run_with(good, "bundle", "import", cat, str(bundle))
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1
    assert "bundle import PATH FILE --trust-sender" in unknown.stderr and fingerprint in unknown.stderr
    unconfirmed = run_with(good, "bundle", "import", cat, str(bundle), "--trust-sender")
    assert unconfirmed.returncode == 1 and fingerprint in unconfirmed.stdout and "--yes" in unconfirmed.stderr
    assert "Ann" not in ok("contact", "list", cat)
    dry = run_with(good, "bundle", "import", cat, str(bundle), "--trust-sender", "--yes", "--dry-run")
    assert dry.returncode == 0 and "would be trusted (dry run)" in dry.stdout, dry.stderr
    assert "Ann" not in ok("contact", "list", cat)  # a dry run trusts nobody

    trusted = run_with(good, "bundle", "import", cat, str(bundle), "--trust-sender", "--yes")
    assert trusted.returncode == 0, trusted.stderr
    assert fingerprint in trusted.stdout and "Imported:" in trusted.stdout
    assert "Protected by a passphrase only" in trusted.stdout
    assert "trusted" in ok("contact", "list", cat)
